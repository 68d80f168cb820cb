"""Keep the answers of an interrupted interview so that `playbook triage --resume` goes on.

One interview is kept at a time, as JSON in the user data directory (`PLAYBOOK_HOME` when set,
else the platform's, e.g. `~/.local/share/playbook`). The file holds answers only; `--resume`
reads them back as raw answers, so they are validated like any `--answers` file (the rule base
may have changed in between). Writes are atomic: a crash mid-write leaves the previous file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from playbook.core.answers import RawAnswers
from playbook.errors import UsageError

FILE_NAME = "interview.json"
FORMAT = 1


def data_dir() -> Path:
    """Where playbook keeps user data: `PLAYBOOK_HOME`, else the platform's user data dir."""
    home = os.environ.get("PLAYBOOK_HOME")
    if home:
        return Path(home)
    import platformdirs  # only interrupted and resumed interviews need it

    return Path(platformdirs.user_data_dir("playbook", appauthor=False))


def saved_path() -> Path:
    return data_dir() / FILE_NAME


def save(values: Mapping[str, Any]) -> Path:
    """Write the answers so far, atomically (temp file in the same directory, then rename)."""
    path = saved_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "format": FORMAT,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "answers": dict(values),
    }
    fd, tmp = tempfile.mkstemp(prefix=".interview-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load() -> RawAnswers:
    """The saved answers, labelled with the file they come from, for `answers.validate`."""
    path = saved_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--resume: no interrupted interview to resume (looked for {path})") from None
    except OSError as exc:
        raise UsageError(f"--resume: cannot read {path}: {exc.strerror}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: saved interview is not valid JSON: {exc.msg}; "
                         "delete it and start again") from None
    answers = doc.get("answers") if isinstance(doc, dict) else None
    if not isinstance(answers, dict):
        raise UsageError(f"{path}: saved interview has no 'answers' mapping; delete it and start again")
    return RawAnswers(answers, {}, default_origin=str(path))


def discard() -> None:
    """Forget the saved interview (once a decision has been made from it)."""
    saved_path().unlink(missing_ok=True)
