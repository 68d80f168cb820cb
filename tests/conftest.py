"""Shared fixtures: the shipped rule base, a CLI runner, and overlay rule directories."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook.core.engine import Engine
from playbook.core.model import RuleBase
from playbook.rulebase import load as rulebase
from tests.helpers import COMPLETE


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the user's environment or writes to the user's cache."""
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
    for var in ("PLAYBOOK_RULES", "PLAYBOOK_LANG", "PLAYBOOK_HOME", "PLAYBOOK_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


@pytest.fixture(scope="session")
def rb() -> RuleBase:
    return rulebase.load(use_cache=False, scenarios=True)


@pytest.fixture(scope="session")
def engine(rb: RuleBase) -> Engine:
    return Engine(rb)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def complete() -> dict[str, Any]:
    return dict(COMPLETE)


@pytest.fixture
def answers_file(tmp_path: Path) -> Callable[..., Path]:
    def write(data: dict[str, Any] | str, name: str = "answers.json") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def overlay(tmp_path: Path) -> Callable[..., Path]:
    """A rules directory holding one file with the given (dedented) YAML text."""

    def make(text: str, name: str = "overlay.yaml") -> Path:
        d = tmp_path / "overlay"
        d.mkdir(exist_ok=True)
        (d / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return d

    return make


@pytest.fixture
def cwd_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


PIPE_TIMEOUT = 10  # seconds before an interview left waiting for keys gets end of input


@pytest.fixture
def keys() -> Iterator[Any]:
    """`keys(*chunks)`: a prompt_toolkit pipe holding those keys, closed by a watchdog when a
    prompt waits for more (it then raises EOFError instead of hanging the test)."""
    import threading

    from prompt_toolkit.input import create_pipe_input

    pipes: list[Any] = []

    def make(*chunks: str) -> Any:
        cm = create_pipe_input()
        pipe = cm.__enter__()
        pipes.append((cm, pipe))
        pipe.send_text("".join(chunks))
        timer = threading.Timer(PIPE_TIMEOUT, pipe.close)
        timer.daemon = True
        timer.start()
        pipe.timer = timer
        return pipe

    yield make
    for cm, pipe in pipes:
        pipe.timer.cancel()
        cm.__exit__(None, None, None)
