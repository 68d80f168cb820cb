"""What every command shares: the language and format checks, loading the rule base and
profile, and turning a `PlaybookError` into its one-line message and exit code.

No typer here: the fast path (`cli.fast`) runs commands without it. Options are in `cli.spec`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from playbook.cli.spec import LANGS
from playbook.errors import EXIT_INTERRUPTED, PlaybookError, UsageError
from playbook.render import output as render
from playbook.render.files import OutputClosed, StdoutFailed

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

# The words around a message, in the language of the run (the message itself names a place).
PREFIX = {"en": ("playbook: error: ", "playbook: interrupted"),
          "fr": ("playbook\u00a0: erreur\u00a0: ", "playbook\u00a0: interrompu")}
_run_lang: list[str] = []  # the language once known, for messages printed after that


def message(exc: PlaybookError) -> str:
    prefix = PREFIX[_message_lang()][0]
    return "\n".join(f"{prefix}{m}" if i == 0 else m for i, m in enumerate(exc.messages))


def interrupted_message() -> str:
    return PREFIX[_message_lang()][1]


def _message_lang() -> str:
    if _run_lang:
        return _run_lang[-1]
    from playbook.userenv import default_lang

    return default_lang()


@contextmanager
def user_errors() -> Iterator[None]:
    """Inside a command: a PlaybookError prints its message and exits with its code."""
    try:
        yield
    except PlaybookError as exc:
        render.error(message(exc))
        if isinstance(exc, StdoutFailed):
            quiet_closed_stdout()  # what is still buffered for it can never be written either
        raise SystemExit(exc.exit_code) from None
    except (OutputClosed, BrokenPipeError):
        quiet_closed_stdout()
        raise SystemExit(0) from None
    except KeyboardInterrupt:
        render.error(interrupted_message())
        raise SystemExit(EXIT_INTERRUPTED) from None


def quiet_closed_stdout() -> None:
    """The reader of stdout is gone: point stdout at /dev/null so that the final flush is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def lang_of(lang: str | None, profile: Any = None) -> str:
    """--lang, else $PLAYBOOK_LANG, else the profile's language, else the locale.

    An unknown language is refused whether it comes from --lang or $PLAYBOOK_LANG; a locale
    (LANG=de_DE.UTF-8) is not a choice made for playbook and falls back to English.
    """
    from playbook.userenv import default_lang

    env = os.environ.get("PLAYBOOK_LANG")
    if lang is not None:
        value, origin = lang, f"--lang {lang}"
    elif env:
        value, origin = env, f"PLAYBOOK_LANG={env}"
    else:
        value, origin = getattr(profile, "language", None) or default_lang(), ""
    if value not in LANGS:
        raise UsageError(f"{origin}: unknown language; allowed: {', '.join(LANGS)}")
    _run_lang.append(value)
    return value


def format_of(fmt: str | None, allowed: tuple[str, ...], output: str | None = None) -> str:
    """--format, else the one the output file's extension names, else text."""
    return render.format_for(output, fmt, allowed)


def load_rules(rules: list[Any] | None, *, scenarios: bool = False) -> Any:
    """The rule base (`--rules` overlays); with its training scenarios only when asked for."""
    from playbook.rulebase import load as rulebase

    return rulebase.load(rules or (), scenarios=scenarios)


def load_profile(path: str | None, rb: Any) -> Any:
    from playbook.drafting import profile

    return profile.load(rb, path)


def composer(rb: Any, profile: Any, lang: str, channel: str | None) -> Any:
    """Drafts for the decisions to come; a bad --channel fails here, before any question."""
    from playbook.drafting.compose import Composer

    return Composer(rb, profile, lang, channel)


def on_terminal() -> bool:
    """Someone can answer: keys come from a terminal and prompts (on stderr) reach one."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def actor(name: str | None) -> str:
    from playbook.record.service import actor_name

    if name is not None:
        return actor_name(name)
    if not on_terminal():
        return "script"
    import getpass

    try:
        return actor_name(getpass.getuser())
    except Exception:  # no user name to be had (a container without /etc/passwd entry)
        return "unknown"


@contextmanager
def service(name: str | None) -> Iterator[Any]:
    from playbook.record import service as service_mod
    from playbook.record.backends import open_store
    from playbook.record.model import format_time

    who = actor(name)
    store = open_store(format_time(service_mod.utcnow()))
    try:
        yield service_mod.Service(store, who, clock=service_mod.utcnow)
    finally:
        store.close()


def save_triage(desk: Any, validated: Any, name: str | None) -> str:
    """`triage --save`: open an incident with this decision; its id."""
    with service(name) as svc:
        result = svc.open(desk, validated)
    return str(result.incident.id)
