"""The command line: parse flags, make one core call, hand the result to the renderer.

This is the only module that imports typer. Every `PlaybookError` becomes its message on
stderr and its exit code (SPEC §2); a user mistake never shows a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from playbook import __version__, render
from playbook.errors import EXIT_INTERRUPTED, PlaybookError, UsageError

app = typer.Typer(
    name="playbook",
    help=(
        "A crisis playbook for online reputation incidents: answer a few questions, get a "
        "triage decision (action, severity, deadline, posture, owners, do and avoid, and why) "
        "and draft responses.\n\n"
        "Example: playbook triage --answers incident.yaml --format json"
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(
    help="Validate, verify, test and explain the rule base.", no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(rules_app, name="rules")

RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Overlay the built-in rule base with this directory "
                 "(repeatable; default: $PLAYBOOK_RULES).", show_default=False),
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="Language of questions, decision and drafts: en or fr "
                 "(default: $PLAYBOOK_LANG, then the locale).", show_default=False),
]
ChannelOpt = Annotated[
    str | None,
    typer.Option("--channel", help="Where the public reply goes, with its character limit: twitter (x, 280), "
                 "bluesky (300), threads, mastodon (500), tiktok (150), linkedin (1250), instagram (2200), "
                 "facebook (8000), youtube (10000), email, web (default: the profile's, else twitter).",
                 show_default=False),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", help="Organisation profile (YAML) that fills and signs the drafts "
                 "(default: $PLAYBOOK_PROFILE, then the built-in example).", show_default=False),
]


def run(args: list[str]) -> None:
    """Run the app; map errors to exit codes even outside a command (e.g. in completion)."""
    try:
        app(args=args, prog_name="playbook")
    except PlaybookError as exc:
        render.error(_message(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        render.error("playbook: interrupted")
        sys.exit(EXIT_INTERRUPTED)


def _message(exc: PlaybookError) -> str:
    return "\n".join(f"playbook: error: {m}" if i == 0 else m for i, m in enumerate(exc.messages))


@contextmanager
def user_errors() -> Iterator[None]:
    """Inside a command: a PlaybookError prints its message and exits with its code."""
    try:
        yield
    except PlaybookError as exc:
        render.error(_message(exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        render.error("playbook: interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _version(value: bool) -> None:
    if value:
        render.write(f"playbook {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """playbook: triage online reputation incidents by the book."""


def _lang(lang: str | None, profile: Any = None) -> str:
    """--lang, else $PLAYBOOK_LANG, else the profile's language, else the locale."""
    import os

    from playbook.report import default_lang

    chosen = getattr(profile, "language", None)
    if os.environ.get("PLAYBOOK_LANG") or not chosen:
        chosen = default_lang()
    value = lang or chosen
    if value not in ("en", "fr"):
        raise UsageError(f"--lang {value}: unknown language; allowed: en, fr")
    return value


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise UsageError(f"--format {fmt}: unknown format; allowed: {', '.join(allowed)}")
    return fmt


def _load(rules: list[Path] | None) -> Any:
    from playbook import rulebase

    return rulebase.load(rules or ())


def _profile(path: str | None, rb: Any) -> Any:
    from playbook import profile

    return profile.load(rb, path)


def _composer(rb: Any, profile: Any, lang: str, channel: str | None) -> Any:
    """Drafts for the decisions to come; a bad --channel fails here, before any question."""
    from playbook.drafts import Composer

    return Composer(rb, profile, lang, channel)


@app.command(epilog="Examples:\n\n"
             "  playbook triage\n\n"
             "  playbook triage --answers incident.yaml --format json\n\n"
             "  echo '{\"origin\": \"data_breach\", ...}' | playbook triage --answers - -f json\n\n"
             "  playbook triage --answers incident.yaml --set reach=viral --lang fr\n\n"
             "  playbook triage --answers incident.yaml --ask reach\n\n"
             "  playbook triage --resume")
