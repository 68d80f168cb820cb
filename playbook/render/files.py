"""Writing output where the user asked: stdout, a regular file, a device or a pipe.

A regular file is replaced atomically (a temporary file beside it, then a rename), keeping
its permissions and following a symlink to its target, so a reader never sees half a
decision and a failed write leaves the old file as it was. Devices and pipes (`/dev/stdout`,
`/dev/null`, a FIFO) are written directly; a directory is refused. Every OS error becomes a
one-line `UsageError` (exit 2) naming the path; a closed pipe on stdout ends the output
quietly, as it does for other Unix tools.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys

from playbook.errors import UsageError


class OutputClosed(Exception):
    """The reader of stdout went away (`playbook batch | head -1`): stop writing, quietly."""


class StdoutFailed(UsageError):
    """stdout cannot be written (a full disk): a message, and nothing more is tried on it."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(f"<stdout>: cannot write ({describe(exc)})")


def write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise OutputClosed from None
    except OSError as exc:
        raise StdoutFailed(exc) from None


def write_file(path: str, text: str) -> None:
    """Write `text` to `path` whole, or raise a UsageError and leave `path` as it was."""
    if not path:
        raise UsageError("-o '': an empty path; give a file name, or '-' for stdout")
    target = os.path.realpath(path)  # a symlink is followed: its target gets the decision
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({describe(exc)})") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{path}: is a directory; give a file name")
    try:
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_direct(target, text)  # a device, a FIFO: no rename, no temporary file
        else:
            _replace(target, text, st)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({describe(exc)}); nothing was written") from None


def _write_direct(target: str, text: str) -> None:
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(text)


def _replace(target: str, text: str, st: os.stat_result | None) -> None:
    directory = os.path.dirname(target) or "."
    if not os.path.isdir(directory):
        raise FileNotFoundError(errno.ENOENT, f"the directory {directory} does not exist")
    if st is not None and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only")
    import tempfile  # only when writing a file: ~4 ms at start-up otherwise

    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def describe(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and exc.strerror and "directory" in exc.strerror:
        return exc.strerror
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return (exc.strerror or str(exc)).rstrip(".").lower()
