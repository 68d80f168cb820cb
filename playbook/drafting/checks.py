"""Checks: lint a draft against the antipatterns of the rule base (`rules/checks.yaml`).

Pure: text in, findings out. Each finding has a level (error, warning, info), the span it
covers in characters (`[start, end)`, end exclusive; an empty span at the end of the text
for something missing), the matched text, a message and a suggestion, in the language of
the draft. Some checks apply only in a context: `sensitive` (a tragedy our audience lives
through) or `facts_unknown` (what happened is not established yet).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from playbook.core.draftmodel import AnchorIndex, Channel, Check, CheckLanguage, Matcher, Sources
from playbook.core.model import RuleBase
from playbook.core.record import record
from playbook.drafting.anchors import Gate, Occurrences
from playbook.drafting.scope import Scope, cue_regex, voided
from playbook.rulebase import regexes

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}
# Curly apostrophes and non-breaking spaces match like their plain forms; one character
# each, so the spans found in the normalised text are the spans of the original.
_NORMAL = (("’", "'"), ("\u00a0", " "), ("\u202f", " "))
OVER_LIMIT = {
    "en": ("Over the {channel} limit: {chars} characters for {limit}.",
           "Cut {over} characters: keep the apology or the facts and the next step; put the rest "
           "on your website and link to it."),
    "fr": ("Dépasse la limite de {channel} : {chars} caractères pour {limit}.",
           "Retirez {over} caractères : gardez les excuses ou les faits et la suite ; mettez le reste "
           "sur votre site et renvoyez-y."),
}


@record
class Finding:
    check: str
    level: str
    start: int
    end: int
    match: str
    message: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "level": self.level, "span": [self.start, self.end],
                "match": self.match, "message": self.message, "suggestion": self.suggestion}


_CASED = "(?-i:"  # a case-sensitive part (a bare slot word: NAME, DATE)


@lru_cache(maxsize=512)
def _matcher(patterns: tuple[str, ...]) -> Matcher:
    """Patterns not of the rule base's checks (theirs are ready in `Check.matchers`)."""
    from playbook.rulebase.patterns import matcher  # analysing patterns is the rule base build's work

    return matcher(patterns)


def _matcher_of(check: Check, lang: str) -> Matcher:
    found = check.matchers.get(lang)
    return found if found is not None else _matcher(check.patterns[lang])


def normalise(text: str) -> str:
    for old, new in _NORMAL:
        if old in text:
            text = text.replace(old, new)
    return text


@lru_cache(maxsize=4096)
def _compiled(source: str, lowered: bool) -> re.Pattern[str]:  # `source` as the `lowered` flag says
    """Compiled on the first draft that has the pattern's anchors: most never are.

    `lowered`: for the lowercased text, without IGNORECASE. The regular-expression engine
    skips ahead on a pattern's first characters only when it matches case-sensitively, so
    this is several times faster; patterns with a case-sensitive part run on the text as it is.
    """
    return regexes.compile(source) if lowered else regexes.compile(source, re.IGNORECASE)


_GATES: dict[tuple[tuple[str, ...], ...], Gate] = {}


def gate(patterns: tuple[tuple[str, ...], ...], matchers: Sequence[Matcher] | None = None) -> Gate:
    """The gate of the anchors of these checks' patterns (one tuple of patterns per check;
    `matchers`: theirs, when ready)."""
    found = _GATES.get(patterns)
    if found is None:
        ready = matchers if matchers is not None else [_matcher(p) for p in patterns]
        found = Gate.of(frozenset(w for m in ready for words, more, _ in m.anchored for w in (*words, *more)))
        if len(_GATES) >= 64:
            _GATES.clear()
        _GATES[patterns] = found
    return found


_LANGUAGE_GATES: dict[int, tuple[AnchorIndex, Gate]] = {}


