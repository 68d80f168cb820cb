"""Keep the answers of an interrupted interview so that `playbook triage --resume` goes on.

One interview is kept at a time, as JSON in the user data directory (`PLAYBOOK_HOME` when set,
else the platform's, e.g. `~/.local/share/playbook`). The file holds answers only; `--resume`
reads them back as raw answers, so they are validated like any `--answers` file (the rule base
may have changed in between). Writes are atomic: a crash mid-write leaves the previous file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from playbook.core.answers import RawAnswers
from playbook.core.model import Answers
from playbook.errors import Interrupted, UsageError
from playbook.userenv import data_dir

FILE_NAME = "interview.json"
FORMAT = 1


def saved_path() -> Path:
    return data_dir() / FILE_NAME


def save(values: Mapping[str, Any]) -> Path:
    """Write the answers so far, atomically; where that fails, to a temporary file (never lost).

    `--resume` reads the usual place only: the message printed names the fallback file, to be
    given back with `--answers FILE`.
    """
    doc = {
        "format": FORMAT,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "answers": dict(values),
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    try:
        return _write(saved_path(), text)
    except OSError:
        fd, fallback = tempfile.mkstemp(prefix="playbook-interview-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return Path(fallback)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".interview-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
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
    except UnicodeDecodeError:
        raise UsageError(f"{path}: saved interview is not UTF-8 text; delete it and start again") from None
    except OSError as exc:
        raise UsageError(f"--resume: cannot read {path}: {exc.strerror}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: saved interview is not valid JSON: {exc.msg}; "
                         "delete it and start again") from None
    except (ValueError, RecursionError):
        raise UsageError(f"{path}: saved interview cannot be read; delete it and start again") from None
    answers = doc.get("answers") if isinstance(doc, dict) else None
    if not isinstance(answers, dict):
        raise UsageError(f"{path}: saved interview has no 'answers' mapping; delete it and start again")
    return RawAnswers(answers, {}, default_origin=str(path))


def discard() -> None:
    """Forget the saved interview (once a decision has been made from it and written)."""
    with contextlib.suppress(OSError):
        saved_path().unlink(missing_ok=True)


def keep(answers: Answers, lang: str) -> Interrupted:
    """Save what the user gave (not the defaults taken); return what to say if interrupted now."""
    from playbook.userenv import default_lang

    given = {k: v for k, v in answers.values.items() if k not in answers.defaulted}
    path = save({**answers.not_applicable, **given})
    hint = "" if lang == default_lang() else f" --lang {lang}"
    if lang == "fr":
        return Interrupted([f"interrompu\u00a0; réponses conservées dans {path}",
                            f"pour reprendre\u00a0: playbook triage --resume{hint}"])
    return Interrupted([f"interrupted; answers kept in {path}", f"continue with: playbook triage --resume{hint}"])


@contextlib.contextmanager
def on_interrupt(kept: Interrupted | None) -> Iterator[None]:
    """Ctrl-C inside: say where the answers were kept (exit 130)."""
    try:
        yield
    except KeyboardInterrupt:
        if kept is None:
            raise
        raise kept from None
