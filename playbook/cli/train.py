"""`playbook scenarios`, `playbook train SCENARIO` and `playbook train report RESULTS…`.

`train SCENARIO` is short for `train run SCENARIO`: on a terminal it plays the scenario
(`cli.trainee`); `--answers FILE` grades recorded choices without one, `--template` writes that
file to fill. Each run can write its results file (`--results`, kept in the user data directory
after a run on a terminal) and the trainer's report (`--report FILE`: .md, .json or .html);
`train report` writes the report on any number of results files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from playbook.cli.common import lang_of, load_rules, on_terminal, user_errors
from playbook.cli.options import LangOpt, RulesOpt, format_option
from playbook.errors import UsageError
from playbook.render import output as render

REPORT_FORMATS = ("markdown", "json", "html")
REPORT_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".html": "html", ".htm": "html"}


class _RunByDefault(TyperGroup):
    """`playbook train SCENARIO …` runs `train run SCENARIO …`; `train report …` stays a command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def _scenario_ids() -> list[str]:
    try:
        return [s.id for s in load_rules(None, scenarios=True).scenarios]
    except Exception:
        return []


train_app = typer.Typer(
    cls=_RunByDefault, no_args_is_help=True, rich_markup_mode=None,
    help="Run a training scenario, grade recorded answers, or report on a group.\n\n"
         "playbook train SCENARIO is short for playbook train run SCENARIO.",
    epilog="Examples:\n\n  playbook train kenneth_cole_cairo --lang fr\n\n"
           "  playbook train kenneth_cole_cairo --answers sam.yaml --results sam.json\n\n"
           "  playbook train report results/*.json -o group.html",
)

SCENARIOS_EPILOG = "Examples:\n\n  playbook scenarios\n\n  playbook scenarios --lang fr --format json"


