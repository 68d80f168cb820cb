"""Regular expressions of the checks, compiled once per machine rather than once per run.

Python parses and compiles a regular expression in Python code: the few dozen a draft's
checks need (word families make them long) cost a single `playbook triage` ~30 ms, more than
everything else it does. What `re` compiles them to — the engine's code, a list of integers,
and the group names — is plain data: kept in the cache directory (see `cache`: owner-checked,
digest-checked, keyed by the exact Python version), a pattern is rebuilt from it by the
regular-expression engine itself, without parsing. Anything unusual (another Python, a
damaged file, an engine that refuses the code) falls back to `re.compile`, which is always
right; tests/rulebase/test_regexes.py holds the rebuilt patterns to `re.compile`'s.
"""

from __future__ import annotations

import marshal
import re
import sys

from playbook.rulebase import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = "1"
MAX_ENTRIES = 4000  # patterns kept (the built-in checks need a few hundred per language)

# (source, flags) -> what rebuilds it, marshalled on its own: loading the cache costs a copy of
# bytes, and only the patterns a run uses are decoded (a run uses a few dozen of hundreds).
_known: dict[tuple[str, int], bytes] | None = None
_new = False


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, rebuilt from the cache when it has this pattern."""
    flags = int(flags)  # not a RegexFlag: the cache holds plain data
    known = _load()
    packed = known.get((source, flags))
    try:
        parts = marshal.loads(packed) if packed is not None else None
    except (ValueError, EOFError, TypeError):
        parts = None
    if not isinstance(parts, tuple):
        parts = _parts(source, flags)
        if parts is None:
            return re.compile(source, flags)
        _remember((source, flags), parts)
    try:
        import _sre  # type: ignore[import-not-found,unused-ignore]

        pattern: re.Pattern[str] = _sre.compile(source, *parts)
        return pattern
    except Exception:
        cache.debug(f"regular expression {source[:40]!r}... not rebuilt; compiling it")
        return re.compile(source, flags)


def _parts(source: str, flags: int) -> tuple[Any, ...] | None:
    """What `re` compiles `source` to: flags, code, groups, group index (None if unknown here)."""
    try:
        if sys.version_info >= (3, 11):
            from re import _compiler, _parser
        else:  # pragma: no cover - Python 3.10
            import sre_compile as _compiler
            import sre_parse as _parser
        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)  # type: ignore[attr-defined]
        state = parsed.state
        index: list[str | None] = [None] * state.groups
        for name, i in state.groupdict.items():
            index[i] = name
        return (int(flags | state.flags), [int(c) for c in code], state.groups - 1, dict(state.groupdict),
                tuple(index))
    except Exception:
        return None


def _path() -> Any:
    tag = f"{sys.version}\0{sys.implementation.cache_tag}\0{FORMAT}".encode()
    return cache.cache_file(f"regex-{cache.sha256(tag).hexdigest()[:32]}.marshal")


def _load() -> dict[tuple[str, int], bytes]:
    global _known
    if _known is None:
        data = cache.read_bytes(_path())
        try:
            loaded = marshal.loads(data) if data is not None else {}
        except (ValueError, EOFError, TypeError):
            loaded = {}
        _known = loaded if isinstance(loaded, dict) else {}
    return _known


def _remember(key: tuple[str, int], parts: tuple[Any, ...]) -> None:
    global _new
    known = _load()
    if len(known) >= MAX_ENTRIES:
        known.clear()
    known[key] = marshal.dumps(parts)
    if not _new:
        _new = True
        import atexit

        atexit.register(save)


def save() -> None:
    """Write the patterns compiled in this run to the cache (at exit; a race only loses some)."""
    global _new
    if _new and _known is not None:
        try:
            cache.write_bytes(_path(), marshal.dumps(_known))
        except ValueError:  # pragma: no cover - something not plain data: keep no cache
            cache.debug("regular expressions not cached (not plain data)")
        _new = False
