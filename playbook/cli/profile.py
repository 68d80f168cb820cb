"""`playbook profile init|check`: make the organisation profile that signs the drafts, check one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from playbook.cli.common import load_rules, user_errors
from playbook.cli.options import RulesOpt
from playbook.errors import CheckFailed, UsageError
from playbook.render import output as render

profile_app = typer.Typer(
    help="Make your organisation's profile (who signs the drafts, where people reach you), check one.",
    no_args_is_help=True, rich_markup_mode=None,
)


@profile_app.command("init", epilog="Examples:\n\n  playbook profile init\n\n"
                     "  playbook profile init team/profile.yaml")
def profile_init(
    file: Annotated[str | None, typer.Argument(
        metavar="[FILE]", help="Where to write it (default: the user config directory, where every "
        "triage finds it).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented starter profile to fill in.

    Without FILE it goes to the user config directory ($PLAYBOOK_HOME if set), where every
    triage picks it up; elsewhere, use it with --profile FILE or $PLAYBOOK_PROFILE.
    """
    with user_errors():
        from playbook.drafting.profile import starter_profile_path
        from playbook.userenv import user_profile_path

        target = Path(file) if file else Path(user_profile_path())
        if target.exists() and not force:
            raise UsageError(f"{target}: already exists; edit it, or use --force to start again")
        if not file:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"{target.parent}: cannot create the directory ({exc.strerror})") from None
        render.write(Path(starter_profile_path()).read_text(encoding="utf-8"), str(target))
        used = "every triage uses it" if not file else f"use it with --profile {target}"
        render.info(f"wrote {target}: replace the values in <angle brackets>, then run "
                    f"`playbook profile check {target}`; {used}")


@profile_app.command("check", epilog="Example:\n\n  playbook profile check ~/.config/playbook/profile.yaml")
def profile_check(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The profile to check ('-' reads stdin).",
                                        show_default=False)],
    rules: RulesOpt = None,
) -> None:
    """Validate a profile against the rule base (channels, contact roles, languages).

    Exit 0 when it is ready, 1 when starter values in <angle brackets> are left, 2 when it is
    invalid (each mistake with its file, line and column).
    """
    with user_errors():
        from playbook.drafting.profile import parse, placeholders
        from playbook.rulebase.source import display_path, read_text

        label = "<stdin>" if file == "-" else display_path(file)
        text = read_text(file)
        profile = parse(load_rules(rules), text, label)
        left = placeholders(text)
        for line, value in left:
            render.error(f"{label}:{line}: starter value {value} still to replace")
        if left:
            raise CheckFailed(f"{label}: {len(left)} starter value(s) still to replace")
        render.write(f"{label}: valid profile for {profile.name}, signed by {profile.spokesperson.name}\n")


def register(app: typer.Typer) -> None:
    app.add_typer(profile_app, name="profile")
