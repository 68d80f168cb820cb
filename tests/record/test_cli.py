"""The incident commands as a comms team uses them, in-process, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from playbook.cli.app import app
from tests.helpers import ROOT
from tests.record.conftest import Clock

GUITAR = str(ROOT / "examples" / "united-breaks-guitars.yaml")
# The facts the drafts quote, so that drafts carry no placeholder and can be approved as written.
FACTS = {"public_summary": "A musician's guitar was damaged in our care on a flight to Omaha.",
         "actions_taken": "We have called him and offered to pay for the repair.",
         "next_change": "By 30 June, fragile items will be loaded by hand.",
         "instructions": "If your baggage was damaged, reply here with your booking reference.",
         "claim": "that we refused to pay", "truth": "We have offered to pay for the repair in full.",
         "author_name": "Dave", "next_update_at": "at 6 pm today"}
EARLY = ["--set", "reach=growing", "--set", "at_fault=unknown", "--set", "facts_known=partly",
         *(a for k, v in FACTS.items() for a in ("--set", f"{k}={v}"))]
Run = Callable[..., Result]


@pytest.fixture
def run(store_url: str, clock: Clock) -> Run:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, code: int = 0) -> Result:
        result = runner.invoke(app, list(args), input=input)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    return invoke


def opened(run: Run, *extra: str) -> str:
    doc = json.loads(run("incident", "new", "-a", GUITAR, *EARLY, *extra, "--as", "maud", "-f", "json").stdout)
    return str(doc["incident"]["id"])


def test_a_whole_incident_reads_as_one_story(run: Run, clock: Clock) -> None:
    inc = opened(run)
    clock.advance(12)
    assert run("incident", "approve", inc, "public_reply", "--as", "maud").stdout == (
        f"{inc}: approved D1 (public_reply) (event 8, by maud).\nNext: update due in 2 h 00\n")
    clock.advance(3)
    run("incident", "published", inc, "D1", "--channel", "twitter", "--url", "https://x.com/h/status/1", "--as", "tom")
    clock.advance(30)
    out = run("incident", "update", inc, "--set", "facts_known=yes", "--set", "at_fault=yes", "--set",
              "summary=Our handlers broke the guitar: the ramp video shows it.", "--as", "maud").stdout
    assert "  action: holding_statement → respond_publicly   (rules: +respond_when_responsible, " \
           "-holding_while_facts_unknown)\n" in out
    assert "  posture: inform → rebuild   (rules: +scct_preventable_cluster)\n" in out
    assert "New drafts: D6 public_reply, D7 statement, D8 press_line, D9 private_message, D10 staff_briefing\n" in out
    clock.advance(10)
    out = run("incident", "update", inc, "--set", "reach=viral", "--as", "tom").stdout
    assert "  severity: high → critical   (rules: +severity_viral_and_media, +influential_viral_critical)\n" in out
    assert "  next_update_minutes: 120 → 60   (rules: ~next_update_minutes.from_severity)\n" in out
    run("incident", "approve", inc, "statement", "--as", "maud")
    run("incident", "approve", inc, "public_reply", "--as", "maud")
    clock.advance(5)
    run("incident", "published", inc, "statement", "--url", "https://harbourline.example/news/1", "--as", "tom")
    run("incident", "note", inc, "The Courier called; routed to Maud.", "--as", "tom")
    clock.advance(20)
    out = run("incident", "update", inc, "--set", "summary=We have replaced the guitar and retrained the ramp crew.",
              "--as", "maud").stdout
    assert out.startswith(f"{inc} updated by maud.\nAnswers changed:\n  summary: ")
    assert "Decision unchanged.\n" in out
    show = json.loads(run("incident", "show", inc, "-f", "json").stdout)
    drafts = {d["kind"]: d for d in show["incident"]["drafts"]}  # the latest of each kind
    reply = next(d for d in show["incident"]["drafts"] if d["id"] == "D6")
    assert reply["kind"] == "public_reply" and reply["state"] == "approved"
    line = reply["text"].removesuffix("– Maud").strip()
    assert f"What we say, word for word:\n\n{line}" in drafts["staff_briefing"]["text"]  # the approved reply
    assert drafts["statement"]["text"].startswith("What has changed since our last statement\n")
    run("incident", "note", inc, "--lesson", "Brief the night shift before the first reply.", "--as", "maud")
    run("incident", "close", inc, "--reason", "Coverage over", "--as", "maud")
    review = json.loads(run("incident", "export", inc, "--format", "json").stdout)
    assert [d["severity"] for d in review["decisions"]] == ["high", "high", "critical", "critical"]
    assert [m["kind"] for m in review["messages"]] == ["public_reply", "statement", "public_reply"]
    assert review["messages"][0]["id"] == "D1"
    statement_id = review["messages"][1]["id"]
    assert review["response_times"]["first_response"] == {
        "deadline_minutes": 30, "at": "2026-11-21T14:15:00.000000Z", "minutes": 15, "draft": "D1", "met": True}
    assert review["response_times"]["updates"] == [{
        "at": "2026-11-21T15:00:00.000000Z", "draft": statement_id, "after_minutes": 45, "cadence_minutes": 120,
        "late_minutes": 0}]
    assert [x["text"] for x in review["lessons"]] == [
        "Brief the night shift before the first reply.",
        "Severity rose from high to critical at 14:55 UTC (severity_viral_and_media, influential_viral_critical): "
        "could it have been foreseen?"]
    html = run("incident", "export", inc, "--format", "html").stdout
    head = html.split("<body>")[0]
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html  # self-contained: no asset to fetch
    assert "src=" not in html and "<link" not in html and "://" not in head
    markdown = run("incident", "export", inc).stdout
    assert markdown.startswith(f"# Post-incident review: {inc}\n")


def test_list_puts_open_and_severe_first_and_flags_what_is_due(run: Run, clock: Clock) -> None:
    low = opened(run, "--set", "reach=none", "--set", "media_interest=false", "--set", "influential_author=false")
    clock.advance(1)
    high = opened(run)
    clock.advance(1)
    closed = opened(run, "--set", "reach=viral")
    run("incident", "close", closed)
    clock.advance(45)
    rows = json.loads(run("incident", "list", "-f", "json").stdout)["incidents"]
    assert [r["id"] for r in rows][-1] == closed
    assert rows[0]["id"] == high
    text = run("incident", "list").stdout.splitlines()
    assert text[0].split() == ["ID", "STATUS", "SEVERITY", "AGE", "NEXT", "TITLE"]
    assert f"{high}  open    high" in text[1] and "first response OVERDUE by 16 min" in text[1]
    assert rows[1]["id"] == low
    assert [r["id"] for r in json.loads(run("incident", "list", "--open", "-f", "json").stdout)["incidents"]] == [
        high, low]


def test_contradicting_an_approved_message_is_an_error(run: Run, tmp_path: Any) -> None:
    inc = opened(run, "--set", "at_fault=yes", "--set", "facts_known=yes")
    run("incident", "approve", inc, "public_reply")
    denial = tmp_path / "denial.txt"
    denial.write_text("To be clear: this was not our fault, and we did nothing wrong.\n", encoding="utf-8")
    out = run("check", str(denial), "--incident", inc, code=1).stdout
    assert "contradicts_approved: “not our fault” — This denies what the approved message D1 (public_reply, " \
           "approved by script) admitted (“" in out
    refused = run("incident", "approve", inc, "statement", "--text", str(denial), code=1)
    assert "not approved:" in refused.stderr and "contradicts_approved" in refused.stderr
    forced = run("incident", "approve", inc, "statement", "--text", str(denial), "--force", "-f", "json").stdout
    assert json.loads(forced)["events"][0]["payload"]["forced"] is True
    lessons = json.loads(run("incident", "export", inc, "-f", "json").stdout)["lessons"]
    assert lessons[-1]["text"].endswith("(statement) was approved despite error findings.")


@pytest.mark.parametrize("bad", ["../../etc/passwd", "INC-1'; DROP TABLE events;--", "INC-20261121-7F3", "",
                                 "INC-20261121-7F3KK", "INC-20261121-7F3I"])
def test_incident_ids_are_validated_before_anything(run: Run, bad: str) -> None:
    for command in (["show", bad], ["note", bad, "x"], ["export", bad, "-o", "x.html"], ["close", bad]):
        result = run("incident", *command, code=2)
        assert "not an incident id; expected INC-YYYYMMDD-XXXX" in result.stderr


def test_mistakes_are_messages(run: Run) -> None:
    inc = opened(run)
    assert "D2 (holding_statement): not approved" not in run("incident", "published", inc, "D2", code=2).stderr
    assert f"{inc} D2: not approved; approve it first" in run("incident", "published", inc, "D2", code=2).stderr
    assert "no draft 'D99'" in run("incident", "approve", inc, "D99", code=2).stderr
    run("incident", "approve", inc, "D2")
    assert "approved already, by script" in run("incident", "approve", inc, "D2", code=2).stderr
    assert "not found" in run("incident", "show", "INC-20261121-0000", code=2).stderr
    run("incident", "close", inc)
    assert "closed; cannot update it" in run("incident", "update", inc, "--set", "reach=viral", code=2).stderr
    run("incident", "status", inc, "open")
    run("incident", "update", inc, "--set", "reach=viral")
    assert "give the address" in run("incident", "published", inc, "D2", "--url", "javascript:x", code=2).stderr


def test_user_text_is_stored_literally_and_neutralised_on_display(run: Run) -> None:
    inc = opened(run)
    nasty = "<script>alert(1)</script> \x1b[31mred\x1b[0m **bold** | pipe"
    run("incident", "note", inc, nasty)
    show = json.loads(run("incident", "show", inc, "-f", "json").stdout)
    assert show["incident"]["notes"][0]["text"] == nasty
    text = run("incident", "show", inc).stdout
    assert "\x1b" not in text and "\\x1b[31mred" in text
    html = run("incident", "export", inc, "-f", "html").stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    markdown = run("incident", "export", inc).stdout
    assert "\\<script\\>" in markdown and "\\*\\*bold\\*\\* \\| pipe" in markdown


def test_triage_save_opens_an_incident(run: Run) -> None:
    result = run("triage", "-a", GUITAR, "--save", "--as", "maud", "-f", "json")
    inc = json.loads(result.stdout)["incident"]
    assert f"saved as incident {inc}" in result.stderr
    show = json.loads(run("incident", "show", inc.lower(), "-f", "json").stdout)
    assert show["schema"] == "playbook.incident" and show["schema_version"] == 1
    assert show["incident"]["opened_by"] == "maud" and show["incident"]["severity"] == "critical"
    assert [e["type"] for e in show["timeline"]][:2] == ["opened", "decision"]


def test_every_command_speaks_json(run: Run) -> None:
    inc = opened(run)
    for args in (["list"], ["show", inc], ["update", inc, "--set", "reach=viral"], ["note", inc, "n"],
                 ["approve", inc, "D1"], ["published", inc, "D1"], ["status", inc, "monitoring"], ["close", inc]):
        doc = json.loads(run("incident", *args, "-f", "json").stdout)
        assert doc["schema"].startswith("playbook.incident") and doc["schema_version"] == 1
