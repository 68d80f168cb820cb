"""What every command shares: the common options (with conventional metavars and shell
completion), the language and format checks, loading the rule base and profile, and turning a
`PlaybookError` into its one-line message and exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from playbook.errors import EXIT_INTERRUPTED, PlaybookError, UsageError
from playbook.render import output as render
from playbook.render.files import OutputClosed, StdoutFailed

LANGS = ("en", "fr")
# The words around a message, in the language of the run (the message itself names a place).
PREFIX = {"en": ("playbook: error: ", "playbook: interrupted"),
          "fr": ("playbook\u00a0: erreur\u00a0: ", "playbook\u00a0: interrompu")}
_run_lang: list[str] = []  # the language once known, for messages printed after that


def _completer(values: Callable[[], list[str]]) -> Callable[[str], list[str]]:
    """A shell-completion callback; completion never fails loudly, it offers nothing."""

    def complete(incomplete: str) -> list[str]:
        try:
            return [v for v in values() if v.startswith(incomplete)]
        except Exception:
            return []

    return complete


def _channels() -> list[str]:
    rb = load_rules(None)
    return sorted({name for c in rb.drafting.channels.values() for name in (c.id, *c.aliases)})


def _rule_subjects() -> list[str]:
    rb = load_rules(None)
    return [r.id for r in rb.rules] + list(rb.principles) + list(rb.outputs)


complete_lang = _completer(lambda: list(LANGS))
complete_channel = _completer(_channels)
complete_rule_subject = _completer(_rule_subjects)


def format_option(allowed: tuple[str, ...], note: str = "") -> Any:
    """`--format FORMAT` / `-f`, its help listing `allowed`, completing them."""
    return typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                        autocompletion=_completer(lambda: list(allowed)),
                        help=f"Output format: {', '.join(allowed)}{note}.")


RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", metavar="DIR", help="Overlay the built-in rule base with this directory "
                 "(repeatable; default: $PLAYBOOK_RULES).", show_default=False),
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", metavar="LANG", autocompletion=complete_lang,
                 help="Language of questions, decision and drafts: en or fr "
                 "(default: $PLAYBOOK_LANG, then the profile's, then the locale).", show_default=False),
]
ChannelOpt = Annotated[
    str | None,
    typer.Option("--channel", metavar="CHANNEL", autocompletion=complete_channel,
                 help="Where the public reply goes, with its character limit: twitter (alias x, 280), "
                 "bluesky (300), threads (500), mastodon (500), tiktok (150), linkedin (1250), "
                 "instagram (2200), facebook (8000), youtube (10000), email, web, direct_message "
                 "(default: the profile's, else twitter).", show_default=False),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", metavar="FILE", help="Organisation profile (YAML) that fills and signs the "
                 "drafts (default: $PLAYBOOK_PROFILE, then the one `playbook profile init` wrote, then "
                 "the built-in example).", show_default=False),
]


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
        raise typer.Exit(exc.exit_code) from None
    except (OutputClosed, BrokenPipeError):
        quiet_closed_stdout()
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        render.error(interrupted_message())
        raise typer.Exit(EXIT_INTERRUPTED) from None


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


def load_rules(rules: list[Path] | None, *, scenarios: bool = False) -> Any:
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