def triage(
    answers: Annotated[str | None, typer.Option(
        "--answers", "-a", help="Answers file, YAML or JSON ('-' reads stdin).",
        show_default=False)] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", "-s", help="One answer as id=value (repeatable; overrides --answers).",
        show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="Output format: text, markdown, json or yaml.")] = "text",
    lang: LangOpt = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Write the decision to this file instead of stdout.",
        show_default=False)] = None,
    rules: RulesOpt = None,
    ask: Annotated[list[str] | None, typer.Option(
        "--ask", help="Ask this question even if answered (repeatable; needs a terminal).",
        show_default=False)] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue the interview interrupted last (Ctrl-C), then decide.")] = False,
    channel: ChannelOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Triage an incident: interview (on a terminal), then the decision and why.

    On a terminal, the questions not answered by --answers or --set are asked (on stderr),
    then reviewed before deciding; Ctrl-C keeps the answers for --resume (exit 130).
    Without a terminal every answer must come from --answers or --set; missing ones are
    listed with their allowed values (exit 2).
    """
    with user_errors():
        from playbook import answers as answers_mod
        from playbook import report
        from playbook import resume as resume_mod
        from playbook.engine import Engine

        fmt = _format(fmt, render.FORMATS)
        rb = _load(rules)
        org = _profile(profile, rb)
        language = _lang(lang, org)
        composer = _composer(rb, org, language, channel)
        raw = answers_mod.read_answers(answers) if answers else answers_mod.RawAnswers()
        if resume:
            raw = resume_mod.load().update(raw)
        if set_:
            raw = raw.update(answers_mod.parse_set(set_))
        validated = answers_mod.validate(rb, raw)
        if validated.missing or ask or resume:
            validated = _interview(rb, validated, language, ask or [])
        answers_mod.require_complete(rb, validated)
        decision = Engine(rb).decide(validated.values)
        drafts = composer.compose(validated.values, decision)
        doc = report.build(rb, validated, decision, language, drafts=drafts)
        render.decision(rb, doc, fmt, output)
        if resume:
            resume_mod.discard()


def _interview(rb: Any, validated: Any, lang: str, ask: list[str]) -> Any:
    """On a terminal, ask what is missing (and --ask); without one, leave the exit-2 path to decide."""
    from playbook.errors import did_you_mean

    ids = [q.id for q in rb.questions]
    for qid in ask:
        if qid not in ids:
            raise UsageError(f"--ask {qid}: unknown question id{did_you_mean(qid, ids)}; known ids: {', '.join(ids)}")
    if not _on_terminal():
        if ask:
            raise UsageError(f"--ask {ask[0]}: no terminal to ask on; give the answer with --set {ask[0]}=VALUE")
        return validated
    from playbook.interview import run_interview  # questionary loads only when a prompt is shown

    return run_interview(rb, validated, lang, ask=ask)


def _on_terminal() -> bool:
    """Someone can answer: keys come from a terminal and prompts (on stderr) reach one."""
    return sys.stdin.isatty() and sys.stderr.isatty()


@app.command(epilog="Examples:\n\n  playbook questions\n\n  playbook questions --format json | jq '.[].id'")
def questions(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """List the interview for script authors: ids, types, allowed values, conditions."""
    with user_errors():
        from playbook.questions_doc import questions_doc, questions_text

        fmt = _format(fmt, ("text", "json"))
        rb = _load(rules)
        language = _lang(lang)
        if fmt == "json":
            render.write(render.to_json(questions_doc(rb, language)))
        else:
            render.write(questions_text(rb, language))


@app.command(epilog="Examples:\n\n  playbook batch incidents.jsonl > decisions.jsonl\n\n"
             "  playbook batch incidents.jsonl --no-drafts --lang fr")
def batch(
    file: Annotated[str, typer.Argument(help="JSON Lines file of answers ('-' reads stdin).")],
    lang: LangOpt = None,
    rules: RulesOpt = None,
    drafts: Annotated[bool, typer.Option("--drafts/--no-drafts", help="Write each decision's drafts.")] = True,
    channel: ChannelOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Triage one incident per line; one JSON decision per line out, with its drafts.

    A bad line gives an error object for that line and the run goes on; the exit code is 2
    when any line was bad.
    """
    with user_errors():
        from playbook.batch import run_batch

        rb = _load(rules)
        org = _profile(profile, rb) if drafts or profile else None
        language = _lang(lang, org)
        composer = _composer(rb, org, language, channel) if drafts else None
        bad = run_batch(rb, file, language, sys.stdout, composer)
        if bad:
            raise UsageError(f"{bad} line(s) of {file} could not be triaged (see their error objects)")


