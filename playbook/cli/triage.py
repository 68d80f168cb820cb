"""`playbook triage`, `playbook questions` and `playbook batch`: the decision, for people and
for scripts. Their options are declared in `cli.spec`; these are the bodies.
"""

from __future__ import annotations

import os
import sys

from playbook.cli import spec
from playbook.cli.common import format_of, lang_of, load_profile, load_rules, on_terminal, user_errors
from playbook.errors import UsageError
from playbook.render import output as render

TYPE_CHECKING = False  # not typing's: a scripted triage does without it (~2 ms)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

TRIAGE_EPILOG = ("Examples:\n\n"
                 "  playbook triage\n\n"
                 "  playbook triage --answers incident.yaml --format json\n\n"
                 "  echo '{\"origin\": \"data_breach\", ...}' | playbook triage --answers - -f json\n\n"
                 "  playbook triage --answers incident.yaml --set reach=viral --lang fr\n\n"
                 "  playbook triage --answers incident.yaml --ask reach\n\n"
                 "  playbook triage --resume\n\n"
                 "  playbook triage --answers incident.yaml --save --as maud")


def triage(answers: str | None = None, set_: list[str] | None = None, fmt: str | None = None,
           lang: str | None = None, output: str | None = None, rules: list[Path] | None = None,
           ask: list[str] | None = None, resume: bool = False, channel: str | None = None,
           profile: str | None = None, save: bool = False, as_: str | None = None) -> None:
    """Triage an incident: interview (on a terminal), then the decision and why.

    On a terminal, the questions not answered by --answers or --set are asked (on stderr),
    then reviewed before deciding; Ctrl-C keeps the answers for --resume (exit 130).
    Without a terminal every answer must come from --answers or --set; missing ones are
    listed with their allowed values (exit 2).
    """
    with user_errors():
        from playbook.api import Playbook
        from playbook.cli.answers_file import read_answers
        from playbook.core import answers as answers_mod

        fmt = format_of(fmt, render.FORMATS, output)
        if answers == "-" and (profile == "-" or (not profile and os.environ.get("PLAYBOOK_PROFILE") == "-")):
            raise UsageError("--answers - and --profile -: only one of them can read stdin; give the other as a file")
        rb = load_rules(rules)
        org = load_profile(profile, rb)
        language = lang_of(lang, org)
        pb = Playbook.loaded(rb, org, language, channel)  # a bad --channel fails here, before any question
        raw = read_answers(answers) if answers else answers_mod.RawAnswers()
        if resume:
            from playbook.cli import resume as resume_mod

            raw = resume_mod.load().update(raw)
        if set_:
            raw = raw.update(answers_mod.parse_set(set_))
        validated = answers_mod.validate(rb, raw)
        interviewed = bool(validated.missing or ask or resume)
        if interviewed:
            validated = _interview(rb, validated, language, ask or [])
        answers_mod.require_complete(rb, validated)
        decision = pb.engine.decide(validated.values)
        validated = _facts(rb, pb.composer, validated, decision, language, asked=interviewed)
        doc = pb.decide(validated, decision)
        if save:
            from playbook.cli.common import save_triage
            from playbook.record.service import Desk

            doc["incident"] = save_triage(Desk(rb, pb.composer, org, language), validated, as_)
            render.info(f"playbook: saved as incident {doc['incident']} (playbook incident show {doc['incident']})")
        if not (interviewed or resume):  # nothing typed to keep (a script's run)
            render.decision(rb, doc, fmt, output)
            return
        from playbook.cli import resume as resume_mod

        # What was typed is kept until the decision is written: Ctrl-C while it prints loses nothing.
        kept = resume_mod.keep(validated, language) if interviewed and on_terminal() else None
        with resume_mod.on_interrupt(kept):
            render.decision(rb, doc, fmt, output)
        if kept is not None or resume:
            resume_mod.discard()


def _interview(rb: Any, validated: Any, lang: str, ask: list[str]) -> Any:
    """On a terminal, ask what is missing (and --ask); without one, leave the exit-2 path to decide."""
    from playbook.errors import did_you_mean

    ids = [q.id for q in rb.questions]
    for qid in ask:
        if qid not in ids:
            raise UsageError(f"--ask {qid}: unknown question id{did_you_mean(qid, ids)}; known ids: {', '.join(ids)}")
    if not on_terminal():
        if ask:
            raise UsageError(f"--ask {ask[0]}: no terminal to ask on; give the answer with --set {ask[0]}=VALUE")
        return validated
    from playbook.cli.interview import run_interview  # questionary loads only when a prompt is shown

    return run_interview(rb, validated, lang, ask=ask)


def _facts(rb: Any, drafter: Any, validated: Any, decision: Any, lang: str, *, asked: bool) -> Any:
    """After an interview on a terminal, the facts the drafts will quote (optional, skippable)."""
    if not asked or not on_terminal():
        return validated
    needed = drafter.facts_needed(validated.values, decision)
    if not needed:
        return validated
    from playbook.cli.interview import ask_facts

    return ask_facts(rb, validated, needed, lang)


QUESTIONS_EPILOG = "Examples:\n\n  playbook questions\n\n  playbook questions --format json | jq '.[].id'"


def questions(fmt: str | None = None, lang: str | None = None, rules: list[Path] | None = None) -> None:
    """List the interview for script authors: ids, types, allowed values, conditions."""
    with user_errors():
        from playbook.render.questions import questions_doc, questions_text

        fmt = format_of(fmt, ("text", "json"))
        rb = load_rules(rules)
        language = lang_of(lang)
        if fmt == "json":
            render.write(render.to_json(questions_doc(rb, language)))
        else:
            render.write(questions_text(rb, language))


BATCH_EPILOG = ("Examples:\n\n  playbook batch incidents.jsonl > decisions.jsonl\n\n"
                "  playbook batch incidents.jsonl --no-drafts --lang fr")


def batch(file: str, lang: str | None = None, rules: list[Path] | None = None, drafts: bool = True,
          channel: str | None = None, profile: str | None = None, jobs: int | None = None) -> None:
    """Triage one incident per line; one JSON decision per line out, with its drafts.

    A bad line gives an error object for that line and the run goes on; the exit code is 2
    when any line was bad. Input is streamed: memory stays flat whatever its size.
    """
    with user_errors():
        from playbook.api import Playbook
        from playbook.cli.batch import default_jobs, run_batch

        rb = load_rules(rules)
        org = load_profile(profile, rb) if drafts or profile else None
        language = lang_of(lang, org)
        pb = Playbook.loaded(rb, org if drafts else None, language, channel)
        bad = run_batch(pb, file, sys.stdout, jobs or default_jobs())
        if bad:
            label = "<stdin>" if file == "-" else file
            raise UsageError(f"{label}: {bad} line(s) could not be triaged (see their error objects)")


def register(app: Any) -> None:
    from playbook.cli.options import typed

    app.command(epilog=TRIAGE_EPILOG)(typed(spec.TRIAGE, triage))
    app.command(epilog=QUESTIONS_EPILOG)(typed(spec.QUESTIONS, questions))
    app.command(epilog=BATCH_EPILOG)(typed(spec.BATCH, batch))
