"""The on-disk cache cannot be turned against the user: planted, corrupt or foreign files are
never decoded; playbook rebuilds from the YAML and gives the same result."""

from __future__ import annotations

import json
import os
import pickle
import random
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.rulebase import cache, load


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("PLAYBOOK_CACHE", str(directory))
    return directory


def decide(runner: CliRunner, complete: dict[str, Any]) -> dict[str, Any]:
    result = runner.invoke(app, ["triage", "-a", "-", "-f", "json"], input=json.dumps(complete))
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return {k: doc[k] for k in ("triage", "drafts")}


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_directory_and_files_are_private(cache_dir: Path, runner: CliRunner, complete: dict[str, Any]) -> None:
    decide(runner, complete)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    files = list(cache_dir.iterdir())
    assert {f.name.split("-")[0] for f in files} == {"rulebase", "profile", "templates", "code"}
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


def test_a_planted_pickle_runs_nothing(cache_dir: Path, runner: CliRunner, complete: dict[str, Any],
                                       tmp_path: Path) -> None:
    clean = decide(runner, complete)
    marker = tmp_path / "pwned"
    evil = pickle.dumps(_Payload(marker))
    for f in cache_dir.glob("*.pickle"):  # a well-formed cache file: right header and digest
        cache.write_bytes(f, evil)
    assert decide(runner, complete) == clean
    assert not marker.exists()


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_corrupt_files_are_rebuilt_silently(cache_dir: Path, runner: CliRunner, complete: dict[str, Any],
                                            damage: str) -> None:
    clean = decide(runner, complete)
    rng = random.Random(damage)
    for f in cache_dir.iterdir():
        data = bytearray(f.read_bytes())
        if damage == "truncate":
            data = data[: rng.randrange(1, len(data))]
        elif damage == "flip":
            for _ in range(3):
                i = rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
        elif damage == "empty":
            data = bytearray()
        else:
            data = bytearray(rng.randbytes(len(data)))
        f.write_bytes(bytes(data))
    result = runner.invoke(app, ["triage", "-a", "-", "-f", "json"], input=json.dumps(complete))
    assert result.exit_code == 0 and result.stderr == ""
    doc = json.loads(result.stdout)
    assert {k: doc[k] for k in ("triage", "drafts")} == clean


def test_an_edited_profile_pickle_cannot_resign_the_drafts(cache_dir: Path, runner: CliRunner,
                                                           complete: dict[str, Any]) -> None:
    decide(runner, complete)
    (profile,) = cache_dir.glob("profile-*.pickle")
    profile.write_bytes(profile.read_bytes().replace(b"Maud Lefebvre", b"Mr Evil Twinn"))
    assert "Mr Evil Twinn" not in json.dumps(decide(runner, complete))


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_files_of_another_user_or_writable_by_others_are_ignored(cache_dir: Path) -> None:
    rb = load.load()
    (built,) = cache_dir.glob("rulebase-*.pickle")
    os.chown(built, 65534, 65534)
    assert cache.load_pickle(built) is None
    os.chown(built, 0, 0)
    assert cache.load_pickle(built) == rb
    cache_dir.chmod(0o777)
    assert cache.load_pickle(built) is None


def test_the_debug_note_says_why(cache_dir: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    load.load()
    (built,) = cache_dir.glob("rulebase-*.pickle")
    built.write_bytes(built.read_bytes()[:-10])
    load.load()
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("PLAYBOOK_DEBUG", "1")
    built.write_bytes(built.read_bytes()[:-10])
    load.load()
    assert "digest mismatch" in capsys.readouterr().err


def test_old_files_are_pruned(cache_dir: Path) -> None:
    cache_dir.mkdir(mode=0o700)
    for i in range(12):
        old = cache_dir / f"rulebase-old-{i}.pickle"
        old.write_bytes(b"x")
        os.utime(old, (1000 + i, 1000 + i))
    load.load()
    assert len(list(cache_dir.glob("rulebase-*"))) == cache.KEEP


def test_playbook_home_moves_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLAYBOOK_CACHE")
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    load.load()
    assert list((tmp_path / "home" / "cache").glob("rulebase-*.pickle"))


@pytest.mark.parametrize("env", [
    {}, {"XDG_CACHE_HOME": "/tmp/x", "XDG_CONFIG_HOME": "/tmp/c", "XDG_DATA_HOME": "/tmp/d"},
    {"XDG_CACHE_HOME": "relative", "XDG_CONFIG_HOME": ""}, {"HOME": "/home/someone"}])
def test_user_directories_are_platformdirs_ones(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Without importing platformdirs (a start-up cost), the same directories as it gives."""
    import platformdirs

    from playbook.userenv import platform_dir

    for key in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for kind in ("cache", "config", "data"):
        assert platform_dir(kind) == getattr(platformdirs, f"user_{kind}_dir")("playbook", appauthor=False)
