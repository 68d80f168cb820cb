"""`playbook triage`, `playbook questions` and `playbook batch`: the decision, for people and
for scripts.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from playbook.cli.common import (
    ChannelOpt,
    LangOpt,
    ProfileOpt,
    RulesOpt,
    format_of,
    format_option,
    lang_of,
    load_profile,
    load_rules,
    on_terminal,
    user_errors,
)
from playbook.errors import UsageError
from playbook.render import output as render

TRIAGE_EPILOG = ("Examples:\n\n"
                 "  playbook triage\n\n"
                 "  playbook triage --answers incident.yaml --format json\n\n"
                 "  echo '{\"origin\": \"data_breach\", ...}' | playbook triage --answers - -f json\n\n"
                 "  playbook triage --answers incident.yaml --set reach=viral --lang fr\n\n"
                 "  playbook triage --answers incident.yaml --ask reach\n\n"
                 "  playbook triage --resume\n\n"
                 "  playbook triage --answers incident.yaml --save --as maud")


def triage(
    answers: Annotated[str | None, typer.Option(
        "--answers", "-a", metavar="FILE", help="Answers file, YAML or JSON ('-' reads stdin).",
        show_default=False)] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", "-s", metavar="ID=VALUE", help="One answer (repeatable; overrides --answers).",
        show_default=False)] = None,
    fmt: Annotated[str | None, format_option(render.FORMATS, "; default: the -o file's extension "
                                                "(.json, .yaml, .md, .txt), else text")] = None,
    lang: LangOpt = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the decision to this file instead of stdout "
        "(replaced whole, or not at all).", show_default=False)] = None,
    rules: RulesOpt = None,
    ask: Annotated[list[str] | None, typer.Option(
        "--ask", metavar="ID", help="Ask this question even if answered (repeatable; needs a terminal).",
        show_default=False)] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue the interview interrupted last (Ctrl-C), then decide.")] = False,
    channel: ChannelOpt = None,
    profile: ProfileOpt = None,
    save: Annotated[bool, typer.Option(
        "--save", help="Open an incident in the record with this decision (its id goes to stderr, and to "
        "JSON as `incident`).")] = False,
    as_: Annotated[str | None, typer.Option(
        "--as", metavar="NAME", help="With --save: who opens it (default: your user name on a terminal, "
        "'script' otherwise).", show_default=False)] = None,
) -> None:
    """Triage an incident: interview (on a terminal), then the decision and why.

    On a terminal, the questions not answered by --answers or --set are asked (on stderr),
    then reviewed before deciding; Ctrl-C keeps the answers for --resume (exit 130).
    Without a terminal every answer must come from --answers or --set; missing ones are
    listed with their allowed values (exit 2).
    """
    with user_errors():
        from playbook.api import Playbook
        from playbook.cli import resume as resume_mod
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


def questions(
    fmt: Annotated[str | None, format_option(("text", "json"), "; default: text")] = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
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


def batch(
    file: Annotated[str, typer.Argument(metavar="FILE", help="JSON Lines file of answers ('-' reads stdin).",
                                        show_default=False)],
    lang: LangOpt = None,
    rules: RulesOpt = None,
    drafts: Annotated[bool, typer.Option("--drafts/--no-drafts", help="Write each decision's drafts.")] = True,
    channel: ChannelOpt = None,
    profile: ProfileOpt = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", metavar="N", min=1, help="Worker processes (default: the cores available); the output "
        "keeps the input's order.", show_default=False)] = None,
) -> None:
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


def register(app: typer.Typer) -> None:
    app.command(epilog=TRIAGE_EPILOG)(triage)
    app.command(epilog=QUESTIONS_EPILOG)(questions)
    app.command(epilog=BATCH_EPILOG)(batch)
