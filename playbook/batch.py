"""`playbook batch`: one incident's answers per JSON line in, one decision per line out.

A bad line yields an error object for that line and the run goes on, so one typo in a
file of thousands costs one line, not the run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO

from playbook import report
from playbook.answers import RawAnswers, require_complete, validate
from playbook.engine import Engine
from playbook.errors import PlaybookError, UsageError
from playbook.model import RuleBase
from playbook.yamlsrc import display_path


def run_batch(rb: RuleBase, path: str, lang: str, out: IO[str]) -> int:
    """Triage every line of `path` (or stdin); return the number of bad lines."""
    label = "<stdin>" if path == "-" else display_path(path)
    if path == "-":
        return _run(rb, sys.stdin, label, lang, out)
    try:
        with open(path, encoding="utf-8") as fh:
            return _run(rb, fh, label, lang, out)
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{label}: is a directory, expected a JSON Lines file") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{label}: not UTF-8 text ({exc.reason})") from None


def _run(rb: RuleBase, lines: Iterable[str], label: str, lang: str, out: IO[str]) -> int:
    engine = Engine(rb)
    bad = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{label}:{n}"
        try:
            doc = _triage_line(rb, engine, line, where, lang)
        except PlaybookError as exc:
            bad += 1
            doc = {"line": n, "error": {"exit_code": exc.exit_code, "messages": list(exc.messages)}}
        out.write(dumps(doc) + "\n")
    return bad


def _triage_line(rb: RuleBase, engine: Engine, line: str, where: str, lang: str) -> dict[str, object]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where}:{exc.colno}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected a JSON object of answers, got {type(data).__name__}")
    answers = validate(rb, RawAnswers(data, {}, where))
    require_complete(rb, answers)
    doc = report.build(rb, answers, engine.decide(answers.values), lang)
    doc["line"] = int(where.rsplit(":", 1)[1])
    return doc
