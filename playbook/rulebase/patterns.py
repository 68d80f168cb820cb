"""Phrase patterns of the checks: the regular expression matched, and its anchors.

A pattern is a Python regular expression written as a phrase: ` ?` is optional whitespace,
any other space a run of whitespace (so a non-breaking space too), `'` also matches `’`.
` ... ` is a gap of up to 60 characters inside one sentence (no `.`, `!`, `?`, `;` or line
break): "caused by ... {third_party}" finds "caused by staff shortages at our courier".
`{name}` stands for any form of a word family of `check_language.words` (expanded when the
rule base loads, so "{apology} if" reads "sorry if", "apologise if", "apologies if", ...).
Anchors are literals a match must contain: a draft without them is not searched at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from playbook.core.draftmodel import AnchorIndex, Matcher

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

# ` ... `: a separator, then optionally up to 60 characters of the same sentence ending in a
# separator. Bounded, so it cannot backtrack more than 60 steps per start.
GAP = r"(?:(?<=')|[^\w.!?;\n])(?:[^.!?;\n]{0,60}?[^\w.!?;\n])?"  # after `d'`, none needed
FAMILY = re.compile(r"(?<!\\)\{([a-z][a-z_]*)\}")


def regex_source(pattern: str) -> str:
    """A phrase pattern as the regular expression matched (`checks` keeps whole-word matches)."""
    return pattern.replace("’", "'").replace(" ... ", "\0").replace(" ?", r"\s*").replace(" ", r"\s+") \
        .replace("\0", GAP)


# A match neither starts nor ends inside a word. The end is said in the regular expression
# itself, so that the engine backtracks to another branch or length instead of giving up
# (`comment|commenting` must find "commenting", `by \d+` "by 15" whole); a start inside a
# word is skipped by the search, and by the expression itself only for patterns that can run
# along a word (a test at the start costs every position of the text a step).
_HEAD, _TAIL = r"(?:(?<!\w)|(?=\W))", r"(?:(?!\w)|(?<=\W))"


def whole(source: str) -> str:
    """The pattern held to whole words: at the end always; at the start too when it can run
    along a word (`x{3,}`, `\\d+`), which would otherwise make "xxxx…y" quadratic."""
    return f"{_HEAD if runs_over_words(source) else ''}(?:{source}){_TAIL}"


def matcher(patterns: Sequence[str]) -> Matcher:
    """Patterns ready to search: their anchors and regular expressions (analysed once, when the
    rule base is built: ~75 ms for the built-in checks of one language)."""
    anchored, rest = [], []
    for p in patterns:
        found = anchors(p)
        if found:
            # The two most selective groups make a good enough filter; more tests cost more than they save.
            best = sorted(found, key=lambda g: -min(map(len, g)))
            anchored.append((best[0], best[1] if len(best) > 1 else best[0], _sources(whole(regex_source(p)))))
        else:
            rest.append(whole(regex_source(p)))
    index: dict[str, list[int]] = {}
    for i, (words, _, _) in enumerate(anchored):
        for w in words:
            index.setdefault(w, []).append(i)
    return Matcher(tuple(anchored), _sources("|".join(rest)) if rest else None, {w: tuple(i) for w, i in index.items()})


def _sources(source: str) -> tuple[str, str | None]:
    lowered = lower_source(source)
    return source, None if lowered == source else lowered


def lower_source(source: str) -> str:
    """The regular expression for lowercased text: its literals lowercased, escapes kept (`\\S`)."""
    out, i = [], 0
    while i < len(source):
        if source[i] == "\\":
            out.append(source[i:i + 2])
            i += 2
        else:
            out.append(source[i].lower())
            i += 1
    return "".join(out)


def anchor_index(literals: frozenset[str]) -> AnchorIndex:
    """All these anchors in one trie-shaped regular expression (see `drafting.anchors.Gate`)."""
    trie: dict[str, Any] = {}
    for word in literals:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    starts: dict[str, tuple[str, ...]] = {}  # an anchor -> the other anchors it begins with
    for word in literals:
        node, found = trie, []
        for i, ch in enumerate(word):
            node = node[ch]
            if "" in node:
                found.append(word[:i + 1])
        if len(found) > 1:  # most begin with no other: not stored (a smaller cache, read faster)
            starts[word] = tuple(w for w in found if w != word)
    return AnchorIndex(f"(?=({_trie_source(trie)}))" if literals else "", starts)


def _trie_source(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_source(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def expand(pattern: str, words: Mapping[str, Sequence[str]]) -> str:
    """The pattern with each `{name}` replaced by its word family: `(?:form|form|...)`.

    Raises KeyError with the name of a family that is not defined.
    """
    def family(m: re.Match[str]) -> str:
        return "(?:" + "|".join(words[m.group(1)]) + ")"

    return FAMILY.sub(family, pattern)


def anchors(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Lowercase literals a match must contain: one of each group (empty: none can be told).

    A draft lacking any group cannot match, so the regular expression is not run: most
    patterns never run on most drafts (batch triage checks thousands of drafts a second).
    Read conservatively: only pieces that are not optional count; escapes, classes and
    spaces end a literal; a group stands for one of its branches' best literals.
    """
    branches = _split(pattern.replace("’", "'"))
    if len(branches) > 1:
        best = _best(pattern)
        return (best,) if best else ()
    groups = (_best(group) if group is not None else _literal(literal) for literal, group in _items(branches[0]))
    return tuple(g for g in groups if g)


