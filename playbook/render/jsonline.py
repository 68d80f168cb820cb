"""The decision document as one compact JSON line, written from remembered pieces (`playbook batch`).

A document is ~12 KB of JSON, most of it the same from one incident to the next: the texts
of the guidance and principles, what each rule sets, what a rule read when it read the same
values. Encoding the whole document anew costs more than deciding it; here each piece is
encoded once and the line is joined from them. The pieces are `render.document`'s, and the
result is exactly `json.dumps(document.build(...), ensure_ascii=False, separators=(",", ":"))`
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
MEMO = 4096  # entries per table at most: memory stays bounded whatever the input


class LineEncoder:
    """Documents of one run (rule base, language, profile) as JSON lines."""

    def __init__(self, rb: RuleBase, engine: Engine, lang: str, profile: Profile | None) -> None:
        self.rb, self.engine, self.lang = rb, engine, lang
        head = ENCODE(document.header(rb, lang, profile))
        self._head = head[:-1] + ',"answers":'
        # A rule reading a number: 1 and 1.0 (and True) are equal keys but not the same JSON.
        numbers = {q.id for q in rb.questions if q.type == "number"}
        self._rules = [(c.rule.id, c.reads, c.rule.sets, bool(numbers.intersection(c.reads))) for c in engine.rules]
        self._trace: list[dict[tuple[Any, ...], str]] = [{} for _ in engine.rules]
        self._fields: dict[tuple[str, Any, type], str] = {}
        self._items: dict[tuple[str, str], str] = {}
        self._caps: dict[tuple[str, Any, Any], str] = {}

    def line(self, answers: Answers, drafts: Sequence[Mapping[str, Any]] = (), extra: str = "") -> str:
        """The document of these (complete, validated) answers; `extra`: `,"key":value` pieces to end it."""
        facts = answers.values
        indices = self.engine.fired_indices(facts.get)
        outcome = self.engine.outcome(indices)
        return "".join((
            self._head, ENCODE(facts), ',"not_applicable":', ENCODE(answers.not_applicable), ',"triage":{',
            self._triage(facts, indices, outcome), '},"drafts":', ENCODE([dict(d) for d in drafts]) if drafts else "[]",
            extra, "}",
        ))

    def _triage(self, facts: Mapping[str, Any], indices: Sequence[int], outcome: Outcome) -> str:
        out = outcome.outputs
        parts = [self._field(fid, out[fid]) for fid in document.field_order(out)]
        for cat in ("do", "avoid"):
            parts.append(f'"{cat}":[' + ",".join(self._item(cat, g) for g in out.get(cat, ())) + "]")
        parts.append('"principles":[' + ",".join(self._item("", p) for p in outcome.principles) + "]")
        trace = [self._firing(i, facts) for i in indices]
        trace += [self._cap(f.rule, f.matched, f.sets) for f in outcome.caps]
        parts.append('"trace":[' + ",".join(trace) + "]")
        if outcome.conflicts:
            parts.append('"conflicts":' + ENCODE(list(outcome.conflicts)))
        return ",".join(parts)

    def _field(self, fid: str, value: Any) -> str:
        key = (fid, value, type(value))
        found = self._fields.get(key)
        if found is None:
            found = ENCODE({fid: document.field_value(value)})[1:-1]
            _remember(self._fields, key, found)
        return found

    def _item(self, cat: str, iid: str) -> str:
        key = (cat, iid)
        found = self._items.get(key)
        if found is None:
            item = document.guidance_item(self.rb, cat, iid, self.lang) if cat else \
                document.principle_item(self.rb, iid, self.lang)
            found = ENCODE(item)
            _remember(self._items, key, found)
        return found

    def _firing(self, i: int, facts: Mapping[str, Any]) -> str:
        rule, reads, sets, typed = self._rules[i]
        values = tuple(map(facts.get, reads))
        key = (*values, *map(type, values)) if typed else values
        memo = self._trace[i]
        found = memo.get(key)
        if found is None:
            found = ENCODE(document.trace_item(rule, dict(zip(reads, values, strict=True)), sets))
            _remember(memo, key, found)
        return found

    def _cap(self, rule: str, matched: Mapping[str, Any], sets: Mapping[str, Any]) -> str:
        key = (rule, tuple(matched.items()), tuple(sets.items()))
        found = self._caps.get(key)
        if found is None:
            found = ENCODE(document.trace_item(rule, matched, sets))
            _remember(self._caps, key, found)
        return found


def _remember(memo: dict[Any, str], key: Any, value: str) -> None:
    if len(memo) >= MEMO:
        memo.clear()
    memo[key] = value
