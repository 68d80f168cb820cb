"""Situations and the whole case library: each incident gets words of its own, nothing
internal or invented reaches the public, and our own drafts pass our own checker.

Every case of tests/decisions/cases is decided by the engine and drafted in both languages,
without the facts for the drafts (placeholders left) and with them (tests/drafting/facts.yaml).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from playbook.core.model import RuleBase
from playbook.drafting import checks
from tests.drafting.library import ALL_FACTS, LANGS, PUBLIC_KINDS, Library

SITUATION_IDS = ("tragedy", "insensitive_post", "serious_accident", "abuse", "breach", "hacked", "allegation",
                 "misconduct", "announcement", "recall", "outage", "troll", "boycott", "correction", "policy_change",
                 "own_content", "accident", "service_fault", "complaint")


def test_the_situations_are_declared_in_order(rb: RuleBase) -> None:
    assert rb.drafting is not None
    assert tuple(s.id for s in rb.drafting.situations) == SITUATION_IDS


def test_every_situation_is_reached_by_a_library_case(lib: Library) -> None:
    reached = {lib.situation(case_id) for case_id in lib.cases}
    assert reached >= set(SITUATION_IDS), sorted(set(SITUATION_IDS) - reached)
    assert "general" not in reached


@pytest.mark.parametrize(
    ("case_id", "situation"),
    [
        ("misconduct_allegation_viral_unverified", "allegation"),
        ("misconduct_video_context_unclear", "allegation"),
        ("misconduct_allegation_substantiated", "misconduct"),
        ("dominos_employee_video", "misconduct"),
        ("breach_cause_unknown_hacker_claims", "breach"),
        ("hacked_messages_personal_data", "breach"),
        ("outage_unknown_cause_growing", "outage"),
        ("recall_fires_viral_media", "recall"),
        ("injury_reports_cause_unknown", "recall"),
        ("contamination_claim_unverified_viral", "recall"),
        ("outage_supplier_cause_known", "accident"),
        ("visitor_death_park_cause_unknown", "serious_accident"),
        ("kenneth_cole_cairo_tweet", "insensitive_post"),
        ("scheduled_promo_went_out_noticed", "tragedy"),
        ("doxxing_gate_agent", "abuse"),
        ("deepfake_ceo_giveaway_scam", "troll"),
        ("chevron_we_agree_spoof", "correction"),
        ("journalist_layoffs_not_announced", "announcement"),
        ("insider_leak_store_closures", "announcement"),
        ("billing_error_not_public", "service_fault"),
        ("late_delivery_storm_not_our_fault", "complaint"),
    ],
)
def test_library_cases_land_in_their_situation(lib: Library, case_id: str, situation: str) -> None:
    assert lib.situation(case_id) == situation


@pytest.mark.parametrize(
    ("case_id", "change", "before", "after"),
    [
        # an allegation becomes established misconduct once the fault is ours
        ("misconduct_allegation_viral_unverified", {"at_fault": "yes", "facts_known": "yes"}, "allegation",
         "misconduct"),
        ("misconduct_allegation_substantiated", {"at_fault": "unknown", "facts_known": "partly"}, "misconduct",
         "allegation"),
        # a breach is a breach, cause known or not; the same failure without personal data is an outage
        ("breach_cause_unknown_hacker_claims", {"origin": "product_failure", "harm": "inconvenience"}, "breach",
         "outage"),
        ("outage_unknown_cause_growing", {"harm": "personal_data"}, "outage", "breach"),
        # a danger to people makes it a recall, even when the cause is known and only partly ours
        ("outage_supplier_cause_known", {"harm": "safety"}, "accident", "recall"),
        ("recall_fires_viral_media", {"harm": "inconvenience", "at_fault": "partly"}, "recall", "accident"),
        # a tragedy our audience mourns turns a safety failure into a serious accident
        ("injury_reports_cause_unknown", {"sensitive_context": True}, "recall", "serious_accident"),
        # a troll is never answered in its thread, a sincere person is
        ("troll_false_claim_growing", {"author": "misinformed"}, "troll", "correction"),
    ],
)
def test_boundaries_between_situations(lib: Library, case_id: str, change: dict[str, Any], before: str,
                                       after: str) -> None:
    composer = lib.composers["en"]
    answers = lib.answers(case_id)
    assert composer.situation(answers) == before
    assert composer.situation({**answers, **change}) == after


# --- the whole library, both languages, without and with the facts ---------------------------


@pytest.fixture(scope="module")
def everything(lib: Library) -> list[Any]:
    return list(lib.every())


def test_no_public_draft_quotes_the_internal_summary(everything: list[Any]) -> None:
    for d in everything:
        summary = " ".join(d.answers["summary"].split())
        for draft in d.drafts:
            if draft["kind"] in PUBLIC_KINDS:
                assert summary not in " ".join(draft["text"].split()), (d.case.id, d.lang, draft["kind"])
    # and the staff briefing repeats the public line, not the internal one
    for d in everything:
        for draft in d.drafts:
            assert d.answers["summary"] not in draft["text"], (d.case.id, d.lang, draft["kind"])


def test_our_own_drafts_pass_our_own_checks(everything: list[Any]) -> None:
    """No error but the placeholders of facts not given; no warning at all."""
    for d in everything:
        for draft in d.drafts:
            allowed = set() if d.facts else {"placeholder"}
            found = {f["check"] for f in draft["findings"] if f["level"] == "error"}
            assert found <= allowed, (d.case.id, d.lang, d.facts, draft["kind"], draft["findings"])
            warnings = [f["check"] for f in draft["findings"] if f["level"] == "warning"]
            assert warnings == [], (d.case.id, d.lang, d.facts, draft["kind"], draft["text"])
            assert draft["lang"] == d.lang and draft["chars"] <= (draft["limit"] or draft["chars"])


def test_every_placeholder_left_is_reported_by_the_check(rb: RuleBase, everything: list[Any]) -> None:
    facts = [q for q in rb.questions if q.optional]
    for d in everything:
        for draft in d.drafts:
            left = [q.id for q in facts if q.placeholder and q.placeholder.get(d.lang) in draft["text"]]
            assert draft["placeholders"] == left
            reported = [f.match for f in checks.check_text(rb, draft["text"], d.lang) if f.check == "placeholder"]
            for qid in left:
                placeholder = next(q.placeholder.get(d.lang) for q in facts if q.id == qid)
                assert placeholder in reported, (d.case.id, d.lang, draft["kind"], qid)


def test_with_the_facts_given_no_placeholder_is_left(everything: list[Any]) -> None:
    for d in everything:
        if d.facts:
            for draft in d.drafts:
                assert draft["placeholders"] == [], (d.case.id, d.lang, draft["kind"], draft["placeholders"])


@pytest.mark.parametrize("lang", LANGS)
def test_with_every_fact_given_no_draft_has_a_placeholder(lib: Library, lang: str) -> None:
    for case_id in lib.cases:
        for draft in lib.draft(case_id, lang, ALL_FACTS[lang]).drafts:
            assert draft["placeholders"] == [], (case_id, draft["kind"])
            assert "[" not in draft["text"], (case_id, draft["kind"], draft["text"])


def test_without_the_facts_the_drafts_ask_for_what_they_quote(lib: Library) -> None:
    """Facts that are not given show as placeholders, in the draft's language; none is invented."""
    d = lib.draft("breach_passwords_cause_known_not_public", "fr")
    statement = next(x for x in d.drafts if x["kind"] == "statement")
    assert "[ce qui s'est passé, en mots publics]" in statement["text"]
    assert {"public_summary", "instructions", "actions_taken"} <= set(statement["placeholders"])
    assert "[what" not in statement["text"]