def _best(pattern: str) -> tuple[str, ...] | None:
    """One set of literals of which any match contains one (the most selective found)."""
    branches = _split(pattern)
    if len(branches) > 1:
        found = [_best(b) for b in branches]
        return None if any(f is None for f in found) else tuple(sorted({w for f in found if f for w in f}))
    candidates = [g for g in anchors(pattern) if g]
    return max(candidates, key=lambda g: min(map(len, g)), default=None)


def _literal(run: str) -> tuple[str, ...] | None:
    word = run.lower()
    return (word,) if len(word) >= 2 or (word and not word.isalnum()) else None


def _structure(pattern: str, i: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth before it) of every character that is neither escaped
    nor inside a character class: what the pattern's grouping and alternation are made of."""
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(pattern, i) + 1
            continue
        yield i, ch, depth
        depth += (ch == "(") - (ch == ")")
        i += 1


def _split(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    cuts = [i for i, ch, depth in _structure(pattern) if ch == "|" and depth == 0]
    return [pattern[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)], strict=True)]


def _class_end(pattern: str, i: int) -> int:
    j = i + 1 + (pattern[i + 1:i + 2] == "^")
    j += pattern[j:j + 1] == "]"
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j


def _items(branch: str) -> list[tuple[str, str | None]]:
    """The mandatory pieces of one branch: literal runs `(run, None)`, groups `("", inner)`."""
    items: list[tuple[str, str | None]] = []
    run, i = "", 0
    while i < len(branch):
        ch = branch[i]
        if ch == "(":
            end = _group_end(branch, i)
            inner = branch[i + 1:end]
            optional = branch[end + 1:end + 2] in ("?", "*") or branch[end + 1:end + 3] in ("{0", "{,")
            if inner.startswith("?:"):
                inner = inner[2:]
            elif inner.startswith("?"):  # a lookaround or a flag: no text of its own
                optional = True
            items.append((run, None))
            items.append(("", None if optional else inner))
            run, i = "", end + 1
            continue
        if ch in "?*" or (ch == "{" and branch[i + 1:i + 2] in ("0", ",")):
            run = run[:-1]  # the character before is optional
        if ch == "{":
            i = max(i, branch.find("}", i))
        elif ch == "[":
            i = _class_end(branch, i)
        elif ch == "\\":
            i += 1
        if ch in "?*{[\\+.^$" or ch.isspace():
            items.append((run, None))
            run = ""
        else:
            run += ch
        i += 1
    items.append((run, None))
    return [(r, g) for r, g in items if r or g]


def _group_end(branch: str, i: int) -> int:
    """The index of the `)` closing the group opened at `i`."""
    return next((j for j, ch, depth in _structure(branch, i) if ch == ")" and depth == 1), len(branch) - 1)


