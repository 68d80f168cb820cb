"""`playbook rules check|test|explain`: validate, verify, test and explain the rule base."""

from __future__ import annotations

from typing import Annotated

import typer

from playbook.cli.common import format_of, lang_of, load_rules, user_errors
from playbook.cli.options import LangOpt, RulesOpt, format_option
from playbook.cli.spec import complete_rule_subject
from playbook.errors import UsageError
from playbook.render import output as render

rules_app = typer.Typer(
    help="Validate, verify, test and explain the rule base.", no_args_is_help=True,
    rich_markup_mode=None,
)


@rules_app.command("check", epilog="Examples:\n\n  playbook rules check\n\n"
                   "  playbook rules check --rules my-rules/ --format json")
def rules_check(
    fmt: Annotated[str | None, format_option(("text", "json"), "; default: text")] = None,
    rules: RulesOpt = None,
) -> None:
    """Validate the rule base and verify it over the whole answer space.

    Reports gaps (an incident without action, severity or posture), conflicts, broken
    constraints, rules that never fire and shadowed rules, each with an example incident.
    Exit 0 when clean, 1 with findings, 3 when the rule base does not load.
    """
    with user_errors():
        import time

        from playbook.render.rules import check_json, check_text
        from playbook.rulebase.verify import check

        fmt = format_of(fmt, ("text", "json"))
        rb = load_rules(rules, scenarios=True)  # the scenarios are validated too
        start = time.perf_counter()
        findings, regions = check(rb)
        elapsed = time.perf_counter() - start
        text = check_json(findings, regions, elapsed) if fmt == "json" else check_text(rb, findings, regions, elapsed)
        render.write(text)
        if findings:
            raise typer.Exit(1)


@rules_app.command("test", epilog="Examples:\n\n  playbook rules test --rules my-rules/\n\n"
                   "  playbook rules test --cases tests/decisions/cases")
def rules_test(
    rules: RulesOpt = None,
    cases: Annotated[list[str] | None, typer.Option(
        "--cases", metavar="DIR", help="Also run a case library: every *.yaml file of DIR, incidents with the "
        "decision a crisis lead expects (repeatable).", show_default=False)] = None,
) -> None:
    """Run every rule's cases, every training scenario's expected decisions, and the case
    libraries given; list failures and rules without a case (exit 1 if any)."""
    with user_errors():
        from playbook.render.rules import library_text, scenarios_text, test_text
        from playbook.rulebase.cases import run_cases
        from playbook.rulebase.library import load_library, run_library
        from playbook.rulebase.scenarios import run_scenarios

        rb = load_rules(rules, scenarios=True)
        libraries = [(d, load_library(rb, d)) for d in cases or ()]  # a malformed library: exit 2 first
        results, without_case = run_cases(rb)
        text = test_text(results, without_case)
        failed = bool(without_case) or any(r.failures for r in results)
        if rb.scenarios:
            injects = run_scenarios(rb)
            text += scenarios_text(injects)
            failed = failed or any(r.failures for r in injects)
        for directory, library in libraries:
            outcome = run_library(rb, library)
            text += library_text(directory, outcome)
            failed = failed or any(r.failures for r in outcome)
        render.write(text)
        if failed:
            raise typer.Exit(1)


@rules_app.command("explain", epilog="Examples:\n\n  playbook rules explain watch_unnoticed_critique\n\n"
                   "  playbook rules explain admit_unknowns --lang fr")
def rules_explain(
    subject: Annotated[str, typer.Argument(metavar="RULE_ID", autocompletion=complete_rule_subject,
                                           help="A rule id (or a principle id or an output field).",
                                           show_default=False)],
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Show a rule: its condition, what it sets, its principle, source and quote."""
    with user_errors():
        from playbook.errors import did_you_mean
        from playbook.render.rules import explain_text

        rb = load_rules(rules)
        text = explain_text(rb, subject, lang_of(lang))
        if text is None:
            known = [r.id for r in rb.rules] + list(rb.principles) + list(rb.outputs)
            raise UsageError(f"'{subject}': no such rule, principle or output{did_you_mean(subject, known)}")
        render.write(text)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
