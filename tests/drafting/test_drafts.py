"""Drafts: golden texts for representative decisions in both languages, channel limits,
the profile, rule-author overlays, and user text that must come out literally everywhere.

Golden files live in tests/drafting/golden/; after a deliberate change of wording, rewrite them with
`PLAYBOOK_UPDATE_GOLDEN=1 pytest tests/test_drafts.py` and review the diff like any text.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.answers import RawAnswers, validate
from playbook.core.draftmodel import DraftPart
from playbook.core.engine import Engine
from playbook.core.model import Decision, RuleBase, Text
from playbook.drafting import profile as profile_mod
from playbook.drafting.compose import Composer, compose, fit

GOLDEN = Path(__file__).parent / "golden"
BASE_ANSWERS: dict[str, Any] = {
    "origin": "customer_complaint", "author": "unhappy_customer", "reach": "low", "influential_author": False,
    "media_interest": False, "at_fault": "no", "harm": "inconvenience", "facts_known": "yes",
    "expectation": "explanation", "public_aware": True, "sensitive_context": False, "prior_statement": False,
    "crisis_history": False, "hours_since_surfaced": 1,
}
# Representative decisions, written out (not computed) so that a change of triage rules does
# not silently change what these drafts are tested against.
DECISIONS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "holding_product_failure": (
        {"summary": "Passengers report small electric shocks from the seat-back screens on some of our A320s; "
                    "videos are spreading.",
         "origin": "product_failure", "reach": "growing", "facts_known": "no", "at_fault": "unknown",
         "harm": "safety"},
        {"action": "holding_statement", "severity": "critical", "posture": "diminish", "respond_within_minutes": 30,
         "next_update_minutes": 60, "strategy": ("acknowledge", "show_empathy", "admit_unknowns", "explain"),
         "channels": ("owned_channels", "internal"),
         "escalate_to": ("community_manager", "legal", "executive", "comms_lead", "customer_service"),
         "do": ("log_incident", "set_next_update", "brief_employees", "staff_out_of_hours"),
         "avoid": ("no_speculation", "no_blame", "no_no_comment")},
    ),
    "apology_viral_complaint": (
        {"summary": "A musician's guitar was broken by our baggage handlers; his song about it is going viral.",
         "reach": "viral", "influential_author": True, "media_interest": True, "at_fault": "yes",
         "harm": "financial", "expectation": "apology", "hours_since_surfaced": 5},
        {"action": "respond_publicly", "severity": "critical", "posture": "rebuild", "respond_within_minutes": 30,
         "next_update_minutes": 60,
         "strategy": ("acknowledge", "show_empathy", "offer_repair", "invite_direct_contact", "apologize",
                      "take_responsibility", "announce_change"),
         "channels": ("same_thread", "direct_message", "owned_channels", "internal", "press_statement"),
         "escalate_to": ("community_manager", "customer_service", "executive", "comms_lead"),
         "do": ("log_incident", "answer_in_thread", "contact_author_privately", "brief_employees",
                "fix_root_cause", "prepare_press_line", "staff_out_of_hours"),
         "avoid": ("no_arguing", "no_canned_reply", "no_conditional_apology")},
    ),
    "rumour_correction": (
        {"summary": "A widely shared post claims we skip maintenance checks to save money; it is false.",
         "origin": "false_information", "author": "misinformed", "reach": "growing", "harm": "none"},
        {"action": "correct_the_facts", "severity": "moderate", "posture": "deny", "respond_within_minutes": 120,
         "next_update_minutes": 240, "strategy": ("correct_facts", "show_empathy", "explain"),
         "channels": ("same_thread", "owned_channels", "internal"), "escalate_to": ("community_manager", "comms_lead"),
         "do": ("log_incident", "publish_sources", "answer_in_thread", "brief_employees"), "avoid": ("no_arguing",)},
    ),
    "private_unnoticed_customer": (
        {"summary": "A passenger posted that we lost her wheelchair on the Paris flight; nobody has reacted yet.",
         "reach": "none", "at_fault": "partly", "expectation": "apology"},
        {"action": "respond_privately", "severity": "low", "posture": "rebuild", "respond_within_minutes": 120,
         "next_update_minutes": None, "recheck_within_minutes": 240,
         "strategy": ("acknowledge", "show_empathy", "invite_direct_contact", "apologize", "take_responsibility",
                      "offer_repair", "announce_change"),
         "channels": ("direct_message",), "escalate_to": ("community_manager", "customer_service"),
         "do": ("log_incident", "contact_author_privately", "fix_root_cause"), "avoid": ("no_public_reply",)},
    ),
    "misconduct_staff_briefing": (
        {"summary": "A video shows one of our gate agents mocking a passenger's accent; it is being shared.",
         "origin": "employee_misconduct", "author": "insider", "reach": "growing", "at_fault": "yes", "harm": "none",
         "facts_known": "partly", "expectation": "apology"},
        {"action": "holding_statement", "severity": "high", "posture": "rebuild", "respond_within_minutes": 60,
         "next_update_minutes": 120,
         "strategy": ("acknowledge", "show_empathy", "admit_unknowns", "apologize", "take_responsibility",
                      "offer_repair", "announce_change"),
         "channels": ("owned_channels", "internal"),
         "escalate_to": ("community_manager", "executive", "hr", "comms_lead", "legal"),
         "do": ("log_incident", "set_next_update", "brief_employees", "fix_root_cause"),
         "avoid": ("no_speculation", "no_blame", "no_conditional_apology")},
    ),
    "hacked_account_thanks": (
        {"summary": "Our X account was hijacked overnight and posted links to a crypto scam.",
         "origin": "account_compromised", "harm": "none"},
        {"action": "respond_publicly", "severity": "moderate", "posture": "inform", "respond_within_minutes": 60,
         "next_update_minutes": 240, "strategy": ("explain", "show_empathy", "acknowledge", "thank_supporters"),
         "channels": ("same_thread", "owned_channels"), "escalate_to": ("community_manager", "security"),
         "do": ("log_incident", "secure_account", "remove_rogue_posts", "thank_community"), "avoid": ("no_blame",)},
    ),
    "tragedy_posts_paused": (
        {"summary": "Our scheduled holiday posts kept running while floods in the south were killing people.",
         "origin": "external_event", "reach": "growing", "sensitive_context": True, "promotions_scheduled": True,
         "at_fault": "partly", "harm": "none", "expectation": "apology"},
        {"action": "respond_publicly", "severity": "moderate", "posture": "rebuild", "respond_within_minutes": 60,
         "next_update_minutes": 240,
         "strategy": ("acknowledge", "show_empathy", "apologize", "take_responsibility", "offer_repair",
                      "announce_change"),
         "channels": ("same_thread", "owned_channels", "internal"), "escalate_to": ("community_manager", "comms_lead"),
         "do": ("log_incident", "answer_in_thread", "fix_root_cause", "brief_employees", "review_scheduled_content",
                "pause_promotions"),
         "avoid": ("no_humor", "no_promotion", "no_business_as_usual")},
    ),
}
SUMMARIES_FR = {
    "holding_product_failure": "Des passagers signalent de petites décharges électriques venant des écrans de "
                               "certains de nos A320 ; les vidéos circulent.",
    "apology_viral_complaint": "Nos bagagistes ont cassé la guitare d'un musicien ; sa chanson sur le sujet fait "
                               "le tour des réseaux.",
    "rumour_correction": "Un message très partagé affirme que nous sautons des contrôles de maintenance par "
                         "économie ; c'est faux.",
    "private_unnoticed_customer": "Une passagère écrit que nous avons perdu son fauteuil roulant sur le vol de "
                                  "Paris ; personne n'a encore réagi.",
    "misconduct_staff_briefing": "Une vidéo montre un de nos agents d'embarquement se moquer de l'accent d'un "
                                 "passager ; elle est partagée.",
    "hacked_account_thanks": "Notre compte X a été piraté cette nuit et a publié des liens vers une arnaque aux "
                             "cryptomonnaies.",
    "tragedy_posts_paused": "Nos publications programmées pour les vacances ont continué pendant les inondations "
                            "meurtrières dans le Sud.",
}
EXPECTED_KINDS = {
    "holding_product_failure": ["holding_statement", "staff_briefing"],
    "apology_viral_complaint": ["public_reply", "statement", "private_message", "staff_briefing"],
    "rumour_correction": ["public_reply", "statement", "staff_briefing"],
    "private_unnoticed_customer": ["private_message"],
    "misconduct_staff_briefing": ["holding_statement", "staff_briefing"],
    "hacked_account_thanks": ["public_reply", "statement"],
    "tragedy_posts_paused": ["public_reply", "statement", "staff_briefing"],
}


def decision(name: str, lang: str = "en") -> tuple[dict[str, Any], Decision]:
    answers, outputs = DECISIONS[name]
    summary = {"summary": SUMMARIES_FR[name]} if lang == "fr" else {}
    return {**BASE_ANSWERS, **answers, **summary}, Decision(outputs, (), ())


@pytest.fixture(scope="module")
def example_profile(rb: RuleBase) -> profile_mod.Profile:
    return profile_mod.load(rb, use_cache=False)


def as_golden(drafts: list[dict[str, Any]]) -> str:
    out = []
    for d in drafts:
        size = f"{d['chars']}/{d['limit']}" if d["limit"] else str(d["chars"])
        out.append(f"=== {d['kind']} · {d['title']} · {d['channel']} · {size}")
        out.append(d["text"])
        out += [f"!!! {f['level']} {f['check']}: {f['match']!r}" for f in d["findings"]]
        out.append("")
    return "\n".join(out)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(DECISIONS))
def test_golden_drafts(rb: RuleBase, example_profile: profile_mod.Profile, name: str, lang: str) -> None:
    answers, dec = decision(name, lang)
    drafts = compose(rb, example_profile, answers, dec, lang)
    assert [d["kind"] for d in drafts] == EXPECTED_KINDS[name]
    got = as_golden(drafts)
    path = GOLDEN / f"{name}.{lang}.txt"
    if os.environ.get("PLAYBOOK_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8"), f"{path} differs; see the module docstring"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(DECISIONS))
def test_our_own_drafts_pass_every_check(rb: RuleBase, example_profile: profile_mod.Profile, name: str,
                                         lang: str) -> None:
    answers, dec = decision(name, lang)
    for d in compose(rb, example_profile, answers, dec, lang):
        assert d["findings"] == [], (d["kind"], d["findings"])
        assert d["lang"] == lang and d["chars"] <= (d["limit"] or d["chars"])


def test_what_each_kind_says(rb: RuleBase, example_profile: profile_mod.Profile) -> None:
    """The content the issue asks for, in words a reader can check."""
    drafts = {d["kind"]: d["text"] for d in compose(rb, example_profile, *decision("holding_product_failure"), "en")}
    holding = drafts["holding_statement"]
    for expected in ("What we know so far: Passengers report", "What we don't know yet", "What we are doing now",
                     "Our first concern is the safety", "next update", "within an hour", "Maud Lefebvre"):
        assert expected in holding
    briefing = drafts["staff_briefing"]
    assert "The one message to give, in these words: “" in briefing and "Journalists: don't answer" in briefing
    assert "Maud Lefebvre, Head of Communications (press@harbourline.example" in briefing
    apology = {d["kind"]: d["text"] for d in compose(rb, example_profile, *decision("apology_viral_complaint"), "en")}
    assert "This is our fault, and no one else's. We are sorry. We will put this right" in apology["statement"]
    assert "What happened: A musician's guitar was broken by our baggage handlers" in apology["statement"]
    assert "private message" in apology["public_reply"] and apology["public_reply"].endswith("– Maud")
    correction = {d["kind"]: d["text"] for d in compose(rb, example_profile, *decision("rumour_correction"), "en")}
    assert "anyone can check, are on https://www.harbourline.example/news" in correction["public_reply"]
    dm = compose(rb, example_profile, *decision("private_unnoticed_customer"), "en")[0]["text"]
    assert dm.startswith("Hello,\n\nI'm Maud Lefebvre") and "best way and time to reach you" in dm
    every = " ".join(d["text"].lower() for name in DECISIONS for lang in ("en", "fr")
                     for d in compose(rb, example_profile, *decision(name, lang), lang))
    for never in ("sorry if", "valued customer", "we take this very seriously", "no comment", "désolés si"):
        assert never not in every


def test_no_drafts_when_we_only_watch_or_moderate(rb: RuleBase, example_profile: profile_mod.Profile) -> None:
    answers, _ = decision("apology_viral_complaint")
    for action, channels in (("monitor", ()), ("moderate", ("same_thread",))):
        dec = Decision({"action": action, "severity": "low", "posture": "inform", "strategy": (),
                        "channels": channels, "escalate_to": (), "do": (), "avoid": ()}, (), ())
        assert compose(rb, example_profile, answers, dec, "en") == []


FRENCH_SPACING = re.compile(r"(?<=\w)[ ][:;!?](?=\s|$)|« [^\s]|[^\s] »")


@pytest.mark.parametrize("name", list(DECISIONS))
def test_french_typography(rb: RuleBase, example_profile: profile_mod.Profile, name: str) -> None:
    answers, dec = decision(name)
    answers["summary"] = "Un incident."
    for d in compose(rb, example_profile, answers, dec, "fr"):
        assert not FRENCH_SPACING.search(d["text"]), d["text"]
        assert "\u00a0:" in d["text"] or ":" not in d["text"].replace("https:", "")


# --- channel limits ---------------------------------------------------------------------------


def part(pid: str, required: bool = False, drop: int | None = None) -> DraftPart:
    return DraftPart(pid, Text(pid, pid), required=required, drop=drop)


def test_fit_drops_optional_parts_lowest_drop_first_then_the_last_written() -> None:
    from playbook.core.draftmodel import Channel

    paragraphs = [[(part("a", True), "Alpha beta."), (part("b", drop=2), "Gamma delta."),
                   (part("c"), "Epsilon."), (part("d", drop=1), "Zeta eta theta."), (part("e", True), "– Jo")]]
    full = "Alpha beta. Gamma delta. Epsilon. Zeta eta theta. – Jo"
    assert fit(paragraphs, Channel("x", Text("x", "x"), 200)) == (full, [])
    assert fit(paragraphs, Channel("x", Text("x", "x"), len(full) - 1)) == (
        "Alpha beta. Gamma delta. Epsilon. – Jo", ["d"])
    assert fit(paragraphs, Channel("x", Text("x", "x"), 30)) == ("Alpha beta. Epsilon. – Jo", ["d", "b"])
    # still over once every optional part is gone: the text is whole, never cut
    assert fit(paragraphs, Channel("x", Text("x", "x"), 10)) == ("Alpha beta. – Jo", ["d", "b", "c"])


def test_reply_within_twitter_limit(rb: RuleBase, example_profile: profile_mod.Profile) -> None:
    (reply, *_) = compose(rb, example_profile, *decision("apology_viral_complaint"), "en", channel="twitter")
    assert reply["channel"] == "twitter" and reply["limit"] == 280 and reply["chars"] <= 280
    assert reply["dropped"] == [] and reply["findings"] == []


def test_over_the_limit_optional_parts_are_dropped_to_fit(rb: RuleBase,
                                                          example_profile: profile_mod.Profile) -> None:
    (reply, *_) = compose(rb, example_profile, *decision("apology_viral_complaint"), "en", channel="tiktok")
    assert reply["limit"] == 150 and reply["chars"] <= 150 and reply["findings"] == []
    assert reply["dropped"] == ["reply.change"] and "changing how we work" not in reply["text"]
    assert reply["text"] == ("You're right: this is on us. We're sorry. Send us a private message and we'll put "
                             "it right with you. – Maud")


def test_still_over_the_limit_is_reported_never_cut(rb: RuleBase, example_profile: profile_mod.Profile) -> None:
    sign_off = "– Maud Lefebvre, Head of Communications at Harbourline Air"
    signed = profile_mod.Profile(**{**example_profile.__dict__, "reply_signature": Text(sign_off, sign_off)})
    (reply, *_) = compose(rb, signed, *decision("apology_viral_complaint"), "en", channel="tiktok")
    assert reply["dropped"] == ["reply.change"] and reply["chars"] > 150
    assert reply["text"].endswith("put it right with you. " + sign_off)  # whole sentences: nothing cut
    (over,) = reply["findings"]
    assert over["check"] == "over_limit" and over["level"] == "error"
    assert over["span"] == [150, len(reply["text"])] and over["match"] == reply["text"][150:]
    assert over["message"] == f"Over the TikTok comment limit: {reply['chars']} characters for 150."


def test_a_sample_of_real_decisions_gives_whole_clean_drafts(rb: RuleBase, example_profile: profile_mod.Profile,
                                                             engine: Engine) -> None:
    """Across the answer space: drafts end with their signature and carry no error but, rarely, the limit."""
    rng = random.Random(5)
    composers = {lang: Composer(rb, example_profile, lang) for lang in ("en", "fr")}
    for _ in range(300):
        raw = {q.id: rng.choice(q.values) if q.type == "select" else rng.random() < 0.5 if q.type == "confirm"
               else rng.choice([0, 1, 3, 24]) if q.type == "number" else "Our app charged some customers twice."
               for q in rb.questions}
        answers = validate(rb, RawAnswers(raw)).values
        for lang, composer in composers.items():
            for d in composer.compose(answers, engine.decide(answers)):
                assert d["text"].endswith(("– Maud", "Harbourline Air")), d["text"]
                errors = [f["check"] for f in d["findings"] if f["level"] == "error"]
                assert errors in ([], ["over_limit"]), (lang, d["text"], errors)


# --- CLI, profile and literal user text ------------------------------------------------------------

NASTY = "Hello {{ 7*7 }} {% raw %}raw{% endraw %} [bold]red[/bold] \x1b[31mansi\x1b[0m"


def nasty_profile(tmp_path: Path, **extra: Any) -> Path:
    data = {
        "name": "Acme {{ 7*7 }} [bold]Air[/bold]",
        "spokesperson": {"name": "Jo \x1b[31mRed", "role": {"en": "Head of [i]Comms[/i]", "fr": "Comm {% if x %}"},
                         "email": "press@acme.example"},
        "channels": {"web": "https://acme.example/{{ news }}"},
        **extra,
    }
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def triage(runner: CliRunner, *args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["triage", *args], input=input)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_user_text_is_data_in_json_and_yaml(runner: CliRunner, complete: dict[str, Any], tmp_path: Path,
                                            fmt: str) -> None:
    answers = dict(complete, summary=NASTY, media_interest=True)
    result = triage(runner, "-a", "-", "-f", fmt, "--profile", str(nasty_profile(tmp_path)), input=json.dumps(answers))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout) if fmt == "json" else yaml.safe_load(result.stdout)
    texts = "\n".join(d["text"] for d in doc["drafts"])
    assert NASTY in texts  # the summary, word for word, in the statement and the briefing
    for literal in ("Acme {{ 7*7 }} [bold]Air[/bold]", "Jo \x1b[31mRed", "https://acme.example/{{ news }}"):
        assert literal in texts
    assert "49" not in texts and "raw{% endraw %}" in texts


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_user_text_is_shown_literally_to_people(runner: CliRunner, complete: dict[str, Any], tmp_path: Path,
                                                fmt: str) -> None:
    answers = dict(complete, summary=NASTY, media_interest=True)
    result = triage(runner, "-a", "-", "-f", fmt, "--profile", str(nasty_profile(tmp_path)), input=json.dumps(answers))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out  # an escape sequence is shown, never obeyed
    assert "\\x1b[31mansi\\x1b[0m" in out and "Jo \\x1b[31mRed" in out
    assert "{{ 7*7 }}" in out and "{% raw %}raw{% endraw %}" in out and "49" not in out
    assert "[bold]red[/bold]" in out and "Acme {{ 7*7 }} [bold]Air[/bold]" in out
    if fmt == "markdown":
        assert "```text\n" in out


def test_drafts_in_markdown_are_fenced(runner: CliRunner, complete: dict[str, Any],
                                       answers_file: Callable[..., Path]) -> None:
    result = triage(runner, "-a", str(answers_file(complete)), "-f", "markdown")
    out = result.stdout
    assert "## Drafts" in out and "### Public reply · twitter · " in out
    block = out.split("### Public reply", 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]
    assert block.startswith("You're right") and block.endswith("– Maud")


def test_channel_option(runner: CliRunner, complete: dict[str, Any], answers_file: Callable[..., Path]) -> None:
    path = str(answers_file(complete))
    doc = json.loads(triage(runner, "-a", path, "-f", "json", "--channel", "linkedin").stdout)
    assert doc["drafts"][0]["channel"] == "linkedin" and doc["drafts"][0]["limit"] == 1250
    doc = json.loads(triage(runner, "-a", path, "-f", "json", "--channel", "X").stdout)
    assert doc["drafts"][0]["channel"] == "twitter"
    result = triage(runner, "-a", path, "--channel", "myspace")
    assert result.exit_code == 2 and "--channel myspace: unknown channel; allowed: twitter (280)" in result.stderr


def test_profile_language_and_environment(runner: CliRunner, complete: dict[str, Any], tmp_path: Path,
                                          answers_file: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(answers_file(complete))
    french = nasty_profile(tmp_path, language="fr")
    monkeypatch.setenv("PLAYBOOK_PROFILE", str(french))
    doc = json.loads(triage(runner, "-a", path, "-f", "json").stdout)
    assert doc["lang"] == "fr"
    assert doc["drafts"][-1]["text"].endswith("Comm {% if x %}, Acme {{ 7*7 }} [bold]Air[/bold]")
    assert json.loads(triage(runner, "-a", path, "-f", "json", "--lang", "en").stdout)["lang"] == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: A\nspokesman: {name: B, role: C}\nchannels: {web: w}\n",
         "profile.yaml:2:1: profile: unknown key 'spokesman' (did you mean 'spokesperson'?)"),
        ("name: A\nspokesperson: {name: B, role: C}\nchannels: {web: w, twiter: t}\n",
         "profile.yaml:3:20: profile: unknown channel 'twiter' (did you mean 'twitter'?); allowed: twitter,"),
        ("name: A\nspokesperson: {name: B, role: C}\nchannels: {twitter: t}\n",
         "profile.yaml:3:11: profile: 'channels' needs 'web'"),
        ("name: A\nspokesperson: {name: B, role: C}\nchannels: {web: w}\ncontacts: {lawyer: {name: D}}\n",
         "profile.yaml:4:12: profile: unknown contact role 'lawyer'; allowed: community_manager,"),
        ("name: A\nspokesperson: {name: B, role: C}\nchannels: {web: w}\nlanguage: de\n",
         "profile.yaml:4:11: profile: 'language': unknown value 'de'; allowed: en, fr"),
        ("name: A\nspokesperson: {name: B}\nchannels: {web: w}\n",
         "profile.yaml:2:15: spokesperson: missing required key 'role'"),
        ("name: A\nspokesperson: {name: B, role: C, phone: 4420}\nchannels: {web: w}\n",
         "'phone': quote the number so YAML keeps it as text"),
    ],
)
def test_profile_mistakes_exit_2_located(runner: CliRunner, complete: dict[str, Any], tmp_path: Path,
                                         answers_file: Callable[..., Path], text: str, expected: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profile.yaml").write_text(text, encoding="utf-8")
    result = triage(runner, "-a", str(answers_file(complete)), "--profile", "profile.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_missing_profile_file(runner: CliRunner, complete: dict[str, Any],
                              answers_file: Callable[..., Path]) -> None:
    result = triage(runner, "-a", str(answers_file(complete)), "--profile", "nope.yaml")
    assert result.exit_code == 2 and "nope.yaml: no such file" in result.stderr


def test_batch_drafts_on_and_off(runner: CliRunner, complete: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(complete) + "\n", encoding="utf-8")
    line = json.loads(runner.invoke(app, ["batch", str(path)]).stdout)
    assert line["drafts"][0]["kind"] == "public_reply"
    line = json.loads(runner.invoke(app, ["batch", str(path), "--no-drafts"]).stdout)
    assert line["drafts"] == []
    fr = json.loads(runner.invoke(app, ["batch", str(path), "--lang", "fr", "--channel", "bluesky"]).stdout)
    assert fr["drafts"][0]["lang"] == "fr" and fr["drafts"][0]["channel"] == "bluesky"


# --- rule authors -----------------------------------------------------------------------------


def test_a_rule_author_adds_a_part_without_code(rb: RuleBase, overlay: Callable[..., Path],
                                                example_profile: profile_mod.Profile) -> None:
    from playbook.rulebase import load as rulebase

    custom = rulebase.load([overlay("""
        draft_parts:
          - id: reply.hotline
            when: {severity: [high, critical]}
            text: {en: "Hotline: 0800 000 000.", fr: "Numéro d'urgence : 0800 000 000."}
        drafts:
          - id: public_reply
            title: {en: "Public reply", fr: "Réponse publique"}
            when: {channels: same_thread}
            channel: public
            parts: [[reply.apology, reply.hotline, reply.sign_off]]
    """)], use_cache=False)
    reply = compose(custom, example_profile, *decision("apology_viral_complaint"), "fr")[0]
    assert reply["text"] == "Nous vous présentons nos excuses. Numéro d'urgence\u00a0: 0800 000 000. – Maud"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("draft_parts:\n  - id: p\n    text: {en: '{{ spokesman }}', fr: x}\n",
         "overlay.yaml:3:16: part 'p': template 'en', line 1: unknown variable 'spokesman' "
         "(did you mean 'spokesperson'?)"),
        ("draft_parts:\n  - id: p\n    text: {en: '{% if %}', fr: x}\n",
         "overlay.yaml:3:16: part 'p': template 'en', line 1: Expected an expression"),
        ("draft_parts:\n  - id: p\n    when: {stratgy: apologize}\n    text: {en: x, fr: x}\n",
         "overlay.yaml:3:12: part 'p': unknown name 'stratgy' (did you mean 'strategy'?)"),
        ("draft_parts:\n  - id: p\n    when: {strategy: apologise}\n    text: {en: x, fr: x}\n",
         "overlay.yaml:3:22: part 'p': 'strategy': unknown value 'apologise' (did you mean 'apologize'?)"),
        ("drafts:\n  - id: k\n    title: {en: x, fr: x}\n    when: {action: monitor}\n    channel: myspace\n"
         "    parts: [reply.nope]\n", "overlay.yaml:5:14: draft 'k': unknown channel 'myspace'"),
        ("drafts:\n  - id: k\n    title: {en: x, fr: x}\n    when: {action: monitor}\n    channel: web\n"
         "    parts: [reply.apolgy]\n", "overlay.yaml:6:13: draft 'k': unknown part 'reply.apolgy' (did you mean"),
    ],
)
def test_draft_rule_mistakes_are_located(overlay: Callable[..., Path], text: str, expected: str) -> None:
    from playbook.errors import RuleBaseError
    from playbook.rulebase import load as rulebase

    with pytest.raises(RuleBaseError) as info:
        rulebase.load([overlay(text)], use_cache=False)
    assert expected in str(info.value)


def test_templates_run_in_the_sandbox(runner: CliRunner, overlay: Callable[..., Path], complete: dict[str, Any],
                                      answers_file: Callable[..., Path]) -> None:
    rules = overlay("draft_parts:\n  - id: reply.sign_off\n    required: true\n"
                    "    text: {en: \"{{ sign_off.__class__.__mro__ }}\", fr: x}\n")
    result = triage(runner, "-a", str(answers_file(complete)), "--rules", str(rules))
    assert result.exit_code == 3  # refused when the rule base is validated, with its place
    assert "overlay.yaml:4:16: part 'reply.sign_off': template 'en' fails on a sample decision: SecurityError" \
        in result.stderr and "Traceback" not in result.stderr


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=200).filter(lambda s: s.strip()))
def test_any_summary_is_written_as_data(summary: str) -> None:
    """Whatever the user typed, it reaches the drafts as text: never evaluated, never an error."""
    from playbook.rulebase import load as rulebase

    rb = rulebase.load()
    answers, dec = decision("holding_product_failure")
    drafts = compose(rb, profile_mod.load(rb), {**answers, "summary": summary}, dec, "en")
    words = " ".join(summary.split())
    assert all(words in d["text"] for d in drafts)
