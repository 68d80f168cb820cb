"""What users install: lazy imports, `python -m playbook`, and the built wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT

PROBE = """
import json, sys
from playbook.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'questionary', 'prompt_toolkit', 'jinja2', 'yaml'})
sys.stderr.write('HEAVY=' + json.dumps(heavy) + '\\n')
"""


def loaded_heavy_modules(*args: str, stdin: str = "") -> list[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    line = [x for x in proc.stderr.splitlines() if x.startswith("HEAVY=")][-1]
    return list(json.loads(line[len("HEAVY="):]))


def test_version_imports_nothing_heavy() -> None:
    assert loaded_heavy_modules("--version") == []


def test_json_triage_from_json_answers_imports_nothing_heavy(complete: dict[str, Any]) -> None:
    # The rule base and the profile are cached by the first run, so the second one reads no
    # YAML at all; an incident we only watch has no draft, so no template engine either.
    quiet = dict(complete, reach="none", influential_author=False, author="ranter", origin="hostile_campaign")
    loaded_heavy_modules("triage", "-a", "-", "-f", "json", stdin=json.dumps(quiet))
    assert loaded_heavy_modules("triage", "-a", "-", "-f", "json", stdin=json.dumps(quiet)) == []


def test_json_triage_with_drafts_imports_nothing_heavy(complete: dict[str, Any]) -> None:
    # A first run compiles the templates to Python (with jinja2's parser) and caches them;
    # the next ones render the drafts from the cache, without jinja2.
    loaded_heavy_modules("triage", "-a", "-", "-f", "json", stdin=json.dumps(complete))
    assert loaded_heavy_modules("triage", "-a", "-", "-f", "json", stdin=json.dumps(complete)) == []


def test_python_dash_m(complete: dict[str, Any]) -> None:
    proc = subprocess.run([sys.executable, "-m", "playbook", "triage", "-a", "-", "-f", "json"],
                          input=json.dumps(complete), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["triage"]["action"]


@pytest.mark.slow
def test_wheel_installs_and_runs_from_a_fresh_virtualenv(tmp_path: Path, complete: dict[str, Any]) -> None:
    """The wheel, with the dependencies it declares, in a virtualenv that sees nothing else.

    The virtualenv is isolated (no system site-packages) and the wheel is installed with its
    dependencies, so the test passes only if the wheel's metadata is complete, whatever the
    interpreter running the tests happens to have installed.
    """
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("playbook-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False, clear=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = str(bindir / "python")
    isolation = subprocess.run([python, "-c", "import typer"], capture_output=True, timeout=60)
    assert isolation.returncode != 0, "the fresh virtualenv must not see packages from outside it"
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    # Run from elsewhere, with a clean environment, so the checkout cannot be imported by accident.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    proc = subprocess.run([str(bindir / "playbook"), "triage", "-a", "-", "-f", "json"],
                          input=json.dumps(complete), capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["triage"]["action"] == "respond_publicly"
    assert "site-packages" in doc["rulebase"]["path"]
    assert doc["drafts"] and doc["drafts"][0]["text"].endswith("– Maud")  # templates and profile are shipped
    version = subprocess.run([str(bindir / "playbook"), "--version"], capture_output=True, text=True,
                             cwd=tmp_path, env=env, timeout=60)
    assert version.stdout.startswith("playbook ")
