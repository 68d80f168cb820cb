"""What every command shares: the common options, the language and format checks, loading
the rule base and profile, and turning a `PlaybookError` into its message and exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from playbook.errors import EXIT_INTERRUPTED, PlaybookError, UsageError
from playbook.render import output as render

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
ChannelOpt = Annotated[
    str | None,
    typer.Option("--channel", help="Where the public reply goes, with its character limit: twitter (x, 280), "
                 "bluesky (300), threads, mastodon (500), tiktok (150), linkedin (1250), instagram (2200), "
                 "facebook (8000), youtube (10000), email, web (default: the profile's, else twitter).",
                 show_default=False),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", help="Organisation profile (YAML) that fills and signs the drafts "
                 "(default: $PLAYBOOK_PROFILE, then the built-in example).", show_default=False),
]


def message(exc: PlaybookError) -> str:
    return "\n".join(f"playbook: error: {m}" if i == 0 else m for i, m in enumerate(exc.messages))


@contextmanager
def user_errors() -> Iterator[None]:
    """Inside a command: a PlaybookError prints its message and exits with its code."""
    try:
        yield
    except PlaybookError as exc:
        render.error(message(exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        render.error("playbook: interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def lang_of(lang: str | None, profile: Any = None) -> str:
    """--lang, else $PLAYBOOK_LANG, else the profile's language, else the locale."""
    import os

    from playbook.userenv import default_lang

    chosen = getattr(profile, "language", None)
    if os.environ.get("PLAYBOOK_LANG") or not chosen:
        chosen = default_lang()
    value = lang or chosen
    if value not in ("en", "fr"):
        raise UsageError(f"--lang {value}: unknown language; allowed: en, fr")
    return value


def format_of(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise UsageError(f"--format {fmt}: unknown format; allowed: {', '.join(allowed)}")
    return fmt


def load_rules(rules: list[Path] | None) -> Any:
    from playbook.rulebase import load as rulebase

    return rulebase.load(rules or ())


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
