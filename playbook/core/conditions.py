"""Conditions are data: `all`/`any`/`not` over facts, compiled once to plain functions.

A condition is written in YAML as a mapping whose keys are combined with AND:

    when:
      origin: customer_complaint          # equality
      reach: {in: [growing, viral]}       # membership (a plain list means the same)
      hours_since_surfaced: {gte: 2}      # numeric thresholds: gte, lte
      any: [{media_interest: true}, {influential_author: true}]
      not: {author: troll}

A question that does not apply to an incident has no value, so every test on it is false.
Besides plain evaluation, `partial` evaluates with some facts still unknown (three-valued
logic); the rule-base verifier uses it to split the answer space only where rules differ.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from playbook.core.record import record

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

Compiler = Callable[[str, str, str], "Any"]  # `compile(source, filename, "exec")`
Getter = Callable[[str], "Any"]  # the facts' `get`

Facts = Mapping[str, "Any"]
Predicate = Callable[[Facts], bool]
UNKNOWN = None  # result of `partial` when the facts given do not decide


@record
class Always:
    def __str__(self) -> str:
        return "always"


@record
class Test:
    """One test on one fact: `op` is `eq`, `in`, `gte` or `lte`."""

    id: str
    op: str
    value: Any

    def __str__(self) -> str:
        if self.op == "eq":
            return f"{self.id} = {_fmt(self.value)}"
        if self.op == "in":
            return f"{self.id} in [{', '.join(_fmt(v) for v in self.value)}]"
        return f"{self.id} {'>=' if self.op == 'gte' else '<='} {_fmt(self.value)}"


@record
class All:
    items: tuple[Condition, ...]

    def __str__(self) -> str:
        return " and ".join(_paren(c) for c in self.items)


@record
class AnyOf:
    items: tuple[Condition, ...]

    def __str__(self) -> str:
        return " or ".join(_paren(c) for c in self.items)


@record
class Not:
    item: Condition

    def __str__(self) -> str:
        return f"not {_paren(self.item)}"


Condition = Always | Test | All | AnyOf | Not


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _paren(c: Condition) -> str:
    return f"({c})" if isinstance(c, All | AnyOf) and len(c.items) > 1 else str(c)


def fact_ids(cond: Condition) -> tuple[str, ...]:
    """The facts a condition reads, in the order they are written, without repeats."""
    seen: dict[str, None] = {}

    def walk(c: Condition) -> None:
        if isinstance(c, Test):
            seen.setdefault(c.id)
        elif isinstance(c, All | AnyOf):
            for item in c.items:
                walk(item)
        elif isinstance(c, Not):
            walk(c.item)

    walk(cond)
    return tuple(seen)


def tests(cond: Condition) -> list[Test]:
    """Every elementary test in a condition."""
    if isinstance(cond, Test):
        return [cond]
    if isinstance(cond, All | AnyOf):
        return [t for item in cond.items for t in tests(item)]
    if isinstance(cond, Not):
        return tests(cond.item)
    return []


def compile_condition(cond: Condition) -> Predicate:
    """Turn a condition into a plain function of the facts (built once per rule base)."""
    if isinstance(cond, Always):
        return lambda facts: True
    if isinstance(cond, Test):
        return _compile_test(cond)
    if isinstance(cond, All):
        parts = tuple(compile_condition(c) for c in cond.items)
        if len(parts) == 1:
            return parts[0]
        return lambda facts: all(p(facts) for p in parts)
    if isinstance(cond, AnyOf):
        parts = tuple(compile_condition(c) for c in cond.items)
        return lambda facts: any(p(facts) for p in parts)
    inner = compile_condition(cond.item)
    return lambda facts: not inner(facts)


def _compile_test(t: Test) -> Predicate:
    key, value = t.id, t.value
    if t.op == "eq":
        return lambda facts: facts.get(key) == value
    if t.op == "in":
        members = frozenset(value)
        return lambda facts: facts.get(key) in members
    if t.op == "gte":

        def gte(facts: Facts) -> bool:
            v = facts.get(key)
            return v is not None and v >= value

        return gte

    def lte(facts: Facts) -> bool:
        v = facts.get(key)
        return v is not None and v <= value

    return lte


def partial(cond: Condition, known: Facts) -> bool | None:
    """Evaluate with only some facts known: True, False, or None when undecided.

    A fact absent from `known` is unknown; a fact present with value None does not apply.
    """
    if isinstance(cond, Always):
        return True
    if isinstance(cond, Test):
        if cond.id not in known:
            return UNKNOWN
        return _compile_test(cond)(known)
    if isinstance(cond, All):
        result: bool | None = True
        for c in cond.items:
            r = partial(c, known)
            if r is False:
                return False
            if r is None:
                result = UNKNOWN
        return result
    if isinstance(cond, AnyOf):
        result = False
        for c in cond.items:
            r = partial(c, known)
            if r is True:
                return True
            if r is None:
                result = UNKNOWN
        return result
    r = partial(cond.item, known)
    return None if r is None else not r


def to_data(cond: Condition) -> Any:
    """The condition back in its YAML form (for `playbook questions --format json`)."""
    if isinstance(cond, Always):
        return None
    if isinstance(cond, Test):
        if cond.op == "eq":
            return {cond.id: cond.value}
        return {cond.id: {cond.op: list(cond.value) if cond.op == "in" else cond.value}}
    if isinstance(cond, All | AnyOf):
        return {"all" if isinstance(cond, All) else "any": [to_data(c) for c in cond.items]}
    return {"not": to_data(cond.item)}


def to_source(cond: Condition, consts: list[Any], facts: dict[str, str]) -> str:
    """A Python expression for the condition over local variables holding the facts.

    `facts` maps each fact id read to its variable's name (`f0`, `f1`…; filled as ids are met);
    values go into `consts` (referenced as `k0`, `k1`…). Neither ids nor values are ever
    written into the source text, so no rule-base text is ever evaluated as code.
    """
    if isinstance(cond, Always):
        return "True"
    if isinstance(cond, Test):
        var = facts.setdefault(cond.id, f"f{len(facts)}")
        consts.append(frozenset(cond.value) if cond.op == "in" else cond.value)
        ref = f"k{len(consts) - 1}"
        if cond.op == "eq":
            return f"({var} == {ref})"
        if cond.op == "in":
            return f"({var} in {ref})"
        cmp = ">=" if cond.op == "gte" else "<="
        return f"({var} is not None and {var} {cmp} {ref})"
    if isinstance(cond, All | AnyOf):
        joiner = " and " if isinstance(cond, All) else " or "
        return "(" + joiner.join(to_source(c, consts, facts) for c in cond.items) + ")"
    return f"(not {to_source(cond.item, consts, facts)})"


def compile_all(conds: Sequence[Condition], compiler: Compiler = compile) -> Callable[[Getter], list[int]]:
    """One function returning the indices of the conditions that hold, given the facts' `get`;
    equivalent to the compiled conditions one by one.

    Each fact is read once into a local variable and each value is a closure variable: the
    hundred rules of a rule base are tested on an incident in a few microseconds. `compiler`
    is `compile` or one with the same result that remembers it (`rulebase.cache.compiled`).
    """
    source, consts, ids = holding_source(conds)
    return holding_function(compiler(source, "<playbook conditions>", "exec"), consts, ids)


def holding_source(conds: Sequence[Condition]) -> tuple[str, tuple[Any, ...], tuple[str, ...]]:
    """The source of `compile_all`'s function, with the values and fact ids it is given (plain
    data: what is kept in the cache is the code, these values and ids)."""
    consts: list[Any] = []
    facts: dict[str, str] = {}
    tests = [f"        if {to_source(cond, consts, facts)}: out.append({i})" for i, cond in enumerate(conds)]
    lines = ["def make(_k, _ids):", *(f"    k{n} = _k[{n}]" for n in range(len(consts))),
             "    def holding(g):", *(f"        {var} = g(_ids[{n}])" for n, var in enumerate(facts.values())),
             "        out = []", *tests, "        return out", "    return holding"]
    return "\n".join(lines), tuple(consts), tuple(facts)


def holding_function(code: Any, consts: tuple[Any, ...], ids: tuple[str, ...]) -> Callable[[Getter], list[int]]:
    """`compile_all`'s function from its compiled source, values and fact ids."""
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    fn: Callable[[Getter], list[int]] = namespace["make"](consts, ids)
    return fn
