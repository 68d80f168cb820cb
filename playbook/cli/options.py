"""The typer side of `cli.spec`: each option's `Annotated[type, typer.Option(...)]`, and command
functions whose signature typer reads is made from the spec, so that `--help`, completion and
errors come from the one definition the fast path parses too.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from playbook.cli import spec
from playbook.cli.spec import Opt

_TYPES: dict[str, Any] = {"str": str, "int": int, "path": Path}


def annotated(opt: Opt) -> Any:
    """The parameter type typer reads for this option."""
    base = _TYPES[opt.kind]
    if opt.flag:
        kind: Any = bool
    elif opt.multiple:
        kind = list[base] | None  # type: ignore[valid-type]
    elif opt.default is None:
        kind = base | None
    else:
        kind = base
    extra: dict[str, Any] = {}
    if opt.metavar:
        extra["metavar"] = opt.metavar
    if opt.complete is not None:
        extra["autocompletion"] = opt.complete
    if opt.minimum is not None:
        extra["min"] = opt.minimum
    if opt.argument:
        info: Any = typer.Argument(help=opt.help, show_default=opt.show_default, **extra)
    else:
        info = typer.Option(*opt.flags, help=opt.help, show_default=opt.show_default, **extra)
    return Annotated[kind, info]


def typed(command: spec.Command, body: Callable[..., None]) -> Callable[..., None]:
    """`body` with the signature typer reads built from `command`'s options (help: its docstring)."""
    parameters = []
    for opt in command.options:
        default = inspect.Parameter.empty if opt.default is ... else opt.default
        parameters.append(inspect.Parameter(opt.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                            default=default, annotation=annotated(opt)))

    def run(**values: Any) -> None:
        body(**values)

    run.__name__ = run.__qualname__ = command.name
    run.__doc__ = body.__doc__
    run.__module__ = body.__module__
    run.__signature__ = inspect.Signature(parameters, return_annotation=None)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run


def format_option(allowed: tuple[str, ...], note: str = "") -> Any:
    """`--format FORMAT` / `-f` listing `allowed`, for `Annotated[str | None, format_option(...)]`."""
    return annotated(spec.format_opt(allowed, note)).__metadata__[0]


TYPE_CHECKING = False
if TYPE_CHECKING:  # what the commands receive (tests/cli/test_help.py holds them to the spec)
    RulesOpt = list[Path] | None
    LangOpt = str | None
    ChannelOpt = str | None
    ProfileOpt = str | None
else:
    RulesOpt = annotated(spec.RULES)
    LangOpt = annotated(spec.LANG)
    ChannelOpt = annotated(spec.CHANNEL)
    ProfileOpt = annotated(spec.PROFILE)
