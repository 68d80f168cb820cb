"""Results files (one trainee, one scenario, JSON) and the progress kept for `--resume`.

A results file is what a trainer collects and `playbook train report RESULTS…` aggregates:

    {"schema": "playbook-training-results", "schema_version": 1, "playbook_version": …,
     "rulebase_digest": …, "trainee": "Alice", "scenario": {"id": …, "title": …, "source": …},
     "lang": "en", "mode": "terminal" | "answers", "finished_at": ISO time,
     "total": {"points": 312.5, "max": 380, "percent": 82.2, "seconds": 410.0},
     "injects": [{"inject", "at", "kind", "expected", "choice", "score": {points, max, percent,
                  lines: [{criterion, points, max, verdict, expected, chosen, missed, extra}]},
                  "findings", "why": [{field, rule, principle}], "broken", "principles"}]}

While a scenario is played on a terminal, the choices made so far are kept after each inject
(`training/progress-SCENARIO.json` in the user data directory) so that Ctrl-C loses nothing
and `playbook train SCENARIO --resume` goes on from the next inject.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from playbook.errors import UsageError
from playbook.rulebase.source import display_path, read_text
from playbook.training.rubric import Choice
from playbook.training.session import Exercise, Graded
from playbook.userenv import data_dir
from playbook.version import __version__

SCHEMA = "playbook-training-results"
SCHEMA_VERSION = 1
PROGRESS_FORMAT = 1


def document(exercise: Exercise, graded: Sequence[Graded], trainee: str, mode: str) -> dict[str, Any]:
    """The results of one trainee on one scenario, as plain data (the JSON results file)."""
    scenario = exercise.scenario
    points = round(sum(g.score.points for g in graded), 1)
    maximum = sum(g.score.max for g in graded)
    seconds = [g.choice.seconds for g in graded if g.choice.seconds is not None]
    return {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION, "playbook_version": __version__,
        "rulebase_digest": exercise.rb.digest, "trainee": trainee, "lang": exercise.lang, "mode": mode,
        "scenario": {"id": scenario.id, "title": scenario.title.get(exercise.lang), "source": scenario.source,
                     "injects": len(scenario.injects)},
        "finished_at": now(),
        "total": {"points": points, "max": maximum, "percent": round(100 * points / maximum, 1) if maximum else 0.0,
                  "seconds": round(sum(seconds), 1) if seconds else None},
        "injects": [entry(g) for g in graded],
    }


def entry(g: Graded) -> dict[str, Any]:
    """One inject of a results file: what was expected and chosen, the score lines, and why."""
    inject = g.step.inject
    return {
        "inject": inject.id, "at": inject.at, "kind": inject.kind,
        "expected": {k: list(v) if isinstance(v, tuple) else v for k, v in g.step.expected.items()},
        "choice": g.choice.to_dict(),
        "score": {"points": g.score.points, "max": g.score.max, "percent": g.score.percent,
                  "lines": [line.to_dict() for line in g.score.lines]},
        "findings": [f.to_dict() for f in g.findings],
        "why": [{"field": r.field, "rule": r.rule, "principle": r.principle} for r in g.reasons],
        "broken": list(g.broken), "principles": list(g.principles),
    }


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_results_path(scenario: str, trainee: str) -> Path:
    """Where a run on a terminal keeps its results: the user data directory, one file per run."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in trainee)[:40] or "trainee"
    return data_dir() / "training" / f"{scenario}-{safe}-{stamp}.json"


def read_results(paths: Sequence[str]) -> list[dict[str, Any]]:
    """Results files for a report, each checked to be one (a mistake names the file; exit 2)."""
    docs = []
    for path in paths:
        label = display_path(path)
        try:
            doc = json.loads(read_text(path))
        except json.JSONDecodeError as exc:
            raise UsageError(f"{label}:{exc.lineno}:{exc.colno}: not a results file: invalid JSON: {exc.msg}") from None
        except (ValueError, RecursionError):
            raise UsageError(f"{label}: not a results file: invalid JSON") from None
        problem = _problem(doc)
        if problem:
            raise UsageError(f"{label}: not a playbook training results file ({problem}); "
                             "results files are written by `playbook train`")
        docs.append({**doc, "file": label})
    if not docs:
        raise UsageError("train report: give at least one results file")
    return docs


def _problem(doc: Any) -> str | None:
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        return f"'schema' is not '{SCHEMA}'"
    if doc.get("schema_version") != SCHEMA_VERSION:
        return f"schema_version {doc.get('schema_version')}, this playbook reads {SCHEMA_VERSION}"
    scenario, injects, total = doc.get("scenario"), doc.get("injects"), doc.get("total")
    if not isinstance(scenario, dict) or not isinstance(scenario.get("id"), str):
        return "no 'scenario' with an 'id'"
    if not isinstance(doc.get("trainee"), str) or not isinstance(total, dict) or not isinstance(injects, list):
        return "'trainee', 'total' or 'injects' is missing"
    for entry in injects:
        if not isinstance(entry, dict) or not isinstance(entry.get("score"), dict) or "inject" not in entry:
            return "an inject entry has no 'inject' or 'score'"
        if not isinstance(entry["score"].get("percent"), int | float) or not isinstance(entry.get("choice"), dict):
            return f"inject '{entry.get('inject')}' has no score percent or choice"
    return None


# -- progress for --resume ------------------------------------------------------------------

def progress_path(scenario: str) -> Path:
    return data_dir() / "training" / f"progress-{scenario}.json"


def save_progress(scenario: str, trainee: str, lang: str, choices: Sequence[Choice]) -> Path:
    """Keep the choices made so far (atomically; in a temporary file if the data directory fails)."""
    doc = {"format": PROGRESS_FORMAT, "scenario": scenario, "trainee": trainee, "lang": lang, "saved_at": now(),
           "choices": [c.to_dict() for c in choices]}
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    path = progress_path(scenario)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
        return path
    except OSError:
        fd, fallback = tempfile.mkstemp(prefix=f"playbook-progress-{scenario}-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return Path(fallback)


def load_progress(scenario: str) -> tuple[str, str, list[Choice]]:
    """The trainee, language and choices kept for `scenario`; a usage error if there are none."""
    path = progress_path(scenario)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return str(doc["trainee"]), str(doc["lang"]), [_choice(c) for c in doc["choices"]]
    except FileNotFoundError:
        raise UsageError(f"--resume: no interrupted run of '{scenario}' to resume (looked for {path})") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"{path}: the saved progress cannot be read; delete it and start again") from None


def _choice(c: Any) -> Choice:
    """A kept choice, its types checked (a damaged file is refused, never half-read)."""
    single = [c["action"], c["severity"], c["posture"]]
    lists = [c["strategy"], c["escalate_to"]]
    message, seconds = c.get("message"), c.get("seconds")
    if not all(isinstance(v, str) for v in single) or not all(
            isinstance(x, list) and all(isinstance(v, str) for v in x) for x in lists):
        raise ValueError("choice")
    if (message is not None and not isinstance(message, str)) or (
            seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float))):
        raise ValueError("choice")
    return Choice(single[0], single[1], single[2], tuple(lists[0]), tuple(lists[1]), message,
                  float(seconds) if seconds is not None else None)


def discard_progress(scenario: str) -> None:
    with contextlib.suppress(OSError):
        progress_path(scenario).unlink(missing_ok=True)
