"""The decision engine: a pure function from answers and a rule base to a Decision.

Every rule whose condition holds fires; each output field then combines the values the
fired rules set with its declared hit policy (rules/outputs.yaml):

- `priority`  the value highest in the declared order wins (`action`, `posture`); two
              different values of equal precedence are a conflict, reported in the decision;
- `max`       the worst value wins (`severity`);
- `min`       the shortest delay wins (the minutes fields);
- `union`     lists are merged in rule order without repeats (`strategy`, `do`, ...).

No I/O happens here; the trace says which rules fired, on which facts, setting what.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from playbook.core.conditions import Always, Getter, compile_all, compile_condition, fact_ids
from playbook.core.model import Constraint, Decision, Firing, OutputField, Rule, RuleBase
from playbook.core.record import record

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any


@record
class CompiledRule:
    rule: Rule
    reads: tuple[str, ...]  # the facts its condition reads (the trace shows their values)


@record
class Outcome:
    """What a set of fired rules decides, whatever the facts they read: the outputs, the
    principles, the conflicts, and the trace entries of the severity caps."""

    outputs: Mapping[str, Any]
    principles: tuple[str, ...]
    conflicts: tuple[str, ...]
    caps: tuple[Firing, ...]


class Engine:
    """A rule base with its conditions compiled, ready to decide many incidents.

    All conditions are compiled together into one generated function that returns the
    indices of the rules that fire: batch triage decides tens of thousands of incidents.
    Each field's value is remembered per set of rules that set it (few distinct sets: a
    batch of random incidents has almost no two alike, but each field sees a few dozen).
    """

    def __init__(self, rb: RuleBase, fired: Callable[[Getter], list[int]] | None = None) -> None:
        """`fired`: the rules' conditions compiled by `compile_all` (the API passes them from
        the cache); compiled here when not given."""
        self.rulebase = rb
        self.rules = tuple(CompiledRule(r, fact_ids(r.when)) for r in rb.rules)
        self._fields = tuple(rb.outputs.values())
        self._ranks = {f.id: {v: f.rank(v) for v in f.values} for f in self._fields if f.values}
        self.fired_indices = fired or compile_all([r.when for r in rb.rules])
        # Each field's value is remembered by the set of fired rules that set it: a bit mask.
        self._bits = tuple(1 << i for i in range(len(rb.rules)))
        self._principles = tuple(r.principle for r in rb.rules)
        self._masks = tuple(sum(1 << i for i, r in enumerate(rb.rules) if f.id in r.sets) for f in self._fields)
        self._memo: list[dict[int, tuple[Any, tuple[str, ...]]]] = [{} for _ in self._fields]

    def fired(self, facts: Mapping[str, Any]) -> list[CompiledRule]:
        rules = self.rules
        return [rules[i] for i in self.fired_indices(facts.get)]

    def decide(self, facts: Mapping[str, Any]) -> Decision:
        """The decision for one incident's answers (questions that do not apply are absent)."""
        indices = self.fired_indices(facts.get)
        outcome = self.outcome(indices)
        fired = map(self.rules.__getitem__, indices)
        trace = [Firing(c.rule.id, {k: facts.get(k) for k in c.reads}, c.rule.sets) for c in fired]
        return Decision(outcome.outputs, (*trace, *outcome.caps), outcome.principles, outcome.conflicts)

    def outcome(self, indices: Sequence[int]) -> Outcome:
        """What the rules at `indices` (in rule order) decide: as `combine`, field by field remembered."""
        bits = self._bits
        fired = 0
        for i in indices:
            fired |= bits[i]
        outputs: dict[str, Any] = {}
        conflicts: list[str] = []
        for field, mask, memo in zip(self._fields, self._masks, self._memo, strict=True):
            key = fired & mask
            known = memo.get(key)
            if known is None:
                found: list[str] = []
                setters = [(self.rules[i].rule.id, self.rules[i].rule.sets[field.id]) for i in indices if key & bits[i]]
                known = (combine_field(field, setters, self._ranks.get(field.id), found), tuple(found))
                if len(memo) >= 4096:  # bounded whatever the input
                    memo.clear()
                memo[key] = known
            outputs[field.id] = known[0]
            if known[1]:
                conflicts.extend(known[1])
        caps = self._finish(outputs)
        principles = tuple(dict.fromkeys(map(self._principles.__getitem__, indices)))
        return Outcome(outputs, principles, tuple(conflicts), tuple(caps))

    def combine(self, facts: Mapping[str, Any], fired: Sequence[CompiledRule]) -> Decision:
        """Combine what the fired rules set, field by field, with each field's hit policy."""
        outputs: dict[str, Any] = {}
        conflicts: list[str] = []
        setters: dict[str, list[tuple[str, Any]]] = {}
        for c in fired:
            for fid, value in c.rule.sets.items():
                setters.setdefault(fid, []).append((c.rule.id, value))
        for field in self._fields:
            outputs[field.id] = combine_field(field, setters.get(field.id, ()), self._ranks.get(field.id), conflicts)
        trace = [Firing(c.rule.id, {k: facts.get(k) for k in c.reads}, c.rule.sets) for c in fired]
        trace += self._finish(outputs)
        principles = tuple(dict.fromkeys(c.rule.principle for c in fired))
        return Decision(outputs, tuple(trace), principles, tuple(conflicts))

    def _finish(self, outputs: dict[str, Any]) -> list[Firing]:
        """Clear the fields the action does not call for; cap delays by severity (their trace)."""
        caps = []
        severity = outputs.get("severity")
        action = outputs.get("action")
        for field in self._fields:
            if field.only_with_action and action not in field.only_with_action:
                outputs[field.id] = () if field.is_list else None
                continue
            cap = field.from_severity.get(severity) if severity else None
            if cap is not None and (outputs[field.id] is None or cap < outputs[field.id]):
                outputs[field.id] = cap
                caps.append(Firing(f"{field.id}.from_severity", {"severity": severity}, {field.id: cap}))
        return caps