def scenarios(
    fmt: Annotated[str | None, format_option(("text", "json"), "; default: text")] = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """List the training scenarios: id, title, injects, length, languages, source."""
    with user_errors():
        from playbook.render.training_report import scenarios_rows, scenarios_text

        fmt = render.format_for(None, fmt, ("text", "json"))
        rb = load_rules(rules, scenarios=True)
        language = lang_of(lang)
        render.write(render.to_json(scenarios_rows(rb, language)) if fmt == "json" else scenarios_text(rb, language))


RUN_EPILOG = ("Examples:\n\n  playbook train united_breaks_guitars\n\n"
              "  playbook train united_breaks_guitars --lang fr --as 'Camille'\n\n"
              "  playbook train united_breaks_guitars --resume\n\n"
              "  playbook train united_breaks_guitars --template -o alice.yaml\n\n"
              "  playbook train united_breaks_guitars --answers alice.yaml --results alice.json --report alice.html")


@train_app.command("run", epilog=RUN_EPILOG)
def train_run(
    scenario: Annotated[str, typer.Argument(metavar="SCENARIO", autocompletion=lambda: _scenario_ids(),
                                            help="A scenario id (playbook scenarios lists them).",
                                            show_default=False)],
    answers: Annotated[str | None, typer.Option(
        "--answers", "-a", metavar="FILE", help="Grade these recorded choices (YAML or JSON, '-' reads stdin) "
        "instead of playing on the terminal.", show_default=False)] = None,
    template: Annotated[bool, typer.Option("--template", help="Write the answers file to fill for this "
                                           "scenario, and exit.")] = False,
    trainee: Annotated[str | None, typer.Option(
        "--as", metavar="NAME", help="The trainee's name (default: the answers file's, else the OS user).",
        show_default=False)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run of this scenario interrupted "
                                         "last (Ctrl-C).")] = False,
    results_file: Annotated[str | None, typer.Option(
        "--results", metavar="FILE", help="Write the results (JSON) here; a run on a terminal keeps them in the "
        "user data directory otherwise.", show_default=False)] = None,
    report: Annotated[str | None, typer.Option(
        "--report", metavar="FILE", help="Write the trainer's report on this run: .md, .json or .html.",
        show_default=False)] = None,
    fmt: Annotated[str | None, format_option(("text", "json"), " of the grading of --answers; default: text")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the template or the grading to this file instead of stdout.",
        show_default=False)] = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Play a training scenario on the terminal, or grade recorded choices (--answers).

    On a terminal: the narrative, then each inject with its scenario clock; you choose action,
    severity, posture, what to say and who owns it, and write the message when asked; the
    playbook then shows what it would do, where you differed and why, and checks your message.
    Ctrl-C keeps your progress (exit 130) and --resume continues. The debrief closes the run.
    """
    with user_errors():
        rb = load_rules(rules, scenarios=True)
        found = find_scenario(rb, scenario)
        if sum((template, answers is not None, resume)) > 1:
            raise UsageError("--template, --answers and --resume: choose one")
        if template:
            from playbook.training.answers import template as make_template

            render.write(make_template(rb, found, lang_of(lang), trainee), output)
        elif answers is not None:
            _grade(rb, found, answers, lang, trainee, fmt, output, results_file, report)
        else:
            _play(rb, found, lang, trainee, resume, results_file, report)


def find_scenario(rb: Any, name: str) -> Any:
    from playbook.errors import did_you_mean

    found = rb.scenario(name)
    if found is None:
        ids = [s.id for s in rb.scenarios]
        raise UsageError(f"'{name}': no such scenario{did_you_mean(name, ids)}; known: {', '.join(ids) or 'none'} "
                         "(playbook scenarios lists them)")
    return found


def _grade(rb: Any, scenario: Any, path: str, lang: str | None, trainee: str | None, fmt: str | None,
           output: str | None, results_file: str | None, report: str | None) -> None:
    """Recorded choices: graded inject by inject, like a run, on stdout (or -o)."""
    from playbook.render import training as view
    from playbook.training import answers, results
    from playbook.training.session import Exercise

    fmt = render.format_for(output, fmt, ("text", "json"))
    recorded = answers.read(rb, scenario, path)
    language = lang_of(lang if lang is not None else recorded.lang)
    name = trainee or recorded.trainee or os_user()
    exercise = Exercise(rb, scenario, language, name)
    graded = [exercise.grade(i, choice) for i, choice in enumerate(recorded.choices)]
    doc = results.document(exercise, graded, name, "answers")
    if fmt == "json":
        render.write(render.to_json(doc), output)
    else:
        parts = [view.intro(scenario, language)]
        for g, entry in zip(graded, doc["injects"], strict=True):
            draft = exercise.model_draft(g.step.index) if g.step.inject.message else None
            parts += [view.inject_card(scenario, g.step.index, exercise.when(g.step.index), language),
                      view.feedback(rb, scenario, entry, language, draft)]
        parts += [view.debrief(rb, scenario, language), "\n" + view.score_sheet(doc, scenario, language)]
        render.write("".join(parts), output)
    _keep(rb, doc, results_file, report)


def _play(rb: Any, scenario: Any, lang: str | None, trainee: str | None, resume: bool, results_file: str | None,
          report: str | None) -> None:
    from playbook.render import training as view
    from playbook.training import results
    from playbook.training.session import Exercise

    if not on_terminal():
        raise UsageError(f"train {scenario.id}: no terminal to play on; grade recorded choices with --answers FILE "
                         f"(playbook train {scenario.id} --template writes one)")
    done: list[Any] = []
    name, language = trainee or os_user(), lang_of(lang)
    if resume:
        saved_name, saved_lang, done = results.load_progress(scenario.id)
        name, language = trainee or saved_name, lang_of(lang if lang is not None else saved_lang)
    exercise = Exercise(rb, scenario, language, name)
    from playbook.cli.trainee import Trainee  # questionary loads only when a prompt is shown

    choices = Trainee(exercise).play(done)
    doc = results.document(exercise, [exercise.grade(i, c) for i, c in enumerate(choices)], name, "terminal")
    render.info(view.debrief(rb, scenario, language))
    path = results_file
    if path is None:
        default = results.default_results_path(scenario.id, name)
        default.parent.mkdir(parents=True, exist_ok=True)
        path = str(default)
    _keep(rb, doc, path, report)
    render.info(f"results: {path}")
    results.discard_progress(scenario.id)
    render.write(view.score_sheet(doc, scenario, language))


def _keep(rb: Any, doc: dict[str, Any], results_file: str | None, report: str | None) -> None:
    if results_file:
        render.write(render.to_json(doc), results_file)
    if report:
        write_report(rb, [doc], doc["lang"], report_format(report, None), report)


def report_format(output: str | None, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in REPORT_FORMATS:
            raise UsageError(f"--format {fmt}: unknown format; allowed: {', '.join(REPORT_FORMATS)}")
        return fmt
    return REPORT_EXTENSIONS.get(Path(output or "").suffix.lower(), "markdown")


def write_report(rb: Any, docs: list[dict[str, Any]], lang: str, fmt: str, output: str | None) -> None:
    from playbook.training.report import build

    report = build(rb, docs, lang)
    if fmt == "json":
        text = render.to_json(report)
    elif fmt == "html":
        from playbook.render.report_html import report_html

        text = report_html(rb, report)
    else:
        from playbook.render.training_report import report_markdown

        text = report_markdown(rb, report)
    render.write(text, output)


REPORT_EPILOG = ("Examples:\n\n  playbook train report results/*.json -o report.html\n\n"
                 "  playbook train report alice.json bob.json --format markdown --lang fr")


@train_app.command("report", epilog=REPORT_EPILOG)
def train_report(
    results_files: Annotated[list[str], typer.Argument(metavar="RESULTS...", help="Results files written by "
                                                       "playbook train (JSON).", show_default=False)],
    fmt: Annotated[str | None, format_option(REPORT_FORMATS, "; default: the -o file's extension, else markdown")]
    = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the report to this file instead of stdout.",
        show_default=False)] = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
) -> None:
    """The trainer's report on a group: per trainee, per inject (where most of the group went
    wrong), the principles most missed, and the debrief; Markdown, JSON or a self-contained HTML
    page with a score chart per inject."""
    with user_errors():
        from playbook.training.results import read_results

        fmt = report_format(output, fmt)
        docs = read_results(results_files)
        rb = load_rules(rules, scenarios=True)
        write_report(rb, docs, lang_of(lang), fmt, output)


def os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return "trainee"


def register(app: typer.Typer) -> None:
    app.command(epilog=SCENARIOS_EPILOG)(scenarios)
    app.add_typer(train_app, name="train")
