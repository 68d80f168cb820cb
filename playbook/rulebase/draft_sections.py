"""Validate the drafting sections of the rule base (see `draftbase`), naming file:line:col.

Called by `rulebuild` when the rule base is rebuilt: kinds, parts and channels here, checks
in `checkbase`; templates are parsed by `drafts` (the only module that imports jinja2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from playbook.core.answers import coerce
from playbook.core.conditions import All, Always, AnyOf, Condition, Test
from playbook.core.draftmodel import (
    CONTEXT_FLAGS,
    PUBLIC,
    SITUATION,
    Channel,
    DraftBase,
    DraftKind,
    DraftPart,
    Situation,
)
from playbook.core.model import Guidance, OutputField, Question, Text
from playbook.core.record import record, replace
from playbook.core.text import LANGS, french_typography
from playbook.errors import did_you_mean
from playbook.rulebase.patterns import anchor_index
from playbook.rulebase.validate import Item, Problems, check_keys, parse_combinators, text_of


@record(frozen=False)
class FactSpace:
    """The names a draft condition may test."""

    questions: Mapping[str, Question]
    outputs: Mapping[str, OutputField]
    guidance: Mapping[str, Mapping[str, Guidance]]

    situations: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return [*self.outputs, *self.questions, *CONTEXT_FLAGS, SITUATION]

    def allowed(self, out: OutputField) -> Sequence[str]:
        return list(self.guidance.get(out.catalogue, {})) if out.catalogue else out.values


def parse(merged: Mapping[str, Mapping[Any, Item]], space: FactSpace, problems: Problems) -> DraftBase:
    """The drafting sections of a merged rule base, every mistake reported with its place."""
    from playbook.rulebase.check_sections import parse_check, parse_language

    channels = {c.id: c for c in (_channel(i, problems) for i in merged["channel_limits"].values()) if c}
    situations = tuple(x for x in (_situation(i, space, problems) for i in merged["situations"].values()) if x)
    space = replace(space, situations=tuple(x.id for x in situations))
    parts = {p.id: p for p in (_part(i, space, problems) for i in merged["draft_parts"].values()) if p}
    kinds = tuple(k for k in (_kind(i, space, channels, parts, problems)
                              for i in merged["drafts"].values()) if k)
    language = parse_language(merged["check_language"], problems)
    checks = tuple(c for c in (parse_check(i, problems, language.words) for i in merged["checks"].values()) if c)
    if merged["drafts"] and not channels:
        problems.add("channel_limits", "", "drafts need at least one channel in 'channel_limits'")
    if sum(c.default for c in channels.values()) > 1:
        problems.add("channel_limits", "", "only one channel may be the 'default'")
    anchors = {lang: anchor_index(frozenset(w for c in checks if lang in c.matchers
                                            for words, more, _ in c.matchers[lang].anchored for w in (*words, *more)))
               for lang in LANGS}
    return DraftBase(kinds, parts, channels, checks, situations, language, anchors)


def _situation(item: Item, space: FactSpace, problems: Problems) -> Situation | None:
    sid = item.data.get("id")
    what = f"situation '{sid}'"
    if not check_keys(item, what, problems, ("id", "label", "when"), ("enabled",)):
        return None
    label = text_of(item, "label", what, problems)
    when = parse_condition(item, "when", what, space, problems)
    if label is None or not isinstance(sid, str):
        return None
    return Situation(sid, label, when, item.where())


def _channel(item: Item, problems: Problems) -> Channel | None:
    cid = item.data.get("id")
    what = f"channel '{cid}'"
    if not check_keys(item, what, problems, ("id", "label", "limit"), ("aliases", "default", "url_length", "enabled")):
        return None
    limit = item.data.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        problems.add(item.at("limit"), what, "'limit' is a number of characters >= 1, or null for no limit")
        return None
    aliases = item.data.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        problems.add(item.at("aliases"), what, "'aliases' takes a list of names")
        aliases = []
    if cid == PUBLIC:
        problems.add(item.at("id"), what, f"'{PUBLIC}' is reserved: a kind's channel '{PUBLIC}' means --channel")
    label = text_of(item, "label", what, problems)
    url_length = item.data.get("url_length")
    if url_length is not None and (isinstance(url_length, bool) or not isinstance(url_length, int) or url_length < 1):
        problems.add(item.at("url_length"), what, "'url_length' is the number of characters a link counts for")
        url_length = None
    default = item.data.get("default", False)
    if not isinstance(default, bool):
        problems.add(item.at("default"), what, "'default' is true or false")
    if label is None or not isinstance(cid, str):
        return None
    return Channel(cid, label, limit, tuple(a.lower() for a in aliases), default is True, url_length)


def _part(item: Item, space: FactSpace, problems: Problems) -> DraftPart | None:
    pid = item.data.get("id")
    what = f"part '{pid}'"
    if not check_keys(item, what, problems, ("id", "text"), ("when", "required", "drop", "enabled")):
        return None
    required = item.data.get("required", False)
    if not isinstance(required, bool):
        problems.add(item.at("required"), what, "'required' is true or false")
    drop = item.data.get("drop")
    if drop is not None and (isinstance(drop, bool) or not isinstance(drop, int) or drop < 1):
        problems.add(item.at("drop"), what, "'drop' is a whole number >= 1 (lower is dropped first)")
        drop = None
    if drop is not None and required is True:
        problems.add(item.key_at("drop"), what, "a required part is never dropped; remove 'drop'")
    when = parse_condition(item, "when", what, space, problems) if "when" in item.data else Always()
    text = text_of(item, "text", what, problems, typography=False)
    if text is None:
        return None
    text = Text(text.en, french_typography(text.fr))
    quoted = _check_templates(item, what, text, space, problems)
    facts = tuple(q.id for q in space.questions.values() if q.optional and q.id in quoted)
    return DraftPart(str(pid), text, when, required is True, drop, item.where(), facts)


def _check_templates(item: Item, what: str, text: Text, space: FactSpace, problems: Problems) -> set[str]:
    """Report the templates' mistakes; return the names they read (in either language)."""
    from playbook.rulebase.templates import TEMPLATE_VARIABLES, sample_failure, template_names, template_problems

    known = {*TEMPLATE_VARIABLES, *space.questions, *space.outputs, *CONTEXT_FLAGS}
    names: set[str] = set()
    for lang in ("en", "fr"):
        found = template_problems(text.get(lang), known)
        for line, message in found:
            problems.add(item.at("text", lang), what, f"template '{lang}', line {line}: {message}")
        failure = None if found else sample_failure(text.get(lang), sample_contexts(space))
        if failure:
            problems.add(item.at("text", lang), what, f"template '{lang}' fails on a sample decision: {failure}")
        names |= template_names(text.get(lang))
    return names