def _language_gate(index: AnchorIndex) -> Gate:
    """The gate of every check of a language (built with the rule base: anchors of checks that
    do not apply are found too, and ignored)."""
    known = _LANGUAGE_GATES.get(id(index))
    if known is None or known[0] is not index:
        if len(_LANGUAGE_GATES) >= 16:
            _LANGUAGE_GATES.clear()
        known = _LANGUAGE_GATES[id(index)] = (index, Gate(index))
    return known[1]


def _search(sources: Sources, normal: str, lowered: str, first: bool,
            windows: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    source, for_lowered = sources
    if _CASED in source or len(lowered) != len(normal):  # lower() changed a length: search as is
        regex, text = _compiled(source, False), normal
    else:
        regex, text = _compiled(source if for_lowered is None else for_lowered, True), lowered
    if windows is None:
        return _spans(regex, text, first)
    spans: list[tuple[int, int]] = []
    for a, b in windows:
        spans += _spans(regex, text, first, a, b)
        if first and spans:
            break
    return spans


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _spans(regex: re.Pattern[str], text: str, first: bool = False, start: int = 0,
           stop: int | None = None) -> list[tuple[int, int]]:
    """Matches that neither start nor end inside a word (`sale` is not in `wholesale`), in
    `text[start:stop]` (lookbehinds still see what comes before `start`)."""
    out: list[tuple[int, int]] = []
    pos, n = start, len(text)
    end = n if stop is None else stop
    while (m := regex.search(text, pos, end)) is not None:
        s, e = m.span()
        inside = (0 < s < n and _word(text[s - 1]) and _word(text[s])) or (
            0 < e < n and _word(text[e - 1]) and _word(text[e]))
        if s < e and not inside:
            out.append((s, e))
            if first:
                break
            pos = e
        else:
            pos = s + 1
    return out


def _matches(patterns: tuple[str, ...], normal: str, lowered: str, first: bool = False,
             occurrences: Occurrences | None = None, ready: Matcher | None = None) -> list[tuple[int, int]]:
    """Spans matched by any of the patterns, overlaps merged into the first (longest) one.

    `first`: stop at the first match (a check for something absent needs no more).
    """
    matcher = ready if ready is not None else _matcher(patterns)
    seen = occurrences if occurrences is not None and occurrences.lowered is lowered else \
        Occurrences(lowered, gate((patterns,), [matcher]))
    spans: list[tuple[int, int]] = []
    index = matcher.index
    # Only the patterns one of whose anchors occurs: found from the anchors, not pattern by pattern.
    for i in sorted({i for w in seen.present.intersection(index) for i in index[w]}):
        words, more, regex = matcher.anchored[i]
        if more is not words and not seen.any(more):
            continue
        spans += _search(regex, normal, lowered, first, seen.windows(words))
        if first and spans:
            return spans
    if matcher.rest is not None:
        spans += _search(matcher.rest, normal, lowered, first)
    spans.sort(key=lambda sp: (sp[0], -sp[1]))
    kept: list[tuple[int, int]] = []
    for s, e in spans:
        if not kept or s >= kept[-1][1]:
            kept.append((s, e))
    return kept


def applies(check: Check, *, sensitive: bool, facts_unknown: bool) -> bool:
    return all(sensitive if flag == "sensitive" else facts_unknown for flag in check.when)


def run_check(check: Check, text: str, lang: str, normal: str | None = None, lowered: str | None = None,
              language: CheckLanguage | None = None, scope: Scope | None = None,
              occurrences: Occurrences | None = None) -> list[Finding]:
    """One check on one text (its context is the caller's business).

    A match inside quotation marks, or after a negation in its clause, or after one of the
    check's `unless` phrases or before one of its `unless_after` phrases in its sentence (for
    checks that say so), is not a finding (see `scope`).
    """
    normal = normalise(text) if normal is None else normal
    lowered = normal.lower() if lowered is None else lowered
    spans = _matches(check.patterns[lang], normal, lowered, first=check.absent and not check.quoted,
                     occurrences=occurrences, ready=_matcher_of(check, lang))
    negation = cue_regex(tuple((language or CheckLanguage()).negation.get(lang, ()))) if check.negatable else None
    unless = cue_regex(tuple(check.unless.get(lang, ())))
    after = cue_regex(tuple(check.unless_after.get(lang, ())))
    if spans and (not check.quoted or negation is not None or unless is not None or after is not None):
        scope = scope or Scope(normal)
        spans = [(s, e) for s, e in spans
                 if not voided(scope, s, e, quoted_ok=check.quoted, negation=negation, unless=unless,
                               unless_after=after)]
    message, suggestion = check.message.get(lang), check.suggestion.get(lang)
    if check.absent:
        return [] if spans else [Finding(check.id, check.level, len(text), len(text), "", message, suggestion)]
    return [Finding(check.id, check.level, s, e, text[s:e], message, suggestion) for s, e in spans]


def check_text(rb: RuleBase, text: str, lang: str, *, sensitive: bool = False, facts_unknown: bool = False,
               channel: Channel | None = None) -> list[Finding]:
    """Every finding on a draft, in reading order (errors first at the same place)."""
    found: list[Finding] = []
    normal = normalise(text)
    lowered = normal.lower()
    language = rb.drafting.language if rb.drafting else CheckLanguage()
    scope = Scope(normal)
    applied = [c for c in rb.drafting.checks if applies(c, sensitive=sensitive, facts_unknown=facts_unknown)] \
        if rb.drafting else []
    index = rb.drafting.anchors.get(lang) if rb.drafting else None
    occurrences = Occurrences(lowered, _language_gate(index) if index is not None else
                              gate(tuple(c.patterns[lang] for c in applied), [_matcher_of(c, lang) for c in applied]))
    for check in applied:
        found.extend(run_check(check, text, lang, normal, lowered, language, scope, occurrences))
    if channel is not None and channel.limit is not None and channel.length(text) > channel.limit:
        found.append(_over_limit(text, lang, channel, channel.limit))
    found.sort(key=lambda f: (f.start, LEVEL_ORDER.get(f.level, 3), f.check))
    return found


def _over_limit(text: str, lang: str, channel: Channel, limit: int) -> Finding:
    """Spans what does not fit: from the first character past the limit, as the channel counts."""
    length = channel.length(text)
    low, high = 0, len(text)  # the longest prefix that fits (prefix lengths only grow)
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if channel.length(text[:mid]) <= limit else (low, mid - 1)
    start = low
    message, suggestion = OVER_LIMIT["fr" if lang == "fr" else "en"]
    values = {"channel": channel.label.get(lang), "chars": length, "limit": limit, "over": length - limit}
    return Finding("over_limit", "error", start, len(text), text[start:],
                   message.format(**values), suggestion.format(**values))


def has_errors(findings: Sequence[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


class Lines:
    """1-based line and column of character offsets, by binary search over the line starts:
    linear in the text however many findings it has."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset (for `file:line:col` messages)."""
    return Lines(text).position(offset)


def report(rb: RuleBase, text: str, label: str, lang: str, *, sensitive: bool = False,
           facts_unknown: bool = False, channel: Channel | None = None,
           extra: Sequence[Finding] = ()) -> dict[str, Any]:
    """`playbook check`'s result: the findings with their line and column, and the counts.

    `extra`: findings found elsewhere (a contradiction with an incident's approved messages)."""
    found = check_text(rb, text, lang, sensitive=sensitive, facts_unknown=facts_unknown, channel=channel)
    if extra:
        found = sorted([*found, *extra], key=lambda f: (f.start, LEVEL_ORDER.get(f.level, 3), f.check))
    items = []
    lines = Lines(text)
    for f in found:
        line, col = lines.position(f.start)
        items.append({**f.to_dict(), "line": line, "col": col})
    return {
        "file": label, "lang": lang, "context": {"sensitive": sensitive, "facts_unknown": facts_unknown},
        "channel": channel.id if channel else None, "chars": channel.length(text) if channel else len(text),
        "limit": channel.limit if channel else None, "findings": items,
        "counts": {level: sum(1 for f in found if f.level == level) for level in LEVEL_ORDER},
    }
