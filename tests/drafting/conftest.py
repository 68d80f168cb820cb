"""The case library, decided and drafted once per test session."""

from __future__ import annotations

import pytest

from playbook.core.model import RuleBase
from tests.drafting.library import Library


@pytest.fixture(scope="session")
def lib(rb: RuleBase) -> Library:
    return Library(rb)
