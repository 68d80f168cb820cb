"""The interactive interview: ask what is missing, review the answers, keep them on Ctrl-C.

This is the only module that imports questionary and prompt_toolkit, and cli.py imports it
only when an interview is needed, so `--version` and scripted triage never pay for them.
Prompts are drawn on stderr: stdout carries only the decision, so
`playbook triage --format json > out.json` works interactively.

Every typed value goes through `answers.coerce`, and which question comes next is decided by
`answers.validate` over the answers so far (the questions' `when` conditions), so the
interview accepts exactly what an answers file would.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import questionary
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.output import Output, create_output
from questionary.prompts.common import InquirerControl

from playbook.cli import resume
from playbook.core.answers import RawAnswers, coerce, validate
from playbook.core.model import Answers, Question, RuleBase
from playbook.core.text import french_typography
from playbook.errors import Interrupted
from playbook.userenv import default_lang

DONE = ""  # the review's "decide" choice; never a question id
DESCRIPTION = "  Description: "  # how questionary prefixes a choice's help (English only)
# Help lines and hints are quieter than the question; 16 basic ANSI colours, so that a
# terminal's own palette applies and NO_COLOR (honoured by prompt_toolkit) turns them off.
STYLE = questionary.Style([("instruction", "italic fg:ansibrightblack"), ("answer", "bold fg:ansicyan"),
                           ("highlighted", "bold"), ("pointer", "bold fg:ansicyan")])

UI = {
    "en": {
        "intro": "A few questions about the incident (Ctrl-C stops; your answers are kept).",
        "given": "Already answered: {n} (not asked again; --ask ID to change one).",
        "select": "(↑ ↓, Enter)",
        "confirm": "(y/n, Enter)",
        "yes": "Yes", "no": "No", "yes_key": "y", "no_key": "n",
        "review_title": "Your answers",
        "question": "Question", "answer": "Answer", "id": "Id",
        "change": "Change an answer before deciding?",
        "done": "Looks right — decide",
        "not_applicable": "--ask {id}: not asked, the question does not apply to this incident.",
        # Refused entries are explained with the messages of `answers.coerce`, in English.
        "interrupted": "interrupted; answers so far ({n}) kept in {path}",
        "resume_hint": "continue with: playbook triage --resume{options}",
        "nothing_kept": "interrupted before any answer; nothing to keep",
        "facts_intro": "A few facts for the drafts (Enter skips one: the draft then shows a placeholder to fill in).",
        "example": "E.g.:",
        "skip": "(Enter: skip)",
    },
    "fr": {
        "intro": "Quelques questions sur l'incident (Ctrl-C arrête ; vos réponses sont conservées).",
        "given": "Réponses déjà fournies : {n} (non reposées ; --ask ID pour en modifier une).",
        "select": "(↑ ↓, Entrée)",
        "confirm": "(o/n, Entrée)",
        "yes": "Oui", "no": "Non", "yes_key": "o", "no_key": "n",
        "review_title": "Vos réponses",
        "question": "Question", "answer": "Réponse", "id": "Identifiant",
        "change": "Modifier une réponse avant de décider ?",
        "done": "C'est bon — décider",
        "not_applicable": "--ask {id} : question non posée, elle ne s'applique pas à cet incident.",
        "bad_number": "{shown} : saisissez un nombre{bounds}",
        "bad_text": "Écrivez au moins quelques mots.",
        "interrupted": "interrompu ; réponses déjà données ({n}) conservées dans {path}",
        "resume_hint": "pour reprendre : playbook triage --resume{options}",
        "nothing_kept": "interrompu avant la première réponse ; rien à conserver",
        "facts_intro": "Quelques faits pour les brouillons (Entrée pour passer : le brouillon garde alors "
                       "un espace à compléter).",
        "example": "Ex. :",
        "skip": "(Entrée : passer)",
    },
}
# French typography (no-break spaces before ; : ? and inside « ») for the French words too.
UI["fr"] = {key: french_typography(text) for key, text in UI["fr"].items()}


def run_interview(
    rb: RuleBase,
    given: Answers,
    lang: str,
    *,
    ask: Iterable[str] = (),
    input: Input | None = None,
    output: Output | None = None,
) -> Answers:
    """Ask the missing answers (and those in `ask`), let the user review them, return them.

    Ctrl-C or end of input saves the answers so far for `--resume` and raises Interrupted.
    `input` and `output` default to the terminal (stdin, stderr); tests pass pipes.
    """
    interview = Interview(rb, lang, given_answers(given), input=input, output=output)
    try:
        interview.start(len(interview.values))
        interview.fill(set(ask))
        interview.review()
    except (KeyboardInterrupt, EOFError):
        raise interview.interrupted() from None
    except Exception:
        if interview.values:  # a bug in playbook must not cost the user their answers either
            resume.save(interview.values)
        raise
    return validate(rb, RawAnswers(interview.values))


def ask_facts(
    rb: RuleBase,
    answers: Answers,
    needed: Iterable[str],
    lang: str,
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> Answers:
    """Ask the facts the drafts will quote (each optional: Enter leaves its placeholder).

    Ctrl-C keeps every answer so far, the facts included, for `--resume`.
    """
    interview = Interview(rb, lang, given_answers(answers), input=input, output=output)
    try:
        interview.say(UI[lang]["facts_intro"])
        for qid in needed:
            q = rb.question(qid)
            if q is not None:
                value = interview.ask_fact(q)
                if value:
                    interview.values[qid] = value
    except (KeyboardInterrupt, EOFError):
        raise interview.interrupted() from None
    return validate(rb, RawAnswers(interview.values))


def given_answers(answers: Answers) -> dict[str, Any]:
    """What the user gave: not the defaults taken for optional questions (those are asked)."""
    values = {k: v for k, v in answers.values.items() if k not in answers.defaulted}
    return {**answers.not_applicable, **values}


class Interview:
    """The answers so far and the prompts that extend them; `values` is always valid."""

    def __init__(self, rb: RuleBase, lang: str, values: Mapping[str, Any], *,
                 input: Input | None = None, output: Output | None = None) -> None:
        self.rb, self.lang, self.ui = rb, lang, UI[lang]
        self.values: dict[str, Any] = dict(values)
        # A fresh interview asks the optional questions too; one that completes an answers file
        # keeps their defaults (shown in the review, where they can be changed).
        self.ask_optional = not values
        # Prompts go to stderr, so that stdout carries nothing but the decision.
        self.io: dict[str, Any] = {"input": input, "output": output or create_output(stdout=sys.stderr)}

    def say(self, text: str) -> None:
        """A line for the person at the terminal (stderr, plain: it must not slow the first prompt)."""
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def start(self, n_given: int) -> None:
        self.say(self.ui["intro"])
        if n_given:
            self.say(self.ui["given"].format(n=n_given))

    def current(self) -> Answers:
        return validate(self.rb, RawAnswers(self.values))

    def fill(self, pending: set[str]) -> None:
        """Ask, in interview order, each question that applies and is unanswered or in `pending`."""
        while (q := self._next(pending)) is not None:
            pending.discard(q.id)
            self.values[q.id] = self.ask(q, self.values.get(q.id, q.default))
        for qid in sorted(pending, key=[q.id for q in self.rb.questions].index):
            self.say(self.ui["not_applicable"].format(id=qid))

    def _next(self, pending: set[str]) -> Question | None:
        now = self.current()
        # Every question before the first missing one is answered or known not to apply,
        # so the first missing question's condition is decided: it applies.
        for q in self.rb.questions:
            optional = self.ask_optional and q.id in now.defaulted and q.id not in self.values
            unasked = q.id in now.missing or optional
            if unasked or (q.id in pending and q.id in now.values):
                return q
        return None

    def review(self) -> None:
        """Show the answers; re-ask the one the user picks, then any question that now applies."""
        while True:
            applicable = self.current().values
            self._show(applicable)
            qid = self._prompt(questionary.select(
                self.ui["change"], choices=self._review_choices(applicable),
                instruction=self.ui["select"], style=STYLE, **self.io))
            if qid == DONE:
                return
            self.change(qid)

    def _review_choices(self, applicable: Mapping[str, Any]) -> list[questionary.Choice]:
        """The choice to decide, then one line per answer: question and answer in columns.

        A select does not wrap its lines, so on a narrow terminal they are cut to fit, the
        answer included (the table above has everything in full).
        """
        rows = [(q.id, q.text.get(self.lang), self.shown(q, applicable[q.id]))
                for q in self.rb.questions if q.id in applicable]
        width = _columns() - 4  # the pointer's margin
        answer_width = min(max((len(a) for _, _, a in rows), default=0), width // 3)
        question_width = min(max((len(t) for _, t, _ in rows), default=0), width - answer_width - 2)
        return [questionary.Choice(self.ui["done"], value=DONE)] + [
            questionary.Choice(f"{_cut(text, question_width):<{question_width}}  {_cut(answer, answer_width)}",
                               value=qid)
            for qid, text, answer in rows]

    def change(self, qid: str) -> None:
        """Re-ask one answer; drop answers that stop applying, ask those that start to."""
        q = self.rb.question(qid)
        assert q is not None
        before = set(self.current().values)
        self.values[qid] = self.ask(q, self.values.get(qid))
        after = self.current()
        for gone in before - set(after.values) - {qid}:
            del self.values[gone]
        self.fill(set())

    def _show(self, applicable: Mapping[str, Any]) -> None:
        from playbook.render.text import answers_table  # rich: only once the questions are done

        rows = [(q.text.get(self.lang), self.shown(q, applicable[q.id]), q.id)
                for q in self.rb.questions if q.id in applicable]
        answers_table(self.ui["review_title"], (self.ui["question"], self.ui["answer"], self.ui["id"]), rows)

    def shown(self, q: Question, value: Any) -> str:
        """An answer as the user picked it: the choice's label, Yes/No, the number or text."""
        if q.type == "select":
            return next((c.label.get(self.lang) for c in q.choices if c.value == value), str(value))
        if q.type == "confirm":
            return self.ui["yes" if value else "no"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).replace(".", ",") if q.type == "number" and self.lang == "fr" else str(value)

    def interrupted(self) -> Interrupted:
        """Keep the answers so far for `--resume`; never overwrite a saved interview with nothing."""
        if not self.values:
            return Interrupted(self.ui["nothing_kept"])
        path = resume.save(self.values)
        # The saved file holds answers only: name the language if it is not the default one.
        options = "" if self.lang == default_lang() else f" --lang {self.lang}"
        return Interrupted([self.ui["interrupted"].format(n=len(self.values), path=path),
                            self.ui["resume_hint"].format(options=options)])

    # -- one question ------------------------------------------------------------------------

    def ask(self, q: Question, default: Any = None) -> Any:
        """Ask one question (pre-selecting `default`) and return its coerced value."""
        message = q.text.get(self.lang)
        hint = "\n  " + q.help.get(self.lang) + "  "
        if q.type == "select":
            return self._select(q, message, hint, default)
        if q.type == "confirm":
            return self._confirm(q, message, hint, default)
        return self._typed(q, message, hint, default)

    def _select(self, q: Question, message: str, hint: str, default: Any) -> Any:
        choices = [questionary.Choice(c.label.get(self.lang), value=c.value,
                                      description=c.help.get(self.lang) if c.help else None)
                   for c in q.choices]
        question = questionary.select(message, choices=choices, default=default if default in q.values else None,
                                      instruction=hint + self.ui["select"], style=STYLE, **self.io)
        _plain_descriptions(question)
        return coerce(q, self._prompt(question))

    def _confirm(self, q: Question, message: str, hint: str, default: Any) -> bool:
        """Yes/no as a two-choice select: questionary.confirm only knows English keys and words."""
        ui = self.ui
        choices = [questionary.Choice(ui["yes"], value=True, shortcut_key=ui["yes_key"]),
                   questionary.Choice(ui["no"], value=False, shortcut_key=ui["no_key"])]
        preselected = choices[0 if default else 1] if isinstance(default, bool) else None
        question = questionary.select(message, choices=choices, default=preselected, use_shortcuts=True,
                                      use_jk_keys=False, instruction=hint + ui["confirm"], style=STYLE, **self.io)
        return bool(coerce(q, self._prompt(question)))

    def ask_fact(self, q: Question) -> str:
        """An optional text for the drafts, with its example; empty keeps the placeholder."""
        example = f" {self.ui['example']} {q.example.get(self.lang)}" if q.example else ""
        hint = "\n  " + q.help.get(self.lang) + example + "  "
        question = questionary.text(q.text.get(self.lang), instruction=hint + self.ui["skip"] + "\n ›",
                                    style=STYLE, **self.io)
        return " ".join(str(self._prompt(question)).split())

    def _typed(self, q: Question, message: str, hint: str, default: Any) -> Any:
        """Text and numbers: typed, checked by `coerce` on Enter, refused with a reason."""
        def check(text: str) -> bool | str:
            try:
                coerce(q, self._decimal_point(q, text))
            except ValueError as exc:
                return self._refusal(q, text, exc)
            return True

        shown = "" if default is None else self.shown(q, default)
        # The answer goes on its own line, under the help, so long sentences stay readable.
        question = questionary.text(message, default=shown, validate=check, instruction=hint + "\n ›",
                                    style=STYLE, **self.io)
        return coerce(q, self._decimal_point(q, self._prompt(question)))

    def _decimal_point(self, q: Question, text: str) -> str:
        """French writes 2,5 for 2.5: the typed number is read as written, then checked as usual."""
        return text.replace(",", ".", 1) if q.type == "number" and self.lang == "fr" else text

    def _refusal(self, q: Question, text: str, exc: ValueError) -> str:
        if self.lang == "en":
            return f"{exc}; allowed: {q.allowed()}"
        if q.type != "number":
            return self.ui["bad_text"]
        bounds = "".join(f" {op} {_num(v)}" for op, v in (("≥", q.minimum), ("≤", q.maximum)) if v is not None)
        shown = f"«\u00a0{text.strip()}\u00a0»" if text.strip() else "Vide"  # French only: English says exc
        return self.ui["bad_number"].format(shown=shown, bounds=bounds)

    def _prompt(self, question: Any) -> Any:
        return prompt(question)


