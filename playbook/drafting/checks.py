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
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from playbook.core.draftmodel import Channel, Check, CheckLanguage
from playbook.core.model import RuleBase
from playbook.drafting.scope import Scope, cue_regex, voided
from playbook.rulebase.patterns import anchors, regex_source

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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class _Matcher:
    """One check's patterns in one language: anchored ones run only when an anchor occurs."""

    anchored: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]  # anchors, anchors, regex source
    rest: re.Pattern[str] | None


@lru_cache(maxsize=512)
def _matcher(patterns: tuple[str, ...]) -> _Matcher:
    anchored, rest = [], []
    for p in patterns:
        found = anchors(p)
        if found:
            # The two most selective groups make a good enough filter; more tests cost more than they save.
            best = sorted(found, key=lambda g: -min(map(len, g)))
            anchored.append((best[0], best[1] if len(best) > 1 else best[0], regex_source(p)))
        else:
            rest.append(f"(?:{regex_source(p)})")
    return _Matcher(tuple(anchored), re.compile("|".join(rest), re.IGNORECASE) if rest else None)


def normalise(text: str) -> str:
    for old, new in _NORMAL:
        if old in text:
            text = text.replace(old, new)
    return text


@lru_cache(maxsize=2048)
def _compiled(source: str) -> re.Pattern[str]:
    """Compiled on the first draft that has the pattern's anchors: most never are."""
    return re.compile(source, re.IGNORECASE)


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _spans(regex: re.Pattern[str], text: str, first: bool = False) -> list[tuple[int, int]]:
    """Matches that neither start nor end inside a word (`sale` is not in `wholesale`)."""
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while (m := regex.search(text, pos)) is not None:
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


def _matches(patterns: tuple[str, ...], normal: str, lowered: str, first: bool = False) -> list[tuple[int, int]]:
    """Spans matched by any of the patterns, overlaps merged into the first (longest) one.

    `first`: stop at the first match (a check for something absent needs no more).
    """
    matcher = _matcher(patterns)
    spans: list[tuple[int, int]] = []
    for words, more, regex in matcher.anchored:
        # Plain loops: this filter runs for every pattern on every draft of a batch.
        for w in words:
            if w in lowered:
                break
        else:
            continue
        for w in more:
            if w in lowered:
                break
        else:
            continue
        spans += _spans(_compiled(regex), normal, first)
        if first and spans:
            return spans
    if matcher.rest is not None:
        spans += _spans(matcher.rest, normal, first)
    spans.sort(key=lambda sp: (sp[0], -sp[1]))
    kept: list[tuple[int, int]] = []
    for s, e in spans:
        if not kept or s >= kept[-1][1]:
            kept.append((s, e))
    return kept


def applies(check: Check, *, sensitive: bool, facts_unknown: bool) -> bool:
    return all(sensitive if flag == "sensitive" else facts_unknown for flag in check.when)


def run_check(check: Check, text: str, lang: str, normal: str | None = None, lowered: str | None = None,
              language: CheckLanguage | None = None, scope: Scope | None = None) -> list[Finding]:
    """One check on one text (its context is the caller's business).

    A match inside quotation marks, or after a negation in its clause, or after one of the
    check's `unless` phrases or before one of its `unless_after` phrases in its sentence (for
    checks that say so), is not a finding (see `scope`).
    """
    normal = normalise(text) if normal is None else normal
    lowered = normal.lower() if lowered is None else lowered
    spans = _matches(check.patterns[lang], normal, lowered, first=check.absent and not check.quoted)
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
    for check in rb.drafting.checks if rb.drafting else ():
        if applies(check, sensitive=sensitive, facts_unknown=facts_unknown):
            found.extend(run_check(check, text, lang, normal, lowered, language, scope))
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
           facts_unknown: bool = False, channel: Channel | None = None) -> dict[str, Any]:
    """`playbook check`'s result: the findings with their line and column, and the counts."""
    found = check_text(rb, text, lang, sensitive=sensitive, facts_unknown=facts_unknown, channel=channel)
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
