"""`playbook check`: lint a draft against the antipatterns of the rule base."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from playbook.cli.common import format_of, lang_of, load_rules, user_errors
from playbook.cli.options import RulesOpt, format_option
from playbook.cli.spec import complete_channel, complete_lang
from playbook.errors import UsageError
from playbook.render import output as render

CHECK_EPILOG = ("Examples:\n\n"
                "  playbook check reply.txt\n\n"
                "  playbook check --eval tests/drafting/corpus\n\n"
                "  pbpaste | playbook check - --channel twitter --sensitive\n\n"
                "  playbook check statement.txt --lang fr --facts-unknown --format json\n\n"
                "  playbook check new-statement.txt --incident INC-20261121-7F3K")


def check(
    draft: Annotated[str | None, typer.Argument(metavar="FILE", help="The draft to check: a text file, or '-' for "
                                                "stdin.", show_default=False)] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="LANG", autocompletion=complete_lang,
        help="Language of the draft: en or fr (default: $PLAYBOOK_LANG, then the locale).",
        show_default=False)] = None,
    fmt: Annotated[str | None, format_option(("text", "json"), "; default: text")] = None,
    sensitive: Annotated[bool, typer.Option(
        "--sensitive", help="Our audience is living through a tragedy, disaster or conflict: "
        "promotion and humour are errors.")] = False,
    facts_unknown: Annotated[bool, typer.Option(
        "--facts-unknown", help="What happened is not established yet: speculation is an error.")] = False,
    channel: Annotated[str | None, typer.Option(
        "--channel", metavar="CHANNEL", autocompletion=complete_channel,
        help="Check the draft against this channel's character limit (twitter: 280).",
        show_default=False)] = None,
    rules: RulesOpt = None,
    incident: Annotated[str | None, typer.Option(
        "--incident", metavar="ID", help="Also check the draft against this incident's approved messages: "
        "contradicting one (denying what it admitted, or the reverse) is an error.", show_default=False)] = None,
    evaluate: Annotated[str | None, typer.Option(
        "--eval", metavar="CORPUS", help="Measure the checks on a labelled corpus (a YAML file or a directory of "
        "them): precision and recall per check and language; exit 1 below the rule base's thresholds.",
        show_default=False)] = None,
) -> None:
    """Lint a draft: promotion or humour in a tragedy, canned phrases and "no comment",
    empty filler, conditional or blaming apologies, speculation, no next step.

    Each finding gives its place (file:line:col), level, message and a suggestion. Exit 1 when
    a finding is an error, 0 when there are only warnings or none, 2 on bad input.
    """
    with user_errors():
        from playbook.drafting import checks
        from playbook.drafting.compose import resolve_channel
        from playbook.errors import CheckFailed
        from playbook.rulebase.source import display_path, read_text

        fmt = format_of(fmt, ("text", "json"))
        if evaluate is not None:
            if draft is not None:
                raise UsageError("check: give a draft FILE or --eval CORPUS, not both")
            _evaluate(load_rules(rules), evaluate, fmt)
            return
        if draft is None:
            raise UsageError("check: give a draft FILE ('-' for stdin), or --eval CORPUS")
        language = lang_of(lang)
        rb = load_rules(rules)
        target = resolve_channel(rb, channel) if channel else None
        label = "<stdin>" if draft == "-" else display_path(draft)
        text = read_text(draft).rstrip("\r\n")  # a file's final newline is not part of the post
        if not text.strip():
            raise UsageError(f"{label}: the draft is empty; nothing to check")
        extra = _contradictions(incident, text, language) if incident else []
        result = checks.report(rb, text, label, language, sensitive=sensitive, facts_unknown=facts_unknown,
                               channel=target, extra=extra)
        render.findings(result, fmt)
        if result["counts"]["error"]:
            raise CheckFailed(f"{label}: {result['counts']['error']} error-level finding(s)")


def _contradictions(incident: str, text: str, lang: str) -> list[Any]:
    """Findings where the draft contradicts a message approved for the incident."""
    from playbook.cli.common import service
    from playbook.drafting.consistency import contradictions
    from playbook.record.ids import incident_id
    from playbook.record.service import approved_context

    with service("script") as svc:
        state = svc.get(incident_id(incident))
    return contradictions(approved_context(state, state.answers), text, lang)


def _evaluate(rb: Any, corpus: str, fmt: str) -> None:
    from playbook.drafting.evaluation import evaluate, load_corpus
    from playbook.errors import CheckFailed
    from playbook.render.evaluation import evaluation_text

    result = evaluate(rb, load_corpus(rb, corpus))
    render.write(render.to_json(result) if fmt == "json" else evaluation_text(result))
    if not result["passed"]:
        raise CheckFailed(f"--eval {corpus}: below the thresholds (recall {result['thresholds']['recall']:.0%}, "
                          f"false alarms {result['thresholds']['false_alarm_rate']:.0%})")


def register(app: typer.Typer) -> None:
    app.command(epilog=CHECK_EPILOG)(check)
