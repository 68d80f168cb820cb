"""`playbook batch`: one incident's answers per JSON line in, one decision per line out.

A bad line yields an error object for that line and the run goes on, so one typo in a
file of thousands costs one line, not the run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from playbook.core.answers import JsonOrigins, RawAnswers, json_answers, kind_of, require_complete, validate
from playbook.core.engine import Engine
from playbook.core.model import RuleBase
from playbook.errors import PlaybookError, UsageError
from playbook.render import document as report
from playbook.render.files import OutputClosed, StdoutFailed
from playbook.rulebase.source import display_path

if TYPE_CHECKING:
    from playbook.drafting.compose import Composer

MAX_LINE = 1024 * 1024  # bytes in one incident's line
# Characters JSON may leave raw but that some line readers split on: escaped, so that one
# decision is always exactly one line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def run_batch(rb: RuleBase, path: str, lang: str, out: IO[str], composer: Composer | None = None) -> int:
    """Triage every line of `path` (or stdin), with drafts when a composer is given; return the bad lines.

    Lines are read as bytes and decoded one by one, so that a line that is not UTF-8, not JSON,
    too large or too deep yields its own error object and the run goes on: as many lines out
    as in, in order.
    """
    label = "<stdin>" if path == "-" else display_path(path)
    if path == "-":
        return _run(rb, sys.stdin.buffer, label, lang, out, composer)
    try:
        with open(path, "rb") as fh:
            return _run(rb, fh, label, lang, out, composer)
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{label}: is a directory, expected a JSON Lines file") from None
    except PermissionError:
        raise UsageError(f"{label}: cannot read (permission denied)") from None


def _run(rb: RuleBase, lines: Iterable[bytes], label: str, lang: str, out: IO[str],
         composer: Composer | None = None) -> int:
    engine = Engine(rb)
    bad = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for n, raw in enumerate(lines, 1):
        where = f"{label}:{n}"
        try:
            encoded = dumps(_triage_line(rb, engine, raw, where, lang, composer)).encode("utf-8")
        except PlaybookError as exc:
            bad += 1
            encoded = dumps({"line": n, "error": {"exit_code": exc.exit_code, "messages": list(exc.messages)}}).encode()
        except (RecursionError, UnicodeError, ValueError) as exc:  # a line no answer check foresaw
            bad += 1
            message = f"{where}: cannot triage this line ({type(exc).__name__})"
            encoded = dumps({"line": n, "error": {"exit_code": 2, "messages": [message]}}).encode()
        _emit(out, encoded.decode("utf-8").translate(_LINE_BREAKS) + "\n")
    _emit(out, "")
    return bad


def _emit(out: IO[str], line: str) -> None:
    """One decision out; a reader gone is a quiet end, a full disk a message (exit 2)."""
    try:
        if line:
            out.write(line)
        else:
            out.flush()
    except BrokenPipeError:
        raise OutputClosed from None
    except OSError as exc:
        raise StdoutFailed(exc) from None


def _triage_line(rb: RuleBase, engine: Engine, raw: bytes, where: str, lang: str,
                 composer: Composer | None) -> dict[str, object]:
    if len(raw) > MAX_LINE:
        raise UsageError(f"{where}: the line is {len(raw):,} bytes long; the limit is {MAX_LINE:,}")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{where}:{exc.start + 1}: not UTF-8 text ({exc.reason})") from None
    if not line.strip():
        raise UsageError(f"{where}: an empty line (one JSON object of answers per line)")
    data = json_answers(line, where, one_line=True)
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected a JSON object of answers, got {kind_of(data)}")
    answers = validate(rb, RawAnswers(data, JsonOrigins(line, where, data, one_line=True), where))
    require_complete(rb, answers)
    decision = engine.decide(answers.values)
    drafts = composer.compose(answers.values, decision) if composer else ()
    doc = report.build(rb, answers, decision, lang, drafts=drafts, profile=composer.profile if composer else None)
    doc["line"] = int(where.rsplit(":", 1)[1])
    return doc
