"""Answers: validate them against the questions, whatever they come from.

The interview, `--answers` (read by `cli.answers_file`), `--set` and `batch` all go through
`validate`, so a value is accepted or refused the same way wherever it comes from. Each raw
answer keeps a label of where it was written (`answers.yaml:3:8`, `--set reach=virall`) for
the error message. Pure: no file is read here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping

from playbook.core.conditions import Always, compile_condition, fact_ids, partial
from playbook.core.model import Answers, Question, RuleBase
from playbook.core.record import field, record
from playbook.errors import AnswersError, MissingAnswersError, did_you_mean

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

TRUE_WORDS = frozenset({"true", "yes", "y", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "off"})


@record(frozen=False)
class RawAnswers:
    """Unvalidated answers by id, and where each one was written."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: Mapping[str, str] = field(default_factory=dict)
    default_origin: str = "answers"

    def origin(self, qid: str) -> str:
        return self.origins.get(qid, self.default_origin)

    def update(self, other: RawAnswers) -> RawAnswers:
        """These answers overridden by `other` (as `--set` overrides `--answers`)."""
        origins = {k: self.origin(k) for k in self.values if k not in other.values}
        origins.update({k: other.origin(k) for k in other.values})
        return RawAnswers({**self.values, **other.values}, origins)


def parse_set(items: Iterable[str]) -> RawAnswers:
    """`--set id=value` options (the value is typed text, converted per question)."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise AnswersError(f"--set {item}: expected id=value, e.g. --set reach=viral")
        values[key] = value.strip()
        origins[key] = f"--set {item}"
    return RawAnswers(values, origins)


def coerce(q: Question, raw: Any) -> Any:
    """The value of an answer in its question's type; ValueError says what is wrong."""
    if q.type == "select":
        if isinstance(raw, bool) and set(q.values) >= {"yes", "no"}:
            return "yes" if raw else "no"  # YAML 1.1 reads a bare `yes` as true
        if isinstance(raw, str) and raw in q.values:
            return raw
        hint = did_you_mean(raw, q.values) if isinstance(raw, str) else ""
        raise ValueError(f"{_show(raw)} is not allowed{hint}")
    if q.type == "confirm":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return raw.strip().lower() in TRUE_WORDS
        raise ValueError(f"{_show(raw)} is not a yes/no answer")
    if q.type == "number":
        return _number(q, raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"{_show(raw)} is not a text")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in raw):  # cannot be written in UTF-8 at all
        raise ValueError(f"{_show(raw)} contains a lone surrogate, which is not text")
    if len(raw) > MAX_TEXT:
        raise ValueError(f"{_show(raw)} is {len(raw):,} characters long; the limit is {MAX_TEXT:,}")
    return raw.strip()


def _number(q: Question, raw: Any) -> float | int:
    value: float | int
    if isinstance(raw, bool):
        raise ValueError(f"{_show(raw)} is not a number")
    if isinstance(raw, int | float):
        value = raw
    elif isinstance(raw, str):
        try:
            value = int(raw)
        except ValueError:
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"{_show(raw)} is not a number") from None
    else:
        raise ValueError(f"{_show(raw)} is not a number")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{_show(raw)} is not a finite number")
    if q.minimum is not None and value < q.minimum:
        raise ValueError(f"{_show(raw)} is too small")
    if q.maximum is not None and value > q.maximum:
        raise ValueError(f"{_show(raw)} is too large")
    return value


MAX_TEXT = 5000  # characters in one text answer: a summary is a sentence, a fact a paragraph


def _show(raw: Any) -> str:
    """A value as the user wrote it, in JSON/YAML words, safe to print (no raw control codes)."""
    if raw is None:
        return "an empty value (null)"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, dict | list):
        return f"a {'mapping' if isinstance(raw, dict) else 'list'}"
    text = safe_text(str(raw))
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


