"""The on-disk cache shared by the rule base, profiles and compiled templates — safe by design.

Everything cached is derived data, keyed by a digest of its inputs: a cache that cannot be
read, is corrupt, or cannot be trusted only costs speed — playbook rebuilds from the YAML,
silently (set `PLAYBOOK_DEBUG=1` to see why). What is read is trusted only if the user could
have written it and nobody else could:

- the directory is created 0700 and must be owned by the user, writable by nobody else;
- each file must be owned by the user and writable by nobody else;
- each file carries a BLAKE2b digest of its content, checked before anything is decoded, so a
  truncated or bit-flipped file is never unpickled or unmarshalled;
- pickles are read by an unpickler that can only build the model's own records: a planted
  pickle cannot call anything else.

`PLAYBOOK_CACHE` moves the directory (empty: no cache); otherwise it is `$PLAYBOOK_HOME/cache`,
else the platform's user cache directory. Each kind of file keeps its newest few versions.
"""

from __future__ import annotations

import io
import os
import pickle
import stat
import sys
from collections.abc import Callable, Sequence
from types import CodeType

from playbook.core.conditions import Condition, Getter, holding_function, holding_source
from playbook.core.record import is_record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hashlib import blake2b as blake2b
    from hashlib import sha256 as sha256
    from typing import Any
else:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b
    try:  # the built-in SHA-256: loading OpenSSL's through hashlib costs a start-up ~3 ms
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - Python 3.12+ names it _sha2; hashlib always works
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256


MAGIC = b"playbook-cache-2\n"
DIGEST = 32  # bytes of the BLAKE2b digest
KEEP = 6  # files kept per kind (rulebase-, profile-, templates-): other overlays, older versions
KEEP_CODE = 24  # generated functions (code-): a few per rule base and language
MAX_SIZE = 64 * 1024 * 1024
# The only classes a cached pickle may build: the model's records (plain data).
TRUSTED_MODULES = frozenset({"playbook.core.model", "playbook.core.text", "playbook.core.conditions",
                             "playbook.core.draftmodel", "playbook.core.scenario",
                             "playbook.drafting.profile"})


def debug(message: str) -> None:
    """A note for whoever investigates (PLAYBOOK_DEBUG=1); the cache never bothers users."""
    if os.environ.get("PLAYBOOK_DEBUG"):
        sys.stderr.write(f"playbook: debug: cache: {message}\n")


def cache_dir() -> str | None:
    """`$PLAYBOOK_CACHE`, else `$PLAYBOOK_HOME/cache`, else the platform's; None when disabled."""
    base = os.environ.get("PLAYBOOK_CACHE")
    if base == "":
        return None
    if base is None:
        home = os.environ.get("PLAYBOOK_HOME")
        if home:
            base = os.path.join(home, "cache")
        else:
            from playbook.userenv import platform_dir

            base = platform_dir("cache")
    return base


def cache_file(name: str) -> str | None:
    """Where a cache file of this name goes (paths are strings here: pathlib costs a start-up ~4 ms)."""
    base = cache_dir()
    return None if base is None else os.path.join(base, name)


def _trusted(st: os.stat_result, what: str) -> bool:
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        debug(f"{what} is not owned by this user; ignored")
        return False
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        debug(f"{what} is writable by others; ignored")
        return False
    return True


def read_bytes(path: str | os.PathLike[str] | None) -> bytes | None:
    """The content of a cache file, or None if absent, untrusted or corrupt."""
    if path is None:
        return None
    path = os.fspath(path)
    try:
        parent = os.path.dirname(path)
        if not _trusted(os.stat(parent), parent):
            return None
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or not _trusted(st, str(path)) or st.st_size > MAX_SIZE:
                return None
            blob = fh.read()
    except OSError:
        return None
    head, digest, data = blob[:len(MAGIC)], blob[len(MAGIC):len(MAGIC) + DIGEST], blob[len(MAGIC) + DIGEST:]
    if head != MAGIC or _integrity(data) != digest:
        debug(f"{path} is corrupt (digest mismatch); rebuilding")
        return None
    return data


def write_bytes(path: str | os.PathLike[str] | None, data: bytes) -> None:
    """Atomic, private write (0600 in a 0700 directory); readers never see half a file."""
    if path is None:
        return
    path = os.fspath(path)
    try:
        directory, name = os.path.split(path)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _trusted(os.stat(directory), directory):
            return
        tmp = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + _integrity(data) + data)
        os.replace(tmp, path)
        prune(directory, name)
    except OSError as exc:
        debug(f"cannot write {path}: {exc.strerror}")


