"""Panels and wrapping without rich: aligned boxes, no break at a no-break space, folded long
words, display widths of wide characters, inert user text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.render.boxes import cells, chop, panel, paragraph, sgr, truncate, wrap
from playbook.render.common import visible

FRENCH = ("Pas de formules toutes faites (« nous prenons cela très au sérieux », « cher client ») ; "
          "écrire en personne. Pouvez-vous me répondre ? Détails : https://www.harbourline.example/news "
          "– Maud").replace(" »", "\u00a0»").replace("« ", "«\u00a0").replace(" ;", "\u00a0;") \
    .replace(" ?", "\u00a0?").replace(" :", "\u00a0:")
WIDE = "漢字のテキスト 😀 👍🏽 👨\u200d👩\u200d👧 ☺\ufe0f cafe\u0301 ＡＢＣ"


@pytest.mark.parametrize("width", [8, 9, 13, 20, 33, 57, 80, 100])
@pytest.mark.parametrize("text", [FRENCH, WIDE, "x" * 130, "a\tb\tc\n\n  indented\nlast   ", ""])
def test_every_line_of_a_panel_has_the_panel_width(text: str, width: int) -> None:
    lines = panel([(text, "")], width, title="Title — 漢字 " * 3)
    assert {cells(line) for line in lines} == {width}
    assert lines[0].startswith("╭─ T") and lines[0].endswith("─╮")
    assert all(line.startswith("│ ") and line.endswith(" │") for line in lines[1:-1])
    assert lines[-1] == "╰" + "─" * (width - 2) + "╯"


def test_the_title_sits_on_the_top_border_and_is_cut_with_an_ellipsis() -> None:
    assert panel([("body", "")], 20, title="Do") == ["╭─ Do ─────────────╮", "│ body             │",
                                                    "╰──────────────────╯"]
    top = panel([], 20, title="A long title that cannot fit")[0]
    assert top == "╭─ A long title… ──╮" and cells(top) == 20
    assert panel([], 13, title="line\nbreak\ttab")[0] == "╭─ line b… ─╮"  # a title is one line


@pytest.mark.parametrize("width", range(11, 90, 3))  # the widest no-break group is 11 cells
def test_french_never_breaks_at_a_no_break_space(width: int) -> None:
    lines = [text for line in wrap([(FRENCH, "")], width) for text, _ in line]
    assert max(cells(line) for line in lines) <= width
    for line in lines:
        assert not line.endswith(("«", "\u00a0")) and not line.startswith(("»", ":", ";", "?", "\u00a0")), line
    joined = "\n".join(lines)
    assert all(group in joined for group in FRENCH.split(" ") if "\u00a0" in group)


def test_only_ordinary_spaces_break_a_line() -> None:
    assert paragraph([("aaaa\u00a0bbbb cc\u202fdd", "")], 9) == ["aaaa\u00a0bbbb", "cc\u202fdd"]
    assert paragraph([("one two three", "")], 7) == ["one two", "three"]
    assert paragraph([("  indented words", "")], 10) == ["  indented", "words"]  # a line's indent is kept


def test_a_word_longer_than_the_line_is_folded() -> None:
    assert paragraph([("see " + "x" * 25 + " end", "")], 10) == ["see", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx end"]
    assert paragraph([("漢" * 9, "")], 7) == ["漢漢漢", "漢漢漢", "漢漢漢"]  # a wide character is never cut
    assert chop("https://example.org/a/very/long/path", 12) == ["https://exam", "ple.org/a/ve", "ry/long/path"]
    assert chop("e\u0301" * 4, 2) == ["e\u0301e\u0301", "e\u0301e\u0301"]  # a combining mark stays with its letter


def test_display_widths() -> None:
    assert cells("abc") == 3 and cells("é« »—…✓") == 7
    assert cells("漢字") == 4 and cells("ＡＢ") == 4 and cells("😀") == 2
    assert cells("cafe\u0301") == 4 and cells("a\u200bb") == 2  # a combining mark, a zero-width space
    assert cells("👍🏽") == 2 and cells("👨\u200d👩\u200d👧") == 2 and cells("☺\ufe0f") == 2  # emoji sequences
    assert cells("1\ufe0f\u20e3") == 2 and cells("🏳\ufe0f\u200d🌈") == 2
    assert cells("😀\u200d ") == 3 and cells(" \ufe0f") == 1  # nothing to join: a space stays a space


def test_widths_agree_with_rich() -> None:
    from rich.cells import cell_len

    for text in (FRENCH, WIDE, "é« »—…✓•→“”", "한국어 텍스트", "Ελληνικά кириллица עברית", "\u00ad\u2014\u3000"):
        assert cells(text) == cell_len(text), text


def test_a_long_title_keeps_a_wide_character_whole() -> None:
    top = panel([], 14, title="漢字漢字漢字漢字")[0]
    assert cells(top) == 14 and top.startswith("╭─ 漢字漢") and "…" in top


def test_truncate() -> None:
    assert truncate("short", 10) == "short"
    assert truncate("a longer text", 8) == "a longe…"
    assert truncate("a long text", 8) == "a long…"  # no space before the ellipsis
    assert truncate("漢字漢字", 6) == "漢字…"


def test_user_text_is_inert() -> None:
    lines = panel([("\x1b[31mred\x1b[0m [bold]x[/bold] \u202eevil\x07", "")], 60, title="\x1b]0;title\x07")
    text = "\n".join(lines)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b[31mred\\x1b[0m [bold]x[/bold] \\u202eevil\\x07" in text and "\\x1b]0;title\\x07" in text
    coloured = "\n".join(panel([("\x1b[31mred", "bold")], 30, border="cyan", color=True))
    assert "\x1b[1m\\x1b[31mred\x1b[0m" in coloured  # our codes around the user's, made visible


def test_styles_only_when_asked() -> None:
    assert paragraph([("note", "italic")], 20) == ["note"]
    assert paragraph([("note", "italic")], 20, color=True) == ["\x1b[3mnote\x1b[0m"]
    lines = panel([("ok", "green"), (" fine", "")], 12, title="T", border="red", color=True)
    assert lines[0] == "\x1b[31m╭─ T ──────╮\x1b[0m"
    assert lines[1] == "\x1b[31m│\x1b[0m \x1b[32mok\x1b[0m fine  \x1b[31m│\x1b[0m"
    assert sgr("bold white on red") == "1;37;41" and sgr("dim") == "2" and sgr("") == "" and sgr("none") == ""


def test_styles_follow_their_text_across_lines() -> None:
    lines = wrap([("• rule", "bold"), (" — what it says\n", ""), ("  on: facts", "dim")], 12)
    assert lines == [[("• rule", "bold"), (" —", "")], [("what it says", "")], [("  on: facts", "dim")]]


def test_spaces_at_a_break_go_and_at_the_end_only_past_the_width() -> None:
    assert wrap([(" Severity: High ", "bold")], 20) == [[(" Severity: High ", "bold")]]  # a badge keeps its pad
    assert wrap([("word   ", "")], 5) == [[("word ", "")]]
    assert wrap([("one   two", "")], 5) == [[("one", "")], [("two", "")]]


TEXT = st.lists(st.sampled_from([*"ab1  \n\t«»:\u00a0漢😀☺é\u0301—\u200d\ufe0f\U0001f3fd\x1b", "👍🏽", "x" * 12]),
                max_size=60).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=TEXT, width=st.integers(8, 60))
def test_any_text_fits_and_loses_nothing_but_spaces(text: str, width: int) -> None:
    lines = panel([(text, "bold")], width, title=text)
    assert {cells(line) for line in lines} == {width}
    body = "".join(line[2:-2] for line in lines[1:-1])

    def ink(s: str) -> str:
        return "".join(s.split(" ")).replace("\t", "").replace("\n", "")

    assert ink(body) == ink(visible(text))