def combine_field(field: OutputField, setters: Sequence[tuple[str, Any]], ranks: Mapping[str, int] | None,
                   conflicts: list[str]) -> Any:
    """One field's value from what the fired rules set, `setters` in rule order."""
    if field.policy == "union":
        merged: dict[str, None] = {}
        for _, values in setters:
            merged.update(dict.fromkeys(values))
        return tuple(merged)
    if not setters:
        return None
    if field.policy == "min" or ranks is None:
        return min(v for _, v in setters)
    best = max(ranks[v] for _, v in setters)
    top = [(rid, v) for rid, v in setters if ranks[v] == best]
    if len(top) > 1 and field.policy == "priority" and len({v for _, v in top}) > 1:
        detail = ", ".join(f"'{rid}' sets {v}" for rid, v in top)
        conflicts.append(f"{field.id}: {detail} at the same precedence")
    return top[0][1]


def violations(rb: RuleBase, decision: Decision, answers: Mapping[str, Any] | None = None) -> list[str]:
    """The constraints a decision breaks (e.g. a `deny` posture together with an apology).

    Without `answers`, constraints that read answers (`when`) are not checked.
    """
    return [c.id for c in rb.constraints if breaks(c, decision.outputs, answers)]


def breaks(constraint: Constraint, outputs: Mapping[str, Any], answers: Mapping[str, Any] | None) -> bool:
    """Does a decision's `outputs` (for these `answers`) break the constraint?"""
    if not isinstance(constraint.when, Always) and (answers is None or not compile_condition(constraint.when)(answers)):
        return False
    if not all(_matches(outputs.get(fid), values) for fid, values in constraint.given.items()):
        return False
    forbidden = bool(constraint.forbid) and all(
        _matches(outputs.get(fid), values) for fid, values in constraint.forbid.items())
    return forbidden or any(not _contains(outputs.get(fid), values) for fid, values in constraint.require.items())


def _matches(actual: Any, values: tuple[str, ...]) -> bool:
    if isinstance(actual, tuple):
        return any(v in values for v in actual)
    return actual in values


def _contains(actual: Any, required: tuple[str, ...]) -> bool:
    """A list output holds every required value; a single output is one of them."""
    if isinstance(actual, tuple):
        return all(v in actual for v in required)
    return actual in required
