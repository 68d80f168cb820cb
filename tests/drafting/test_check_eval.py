"""`playbook check` measured: the labelled corpus, the issue's cases, `--eval` and next-step times."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.model import RuleBase
from playbook.drafting.checks import check_text
from playbook.drafting.evaluation import evaluate, load_corpus

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def result(rb: RuleBase) -> dict:  # type: ignore[type-arg]
    return evaluate(rb, load_corpus(rb, CORPUS))


def test_the_corpus_passes_the_thresholds(result: dict) -> None:  # type: ignore[type-arg]
    assert result["passed"], (result["misses"], result["false_alarms"])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_language_reaches_recall_and_stays_under_the_false_alarm_rate(
        result: dict, lang: str) -> None:  # type: ignore[type-arg]
    measured, wanted = result["languages"][lang], result["thresholds"]
    assert measured["bad"] > 150 and measured["good"] > 100
    assert measured["error_recall"] >= wanted["recall"], [m for m in result["misses"] if m["id"].startswith(lang)]
    assert measured["false_alarm_rate"] <= wanted["false_alarm_rate"], [
        a for a in result["false_alarms"] if a["id"].startswith(lang)]


S, F = ("sensitive",), ("facts_unknown",)


@pytest.mark.parametrize(
    ("lang", "text", "context", "expected"),
    [
        # missed before: each is a class (paraphrase, inflection, word order)
        ("en", "We sincerely apologize to anyone who may have been offended", (), {"conditional_apology"}),
        ("en", "Unfortunately our delivery partner let us down", (), {"blaming_apology"}),
        ("en", "Stock up now: 2-for-1 on all umbrellas", S, {"promotion_in_sensitive_context"}),
        ("en", "Early indications point to a faulty update… should be affected", F, {"speculation"}),
        ("en", "We are looking into it.", (), {"no_next_step"}),
        ("en", "Mistakes have been made, and lessons will be learned", (), {"passive_evasion"}),
        ("en", "committed to excellence…", (), {"empty_filler"}),
        ("en", "We are unable to comment while the investigation is ongoing", (), {"no_comment"}),
        ("fr", "Nous regrettons que certains aient pu se sentir offensés", (), {"conditional_apology"}),
        ("fr", "dus à la défaillance de notre transporteur", (), {"blaming_apology"}),
        ("fr", "deux parapluies pour le prix d'un", S, {"promotion_in_sensitive_context"}),
        ("fr", "Les premiers éléments indiquent…", F, {"speculation"}),
        ("fr", "Nous examinons la situation.", (), {"no_next_step"}),
        ("fr", "Des erreurs ont pu être commises", (), {"passive_evasion"}),
        ("fr", "au cœur de notre ADN", (), {"empty_filler"}),
        ("fr", "Nous ne sommes pas en mesure de commenter", (), {"no_comment"}),
        # false alarms before: negation, cancellation, a reasoned limit, empathy
        ("en", "We've cancelled the sale…", S, set()),
        ("fr", "Nous avons annulé ces soldes", S, set()),
        ("en", "This wasn't a glitch or anyone else's fault", (), set()),
        ("fr", "Ce n'est ni un bug informatique ni la faute de quelqu'un d'autre", (), set()),
        ("en", "We won't comment on an individual colleague's case while the investigation runs; "
               "we will publish the outcome by 30 June.", (), set()),
        ("fr", "Nous pensons avant tout aux familles", F, set()),
        # placeholders are slots to fill, not bracketed timestamps
        ("en", "[Update, 16:45] Ferries from Dover are running again.", (), set()),
        ("fr", "[Mise à jour 16 h 45] Les liaisons vers l'île d'Yeu reprennent.", (), set()),
        ("en", "Here's what we have done so far: [what we have done].", (), {"placeholder"}),
        ("fr", "Voici ce que nous avons fait : [ce que nous avons fait].", (), {"placeholder"}),
    ],
)
def test_the_issue_cases(rb: RuleBase, lang: str, text: str, context: tuple[str, ...], expected: set[str]) -> None:
    found = check_text(rb, text, lang, sensitive="sensitive" in context, facts_unknown="facts_unknown" in context)
    errors = {f.check for f in found if f.level == "error"}
    assert errors == {c for c in expected if c != "no_next_step"}, [(f.check, f.match) for f in found]
    if "no_next_step" in expected:
        assert "no_next_step" in {f.check for f in found}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Refunds arrive by 5 June."),
        ("en", "Refunds arrive by 15 June."),
        ("en", "Ferries resume at 14:30."),
        ("en", "The line reopens at 2.30pm."),
        ("en", "The line reopens at 9am."),
        ("en", "Ferries resume at 14h30."),
        ("fr", "Remboursement avant 12 h."),
        ("fr", "Reprise à 14 h 30."),
        ("fr", "Reprise à 14h30."),
        ("fr", "Reprise d'ici 17 h."),
        ("fr", "Les conclusions seront publiées le 30 juin."),
    ],
)
def test_a_time_or_a_date_is_a_next_step(rb: RuleBase, lang: str, text: str) -> None:
    assert "no_next_step" not in {f.check for f in check_text(rb, text, lang)}


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "We are looking into it."), ("en", "We are aware of the situation."),
    ("fr", "Nous examinons la situation."), ("fr", "Merci pour votre message."),
])
def test_activity_without_a_time_or_a_person_is_no_next_step(rb: RuleBase, lang: str, text: str) -> None:
    assert "no_next_step" in {f.check for f in check_text(rb, text, lang)}


runner = CliRunner()


def test_eval_on_the_corpus_prints_the_table_and_exits_0() -> None:
    out = runner.invoke(app, ["check", "--eval", str(CORPUS)])
    assert out.exit_code == 0, out.output
    for lang in ("en:", "fr:"):
        assert lang in out.stdout
    assert "recall on error-level problems" in out.stdout and "BELOW" not in out.stdout
    data = json.loads(runner.invoke(app, ["check", "--eval", str(CORPUS), "--format", "json"]).stdout)
    assert data["passed"] is True and set(data["languages"]) == {"en", "fr"}
    assert data["languages"]["en"]["checks"]["no_comment"]["recall"] >= 0.9


def tiny_corpus(path: Path) -> Path:
    """19 refusals the checks find and one they cannot (a wrong label, on purpose): recall 95%."""
    refusal = {"text": "We decline to comment.", "errors": ["no_comment"]}
    entries = [{"id": f"en_bad_t_{i:03}", **refusal} for i in range(19)]
    entries.append({"id": "en_bad_t_019", "text": "Next update at 3pm.", "errors": ["no_comment"]})
    entries.append({"id": "en_good_t_001", "text": "We got it wrong. Refunds by 15 June.", "errors": []})
    path.write_text(yaml.safe_dump({"lang": "en", "entries": entries}), encoding="utf-8")
    return path


def test_eval_exits_1_below_the_thresholds_an_overlay_raises(tmp_path: Path) -> None:
    corpus = tiny_corpus(tmp_path / "tiny.yaml")
    at_default = runner.invoke(app, ["check", "--eval", str(corpus)])
    assert at_default.exit_code == 0, at_default.output
    overlay = tmp_path / "rules"
    overlay.mkdir()
    (overlay / "strict.yaml").write_text("check_language:\n  recall: 0.99\n  false_alarm_rate: 0.0\n")
    strict = runner.invoke(app, ["check", "--eval", str(corpus), "--rules", str(overlay)])
    assert strict.exit_code == 1
    assert "BELOW THE THRESHOLDS" in strict.stdout and "en_bad_t_019" in strict.stdout
    assert "recall 99%" in strict.stderr
    data = json.loads(runner.invoke(app, ["check", "--eval", str(corpus), "--rules", str(overlay),
                                          "--format", "json"]).stdout)
    assert data["passed"] is False and data["languages"]["en"]["error_recall"] == 0.95


def test_eval_refuses_a_bad_corpus_and_a_draft_with_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("lang: en\nentries:\n  - id: x\n    text: hi\n    errors: [no_such_check]\n")
    result = runner.invoke(app, ["check", "--eval", str(bad)])
    assert result.exit_code == 2 and "unknown 'no_such_check'" in result.stderr
    both = runner.invoke(app, ["check", "draft.txt", "--eval", str(CORPUS)])
    assert both.exit_code == 2 and "not both" in both.stderr


# --- the engine pieces the families rely on -------------------------------------------------

def test_word_families_and_gaps_expand_when_the_rule_base_loads(rb: RuleBase) -> None:
    from playbook.rulebase.patterns import expand, regex_source

    assert expand("{a} if", {"a": ("sorry", "apologi[sz]e")}) == "(?:sorry|apologi[sz]e) if"
    with pytest.raises(KeyError):
        expand("{nope}", {})
    check = next(c for c in rb.drafting.checks if c.id == "blaming_apology")  # type: ignore[union-attr]
    patterns = check.patterns["en"]
    assert not any("{third_party}" in p for p in patterns) and any("courier" in p for p in patterns)
    gap = regex_source("caused by ... courier")
    assert "\\n" in gap and "{0,60}" in gap  # bounded, and never across a line or a full stop


def test_an_unknown_word_family_is_refused_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "checks:\n  - id: my_check\n    level: warning\n    message: {en: m, fr: m}\n"
        "    suggestion: {en: s, fr: s}\n    patterns:\n      en: ['{apology} ... {nope}']\n"
        "      fr: ['{apology}']\n    examples:\n      en: {flagged: [sorry], clean: [fine]}\n"
        "      fr: {flagged: [désolés], clean: [bien]}\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", "--rules", str(tmp_path)])
    assert result.exit_code == 3 and "c.yaml:7:" in result.stderr and "unknown word family {nope}" in result.stderr


@pytest.mark.parametrize(("text", "flagged"), [
    ("The delay was caused by staff shortages at our courier partner.", True),
    ("The delay was caused by staff shortages. Our courier partner is helping.", False),  # not one sentence
    ("We don't know the cause yet, but the courier partner let us down.", True),  # "but" ends the negation
    ("We are not blaming our courier partner.", False),
    ("It would be easy to say our courier let us down.", False),  # `unless`
    ("Our partner lost your parcel, but you chose us, so it's on us.", False),  # `unless_after`
])
def test_where_a_blame_stands(rb: RuleBase, text: str, flagged: bool) -> None:
    assert ("blaming_apology" in {f.check for f in check_text(rb, text, "en")}) is flagged


def test_a_quotation_is_left_alone_unless_it_is_a_line_handed_out(rb: RuleBase) -> None:
    rejected = check_text(rb, 'We won\'t hide behind "no comment". Next update at 3pm.', "en")
    handed_out = check_text(rb, 'If a journalist calls, say only: "No comment." Then call us on 0800 123 456.', "en")
    assert "no_comment" not in {f.check for f in rejected}
    assert "no_comment" in {f.check for f in handed_out}


def test_a_long_word_does_not_make_check_quadratic(rb: RuleBase) -> None:
    import time

    start = time.perf_counter()
    found = check_text(rb, "x" * 50_000 + "y", "en", sensitive=True, facts_unknown=True)
    assert time.perf_counter() - start < 5 and all(f.check != "placeholder" for f in found)
