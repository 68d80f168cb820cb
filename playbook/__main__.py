"""Entry point for the `playbook` console script and `python -m playbook`.

`--version` is answered here, before the CLI framework is imported, so that the
most common health check costs no more than starting Python. `playbook triage` and
`playbook batch` go through the fast path (`cli.fast`), which reads their options from the
same spec as the typer app without importing typer; anything it does not read plainly
(help, errors, completion) goes to typer.
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

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs the fast path ~3 ms
if TYPE_CHECKING:
    from typing import Any


def main(argv: list[str] | None = None) -> None:
    previous = _PREVIOUS_SIGINT if _PREVIOUS_SIGINT is not None else signal.default_int_handler
    _handle_sigint(_interrupted_early)
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from playbook.version import __version__

        sys.stdout.write(f"playbook {__version__}\n")
        return
    if args and args[0] in ("triage", "batch") and not _completing():
        from playbook.cli import fast

        if fast.run(args, ready=lambda: _handle_sigint(previous)):
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


def _completing() -> bool:
    return any(k.startswith("_PLAYBOOK_COMPLETE") for k in os.environ)


if __name__ == "__main__":
    main()
