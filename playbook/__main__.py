"""Entry point for the `playbook` console script and `python -m playbook`.

`--version` is answered here, before the CLI framework is imported, so that the
most common health check costs no more than starting Python. A plain `playbook triage`
on a terminal skips option parsing (there is nothing to parse), so that its first
question comes sooner (the budget is in bench/first_prompt.py).
"""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_early(signum: int, frame: object) -> None:
    os.write(2, b"playbook: interrupted\n")
    os._exit(130)


# Ctrl-C while Python imports the CLI would show an import traceback: until a command can keep
# the answers (its own handler takes over in `main`), an interrupt just ends the run quietly;
# nothing has been typed yet. Installed first thing, so that the window before it is ~1 ms.
try:
    _PREVIOUS_SIGINT = signal.signal(signal.SIGINT, _interrupted_early)
except ValueError:  # imported outside the main thread: leave signals alone
    _PREVIOUS_SIGINT = None

from typing import Any  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    previous = _PREVIOUS_SIGINT if _PREVIOUS_SIGINT is not None else signal.default_int_handler
    _handle_sigint(_interrupted_early)
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from playbook.version import __version__

        sys.stdout.write(f"playbook {__version__}\n")
        return
    if args == ["triage"] and _on_terminal():
        import typer

        from playbook.cli.triage import triage

        _handle_sigint(previous)
        _plain_triage(typer, triage)
        return
    from playbook.cli.app import run

    _handle_sigint(previous)
    run(args)


def _handle_sigint(handler: Any) -> Any:
    """Install a SIGINT handler; return the previous one (None outside the main thread)."""
    try:
        return signal.signal(signal.SIGINT, handler)
    except (ValueError, TypeError):  # not the main thread, or no previous Python handler
        return None


def _on_terminal() -> bool:
    completing = any(k.startswith("_PLAYBOOK_COMPLETE") for k in os.environ)
    return sys.stdin.isatty() and sys.stderr.isatty() and not completing


def _plain_triage(typer: Any, triage: Any) -> None:
    """Run the `triage` command with the defaults of its signature, as typer would.

    typer coerces every option through pydantic before calling a command, given or not
    (about 140 ms, half the budget of the first question); with no option to read, the
    command function is called directly, so it does exactly what it does otherwise.
    """
    try:
        triage()
    except typer.Exit as exc:  # how the command reports its exit code (errors are printed)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