TEMPLATE_VARIABLES_SAMPLE = ("org", "spokesperson", "role", "signature", "sign_off", "press_contact", "updates_page",
                             "support", "support_short", "channel", "channel_label", "next_update", "respond_within",
                             "executive_signature")


def sample_contexts(space: FactSpace) -> list[dict[str, Any]]:
    """Two decisions to render every template with: everything set, and nearly nothing."""
    full: dict[str, Any] = {name: "Sample" for name in TEMPLATE_VARIABLES_SAMPLE}
    sparse: dict[str, Any] = {name: "" for name in TEMPLATE_VARIABLES_SAMPLE}
    for context, rich in ((full, True), (sparse, False)):
        contact = {"id": "comms_lead", "label": "Comms", "name": "Sample", "reach": "x"}
        context.update(contacts=[contact] if rich else [],
                       given=[q for q in space.questions if space.questions[q].optional] if rich else [],
                       situation=space.situations[0] if space.situations and rich else "general",
                       approved_line="Sample" if rich else "", since_last=rich)
        for q in space.questions.values():
            context[q.id] = {"select": q.values[0] if q.values else None, "confirm": rich,
                             "number": 1 if rich else 0}.get(q.type, "Sample text" if rich else None)
            if q.optional:
                context[q.id] = "Sample fact" if rich else "[placeholder]"
        for fid, out in space.outputs.items():
            if out.is_list:
                context[fid] = list(space.allowed(out)) if rich else []
            elif out.policy == "min":
                context[fid] = 60 if rich else None
            else:
                context[fid] = out.values[0] if out.values else None
        context.update({flag: rich for flag in CONTEXT_FLAGS})
    return [full, sparse]


def _kind(item: Item, space: FactSpace, channels: Mapping[str, Channel],
          parts: Mapping[str, DraftPart], problems: Problems) -> DraftKind | None:
    kid = item.data.get("id")
    what = f"draft '{kid}'"
    if not check_keys(item, what, problems, ("id", "title", "when", "channel", "parts"), ("enabled",)):
        return None
    title = text_of(item, "title", what, problems)
    when = parse_condition(item, "when", what, space, problems)
    channel = item.data.get("channel")
    allowed = [PUBLIC, *channels]
    if not isinstance(channel, str) or channel not in allowed:
        problems.add(item.at("channel"), what,
                     f"unknown channel '{channel}'{did_you_mean(channel, allowed)}; allowed: {', '.join(allowed)} "
                     f"('{PUBLIC}': the channel chosen with --channel)")
    paragraphs = _paragraphs(item, what, parts, problems)
    if title is None or not isinstance(channel, str) or channel not in allowed or not paragraphs:
        return None
    return DraftKind(str(kid), title, when, str(channel), paragraphs, item.where())


