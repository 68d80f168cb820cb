"""The fast path: `playbook triage …` and `playbook batch …` run without importing typer.

Importing typer and building the app costs more than a whole scripted triage (~50 ms). For
the commands scripts call most, the command line is read here, from the same option spec the
typer app is built from (`cli.spec`), and the command's body is called with exactly the
values typer would pass it (tests/cli/test_fast.py holds the two to each other).

Only what is plainly right is read here; anything else — `--help`, an unknown or misspelt
option, a missing value, a value that looks like an option, `--`, a number that is not one,
shell completion — returns None and typer handles it, so help, completion and errors are
typer's, unchanged.
"""

from __future__ import annotations

from playbook.cli.spec import FAST, Command, Opt

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


def parse(command: Command, args: Sequence[str]) -> dict[str, object] | None:
    """The keyword arguments of `command`'s body for `args` (after the command name), or None."""
    flags: dict[str, tuple[Opt, object]] = {}
    positional: list[Opt] = []
    values: dict[str, object] = {}
    for opt in command.options:
        if opt.argument:
            positional.append(opt)
        for flag, given in opt.names().items():
            flags[flag] = (opt, given)
        values[opt.name] = None if opt.multiple or opt.default is ... else opt.default
    lists: dict[str, list[object]] = {}
    i, n = 0, len(args)
    while i < n:
        arg = args[i]
        i += 1
        if arg.startswith("-") and arg != "-":
            name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
            found = flags.get(name)
            if found is None:  # unknown, --help, -h, --, clustered short flags: typer says what it is
                return None
            opt, given = found
            if given is not None:  # a flag: --save, --no-drafts
                if eq:
                    return None
                values[opt.name] = given
                continue
            if eq:
                raw = attached
            elif i < n and not (args[i].startswith("-") and args[i] != "-"):
                raw = args[i]
                i += 1
            else:
                return None
            value = _convert(opt, raw)
            if value is None:
                return None
            if opt.multiple:
                lists.setdefault(opt.name, []).append(value)
            else:
                values[opt.name] = value
        else:
            if not positional:
                return None
            opt = positional.pop(0)
            value = _convert(opt, arg)
            if value is None:
                return None
            values[opt.name] = value
    if any(opt.default is ... for opt in positional):  # a required argument is missing
        return None
    values.update(lists)
    return values


def _convert(opt: Opt, raw: str) -> object | None:
    if opt.kind == "int":
        if not raw.isascii() or not raw.isdigit():
            return None
        number = int(raw)
        return None if opt.minimum is not None and number < opt.minimum else number
    if opt.kind == "path":
        from pathlib import Path

        return Path(raw)
    return raw


def run(args: Sequence[str], ready: Callable[[], object] = lambda: None) -> bool:
    """Run `args` if the fast path can (then exit as the command does); False: let typer run it.

    `ready` is called once the command is imported, before it runs (the entry point then hands
    Ctrl-C to the command, which keeps what was typed)."""
    command = FAST.get(args[0]) if args else None
    if command is None:
        return False
    values = parse(command, args[1:])
    if values is None:
        return False
    import importlib

    body = getattr(importlib.import_module(command.module), command.function)
    ready()
    body(**values)
    return True
