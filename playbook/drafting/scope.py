"""Where a match stands in its text: its sentence, whether it is quoted, what comes before it.

A phrase is not a problem everywhere it occurs. "This wasn't anyone else's fault" denies the
blame the phrase would shift; "We've cancelled the sale" removes the promotion it names;
'We won't hide behind "no comment"' quotes the phrase to reject it. The checks therefore ask,
for each match: is it inside quotation marks (reported or rejected speech)? does a negation
come before it in its sentence? does one of the check's `unless` phrases? All linear: the
sentence and quote boundaries are found once per text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from playbook.rulebase.patterns import regex_source

_SENTENCE_END = re.compile(r"[.!?;…]+[\"”»’')\]]*(?:\s+|$)|\n+")
_QUOTES = re.compile(r"“[^”\n]{0,400}”|«[^»\n]{0,400}»|\"[^\"\n]{0,400}\"")


class Scope:
    """One text's sentences and quotations, for asking about many matches."""

    def __init__(self, normal: str) -> None:
        self.normal = normal
        self.starts = [0, *(m.end() for m in _SENTENCE_END.finditer(normal))]
        self.quotes = [m.span() for m in _QUOTES.finditer(normal)]
        self._quote_starts = [s for s, _ in self.quotes]

    def before(self, start: int) -> str:
        """The text of the match's sentence that comes before it."""
        i = bisect.bisect_right(self.starts, start) - 1
        return self.normal[self.starts[i]:start]

    def quoted(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._quote_starts, start) - 1
        return i >= 0 and self.quotes[i][0] < start and end <= self.quotes[i][1]


@lru_cache(maxsize=256)
def cue_regex(phrases: Sequence[str]) -> re.Pattern[str] | None:
    """Any of the phrases as whole words (`\\w+n't` and `n'` may touch the word they bind to)."""
    if not phrases:
        return None
    parts = []
    for phrase in phrases:
        source = regex_source(phrase)
        head = "" if phrase.startswith("\\w") else r"(?<!\w)"
        tail = "" if phrase.endswith("'") else r"(?!\w)"
        parts.append(f"{head}(?:{source}){tail}")
    return re.compile("|".join(parts), re.IGNORECASE)


def voided(scope: Scope, start: int, end: int, *, quoted_ok: bool, negation: re.Pattern[str] | None,
           unless: re.Pattern[str] | None) -> bool:
    """Is this match not the problem its check looks for, by where it stands?"""
    if not quoted_ok and scope.quoted(start, end):
        return True
    if negation is None and unless is None:
        return False
    before = scope.before(start)
    return bool((negation is not None and negation.search(before)) or (unless is not None and unless.search(before)))