def prompt(question: Any) -> Any:
    """Run one questionary prompt; Ctrl-C and Ctrl-D raise instead of returning None as `ask()` would."""
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), _EOF_KEYS])
    return question.unsafe_ask()


def _eof_keys() -> KeyBindings:
    """Ctrl-D ends the interview in every prompt (selects swallow it otherwise)."""
    keys = KeyBindings()

    @keys.add("c-d", eager=True)
    def _eof(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError)

    return keys


_EOF_KEYS = _eof_keys()


def _plain_descriptions(question: Any) -> None:
    """Show a choice's help as a dim line, without questionary's English 'Description:' prefix."""
    for window in question.application.layout.find_all_windows():
        control = window.content
        if isinstance(control, InquirerControl):
            # InquirerControl renders its own choice list: `text` is its token function.
            control_any = cast(Any, control)
            control_any.text = _rewrite(control_any.text)


def _rewrite(tokens: Callable[[], list[tuple[str, str]]]) -> Callable[[], list[tuple[str, str]]]:
    """The choice list's tokens with the help line restyled (see `_plain_descriptions`)."""

    def rewritten() -> list[tuple[str, str]]:
        return [("class:instruction", "  " + text[len(DESCRIPTION):]) if text.startswith(DESCRIPTION)
                else (style, text) for style, text in tokens()]

    return rewritten


def _columns() -> int:
    """The width of the terminal the prompts are drawn on (stderr; stdout may be a file)."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return 80


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(width - 1, 0)] + "…"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
