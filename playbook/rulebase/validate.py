"""Turn rule-base YAML data into the typed model, naming file:line:col for every mistake.

Messages read `rules/triage.yaml:42:7: rule 'x': unknown answer id 'reech' (did you mean
'reach'?)`. All mistakes of a rule base are collected, not only the first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from playbook.core.answers import coerce
from playbook.core.conditions import All, Always, AnyOf, Condition, Not, Test
from playbook.core.model import Choice, OutputField, Question, Text, Where
from playbook.core.record import field, record, replace
from playbook.core.text import french_typography
from playbook.errors import did_you_mean
from playbook.rulebase.source import Key, Located

QUESTION_TYPES = ("select", "confirm", "number", "text")
POLICIES = ("priority", "max", "min", "union")


@record(frozen=False)
class Item:
    """One entry of a section (a question, a rule, ...) with where it was written."""

    data: Any
    located: Located
    path: Key

    def at(self, *sub: object) -> str:
        return str(self.located.at((*self.path, *sub)))

    def key_at(self, *sub: object) -> str:
        return str(self.located.key_at((*self.path, *sub)))

    def where(self) -> Where:
        pos = self.located.at(self.path)
        return Where(self.located.path, pos.line)


@record(frozen=False)
class Problems:
    """Collects rule-base mistakes as located one-line messages."""

    messages: list[str] = field(default_factory=list)

    def add(self, where: str, what: str, message: str) -> None:
        self.messages.append(f"{where}: {what}: {message}" if what else f"{where}: {message}")


def check_keys(
    item: Item,
    what: str,
    problems: Problems,
    required: Sequence[str],
    optional: Sequence[str] = (),
    sub: Key = (),
) -> bool:
    """Unknown keys (with did-you-mean) and missing required keys; False if not a mapping."""
    data = item.data
    for part in sub:
        data = data[part]
    if not isinstance(data, dict):
        problems.add(item.at(*sub), what, f"expected a mapping with keys {', '.join(required)}")
        return False
    allowed = [*required, *optional]
    for key in data:
        if key not in allowed:
            hint = did_you_mean(key, allowed)
            problems.add(
                item.key_at(*sub, key), what,
                f"unknown key '{key}'{hint}; allowed keys: {', '.join(allowed)}",
            )
    for key in required:
        if key not in data:
            problems.add(item.at(*sub), what, f"missing required key '{key}'")
    return True


def text_of(item: Item, key: str, what: str, problems: Problems, *, typography: bool = True) -> Text | None:
    """A `{en: ..., fr: ...}` text; both languages are required.

    The French text gets French typography (no-break spaces before `: ; ! ?` and inside « »),
    so that a line never breaks between a word and its punctuation; templates, whose tags
    must stay as written, ask for none and get it tag by tag (`draft_sections`).
    """
    value = item.data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        problems.add(item.at(key), what, f"'{key}' needs both languages: {{en: ..., fr: ...}}")
        return None
    if not check_keys(item, what, problems, ("en", "fr"), sub=(key,)):
        return None
    en, fr = value.get("en"), value.get("fr")
    for lang, text in (("en", en), ("fr", fr)):
        if text is not None and (not isinstance(text, str) or not text.strip()):
            problems.add(item.at(key, lang), what, f"'{key}.{lang}' must be a non-empty text")
    if isinstance(en, str) and isinstance(fr, str) and en.strip() and fr.strip():
        return Text(en.strip(), french_typography(fr.strip()) if typography else fr.strip())
    return None


def string_of(item: Item, key: str, what: str, problems: Problems) -> str | None:
    value = item.data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(item.at(key), what, f"'{key}' must be a non-empty text")
        return None
    return value.strip()


def parse_question(item: Item, earlier: Mapping[str, Question], problems: Problems,
                   stage: str = "triage") -> Question | None:
    qid = item.data.get("id") if isinstance(item.data, dict) else None
    what = f"{'fact' if stage == 'drafting' else 'question'} '{qid}'"
    drafting = stage == "drafting"
    required = ("id", "type", "text", "help", *(("placeholder",) if drafting else ()))
    optional = ("example", "enabled") if drafting else ("choices", "when", "min", "max", "default", "enabled")
    if not check_keys(item, what, problems, required, optional):
        return None
    if drafting and item.data.get("type") != "text":
        problems.add(item.at("type"), what, "a fact for the drafts is a 'text'")
        return None
    qtype = item.data.get("type")
    if qtype not in QUESTION_TYPES:
        problems.add(item.at("type"), what,
                     f"unknown type '{qtype}'{did_you_mean(qtype, QUESTION_TYPES)}; "
                     f"allowed: {', '.join(QUESTION_TYPES)}")
        return None
    text, help_ = text_of(item, "text", what, problems), text_of(item, "help", what, problems)
    choices = parse_choices(item, what, problems) if qtype == "select" else ()
    if qtype != "select" and "choices" in item.data:
        problems.add(item.key_at("choices"), what, f"'choices' only applies to select, not {qtype}")
    bounds: dict[str, float | None] = {"min": None, "max": None}
    for key in bounds:
        if key in item.data:
            value = item.data[key]
            if qtype != "number":
                problems.add(item.key_at(key), what, f"'{key}' only applies to number questions")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                problems.add(item.at(key), what, f"'{key}' must be a number")
            else:
                bounds[key] = value
    when = parse_condition(item, "when", what, earlier, problems) if "when" in item.data else Always()
    if text is None or help_ is None or (qtype == "select" and not choices):
        return None
    question = Question(str(qid), qtype, text, help_, choices, when, bounds["min"], bounds["max"], item.where())
    if drafting:
        example = text_of(item, "example", what, problems) if "example" in item.data else None
        placeholder = text_of(item, "placeholder", what, problems, typography=False)
        return replace(question, stage=stage, example=example, placeholder=placeholder)
    if "default" in item.data:
        try:
            return replace(question, default=coerce(question, item.data["default"]))
        except ValueError as exc:
            problems.add(item.at("default"), what, f"'default': {exc}; allowed values: {question.allowed()}")
    return question


def parse_choices(item: Item, what: str, problems: Problems) -> tuple[Choice, ...]:
    raw = item.data.get("choices")
    if not isinstance(raw, list) or not raw:
        problems.add(item.at("choices"), what, "a select question needs a non-empty 'choices' list")
        return ()
    choices: list[Choice] = []
    for i, _ in enumerate(raw):
        sub = Item(raw[i], item.located, (*item.path, "choices", i))
        if not check_keys(sub, what, problems, ("value", "label"), ("help",)):
            continue
        value = sub.data.get("value")
        if not isinstance(value, str) or not value:
            problems.add(sub.at("value"), what, "a choice value must be a non-empty text "
                         "(quote yes/no so YAML keeps them as text)")
            continue
        if value in [c.value for c in choices]:
            problems.add(sub.at("value"), what, f"duplicate choice '{value}'")
        label, help_ = text_of(sub, "label", what, problems), text_of(sub, "help", what, problems)
        if label is not None:
            choices.append(Choice(value, label, help_))
    return tuple(choices)


def parse_condition(
    item: Item, key: str, what: str, questions: Mapping[str, Question], problems: Problems
) -> Condition:
    """A `when:` condition, every answer id and value checked against the questions."""

    def leaf(sub: Key, name: str, value: Any) -> list[Condition]:
        return _test(item, sub, name, value, what, questions, problems)

    return parse_combinators(item, (key,), what, problems, leaf,
                             "a condition must be a non-empty mapping of answer ids (or all/any/not)")


LeafParser = Callable[[Key, str, Any], list[Condition]]


def parse_combinators(item: Item, sub: Key, what: str, problems: Problems, leaf: LeafParser,
                      empty_message: str) -> Condition:
    """The condition grammar shared by every `when:`: a mapping whose keys are ANDed, each
    `all`/`any` (a list of conditions), `not` (a condition) or a name tested by `leaf`."""
    data = item.data
    for part in sub:
        data = data[part]
    if not isinstance(data, dict) or not data:
        problems.add(item.at(*sub), what, empty_message)
        return Always()
    parts: list[Condition] = []
    for k, v in data.items():
        if k in ("all", "any"):
            if not isinstance(v, list) or not v:
                problems.add(item.at(*sub, k), what, f"'{k}' takes a non-empty list of conditions")
                continue
            items = tuple(parse_combinators(item, (*sub, k, i), what, problems, leaf, empty_message)
                          for i in range(len(v)))
            parts.append(All(items) if k == "all" else AnyOf(items))
        elif k == "not":
            parts.append(Not(parse_combinators(item, (*sub, k), what, problems, leaf, empty_message)))
        else:
            parts.extend(leaf((*sub, k), str(k), v))
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def _test(item: Item, sub: Key, qid: str, v: Any, what: str, qs: Mapping[str, Question],
          problems: Problems) -> list[Condition]:
    q = qs.get(qid)
    if q is None:
        problems.add(item.key_at(*sub), what,
                     f"unknown answer id '{qid}'{did_you_mean(qid, list(qs))} "
                     "(conditions may use all, any, not and the ids of earlier questions)")
        return []
    if q.type == "text":
        problems.add(item.key_at(*sub), what, f"'{qid}' is a free text and cannot be tested")
        return []
    if isinstance(v, list):
        v = {"in": v}
    if not isinstance(v, dict):
        value = _value(item, sub, q, v, what, problems)
        return [] if value is _BAD else [Test(qid, "eq", value)]
    ops = ("in", "gte", "lte") if q.type == "number" else ("in",)
    out: list[Condition] = []
    for op, operand in v.items():
        if op not in ops:
            problems.add(item.key_at(*sub, op), what,
                         f"unknown test '{op}' for {q.type} answer '{qid}'; allowed: {', '.join(ops)}")
        elif op == "in":
            if not isinstance(operand, list) or not operand:
                problems.add(item.at(*sub, op), what, "'in' takes a non-empty list of values")
                continue
            values = [_value(item, (*sub, op, i), q, x, what, problems) for i, x in enumerate(operand)]
            if _BAD not in values:
                out.append(Test(qid, "in", tuple(values)))
        else:
            value = _value(item, (*sub, op), q, operand, what, problems)
            if value is not _BAD:
                out.append(Test(qid, op, value))
    return out


_BAD: Any = object()


def _value(item: Item, sub: Key, q: Question, raw: Any, what: str, problems: Problems) -> Any:
    if isinstance(raw, str) and q.type in ("confirm", "number"):
        problems.add(item.at(*sub), what, f"'{q.id}' takes {q.allowed()}, not the text '{raw}'")
        return _BAD
    try:
        return coerce(q, raw)
    except ValueError as exc:
        problems.add(item.at(*sub), what, f"'{q.id}': {exc}; allowed values: {q.allowed()}")
        return _BAD


def parse_output(item: Item, fid: str, problems: Problems) -> OutputField | None:
    what = f"output '{fid}'"
    if not check_keys(item, what, problems, ("policy",),
                      ("values", "ties", "required", "only_with_action", "catalogue",
                       "from_severity")):
        return None
    data = item.data
    policy = data.get("policy")
    if policy not in POLICIES:
        problems.add(item.at("policy"), what,
                     f"unknown policy '{policy}'{did_you_mean(policy, POLICIES)}; "
                     f"allowed: {', '.join(POLICIES)}")
        return None
    values, labels = _output_values(item, what, problems)
    if policy in ("priority", "max") and not values:
        problems.add(item.at(), what, f"policy '{policy}' needs the ordered list of 'values'")
    ties = data.get("ties", [])
    if not isinstance(ties, list) or not all(
        isinstance(g, list) and len(g) > 1 and all(v in values for v in g) for g in ties
    ):
        problems.add(item.at("ties"), what, "'ties' takes lists of two or more declared values")
        ties = []
    only = data.get("only_with_action", [])
    if not isinstance(only, list) or not all(isinstance(a, str) for a in only):
        problems.add(item.at("only_with_action"), what, "'only_with_action' takes a list of actions")
        only = []
    catalogue = data.get("catalogue")
    if catalogue is not None and catalogue not in ("do", "avoid"):
        problems.add(item.at("catalogue"), what, "'catalogue' is 'do' or 'avoid'")
        catalogue = None
    caps = data.get("from_severity", {})
    caps_ok = isinstance(caps, dict) and all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in caps.values()
    )
    if not caps_ok or (caps and policy != "min"):
        problems.add(item.at("from_severity"), what,
                     "'from_severity' maps severities to whole minutes, on min fields only")
        caps = {}
    return OutputField(fid, str(policy), values, labels, tuple(tuple(g) for g in ties),
                       bool(data.get("required", False)), tuple(only), catalogue, dict(caps))


def _output_values(item: Item, what: str, problems: Problems) -> tuple[tuple[str, ...], dict[str, Text]]:
    raw = item.data.get("values", [])
    if not isinstance(raw, list):
        problems.add(item.at("values"), what, "'values' takes a list of {id, label}")
        return (), {}
    values: list[str] = []
    labels: dict[str, Text] = {}
    for i, _ in enumerate(raw):
        sub = Item(raw[i], item.located, (*item.path, "values", i))
        if not check_keys(sub, what, problems, ("id", "label")):
            continue
        vid = sub.data.get("id")
        label = text_of(sub, "label", what, problems)
        if not isinstance(vid, str) or not vid:
            problems.add(sub.at("id"), what, "a value id must be a non-empty text")
        elif vid in values:
            problems.add(sub.at("id"), what, f"duplicate value '{vid}'")
        elif label is not None:
            values.append(vid)
            labels[vid] = label
    return tuple(values), labels
