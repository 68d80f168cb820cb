"""Entry point for the `playbook` console script and `python -m playbook`.

`--version` is answered here, before the CLI framework is imported, so that the
most common health check costs no more than starting Python. A plain `playbook triage`
on a terminal skips option parsing (there is nothing to parse), so that its first
question comes sooner (the budget is in bench/first_prompt.py).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from playbook import __version__

        sys.stdout.write(f"playbook {__version__}\n")
        return
    if args == ["triage"] and _on_terminal():
        _plain_triage()
        return
    from playbook.cli.app import run

    run(args)


def _on_terminal() -> bool:
    completing = any(k.startswith("_PLAYBOOK_COMPLETE") for k in os.environ)
    return sys.stdin.isatty() and sys.stderr.isatty() and not completing


def _plain_triage() -> None:
    """Run the `triage` command with the defaults of its signature, as typer would.

    typer coerces every option through pydantic before calling a command, given or not
    (about 140 ms, half the budget of the first question); with no option to read, the
    command function is called directly, so it does exactly what it does otherwise.
    """
    import typer

    from playbook.cli.triage import triage

    try:
        triage()
    except typer.Exit as exc:  # how the command reports its exit code (errors are printed)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
