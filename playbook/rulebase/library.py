"""A case library: incidents with the decision a crisis lead expects, run against the rule base.

Rule cases (in `rules/`) pin what one rule does; a case library pins judgement on whole
incidents: `playbook rules test --cases DIR` runs every `*.yaml` file of DIR. Each file holds

    cases:
      - id: misconduct_allegation_journalist_not_public
        title: "…"
        source: invented            # or the id of a source article
        real_case: null             # for a real case, what happened
        judgement: "…"              # why, as a crisis lead would explain it
        answers: {origin: employee_misconduct, …}     # over the rule base's case_defaults
        expect:
          action: holding_statement                   # a value, or a list of acceptable values
          severity: [high, critical]
          posture: inform
          respond_within_minutes: {lte: 60}           # null, a number, {lte: n} or {gte: n}
          includes: {strategy: [describe_process], do: [prepare_press_line]}
          excludes: {strategy: [apologize]}           # what would do harm

Answers and expected values are checked against the rule base (file:line:col, did-you-mean).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from playbook.core.answers import RawAnswers, validate
from playbook.core.engine import Engine
from playbook.core.model import RuleBase, Where
from playbook.core.record import field, record
from playbook.core.scenario import Expectation
from playbook.errors import AnswersError, UsageError, did_you_mean
from playbook.rulebase.source import display_path, load_yaml, read_text
from playbook.rulebase.validate import Item, Problems, check_keys

CASE_KEYS = ("id", "title", "answers", "expect")
OPTIONAL_KEYS = ("source", "real_case", "judgement")
CHOICE_FIELDS = ("action", "severity", "posture")
MINUTE_FIELDS = ("respond_within_minutes", "next_update_minutes", "recheck_within_minutes")
LIST_KEYS = ("includes", "excludes")


@record
class LibraryCase:
    id: str
    title: str
    answers: Mapping[str, Any]
    choices: Mapping[str, tuple[str, ...]]          # field -> acceptable values
    minutes: Mapping[str, Any]                      # field -> None | int | {"lte"/"gte": n}
    includes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    excludes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = "invented"
    judgement: str = ""
    where: Where | None = None


@record
class LibraryResult:
    case: LibraryCase
    failures: tuple[str, ...]


def load_library(rb: RuleBase, directory: str | Path) -> list[LibraryCase]:
    """Every case of every `*.yaml` file in `directory`, validated; all mistakes at once (exit 2)."""
    root = Path(directory)
    if not root.is_dir():
        raise UsageError(f"--cases {directory}: not a directory of case files")
    problems = Problems()
    cases: list[LibraryCase] = []
    seen: dict[str, str] = {}
    for path in sorted(root.glob("*.yaml")):
        label = display_path(path)
        data, located = load_yaml(read_text(path), label, path=str(path.resolve()))
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            problems.add(label, "", "expected a mapping with 'cases:', a list of cases")
            continue
        for i, raw in enumerate(data["cases"]):
            case = _case(rb, Item(raw, located, ("cases", i)), problems)
            if case is None:
                continue
            if case.id in seen:
                problems.add(str(case.where), f"case '{case.id}'", f"duplicate id (first in {seen[case.id]})")
            seen[case.id] = str(case.where)
            cases.append(case)
    if problems.messages:
        raise UsageError(problems.messages)
    if not cases:
        raise UsageError(f"--cases {directory}: no case found in its *.yaml files")
    return cases


def _case(rb: RuleBase, item: Item, problems: Problems) -> LibraryCase | None:
    cid = item.data.get("id") if isinstance(item.data, dict) else None
    what = f"case '{cid}'"
    if not check_keys(item, what, problems, CASE_KEYS, OPTIONAL_KEYS):
        return None
    answers = parse_answers(rb, item, "answers", what, problems)
    expect = parse_expect(rb, Item(item.data["expect"], item.located, (*item.path, "expect")), what, problems)
    if answers is None or expect is None:
        return None
    return LibraryCase(str(cid), str(item.data["title"]), answers, expect.choices, expect.minutes, expect.includes,
                       expect.excludes, str(item.data.get("source") or "invented"),
                       str(item.data.get("judgement") or "").strip(), item.where())


def parse_expect(rb: RuleBase, expect: Item, what: str, problems: Problems) -> Expectation | None:
    """An `expect:` mapping (choices, minutes, includes, excludes), checked against the outputs."""
    if not check_keys(expect, what, problems, (), (*CHOICE_FIELDS, *MINUTE_FIELDS, *LIST_KEYS)):
        return None
    choices = {f: v for f in CHOICE_FIELDS if f in expect.data and (v := _choice(rb, expect, f, what, problems))}
    minutes = {f: expect.data[f] for f in MINUTE_FIELDS if f in expect.data and _minutes(expect, f, what, problems)}
    lists = {key: _lists(rb, expect, key, what, problems) for key in LIST_KEYS}
    return Expectation(choices, minutes, lists["includes"], lists["excludes"])


def parse_answers(rb: RuleBase, item: Item, key: str, what: str, problems: Problems) -> dict[str, Any] | None:
    """A mapping of answer ids to values under `key`, each checked against its question."""
    from playbook.core.answers import coerce

    data = item.data[key]
    if not isinstance(data, dict):
        problems.add(item.at(key), what, f"'{key}' takes a mapping of answer ids to values")
        return None
    ids = [q.id for q in rb.questions]
    out: dict[str, Any] = {}
    for qid, value in data.items():
        q = rb.question(str(qid))
        if q is None:
            problems.add(item.key_at(key, qid), what, f"unknown answer id '{qid}'{did_you_mean(qid, ids)}")
            continue
        try:
            out[q.id] = coerce(q, value)
        except ValueError as exc:
            problems.add(item.at(key, qid), what, f"'{qid}': {exc}; allowed values: {q.allowed()}")
    return out


def _choice(rb: RuleBase, expect: Item, fid: str, what: str, problems: Problems) -> tuple[str, ...]:
    value = expect.data[fid]
    values = value if isinstance(value, list) else [value]
    allowed = rb.outputs[fid].values
    bad = [v for v in values if v not in allowed]
    if bad or not values:
        problems.add(expect.at(fid), what, f"'{fid}': unknown value '{bad[0] if bad else ''}'"
                     f"{did_you_mean(bad[0], allowed) if bad else ''}; allowed: {', '.join(allowed)}")
        return ()
    return tuple(str(v) for v in values)


def _minutes(expect: Item, fid: str, what: str, problems: Problems) -> bool:
    value = expect.data[fid]
    number = (int, float)
    ok = value is None or (isinstance(value, number) and not isinstance(value, bool)) or (
        isinstance(value, dict) and bool(value) and set(value) <= {"lte", "gte"}
        and all(isinstance(n, number) and not isinstance(n, bool) for n in value.values()))
    if not ok:
        problems.add(expect.at(fid), what, f"'{fid}': expected null, a number of minutes, {{lte: n}} or {{gte: n}}")
    return ok


def _lists(rb: RuleBase, expect: Item, key: str, what: str, problems: Problems) -> dict[str, tuple[str, ...]]:
    data = expect.data.get(key) or {}
    if not isinstance(data, dict):
        problems.add(expect.at(key), what, f"'{key}' maps list outputs to values")
        return {}
    list_fields = [f.id for f in rb.outputs.values() if f.is_list]
    out: dict[str, tuple[str, ...]] = {}
    for fid, values in data.items():
        out_field = rb.outputs.get(fid)
        if out_field is None or not out_field.is_list:
            problems.add(expect.key_at(key, fid), what, f"'{key}': '{fid}' is not a list output"
                         f"{did_you_mean(fid, list_fields)}; allowed: {', '.join(list_fields)}")
            continue
        allowed = list(rb.guidance.get(out_field.catalogue, {})) if out_field.catalogue else list(out_field.values)
        values = values if isinstance(values, list) else [values]
        for v in values:
            if v not in allowed:
                problems.add(expect.at(key, fid), what,
                             f"'{key}.{fid}': unknown value '{v}'{did_you_mean(v, allowed)}")
        out[str(fid)] = tuple(str(v) for v in values)
    return out


def run_library(rb: RuleBase, cases: Sequence[LibraryCase]) -> list[LibraryResult]:
    engine = Engine(rb)
    return [LibraryResult(case, tuple(case_failures(rb, engine, case))) for case in cases]


def case_failures(rb: RuleBase, engine: Engine, case: LibraryCase) -> list[str]:
    """What the decision gets wrong for this case; empty when it is right."""
    raw = RawAnswers({**rb.case_defaults, **case.answers}, {}, f"case '{case.id}'")
    try:
        answers = validate(rb, raw)
    except AnswersError as exc:
        return list(exc.messages)
    if answers.missing:
        return [f"answers missing: {', '.join(answers.missing)}"]
    outputs = engine.decide(answers.values).outputs
    return compare(outputs, Expectation(case.choices, case.minutes, case.includes, case.excludes))


def compare(outputs: Mapping[str, Any], expect: Expectation) -> list[str]:
    """Where a decision's outputs differ from what is expected; empty when they agree."""
    failures = []
    for fid, acceptable in expect.choices.items():
        if outputs.get(fid) not in acceptable:
            failures.append(f"{fid}: expected {' or '.join(acceptable)}, got {outputs.get(fid)}")
    for fid, want in expect.minutes.items():
        got = outputs.get(fid)
        if not _minutes_ok(got, want):
            failures.append(f"{fid}: expected {want}, got {got}")
    for fid, values in expect.includes.items():
        missing = [v for v in values if v not in outputs.get(fid, ())]
        if missing:
            failures.append(f"{fid}: missing {', '.join(missing)}")
    for fid, values in expect.excludes.items():
        present = [v for v in values if v in outputs.get(fid, ())]
        if present:
            failures.append(f"{fid}: must not contain {', '.join(present)}")
    return failures


def _minutes_ok(got: Any, want: Any) -> bool:
    if want is None or not isinstance(want, dict):
        return bool(got == want)
    if got is None:
        return False
    return all(got <= n if op == "lte" else got >= n for op, n in want.items())
