"""Training scenarios as data: a narrative, then timed injects that change the facts.

A scenario (`rules/scenarios/*.yaml`, validated by `rulebase.scenarios`) starts from a set of
answers (`start`); each inject, at its time from the start (`T+45m`), shows the trainee what
they would see (a post, a journalist's e-mail, a number of shares) and changes some answers.
The facts at an inject are the start overlaid by every inject up to it, in order; the
expected decision there is the engine's own decision on those facts, and `expect` pins the
parts of it the scenario teaches (`playbook rules test` fails when the engine disagrees).

Plain, frozen data: the cached rule base carries its scenarios.
"""

from __future__ import annotations

from collections.abc import Mapping

from playbook.core.record import field, record
from playbook.core.text import Text, Where

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

# What an inject can be: how the trainee receives it (shown as a label in both languages).
INJECT_KINDS = ("post", "comment", "video", "email", "call", "message", "memo", "news", "metrics", "alert")
# The ids `playbook train` keeps for itself (`playbook train report …`).
RESERVED_IDS = ("report", "run")
INVENTED = "invented"


@record
class Expectation:
    """What the decision at an inject must be: the format of a case library's `expect`.

    `choices`: acceptable values of action, severity, posture; `minutes`: None, a number or
    {lte/gte: n}; `includes`/`excludes`: items a list output must (not) contain.
    """

    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    minutes: Mapping[str, Any] = field(default_factory=dict)
    includes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    excludes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@record
class MessageTask:
    """The inject asks the trainee to write a message: which draft kind, for which channel."""

    kind: str  # a draft kind (public_reply, holding_statement, statement, press_line, …)
    prompt: Text
    channel: str | None = None  # a channel id: its character limit is checked


@record
class Inject:
    id: str
    at: int  # minutes from the start of the scenario
    kind: str  # one of INJECT_KINDS
    sees: Text  # what the trainee sees, as they would see it
    expect: Expectation
    sender: Text | None = None  # who it comes from (`from:` in YAML)
    facts: Mapping[str, Any] = field(default_factory=dict)  # the answers it changes (texts may be a Text)
    notes: Text | None = None  # teaching notes, shown after the decision
    principles: tuple[str, ...] = ()
    message: MessageTask | None = None
    decide_within: int | None = None  # seconds of real time the trainee has to decide
    where: Where | None = None


@record
class Debrief:
    """What closes a scenario: what really happened (or would), what worked, what did not."""

    what_happened: Text
    worked: Text
    did_not_work: Text
    principles: tuple[str, ...] = ()


@record
class Scenario:
    id: str
    title: Text
    source: str  # a source id (for a real case, the article that tells it) or "invented"
    organisation: str
    role: Text  # who the trainee plays
    narrative: Text
    start: Mapping[str, Any]
    injects: tuple[Inject, ...]
    debrief: Debrief
    real_case: Text | None = None  # for a real case: what happened, in one or two sentences
    starts_at: int | None = None  # minutes after midnight at T+0, for the scenario clock
    web: str | None = None  # where the organisation publishes (the drafts' default link)
    where: Where | None = None

    @property
    def real(self) -> bool:
        return self.source != INVENTED

    @property
    def duration(self) -> int:
        """Minutes from the start to the last inject."""
        return self.injects[-1].at if self.injects else 0

    def facts_at(self, index: int, lang: str = "en") -> dict[str, Any]:
        """The answers at inject `index`: the start, overlaid by every inject up to it; a text
        written in both languages (a fact for the drafts) is taken in `lang`."""
        facts = dict(self.start)
        for inject in self.injects[: index + 1]:
            facts.update(inject.facts)
        return {k: v.get(lang) if isinstance(v, Text) else v for k, v in facts.items()}

    def inject(self, iid: str) -> Inject | None:
        return next((i for i in self.injects if i.id == iid), None)


def clock(minutes: int) -> str:
    """`T+0m`, `T+45m`, `T+2h`, `T+1d3h20m`: a time from the start as scenarios write it."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return "T+" + ("".join(parts) or "0m")


def parse_clock(text: str) -> int | None:
    """Minutes from `T+45m`, `T+2h`, `T+1d3h20m`; None if it is not written that way."""
    if not text.startswith("T+") or len(text) < 4:
        return None
    return parse_duration(text[2:], units={"d": 1440, "h": 60, "m": 1})


def parse_duration(text: str, units: Mapping[str, int]) -> int | None:
    """`1h30m` with the given units, each at most once and in the given order; None if invalid."""
    total, number, order = 0, "", list(units)
    last = -1
    for ch in text:
        if ch.isdigit():
            number += ch
        elif ch in units and number and order.index(ch) > last:
            total += int(number) * units[ch]
            last, number = order.index(ch), ""
        else:
            return None
    return None if number or last < 0 else total
