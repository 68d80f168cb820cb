"""The command line: the typer app and its commands; each parses flags, makes one core call and
hands the result to a renderer.

Only the `cli` package imports typer (and questionary, in `interview`). Every `PlaybookError`
becomes its message on stderr and its exit code; a user mistake never shows a traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from playbook.cli import check, incident, profile, rules, train, triage
from playbook.cli.common import interrupted_message, message, quiet_closed_stdout
from playbook.errors import EXIT_INTERRUPTED, PlaybookError
from playbook.render import output as render
from playbook.render.files import OutputClosed
from playbook.version import __version__

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


def run(args: list[str]) -> None:
    """Run the app; map errors to exit codes even outside a command (e.g. in completion)."""
    try:
        app(args=args, prog_name="playbook")
    except PlaybookError as exc:
        render.error(message(exc))
        sys.exit(exc.exit_code)
    except (OutputClosed, BrokenPipeError):
        quiet_closed_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        render.error(interrupted_message())
        sys.exit(EXIT_INTERRUPTED)


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


for _commands in (triage, check, incident, profile, rules, train):
    _commands.register(app)
