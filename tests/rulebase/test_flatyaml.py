"""The flat YAML reader against PyYAML: whatever it accepts, it reads exactly as PyYAML does.

For every document, `parse_flat` either refuses (None) or returns the data both of PyYAML's
loaders return (the pure-Python `SafeLoader` of `yaml.safe_load`, and the one `load_yaml` uses,
libyaml's when installed), with the same types (`True` is not `1`), and the positions
`load_yaml` records. The documents come from a grammar rich in what YAML 1.1 reads otherwise:
resolver look-alikes, quotes, colons, hashes, indicators, odd characters and line breaks.
`HYPOTHESIS_PROFILE=long` runs ten times more examples.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from playbook.errors import AnswersError
from playbook.rulebase.flatyaml import parse_flat
from playbook.rulebase.source import load_yaml

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 1
FUZZ = settings(max_examples=2500 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same(a: Any, b: Any) -> bool:
    """Equal, of the same type all the way down, keys in the same order (nan equals nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_agrees(text: str) -> bool:
    """`parse_flat` refuses `text`, or reads it exactly as PyYAML and `load_yaml` do; whether it read it."""
    got = parse_flat(text)
    if got is None:
        return False
    data, where = got
    expected, located = load_yaml(text, "f.yaml", error=AnswersError)  # the project's path: no error
    assert same(data, expected), (text, data, expected)
    assert same(data, yaml.load(text, Loader=yaml.SafeLoader)), text
    for key in data:
        value_at, key_at = located.at((key,)), located.key_at((key,))
        assert where[key] == (value_at.line, value_at.col), (text, key)
        assert key_at.line == value_at.line and key_at.col == 1
    return True


def check(text: str) -> None:
    event("read" if assert_agrees(text) else "refused")


# What YAML 1.1 reads as something else than a string, and what merely looks like it.
LOOKALIKES = [
    "", "~", "null", "Null", "NULL", "nULL", "nul", "none", "None",
    "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "yES",
    "no", "No", "NO", "on", "On", "ON", "oN", "off", "Off", "OFF", "y", "Y", "n", "N", "t", "f",
    "0", "-0", "+0", "00", "01", "017", "018", "09", "0o17", "0x1F", "0X1F", "-0x1f", "0b101", "0b2",
    "1_000", "1,000", "10", "-10", "+10", "123456789012345678901234567890", "9" * 120, "1:30", "190:20:30",
    "1.", "1.5", "-1.5", "+1.5", "01.5", "1.5.2", ".5", "-.5", "1_0.5", "1.5_0", "1e3", "1.0e3", "1.0e+3",
    "1.0E-3", "-1.5e+10", ".inf", "-.inf", "+.inf", ".Inf", ".INF", "inf", ".nan", ".NaN", ".NAN", "nan",
    "2024-01-01", "2024-1-1", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00", "2001-12-14t21:59:43.10-05:00",
    "<<", "<", "=", "==", "-", "--", "---", "...", "?", "? x", ":", ":x", ",x", "[", "[]", "[a, b]", "{}",
    "{a: 1}", "x]", "x}", "&a x", "*a", "!!str 1", "!x", "|", ">", "|-", "%x", "@x", "`x", "#x",
    "x #y", "x#y", "x: y", "x:y", "x:", "http://example.com/a#b", "a, b", "It's", 'say "hi"', "\\n",
]
QUOTED = [
    '""', "''", '"x"', "'x'", '"yes"', "'123'", '"a\\"b"', '"a\\\\b"', '"a\\nb"', '"a\\tb"', '"a\\/b"',
    '"\\x41"', '"\\u00e9"', '"\\e"', '"\\ "', '"\\q"', '"a\\', "'It''s'", "'It's'", "'a\\b'", '"a #b"',
    "'a: b'", '"a" # c', '"a"#c', "'a' x", '"a"b', "'''", '"""', "' x '", '" x "', "'#'",
]
CHARS = st.sampled_from([*"aZy_ :#'\",[]{}-?.0123456789~&*!|>%@`\\/=<+", "é", "ß", "\xa0", "\t", "\r", "\n",
                         "\u2028", "\u2029", "\x85", "\ufeff", "\x00", "\x07", "\x7f", "\x9f", "😀", "\u202e",
                         "\ud800", "\ufffe", "\uffff"])
KEYS = st.sampled_from(["summary", "reach", "a", "b", "_", "A_1", "x" * 100]) | st.sampled_from([
                        "summary", "reach", "a", "b", "_", "A_1", "x" * 100, "x" * 101, "yes", "No", "ON", "off",
                        "true", "null", "Null", "y", "n", "key-dash", "key.dot", "é", "1a", "<<", "~", "? a",
                        " a", '"q"', "'q'"])
SEPARATORS = st.sampled_from([": ", ": ", ": ", ":  ", ":", " :", ":\t", ": \t", "::", ":x"])
TRAILERS = st.sampled_from(["", "", " ", "  ", " # c", "  # a: b", "#c", " #", "\t", " \t", "\xa0"])
OTHER_LINES = st.sampled_from([
    "", " ", "# comment", "  # indented comment", "#", "---", "--- # c", "---x", "--- a: 1", "...", "%YAML 1.1",
    "  continued", "\tcontinued", "- item", "? a", "a: [1, 2]", "a: {b: 1}", "  b: 1", "a: &x 1", "b: *x",
    "<<: {c: 1}", "a: |", "a: >-", "  block", "a: !!str 1", "[a, b]", "plain", "'q': 1", '"q": 1', "a: b: c",
])

text = st.text(CHARS, max_size=10)
words = st.lists(st.sampled_from([*"abyné ,.-_'\"#:", " #", ": "]), min_size=1, max_size=12).map("".join)
plain = st.one_of(st.sampled_from(LOOKALIKES), words, text, st.builds(str.__add__, st.sampled_from(LOOKALIKES), text))
double = st.builds(lambda s: f'"{s}"', st.lists(st.one_of(st.sampled_from(
    ["\\\\", '\\"', "\\n", "\\t", "\\/", "\\b", "\\f", "\\r", "\\0", "\\a", "\\e", "\\N", "\\_", "\\x41",
     "\\u00e9", "\\u00E9", "\\u0000", "\\u2028", "\\ufeff", "\\ud83d\\ude00", "\\uD800", "\\udfff", "\\u12",
     "\\uZZZZ", "\\U0001F600", "\\ ", "\\", "'", "#", " #", ": ", "''"]), text),
    max_size=4).map("".join))
single = st.builds(lambda s: f"'{s}'", st.lists(st.one_of(st.sampled_from(["''", "'", '"', "\\", " #"]), text),
                                                max_size=4).map("".join))
written_as_json = st.builds(json.dumps, st.text(max_size=12), ensure_ascii=st.booleans())
values = st.one_of(plain, st.sampled_from(QUOTED), double, single, written_as_json)
key_lines = st.builds(lambda k, s, v, t: k + s + v + t, KEYS, SEPARATORS, values, TRAILERS)


@st.composite
def documents(draw: st.DrawFn, lines: st.SearchStrategy[str]) -> str:
    body = draw(st.lists(lines, max_size=8))
    eol = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "\u2028"]))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    return bom + eol.join(body) + draw(st.sampled_from(["", eol, eol * 2]))


