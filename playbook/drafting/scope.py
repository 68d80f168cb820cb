"""Where a match stands in its text: its sentence, whether it is quoted, what comes around it.

A phrase is not a problem everywhere it occurs. "This wasn't anyone else's fault" denies the
blame the phrase would shift; "We've cancelled the sale" removes the promotion it names;
'We won't hide behind "no comment"' quotes the phrase to reject it; "All discount codes are
switched off" withdraws what it names after naming it. The checks therefore ask, for each
match: is it inside quotation marks (reported or rejected speech)? does a negation come
before it in its clause? does one of the check's `unless` phrases come before it in its
sentence, or one of its `unless_after` phrases after it? All linear: the sentence and
quote boundaries are found once per text.

- A sentence ends at `.`, `!`, `?` or `…` followed by a space, or at a line break. A `;`
  does not end it: "we won't comment while the inquiry runs; we will publish its findings
  by 30 June" is one limit with its date.
- A clause, for negation, ends at a comma, `;`, `:`, a dash, a bracket, or a conjunction
  that turns the sentence ("but", "however", "mais"...): in "We don't know the cause yet,
  but it was probably the update" the "don't" does not reach "probably", and in « Pour ne
  plus jamais être pris au dépourvu, découvrez notre offre » the "jamais" does not reach
  the offer.
- A quotation is text in “…”, "…" or « … » (up to 400 characters on one line). A
  quotation introduced by a colon ('please use word for word: "We have no statement"',
  « répondez : « La société ne fait aucune déclaration » ») is a line the text hands out,
  so it is checked like the rest.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from playbook.rulebase import regexes
from playbook.rulebase.patterns import regex_source

_SENTENCE_END = regexes.compile(r"[.!?…]+[\"”»’')\]]*(?:\s+|$)|\n+")
_QUOTES = regexes.compile(r"“[^”\n]{0,400}”|«[^»\n]{0,400}»|\"[^\"\n]{0,400}\"")
_CLAUSE_END = regexes.compile(
    r"[,;:—–()]|(?<!\w)(?:but|however|although|though|whereas|mais|cependant|pourtant|toutefois|bien que|alors que)"
    r"(?!\w)", re.IGNORECASE)
_INTRODUCED = regexes.compile(r":\s*$")


class Scope:
    """One text's sentences and quotations, for asking about many matches."""

    def __init__(self, normal: str) -> None:
        self.normal = normal
        self.starts = [0, *(m.end() for m in _SENTENCE_END.finditer(normal))]
        self.quotes = [m.span() for m in _QUOTES.finditer(normal)
                       if not _INTRODUCED.search(normal[max(0, m.start() - 40):m.start()])]
        self._quote_starts = [s for s, _ in self.quotes]

    def before(self, start: int) -> str:
        """The text of the match's sentence that comes before it."""
        i = bisect.bisect_right(self.starts, start) - 1
        return self.normal[self.starts[i]:start]

    def after(self, end: int) -> str:
        """The text of the match's sentence that comes after it."""
        i = bisect.bisect_right(self.starts, max(end - 1, 0))
        stop = self.starts[i] if i < len(self.starts) else len(self.normal)
        return self.normal[end:max(stop, end)]

    def clause(self, start: int) -> str:
        """The text of the match's clause that comes before it (where a negation reaches it)."""
        before = self.before(start)
        cut = 0
        for m in _CLAUSE_END.finditer(before):
            cut = m.end()
        return before[cut:]

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
        tail = r"(?:(?!\w)|(?<='))"  # `n'`, `qu'` bind to the next word
        parts.append(f"{head}(?:{source}){tail}")
    return regexes.compile("|".join(parts), re.IGNORECASE)


def voided(scope: Scope, start: int, end: int, *, quoted_ok: bool, negation: re.Pattern[str] | None,
           unless: re.Pattern[str] | None, unless_after: re.Pattern[str] | None = None) -> bool:
    """Is this match not the problem its check looks for, by where it stands?"""
    if not quoted_ok and scope.quoted(start, end):
        return True
    if negation is not None and negation.search(scope.clause(start)):
        return True
    if unless is not None and unless.search(scope.before(start)):
        return True
    return unless_after is not None and unless_after.search(scope.after(end)) is not None
