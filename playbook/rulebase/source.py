"""YAML and JSON documents that remember where each value came from.

Every validation message in playbook names `file:line:col`; this module turns a text into
plain Python data plus a `Located` index of positions, built from PyYAML's composed nodes
(which carry marks). Duplicate keys, which PyYAML would silently overwrite, are errors.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from playbook.core.record import field, record
from playbook.errors import PlaybookError, UsageError

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

Key = tuple[object, ...]


@record
class Position:
    """A 1-based place in a source file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@record(frozen=False)
class Located:
    """Positions of every value and mapping key of one document, by path from the root."""

    file: str  # as shown in messages now (relative to the working directory when inside it)
    values: dict[Key, Position] = field(default_factory=dict)
    keys: dict[Key, Position] = field(default_factory=dict)
    path: str = ""  # absolute, for what is kept (a cached rule base is read from anywhere)

    def at(self, path: Key) -> Position:
        """Where the value at `path` starts (or its nearest located ancestor)."""
        for end in range(len(path), -1, -1):
            pos = self.values.get(path[:end])
            if pos is not None:
                return pos
        return Position(self.file, 1, 1)

    def key_at(self, path: Key) -> Position:
        """Where the mapping key that leads to `path` is written."""
        return self.keys.get(path) or self.at(path)


def display_where(where: object) -> str:
    """A kept place (`Where`: an absolute file and a line) as the user would read it from here."""
    file, line = getattr(where, "file", None), getattr(where, "line", None)
    if file is None:
        return str(where)
    return f"{display_path(file)}:{line}"


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    p = _pure(os.fspath(path))
    try:
        full, cwd = os.path.realpath(p), os.path.realpath(os.getcwd())
    except (ValueError, OSError):
        return p
    if full == cwd:
        return "."
    return full[len(cwd) + 1:] if full.startswith(cwd.rstrip(os.sep) + os.sep) else p


def _pure(path: str) -> str:
    """The path as `str(pathlib.PurePosixPath(path))` writes it (no empty or `.` parts)."""
    if os.sep != "/":  # pragma: no cover - not POSIX
        from pathlib import Path

        return str(Path(path))
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return ("/" if path.startswith("/") else "") + "/".join(parts) or "."


def read_text(path: str | os.PathLike[str], *, error: type[PlaybookError] = UsageError) -> str:
    """Read a UTF-8 file or stdin (`-`), naming the file when it cannot be read."""
    if str(path) == "-":
        import sys

        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise error(f"{display_path(path)}: no such file") from None
    except IsADirectoryError:
        raise error(f"{display_path(path)}: is a directory, expected a file") from None
    except UnicodeDecodeError as exc:
        raise error(f"{display_path(path)}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise error(f"{display_path(path)}: cannot read ({exc.strerror})") from None


def load_yaml(
    text: str, file: str, *, error: type[PlaybookError] = UsageError, path: str = ""
) -> tuple[Any, Located]:
    """Parse one YAML (or JSON) document into plain data and its positions.

    `file` names it in messages; `path`, when given, is its absolute path, kept in `Where`.
    """
    import yaml

    loader_cls: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    located = Located(file, path=path or file)
    _check_size(text, file, error)
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else file
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"{where}: invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise error(f"{file}: invalid YAML: {exc}") from None
    if node is None:
        return None, located
    constructor = loader_cls("")
    budget = [MAX_VALUES]
    try:
        data = _convert(node, (), located, constructor.construct_object, error, budget)
    finally:
        constructor.dispose()
    return data, located


# Limits on what one YAML or JSON document may ask of playbook (answers files, profiles, rule
# files, case libraries): beyond them, a clear message rather than minutes of work or a crash.
MAX_DOCUMENT = 4 * 1024 * 1024  # characters
MAX_DEPTH = 64  # nested lists and mappings
MAX_VALUES = 200_000  # values once aliases are expanded (a "billion laughs" stops here)


def _check_size(text: str, file: str, error: type[PlaybookError]) -> None:
    """Refuse documents too large, or nested too deep for the parser to survive."""
    if len(text) > MAX_DOCUMENT:
        raise error(f"{file}: {len(text):,} characters; the limit is {MAX_DOCUMENT:,}")
    depth = 0
    quote = ""
    for i, c in enumerate(text):  # flow collections: [ { nest in one line, without indentation
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, i) + 1
                raise error(f"{file}:{line}: nested more than {MAX_DEPTH} levels deep")
        elif c in "]}":
            depth = max(depth - 1, 0)
        elif c == "\n" and depth == 0:
            quote = ""


def _convert(
    node: Any,
    path: Key,
    located: Located,
    construct: Callable[..., Any],
    error: type[PlaybookError],
    budget: list[int],
) -> Any:
    import yaml

    budget[0] -= 1
    if budget[0] < 0:
        raise error(f"{_pos(located.file, node)}: more than {MAX_VALUES:,} values once aliases are expanded")
    if len(path) > MAX_DEPTH:
        raise error(f"{_pos(located.file, node)}: nested more than {MAX_DEPTH} levels deep")
    located.values[path] = _pos(located.file, node)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise error(f"{_pos(located.file, key_node)}: a mapping key must be a plain value")
            key = construct(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                raise error(f"{_pos(located.file, key_node)}: unsupported mapping key {key!r}")
            if key in out:
                raise error(f"{_pos(located.file, key_node)}: duplicate key '{key}'")
            sub = (*path, key)
            located.keys[sub] = _pos(located.file, key_node)
            out[key] = _convert(value_node, sub, located, construct, error, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, i), located, construct, error, budget)
            for i, item in enumerate(node.value)
        ]
    try:
        return construct(node, deep=True)
    except yaml.YAMLError as exc:
        raise error(f"{_pos(located.file, node)}: invalid value: {exc}") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise error(f"{_pos(located.file, node)}: invalid value: {str(exc).split(';')[0]}") from None


def _pos(file: str, node: Any) -> Position:
    mark = node.start_mark
    return Position(file, mark.line + 1, mark.column + 1)
