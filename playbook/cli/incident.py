"""`playbook incident …`: the incident record from the command line — open, list, show, update,
note, approve, published, status, close, export — and `triage --save`.

Each command validates its incident id, opens the store (`PLAYBOOK_STORE`, else SQLite in the
user data directory), makes one service call and hands the resulting document to
`render.incident` or `render.review`. `--format json` gives scripts the same documents.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from playbook.cli.common import (
    composer,
    format_of,
    lang_of,
    load_profile,
    load_rules,
    on_terminal,
    service,
    user_errors,
)
from playbook.cli.options import ChannelOpt, LangOpt, ProfileOpt, RulesOpt, format_option
from playbook.render import output as render

incident_app = typer.Typer(
    help="The incident record: one log of events per incident, shared by the team "
         "(PLAYBOOK_STORE=postgresql://… for a shared database; default: SQLite in the user data directory).",
    no_args_is_help=True, rich_markup_mode=None,
)
TEXT_JSON = ("text", "json")
AsOpt = Annotated[str | None, typer.Option(
    "--as", metavar="NAME", help="Who does this, for the record (default: your user name on a terminal, "
    "'script' otherwise).", show_default=False)]
IdArg = Annotated[str, typer.Argument(metavar="ID", help="The incident id, e.g. INC-20261121-7F3K.",
                                      show_default=False)]
DraftArg = Annotated[str, typer.Argument(metavar="DRAFT", help="A draft id (D3) or kind (statement: its "
                                         "latest draft).", show_default=False)]
FmtOpt = Annotated[str | None, format_option(TEXT_JSON, "; default: text")]
AnswersOpt = Annotated[str | None, typer.Option(
    "--answers", "-a", metavar="FILE", help="Answers file, YAML or JSON ('-' reads stdin).", show_default=False)]
SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", "-s", metavar="ID=VALUE", help="One answer (repeatable; overrides --answers).", show_default=False)]
AskOpt = Annotated[list[str] | None, typer.Option(
    "--ask", metavar="ID", help="Ask this question again (repeatable; needs a terminal).", show_default=False)]


def incident_id(text: str) -> str:
    from playbook.record.ids import incident_id as check

    return check(text)


def now() -> Any:
    from playbook.record.service import utcnow

    return utcnow()


def desk(rules: Any, profile: str | None, lang: str | None, channel: str | None,
         default_lang: str | None = None) -> Any:
    from playbook.record.service import Desk

    rb = load_rules(rules)
    org = load_profile(profile, rb)
    language = lang_of(lang, org) if lang is not None or default_lang is None else lang_of(default_lang)
    return Desk(rb, composer(rb, org, language, channel), org, language)


def gather(d: Any, answers: str | None, set_: list[str] | None, ask: list[str] | None,
           base: dict[str, Any] | None = None) -> Any:
    """Answers from the record (`base`), a file, --set and, on a terminal, the interview."""
    from playbook.cli.answers_file import read_answers
    from playbook.cli.triage import _facts, _interview
    from playbook.core import answers as answers_mod
    from playbook.core.engine import Engine

    raw = answers_mod.RawAnswers(dict(base or {}), {}, "the incident's answers")
    if answers:
        raw = raw.update(read_answers(answers))
    if set_:
        raw = raw.update(answers_mod.parse_set(set_))
    validated = answers_mod.validate(d.rb, raw)
    review = base is not None and not answers and not set_ and on_terminal()
    interviewed = bool(validated.missing or ask or review)
    if interviewed:
        validated = _interview(d.rb, validated, d.lang, ask or [])
    answers_mod.require_complete(d.rb, validated)
    if base is None:
        decision = Engine(d.rb).decide(validated.values)
        validated = _facts(d.rb, d.composer, validated, decision, d.lang, asked=interviewed)
    return validated


def show_doc(incident: Any) -> dict[str, Any]:
    from playbook.record.review import incident_doc

    return incident_doc(incident, now())


def emit(doc: dict[str, Any], fmt: str, text: str, output: str | None = None) -> None:
    render.write(render.to_json(doc) if fmt == "json" else text, output)


@incident_app.command("new", epilog="Examples:\n\n  playbook incident new\n\n"
                      "  playbook incident new --answers incident.yaml --as maud\n\n"
                      "  playbook incident new -a incident.json --format json | jq -r .incident.id")
def incident_new(answers: AnswersOpt = None, set_: SetOpt = None, ask: AskOpt = None, fmt: FmtOpt = None,
                 lang: LangOpt = None, rules: RulesOpt = None, channel: ChannelOpt = None,
                 profile: ProfileOpt = None, as_: AsOpt = None) -> None:
    """Open an incident: the answers (interview on a terminal), its first decision and drafts."""
    with user_errors():
        from playbook.render.incident import show_text

        fmt = format_of(fmt, TEXT_JSON)
        d = desk(rules, profile, lang, channel)
        validated = gather(d, answers, set_, ask)
        with service(as_) as svc:
            result = svc.open(d, validated)
        doc = show_doc(result.incident)
        emit(doc, fmt, show_text(doc))


@incident_app.command("list", epilog="Examples:\n\n  playbook incident list\n\n"
                      "  playbook incident list --open --format json")
def incident_list(fmt: FmtOpt = None, only_open: Annotated[bool, typer.Option(
        "--open", help="Only incidents not closed.")] = False) -> None:
    """Incidents, open first, by severity and age, with the next message due (or overdue)."""
    with user_errors():
        from playbook.record.review import list_doc
        from playbook.render.incident import list_text

        fmt = format_of(fmt, TEXT_JSON)
        with service("script") as svc:
            incidents = [i for i in svc.all() if not only_open or i.status != "closed"]
        doc = list_doc(incidents, now())
        emit(doc, fmt, list_text(doc))


@incident_app.command("show", epilog="Examples:\n\n  playbook incident show INC-20261121-7F3K\n\n"
                      "  playbook incident show INC-20261121-7F3K --drafts\n\n"
                      "  playbook incident show INC-20261121-7F3K --draft D3 > statement.txt")
def incident_show(incident: IdArg, fmt: FmtOpt = None, drafts: Annotated[bool, typer.Option(
        "--drafts", help="Show each draft's text.")] = False, draft: Annotated[str | None, typer.Option(
        "--draft", metavar="DRAFT", help="Print only this draft's text (approved text if approved), as is.",
        show_default=False)] = None) -> None:
    """An incident's state (status, decision, drafts, next deadline) and its timeline."""
    with user_errors():
        from playbook.record.service import find_draft
        from playbook.render.incident import show_text

        fmt = format_of(fmt, TEXT_JSON)
        key = incident_id(incident)
        with service("script") as svc:
            state = svc.get(key)
        if draft is not None:
            found = find_draft(state, draft)
            from playbook.record.review import draft_doc

            emit(draft_doc(found), fmt, found.final_text + "\n")
            return
        doc = show_doc(state)
        emit(doc, fmt, show_text(doc, full=drafts))


