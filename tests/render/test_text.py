"""The decision as text (`--format text`): its sections in order, aligned boxes at the width of
the terminal or the file, French spacing kept, colour only on a colour terminal, and rich not
imported for it."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from typing import Any

import pytest

from playbook.api import Playbook
from playbook.render.boxes import cells
from playbook.render.text import decision_text, render
from tests.helpers import COMPLETE, ROOT

SENSITIVE = dict(COMPLETE, origin="external_event", sensitive_context=True, promotions_scheduled=False)


@pytest.fixture(scope="module")
def playbooks() -> dict[str, Playbook]:
    return {lang: Playbook(lang=lang) for lang in ("en", "fr")}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def stdout_of(pb: Playbook, doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch, stream: io.StringIO) -> str:
    monkeypatch.setattr(sys, "stdout", stream)
    assert decision_text(pb.rulebase, doc) is None
    return stream.getvalue()


def test_the_sections_in_order(playbooks: dict[str, Playbook]) -> None:
    pb = playbooks["en"]
    text = decision_text(pb.rulebase, pb.triage(COMPLETE), to_string=True)
    assert text is not None and text.endswith("╯\n")
    lines = text.splitlines()
    assert lines[0].startswith("╭─ Triage decision — A customer's video of a broken guitar is spreading. ─")
    assert {cells(line) for line in lines[:10]} == {100}
    assert lines[1].startswith("│ RESPOND PUBLICLY    Severity: High ")
    assert lines[2].startswith("│ Respond within: 30 min ")
    titles = [line.split("╭─ ")[1].split(" ─")[0] for line in lines if line.startswith("╭─")]
    assert titles == ["Triage decision — A customer's video of a broken guitar is spreading.", "Do", "Avoid",
                      "Public reply · twitter · 169/280 characters", "Statement · web · 476 characters",
                      "Private message · direct_message · 442/10000 characters",
                      "Staff briefing · email · 1030 characters", "Why"]
    assert "│ ✓ Open an incident log: screenshots, links and times of every post and reply." in text
    assert "│ ✗ Don't argue or trade blows, whoever started it." in text
    assert "\nThese drafts are signed by the built-in example profile (Harbourline Air" in text
    assert "╯\n  error · placeholder · “[what we have done]” — A placeholder is left in the text.\n" \
           "    → Fill it in, or remove the sentence, before publishing.\n" in text
    assert "│ • baseline — Every incident is logged" in text and "│   on: always  →  severity=low" in text
    assert "│   principle: Monitor permanently (fallout: " in text


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [24, 41, 60, 80, 100, 157])
@pytest.mark.parametrize("answers", [COMPLETE, SENSITIVE], ids=["complaint", "sensitive"])
def test_aligned_within_the_width_and_french_spacing_kept(playbooks: dict[str, Playbook], lang: str, width: int,
                                                          answers: dict[str, Any]) -> None:
    text = render(playbooks[lang].rulebase, playbooks[lang].triage(answers), width=width)
    for line in text.splitlines():
        assert cells(line) <= width, line
        if line[:1] in "╭│╰":
            assert cells(line) == width and line[-1:] in "╮│╯", line
        content = line.strip("│ ")
        if width >= 41:  # narrower, a no-break group can be longer than a line, and is folded
            assert not content.endswith("«") and not content.startswith(("»", ":", ";", "?", "!")), line
    assert "\x1b" not in text


def test_a_long_summary_is_cut_in_the_title(playbooks: dict[str, Playbook]) -> None:
    pb = playbooks["en"]
    text = render(pb.rulebase, pb.triage(dict(COMPLETE, summary="A very long summary " * 10)), width=60)
    assert text.splitlines()[0] == "╭─ Triage decision — A very long summary A very long sum… ─╮"


def test_user_text_is_shown_never_obeyed(playbooks: dict[str, Playbook]) -> None:
    pb = playbooks["en"]
    doc = pb.triage(dict(COMPLETE, summary="Down \x1b[31mred\x1b[0m [bold]x[/bold] \u202eevil\nsecond line"))
    doc["drafts"][0]["text"] += " \x1b]0;owned\x07 [red]y[/red]"
    for text in (render(pb.rulebase, doc, width=300), render(pb.rulebase, doc, width=300, color=True)):
        assert "\x1b[31mred" not in text and "\x07" not in text and "\u202e" not in text
        assert "\\x1b[31mred\\x1b[0m [bold]x[/bold] \\u202eevil second line" in text
        assert "\\x1b]0;owned\\x07 [red]y[/red]" in text


def test_plain_when_not_a_terminal(playbooks: dict[str, Playbook], monkeypatch: pytest.MonkeyPatch) -> None:
    pb = playbooks["en"]
    doc = pb.triage(COMPLETE)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = stdout_of(pb, doc, monkeypatch, io.StringIO())
    assert "\x1b" not in out and {cells(line) for line in out.splitlines() if line[:1] in "╭│╰"} == {80}
    monkeypatch.setenv("COLUMNS", "64")  # as rich did, COLUMNS sets the width of a pipe too
    assert {cells(line) for line in stdout_of(pb, doc, monkeypatch, io.StringIO()).splitlines()
            if line[:1] in "╭│╰"} == {64}
    assert "\x1b" not in (decision_text(pb.rulebase, doc, to_string=True) or "")


def test_colour_on_a_terminal_unless_no_color(playbooks: dict[str, Playbook], monkeypatch: pytest.MonkeyPatch) -> None:
    pb = playbooks["en"]
    doc = pb.triage(COMPLETE)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "90")
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = stdout_of(pb, doc, monkeypatch, Terminal())
    assert out.startswith("\x1b[31m╭─ Triage decision")  # the border in the severity's colour
    assert "\x1b[1mRESPOND PUBLICLY\x1b[0m   \x1b[1;31m Severity: High \x1b[0m" in out
    assert "│ \x1b[32m✓ \x1b[0mOpen an incident log" in out and "│ \x1b[31m✗ \x1b[0mDon't argue" in out
    assert "\x1b[36m╭─ Public reply" in out and "\x1b[2m╭─ Why" in out and "\x1b[3mThese drafts" in out
    assert "\x1b[31m  error · placeholder" in out
    plain = render(pb.rulebase, doc, width=90)
    assert re.sub("\x1b\\[[0-9;]*m", "", out) == plain  # the same text, coloured
    for env in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        with monkeypatch.context() as m:
            for key, value in env.items():
                m.setenv(key, value)
            assert stdout_of(pb, doc, m, Terminal()) == plain


def test_the_text_path_imports_no_rich() -> None:
    probe = ("import sys; import playbook.render.output, playbook.render.text; "
             "sys.stdout.write(','.join(m for m in ('rich', 'shutil', 'textwrap') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout == ""