def _integrity(data: bytes) -> bytes:
    """The digest a cache file carries of its content (BLAKE2b: 3x SHA-256's speed without OpenSSL)."""
    return blake2b(data, digest_size=DIGEST).digest()


def prune(directory: str, name: str) -> None:
    """Keep the newest few files of the kind just written (its name's prefix)."""
    kind = name.split("-", 1)[0] + "-"
    try:
        with os.scandir(directory) as entries:
            files = sorted((e for e in entries if e.name.startswith(kind) and e.is_file(follow_symlinks=False)),
                           key=lambda e: e.stat().st_mtime, reverse=True)
        for old in files[KEEP_CODE if kind == "code-" else KEEP:]:
            os.unlink(old.path)  # gone already (another run pruned it): the outer except ends pruning
    except OSError:
        pass


class _ModelUnpickler(pickle.Unpickler):
    """Builds the model's records and nothing else."""

    def find_class(self, module: str, name: str) -> type:
        if module in TRUSTED_MODULES:
            found = getattr(sys.modules.get(module) or __import__(module, fromlist=[name]), name, None)
            if isinstance(found, type) and is_record(found):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a model class")


def load_pickle(path: str | None) -> object | None:
    """A cached object, or None if absent, untrusted, corrupt or from an incompatible version."""
    data = read_bytes(path)
    if data is None:
        return None
    import gc

    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new objects, none garbage: collecting them is wasted time
    try:
        obj: object = _ModelUnpickler(io.BytesIO(data)).load()
        return obj
    except Exception as exc:  # anything a damaged or foreign pickle raises: rebuild instead
        debug(f"{path} cannot be read ({type(exc).__name__}); rebuilding")
        return None
    finally:
        if collecting:
            gc.enable()


def save_pickle(path: str | None, obj: object) -> None:
    write_bytes(path, pickle.dumps(_shared(obj, {}), protocol=pickle.HIGHEST_PROTOCOL))


def _shared(obj: Any, seen: dict[str, str]) -> Any:
    """The same data with each distinct string one object: pickle then writes a repeated id
    (`situation` appears 200 times in a rule base) once, and a load builds 6,000 strings, not 13,000.
    Records are updated in place (they are fresh from the build); containers are rebuilt."""
    if isinstance(obj, str):
        return seen.setdefault(obj, obj)
    if isinstance(obj, tuple):
        return tuple(_shared(x, seen) for x in obj)
    if isinstance(obj, list):
        return [_shared(x, seen) for x in obj]
    if isinstance(obj, frozenset):
        return frozenset(_shared(x, seen) for x in obj)
    if isinstance(obj, dict):
        return {_shared(k, seen): _shared(v, seen) for k, v in obj.items()}
    if is_record(type(obj)):
        state = obj.__dict__
        for key, value in list(state.items()):
            state[key] = _shared(value, seen)
    return obj


def compiled(source: str, filename: str, mode: str = "exec") -> CodeType:
    """`compile(source, filename, mode)` of generated code, cached by the source's digest.

    Compiling the functions generated from a rule base (its rules' and drafts' conditions)
    costs ~15 ms a run; loading their code ~0.1 ms. Marshalled code is read only from a
    trusted, digest-checked file (see above), keyed by the Python version and the source.
    """
    import marshal

    stamp = f"{sys.implementation.cache_tag}\0{filename}\0{mode}\0{source}".encode()
    path = cache_file(f"code-{sha256(stamp).hexdigest()[:32]}.marshal")
    data = read_bytes(path)
    if data is not None:
        try:
            code = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            code = None
        if isinstance(code, CodeType):
            return code
    code = compile(source, filename, mode)
    write_bytes(path, marshal.dumps(code))
    return code


def holding(key: str, conds: Callable[[], Sequence[Condition]]) -> Callable[[Getter], list[int]]:
    """`core.conditions.compile_all(conds())`, its code and values cached under `key` (which
    must name the conditions: a rule base's digest and code stamp, and what they are for).
    On a hit, neither the conditions nor the source are looked at (~3 ms a run saved)."""
    import marshal

    stamp = sha256(f"{sys.implementation.cache_tag}\0{key}".encode()).hexdigest()[:32]
    path = cache_file(f"code-{stamp}.marshal")
    data = read_bytes(path)
    if data is not None:
        try:
            found = marshal.loads(data)
            code, consts, ids = found
            if isinstance(code, CodeType) and isinstance(consts, tuple) and isinstance(ids, tuple):
                return holding_function(code, consts, ids)
        except (ValueError, EOFError, TypeError):
            pass
    source, consts, ids = holding_source(conds())
    code = compile(source, "<playbook conditions>", "exec")
    write_bytes(path, marshal.dumps((code, consts, ids)))
    return holding_function(code, consts, ids)
