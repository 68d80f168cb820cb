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


def _lang(lang: str | None) -> str:
    from playbook.report import default_lang

    value = lang or default_lang()
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


@app.command(epilog="Examples:\n\n"
             "  playbook triage\n\n"
             "  playbook triage --answers incident.yaml --format json\n\n"
             "  echo '{\"origin\": \"data_breach\", ...}' | playbook triage --answers - -f json\n\n"
             "  playbook triage --answers incident.yaml --set reach=viral --lang fr")
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
) -> None:
    """Triage an incident: interview (on a terminal), then the decision and why.

    Without a terminal every answer must come from --answers or --set; missing ones are
    listed with their allowed values (exit 2).
    """
    with user_errors():
        from playbook import answers as answers_mod
        from playbook import report
        from playbook.engine import Engine

        fmt = _format(fmt, render.FORMATS)
        language = _lang(lang)
        rb = _load(rules)
        raw = answers_mod.read_answers(answers) if answers else answers_mod.RawAnswers()
        if set_:
            raw = raw.update(answers_mod.parse_set(set_))
        validated = answers_mod.validate(rb, raw)
        answers_mod.require_complete(rb, validated)
        decision = Engine(rb).decide(validated.values)
        doc = report.build(rb, validated, decision, language)
        render.decision(rb, doc, fmt, output)


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


@app.command(epilog="Example:\n\n  playbook batch incidents.jsonl > decisions.jsonl")
def batch(
    file: Annotated[str, typer.Argument(help="JSON Lines file of answers ('-' reads stdin).")],
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Triage one incident per line; one JSON decision per line out.

    A bad line gives an error object for that line and the run goes on; the exit code is 2
    when any line was bad.
    """
    with user_errors():
        from playbook.batch import run_batch

        rb = _load(rules)
        bad = run_batch(rb, file, _lang(lang), sys.stdout)
        if bad:
            raise UsageError(f"{bad} line(s) of {file} could not be triaged (see their error objects)")



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
