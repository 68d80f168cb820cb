"""Anchors in a text: which of the literals the check patterns must contain occur, and where.

A check pattern only runs where it can match: each has anchors, literals one of which any
match contains (`patterns.anchors`). `Gate` finds, in one pass over a text, every anchor of
all the checks that occurs in it; `Occurrences` keeps that for one text and gives the
stretches around an anchor's occurrences where a pattern is worth running on a long text.
"""

from __future__ import annotations

import re

from playbook.core.draftmodel import AnchorIndex
from playbook.rulebase import regexes

# How far a match may reach from the anchor that let it run (see `Occurrences.windows`).
REACH = 240


class Gate:
    """The anchors of a set of checks, all found in a text in one pass.

    One regular expression, a trie of every anchor, is tried at each position of the text
    (the lookahead lets occurrences overlap); it finds the longest anchor that starts there,
    and the anchors it begins with start there too. Much cheaper than asking of each of a
    thousand anchors whether the text contains it: a short draft is checked in a fraction
    of a millisecond.
    """

    def __init__(self, index: AnchorIndex) -> None:
        self.regex = regexes.compile(index.source, re.DOTALL) if index.source else None
        self.starts = index.starts

    @classmethod
    def of(cls, literals: frozenset[str]) -> Gate:
        from playbook.rulebase.patterns import anchor_index  # the rule base's gates come built

        return cls(anchor_index(literals))

    def present(self, lowered: str) -> set[str]:
        found: set[str] = set()
        if self.regex is not None:
            starts = self.starts
            for m in self.regex.finditer(lowered):
                word = m.group(1)
                found.add(word)
                if word in starts:
                    found.update(starts[word])
        return found


class Occurrences:
    """Which anchors occur in one lowercased text, and where, found once for all checks."""

    MANY = 64  # more occurrences than this: the windows would cover the text, search it whole

    def __init__(self, lowered: str, anchors: Gate) -> None:
        self.lowered = lowered
        self.present = anchors.present(lowered)
        self._at: dict[str, list[int] | None] = {}

    def any(self, words: tuple[str, ...]) -> bool:
        return not self.present.isdisjoint(words)

    def _of(self, word: str) -> list[int] | None:
        """Where the word occurs; None if more than MANY times."""
        if word in self._at:
            return self._at[word]
        found: list[int] | None = []
        find, i = self.lowered.find, self.lowered.find(word)
        while i >= 0 and found is not None:
            found.append(i)
            if len(found) > self.MANY:
                found = None
            else:
                i = find(word, i + 1)
        self._at[word] = found
        return found

    def windows(self, words: tuple[str, ...]) -> list[tuple[int, int]] | None:
        """The stretches of text around each occurrence of one of the words, merged (None: the
        whole text). A match contains an anchor, so it lies in one of them unless it reaches
        more than REACH characters beyond it. Searching these instead of the whole text keeps
        a long draft fast: most anchors are rare."""
        n = len(self.lowered)
        if n <= 2 * REACH:
            return None
        found: list[int] = []
        for w in words:
            at = self._of(w)
            if at is None:
                return None
            found += at
        out: list[tuple[int, int]] = []
        for i in sorted(found):
            a, b = max(0, i - REACH), min(n, i + REACH)
            if out and a <= out[-1][1]:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
        return out
