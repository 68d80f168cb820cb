"""`playbook batch`: one incident's answers per JSON line in, one decision per line out.

A bad line yields an error object for that line and the run goes on, so one typo in a file of
thousands costs one line, not the run: as many lines out as in, in input order. Lines are read
as bytes and decoded one by one (a line that is not UTF-8, not JSON, too large or too deep gets
its own error object). Input is streamed in chunks and output written as chunks complete, so
memory stays flat whatever the input's size; with `--jobs N`, chunks are decided by N worker
processes, each holding its own copy of the `Playbook`, and written back in order.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import IO

from playbook.api import Playbook
from playbook.core.answers import JsonOrigins, RawAnswers, json_answers, kind_of, validate
from playbook.core.model import Answers
from playbook.errors import PlaybookError, UsageError
from playbook.render.files import OutputClosed, StdoutFailed
from playbook.render.jsonline import encode_line
from playbook.rulebase.source import display_path

MAX_LINE = 1024 * 1024  # bytes in one incident's line
CHUNK = 256  # lines a worker decides at a time
Chunk = list[tuple[int, bytes]]


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_batch(pb: Playbook, path: str, out: IO[str], jobs: int = 1) -> int:
    """Triage every line of `path` (or stdin) into `out`; return the number of bad lines."""
    label = "<stdin>" if path == "-" else display_path(path)
    if path == "-":
        return _run(pb, sys.stdin.buffer, label, out, jobs)
    try:
        with open(path, "rb") as fh:
            return _run(pb, fh, label, out, jobs)
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{label}: is a directory, expected a JSON Lines file") from None
    except PermissionError:
        raise UsageError(f"{label}: cannot read (permission denied)") from None


def _run(pb: Playbook, lines: Iterable[bytes], label: str, out: IO[str], jobs: int) -> int:
    chunks = _chunks(lines)
    bad = 0
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "")
    errors = getattr(out, "errors", None) or "strict"
    for text, errors_found in _decided(pb, chunks, label, jobs, errors if encoding == "utf8" else None):
        bad += errors_found
        _emit(out, text)
    _emit(out, "")
    return bad


def _chunks(lines: Iterable[bytes]) -> Iterator[Chunk]:
    numbered = enumerate(lines, 1)
    while chunk := list(islice(numbered, CHUNK)):
        yield chunk


def _decided(pb: Playbook, chunks: Iterator[Chunk], label: str, jobs: int,
             errors: str | None) -> Iterator[tuple[str | bytes, int]]:
    """Each chunk's output lines, in order; in worker processes once there is more than one chunk
    (as UTF-8 bytes encoded as the output would, with `errors`, when it writes UTF-8)."""
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None or jobs <= 1:  # one chunk is not worth starting processes for
        for chunk in chain([first], [second] if second is not None else [], chunks):
            yield _joined(decide_chunk(pb, chunk, label))
        return
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(pb,)) as pool:
        window: deque[Future[tuple[str | bytes, int]]] = deque()
        for chunk in chain((first, second), chunks):  # read lazily: at most 2 × jobs chunks in flight
            window.append(pool.submit(_worker_chunk, chunk, label, errors))
            if len(window) >= 2 * jobs:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _joined(decided: tuple[list[str], int]) -> tuple[str, int]:
    return "".join(decided[0]), decided[1]


_WORKER: Playbook | None = None


def _init_worker(pb: Playbook) -> None:
    global _WORKER
    _WORKER = pb


def _worker_chunk(chunk: Chunk, label: str, errors: str | None) -> tuple[str | bytes, int]:
    """A chunk's lines; as UTF-8 when the output is (`errors`: how it encodes): one block of
    bytes crosses the pipe, not 256 strings to pickle, and the parent writes it as it is."""
    assert _WORKER is not None
    text, bad = _joined(decide_chunk(_WORKER, chunk, label))
    return (text if errors is None else text.encode("utf-8", errors)), bad


def decide_chunk(pb: Playbook, chunk: Chunk, label: str) -> tuple[list[str], int]:
    """The output lines of a chunk of numbered input lines, and how many were bad."""
    texts, bad = [], 0
    for n, raw in chunk:
        where = f"{label}:{n}"
        try:
            text = pb.decide_line(_answers_of(pb, raw, where), f',"line":{n}')
        except PlaybookError as exc:
            bad += 1
            text = encode_line({"line": n, "error": {"exit_code": exc.exit_code, "messages": list(exc.messages)}})
        except (RecursionError, UnicodeError, ValueError) as exc:  # a line no answer check foresaw
            bad += 1
            text = encode_line({"line": n, "error": {"exit_code": 2, "messages": [
                f"{where}: cannot triage this line ({type(exc).__name__})"]}})
        texts.append(text + "\n")
    return texts, bad


def _answers_of(pb: Playbook, raw: bytes, where: str) -> Answers:
    if len(raw) > MAX_LINE:
        raise UsageError(f"{where}: the line is {len(raw):,} bytes long; the limit is {MAX_LINE:,}")
    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{where}:{exc.start + 1}: not UTF-8 text ({exc.reason})") from None
    if not line.strip():
        raise UsageError(f"{where}: an empty line (one JSON object of answers per line)")
    data = json_answers(line, where, one_line=True)
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected a JSON object of answers, got {kind_of(data)}")
    return validate(pb.rulebase, RawAnswers(data, JsonOrigins(line, where, data, one_line=True), where))


def _emit(out: IO[str], text: str | bytes) -> None:
    """Decisions out; a reader gone is a quiet end, a full disk a message (exit 2)."""
    try:
        if isinstance(text, bytes):
            raw = getattr(out, "buffer", None)
            if raw is None:  # a text stream without bytes underneath (a test's StringIO)
                out.write(text.decode("utf-8", getattr(out, "errors", None) or "strict"))
            elif text:
                out.flush()
                raw.write(text)
        elif text:
            out.write(text)
        else:
            out.flush()
    except BrokenPipeError:
        raise OutputClosed from None
    except OSError as exc:
        raise StdoutFailed(exc) from None
