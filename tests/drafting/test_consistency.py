"""One message, inside and out: the key line, and contradictions with approved messages."""

from __future__ import annotations

import pytest

from playbook.core.engine import Engine
from playbook.core.model import RuleBase
from playbook.drafting import profile as profile_mod
from playbook.drafting.compose import Composer
from playbook.drafting.consistency import Approved, contradictions, contradicts, key_line, stance
from tests.helpers import COMPLETE, DEFAULTS


@pytest.mark.parametrize("approved, new, lang", [
    ("You're right: this is on us. We're sorry.", "This was not our fault.", "en"),
    ("We apologise to every passenger.", "We did nothing wrong.", "en"),
    ("This isn't true. The facts are on our site.", "We're sorry: we got this wrong.", "en"),
    ("C'est notre faute. Nous vous présentons nos excuses.", "Ce n'est pas notre faute.", "fr"),
    ("Cette affirmation est fausse.", "Nous sommes désolés, c'est notre erreur.", "fr"),
])
def test_contradictions(approved: str, new: str, lang: str) -> None:
    assert contradicts([approved], new, lang)


@pytest.mark.parametrize("approved, new, lang", [
    ("We're sorry.", "We're sorry, and we're putting it right.", "en"),
    ("We're sorry.", "Some said “it's not our fault”; we never said that.", "en"),
    ("This isn't true.", "The claim is false, and here are the documents.", "en"),
    ("We don't know yet.", "This is our fault.", "en"),
    ("Nous sommes désolés.", "Nous réparons, et nous sommes désolés.", "fr"),
])
def test_no_contradiction(approved: str, new: str, lang: str) -> None:
    assert not contradicts([approved], new, lang)


def test_the_finding_names_both_sides() -> None:
    approved = Approved({"public_reply": "You're right: this is on us."}, {"public_reply": "D1 (public_reply)"})
    [finding] = contradictions(approved, "To be clear, this was not our fault.", "en")
    assert (finding.check, finding.level, finding.match) == ("contradicts_approved", "error", "not our fault")
    assert finding.message == "This denies what the approved message D1 (public_reply) admitted (“this is on us”)."
    assert stance("This is not our fault", "en") == ([], [(8, 21)])


def test_key_line_drops_the_sign_off() -> None:
    assert key_line(Approved({"public_reply": "We're sorry. – Maud"}), "– Maud") == "We're sorry."
    assert key_line(Approved({"statement": "x"}), "– Maud") == ""


def test_drafts_keep_to_the_approved_messages(rb: RuleBase) -> None:
    org = profile_mod.load(rb, use_cache=False)
    answers = {**COMPLETE, **DEFAULTS}
    decision = Engine(rb).decide(answers)
    approved = Approved({"public_reply": "We hear you, and we are fixing it. – Maud",
                         "statement": "This was not our fault."}, {}, since_statement=True)
    drafts = {d["kind"]: d for d in Composer(rb, org, "en").compose(answers, decision, approved)}
    assert "What we say, word for word:\n\nWe hear you, and we are fixing it." in drafts["staff_briefing"]["text"]
    assert drafts["statement"]["text"].startswith("What has changed since our last statement\n")
    assert "contradicts_approved" in {f["check"] for f in drafts["statement"]["findings"]}
    plain = {d["kind"]: d for d in Composer(rb, org, "en").compose(answers, decision)}
    assert "contradicts_approved" not in {f["check"] for d in plain.values() for f in d["findings"]}
