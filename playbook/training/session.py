"""Run a scenario: the playbook's decision at each inject, the trainee's scored against it, and why.

`Exercise(rb, scenario, lang, trainee)` computes once the reference decision at every inject
(the engine on the facts so far). `grade(index, choice)` scores a trainee's choice with the
rubric (`rubric`), checks their message like `playbook check`, and explains each difference:
the rules that decided what the trainee did not, with their principles, and the judgements of
the rule base (its constraints) that the trainee's own decision breaks. The playbook's own
draft of the message asked for is there to compare (`model_draft`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from playbook.core.answers import RawAnswers, validate
from playbook.core.draftmodel import context_flags
from playbook.core.engine import Engine, breaks
from playbook.core.model import Answers, Constraint, Decision, RuleBase, Text
from playbook.core.record import record, replace
from playbook.core.scenario import Inject, Scenario, clock
from playbook.drafting.checks import Finding, check_text
from playbook.drafting.profile import Contact, Profile
from playbook.training.rubric import Choice, Score, score

CHOSEN = ("action", "severity", "posture", "strategy", "escalate_to")  # what a trainee decides
LIST_FIELDS = ("strategy", "escalate_to")


@record
class Step:
    """One inject with the facts so far and the playbook's decision on them."""

    index: int
    inject: Inject
    answers: Answers
    decision: Decision

    @property
    def expected(self) -> dict[str, Any]:
        return {f: self.decision.outputs.get(f) for f in CHOSEN}


@record
class Reason:
    """Why the playbook decided something the trainee did not: a rule that fired."""

    field: str  # action, severity, posture, or strategy:apologize, escalate_to:legal
    rule: str
    principle: str


@record
class Graded:
    step: Step
    choice: Choice
    score: Score
    findings: tuple[Finding, ...]  # on the trainee's message
    reasons: tuple[Reason, ...]
    broken: tuple[str, ...]  # ids of the rule base's constraints the trainee's decision breaks
    principles: tuple[str, ...]  # at stake where the trainee differed