def test_different_situations_never_share_a_public_reply(everything: list[Any]) -> None:
    seen: dict[tuple[str, bool, str], set[str]] = defaultdict(set)
    for d in everything:
        for draft in d.drafts:
            if draft["kind"] in ("public_reply", "moderation_notice"):
                seen[(d.lang, d.facts, draft["text"])].add(d.situation)
    shared = {text: sits for text, sits in seen.items() if len(sits) > 1}
    assert not shared, shared


def test_every_situation_has_replies_of_its_own(lib: Library) -> None:
    """The same decision in two situations: two different replies, in both languages."""
    base = lib.answers("late_delivery_our_fault_low")
    decision = lib.decision("late_delivery_our_fault_low")
    variants = {
        "complaint": {}, "service_fault": {"origin": "product_failure"}, "own_content": {"origin": "own_content"},
        "policy_change": {"origin": "policy_change", "expectation": "apology"}, "breach": {"harm": "personal_data"},
        "hacked": {"origin": "account_compromised"}, "misconduct": {"origin": "employee_misconduct"},
        "recall": {"harm": "safety"}, "outage": {"origin": "product_failure", "facts_known": "partly"},
        "accident": {"origin": "product_failure", "at_fault": "partly"}, "correction": {"origin": "false_information"},
        "boycott": {"origin": "hostile_campaign"}, "tragedy": {"origin": "external_event"},
        "insensitive_post": {"origin": "own_content", "sensitive_context": True},
        "allegation": {"origin": "employee_misconduct", "at_fault": "unknown"},
        "serious_accident": {"harm": "safety", "sensitive_context": True},
    }
    for lang in LANGS:
        replies: dict[str, str] = {}
        for situation, change in variants.items():
            answers = {**base, **change}
            assert lib.composers[lang].situation(answers) == situation
            reply = next(x for x in lib.composers[lang].compose(answers, decision) if x["kind"] == "public_reply")
            replies[situation] = reply["text"]
        assert len(set(replies.values())) == len(replies), replies


