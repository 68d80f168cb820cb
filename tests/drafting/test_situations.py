"""Situations and the whole case library: each incident gets words of its own, nothing
internal or invented reaches the public, and our own drafts pass our own checker.

Every case of tests/decisions/cases is decided by the engine and drafted in both languages,
without the facts for the drafts (placeholders left) and with them (tests/drafting/facts.yaml).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest

from playbook.core.model import RuleBase
from playbook.core.text import french_typography
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
            assert lib.facts_for(case_id, lang)["investigator"].split()[-1].lower() in text, (case_id, lang)


def test_an_authority_is_said_informed_only_when_decided_and_in_the_users_words(everything: list[Any]) -> None:
    """Never "we are notifying the authority": "we have informed" the authority the user names, or a placeholder."""
    for d in everything:
        notifies = {"notify_data_regulator", "notify_safety_authority"} & set(d.decision.outputs.get("do", ()))
        for draft in d.drafts:
            text = draft["text"]
            said = "We informed" in text or "Nous avons informé" in text
            assert said <= bool(notifies), (d.case.id, d.lang, draft["kind"])
            assert not re.search(r"(notifying|informing) the|signalons l'incident|informons les autorités", text), \
                (d.case.id, d.lang, draft["kind"], text)
            if said and not d.facts:
                assert "authority_notified" in draft["placeholders"], (d.case.id, d.lang, draft["kind"])


def test_no_investigation_is_claimed_without_saying_who_leads_it(everything: list[Any]) -> None:
    for d in everything:
        for draft in d.drafts:
            text = draft["text"]
            if "An investigation is under way" in text or "Une enquête est en cours" in text:
                who = d.answers.get("investigator") or ("[who is leading the investigation]" if d.lang == "en"
                                                        else "[qui mène l'enquête]")
                assert f"led by {who}" in text or f"menée par {french_typography(who)}" in text, \
                    (d.case.id, d.lang, draft["kind"], text)
            assert "independent investigation" not in text and "enquête indépendante" not in text, \
                (d.case.id, d.lang, draft["kind"])


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
                text = draft["text"]
                for fact in ("claim", "truth"):
                    assert facts[fact].split()[-1] in text, (lang, draft["kind"], fact)
                # the facts come first, the claim after them; no address is read aloud to a journalist
                assert text.index(facts["truth"].split()[0]) < text.index(facts["claim"].split()[-1])
                assert (facts["evidence_url"] in text) == (draft["kind"] != "press_line"), (lang, draft["kind"])


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
    # a sincere customer gets the facts and where to check them, without the claim repeated at them
    assert composer.facts_needed(correction, lib.decision("misinformed_customer_sincere_low")) == [
        "truth", "evidence_url", "author_name"]
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


# --- what a person who signs at 2 a.m. would refuse, class by class ---------------------------------


def texts(lib: Library, case_id: str, lang: str = "en", facts: bool = True) -> dict[str, str]:
    return {d["kind"]: d["text"] for d in lib.draft(case_id, lang, facts).drafts}


def test_the_formulas_the_review_rejected_never_come_back(everything: list[Any]) -> None:
    never = {
        "en": ("no one else's", "everyone it hurt", "until the time is right", "notifying the", "informing the",
               "independent investigation", "stood up for us", "back in control", "within 2 hours",
               "within 4 hours", "speak in confidence to someone independent"),
        "fr": ("celle de personne d'autre", "que ce message a blessés", "que le moment s'y prête",
               "signalons l'incident", "informons les autorités", "enquête indépendante", "pris notre défense",
               "repris la main sur le compte et supprimons", "d'ici 2 heures", "d'ici 4 heures"),
    }
    for d in everything:
        for draft in d.drafts:
            for phrase in never[d.lang]:
                assert phrase not in draft["text"], (d.case.id, d.lang, draft["kind"], phrase)


BARE_APOLOGY = re.compile(r"(?:^|(?<=[.!?:]\s))(We are sorry|We're sorry|I'm sorry|I am sorry|We apologise|"
                          r"Nous vous présentons nos excuses|Nous présentons nos excuses|Je vous présente nos excuses|"
                          r"Toutes nos excuses)\.", re.M)


def test_apologies_say_what_they_are_for(everything: list[Any]) -> None:
    for d in everything:
        for draft in d.drafts:
            assert not BARE_APOLOGY.search(draft["text"]), (d.case.id, d.lang, draft["kind"], draft["text"])


# Critics of a post, a question the thread answers, a thank-you: the public reply is enough.
NO_PRIVATE_MESSAGE = ("scheduled_promo_went_out_noticed", "flood_city_customers_ask", "kenneth_cole_cairo_tweet",
                      "mining_company_hacked_spam", "hacked_offensive_viral_media",
                      "own_ad_offensive_defended_then_pulled", "tos_ai_training_protest_critical",
                      "price_rise_questions_explanation", "outage_supplier_cause_known")
# The person harmed, who reported a danger, who lost money, who may have lost someone: a call is offered.
A_CALL = ("misconduct_video_racist_abuse_viral", "misconduct_video_context_unclear", "recall_fires_viral_media",
          "contamination_claim_unverified_viral", "visitor_death_park_cause_unknown", "hacked_crypto_scam_growing")
# A late parcel, an outage, a boycott: a short message from the team, no call from the head of communications.
A_SHORT_MESSAGE = ("late_delivery_storm_not_our_fault", "outage_unknown_cause_growing",
                   "app_crash_unknown_ask_for_help", "boycott_call_from_customers")
# A question about one's data, the customer we already called: a personal message, no call asked for.
NO_CALL = ("breach_cause_unknown_hacker_claims", "united_breaks_guitars")


@pytest.mark.parametrize("lang", LANGS)
def test_private_messages_only_where_a_person_needs_one(lib: Library, lang: str) -> None:
    call = "best way and time to reach you" if lang == "en" else "meilleur moment pour vous joindre"
    intro = "Head of Communications at" if lang == "en" else "directrice de la communication de"
    for case_id in NO_PRIVATE_MESSAGE:
        assert "private_message" not in texts(lib, case_id, lang), case_id
    for case_id in A_CALL:
        assert call in texts(lib, case_id, lang)["private_message"], case_id
    for case_id in A_SHORT_MESSAGE:
        dm = texts(lib, case_id, lang)["private_message"]
        assert call not in dm and intro not in dm and dm.endswith("– Maud"), case_id
    for case_id in NO_CALL:
        dm = texts(lib, case_id, lang)["private_message"]
        assert call not in dm and intro in dm, case_id


def test_critical_statements_and_press_lines_are_signed_by_the_executive(everything: list[Any]) -> None:
    for d in everything:
        critical = d.decision.outputs["severity"] == "critical"
        for draft in d.drafts:
            if draft["kind"] in ("statement", "holding_statement"):
                signed = draft["text"].rsplit("\n\n", 1)[-1]
                assert signed.startswith("Julien Marchand\n") == critical, (d.case.id, d.lang, signed)
                assert signed.endswith("Harbourline Air")


def test_a_decision_about_our_people_is_told_to_them_first(everything: list[Any]) -> None:
    """Before the representatives are informed: no public statement, a note to the staff concerned from the
    executive, a person to ask, and no customer-care routing."""
    for d in everything:
        if d.situation != "announcement":
            continue
        kinds_ = {x["kind"]: x["text"] for x in d.drafts}
        assert not {"statement", "holding_statement", "private_message"} & set(kinds_), (d.case.id, kinds_.keys())
        note = kinds_["staff_briefing"]
        assert note.endswith("Julien Marchand\n" + ("Chief Executive" if d.lang == "en" else "Directeur général")
                             + ", Harbourline Air"), d.case.id
        for absent in ("Customers asking", "Clients qui vous interrogent", "Who to call", "Qui appeler"):
            assert absent not in note, (d.case.id, absent)
        assert "Sophie Martin" in note


def test_customer_care_routing_only_when_customers_have_something_to_sort_out(everything: list[Any]) -> None:
    for d in everything:
        routed = any("Customers asking about their own situation" in x["text"]
                     or "Clients qui vous interrogent sur leur situation" in x["text"] for x in d.drafts)
        if d.answers.get("harm") == "none" or d.situation in ("announcement", "abuse", "allegation", "misconduct"):
            assert not routed, (d.case.id, d.lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_death_is_said_and_the_family_comes_first(lib: Library, lang: str) -> None:
    drafts = texts(lib, "visitor_death_park_cause_unknown", lang)
    word = "death of a passenger" if lang == "en" else "décès d'une passagère"
    for kind in ("public_reply", "holding_statement", "private_message", "staff_briefing"):
        assert word in drafts[kind], kind
    assert drafts["holding_statement"].startswith("We are deeply saddened" if lang == "en" else "Nous avons appris")
    family = "Families" if lang == "en" else "Les familles"
    assert family in drafts["holding_statement"]
    # promotions are paused, not announced, in a death notice
    for text in drafts.values():
        assert "promotional" not in text and "promotionnelles" not in text
    # without the fact, no death is invented
    bare = texts(lib, "visitor_death_park_cause_unknown", lang, facts=False)
    assert all("death" not in t and "décès" not in t for t in bare.values())


def test_hacked_words_fit_the_harm(lib: Library) -> None:
    spam = texts(lib, "mining_company_hacked_spam")["public_reply"]
    assert spam.startswith("Thanks for warning us") and "sorry" not in spam
    scam = texts(lib, "hacked_crypto_scam_growing")["public_reply"]
    assert scam.startswith("That was a scam") and "Sent money? Contact your bank today" in scam
    offensive = texts(lib, "hacked_offensive_viral_media")["public_reply"]
    assert offensive.startswith("What was posted from our account is offensive, and we're sorry")


def test_a_scam_warning_is_repeated_not_answered_once(lib: Library) -> None:
    for lang in LANGS:
        statement = texts(lib, "deepfake_ceo_giveaway_scam", lang)["statement"]
        assert ("keep repeating this warning" if lang == "en" else "Nous répéterons cette mise en garde") in statement
        assert "once" not in statement and "une fois pour toutes" not in statement
        # and the staff can tell someone who paid what to do
        briefing = texts(lib, "deepfake_ceo_giveaway_scam", lang)["staff_briefing"]
        assert ("if you have paid" if lang == "en" else "si vous avez payé") in briefing


def test_speaking_in_confidence_is_for_staff_who_speak_up(lib: Library) -> None:
    confidential = ("speak in confidence to", "No one will suffer for coming forward")
    staff = "\n".join(texts(lib, "misconduct_allegation_viral_unverified").values())
    assert all(c in staff for c in confidential) and "Claire Dobson at Hale & Partners" in staff
    for case_id in ("misconduct_video_context_unclear", "misconduct_video_racist_abuse_viral"):
        video = "\n".join(texts(lib, case_id).values())
        assert not any(c in video for c in confidential), case_id
        assert "the person it happened to" in video or "those it was aimed at" in video, case_id


COMMON_PARAGRAPHS = ("Julien", "Maud", "Hello", "Bonjour", "What comes next", "La suite", "– ",
                     "If you need anything else", "Pour toute autre question")


def test_two_incidents_never_read_the_same(lib: Library) -> None:
    for lang in LANGS:
        for a, b in (("outage_unknown_cause_growing", "app_crash_unknown_ask_for_help"),
                     ("misconduct_allegation_viral_unverified", "misconduct_video_context_unclear")):
            ta, tb = texts(lib, a, lang, facts=False), texts(lib, b, lang, facts=False)
            for kind in set(ta) & set(tb):
                if kind == "staff_briefing":
                    continue
                paragraphs = set(ta[kind].split("\n\n")) & set(tb[kind].split("\n\n"))
                shared = [p for p in paragraphs if "[" not in p and "harbourline" not in p.lower()
                          and not p.startswith(COMMON_PARAGRAPHS)]
                assert not shared, (a, b, lang, kind, shared)


def test_the_facts_given_are_never_dropped(lib: Library) -> None:
    """Every fact given for a case shows in at least one of its drafts (its name aside)."""
    for case_id, per_lang in lib.facts["cases"].items():
        for lang in LANGS:
            every = "\n".join(d["text"] for d in lib.draft(case_id, lang, True).drafts)
            for fact, value in (per_lang.get(lang) or {}).items():
                if fact == "author_name":
                    continue
                value = french_typography(value) if lang == "fr" else value
                assert value.rstrip(".") in every, (case_id, lang, fact)


def test_staff_can_say_what_customers_need(lib: Library) -> None:
    assert "We refunded every second payment on 9 April" in texts(lib, "billing_error_not_public")["staff_briefing"]
    assert "Bookings at airport desks and by phone still work" in \
        texts(lib, "outage_unknown_cause_growing")["staff_briefing"]
    doxxing = texts(lib, "doxxing_gate_agent")["staff_briefing"]
    assert "IT security" not in doxxing and "call the police first" in doxxing
