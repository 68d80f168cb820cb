"""Helpers shared by the test folders: where the checkout is, a complete incident, runners."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The five source articles live beside the checkout (in the project's shared folder), not in it.
SOURCES = ROOT.parent / "shared" / "sources"
SOURCES_MISSING = f"the source articles are not beside the checkout ({SOURCES} is missing)"

COMPLETE: dict[str, Any] = {
    "summary": "A customer's video of a broken guitar is spreading.",
    "origin": "customer_complaint",
    "author": "unhappy_customer",
    "reach": "growing",
    "influential_author": True,
    "media_interest": False,
    "at_fault": "yes",
    "harm": "financial",
    "facts_known": "yes",
    "expectation": "apology",
    "public_aware": True,
    "sensitive_context": False,
    "prior_statement": False,
    "crisis_history": False,
    "hours_since_surfaced": 3,
}

# The optional questions' defaults: taken when an answers file leaves them out.
DEFAULTS: dict[str, Any] = {"prior_reputation": "neutral", "out_of_hours": False}