@app.command(epilog="Examples:\n\n"
             "  playbook check reply.txt\n\n"
             "  pbpaste | playbook check - --channel twitter --sensitive\n\n"
             "  playbook check statement.txt --lang fr --facts-unknown --format json")
def check(
    draft: Annotated[str, typer.Argument(help="The draft to check: a text file, or '-' for stdin.")],
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the draft: en or fr (default: $PLAYBOOK_LANG, then the locale).",
        show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    sensitive: Annotated[bool, typer.Option(
        "--sensitive", help="Our audience is living through a tragedy, disaster or conflict: "
        "promotion and humour are errors.")] = False,
    facts_unknown: Annotated[bool, typer.Option(
        "--facts-unknown", help="What happened is not established yet: speculation is an error.")] = False,
    channel: Annotated[str | None, typer.Option(
        "--channel", help="Check the draft against this channel's character limit (twitter: 280).",
        show_default=False)] = None,
    rules: RulesOpt = None,
) -> None:
    """Lint a draft: promotion or humour in a tragedy, canned phrases and "no comment",
    empty filler, conditional or blaming apologies, speculation, no next step.

    Each finding gives its place (file:line:col), level, message and a suggestion. Exit 1 when
    a finding is an error, 0 when there are only warnings or none, 2 on bad input.
    """
    with user_errors():
        from playbook import checks
        from playbook.drafts import resolve_channel
        from playbook.errors import CheckFailed
        from playbook.yamlsrc import display_path, read_text

        fmt = _format(fmt, ("text", "json"))
        language = _lang(lang)
        rb = _load(rules)
        target = resolve_channel(rb, channel) if channel else None
        label = "<stdin>" if draft == "-" else display_path(draft)
        text = read_text(draft).rstrip("\r\n")  # a file's final newline is not part of the post
        if not text.strip():
            raise UsageError(f"{label}: the draft is empty; nothing to check")
        result = checks.report(rb, text, label, language, sensitive=sensitive, facts_unknown=facts_unknown,
                               channel=target)
        render.findings(result, fmt)
        if result["counts"]["error"]:
            raise CheckFailed(f"{label}: {result['counts']['error']} error-level finding(s)")



@rules_app.command("check", epilog="Examples:\n\n  playbook rules check\n\n"
                   "  playbook rules check --rules my-rules/ --format json")
def rules_check(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules: RulesOpt = None,
) -> None:
    """Validate the rule base and verify it over the whole answer space.

    Reports gaps (an incident without action, severity or posture), conflicts, broken
    constraints, rules that never fire and shadowed rules, each with an example incident.
    Exit 0 when clean, 1 with findings, 3 when the rule base does not load.
    """
    with user_errors():
        import time

        from playbook.render_rules import check_json, check_text
        from playbook.verify import check

        fmt = _format(fmt, ("text", "json"))
        rb = _load(rules)
        start = time.perf_counter()
        findings, regions = check(rb)
        elapsed = time.perf_counter() - start
        text = check_json(findings, regions, elapsed) if fmt == "json" else check_text(rb, findings, regions, elapsed)
        render.write(text)
        if findings:
            raise typer.Exit(1)


@rules_app.command("test", epilog="Example:\n\n  playbook rules test --rules my-rules/")
def rules_test(rules: RulesOpt = None) -> None:
    """Run every rule's cases; list failures and rules without a case (exit 1 if any)."""
    with user_errors():
        from playbook.render_rules import test_text
        from playbook.ruletest import run_cases

        results, without_case = run_cases(_load(rules))
        render.write(test_text(results, without_case))
        if without_case or any(r.failures for r in results):
            raise typer.Exit(1)


@rules_app.command("explain", epilog="Examples:\n\n  playbook rules explain watch_unnoticed_critique\n\n"
                   "  playbook rules explain admit_unknowns --lang fr")
def rules_explain(
    subject: Annotated[str, typer.Argument(help="A rule id (or a principle id or an output field).")],
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Show a rule: its condition, what it sets, its principle, source and quote."""
    with user_errors():
        from playbook.errors import did_you_mean
        from playbook.render_rules import explain_text

        rb = _load(rules)
        text = explain_text(rb, subject, _lang(lang))
        if text is None:
            known = [r.id for r in rb.rules] + list(rb.principles) + list(rb.outputs)
            raise UsageError(f"'{subject}': no such rule, principle or output{did_you_mean(subject, known)}")
        render.write(text)