# Characters that are not text: C0 and C1 control codes (but tab and newlines), DEL, lone
# surrogates, and the bidirectional overrides that make text read other than it is stored.
_NOT_TEXT = frozenset([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
                       *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def not_text(c: str) -> bool:
    code = ord(c)
    return code in _NOT_TEXT or 0xD800 <= code <= 0xDFFF


def safe_text(text: str) -> str:
    """Text fit to print anywhere: characters that are not text shown as `\\uXXXX` escapes."""
    if not any(not_text(c) for c in text):
        return text
    return "".join(f"\\u{ord(c):04x}" if not_text(c) else c for c in text)


def json_answers(text: str, label: str, *, one_line: bool = False) -> Any:
    """A JSON document of answers; every way it can be unreadable is one located message.

    `one_line`: `label` already names the line (`file:12`, a batch line): add the column only.
    """
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        where = f"{label}:{exc.colno}" if one_line else f"{label}:{exc.lineno}:{exc.colno}"
        raise AnswersError(f"{where}: invalid JSON: {exc.msg}") from None
    except _Duplicate as exc:
        raise AnswersError(f"{label}: duplicate key '{safe_text(exc.key)}' (each answer is given once)") from None
    except RecursionError:
        raise AnswersError(f"{label}: invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise AnswersError(f"{label}: invalid JSON: {safe_text(str(exc)).split(';')[0]}") from None


class JsonOrigins(Mapping[str, str]):
    """Where each answer of a JSON document was written (`file:line:col`), found only when an
    error names it: JSON is the scripts' format and is parsed without position tracking.

    `one_line`: `label` already names the line (`file:12`, a batch line): add the column only.
    """

    def __init__(self, text: str, label: str, keys: Iterable[str], *, one_line: bool = False) -> None:
        self._text, self._label, self._keys, self._one_line = text, label, list(keys), one_line

    def __getitem__(self, key: str) -> str:
        text = self._text
        for written in (json.dumps(key, ensure_ascii=False), json.dumps(key)):
            at = text.find(written)
            if at >= 0:  # the answer's value: after the key, the colon and any spaces
                at += len(written)
                while at < len(text) and text[at] in " \t\r\n:":
                    at += 1
                col = at - (text.rfind("\n", 0, at) + 1) + 1
                return f"{self._label}:{col}" if self._one_line else \
                    f"{self._label}:{text.count(chr(10), 0, at) + 1}:{col}"
        return self._label

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):  # some key came twice: name the first
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return out


def kind_of(data: Any) -> str:
    """A JSON/YAML word for a value's kind (not Python's)."""
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "true or false"
    if isinstance(data, int | float):
        return "a number"
    if isinstance(data, str):
        return "a text"
    return "a list" if isinstance(data, list) else "a mapping"


def validate(rb: RuleBase, raw: RawAnswers) -> Answers:
    """Check every answer; errors name where the answer was written and the allowed values.

    Questions whose condition is false are accepted and recorded as not applicable; the
    ones that apply (or may apply, once earlier answers are known) and have no answer are
    listed in `missing`, in interview order, unless the question has a default: it is then
    taken, and the question listed in `defaulted`.
    """
    plan = _plan(rb)
    given = raw.values
    errors = [] if plan.id_set.issuperset(given) else [
        f"{raw.origin(str(k))}: unknown answer id '{safe_text(str(k))}'{did_you_mean(k, list(plan.ids))}; "
        f"known ids: {', '.join(plan.ids)}"
        for k in given
        if k not in plan.id_set
    ]
    values: dict[str, Any] = {}
    not_applicable: dict[str, Any] = {}
    missing: list[str] = []
    defaulted: list[str] = []
    # What question conditions may read: answers that apply, None for questions known not
    # to apply; a missing answer stays unknown, so a condition on it may be undecided.
    known: dict[str, Any] = {}
    for q, qid, test, reads, fast, optional in plan.steps:
        # With every fact it reads known, a condition is its compiled test; else it may be undecided.
        applies = True if test is None else test(known) if reads.issubset(known) else partial(q.when, known)
        if applies is False:
            known[qid] = None
        if qid in given:
            raw_value = given[qid]
            value = raw_value if fast(raw_value) else _UNSET
            if value is _UNSET:
                try:
                    value = coerce(q, raw_value)
                except ValueError as exc:
                    errors.append(f"{raw.origin(qid)}: '{qid}': {exc}; allowed values: {q.allowed()}")
                    continue
            if applies is False:
                not_applicable[qid] = value
            else:
                values[qid] = known[qid] = value
        elif optional:
            continue  # a drafting fact: the drafts show its placeholder
        elif q.default is not None:
            if applies:  # an optional question: its default (an interview still asks it)
                values[qid] = known[qid] = q.default
                defaulted.append(qid)
        elif applies is not False:
            missing.append(qid)
    if errors:
        raise AnswersError(errors)
    return Answers(values, not_applicable, tuple(missing), tuple(defaulted))


_UNSET = object()


class _Plan:
    """A rule base's questions ready to validate many answers (a batch validates thousands):
    conditions compiled, and for each question a test of the answers that need no conversion."""

    def __init__(self, rb: RuleBase) -> None:
        self.rulebase = rb
        self.ids = tuple(q.id for q in rb.questions)
        self.id_set = frozenset(self.ids)
        self.steps = [(q, q.id, None if isinstance(q.when, Always) else compile_condition(q.when),
                       frozenset(fact_ids(q.when)), _as_is(q), q.optional) for q in rb.questions]


def _as_is(q: Question) -> Callable[[Any], bool]:
    """A test of the answers `coerce` would return unchanged (the others go through `coerce`)."""
    if q.type == "select":
        allowed = frozenset(q.values)
        return lambda v: type(v) is str and v in allowed
    if q.type == "confirm":
        return lambda v: type(v) is bool
    if q.type == "number":
        low = float("-inf") if q.minimum is None else q.minimum
        high = float("inf") if q.maximum is None else q.maximum
        return lambda v: (type(v) is int or type(v) is float) and low <= v <= high and v - v == 0
    # A text is kept stripped: only one with nothing to strip, printable as UTF-8, is as is.
    return lambda v: (type(v) is str and 0 < len(v) <= MAX_TEXT and v.isascii() and v.isprintable()
                      and not v[0].isspace() and not v[-1].isspace())


_PLANS: dict[int, _Plan] = {}


def _plan(rb: RuleBase) -> _Plan:
    found = _PLANS.get(id(rb))
    if found is None or found.rulebase is not rb:
        if len(_PLANS) >= 8:
            _PLANS.clear()
        found = _PLANS[id(rb)] = _Plan(rb)
    return found


def require_complete(rb: RuleBase, answers: Answers) -> None:
    """Refuse to decide on a partial incident: name each missing id and its allowed values."""
    if not answers.missing:
        return
    lines = [f"{len(answers.missing)} answer(s) missing and no terminal to ask them on:"]
    for qid in answers.missing:
        q = rb.question(qid)
        assert q is not None
        cond = "" if partial(q.when, answers.values) else f" (asked when {q.when})"
        lines.append(f"  {qid}: {q.allowed()}{cond}")
    lines.append("Give them with --answers FILE or --set id=value.")
    raise MissingAnswersError(lines, answers.missing)