@FUZZ
@given(doc=documents(st.one_of(key_lines, key_lines, OTHER_LINES)))
def test_any_document_is_read_as_pyyaml_reads_it_or_refused(doc: str) -> None:
    check(doc)


# Well-formed lines with any value: most documents are read, and their values compared.
NAMES = ["summary", "origin", "reach", "hours_since_surfaced", "who_died", "a", "b", "_x", "Key_2", "yess", "nulls"]
flat_lines = st.lists(st.one_of(
    st.builds(lambda k, v, t: f"{k}: {v}{t}", st.sampled_from(NAMES), values, st.sampled_from(["", " ", " # c"])),
    st.sampled_from(["", "# c", "  # c"])), max_size=5)


@st.composite
def flat_documents(draw: st.DrawFn) -> str:
    lines = list({line.partition(":")[0]: line for line in draw(flat_lines)}.values())  # each key once
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    start = draw(st.sampled_from(["", "---" + eol, "\ufeff", "# incident" + eol]))
    return start + eol.join(lines) + draw(st.sampled_from(["", eol]))


@FUZZ
@given(doc=flat_documents())
def test_flat_documents_are_read_as_pyyaml_reads_them(doc: str) -> None:
    check(doc)


@FUZZ
@given(start=st.sampled_from(["", "a: ", "a: '", 'a: "']), rest=st.text(st.one_of(CHARS, st.characters()), max_size=40))
def test_any_text_is_read_as_pyyaml_reads_it_or_refused(start: str, rest: str) -> None:
    check(start + rest)


