"""The domain model: frozen, typed records for the rule base and the decisions it yields.

Everything here is plain data (picklable, comparable); behaviour lives in the modules that
use it: `engine` compiles rules, `playbook.render` presents decisions.
"""

from __future__ import annotations

from collections.abc import Mapping

from playbook.core.conditions import Always, Condition
from playbook.core.draftmodel import DraftBase
from playbook.core.record import field, record
from playbook.core.scenario import Scenario
from playbook.core.text import LANGS, Text, Where

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LANGS", "Text", "Where"]  # re-exported: most modules take them from here

@record
class Choice:
    value: str
    label: Text
    help: Text | None = None


@record
class Question:
    """One fact the interview asks for (rules/questions.yaml), or a fact for the drafts.

    Triage questions decide; drafting facts (`stage == "drafting"`, rules/facts.yaml) are
    optional texts the drafts quote (what we have done, what is true…), asked only for the
    drafts a decision calls for. A missing drafting fact leaves its `placeholder` in the draft.
    """

    id: str
    type: str  # select | confirm | number | text
    text: Text
    help: Text
    choices: tuple[Choice, ...] = ()
    when: Condition = field(default_factory=Always)
    minimum: float | None = None
    maximum: float | None = None
    where: Where | None = None
    default: Any = None  # taken when the answer is not given (None: the answer is required)
    stage: str = "triage"  # triage | drafting
    example: Text | None = None
    placeholder: Text | None = None

    @property
    def optional(self) -> bool:
        return self.stage == "drafting"

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def allowed(self) -> str:
        """The allowed values, as a user would type them."""
        if self.type == "select":
            return ", ".join(self.values)
        if self.type == "confirm":
            return "true, false (or yes, no)"
        if self.type == "number":
            low = "" if self.minimum is None else f" >= {_num(self.minimum)}"
            high = "" if self.maximum is None else f" <= {_num(self.maximum)}"
            return f"a number{low}{high}"
        return "any non-empty text"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


@record
class Source:
    """A source the principles rest on: one of the five articles, or outside practice."""

    id: str
    title: str
    kind: str  # article | practice
    reference: str


@record
class Principle:
    id: str
    title: Text
    summary: Text
    source: str
    quote: str | None = None
    where: Where | None = None


@record
class Guidance:
    """One entry of the `do` or `avoid` catalogue."""

    id: str
    text: Text


@record
class OutputField:
    """An output of the decision and its hit policy (rules/outputs.yaml).

    policy: `priority` (values listed highest precedence first; `ties` groups values of equal
    precedence, which conflict), `max` (values listed lowest first), `min` (integers), or
    `union` (lists, in rule order). `only_with_action` clears the field when the final action
    is not listed (no deadline is due for an incident we only watch). `from_severity` gives a
    `min` field its longest value at each severity; rules can only shorten it.
    """

    id: str
    policy: str
    values: tuple[str, ...] = ()
    labels: Mapping[str, Text] = field(default_factory=dict)
    ties: tuple[tuple[str, ...], ...] = ()
    required: bool = False
    only_with_action: tuple[str, ...] = ()
    catalogue: str | None = None  # `do` / `avoid`: ids refer to the guidance catalogue
    from_severity: Mapping[str, int] = field(default_factory=dict)  # `min`: cap per severity

    def rank(self, value: str) -> int:
        """Precedence of a value: higher wins (priority) or is worse (max)."""
        if self.policy == "priority":
            for group in self.ties:
                if value in group:
                    return len(self.values) - min(self.values.index(v) for v in group)
            return len(self.values) - self.values.index(value)
        return self.values.index(value)

    @property
    def is_list(self) -> bool:
        return self.policy == "union"


@record
class Case:
    """A worked example for a rule: answers (over the rule base's defaults) and outputs."""

    answers: Mapping[str, Any]
    expect: Mapping[str, Any]
    where: Where | None = None


@record
class Rule:
    id: str
    principle: str
    description: Text
    when: Condition
    sets: Mapping[str, Any]
    cases: tuple[Case, ...] = ()
    where: Where | None = None


@record
class Constraint:
    """A judgement every decision must respect (proved by `rules check`, checked on each decision).

    For every incident whose answers satisfy `when` and whose decision has the `given` outputs,
    the decision must contain each `require`d value (a list field: all of them; a single field:
    one of them) and must not contain the `forbid`den combination (every field listed matching).
    """

    id: str
    principle: str
    description: Text
    forbid: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    when: Condition = field(default_factory=Always)
    given: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    require: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    where: Where | None = None


@record
class RuleBase:
    """The whole validated rule base, as loaded from the built-in directory and overlays."""

    questions: tuple[Question, ...]
    sources: Mapping[str, Source]
    principles: Mapping[str, Principle]
    outputs: Mapping[str, OutputField]
    guidance: Mapping[str, Mapping[str, Guidance]]  # catalogue -> id -> entry
    rules: tuple[Rule, ...]
    constraints: tuple[Constraint, ...]
    case_defaults: Mapping[str, Any]
    paths: tuple[str, ...]
    digest: str
    drafting: DraftBase | None = None  # draft kinds, parts, channels and checks (draftbase)
    scenarios: tuple[Scenario, ...] = ()  # training scenarios (rules/scenarios/)

    def scenario(self, sid: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == sid), None)

    def question(self, qid: str) -> Question | None:
        for q in self.questions:
            if q.id == qid:
                return q
        return None

    def rule(self, rid: str) -> Rule | None:
        for r in self.rules:
            if r.id == rid:
                return r
        return None


@record
class Firing:
    """One rule that fired: the facts it read and what it set (the decision's trace)."""

    rule: str
    matched: Mapping[str, Any]
    sets: Mapping[str, Any]


@record
class Decision:
    """The triage decision: output values by field id, and why."""

    outputs: Mapping[str, Any]
    trace: tuple[Firing, ...]
    principles: tuple[str, ...]
    conflicts: tuple[str, ...] = ()


@record
class Answers:
    """Validated answers: those that apply, those given but not applicable, and the gaps."""

    values: Mapping[str, Any]
    not_applicable: Mapping[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    defaulted: tuple[str, ...] = ()  # not given: took the question's default (asked in an interview)
