"""Text in boxes for the terminal, without rich: display widths, word wrapping, panels, colours.

What rich's `Panel` (`box.ROUNDED`, padding of one space, a title on the top border) and its
word wrapping did for the decision, in a few functions over styled runs of text (`Span`s):

- Widths are display cells: East Asian wide and full-width characters take two, combining
  marks and format characters none, an emoji sequence (joined by U+200D, with a skin tone or
  U+FE0F) two, as rich counts them.
- Lines break only at ordinary spaces, so the no-break spaces of French typography
  (`«\\u00a0`, `\\u00a0:`) never break; a word longer than the line is folded.
- Every line of a panel has the panel's width; nothing is wider than the width asked for.
- User text is inert: control characters are made visible (`common.visible`) before anything
  is measured, and styles are ours (SGR codes, only when asked for), never read from the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise

from playbook.render.common import visible

Span = tuple[str, str]  # a run of text and its style: "bold", "green", "bold white on red", "" for none
Line = list[Span]

TAB_SIZE = 8
ELLIPSIS = "…"
MIN_PANEL = 8  # borders, padding and two cells of text: a panel is never narrower
_ZWJ, _VS16 = "\u200d", "\ufe0f"
_KEYCAPS = frozenset("#*0123456789\u00a9\u00ae")  # ASCII and Latin-1 characters with an emoji form
_ZERO_CATEGORIES = frozenset(("Mn", "Me", "Cf", "Zl", "Zp"))
_WORD = re.compile(r" *[^ ]+ *")  # a word with the spaces after it (and, first on a line, before it)
_WIDTH: dict[str, int] = {}
_BEYOND_LATIN = re.compile("[^\x00-\u02ff]")  # before U+0300, a character is one cell
_JOINING = re.compile("[\u200d\ufe0f\U0001f3fb-\U0001f3ff]")  # what `widths` reads in context


def char_width(ch: str) -> int:
    """The cells one character takes on its own (see `widths` for the ones that join)."""
    width = _WIDTH.get(ch)
    if width is None:
        cp = ord(ch)
        if cp < 0x300:  # Latin: one cell (controls are made visible before anything is measured)
            width = 1
        elif unicodedata.combining(ch) or unicodedata.category(ch) in _ZERO_CATEGORIES or 0x1160 <= cp <= 0x11FF:
            width = 0  # combining marks, format characters (U+200B, U+200D), Hangul medial jamo
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width = 2
        else:
            width = 1
        _WIDTH[ch] = width
    return width


def widths(text: str) -> list[int]:
    """Each character's cells in context, as emoji sequences show: a pictograph after U+200D
    and a skin tone after an emoji join the character before; U+FE0F after a symbol that has
    an emoji form (☺, ©, a keycap's digit) makes it two cells."""
    out: list[int] = []
    prev = ""
    for ch in text:
        width = char_width(ch)
        cp = ord(ch)
        if (prev == _ZWJ and cp >= 0x2000) or (0x1F3FB <= cp <= 0x1F3FF and out and out[-1] == 2):
            width = 0
        elif ch == _VS16 and out and out[-1] == 1 and (prev in _KEYCAPS or ord(prev) >= 0x2000):
            out[-1] = 2
        out.append(width)
        prev = ch
    return out


def cells(text: str) -> int:
    """The display width of `text` (no line breaks, no tabs) in terminal cells."""
    if text.isascii():
        return len(text)
    if _JOINING.search(text):
        return sum(widths(text))
    return len(text) + sum(char_width(ch) - 1 for ch in _BEYOND_LATIN.findall(text))


def chop(text: str, width: int) -> list[str]:
    """`text` folded into pieces of at most `width` cells (a character wider than that alone)."""
    pieces: list[str] = []
    start = used = 0
    for i, w in enumerate(widths(text)):
        if used + w > width and i > start:
            pieces.append(text[start:i])
            start, used = i, 0
        used += w
    pieces.append(text[start:])
    return pieces


def truncate(text: str, width: int) -> str:
    """`text` in at most `width` cells, cut with an ellipsis so that the cut shows."""
    if cells(text) <= width:
        return text
    used = 0
    for i, w in enumerate(widths(text)):
        if used + w > width - 1:
            return text[:i].rstrip(" ") + ELLIPSIS
        used += w
    return text


def wrap(spans: Iterable[Span], width: int) -> list[Line]:
    """Styled text as lines of at most `width` cells: broken at its newlines, then at ordinary
    spaces (never at a no-break space); a word longer than a line is folded. Tabs are expanded."""
    out: list[Line] = []
    for line in _logical_lines(spans):
        plain = "".join(text for text, _ in line)
        cuts = _divide(plain, width)
        bounds = [0, *cuts, len(plain)]
        pieces = _cut(line, bounds)
        for i, piece in enumerate(pieces):
            # Spaces where a line breaks go; at the end of a line, only those past the width.
            out.append(_rstrip(piece, None if i < len(pieces) - 1 else width))
    return out


def _logical_lines(spans: Iterable[Span]) -> list[Line]:
    lines: list[Line] = [[]]
    for text, style in spans:
        first, *rest = visible(text).split("\n")
        if first:
            lines[-1].append((first, style))
        for part in rest:
            lines.append([(part, style)] if part else [])
    return [_expand_tabs(line) if any("\t" in text for text, _ in line) else line for line in lines]


def _expand_tabs(line: Line) -> Line:
    out: Line = []
    column = 0
    for text, style in line:
        parts = text.split("\t")
        pieces = []
        for i, part in enumerate(parts):
            if i:
                pad = TAB_SIZE - column % TAB_SIZE
                pieces.append(" " * pad)
                column += pad
            pieces.append(part)
            column += cells(part)
        out.append(("".join(pieces), style))
    return out


def _divide(plain: str, width: int) -> list[int]:
    """Where `plain` (one line) breaks: offsets of the words that start a new line."""
    if cells(plain) <= width:
        return []
    cuts: list[int] = []
    used = 0
    for match in _WORD.finditer(plain):
        start, word = match.start(), match.group()
        core = word.rstrip(" ")
        core_cells, spaces = cells(core), len(word) - len(core)
        if used + core_cells <= width:
            used += core_cells + spaces
        elif core_cells > width:  # longer than a line: folded, from a line of its own
            pieces = chop(core, width)
            for piece in pieces:
                if start:
                    cuts.append(start)
                start += len(piece)
            used = cells(pieces[-1]) + spaces
        else:
            cuts.append(start)
            used = core_cells + spaces
    return cuts


def _cut(line: Line, bounds: list[int]) -> list[Line]:
    """`line` cut at the character offsets in `bounds` (its first is 0, its last its length)."""
    if len(bounds) == 2:
        return [line]
    starts, offset = [], 0
    for text, _ in line:
        starts.append(offset)
        offset += len(text)
    pieces: list[Line] = []
    for a, b in pairwise(bounds):
        pieces.append([(text[max(a - s, 0):min(b - s, len(text))], style)
                       for (text, style), s in zip(line, starts, strict=True) if s < b and s + len(text) > a])
    return pieces


def _rstrip(line: Line, width: int | None) -> Line:
    """`line` without its trailing spaces (`width` None), or without those past `width` cells."""
    line = [span for span in line if span[0]]
    excess = 0 if width is None else line_cells(line) - width
    if width is not None and excess <= 0:
        return line
    while line:
        text, style = line[-1]
        kept = text.rstrip(" ")
        if width is not None:
            kept = text[:max(len(kept), len(text) - excess)]
            excess -= len(text) - len(kept)
        if kept:
            line[-1] = (kept, style)
            break
        line.pop()
        if width is not None and excess <= 0:
            break
    return line


def line_cells(line: Line) -> int:
    return cells("".join(text for text, _ in line))  # whole: a sequence may join across styles


_CODES = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7"}
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_SGR: dict[str, str] = {}


def sgr(style: str) -> str:
    """The SGR parameters of a style: `bold white on red` -> `1;37;41`; "" for none."""
    codes = _SGR.get(style)
    if codes is None:
        found: list[str] = []
        words = style.split()
        for i, word in enumerate(words):
            if word in _COLOURS:
                found.append(str((40 if i and words[i - 1] == "on" else 30) + _COLOURS.index(word)))
            elif word in _CODES:
                found.append(_CODES[word])
        codes = _SGR[style] = ";".join(found)
    return codes


def paint(text: str, style: str, color: bool) -> str:
    """`text` in `style` on a colour terminal; as it is otherwise."""
    codes = sgr(style) if color and style and text else ""
    return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


def render_line(line: Line, color: bool) -> str:
    return "".join(paint(text, style, color) for text, style in line)


def paragraph(spans: Iterable[Span], width: int, *, color: bool = False) -> list[str]:
    """Styled text wrapped at `width`, outside any box."""
    return [render_line(line, color) for line in wrap(spans, width)]


def panel(spans: Iterable[Span], width: int, *, title: str = "", border: str = "", color: bool = False) -> list[str]:
    """A rounded box `width` cells wide, its title on the top border, the text wrapped inside
    with one space of padding:

        ╭─ title ──────╮
        │ text         │
        ╰──────────────╯
    """
    width = max(width, MIN_PANEL)
    inner = width - 4
    top = "╭─"
    name = " ".join(visible(title).replace("\t", " ").split("\n")).strip(" ")
    if name:
        name = truncate(name, width - 6)
        top += f" {name} "
    top += "─" * (width - 1 - cells(top)) + "╮"
    side = paint("│", border, color)
    lines = [paint(top, border, color)]
    for line in wrap(spans, inner):
        pad = " " * (inner - line_cells(line))
        lines.append(f"{side} {render_line(line, color)}{pad} {side}")
    lines.append(paint("╰" + "─" * (width - 2) + "╯", border, color))
    return lines
