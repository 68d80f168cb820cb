"""A fast reader for the flat YAML that answers files are written in, without loading PyYAML.

Answers files are almost always one mapping of plain keys to one-line scalars:

    # incident
    summary: "A customer's video of a broken guitar is spreading."
    reach: growing
    influential_author: true
    hours_since_surfaced: 3

`parse_flat` reads exactly that subset and returns what `yaml.safe_load` returns for it, with
where each value starts (what `source.load_yaml` records). For anything outside the subset it
returns None, meaning "ask PyYAML": it never returns another value than PyYAML would, and it
never raises, so every error (invalid YAML, duplicate keys, limits) keeps its located message
from `source.load_yaml`. Whenever in doubt, it refuses.

The subset, line by line (`\\n` or `\\r\\n` endings, an optional byte order mark):

- blank lines, comment lines (`# ...`, indented or not), one `---` before the first key;
- `key: value` at column 0, the key a word (`[A-Za-z_][A-Za-z0-9_]*`, at most 100 characters)
  that YAML 1.1 does not read as a boolean or null, given once, `:` followed by spaces or the
  end of the line, the value optionally followed by ` # comment`;
- the value: nothing, `~` or `null`/`Null`/`NULL` (None); the 18 booleans of YAML 1.1
  (`yes`/`no`/`true`/`false`/`on`/`off` in lower, title and upper case; `y` and `n` are
  strings for PyYAML); decimal integers without sign `+`, leading zero or `_`; decimals
  `-?digits.digits*` (no exponent: PyYAML reads `1e3` as a string); a double-quoted string
  with no escapes but JSON's (`\\\\ \\" \\/ \\b \\f \\n \\r \\t \\uXXXX`, a surrogate
  excepted: JSON strings are read, but for characters past U+FFFF, which `json.dumps` writes as
  surrogate pairs); a single-quoted string (`''` for a
  quote); or a plain string that cannot be read as anything else: it does not start with an
  indicator (`- ? : , [ ] { } # & * ! | > ' " % @` backquote) nor with a character that YAML
  1.1 resolves from (`+ . 0-9 < = ~`), contains no `: ` and does not end with `:`; ` #` starts
  a comment and trailing spaces are not part of it.

Refused outright: tabs, characters PyYAML refuses as non-printable, the line breaks `\\x85`,
`\\u2028`, `\\u2029`, a lone `\\r`, a byte order mark past the start, indented lines that are not
comments (continuations, nested values), flow collections, anchors, aliases, tags, block
scalars, directives, `...`, several documents, documents of more than a megabyte or
`MAX_KEYS` keys, and more than 64 brackets (`source` checks nesting depth by counting them).
"""

from __future__ import annotations

import re

from playbook.rulebase import regexes

MAX_TEXT = 1024 * 1024  # characters; larger documents go to PyYAML and its limits
MAX_KEYS = 10_000
MAX_BRACKETS = 64  # `source._check_size` counts `[` and `{` to bound nesting: never reach it

# What YAML 1.1 (PyYAML's resolver) reads as a boolean or null rather than a string.
_BOOLS = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
}
_NULLS = frozenset(("~", "null", "Null", "NULL"))

# Everything allowed in a document: PyYAML's printable characters, less tab, carriage return,
# the byte order mark and the line breaks of YAML 1.1 other than `\n`.
_REFUSED_CHAR = regexes.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = regexes.compile(r"([A-Za-z_][A-Za-z0-9_]{0,99}):(?: +|$)")
_DOC_START = regexes.compile(r"--- *(?: #.*)?")
_DOUBLE = regexes.compile(r'"((?:[^"\\]|\\[\\"/bfnrt]|\\u[0-9A-Fa-f]{4})*)"(?: *| +#.*)')  # JSON's escapes
_ESCAPE = regexes.compile(r"\\(u....|.)")
_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_SURROGATE = regexes.compile("[\ud800-\udfff]")  # from `\\uXXXX`: libyaml refuses them, PyYAML does not
_SINGLE = regexes.compile(r"'((?:[^']|'')*)'(?: *| +#.*)")
_INT = regexes.compile(r"-?(?:0|[1-9][0-9]{0,99})")
_FLOAT = regexes.compile(r"-?[0-9]{1,100}\.[0-9]{0,100}")
# First characters of a plain scalar that mean something else, or that a resolver reads from.
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`+.0123456789<=~ ")

_REFUSE = object()  # a value outside the subset


def parse_flat(text: str) -> tuple[dict[str, object], dict[str, tuple[int, int]]] | None:
    """`(data, where)` for a flat answers document, or None to let PyYAML read it.

    `data` is what `yaml.safe_load(text)` returns; `where[key]` is the 1-based line and column
    where the key's value starts, as `source.load_yaml` locates it.
    """
    if len(text) > MAX_TEXT:
        return None
    if text.startswith("\ufeff"):  # PyYAML skips it without counting a column
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if _REFUSED_CHAR.search(text) or text.count("[") + text.count("{") > MAX_BRACKETS:
        return None
    data: dict[str, object] = {}
    where: dict[str, tuple[int, int]] = {}
    started = False  # a `---` or a key was read
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(" ") or line.lstrip(" ").startswith("#"):
            continue
        match = _KEY.match(line)
        if match is None:
            if started or not _DOC_START.fullmatch(line):
                return None
            started = True
            continue
        started = True
        key = match.group(1)
        if key in data or key in _BOOLS or key in _NULLS or len(data) >= MAX_KEYS:
            return None
        rest = line[match.end():]
        if not rest or rest.startswith("#"):
            value: object = None
            column = len(key) + 2  # an empty value starts right after the colon
        else:
            value = _scalar(rest)
            if value is _REFUSE:
                return None
            column = match.end() + 1
        data[key] = value
        where[key] = (number, column)
    return (data, where) if data else None


def _scalar(text: str) -> object:
    """The value of a one-line scalar and its comment, or `_REFUSE`."""
    first = text[0]
    if first == '"':
        match = _DOUBLE.fullmatch(text)
        if match is None:
            return _REFUSE
        value = _ESCAPE.sub(_unescape, match.group(1))
        return _REFUSE if _SURROGATE.search(value) else value
    if first == "'":
        match = _SINGLE.fullmatch(text)
        return _REFUSE if match is None else match.group(1).replace("''", "'")
    comment = text.find(" #")
    plain = (text if comment < 0 else text[:comment]).rstrip(" ")
    if ": " in plain or plain.endswith(":"):
        return _REFUSE
    if plain in _BOOLS:
        return _BOOLS[plain]
    if plain in _NULLS:
        return None
    if _INT.fullmatch(plain):
        return int(plain)
    if _FLOAT.fullmatch(plain):
        return float(plain)
    if first in _NOT_PLAIN_START:
        return _REFUSE
    return plain


def _unescape(match: re.Match[str]) -> str:
    escape = match.group(1)
    return _ESCAPES[escape] if len(escape) == 1 else chr(int(escape[1:], 16))