@incident_app.command("update", epilog="Examples:\n\n  playbook incident update INC-20261121-7F3K\n\n"
                      "  playbook incident update INC-20261121-7F3K --set reach=viral --set at_fault=yes\n\n"
                      "  playbook incident update INC-20261121-7F3K --answers now.yaml --format json")
def incident_update(incident: IdArg, answers: AnswersOpt = None, set_: SetOpt = None, ask: AskOpt = None,
                    fmt: FmtOpt = None, lang: LangOpt = None, rules: RulesOpt = None, channel: ChannelOpt = None,
                    profile: ProfileOpt = None, as_: AsOpt = None) -> None:
    """Decide again as the facts change: the previous answers are the defaults (reviewed on a terminal),
    --set and --answers change them. Prints what changed in the decision and which rules did it."""
    with user_errors():
        from playbook.record.review import draft_doc, due_doc
        from playbook.render.incident import change_text

        fmt = format_of(fmt, TEXT_JSON)
        key = incident_id(incident)
        with service(as_) as svc:
            before = svc.get(key)
            d = desk(rules, profile, lang, channel, default_lang=before.lang)
            validated = gather(d, answers, set_, ask, base=dict(before.answers))
            result = svc.update(key, d, validated)
        new_drafts = [draft_doc(x) for x in result.incident.drafts if x.seq in {e.seq for e in result.events}]
        doc = {"schema": "playbook.incident_update", "schema_version": 1, "incident": key, "actor": svc.actor,
               "changes": dict(result.changes), "drafts": new_drafts,
               "decision": dict(result.incident.decision.triage) if result.incident.decision else None,
               "due": due_doc(result.incident, now()), "events": [e.to_dict() for e in result.events]}
        emit(doc, fmt, change_text(doc))


def _done(result: Any, fmt: str, findings: Any = ()) -> None:
    from playbook.record.review import describe, due_doc
    from playbook.render.incident import done_text

    last = result.events[-1]
    doc = {"schema": "playbook.incident_event", "schema_version": 1, "incident": result.incident.id,
           "seq": last.seq, "actor": last.actor, "what": describe(last), "status": result.incident.status,
           "due": due_doc(result.incident, now()), "findings": list(findings),
           "events": [e.to_dict() for e in result.events]}
    emit(doc, fmt, done_text(doc))


@incident_app.command("note", epilog="Examples:\n\n  playbook incident note INC-20261121-7F3K 'Journalist from "
                      "the Courier called'\n\n  playbook incident note INC-20261121-7F3K --lesson 'Brief the night "
                      "shift sooner'")
def incident_note(incident: IdArg, text: Annotated[str, typer.Argument(
        metavar="TEXT", help="The note ('-' reads stdin).", show_default=False)], fmt: FmtOpt = None,
        lesson: Annotated[bool, typer.Option("--lesson", help="Something to learn: goes to the review's "
                                             "'What to learn'.")] = False, as_: AsOpt = None) -> None:
    """Add a note to the timeline (a call, a decision taken outside playbook, a lesson)."""
    with user_errors():
        import sys

        fmt = format_of(fmt, TEXT_JSON)
        key = incident_id(incident)
        body = sys.stdin.read() if text == "-" else text
        with service(as_) as svc:
            result = svc.note(key, body, lesson)
        _done(result, fmt)


