"""Regular expressions rebuilt from the cache are `re.compile`'s, and generated code is cached safely."""

from __future__ import annotations

import marshal
import re
from pathlib import Path

import pytest

from playbook.core.model import RuleBase
from playbook.drafting.scope import cue_regex
from playbook.rulebase import cache, regexes
from tests.helpers import ROOT

TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/drafting/golden").glob("*.txt"))[:40]]
TEXTS += ["We're sorry if anyone was offended. No comment. WE ARE LOOKING INTO IT!!!", "", "x" * 500]


def sources(rb: RuleBase) -> list[tuple[str, int]]:
    """Every regular expression the checks of the built-in rule base compile."""
    assert rb.drafting is not None
    found: list[tuple[str, int]] = []
    for check in rb.drafting.checks:
        for m in check.matchers.values():
            for _, _, (as_written, lowered) in m.anchored:
                found += [(as_written, re.IGNORECASE), (lowered or as_written, 0)]
            if m.rest is not None:
                found += [(m.rest[0], re.IGNORECASE), (m.rest[1] or m.rest[0], 0)]
    found += [(index.source, re.DOTALL) for index in rb.drafting.anchors.values()]
    return found


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(regexes, "_known", None)
    monkeypatch.setattr(regexes, "_new", False)
    return tmp_path / "cache"


def same(a: re.Pattern[str], b: re.Pattern[str], texts: list[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in texts:
        assert [m.span() for m in a.finditer(text.lower())] == [m.span() for m in b.finditer(text.lower())]
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]


def test_rebuilt_patterns_are_compiled_ones(rb: RuleBase, fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = sources(rb)[:120]  # the first ones: each is compared on forty drafts, twice
    first = [regexes.compile(s, f) for s, f in wanted]  # a miss: built from what `re` compiles to
    regexes.save()
    assert list(fresh.glob("regex-*.marshal"))
    monkeypatch.setattr(regexes, "_known", None)
    again = [regexes.compile(s, f) for s, f in wanted]  # a hit: rebuilt from the file
    assert regexes._known is not None and len(regexes._known) >= len(set(wanted))
    for (source, flags), a, b in zip(wanted, first, again, strict=True):
        reference = re.compile(source, flags)
        same(a, reference, TEXTS)
        same(b, reference, TEXTS)


def test_cue_regexes_go_through_the_cache(fresh: Path) -> None:
    pattern = cue_regex(("not", "never"))
    assert pattern is not None and pattern.search("we will never stop")
    assert regexes._known and any("never" in s for s, _ in regexes._known)


def test_a_damaged_regex_cache_is_compiled_anew(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regexes.compile(r"(?P<word>\w+) and", re.IGNORECASE)
    regexes.save()
    bad = marshal.dumps((0, [1, 2, 3], 0, {}, ()))
    monkeypatch.setattr(regexes, "_known", {(r"(?P<word>\w+) and", int(re.IGNORECASE)): bad})
    rebuilt = regexes.compile(r"(?P<word>\w+) and", re.IGNORECASE)  # the engine refuses that code
    assert rebuilt.search("Salt AND pepper").group("word") == "Salt"
    for path in fresh.glob("regex-*"):
        path.write_bytes(b"garbage")
    monkeypatch.setattr(regexes, "_known", None)
    assert regexes.compile("x+").match("xx")


def test_generated_code_is_cached_and_a_damaged_file_rebuilt(fresh: Path) -> None:
    source = "def f():\n    return 42\n"
    code = cache.compiled(source, "<test>")
    files = list(fresh.glob("code-*.marshal"))
    assert len(files) == 1
    assert cache.compiled(source, "<test>") == code  # from the file
    cache.write_bytes(files[0], b"not marshal data")
    namespace: dict[str, object] = {}
    exec(cache.compiled(source, "<test>"), namespace)
    assert namespace["f"]() == 42  # type: ignore[operator]
