"""Training scenarios in the rule base: the `scenarios:` section, validated, and run as cases.

Scenarios live in `rules/scenarios/*.yaml` (any rules file may hold the section; overlays
merge them by id like every other section). Each one is checked against the rest of the rule
base, with `file:line:col` and did-you-mean: its answers and facts against the questions, its
expected decisions against the outputs, its principles, draft kinds and channels; the facts
at every inject must be a complete incident. The format:

    scenarios:
      - id: united_breaks_guitars
        title: {en: …, fr: …}
        source: pitfalls              # the article that tells a real case, or `invented`
        real_case: {en: …, fr: …}     # for a real case: what happened
        organisation: United Airlines
        role: {en: …, fr: …}          # who the trainee plays
        starts_at: "09:00"            # optional: the scenario clock at T+0
        narrative: {en: …, fr: …}
        start: {origin: customer_complaint, …}        # the answers before the first inject
        injects:
          - id: song_posted
            at: T+0m                  # T+45m, T+2h, T+1d3h
            kind: video               # post, comment, video, email, call, message, memo, news, metrics, alert
            from: "Dave Carroll on YouTube"           # or {en: …, fr: …}
            sees: {en: …, fr: …}
            facts: {reach: growing}   # the answers it changes (and the drafting facts)
            notes: {en: …, fr: …}     # teaching notes, shown after the decision
            principles: [butterfly_effect]
            message: {kind: public_reply, channel: twitter, prompt: {en: …, fr: …}}
            decide_within: 5m         # optional: real time the trainee has to decide
            expect: {action: …, severity: …, posture: …, includes: {strategy: […]}}   # as a case library
        debrief: {what_happened: {…}, worked: {…}, did_not_work: {…}, principles: […]}

The expected decision at an inject is the engine's own on the facts so far; `expect` pins it,
and `run_scenarios` (used by `playbook rules test` and pytest) reports where they differ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.answers import RawAnswers, validate
from playbook.core.engine import Engine
from playbook.core.model import RuleBase, Text
from playbook.core.record import record
from playbook.core.scenario import (
    INJECT_KINDS,
    INVENTED,
    RESERVED_IDS,
    Debrief,
    Inject,
    MessageTask,
    Scenario,
    parse_clock,
    parse_duration,
)
from playbook.errors import AnswersError, did_you_mean
from playbook.rulebase.library import compare, parse_answers, parse_expect
from playbook.rulebase.validate import Item, Problems, check_keys, string_of
from playbook.rulebase.validate import text_of as _text_of

SCENARIO_KEYS = ("id", "title", "source", "organisation", "role", "narrative", "start", "injects", "debrief")
SCENARIO_OPTIONAL = ("real_case", "starts_at", "web", "enabled")
INJECT_KEYS = ("id", "at", "kind", "sees", "expect")
INJECT_OPTIONAL = ("from", "facts", "notes", "principles", "message", "decide_within")
DEBRIEF_KEYS = ("what_happened", "worked", "did_not_work", "principles")
REQUIRED_CHOICES = ("action", "severity", "posture")
MAX_INJECTS = 20
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def parse(items: Mapping[Any, Item], rb: RuleBase, problems: Problems) -> tuple[Scenario, ...]:
    """Every scenario of the merged `scenarios:` section, validated against `rb`."""
    out = (_scenario(item, rb, problems) for item in items.values())
    return tuple(s for s in out if s is not None)


def _scenario(item: Item, rb: RuleBase, problems: Problems) -> Scenario | None:
    sid = item.data.get("id") if isinstance(item.data, dict) else None
    what = f"scenario '{sid}'"
    before = len(problems.messages)
    if not check_keys(item, what, problems, SCENARIO_KEYS, SCENARIO_OPTIONAL) or not _has(item, SCENARIO_KEYS):
        return None
    ok = _check_id(item, sid, what, problems)
    texts = {key: text_of(item, key, what, problems) for key in ("title", "role", "narrative", "real_case")}
    source = _source(item, rb, what, problems, has_real_case=texts["real_case"] is not None)
    organisation, web = string_of(item, "organisation", what, problems), string_of(item, "web", what, problems)
    starts_at = _starts_at(item, what, problems)
    start = facts_of(rb, item, "start", what, problems)
    injects = _injects(item, rb, what, problems)
    debrief = _debrief(Item(item.data["debrief"], item.located, (*item.path, "debrief")), rb, what, problems)
    title, role, narrative = texts["title"], texts["role"], texts["narrative"]
    if not ok or None in (title, role, narrative, source, organisation, start, injects, debrief):
        return None
    assert title and role and narrative and source and organisation and start is not None and injects and debrief
    scenario = Scenario(str(sid), title, source, organisation, role, narrative, start, tuple(injects), debrief,
                        texts["real_case"], starts_at, web, item.where())
    if len(problems.messages) == before:  # a wrong answer would only be reported again as missing
        _check_complete(scenario, item, rb, what, problems)
    return scenario


_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_UNITS = re.compile(r"(?<=\d) (?=(?:h|min|%|€|kg|km)(?!\w))")
_HOUR_MINUTES = re.compile(r"(?<=\d\u00a0h) (?=\d\d(?!\d))")


def text_of(item: Item, key: str, what: str, problems: Problems, *, typography: bool = True) -> Text | None:
    """A text in both languages; in French, numbers stay with their digits and units on one line
    (`48 212`, `20 %`, `7 h 02`, with no-break spaces)."""
    text = _text_of(item, key, what, problems, typography=typography)
    if text is None or not typography:
        return text
    fr = _HOUR_MINUTES.sub("\u00a0", _UNITS.sub("\u00a0", _THOUSANDS.sub("\u202f", text.fr)))
    return Text(text.en, fr)


def _has(item: Item, keys: Sequence[str]) -> bool:
    """Every required key is there (`check_keys` has reported those that are not)."""
    return all(key in item.data for key in keys)


def _check_id(item: Item, sid: Any, what: str, problems: Problems) -> bool:
    if not isinstance(sid, str) or not _ID.match(sid):
        problems.add(item.at("id"), what, "an id is lower-case letters, digits, '_' and '-'")
        return False
    if sid in RESERVED_IDS:
        problems.add(item.at("id"), what, f"'{sid}' is a word of `playbook train`; choose another id")
        return False
    return True


def _source(item: Item, rb: RuleBase, what: str, problems: Problems, *, has_real_case: bool) -> str | None:
    source = item.data.get("source")
    allowed = [INVENTED, *rb.sources]
    if not isinstance(source, str) or source not in allowed:
        problems.add(item.at("source"), what, f"unknown source '{source}'{did_you_mean(source, allowed)}; "
                     f"allowed: {', '.join(allowed)}")
        return None
    if source != INVENTED and not has_real_case and "real_case" not in item.data:
        problems.add(item.at("source"), what, "a real case (source other than 'invented') needs 'real_case': "
                     "what happened, in both languages")
    return source


def _starts_at(item: Item, what: str, problems: Problems) -> int | None:
    value = item.data.get("starts_at")
    if value is None:
        return None
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value) if isinstance(value, str) else None
    if match is None:
        problems.add(item.at("starts_at"), what, "'starts_at' is a quoted time of day, e.g. \"09:00\"")
        return None
    return int(match[1]) * 60 + int(match[2])


def _injects(item: Item, rb: RuleBase, what: str, problems: Problems) -> list[Inject] | None:
    raw = item.data["injects"]
    if not isinstance(raw, list) or not raw or len(raw) > MAX_INJECTS:
        problems.add(item.at("injects"), what, f"'injects' takes a list of 1 to {MAX_INJECTS} injects")
        return None
    injects: list[Inject] = []
    seen: set[str] = set()
    for i in range(len(raw)):
        sub = Item(raw[i], item.located, (*item.path, "injects", i))
        inject = _inject(sub, rb, what, problems)
        if inject is None:
            continue
        if inject.id in seen:
            problems.add(sub.at("id"), what, f"duplicate inject id '{inject.id}'")
        if injects and inject.at < injects[-1].at:
            problems.add(sub.at("at"), what, f"inject '{inject.id}' comes before the inject listed above it; "
                         "list injects in time order")
        seen.add(inject.id)
        injects.append(inject)
    return injects if len(injects) == len(raw) else None


def _inject(item: Item, rb: RuleBase, scenario: str, problems: Problems) -> Inject | None:
    iid = item.data.get("id") if isinstance(item.data, dict) else None
    what = f"{scenario} inject '{iid}'"
    if not check_keys(item, what, problems, INJECT_KEYS, INJECT_OPTIONAL) or not _has(item, INJECT_KEYS):
        return None
    if not isinstance(iid, str) or not _ID.match(iid):
        problems.add(item.at("id"), what, "an id is lower-case letters, digits, '_' and '-'")
    at = parse_clock(item.data["at"]) if isinstance(item.data["at"], str) else None
    if at is None:
        problems.add(item.at("at"), what, "'at' is a time from the start: T+0m, T+45m, T+2h, T+1d3h")
    kind = item.data["kind"]
    if kind not in INJECT_KINDS:
        problems.add(item.at("kind"), what, f"unknown kind '{kind}'{did_you_mean(kind, INJECT_KINDS)}; "
                     f"allowed: {', '.join(INJECT_KINDS)}")
    sees, notes, sender = text_of(item, "sees", what, problems), text_of(item, "notes", what, problems), \
        name_of(item, "from", what, problems)
    facts = facts_of(rb, item, "facts", what, problems) if "facts" in item.data else {}
    principles = principles_of(item, "principles", rb, what, problems)
    message = _message(item, rb, what, problems) if "message" in item.data else None
    within = _within(item, what, problems)
    expect = parse_expect(rb, Item(item.data["expect"], item.located, (*item.path, "expect")), what, problems)
    if expect is not None:
        for fid in REQUIRED_CHOICES:
            if fid not in expect.choices and fid not in (item.data["expect"] or {}):
                problems.add(item.at("expect"), what, f"'expect' pins '{fid}' (the decision a trainee is scored on)")
    if (not isinstance(iid, str) or at is None or kind not in INJECT_KINDS or sees is None or facts is None
            or expect is None or ("message" in item.data and message is None)):
        return None
    return Inject(iid, at, str(kind), sees, expect, sender, facts, notes, principles, message, within, item.where())


def facts_of(rb: RuleBase, item: Item, key: str, what: str, problems: Problems) -> dict[str, Any] | None:
    """Answers, where a text (the summary, a fact for the drafts) may be written in both languages."""
    data = item.data[key]
    if not isinstance(data, dict):
        return parse_answers(rb, item, key, what, problems)
    both = [k for k, v in data.items() if isinstance(v, dict) and (q := rb.question(str(k))) and q.type == "text"]
    plain = Item({key: {k: v for k, v in data.items() if k not in both}}, item.located, item.path)
    out = parse_answers(rb, plain, key, what, problems)
    sub = Item(data, item.located, (*item.path, key))
    for qid in both:
        text = text_of(sub, qid, what, problems, typography=False)
        if out is not None and text is not None and _text_ok(rb, sub, str(qid), text, what, problems):
            out[str(qid)] = text
    return out


def _text_ok(rb: RuleBase, sub: Item, qid: str, text: Text, what: str, problems: Problems) -> bool:
    from playbook.core.answers import coerce

    q = rb.question(qid)
    for lang in ("en", "fr"):
        try:
            coerce(q, text.get(lang)) if q else None
        except ValueError as exc:
            problems.add(sub.at(qid, lang), what, f"'{qid}': {exc}")
            return False
    return True


def name_of(item: Item, key: str, what: str, problems: Problems) -> Text | None:
    """A name the same in every language (`Dave Carroll`), or a text per language."""
    value = item.data.get(key)
    if isinstance(value, str):
        return Text(value.strip(), value.strip()) if value.strip() else text_of(item, key, what, problems)
    return text_of(item, key, what, problems)


def principles_of(item: Item, key: str, rb: RuleBase, what: str, problems: Problems) -> tuple[str, ...]:
    values = item.data.get(key) or []
    if not isinstance(values, list):
        problems.add(item.at(key), what, f"'{key}' takes a list of principle ids")
        return ()
    known = list(rb.principles)
    for i, pid in enumerate(values):
        if pid not in rb.principles:
            problems.add(item.at(key, i), what, f"unknown principle '{pid}'{did_you_mean(pid, known)}")
    return tuple(str(p) for p in values if p in rb.principles)


def _message(item: Item, rb: RuleBase, what: str, problems: Problems) -> MessageTask | None:
    sub = Item(item.data["message"], item.located, (*item.path, "message"))
    if not check_keys(sub, what, problems, ("kind", "prompt"), ("channel",)) or not _has(sub, ("kind", "prompt")):
        return None
    kinds = [k.id for k in rb.drafting.kinds] if rb.drafting else []
    kind = sub.data["kind"]
    if kind not in kinds:
        problems.add(sub.at("kind"), what, f"unknown draft kind '{kind}'{did_you_mean(kind, kinds)}; "
                     f"allowed: {', '.join(kinds)}")
    channel = sub.data.get("channel")
    found = rb.drafting.channel(channel) if rb.drafting and isinstance(channel, str) else None
    if channel is not None and found is None:
        names = list(rb.drafting.channels) if rb.drafting else []
        problems.add(sub.at("channel"), what, f"unknown channel '{channel}'{did_you_mean(channel, names)}; "
                     f"allowed: {', '.join(names)}")
    prompt = text_of(sub, "prompt", what, problems)
    if kind not in kinds or prompt is None or (channel is not None and found is None):
        return None
    return MessageTask(str(kind), prompt, found.id if found else None)


def _within(item: Item, what: str, problems: Problems) -> int | None:
    value = item.data.get("decide_within")
    if value is None:
        return None
    seconds = parse_duration(value, {"h": 3600, "m": 60, "s": 1}) if isinstance(value, str) else None
    if not seconds:
        problems.add(item.at("decide_within"), what, "'decide_within' is a real-time delay: 90s, 5m, 1h")
    return seconds or None


def _debrief(item: Item, rb: RuleBase, what: str, problems: Problems) -> Debrief | None:
    if not check_keys(item, what, problems, DEBRIEF_KEYS[:3], DEBRIEF_KEYS[3:]):
        return None
    texts = [text_of(item, key, f"{what} debrief", problems) for key in DEBRIEF_KEYS[:3]]
    principles = principles_of(item, "principles", rb, f"{what} debrief", problems)
    if None in texts:
        return None
    happened, worked, did_not = (t for t in texts if t is not None)
    return Debrief(happened, worked, did_not, principles)


def _check_complete(scenario: Scenario, item: Item, rb: RuleBase, what: str, problems: Problems) -> None:
    """At every inject the facts so far are a whole incident: the trainee decides on them."""
    for index, inject in enumerate(scenario.injects):
        try:
            answers = validate(rb, RawAnswers(scenario.facts_at(index)))
        except AnswersError as exc:  # cannot happen for values coerced above; say so if it does
            problems.add(item.at("injects", index), what, f"inject '{inject.id}': {exc.messages[0]}")
            return
        if answers.missing:
            problems.add(item.at("injects", index), what,
                         f"inject '{inject.id}': the facts so far leave answers missing: "
                         + "; ".join(f"{qid} ({_allowed(rb, qid)})" for qid in answers.missing)
                         + " — give them in 'start' or in this inject's 'facts'")
            return


def _allowed(rb: RuleBase, qid: str) -> str:
    q = rb.question(qid)
    return q.allowed() if q else ""


@record
class InjectResult:
    """One inject run as a test case: where the engine's decision differs from `expect`."""

    scenario: Scenario
    index: int
    failures: tuple[str, ...]

    @property
    def inject(self) -> Inject:
        return self.scenario.injects[self.index]


def run_scenarios(rb: RuleBase, scenarios: Sequence[Scenario] | None = None) -> list[InjectResult]:
    engine = Engine(rb)
    return [InjectResult(s, i, tuple(inject_failures(rb, engine, s, i)))
            for s in (rb.scenarios if scenarios is None else scenarios) for i in range(len(s.injects))]


def inject_failures(rb: RuleBase, engine: Engine, scenario: Scenario, index: int) -> list[str]:
    """What the decision on the facts at inject `index` gets wrong against its `expect`."""
    try:
        answers = validate(rb, RawAnswers(scenario.facts_at(index)))
    except AnswersError as exc:
        return list(exc.messages)
    if answers.missing:
        return [f"answers missing: {', '.join(answers.missing)}"]
    return compare(engine.decide(answers.values).outputs, scenario.injects[index].expect)
