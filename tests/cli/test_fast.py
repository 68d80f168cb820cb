"""The fast path reads a command line exactly as typer would, or leaves it to typer.

Both are driven by the one option spec (`playbook.cli.spec`): typer through the signature
`cli.options.typed` builds, the fast path through `cli.fast.parse`. For any command line the
fast path accepts, typer must accept it too and call the command with the same values; what
the fast path declines (help, mistakes, exotic forms) typer handles, so its messages stay.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from playbook.cli import fast, spec
from playbook.cli.options import typed
from tests.helpers import COMPLETE, ROOT

COMMANDS = [spec.TRIAGE, spec.BATCH]


def typer_values(command: spec.Command, args: list[str]) -> dict[str, Any] | None:
    """What typer passes the command's body for `args` (None: typer refused the line)."""
    seen: list[dict[str, Any]] = []

    def body(**values: Any) -> None:
        seen.append(values)

    app = typer.Typer()
    app.command(name=command.name)(typed(command, body))

    @app.callback()
    def main() -> None:  # a group, as in the real app: `playbook triage …`
        pass

    result = CliRunner().invoke(app, [command.name, *args])
    return seen[0] if result.exit_code == 0 and seen else None


def tokens(command: spec.Command) -> st.SearchStrategy[str]:
    flags = [f for opt in command.options for f in opt.names()]
    values = ["F", "-", "incident.json", "json", "fr", "x=y", "", "3", "0", "-1", "+2", "a b", "é", "-x", "--",
              "-h", "--help", "--bogus", "-aF", "--answers=F", "--format=json", "--save=yes", "--jobs=2", "-j0"]
    return st.sampled_from(flags + values)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fast_path_reads_what_typer_reads(command: spec.Command, data: st.DataObject) -> None:
    args = data.draw(st.lists(tokens(command), max_size=8))
    values = fast.parse(command, args)
    if values is not None:
        assert values == typer_values(command, args), args


@pytest.mark.parametrize(("command", "args"), [
    (spec.TRIAGE, []),
    (spec.TRIAGE, ["--answers", "incident.yaml", "--format", "json"]),
    (spec.TRIAGE, ["-a", "-", "-f", "json", "--lang", "fr", "--channel", "x", "--profile", "p.yaml"]),
    (spec.TRIAGE, ["--answers=incident.json", "--set", "reach=viral", "-s", "harm=none", "--ask", "reach"]),
    (spec.TRIAGE, ["-a", "i.yaml", "-o", "out.md", "--rules", "overlay", "--rules", "more", "--save", "--as", "maud"]),
    (spec.TRIAGE, ["--resume"]),
    (spec.BATCH, ["incidents.jsonl"]),
    (spec.BATCH, ["-", "--no-drafts", "--jobs", "2", "--lang", "fr"]),
    (spec.BATCH, ["--drafts", "in.jsonl", "-j", "1", "--profile", "p.yaml"]),
], ids=str)
def test_what_scripts_type_takes_the_fast_path(command: spec.Command, args: list[str]) -> None:
    values = fast.parse(command, args)
    assert values is not None
    assert values == typer_values(command, args)


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--bogus"], ["-a"], ["-a", "--format"], ["--jobs", "x"],
                                  ["--save=1"], ["--", "-a"], ["-aF"], ["extra"]])
def test_what_it_does_not_read_plainly_goes_to_typer(args: list[str]) -> None:
    assert fast.parse(spec.TRIAGE, args) is None


def test_batch_needs_its_file() -> None:
    assert fast.parse(spec.BATCH, ["--no-drafts"]) is None
    assert fast.parse(spec.BATCH, ["a.jsonl", "b.jsonl"]) is None


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_scripted_triage_imports_no_framework(tmp_path: Any, fmt: str) -> None:
    """What the budget is about: neither typer nor click nor rich nor PyYAML is loaded (once the
    rule base and profile are cached, as after a first run); the text is drawn without rich."""
    answers = tmp_path / "incident.json"
    answers.write_text(json.dumps(COMPLETE))
    probe = "\n".join([
        "import sys, runpy",
        f"sys.argv = ['playbook', 'triage', '-a', {str(answers)!r}, '-f', {fmt!r}]",
        "try:",
        "    runpy.run_module('playbook', run_name='__main__')",
        "except SystemExit as e:",
        "    assert not e.code, e.code",
        "heavy = [m for m in ('typer', 'click', 'rich', 'yaml', 'questionary', 'dataclasses', 'pydantic')"
        " if m in sys.modules]",
        "sys.stderr.write('HEAVY=' + ','.join(heavy))",
    ])
    for _ in range(2):  # the first run fills the cache
        done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stderr.rsplit("HEAVY=", 1)[1] == ""