def backtracking_risk(pattern: str) -> str | None:
    """Why a pattern could take exponential time on some text, or None.

    An unbounded repetition of a group that starts with a repetition (`(x+x+)+y`, `(a*)*`,
    `(\\s*\\w+)*`) lets the regular expression engine try every way of splitting a long run
    before failing; such patterns are refused when the rule base loads, so no draft can make
    `check` hang. A group that starts with a literal (`(\\.[\\w-]+)+`) cannot split that way.
    """
    import importlib
    import sys

    # The standard library's own regular-expression parser (renamed in Python 3.11).
    sre_parse: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
    try:
        tree = sre_parse.parse(regex_source(pattern))
    except Exception:  # invalid patterns are reported by the caller with re.error's message
        return None
    return _risky(list(tree))


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT")


def _unbounded(high: object) -> bool:
    return str(high) == "MAXREPEAT" or (isinstance(high, int) and high > 20)


def _starts_with_repeat(items: list) -> bool:  # type: ignore[type-arg]
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            return bool(_unbounded(arg[1]) or arg[1] > 1)
        if name == "SUBPATTERN":
            return _starts_with_repeat(list(arg[-1]))
        if name == "BRANCH":
            return any(_starts_with_repeat(list(b)) for b in arg[1])
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero-width: look further
        return False
    return False


def _risky(items: list) -> str | None:  # type: ignore[type-arg]
    for op, arg in items:
        name = str(op)
        subs: list[list] = []  # type: ignore[type-arg]
        if name in _REPEATS:
            if _unbounded(arg[1]) and _starts_with_repeat(list(arg[2])):
                return "a repeated group that starts with a repetition can backtrack catastrophically"
            subs = [list(arg[2])]
        elif name == "SUBPATTERN":
            subs = [list(arg[-1])]
        elif name == "BRANCH":
            subs = [list(b) for b in arg[1]]
        elif name in ("ASSERT", "ASSERT_NOT"):
            subs = [list(arg[1])]
        for sub in subs:
            found = _risky(sub)
            if found:
                return found
    return None


def runs_over_words(source: str) -> bool:
    """Can the regular expression start with an unbounded run of letters or digits (`\\d+`,
    `x{3,}`, `\\w[\\w-]*`, `[\\w.+-]+@`)? Asked to end at the end of a word, such a pattern
    backtracks along the whole word from every start inside it: `checks` only lets it start
    at the start of a word. (Whitespace runs and bounded repeats cannot do that, and a
    pattern that starts with a fixed word is only tried where that word occurs.)"""
    import importlib
    import sys

    sre_parse: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
    try:
        tree = sre_parse.parse(source)
    except Exception:
        return True
    return _leads_with_run(list(tree), 2)


def _wordy(items: list) -> bool:  # type: ignore[type-arg]
    """Could this matched piece consume a letter or a digit?"""
    return any(_wordy_item(str(op), arg) for op, arg in items)


def _word_char(code: int) -> bool:
    return chr(code).isalnum() or chr(code) == "_"


def _wordy_item(name: str, arg: Any) -> bool:
    if name == "LITERAL":
        return _word_char(arg)
    if name in ("ANY", "NOT_LITERAL"):
        return True
    if name == "IN":
        for kind, value in arg:
            k, v = str(kind), str(value).upper()
            if k in ("NEGATE", "RANGE") or (k == "CATEGORY" and ("NOT_SPACE" in v or "SPACE" not in v)):
                return True
            if k == "LITERAL" and _word_char(value):
                return True
        return False
    if name == "SUBPATTERN":
        return _wordy(list(arg[-1]))
    if name == "BRANCH":
        return any(_wordy(list(b)) for b in arg[1])
    if name in _REPEATS:
        return _wordy(list(arg[2]))
    return False


def _leads_with_run(items: list, budget: int) -> bool:  # type: ignore[type-arg]
    """Is one of the first `budget` characters a match consumes an unbounded wordy run?"""
    for op, arg in items:
        if budget <= 0:
            return False
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name in _REPEATS:
            if str(arg[1]) == "MAXREPEAT" and _wordy(list(arg[2])):
                return True
            if _leads_with_run(list(arg[2]), budget):
                return True
            if arg[0] == 0:
                continue  # optional: what follows may come first
            budget -= 1
        elif name == "SUBPATTERN":
            if _leads_with_run(list(arg[-1]), budget):
                return True
            budget -= 1
        elif name == "BRANCH":
            if any(_leads_with_run(list(b), budget) for b in arg[1]):
                return True
            budget -= 1
        else:
            budget -= 1
    return False
