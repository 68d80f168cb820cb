"""The scoring rubric: how a trainee's choices at one inject are scored against the playbook's.

The reference is the playbook's own decision on the facts at that inject. Each inject is worth
100 points (90 when it asks for no message), every point explained by a line:

| criterion   | points | how |
|-------------|--------|-----|
| action      | 30     | the same action 30; a *near* action 15 (see NEAR_ACTIONS); else 0 |
| severity    | 15     | the same 15; one step off (high for critical) 7; else 0 |
| posture     | 15     | the same 15; else 0 |
| strategy    | 15     | F1 of the items chosen against the playbook's × 15 (both empty: 15) |
| escalation  | 15     | F1 of the owners chosen against the playbook's × 15 (both empty: 15) |
| message     | 10     | asked for: 10, −4 per error and −1 per warning `playbook check` finds (≥ 0); missing 0 |
| time        | −5     | only when the inject sets `decide_within` and the trainee took longer |

F1 is the harmonic mean of precision (how many chosen items the playbook also chose) and recall
(how many of the playbook's items were chosen); points are rounded to one decimal. Near actions
are pairs a crisis lead would call a defensible neighbour, not the same call: both speak in
public now (a holding statement and a full public response; a public response and a correction
of the facts), or neither speaks in public (monitoring and a private reply; monitoring and
moderating under the protocol). The score of a scenario is the sum of its injects' points over
the sum of their maxima. Time taken is always reported; it only costs points past a deadline.

Pure: the same choices on the same rule base always score the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.record import field, record

POINTS = {"action": 30, "severity": 15, "posture": 15, "strategy": 15, "escalate_to": 15, "message": 10}
NEAR_ACTION_POINTS = 15
ONE_STEP_SEVERITY_POINTS = 7
MESSAGE_ERROR_COST = 4
MESSAGE_WARNING_COST = 1
LATE_COST = 5
NEAR_ACTIONS = (
    frozenset({"holding_statement", "respond_publicly"}),
    frozenset({"respond_publicly", "correct_the_facts"}),
    frozenset({"monitor", "respond_privately"}),
    frozenset({"monitor", "moderate"}),
)
CRITERIA = ("action", "severity", "posture", "strategy", "escalate_to", "message", "time")


@record
class Choice:
    """What the trainee decided at one inject (and wrote, and how long it took)."""

    action: str
    severity: str
    posture: str
    strategy: tuple[str, ...] = ()
    escalate_to: tuple[str, ...] = ()
    message: str | None = None
    seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "severity": self.severity, "posture": self.posture,
                "strategy": list(self.strategy), "escalate_to": list(self.escalate_to),
                "message": self.message, "seconds": None if self.seconds is None else round(self.seconds, 1)}


@record
class Line:
    """One criterion's points, and why. `verdict` is a code the renderers put in words: exact,
    near, different, one_step_over/under, over, under, partial, clean, findings, missing, late,
    in_time."""

    criterion: str
    points: float
    max: int
    verdict: str
    expected: Any = None
    chosen: Any = None
    missed: tuple[str, ...] = ()  # list criteria: the playbook's items not chosen
    extra: tuple[str, ...] = ()  # list criteria: items chosen that the playbook does not
    detail: Mapping[str, Any] = field(default_factory=dict)  # the numbers behind the verdict

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"criterion": self.criterion, "points": self.points, "max": self.max,
                               "verdict": self.verdict, "expected": _plain(self.expected),
                               "chosen": _plain(self.chosen)}
        if self.missed or self.extra:
            out.update(missed=list(self.missed), extra=list(self.extra))
        if self.detail:
            out["detail"] = dict(self.detail)
        return out


@record
class Score:
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def points(self) -> float:
        return round(max(sum(line.points for line in self.lines), 0.0), 1)

    @property
    def max(self) -> int:
        return sum(line.max for line in self.lines)

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.max, 1) if self.max else 0.0

    def line(self, criterion: str) -> Line | None:
        return next((x for x in self.lines if x.criterion == criterion), None)


def score(expected: Mapping[str, Any], choice: Choice, severities: Sequence[str], *, message_asked: bool,
          message_levels: Sequence[str] = (), decide_within: int | None = None) -> Score:
    """Score one inject. `expected`: the playbook's outputs; `severities`: mildest first;
    `message_levels`: the level of each finding on the trainee's message."""
    lines = [
        _action(str(expected.get("action")), choice.action),
        _severity(str(expected.get("severity")), choice.severity, severities),
        _exact("posture", str(expected.get("posture")), choice.posture),
        _f1("strategy", tuple(expected.get("strategy") or ()), choice.strategy),
        _f1("escalate_to", tuple(expected.get("escalate_to") or ()), choice.escalate_to),
    ]
    if message_asked:
        lines.append(_message(choice.message, message_levels))
    if decide_within is not None and choice.seconds is not None:
        late = choice.seconds > decide_within
        lines.append(Line("time", -LATE_COST if late else 0, 0, "late" if late else "in_time",
                          decide_within, round(choice.seconds, 1)))
    return Score(tuple(lines))


def _action(expected: str, chosen: str) -> Line:
    if chosen == expected:
        return Line("action", POINTS["action"], POINTS["action"], "exact", expected, chosen)
    if frozenset({expected, chosen}) in NEAR_ACTIONS:
        return Line("action", NEAR_ACTION_POINTS, POINTS["action"], "near", expected, chosen)
    return Line("action", 0, POINTS["action"], "different", expected, chosen)


def _severity(expected: str, chosen: str, severities: Sequence[str]) -> Line:
    top = POINTS["severity"]
    if chosen == expected:
        return Line("severity", top, top, "exact", expected, chosen)
    if expected in severities and chosen in severities:
        steps = severities.index(chosen) - severities.index(expected)
        if abs(steps) == 1:
            return Line("severity", ONE_STEP_SEVERITY_POINTS, top, "one_step_" + ("over" if steps > 0 else "under"),
                        expected, chosen)
        return Line("severity", 0, top, "over" if steps > 0 else "under", expected, chosen)
    return Line("severity", 0, top, "different", expected, chosen)


def _exact(criterion: str, expected: str, chosen: str) -> Line:
    top = POINTS[criterion]
    return Line(criterion, top if chosen == expected else 0, top, "exact" if chosen == expected else "different",
                expected, chosen)


def _f1(criterion: str, expected: tuple[str, ...], chosen: tuple[str, ...]) -> Line:
    top = POINTS[criterion]
    want, got = set(expected), set(chosen)
    missed = tuple(v for v in expected if v not in got)
    extra = tuple(v for v in chosen if v not in want)
    if not want and not got:
        return Line(criterion, top, top, "exact", expected, chosen)
    hits = len(want & got)
    precision = hits / len(got) if got else 0.0
    recall = hits / len(want) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    verdict = "exact" if not missed and not extra else "partial" if hits else "different"
    return Line(criterion, round(f1 * top, 1), top, verdict, expected, chosen, missed, extra,
                {"precision": [hits, len(got)], "recall": [hits, len(want)], "f1": round(f1, 2)})


def _message(text: str | None, levels: Sequence[str]) -> Line:
    top = POINTS["message"]
    if not text or not text.strip():
        return Line("message", 0, top, "missing")
    errors, warnings = levels.count("error"), levels.count("warning")
    points = max(top - MESSAGE_ERROR_COST * errors - MESSAGE_WARNING_COST * warnings, 0)
    verdict = "clean" if not errors and not warnings else "findings"
    return Line("message", points, top, verdict, None, None, detail={"errors": errors, "warnings": warnings})


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