def test_apologies_follow_the_strategy(everything: list[Any]) -> None:
    """No apology for a fault not established: only when the decision's strategy says so."""
    sorry = {"en": ("sorry", "apologise"), "fr": ("excuses",)}
    for d in everything:
        if "apologize" in d.decision.outputs.get("strategy", ()):
            continue
        for draft in d.drafts:
            text = draft["text"].lower()
            assert not any(word in text for word in sorry[d.lang]), (d.case.id, d.lang, draft["kind"], draft["text"])


def test_an_allegation_is_neither_admitted_nor_denied(lib: Library) -> None:
    for case_id in ("misconduct_allegation_viral_unverified", "whistleblower_safety_claim"):
        for lang in LANGS:
            d = lib.draft(case_id, lang, True)
            text = "\n".join(x["text"] for x in d.drafts).lower()
            for never in ("sorry", "apologise", "our fault", "never happened", "not true", "excuses", "notre faute",
                          "c'est faux", "inexact"):
                assert never not in text, (case_id, lang, never)
            assert ("independent" in text) if lang == "en" else ("indépendant" in text)


def test_the_regulator_is_named_only_when_the_decision_notifies_it(everything: list[Any]) -> None:
    for d in everything:
        notifies = "notify_data_regulator" in d.decision.outputs.get("do", ())
        for draft in d.drafts:
            named = ("data protection authority" in draft["text"]) or ("protection des données" in draft["text"])
            assert named <= notifies, (d.case.id, d.lang, draft["kind"])


def test_a_troll_is_never_answered_in_its_thread(everything: list[Any]) -> None:
    for d in everything:
        if d.situation == "troll":
            assert "public_reply" not in [x["kind"] for x in d.drafts], d.case.id


def test_a_correction_states_the_claim_the_truth_and_where_to_check(lib: Library) -> None:
    for lang in LANGS:
        d = lib.draft("rumour_bankruptcy_growing_media", lang, True)
        facts = lib.facts_for("rumour_bankruptcy_growing_media", lang)
        for draft in d.drafts:
            if draft["kind"] in ("public_reply", "statement", "press_line"):
                for fact in ("claim", "truth", "evidence_url"):
                    assert facts[fact].split()[-1] in draft["text"], (lang, draft["kind"], fact)


@pytest.mark.parametrize("lang", LANGS)
def test_playbook_check_refuses_a_draft_with_placeholders_and_passes_it_filled_in(lib: Library, lang: str) -> None:
    from typer.testing import CliRunner

    from playbook.cli.app import app

    runner = CliRunner()
    bare = lib.draft("breach_passwords_cause_known_not_public", lang).drafts[0]
    result = runner.invoke(app, ["check", "-", "--lang", lang, "-f", "json"], input=bare["text"])
    assert result.exit_code == 1
    found = [f["check"] for f in json.loads(result.stdout)["findings"]]
    assert found == ["placeholder"] * len(bare["placeholders"])
    filled = lib.draft("breach_passwords_cause_known_not_public", lang, True).drafts[0]
    result = runner.invoke(app, ["check", "-", "--lang", lang, "-f", "json"], input=filled["text"])
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []


def test_the_interview_asks_only_the_facts_the_drafts_quote(lib: Library) -> None:
    composer = lib.composers["en"]
    correction = lib.answers("misinformed_customer_sincere_low")
    assert composer.facts_needed(correction, lib.decision("misinformed_customer_sincere_low")) == [
        "claim", "truth", "evidence_url"]
    breach = lib.answers("breach_passwords_cause_known_not_public")
    needed = composer.facts_needed(breach, lib.decision("breach_passwords_cause_known_not_public"))
    assert {"public_summary", "actions_taken", "instructions"} <= set(needed)
    assert "claim" not in needed and "truth" not in needed


@pytest.mark.parametrize("lang", LANGS)
def test_every_fact_asked_is_quoted_by_a_draft(rb: RuleBase, lib: Library, lang: str) -> None:
    """The interview asks a fact only when a draft of the decision quotes it (no question for nothing)."""
    from playbook.core.text import french_typography
    from playbook.drafting.compose import Composer

    composer = Composer(rb, lib.profile, lang, channel="web")  # no length limit: nothing dropped
    for case_id in lib.cases:
        answers, decision = lib.answers(case_id), lib.decision(case_id)
        needed = composer.facts_needed(answers, decision)
        texts = "\n".join(d["text"] for d in composer.compose({**answers, **ALL_FACTS[lang]}, decision))
        for fact in needed:
            value = ALL_FACTS[lang][fact]
            value = french_typography(value) if lang == "fr" else value
            assert value.rstrip(".") in texts, (case_id, fact)
