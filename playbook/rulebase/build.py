"""Build the rule base from its YAML files: merge overlays by id, then validate every section.

Every `*.yaml` file at the top of a rules directory, or in its `scenarios/` folder, may hold any
of the sections below; `scenarios` is validated last, against the rest (`rulebase.scenarios`).
Overlays merge by id: the same id replaces the built-in entry in place, `enabled: false`
removes it, a new id is added at the end. All mistakes are collected and reported together.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.draftmodel import MAPPING_SECTIONS as DRAFT_MAPPINGS
from playbook.core.draftmodel import SECTIONS as DRAFT_SECTIONS
from playbook.core.model import (
    Guidance,
    OutputField,
    Principle,
    Question,
    RuleBase,
    Source,
)
from playbook.core.record import replace
from playbook.errors import RuleBaseError, did_you_mean
from playbook.rulebase import draft_sections as draftparse
from playbook.rulebase.rules import Ctx, parse_constraint, parse_rule
from playbook.rulebase.source import display_path, load_yaml
from playbook.rulebase.validate import (
    Item,
    Problems,
    check_keys,
    parse_output,
    parse_question,
    string_of,
    text_of,
)

LIST_SECTIONS = ("questions", "facts", "sources", "principles", "rules", "constraints", *DRAFT_SECTIONS, "scenarios")
SECTIONS = (*LIST_SECTIONS, "outputs", "guidance", "case_defaults", *DRAFT_MAPPINGS)


def build(contents: Sequence[tuple[str, bytes]], paths: Sequence[str], digest: str) -> RuleBase:
    """Parse, merge and validate; raise RuleBaseError listing every mistake found."""
    problems = Problems()
    merged = _merge(contents, problems)
    if problems.messages:
        raise RuleBaseError(problems.messages)
    questions = _questions(merged["questions"], merged["facts"], problems)
    sources = _sources(merged["sources"], problems)
    principles = _principles(merged["principles"], sources, problems)
    outputs = _outputs(merged["outputs"], problems)
    guidance = _guidance(merged["guidance"], problems)
    qmap = {q.id: q for q in questions}
    ctx = Ctx(qmap, principles, outputs, guidance, problems)
    rules = tuple(r for r in (parse_rule(i, ctx) for i in merged["rules"].values()) if r)
    constraints = tuple(c for c in (parse_constraint(i, ctx) for i in merged["constraints"].values()) if c)
    defaults = _case_defaults(merged["case_defaults"], qmap, problems)
    _check_output_refs(merged["outputs"], outputs, problems)
    drafting = draftparse.parse(merged, draftparse.FactSpace(qmap, outputs, guidance), problems)
    if problems.messages:
        raise RuleBaseError(problems.messages)
    rb = RuleBase(tuple(questions), sources, principles, outputs, guidance, rules, constraints,
                  defaults, tuple(paths), digest, drafting)
    if not merged["scenarios"]:
        return rb
    from playbook.rulebase import scenarios  # read against the whole rule base: its answers, outputs, drafts

    parsed = scenarios.parse(merged["scenarios"], rb, problems)
    if problems.messages:
        raise RuleBaseError(problems.messages)
    return replace(rb, scenarios=parsed)


def _merge(contents: Sequence[tuple[str, bytes]], problems: Problems) -> dict[str, dict[Any, Item]]:
    merged: dict[str, dict[Any, Item]] = {name: {} for name in SECTIONS}
    for path, raw in contents:
        label = display_path(path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.add(label, "", f"not UTF-8 text ({exc.reason})")
            continue
        data, located = load_yaml(text, label, error=RuleBaseError, path=os.path.realpath(path))
        if data is None:
            continue
        top = Item(data, located, ())
        if not check_keys(top, "", problems, (), SECTIONS):
            continue
        for section, value in data.items():
            if section in SECTIONS:
                _merge_section(merged[section], section, Item(value, located, (section,)), problems)
    return merged


def _merge_section(target: dict[Any, Item], section: str, item: Item, problems: Problems) -> None:
    if section in LIST_SECTIONS:
        if not isinstance(item.data, list):
            problems.add(item.at(), section, "expected a list of entries, each with an 'id'")
            return
        entries = [Item(e, item.located, (section, i)) for i, e in enumerate(item.data)]
        keyed = [(e.data.get("id") if isinstance(e.data, dict) else None, e) for e in entries]
    elif section == "guidance":
        if not isinstance(item.data, dict):
            problems.add(item.at(), section, "expected 'do:' and 'avoid:' lists")
            return
        keyed = []
        for cat, lst in item.data.items():
            if cat not in ("do", "avoid") or not isinstance(lst, list):
                problems.add(item.key_at(cat), section, f"'{cat}': expected 'do' or 'avoid' with a list")
                continue
            for i, e in enumerate(lst):
                eid = e.get("id") if isinstance(e, dict) else None
                keyed.append(((cat, eid) if eid else None, Item(e, item.located, (section, cat, i))))
    else:
        if not isinstance(item.data, dict):
            problems.add(item.at(), section, "expected a mapping")
            return
        keyed = [(k, Item(v, item.located, (section, k))) for k, v in item.data.items()]
    for key, entry in keyed:
        name = key[1] if isinstance(key, tuple) else key
        if name is None or (isinstance(name, str) and not name.strip()):
            problems.add(entry.at(), section, "every entry needs a non-empty 'id'")
        elif not isinstance(name, str | int | float | bool):
            problems.add(entry.at("id"), section, "an 'id' is a name, not a list or a mapping")
        elif isinstance(entry.data, dict) and entry.data.get("enabled") is False:
            target.pop(key, None)
        else:
            target[key] = entry


def _questions(items: Mapping[Any, Item], facts: Mapping[Any, Item], problems: Problems) -> list[Question]:
    """The triage questions in interview order, then the facts for the drafts."""
    earlier: dict[str, Question] = {}
    for item, stage in [*((i, "triage") for i in items.values()), *((i, "drafting") for i in facts.values())]:
        if isinstance(item.data, dict) and item.data.get("id") in earlier:
            problems.add(item.at("id"), f"fact '{item.data['id']}'", "already a question's id")
            continue
        q = parse_question(item, earlier, problems, stage)
        if q is not None:
            earlier[q.id] = q
    return list(earlier.values())


def _sources(items: Mapping[Any, Item], problems: Problems) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for sid, item in items.items():
        what = f"source '{sid}'"
        if not check_keys(item, what, problems, ("id", "title", "kind", "reference"), ("enabled",)):
            continue
        kind = item.data.get("kind")
        if kind not in ("article", "practice"):
            problems.add(item.at("kind"), what, "'kind' is 'article' or 'practice'")
        title, ref = string_of(item, "title", what, problems), string_of(item, "reference", what, problems)
        if title and ref and kind in ("article", "practice"):
            out[sid] = Source(sid, title, str(kind), ref)
    return out


def _principles(items: Mapping[Any, Item], sources: Mapping[str, Source],
                problems: Problems) -> dict[str, Principle]:
    out: dict[str, Principle] = {}
    for pid, item in items.items():
        what = f"principle '{pid}'"
        if not check_keys(item, what, problems, ("id", "title", "summary", "source"),
                          ("quote", "enabled")):
            continue
        source = item.data.get("source")
        if not isinstance(source, str) or source not in sources:
            problems.add(item.at("source"), what,
                         f"unknown source '{source}'{did_you_mean(source, list(sources))}; "
                         f"known: {', '.join(sources)}")
        title, summary = text_of(item, "title", what, problems), text_of(item, "summary", what, problems)
        quote = string_of(item, "quote", what, problems)
        if title and summary and isinstance(source, str) and source in sources:
            out[pid] = Principle(pid, title, summary, str(source), quote, item.where())
    return out


def _outputs(items: Mapping[Any, Item], problems: Problems) -> dict[str, OutputField]:
    out = {fid: parse_output(item, str(fid), problems) for fid, item in items.items()}
    return {k: v for k, v in out.items() if v is not None}


def _check_output_refs(items: Mapping[Any, Item], outputs: Mapping[str, OutputField],
                       problems: Problems) -> None:
    """`only_with_action` names actions and `from_severity` names severities."""
    actions = outputs["action"].values if "action" in outputs else ()
    severities = outputs["severity"].values if "severity" in outputs else ()
    for fid, out in outputs.items():
        item = items[fid]
        for action in out.only_with_action:
            if action not in actions:
                problems.add(item.at("only_with_action"), f"output '{fid}'",
                             f"unknown action '{action}'{did_you_mean(action, actions)}")
        for sev in out.from_severity:
            if sev not in severities:
                problems.add(item.key_at("from_severity", sev), f"output '{fid}'",
                             f"unknown severity '{sev}'{did_you_mean(sev, severities)}")
    for required in ("action", "severity", "posture"):
        if required not in outputs:
            problems.add("outputs", "", f"the output '{required}' must be declared")


def _guidance(items: Mapping[Any, Item], problems: Problems) -> dict[str, dict[str, Guidance]]:
    out: dict[str, dict[str, Guidance]] = {"do": {}, "avoid": {}}
    for (cat, gid), item in items.items():
        what = f"{cat} '{gid}'"
        if not check_keys(item, what, problems, ("id", "text"), ("enabled",)):
            continue
        text = text_of(item, "text", what, problems)
        if text is not None:
            out[cat][gid] = Guidance(gid, text)
    return out


def _case_defaults(items: Mapping[Any, Item], questions: Mapping[str, Question],
                   problems: Problems) -> dict[str, Any]:
    from playbook.core.answers import coerce

    out: dict[str, Any] = {}
    for qid, item in items.items():
        q = questions.get(qid)
        if q is None:
            problems.add(item.key_at(), "case_defaults",
                         f"unknown answer id '{qid}'{did_you_mean(qid, list(questions))}")
            continue
        try:
            out[qid] = coerce(q, item.data)
        except ValueError as exc:
            problems.add(item.at(), "case_defaults", f"'{qid}': {exc}; allowed values: {q.allowed()}")
    return out