class Exercise:
    """A scenario ready to be played and graded in one language."""

    def __init__(self, rb: RuleBase, scenario: Scenario, lang: str, trainee: str = "") -> None:
        self.rb, self.scenario, self.lang, self.trainee = rb, scenario, lang, trainee
        self.engine = Engine(rb)
        self.steps = [self._step(i, inject) for i, inject in enumerate(scenario.injects)]
        severity = rb.outputs.get("severity")
        self.severities = severity.values if severity else ()

    def _step(self, index: int, inject: Inject) -> Step:
        answers = validate(self.rb, RawAnswers(self.scenario.facts_at(index, self.lang)))
        return Step(index, inject, answers, self.engine.decide(answers.values))

    def grade(self, index: int, choice: Choice) -> Graded:
        step = self.steps[index]
        task = step.inject.message
        findings = self.check_message(step, choice.message) if task and choice.message else ()
        result = score(step.expected, choice, self.severities, message_asked=task is not None,
                       message_levels=[f.level for f in findings], decide_within=step.inject.decide_within)
        reasons = tuple(self._reasons(step, result))
        broken = tuple(self._broken(step, choice))
        principles = [r.principle for r in reasons]
        principles += [c.principle for c in self.rb.constraints if c.id in broken]
        return Graded(step, choice, result, tuple(findings), reasons, broken, tuple(dict.fromkeys(principles)))

    def check_message(self, step: Step, text: str | None) -> tuple[Finding, ...]:
        """`playbook check` on the trainee's message, in the incident's context and channel."""
        if not text:
            return ()
        task = step.inject.message
        db = self.rb.drafting
        channel = db.channels.get(task.channel) if db and task and task.channel else None
        return tuple(check_text(self.rb, text, self.lang, channel=channel, **context_flags(step.answers.values)))

    def _reasons(self, step: Step, result: Score) -> list[Reason]:
        """For each criterion lost: the rules of the trace that set what the playbook decided."""
        reasons: list[Reason] = []
        for line in result.lines:
            if line.points >= line.max or line.criterion not in CHOSEN:
                continue
            wanted = [(line.criterion, line.expected)] if line.criterion not in LIST_FIELDS else \
                [(line.criterion, item) for item in line.missed]
            for fid, value in wanted:
                rule = self._setter(step, fid, value)
                if rule is not None:
                    label = fid if fid not in LIST_FIELDS else f"{fid}:{value}"
                    reasons.append(Reason(label, rule.id, rule.principle))
        return reasons

    def _setter(self, step: Step, fid: str, value: Any) -> Any:
        """The first fired rule that set `fid` to `value` (or added it to the list)."""
        for firing in step.decision.trace:
            rule = self.rb.rule(firing.rule)
            got = firing.sets.get(fid)
            if rule is not None and (got == value or (isinstance(got, tuple) and value in got)):
                return rule
        return None

    def _broken(self, step: Step, choice: Choice) -> list[str]:
        """The constraints that read only what a trainee decides and that their decision breaks."""
        outputs = {f: getattr(choice, f) for f in CHOSEN}
        out = []
        for constraint in self.rb.constraints:
            narrowed = _narrow(constraint)
            if narrowed is not None and breaks(narrowed, outputs, step.answers.values):
                out.append(constraint.id)
        return out

    def model_draft(self, index: int) -> dict[str, Any] | None:
        """The playbook's own draft of the kind the inject asks for, signed for the scenario's organisation."""
        step = self.steps[index]
        task = step.inject.message
        if task is None:
            return None
        from playbook.drafting.compose import Composer

        composer = Composer(self.rb, scenario_profile(self.rb, self.scenario, self.trainee), self.lang, task.channel)
        drafts = composer.compose(step.answers.values, step.decision)
        return next((d for d in drafts if d["kind"] == task.kind), None)

    def when(self, index: int) -> str:
        """The scenario clock at an inject: `T+6h · 14:30` (`+1 d` on a later day)."""
        at = self.scenario.injects[index].at
        if self.scenario.starts_at is None:
            return clock(at)
        day, minute = divmod(self.scenario.starts_at + at, 24 * 60)
        hour, minute = divmod(minute, 60)
        time = f"{hour:02d}\u00a0h\u00a0{minute:02d}" if self.lang == "fr" else f"{hour:02d}:{minute:02d}"
        later = f" (+{day}\u00a0{'j' if self.lang == 'fr' else 'd'})" if day else ""
        return f"{clock(at)} · {time}{later}"


def _narrow(constraint: Constraint) -> Constraint | None:
    """The part of a constraint about what a trainee decides; None if nothing of it is."""
    def keep(fields: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {f: v for f, v in fields.items() if f in CHOSEN}

    if any(f not in CHOSEN for f in constraint.given):
        return None
    forbid = keep(constraint.forbid) if all(f in CHOSEN for f in constraint.forbid) else {}
    require = keep(constraint.require)
    if not forbid and not require:
        return None
    return replace(constraint, forbid=forbid, require=require)


def scenario_profile(rb: RuleBase, scenario: Scenario, trainee: str = "") -> Profile:
    """A profile for the scenario's organisation, its statements signed by the trainee's role."""
    slug = re.sub(r"[^a-z0-9]+", "", scenario.organisation.lower()) or "organisation"
    role = Text("duty communications manager", "responsable de la communication de permanence")
    person = Contact(trainee or "Alex Morgan", role, f"press@{slug}.example")
    reply = Text(f"– {trainee or scenario.organisation}", f"– {trainee or scenario.organisation}")
    statement = Text(f"{person.name}\nDuty communications manager, {scenario.organisation}",
                     f"{person.name}\nResponsable de la communication de permanence, {scenario.organisation}")
    channels = {"web": scenario.web or f"https://www.{slug}.example/news"}
    contacts = {"customer_service": Contact("Customer care", None, f"care@{slug}.example")}
    return Profile(scenario.organisation, person, reply, statement, channels, contacts, source="<scenario>")
