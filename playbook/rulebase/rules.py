"""Parse the rule sections: rules with their cases, and constraints, every value checked
against the questions and the output fields, every mistake located.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.conditions import Always
from playbook.core.model import Case, Constraint, Guidance, OutputField, Principle, Question, Rule
from playbook.errors import did_you_mean
from playbook.rulebase.validate import Item, Problems, check_keys, parse_condition, text_of


class Ctx:
    def __init__(self, questions: Mapping[str, Question], principles: Mapping[str, Principle],
                 outputs: Mapping[str, OutputField], guidance: Mapping[str, Mapping[str, Guidance]],
                 problems: Problems) -> None:
        self.questions, self.principles, self.outputs = questions, principles, outputs
        self.guidance, self.problems = guidance, problems

    def allowed(self, out: OutputField) -> Sequence[str]:
        return list(self.guidance[out.catalogue]) if out.catalogue else out.values


def parse_rule(item: Item, ctx: Ctx) -> Rule | None:
    rid = item.data.get("id")
    what = f"rule '{rid}'"
    if not check_keys(item, what, ctx.problems, ("id", "principle", "description", "set"),
                      ("when", "cases", "enabled")):
        return None
    principle = item.data.get("principle")
    if principle is not None and (not isinstance(principle, str) or principle not in ctx.principles):
        ctx.problems.add(item.at("principle"), what,
                         f"unknown principle '{principle}'{did_you_mean(principle, list(ctx.principles))}")
    description = text_of(item, "description", what, ctx.problems)
    when = parse_condition(item, "when", what, ctx.questions, ctx.problems) if "when" in item.data else None
    sets = outputs_map(item, "set", what, ctx, expect=False)
    cases = _cases(item, what, ctx)
    if description is None or sets is None:
        return None
    return Rule(str(rid), str(principle), description, when or Always(), sets, cases, item.where())


def outputs_map(item: Item, key: str, what: str, ctx: Ctx, *, expect: bool,
                 many: bool = False) -> dict[str, Any] | None:
    """A rule's `set:` (or a case's `expect:`), each value checked against its field's policy."""
    data = item.data.get(key)
    if not isinstance(data, dict) or not data:
        ctx.problems.add(item.at(key), what, f"'{key}' takes a non-empty mapping of output fields")
        return None
    out: dict[str, Any] = {}
    for fid, value in data.items():
        field = ctx.outputs.get(fid)
        if field is None:
            ctx.problems.add(item.key_at(key, fid), what,
                             f"unknown output '{fid}'{did_you_mean(fid, list(ctx.outputs))}; "
                             f"outputs: {', '.join(ctx.outputs)}")
            continue
        if many and isinstance(value, list) and not field.is_list:
            checked = tuple(_output_value(item, (key, fid, i), field, v, what, ctx, expect)
                            for i, v in enumerate(value))
            checked = _INVALID if _INVALID in checked else checked
        else:
            checked = _output_value(item, (key, fid), field, value, what, ctx, expect)
        if checked is not _INVALID:
            out[fid] = checked
    return out


_INVALID: Any = object()


def _output_value(item: Item, sub: tuple[Any, ...], field: OutputField, value: Any, what: str,
                  ctx: Ctx, expect: bool) -> Any:
    def bad(message: str) -> Any:
        ctx.problems.add(item.at(*sub), what, f"'{field.id}': {message}")
        return _INVALID

    allowed = ctx.allowed(field)
    if field.policy == "min":
        if value is None and expect:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return bad(f"expected a whole number of minutes >= 0, got {value!r}")
        return value
    if field.policy == "union":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return bad("expected a list of values")
        for v in values:
            if v not in allowed:
                return bad(f"unknown value '{v}'{did_you_mean(v, allowed)}; allowed: {', '.join(allowed)}")
        return tuple(values)
    if value not in allowed:
        return bad(f"unknown value {value!r}{did_you_mean(value, allowed)}; allowed: {', '.join(allowed)}")
    return value


def _cases(item: Item, what: str, ctx: Ctx) -> tuple[Case, ...]:
    raw = item.data.get("cases", [])
    if not isinstance(raw, list):
        ctx.problems.add(item.at("cases"), what, "'cases' takes a list of {answers, expect}")
        return ()
    cases = []
    for i, _ in enumerate(raw):
        sub = Item(raw[i], item.located, (*item.path, "cases", i))
        if not check_keys(sub, f"{what} case {i + 1}", ctx.problems, ("answers", "expect"), ("note",)):
            continue
        answers = answer_map(sub, "answers", f"{what} case {i + 1}", ctx.questions, ctx.problems)
        expect = outputs_map(sub, "expect", f"{what} case {i + 1}", ctx, expect=True)
        if answers is not None and expect is not None:
            cases.append(Case(answers, expect, sub.where()))
    return tuple(cases)


def answer_map(item: Item, key: str, what: str, questions: Mapping[str, Question],
                problems: Problems) -> dict[str, Any] | None:
    from playbook.core.answers import coerce

    data = item.data.get(key)
    if not isinstance(data, dict):
        problems.add(item.at(key), what, f"'{key}' takes a mapping of answer ids to values")
        return None
    out: dict[str, Any] = {}
    for qid, value in data.items():
        q = questions.get(qid)
        if q is None:
            problems.add(item.key_at(key, qid), what,
                         f"unknown answer id '{qid}'{did_you_mean(qid, list(questions))}")
            continue
        try:
            out[qid] = coerce(q, value)
        except ValueError as exc:
            problems.add(item.at(key, qid), what, f"'{qid}': {exc}; allowed values: {q.allowed()}")
    return out


def parse_constraint(item: Item, ctx: Ctx) -> Constraint | None:
    """A judgement: `when` (answers) and `given` (outputs) say where it applies; `require` what the
    decision must contain there, `forbid` a combination it must not contain."""
    cid = item.data.get("id")
    what = f"constraint '{cid}'"
    if not check_keys(item, what, ctx.problems, ("id", "principle", "description"),
                      ("when", "given", "require", "forbid", "enabled")):
        return None
    description = text_of(item, "description", what, ctx.problems)
    principle = item.data.get("principle")
    if principle is not None and (not isinstance(principle, str) or principle not in ctx.principles):
        ctx.problems.add(item.at("principle"), what,
                         f"unknown principle '{principle}'{did_you_mean(principle, list(ctx.principles))}")
    if "require" not in item.data and "forbid" not in item.data:
        ctx.problems.add(item.at(), what, "a constraint needs 'require' or 'forbid' (or both)")
        return None
    when = parse_condition(item, "when", what, ctx.questions, ctx.problems) if "when" in item.data else Always()
    parts = {key: outputs_map(item, key, what, ctx, expect=False, many=True) if key in item.data else {}
             for key in ("given", "require", "forbid")}
    if description is None or any(v is None for v in parts.values()):
        return None
    given, require, forbid = (
        {k: (v if isinstance(v, tuple) else (v,)) for k, v in (parts[key] or {}).items()}
        for key in ("given", "require", "forbid"))
    return Constraint(str(cid), str(principle), description, forbid, when, given, require, item.where())