@incident_app.command("approve", epilog="Examples:\n\n  playbook incident approve INC-20261121-7F3K D3\n\n"
                      "  playbook incident approve INC-20261121-7F3K statement --text edited.txt --as maud")
def incident_approve(incident: IdArg, draft: DraftArg, text: Annotated[str | None, typer.Option(
        "--text", metavar="FILE", help="Approve this edited text instead of the draft's ('-' reads stdin).",
        show_default=False)] = None, force: Annotated[bool, typer.Option(
        "--force", help="Approve despite error-level findings (recorded).")] = False,
        fmt: FmtOpt = None, rules: RulesOpt = None, as_: AsOpt = None) -> None:
    """Approve a draft: its text is locked, with its approver; later drafts keep to it.

    Refused (exit 1) when the text has an error-level finding — a contradiction with a message
    approved before among them — unless --force.
    """
    with user_errors():
        from playbook.rulebase.source import read_text

        fmt = format_of(fmt, TEXT_JSON)
        key = incident_id(incident)
        edited = read_text(text).rstrip("\r\n") if text is not None else None
        rb = load_rules(rules)
        with service(as_) as svc:
            result = svc.approve(key, draft, rb, edited, force)
        _done(result, fmt, result.changes.get("findings", ()))


@incident_app.command("published", epilog="Examples:\n\n  playbook incident published INC-20261121-7F3K D3 "
                      "--channel twitter --url https://x.com/harbourline/status/1")
def incident_published(incident: IdArg, draft: DraftArg, channel: Annotated[str | None, typer.Option(
        "--channel", metavar="CHANNEL", help="Where it went (default: the draft's channel).",
        show_default=False)] = None, url: Annotated[str | None, typer.Option(
        "--url", metavar="URL", help="Its address, once published.", show_default=False)] = None,
        fmt: FmtOpt = None, as_: AsOpt = None) -> None:
    """Record that an approved message went out (the update cadence counts from here)."""
    with user_errors():
        fmt = format_of(fmt, TEXT_JSON)
        key = incident_id(incident)
        with service(as_) as svc:
            result = svc.publish(key, draft, channel, url)
        _done(result, fmt)


@incident_app.command("status", epilog="Examples:\n\n  playbook incident status INC-20261121-7F3K monitoring")
def incident_status(incident: IdArg, status: Annotated[str, typer.Argument(
        metavar="STATUS", help="open or monitoring.", show_default=False)], fmt: FmtOpt = None,
        as_: AsOpt = None) -> None:
    """Set an incident's status: monitoring (it calms down), or open (again, even once closed)."""
    with user_errors():
        fmt = format_of(fmt, TEXT_JSON)
        key = incident_id(incident)
        with service(as_) as svc:
            result = svc.set_status(key, status)
        _done(result, fmt)


@incident_app.command("close", epilog="Examples:\n\n  playbook incident close INC-20261121-7F3K --reason "
                      "'Customer compensated; coverage over'")
def incident_close(incident: IdArg, reason: Annotated[str | None, typer.Option(
        "--reason", metavar="TEXT", help="Why it is over.", show_default=False)] = None,
        fmt: FmtOpt = None, as_: AsOpt = None) -> None:
    """Close an incident: no more updates are due. Notes can still be added for the review."""
    with user_errors():
        fmt = format_of(fmt, TEXT_JSON)
        key = incident_id(incident)
        with service(as_) as svc:
            result = svc.close(key, reason)
        _done(result, fmt)


EXPORT_FORMATS = ("markdown", "json", "html")


@incident_app.command("export", epilog="Examples:\n\n  playbook incident export INC-20261121-7F3K -o review.html\n\n"
                      "  playbook incident export INC-20261121-7F3K --format markdown")
def incident_export(incident: IdArg, fmt: Annotated[str | None, format_option(
        EXPORT_FORMATS, "; default: the -o file's extension, else markdown")] = None,
        output: Annotated[str | None, typer.Option(
            "--output", "-o", metavar="FILE", help="Write to this file (replaced whole, or not at all).",
            show_default=False)] = None) -> None:
    """The post-incident review: timeline, decisions and their changes, every approved message,
    response times against the deadlines, what to learn."""
    with user_errors():
        from playbook.record.review import review_doc
        from playbook.render.review import review_html, review_markdown

        suffix = os.path.splitext(output or "")[1].lower()
        chosen = fmt or {".html": "html", ".htm": "html", ".json": "json"}.get(suffix, "markdown")
        chosen = format_of(chosen, EXPORT_FORMATS)
        key = incident_id(incident)
        with service("script") as svc:
            state = svc.get(key)
        doc = review_doc(state, now())
        text = {"json": render.to_json, "html": review_html, "markdown": review_markdown}[chosen](doc)
        render.write(text, output)


def register(app: typer.Typer) -> None:
    app.add_typer(incident_app, name="incident")