@pytest.mark.parametrize(("written", "expected"), [
    ("", None), ("~", None), ("null", None), ("Null", None), ("NULL", None), ("# c", None),
    ("true", True), ("True", True), ("TRUE", True), ("yes", True), ("Yes", True), ("on", True), ("ON", True),
    ("false", False), ("False", False), ("no", False), ("NO", False), ("off", False), ("Off", False),
    ("y", "y"), ("n", "n"), ("N", "N"), ("tRUE", "tRUE"), ("oN", "oN"), ("nULL", "nULL"), ("None", "None"),
    ("nan", "nan"), ("inf", "inf"),
    ("0", 0), ("-0", 0), ("3", 3), ("-12", -12), ("3 # hours", 3), ("12345678901234567890", 12345678901234567890),
    ("1.", 1.0), ("1.5", 1.5), ("-1.5", -1.5), ("01.5", 1.5),
    ('"yes"', "yes"), ("'3'", "3"), ('""', ""), ("''", ""), ('"a\\"b\\\\c\\nd\\te\\/f"', 'a"b\\c\nd\te/f'),
    ('"\\u00e9t\\u00C9 \\b\\f\\r \\u0000"', "étÉ \b\f\r \x00"),
    ("'It''s'", "It's"), ("'a\\nb'", "a\\nb"), ('"a #b" # c', "a #b"), ("'a: b'", "a: b"),
    ("growing", "growing"), ("a video, spreading", "a video, spreading"), ("x#y", "x#y"), ("x:y", "x:y"),
    ("http://example.com/a#b", "http://example.com/a#b"), ("it's \"so\"", "it's \"so\""), ("x  y  ", "x  y"),
    ("Jean Dupont # the name", "Jean Dupont"), ("éte\xa0", "éte\xa0"), ("x]", "x]"),
])
def test_what_is_read(written: str, expected: Any) -> None:
    doc = f"answer: {written}\n"
    assert parse_flat(doc) is not None, written
    data, _ = parse_flat(doc) or ({}, {})
    assert same(data, {"answer": expected}) and same(data, yaml.safe_load(doc))


@pytest.mark.parametrize("written", [
    "+1", "+0", "00", "017", "09", "0o17", "0x1F", "0b101", "1_000", "1:30", ".5", "-.5", "1e3", "1.0e+3", "1_0.5",
    ".inf", "-.inf", ".nan", "2024-01-01", "2024-01-01 10:00:00", "<<", "=", "-", "-x", "? x", ":x", "[a]", "{a: 1}",
    "&a x", "*a", "!!str 1", "|", ">", "%x", "@x", "`x", ",x", "x: y", "x:", '"\\x41"', '"\\ "', '"\\e"', '"\\N"',
    '"\\0"', '"\\ud83d\\ude00"', '"\\uD800"', '"\\u00e"', '"\\U0001F600"',
    '"a"b', '"a"#c', "'a' x", "'a", "9" * 101, "x\ty", "x\u2028y", "x\x85y", "x\x00y", "x\ufeffy",
])
def test_what_is_refused(written: str) -> None:
    assert parse_flat(f"answer: {written}\n") is None


@pytest.mark.parametrize("doc", [
    "", "# only a comment\n", "a: 1\na: 2\n", "yes: 1\n", "null: 1\n", "a : 1\n", "a:1\n", " a: 1\n", "\ta: 1\n",
    "a: x\n  y\n", "a:\n  b: 1\n", "a:\n- 1\n", "- a\n", "a: 1\n---\nb: 2\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n",
    "---\n---\na: 1\n", "--- a\n", "a: 1\rb: 2\n", f"{'k' * 101}: 1\n", "a: " + "[" * 65 + "\n",
    "a: x" + "[" * 65 + "\n", "a: x" + "{" * 40 + "\nb: '" + "[" * 25 + "'\n",
    "".join(f"k{i}: {i}\n" for i in range(10_001)),
])
def test_documents_refused(doc: str) -> None:
    assert parse_flat(doc) is None


def test_positions_are_where_pyyaml_puts_the_values() -> None:
    doc = "\ufeff--- # incident\n# comment\n\nsummary:   'x'  # c\r\nreach:\nhours: 3\nnote: # none\n"
    data, where = parse_flat(doc) or ({}, {})
    assert data == {"summary": "x", "reach": None, "hours": 3, "note": None}
    assert where == {"summary": (4, 12), "reach": (5, 7), "hours": (6, 8), "note": (7, 6)}
    assert assert_agrees(doc)
