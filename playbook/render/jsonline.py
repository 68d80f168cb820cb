"""The decision document as one compact JSON line, written from remembered pieces (`playbook batch`).

A document is ~12 KB of JSON, most of it the same from one incident to the next: the texts
of the guidance and principles, what each rule sets, what a rule read when it read the same
values. Encoding the whole document anew costs more than deciding it; here each piece is
encoded once and the line is joined from them. The pieces are `render.document`'s, and the
result is exactly `json.dumps(document.build(...), ensure_ascii=False, separators=(",", ":"))`,
with the line breaks JSON leaves raw (U+0085, U+2028, U+2029) escaped, so that a document is one line
(tests/render/test_jsonline.py holds the two together on thousands of incidents).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.engine import Engine, Outcome
from playbook.core.model import Answers, RuleBase
from playbook.drafting.profile import Profile
from playbook.render import document

ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# Characters JSON may leave raw but that some line readers split on: escaped, so that one
# document is always exactly one line.
LINE_BREAKS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def one_line(text: str) -> str:
    for char, escape in LINE_BREAKS:  # `in` is fast; str.translate with a mapping is not
        if char in text:
            text = text.replace(char, escape)
    return text


def encode_line(obj: Any) -> str:
    """`obj` as compact JSON that is one line whatever its texts."""
    return one_line(ENCODE(obj))
MEMO = 4096  # entries per table at most: memory stays bounded whatever the input


class LineEncoder:
    """Documents of one run (rule base, language, profile) as JSON lines."""

    def __init__(self, rb: RuleBase, engine: Engine, lang: str, profile: Profile | None) -> None:
        self.rb, self.engine, self.lang = rb, engine, lang
        head = encode_line(document.header(rb, lang, profile))
        self._head = head[:-1] + ',"answers":'
        # A rule reading a number: 1 and 1.0 (and True) are equal keys but not the same JSON.
        numbers = {q.id for q in rb.questions if q.type == "number"}
        self._rules = [(c.rule.id, c.reads, c.rule.sets, bool(numbers.intersection(c.reads))) for c in engine.rules]
        self._trace: list[dict[tuple[Any, ...], str]] = [{} for _ in engine.rules]
        self._fields: dict[tuple[str, Any, type], str] = {}
        # Every guidance entry and principle, encoded once (a rule base has a few hundred).
        self._items = {cat: {g: encode_line(document.guidance_item(rb, cat, g, lang)) for g in rb.guidance.get(cat, {})}
                       for cat in ("do", "avoid")}
        self._items["principles"] = {p: encode_line(document.principle_item(rb, p, lang)) for p in rb.principles}
        self._caps: dict[tuple[str, Any, Any], str] = {}
        self._orders: dict[tuple[str, ...], tuple[str, ...]] = {}

    def line(self, answers: Answers, drafts: Sequence[Mapping[str, Any]] = (), extra: str = "") -> str:
        """The document of these (complete, validated) answers; `extra`: `,"key":value` pieces to end it."""
        facts = answers.values
        indices = self.engine.fired_indices(facts.get)
        outcome = self.engine.outcome(indices)
        written = encode_line([dict(d) for d in drafts]) if drafts else "[]"
        return "".join((
            self._head, encode_line(facts), ',"not_applicable":', encode_line(answers.not_applicable), ',"triage":{',
            self._triage(facts, indices, outcome), '},"drafts":', written, extra, "}",
        ))

    def _triage(self, facts: Mapping[str, Any], indices: Sequence[int], outcome: Outcome) -> str:
        out = outcome.outputs
        keys = tuple(out)
        order = self._orders.get(keys)
        if order is None:
            order = self._orders[keys] = tuple(document.field_order(out))
        parts = [self._field(fid, out[fid]) for fid in order]
        parts.append(self._list("do", out.get("do", ())))
        parts.append(self._list("avoid", out.get("avoid", ())))
        parts.append(self._list("principles", outcome.principles))
        trace = []
        rules, memos = self._rules, self._trace
        for i in indices:  # inline: twenty rules fire per incident
            rule, reads, sets, typed = rules[i]
            values = tuple(map(facts.get, reads))
            key = (*values, *map(type, values)) if typed else values
            found = memos[i].get(key)
            if found is None:
                found = encode_line(document.trace_item(rule, dict(zip(reads, values, strict=True)), sets))
                _remember(memos[i], key, found)
            trace.append(found)
        trace += [self._cap(f.rule, f.matched, f.sets) for f in outcome.caps]
        parts.append('"trace":[' + ",".join(trace) + "]")
        if outcome.conflicts:
            parts.append('"conflicts":' + encode_line(list(outcome.conflicts)))
        return ",".join(parts)

    def _list(self, name: str, ids: tuple[str, ...]) -> str:
        """`"do":[…]`, `"avoid":[…]` or `"principles":[…]`, each entry with its text."""
        items = self._items[name]
        return f'"{name}":[' + ",".join([items[i] for i in ids]) + "]"

    def _field(self, fid: str, value: Any) -> str:
        key = (fid, value, type(value))
        found = self._fields.get(key)
        if found is None:
            found = encode_line({fid: document.field_value(value)})[1:-1]
            _remember(self._fields, key, found)
        return found

    def _cap(self, rule: str, matched: Mapping[str, Any], sets: Mapping[str, Any]) -> str:
        key = (rule, tuple(matched.items()), tuple(sets.items()))
        found = self._caps.get(key)
        if found is None:
            found = encode_line(document.trace_item(rule, matched, sets))
            _remember(self._caps, key, found)
        return found


def _remember(memo: dict[Any, str], key: Any, value: str) -> None:
    if len(memo) >= MEMO:
        memo.clear()
    memo[key] = value
