"""Load the rule base: the built-in `rules/` directory, overlaid by `--rules DIR`, validated.

Each directory's top-level `*.yaml` files are read, and, for the commands that train, those of
its `scenarios/` folder. A validated rule base is cached (pickled, keyed by the digest of every
file's content and the directories), so a command pays for YAML parsing and validation
(`rulebase.build`) only when a rule file changed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache

from playbook.core.model import RuleBase
from playbook.core.record import replace
from playbook.core.scenario import Scenario
from playbook.errors import RuleBaseError
from playbook.rulebase import cache
from playbook.rulebase.cache import sha256
from playbook.rulebase.source import _pure, display_path
from playbook.version import __version__

CACHE_FORMAT = 8
SCENARIOS = "scenarios"  # the training scenarios' folder in a rules directory


# Paths are strings here: a triage does without pathlib (~4 ms of start-up).
PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # playbook/


def builtin_rules_dir() -> str:
    """`rules/` inside an installed wheel, or beside the package in a source checkout."""
    for candidate in (os.path.join(PACKAGE, "rules"), os.path.join(os.path.dirname(PACKAGE), "rules")):
        if os.path.isdir(candidate):
            return candidate
    raise RuleBaseError(f"the built-in rule base is missing (looked in {os.path.join(PACKAGE, 'rules')})")


def rule_dirs(overlays: Sequence[str | os.PathLike[str]] = ()) -> list[str]:
    """The built-in directory, then the overlays (`--rules`, else `PLAYBOOK_RULES`)."""
    extra = list(overlays) or [p for p in os.environ.get("PLAYBOOK_RULES", "").split(os.pathsep) if p]
    dirs = [builtin_rules_dir()]
    for d in extra:
        path = _pure(os.fspath(d))
        if not os.path.isdir(path):
            raise RuleBaseError(f"{display_path(path)}: rules directory not found")
        dirs.append(path)
    return dirs


def rule_files(dirs: Sequence[str]) -> list[str]:
    """The YAML files at the top of each directory."""
    return [p for d in dirs for p in _yaml_in(d)]


def scenario_files(dirs: Sequence[str]) -> list[str]:
    """The YAML files of each directory's `scenarios/` folder (training scenarios)."""
    return [p for d in dirs for p in _yaml_in(os.path.join(d, SCENARIOS))]


def _yaml_in(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.path for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return []


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def load(overlays: Sequence[str | os.PathLike[str]] = (), *, use_cache: bool = True,
         scenarios: bool = False) -> RuleBase:
    """The validated rule base, from the cache when no file changed.

    The training scenarios (`scenarios/` folders) are read, validated and cached apart, only
    when asked for (`scenarios=True`): a triage never reads them, and a scenario being written
    cannot stop one.
    """
    dirs = rule_dirs(overlays)
    files = rule_files(dirs)
    paths = [str(d) for d in dirs]
    # The cached rule base is found by its files' sizes and times, as Python finds its bytecode
    # (reading and hashing every rule file cost each run ~2 ms); it records their content's digest.
    key = sha256("\0".join([*map(_stamp, files), *paths, code_stamp()]).encode()).hexdigest()[:32]
    path = cache.cache_file(f"rulebase-{CACHE_FORMAT}-{__version__}-{key}.pickle") if use_cache else None
    rb = cache.load_pickle(path)
    from_cache = rb if isinstance(rb, RuleBase) and list(rb.paths) == paths else None
    if not scenarios and from_cache is not None:
        return from_cache
    main = [(f, _read(f)) for f in files]
    digest = _digest(main)
    if from_cache is not None and from_cache.digest != digest:  # pragma: no cover - a stamp that lied
        from_cache = None
    extra = [(f, _read(f)) for f in scenario_files(dirs)] if scenarios else []
    scenarios_key = sha256(f"{key}\0{_digest(extra)}".encode()).hexdigest()[:32]
    scenarios_path = cache.cache_file(f"scenarios-{CACHE_FORMAT}-{__version__}-{scenarios_key}.pickle") \
        if use_cache else None
    if from_cache is not None:
        kept = cache.load_pickle(scenarios_path)
        if isinstance(kept, tuple) and all(isinstance(s, Scenario) for s in kept):
            return replace(from_cache, scenarios=kept)
    from playbook.rulebase.build import build  # only when the cache misses: YAML and validation

    full = build([*main, *extra], paths, digest)
    lean = replace(full, scenarios=())
    if from_cache is None:
        cache.save_pickle(path, lean)
    if scenarios:
        cache.save_pickle(scenarios_path, full.scenarios)
    return full if scenarios else lean


def _stamp(path: str) -> str:
    st = os.stat(path)
    return f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _digest(contents: Sequence[tuple[str, bytes]]) -> str:
    h = sha256()
    for path, data in contents:
        folder, base = os.path.split(path)
        name = f"{SCENARIOS}/{base}" if os.path.basename(folder) == SCENARIOS else base
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()


def identity(rb: RuleBase) -> str:
    """What names a rule base and the code that built it: keys what is generated from it."""
    return "\0".join([rb.digest, *rb.paths, code_stamp()])


@lru_cache(maxsize=1)  # the code does not change while it runs
def code_stamp() -> str:
    """What a cached rule base was built by: the core's and the rule base's modules, by size and
    time. A checkout's version does not change when its code does; a rule base validated or
    pickled by older code must not be read as this code's (stat calls only: ~50 µs)."""
    parts = []
    for folder in ("core", "rulebase"):
        with os.scandir(os.path.join(PACKAGE, folder)) as entries:
            modules = sorted((e.name, e.path) for e in entries if e.name.endswith(".py"))
        for name, path in modules:
            st = os.stat(path)
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return ",".join(parts)
