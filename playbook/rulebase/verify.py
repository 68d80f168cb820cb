"""`playbook rules check`: prove properties of the rule base over the whole answer space.

The answer space is finite: every select and yes/no question, numbers split at the
thresholds the rules use, and "not asked" where a question's condition is false. Instead of
enumerating its millions of points, the verifier splits it only on the facts that the rules
under study read, with three-valued evaluation of their conditions (`conditions.partial`):
a region where every condition is decided behaves as one point.

Each question is asked of a small set of rules, since an output field depends only on the
rules that set it (and, for deadlines, on action and severity):

- gap:       a required field (action, severity, posture) left unset;
- conflict:  two rules set one single-valued field to different values at equal precedence;
- constraint: a judgement broken: where its answers (`when`) and outputs (`given`) hold, a
             required value missing or a forbidden combination present (e.g. deny with an
             apology; media interest without a press line);
- never:     a rule whose condition no incident satisfies;
- shadowed:  a rule that fires but never changes any output it sets;
- unused:    an output value or do/avoid item that no rule produces.

Every finding comes with an example incident.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import pairwise
from typing import Any

from playbook.core.conditions import Always, fact_ids, partial, tests
from playbook.core.engine import CompiledRule, Engine, breaks, combine_field
from playbook.core.model import Constraint, OutputField, Question, Rule, RuleBase
from playbook.core.record import record, replace

Settled = Callable[[Sequence[CompiledRule], Sequence[CompiledRule]], bool]


@record
class Finding:
    kind: str  # gap | conflict | constraint | never | shadowed
    subject: str
    message: str
    example: Mapping[str, Any]


class Space:
    """The finite answer space of a rule base, explored region by region."""

    def __init__(self, rb: RuleBase) -> None:
        self.rb = rb
        self.questions = tuple(q for q in rb.questions if q.type != "text")
        self.domains = {q.id: self._domain(q) for q in self.questions}
        self.needs = {q.id: set(fact_ids(q.when)) for q in self.questions}
        self.regions = 0
        self._prune: Settled | None = None

    def _domain(self, q: Question) -> tuple[Any, ...]:
        if q.type == "select":
            return q.values
        if q.type == "confirm":
            return (True, False)
        points = {q.minimum if q.minimum is not None else 0}
        conds = [r.when for r in self.rb.rules] + [x.when for x in self.rb.questions]
        points |= {t.value for c in conds for t in tests(c) if t.id == q.id and t.op in ("gte", "lte")}
        crit = sorted(p for p in points if q.minimum is None or p >= q.minimum)
        mids = [(a + b) / 2 for a, b in pairwise(crit)]
        return tuple(sorted({*crit, *mids, crit[-1] + 1}))

    def regions_of(self, rules: Sequence[CompiledRule], require: CompiledRule | None = None,
                   settled: Settled | None = None, prune: Settled | None = None,
                   ) -> Iterator[tuple[dict[str, Any], list[CompiledRule]]]:
        """Yield (partial incident, rules that fire) for every region where all `rules` are
        decided, or where `settled(fired, undecided)` says the rest cannot matter; with
        `require`, only regions where that rule fires; `prune(fired, undecided)` skips a part
        of the space where nothing of interest can happen."""
        self._prune = prune
        yield from self._split({}, list(rules), [], require, settled)

    def _split(self, known: dict[str, Any], rules: list[CompiledRule], fired: list[CompiledRule],
               require: CompiledRule | None, settled: Settled | None,
               ) -> Iterator[tuple[dict[str, Any], list[CompiledRule]]]:
        required = True if require is None else partial(require.rule.when, known)
        if required is False:
            return
        undecided = []
        fired = list(fired)
        for c in rules:
            state = partial(c.rule.when, known)
            if state is None:
                undecided.append(c)
            elif state:
                fired.append(c)
        if self._prune is not None and self._prune(fired, undecided):
            return
        if required is True and (not undecided or (settled is not None and settled(fired, undecided))):
            self.regions += 1
            yield known, fired
            return
        qid = self._next(known, undecided + ([require] if require else []))
        q_applies = partial(self.rb.question(qid).when, known)  # type: ignore[union-attr]
        for value in (self.domains[qid] if q_applies else (None,)):
            yield from self._split({**known, qid: value}, undecided, fired, require, settled)

    def _next(self, known: Mapping[str, Any], rules: Sequence[CompiledRule]) -> str:
        needed = {f for c in rules for f in c.reads if f not in known}
        grow = True
        while grow:
            extra = {n for f in needed for n in self.needs.get(f, ()) if n not in known} - needed
            needed |= extra
            grow = bool(extra)
        for q in self.questions:  # interview order: a question's condition reads earlier ones
            if q.id in needed:
                return q.id
        raise AssertionError(f"no question to split on for {sorted(needed)}")

    def example(self, known: Mapping[str, Any]) -> dict[str, Any]:
        """A complete incident in the region: unassigned facts take their first allowed value."""
        facts: dict[str, Any] = {}
        for q in self.rb.questions:
            if q.type == "text":
                continue
            applies = partial(q.when, facts)
            value = known[q.id] if q.id in known else self.domains[q.id][0]
            facts[q.id] = value if applies else None
        return {k: v for k, v in facts.items() if v is not None}


def check(rb: RuleBase) -> tuple[list[Finding], int]:
    """Every finding of the rule base, and the number of regions examined."""
    engine = Engine(rb)
    space = Space(rb)
    findings: list[Finding] = []
    findings += _gaps_and_conflicts(rb, engine, space)
    findings += _constraints(rb, engine, space)
    findings += _never_and_shadowed(rb, engine, space)
    findings += _unused_values(rb)
    return findings, space.regions


def _setting(engine: Engine, fid: str) -> list[CompiledRule]:
    return [c for c in engine.rules if fid in c.rule.sets]


def _field_value(engine: Engine, field: OutputField, fired: Sequence[CompiledRule]) -> Any:
    """The final value of one field from the rules fired (as the engine decides it)."""
    return engine.combine({}, list(fired)).outputs[field.id]


def _gaps_and_conflicts(rb: RuleBase, engine: Engine, space: Space) -> Iterator[Finding]:
    for field in rb.outputs.values():
        if not (field.required or field.ties):
            continue
        setters = _setting(engine, field.id)
        if field.required:
            def any_fired(fired: Sequence[CompiledRule], undecided: Sequence[CompiledRule]) -> bool:
                return bool(fired)

            for known, fired in space.regions_of(setters, settled=any_fired):
                if not fired:
                    yield Finding("gap", field.id, f"no rule sets '{field.id}'", space.example(known))
                    break
        if not field.ties:
            continue
        for known, fired in space.regions_of(setters, settled=_fields_settled(rb, {field.id: None})):
            values = [(c.rule.id, c.rule.sets[field.id]) for c in fired]
            conflicts: list[str] = []
            ranks = {v: field.rank(v) for v in field.values}
            combine_field(field, values, ranks, conflicts)
            if conflicts:
                yield Finding("conflict", field.id, conflicts[0], space.example(known))
                break


def _constraints(rb: RuleBase, engine: Engine, space: Space) -> Iterator[Finding]:
    for constraint in rb.constraints:
        fields: dict[str, set[str]] = {}
        for part in (constraint.given, constraint.require, constraint.forbid):
            for fid, values in part.items():
                fields.setdefault(fid, set()).update(values)
        interest = {f: (frozenset(v) if rb.outputs[f].is_list else None) for f, v in fields.items()}
        rules = _relevant(rb, engine, interest)
        scope = CompiledRule(Rule(f"constraint {constraint.id}", constraint.principle, constraint.description,
                                  constraint.when, {}), fact_ids(constraint.when))
        unconditional = replace(constraint, when=Always())  # regions are inside `when` already
        prune = None if constraint.require else _cannot_violate(rb, constraint)
        for known, fired in space.regions_of(rules, require=scope, settled=_fields_settled(rb, interest),
                                             prune=prune):
            if breaks(unconditional, engine.combine({}, fired).outputs, None):
                yield Finding("constraint", constraint.id, constraint.description.en, space.example(known))
                break


def _unused_values(rb: RuleBase) -> Iterator[Finding]:
    """Output values and do/avoid items declared but set by no rule: dead vocabulary."""
    for field in rb.outputs.values():
        declared = list(rb.guidance.get(field.catalogue, {})) if field.catalogue else list(field.values)
        if field.policy == "min" or not declared:
            continue
        produced: set[str] = set()
        for r in rb.rules:
            value = r.sets.get(field.id)
            produced.update(value if isinstance(value, tuple) else () if value is None else (value,))
        for value in declared:
            if value not in produced:
                yield Finding("unused", f"{field.id}: {value}", "no rule produces this value", {})


Interest = Mapping[str, "frozenset[str] | None"]  # field -> the list values that matter (None: all)


def _wanted(rb: RuleBase, fields: Interest) -> dict[str, frozenset[str] | None]:
    """The fields of interest, and the fields their final value depends on."""
    wanted = dict(fields)
    for fid in list(wanted):
        field = rb.outputs[fid]
        if field.only_with_action:
            wanted.setdefault("action", None)
        if field.from_severity:
            wanted.setdefault("severity", None)
    return wanted


def _sets_interest(c: CompiledRule, wanted: Interest) -> bool:
    for fid, values in wanted.items():
        if fid in c.rule.sets and (values is None or values & set(c.rule.sets[fid])):
            return True
    return False


def _relevant(rb: RuleBase, engine: Engine, fields: Interest) -> list[CompiledRule]:
    """Rules that can change the given fields (and what those fields depend on)."""
    wanted = _wanted(rb, fields)
    return [c for c in engine.rules if _sets_interest(c, wanted)]


def _fields_settled(rb: RuleBase, fields: Interest, without: CompiledRule | None = None) -> Settled:
    """A test that no undecided rule can still change any of `fields` (with or without a rule)."""
    outs = [(rb.outputs[f], v) for f, v in _wanted(rb, fields).items()]

    def settled(fired: Sequence[CompiledRule], undecided: Sequence[CompiledRule]) -> bool:
        scenarios = [fired] if without is None else [fired, [c for c in fired if c is not without]]
        return all(_field_settled(f, v, sc, undecided) for f, v in outs for sc in scenarios)

    return settled


def _field_settled(field: OutputField, values: frozenset[str] | None, fired: Sequence[CompiledRule],
                   undecided: Sequence[CompiledRule]) -> bool:
    fid = field.id
    pending = [c.rule.sets[fid] for c in undecided if fid in c.rule.sets]
    if not pending:
        return True
    have = [c.rule.sets[fid] for c in fired if fid in c.rule.sets]
    if field.policy == "union":
        got = {v for vs in have for v in vs}
        return all(v in got for vs in pending for v in vs if values is None or v in values)
    if not have:
        return False
    if field.policy == "min":
        return bool(min(have) <= min(pending))
    top = max(field.rank(v) for v in have)
    best = [v for v in have if field.rank(v) == top]
    return all(field.rank(v) < top or (v in best and len(set(best)) == 1) for v in pending)


def _cannot_violate(rb: RuleBase, constraint: Constraint) -> Settled:
    """A test that, whatever the undecided rules do, some forbidden value can no longer occur."""

    def prune(fired: Sequence[CompiledRule], undecided: Sequence[CompiledRule]) -> bool:
        for fid, forbidden in (*constraint.forbid.items(), *constraint.given.items()):
            field = rb.outputs[fid]
            values = [c.rule.sets[fid] for c in [*fired, *undecided] if fid in c.rule.sets]
            flat = {v for x in values for v in (x if isinstance(x, tuple) else (x,))}
            if not flat & set(forbidden):
                return True
            if field.policy in ("priority", "max"):
                beaten = [c.rule.sets[fid] for c in fired if fid in c.rule.sets]
                if beaten and max(field.rank(v) for v in beaten) > max(field.rank(v) for v in forbidden):
                    return True
        return False

    return prune


def _never_and_shadowed(rb: RuleBase, engine: Engine, space: Space) -> Iterator[Finding]:
    for c in engine.rules:
        regions = space.regions_of([], require=c)
        first = next(regions, None)
        if first is None:
            yield Finding("never", c.rule.id, "no incident satisfies this rule's condition", {})
            continue
        if not _matters(rb, engine, space, c):
            yield Finding("shadowed", c.rule.id,
                          "fires, but other rules always decide every output it sets",
                          space.example(first[0]))


def _matters(rb: RuleBase, engine: Engine, space: Space, rule: CompiledRule) -> bool:
    """Does removing the rule change some output it sets, for some incident where it fires?"""
    for fid in rule.rule.sets:
        field = rb.outputs[fid]
        interest = {fid: frozenset(rule.rule.sets[fid]) if field.is_list else None}
        others = [c for c in _relevant(rb, engine, interest) if c is not rule]
        settled = _fields_settled(rb, interest, without=rule)
        for _, fired in space.regions_of([*others, rule], require=rule, settled=settled):
            ids = {id(c) for c in fired}
            without = engine.combine({}, [c for c in engine.rules if id(c) in ids and c is not rule])
            with_it = engine.combine({}, [c for c in engine.rules if id(c) in ids or c is rule])
            a, b = with_it.outputs[field.id], without.outputs[field.id]
            if (set(a) != set(b)) if field.is_list else (a != b):
                return True
    return False