def _paragraphs(item: Item, what: str, parts: Mapping[str, DraftPart],
                problems: Problems) -> tuple[tuple[str, ...], ...]:
    """`parts`: each entry is a paragraph: one part id, or a list of ids joined by spaces."""
    raw = item.data.get("parts")
    if not isinstance(raw, list) or not raw:
        problems.add(item.at("parts"), what, "'parts' takes a list of part ids (a nested list is one paragraph)")
        return ()
    out: list[tuple[str, ...]] = []
    for i, entry in enumerate(raw):
        ids = entry if isinstance(entry, list) else [entry]
        for j, pid in enumerate(ids):
            sub = (i, j) if isinstance(entry, list) else (i,)
            if not isinstance(pid, str) or pid not in parts:
                problems.add(item.at("parts", *sub), what,
                             f"unknown part '{pid}'{did_you_mean(pid, list(parts))}")
        out.append(tuple(str(p) for p in ids))
    return tuple(out)


# --- conditions over the decision ------------------------------------------------------------


def parse_condition(item: Item, key: str, what: str, space: FactSpace, problems: Problems) -> Condition:
    """A `when:` over outputs, answers and context flags, each name and value checked."""

    def leaf(sub: tuple[Any, ...], name: str, value: Any) -> list[Condition]:
        test = _fact_test(item, sub, name, value, what, space, problems)
        return [] if test is None else [test]

    return parse_combinators(item, (key,), what, problems, leaf,
                             "a condition must be a non-empty mapping (or all/any/not)")


def _fact_test(item: Item, sub: tuple[Any, ...], name: str, v: Any, what: str, space: FactSpace,
               problems: Problems) -> Condition | None:
    def bad(message: str) -> Condition | None:
        problems.add(item.at(*sub), what, f"'{name}': {message}")
        return None

    if name in CONTEXT_FLAGS:
        return Test(name, "eq", v) if isinstance(v, bool) else bad("takes true or false")
    if name == SITUATION:
        values = v if isinstance(v, list) else [v]
        unknown = [x for x in values if x not in (*space.situations, "general")]  # general: none matched
        if unknown or not values:
            wrong = unknown[0] if unknown else ""
            return bad(f"unknown situation '{wrong}'{did_you_mean(wrong, list(space.situations))}; "
                       f"situations: {', '.join(space.situations) or 'none declared'}")
        return Test(name, "eq", values[0]) if len(values) == 1 else Test(name, "in", tuple(values))
    out = space.outputs.get(name)
    if out is not None:
        if out.policy == "min":
            return _number_test(name, v, bad)
        allowed = space.allowed(out)
        values = v if isinstance(v, list) else [v]
        unknown = [x for x in values if x not in allowed]
        if not values or unknown:
            return bad(f"unknown value '{unknown[0] if unknown else ''}'"
                       f"{did_you_mean(unknown[0], allowed) if unknown else ''}; allowed: {', '.join(allowed)}")
        if out.is_list:  # a list output holds when it contains any of the values
            tests = tuple(Test(f"{name}:{x}", "eq", True) for x in values)
            return tests[0] if len(tests) == 1 else AnyOf(tests)
        return Test(name, "eq", values[0]) if len(values) == 1 else Test(name, "in", tuple(values))
    q = space.questions.get(name)
    if q is None:
        problems.add(item.key_at(*sub), what,
                     f"unknown name '{name}'{did_you_mean(name, space.names())} (conditions read outputs, "
                     f"answers and {', '.join(CONTEXT_FLAGS)})")
        return None
    if q.type == "text":
        return bad("is a free text and cannot be tested")
    if q.type == "number":
        return _number_test(name, v, bad)
    try:
        values = [coerce(q, x) for x in (v if isinstance(v, list) else [v])]
    except ValueError as exc:
        return bad(f"{exc}; allowed values: {q.allowed()}")
    return Test(name, "eq", values[0]) if len(values) == 1 else Test(name, "in", tuple(values))


def _number_test(name: str, v: Any, bad: Callable[[str], Condition | None]) -> Condition | None:
    """`{gte: n}` / `{lte: n}`; `null` tests that no value is set (no deadline is due)."""
    if v is None:
        return Test(name, "eq", None)
    if isinstance(v, dict) and v and all(op in ("gte", "lte") for op in v) and all(
            isinstance(n, int | float) and not isinstance(n, bool) for n in v.values()):
        tests = tuple(Test(name, str(op), n) for op, n in v.items())
        return tests[0] if len(tests) == 1 else All(tests)
    return bad("takes {gte: n}, {lte: n} or null")
