"""A training scenario played on a terminal: the trainee's prompts, the feedback, Ctrl-C kept.

Each inject is shown as the trainee would receive it, with the scenario clock; the trainee
picks action, severity and posture (selects), what to say and who owns it (checkboxes), and
writes the message when the inject asks for one. The time from the inject on screen to the last
choice is the time taken to decide. The feedback follows at once. Prompts and everything the
trainee reads go to stderr, like the interview; after each inject the choices so far are kept
(`training.results.save_progress`) so that Ctrl-C or Ctrl-D loses nothing and `--resume` goes on.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import questionary
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output, create_output

from playbook.cli.interview import STYLE, prompt
from playbook.core.text import french_typography
from playbook.errors import Interrupted
from playbook.render import training as view
from playbook.render.common import label
from playbook.training import results
from playbook.training.rubric import Choice
from playbook.training.session import Exercise

UI = {
    "en": {
        "action": "Your action?", "severity": "Severity?", "posture": "Posture?",
        "strategy": "What will you say?", "escalate_to": "Who owns it?",
        "select": "(↑ ↓, Enter)", "check": "(↑ ↓, Space to tick, Enter when done)",
        "message": "Your message:", "message_hint": "One paragraph; Enter sends it.",
        "next": "Next inject", "resume": "Resuming at inject {n} of {total} ({done} done).",
        "interrupted": "interrupted at inject {n} of {total}; the {done} inject(s) decided are kept in {path}",
        "resume_hint": "continue with: playbook train {id} --resume",
        "nothing": "interrupted before the first decision; nothing to keep",
    },
    "fr": {
        "action": "Votre action ?", "severity": "Gravité ?", "posture": "Posture ?",
        "strategy": "Que direz-vous ?", "escalate_to": "Qui s'en charge ?",
        "select": "(↑ ↓, Entrée)", "check": "(↑ ↓, Espace pour cocher, Entrée pour valider)",
        "message": "Votre message :", "message_hint": "Un paragraphe ; Entrée l'envoie.",
        "next": "Événement suivant", "resume": "Reprise à l'événement {n} sur {total} ({done} déjà décidé(s)).",
        "interrupted": "interrompu à l'événement {n} sur {total} ; le(s) {done} événement(s) décidé(s) "
                       "sont conservés dans {path}",
        "resume_hint": "pour reprendre : playbook train {id} --resume",
        "nothing": "interrompu avant la première décision ; rien à conserver",
    },
}
UI["fr"] = {key: french_typography(text) for key, text in UI["fr"].items()}


class Trainee:
    """One trainee at the terminal, playing `exercise` from where they are."""

    def __init__(self, exercise: Exercise, *, input: Input | None = None, output: Output | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.exercise, self.lang, self.ui = exercise, exercise.lang, UI[exercise.lang]
        self.io: dict[str, Any] = {"input": input, "output": output or create_output(stdout=sys.stderr)}
        self.clock = clock
        self.done: list[Choice] = []
        self.path = ""

    def say(self, text: str) -> None:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
        sys.stderr.flush()

    def play(self, done: list[Choice]) -> list[Choice]:
        """Every inject from the first not decided; the choices of the whole scenario."""
        scenario = self.exercise.scenario
        self.done = list(done)
        if self.done:
            self.say(self.ui["resume"].format(n=len(self.done) + 1, total=len(scenario.injects), done=len(self.done)))
        else:
            self.say(view.intro(scenario, self.lang))
        try:
            for index in range(len(self.done), len(scenario.injects)):
                self._inject(index)
        except (KeyboardInterrupt, EOFError):
            raise self.interrupted() from None
        return self.done

    def _inject(self, index: int) -> None:
        ex = self.exercise
        self.say(view.inject_card(ex.scenario, index, ex.when(index), self.lang))
        start = self.clock()
        decided = self.decide()
        seconds = self.clock() - start
        task = ex.scenario.injects[index].message
        message = self.write(task.prompt.get(self.lang)) if task else None
        choice = Choice(*decided, message=message or None, seconds=seconds)
        self.done.append(choice)
        self.path = str(results.save_progress(ex.scenario.id, ex.trainee, self.lang, self.done))
        graded = ex.grade(index, choice)
        draft = ex.model_draft(index) if task else None
        self.say(view.feedback(ex.rb, ex.scenario, results.entry(graded), self.lang, draft))
        if index + 1 < len(ex.scenario.injects):
            prompt(questionary.select("", choices=[self.ui["next"]], instruction=" ", style=STYLE, **self.io))

    def decide(self) -> tuple[str, str, str, tuple[str, ...], tuple[str, ...]]:
        """Action, severity and posture (one each), then what to say and who owns it (any)."""
        action, severity, posture = (self._select(f) for f in ("action", "severity", "posture"))
        strategy, owners = (self._check(f) for f in ("strategy", "escalate_to"))
        return action, severity, posture, strategy, owners

    def _values(self, field: str) -> list[questionary.Choice]:
        rb = self.exercise.rb
        return [questionary.Choice(label(rb, field, v, self.lang), value=v) for v in rb.outputs[field].values]

    def _select(self, field: str) -> str:
        question = questionary.select(self.ui[field], choices=self._values(field), instruction=self.ui["select"],
                                      style=STYLE, **self.io)
        return str(prompt(question))

    def _check(self, field: str) -> tuple[str, ...]:
        question = questionary.checkbox(self.ui[field], choices=self._values(field), instruction=self.ui["check"],
                                        style=STYLE, **self.io)
        return tuple(prompt(question) or ())

    def write(self, task: str) -> str:
        question = questionary.text(self.ui["message"], instruction=f"\n  {self.ui['message_hint']}\n ›",
                                    style=STYLE, **self.io)
        return " ".join(str(prompt(question)).split())

    def interrupted(self) -> Interrupted:
        scenario = self.exercise.scenario
        if not self.done:
            return Interrupted(self.ui["nothing"])
        return Interrupted([
            self.ui["interrupted"].format(n=len(self.done) + 1, total=len(scenario.injects), done=len(self.done),
                                          path=self.path),
            self.ui["resume_hint"].format(id=scenario.id)])
