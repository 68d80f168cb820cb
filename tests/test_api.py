"""The Python API: what `import playbook` gives a script or a data pipeline."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pytest
from typer.testing import CliRunner

import playbook
from playbook.cli.app import app
from tests.helpers import COMPLETE, ROOT


@pytest.fixture(scope="module")
def pb() -> playbook.Playbook:
    return playbook.Playbook(lang="en")


def test_triage_gives_the_json_document_of_the_cli(pb: playbook.Playbook, runner: CliRunner) -> None:
    doc = pb.triage(COMPLETE)
    cli = json.loads(runner.invoke(app, ["triage", "-a", "-", "-f", "json"], input=json.dumps(COMPLETE)).stdout)
    assert doc == cli


def test_mistakes_raise_located_errors(pb: playbook.Playbook) -> None:
    with pytest.raises(playbook.AnswersError) as info:
        pb.triage({**COMPLETE, "reach": "virall"})
    assert info.value.messages[0].startswith("answers: 'reach': 'virall' is not allowed (did you mean 'viral'?)")
    with pytest.raises(playbook.UsageError):
        playbook.Playbook(lang="de")


def test_triage_many_keeps_order_and_goes_past_bad_rows(pb: playbook.Playbook) -> None:
    rows = [COMPLETE, {"reach": "viral"}, {**COMPLETE, "reach": "none"}]
    docs = list(pb.triage_many(rows))
    assert [("error" in d) for d in docs] == [False, True, False]
    assert docs[1]["row"] == 2 and "missing" in docs[1]["error"]["messages"][0]


def test_without_drafts_and_check(pb: playbook.Playbook) -> None:
    assert playbook.Playbook(drafts=False).triage(COMPLETE)["drafts"] == []
    report = pb.check("We apologise if anyone was offended.")
    assert any(f["check"] == "conditional_apology" for f in report["findings"])


def _severity(args: tuple[playbook.Playbook, dict[str, Any]]) -> str:
    pb, answers = args
    return str(pb.triage(answers)["triage"]["severity"])


def test_threads_and_processes(pb: playbook.Playbook) -> None:
    rows = [dict(COMPLETE, reach=r) for r in ("none", "low", "growing", "viral")] * 3
    expected = [pb.triage(r)["triage"]["severity"] for r in rows]
    with ThreadPoolExecutor(4) as threads:
        assert [d["triage"]["severity"] for d in threads.map(pb.triage, rows)] == expected
    assert len(pickle.dumps(pb)) < 1_000_000  # plain data: no compiled templates travel
    with ProcessPoolExecutor(2) as processes:
        assert list(processes.map(_severity, [(pb, r) for r in rows])) == expected


def test_import_playbook_stays_light() -> None:
    probe = "import sys, playbook; print(sorted(m for m in ('typing', 'json', 'yaml', 'jinja2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]"


def test_batch_jobs_keep_the_order(runner: CliRunner, tmp_path: Any) -> None:
    lines = [json.dumps(dict(COMPLETE, hours_since_surfaced=i)) for i in range(600)]
    lines[300] = "not json"
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    one = runner.invoke(app, ["batch", str(path), "--no-drafts", "--jobs", "1"])
    two = runner.invoke(app, ["batch", str(path), "--no-drafts", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 2
    assert one.stdout == two.stdout
    assert [json.loads(line)["line"] for line in two.stdout.splitlines()] == list(range(1, 601))
