"""The case library: incidents judged by a crisis lead, each run against the shipped rule base.

One test per case, so a failure names the incident; `playbook rules test --cases
tests/decisions/cases` runs the same library from the command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.core.engine import Engine
from playbook.core.model import RuleBase
from playbook.rulebase import load
from playbook.rulebase.library import LibraryCase, case_failures, load_library

CASES = Path(__file__).parent / "cases"


def library() -> list[LibraryCase]:
    return load_library(load.load(use_cache=False), CASES)


@pytest.mark.parametrize("case", library(), ids=lambda c: c.id)
def test_case(rb: RuleBase, engine: Engine, case: LibraryCase) -> None:
    failures = case_failures(rb, engine, case)
    assert not failures, f"{case.title}\n  " + "\n  ".join(failures) + f"\n  why: {case.judgement}"


def test_the_library_is_large_and_grounded() -> None:
    cases = library()
    assert len(cases) >= 60
    real = [c for c in cases if c.source != "invented"]
    assert len(real) >= 7, "the real cases of the source articles are in the library"
    assert all(c.judgement for c in cases), "every case says why, as a crisis lead would"
