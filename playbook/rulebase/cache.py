"""The on-disk cache shared by the rule base, profiles and compiled templates.

Everything cached is derived data, keyed by a digest of its inputs: a cache that cannot be
read or written only costs speed, never correctness. `PLAYBOOK_CACHE` moves the directory;
set empty, it disables caching.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path


def cache_dir() -> Path | None:
    """`$PLAYBOOK_CACHE`, else the platform's user cache directory; None when disabled."""
    base = os.environ.get("PLAYBOOK_CACHE")
    if base == "":
        return None
    if base is None:
        import platformdirs

        base = platformdirs.user_cache_dir("playbook", appauthor=False)
    return Path(base)


def cache_file(name: str) -> Path | None:
    base = cache_dir()
    return None if base is None else base / name


def read_bytes(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_bytes(path: Path | None, data: bytes) -> None:
    """Atomic write (temporary file, then rename): readers never see half a file."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


def load_pickle(path: Path | None) -> object | None:
    """A cached object, or None if absent, unreadable or from an incompatible version."""
    data = read_bytes(path)
    if data is None:
        return None
    try:
        obj: object = pickle.loads(data)
        return obj
    except (pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
        return None


def save_pickle(path: Path | None, obj: object) -> None:
    write_bytes(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
