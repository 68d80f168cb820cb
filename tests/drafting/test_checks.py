"""`playbook check` and the checks of rules/checks.yaml: every check, both languages, spans, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.draftmodel import Check
from playbook.core.model import RuleBase
from playbook.drafting import checks
from playbook.rulebase.patterns import anchors, regex_source

LANGS = ("en", "fr")


def all_checks(rb: RuleBase) -> list[Check]:
    assert rb.drafting is not None
    return list(rb.drafting.checks)


def findings(rb: RuleBase, text: str, lang: str, check_id: str, **context: bool) -> list[checks.Finding]:
    return [f for f in checks.check_text(rb, text, lang, **context) if f.check == check_id]


def in_context(check: Check) -> dict[str, bool]:
    return {flag: True for flag in check.when}


def test_the_checks_of_the_spec_exist(rb: RuleBase) -> None:
    ids = {c.id for c in all_checks(rb)}
    assert ids >= {"promotion_in_sensitive_context", "humour_in_sensitive_context", "canned_phrase", "no_comment",
                   "empty_filler", "conditional_apology", "blaming_apology", "speculation", "no_next_step"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_check_has_examples_both_ways(rb: RuleBase, lang: str) -> None:
    for check in all_checks(rb):
        assert check.examples[lang]["flagged"], check.id
        assert check.examples[lang]["clean"], check.id


def example_cases(kind: str) -> list[tuple[str, str, str]]:
    from playbook.rulebase import load as rulebase

    rb = rulebase.load(use_cache=False)
    return [(c.id, lang, text) for c in all_checks(rb) for lang in LANGS for text in c.examples[lang][kind]]


@pytest.mark.parametrize(("check_id", "lang", "text"), example_cases("flagged"))
def test_flagged_examples_are_flagged(rb: RuleBase, check_id: str, lang: str, text: str) -> None:
    check = next(c for c in all_checks(rb) if c.id == check_id)
    found = findings(rb, text, lang, check_id, **in_context(check))
    assert found, f"{check_id} ({lang}) should flag: {text}"
    for f in found:
        assert f.level == check.level
        assert text[f.start:f.end] == f.match
        assert f.message == check.message.get(lang) and f.suggestion == check.suggestion.get(lang)


@pytest.mark.parametrize(("check_id", "lang", "text"), example_cases("clean"))
def test_clean_examples_are_not_flagged(rb: RuleBase, check_id: str, lang: str, text: str) -> None:
    check = next(c for c in all_checks(rb) if c.id == check_id)
    assert findings(rb, text, lang, check_id, **in_context(check)) == []


@pytest.mark.parametrize("check_id", ["promotion_in_sensitive_context", "humour_in_sensitive_context",
                                      "exclamation_in_sensitive_context", "speculation"])
def test_context_checks_only_apply_in_their_context(rb: RuleBase, check_id: str) -> None:
    check = next(c for c in all_checks(rb) if c.id == check_id)
    assert check.when
    for lang in LANGS:
        for text in check.examples[lang]["flagged"]:
            assert findings(rb, text, lang, check_id) == []


@pytest.mark.parametrize(
    ("lang", "text", "check_id", "match"),
    [
        ("en", "Hi all. We're sorry if anyone was offended.", "conditional_apology", "sorry if"),
        ("en", "We’re   SORRY\nif you felt hurt.", "conditional_apology", "SORRY\nif"),
        ("fr", "Bonjour. Nous sommes désolés si certains ont été choqués.", "conditional_apology", "désolés si"),
        ("fr", "Pas\u00a0de\u202fcommentaire.", "no_comment", "Pas\u00a0de\u202fcommentaire"),
        ("fr", "La panne serait due à un bug informatique.", "blaming_apology", "bug informatique"),
        ("en", "Dear valued customer, thanks.", "canned_phrase", "valued customer"),
    ],
)
def test_spans_point_at_the_words(rb: RuleBase, lang: str, text: str, check_id: str, match: str) -> None:
    (f,) = findings(rb, text, lang, check_id)
    assert (f.start, f.end) == (text.index(match), text.index(match) + len(match))
    assert f.match == match


def test_matches_are_whole_words(rb: RuleBase) -> None:
    assert findings(rb, "Our wholesale prices are unchanged.", "en", "promotion_in_sensitive_context",
                    sensitive=True) == []
    (f,) = findings(rb, "Stay safe!", "en", "exclamation_in_sensitive_context", sensitive=True)
    assert (f.start, f.end, f.match) == (9, 10, "!")


def test_a_missing_next_step_points_at_the_end(rb: RuleBase) -> None:
    text = "We are aware of the situation."
    (f,) = findings(rb, text, "en", "no_next_step")
    assert (f.start, f.end, f.match, f.level) == (len(text), len(text), "", "warning")


def test_over_the_channel_limit_is_an_error_spanning_the_excess(rb: RuleBase) -> None:
    from playbook.drafting.compose import resolve_channel

    twitter = resolve_channel(rb, "x")
    text = "Next update at 3 pm. " + "word " * 60
    (f,) = [f for f in checks.check_text(rb, text, "en", channel=twitter) if f.check == "over_limit"]
    assert f.level == "error" and f.end == len(text)
    assert twitter.length(text[:f.start]) == 280
    # X counts a link as 23 characters, however long it is
    url = "https://example.org/" + "a" * 300
    link = f"Details: {url} next update at 3 pm."
    assert twitter.length(link) == len(link) - len(url) + 23
    assert not [f for f in checks.check_text(rb, link, "en", channel=twitter) if f.check == "over_limit"]


def test_pattern_anchors() -> None:
    assert anchors("(flash |big )?sales?") == (("sale",),)
    assert anchors("a|bc") == ()
    assert anchors("colou?r") == (("colo",),)
    assert anchors("(we|I) take (this|it)( very)? seriously") == (("take",), ("it", "this"), ("seriously",))


PHRASES = ["sorry if", "we take this very seriously", "no comment", "stay tuned", "probably", "sale", "lol",
           "next update", "désolés si", "pas de commentaire", "serait due", "wholesale", "https://a.example/x",
           "😂", "!", "caused by a supplier", "human error", "XXX", "[DATE]", "we'll", "nous allons"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PHRASES), st.text(max_size=8)), max_size=12), st.sampled_from(LANGS))
def test_anchors_never_hide_a_match(words: list[str], lang: str) -> None:
    """The anchor filter is only a shortcut: a pattern that matches always has its anchors."""
    from playbook.rulebase import load as rulebase

    rb = rulebase.load()
    text = checks.normalise(" ".join(words))
    lowered = text.lower()
    for check in all_checks(rb):
        for pattern in check.patterns[lang]:
            if checks._spans(re.compile(regex_source(pattern), re.IGNORECASE), text):
                for group in anchors(pattern):
                    assert any(w in lowered for w in group), (check.id, pattern, text)


# --- playbook check ---------------------------------------------------------------------------


def run_check(runner: CliRunner, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_check_clean_draft_exits_0(runner: CliRunner) -> None:
    code, out, err = run_check(runner, "-", input="We got this wrong and we're sorry. Next update at 3 pm.\n")
    assert code == 0, err
    assert out == "<stdin>: no problems found\n"


def test_check_error_exits_1_with_file_line_col(runner: CliRunner, tmp_path: Path) -> None:
    draft = tmp_path / "reply.txt"
    draft.write_text("Thanks for your patience.\nWe're sorry if you were upset. DM us.\n", encoding="utf-8")
    code, out, err = run_check(runner, str(draft), "--lang", "en")
    assert code == 1
    assert f"{draft}:2:7: error: conditional_apology: “sorry if” — " in out
    assert f"{draft}:1:1: warning: canned_phrase: “Thanks for your patience”" in out
    assert out.endswith(f"{draft}: 1 error, 1 warning\n")
    assert "1 error-level finding(s)" in err


def test_check_warnings_only_exit_0(runner: CliRunner) -> None:
    code, out, _ = run_check(runner, "-", input="We are aware of the situation.")
    assert code == 0
    assert "warning: no_next_step" in out


def test_check_json_and_context_flags(runner: CliRunner) -> None:
    text = "Flash sale tonight, lol! The fire was probably caused by a faulty heater."
    code, out, _ = run_check(runner, "-", "--format", "json", "--sensitive", "--facts-unknown", input=text)
    assert code == 1
    doc = json.loads(out)
    assert doc["context"] == {"sensitive": True, "facts_unknown": True}
    by_check = {f["check"]: f for f in doc["findings"]}
    assert set(by_check) >= {"promotion_in_sensitive_context", "humour_in_sensitive_context", "speculation",
                             "exclamation_in_sensitive_context"}
    f = by_check["speculation"]
    assert f["span"] == [text.index("probably"), text.index("probably") + 8] and f["match"] == "probably"
    assert set(f) == {"check", "level", "span", "match", "message", "suggestion", "line", "col"}
    assert doc["counts"]["error"] == 3 and doc["counts"]["info"] == 1
    code, out, _ = run_check(runner, "-", "--format", "json", input=text)
    assert code == 0 and not json.loads(out)["findings"]


def test_check_french(runner: CliRunner) -> None:
    code, out, _ = run_check(runner, "-", "--lang", "fr", input="Pas de commentaire. Nous vous rappelons demain.")
    assert code == 1
    assert "error: no_comment: “Pas de commentaire” — «\u00a0Pas de commentaire\u00a0» passe pour un aveu" in out
    assert out.endswith("<stdin>: 1 erreur\n")


def test_check_channel_limit(runner: CliRunner) -> None:
    text = "We will call you today. " * 13
    code, out, _ = run_check(runner, "-", "--channel", "twitter", input=text)
    assert code == 1 and "over_limit" in out and "Over the X (Twitter) limit: 312 characters for 280." in out
    assert run_check(runner, "-", "--channel", "linkedin", input=text)[0] == 0


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["-"], "  \n", "<stdin>: the draft is empty; nothing to check"),
        (["missing.txt"], None, "missing.txt: no such file"),
        (["-", "--channel", "tweeter"], "hi", "--channel tweeter: unknown channel (did you mean 'twitter'?)"),
        (["-", "--lang", "de"], "hi", "--lang de: unknown language; allowed: en, fr"),
        (["-", "--format", "xml"], "hi", "--format xml: unknown format; allowed: text, json"),
    ],
)
def test_check_bad_input_exits_2(runner: CliRunner, args: list[str], stdin: str | None, message: str) -> None:
    code, out, err = run_check(runner, *args, input=stdin)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_check_help_has_examples(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "playbook check reply.txt" in result.stdout


def test_check_shows_control_characters(runner: CliRunner) -> None:
    code, out, _ = run_check(runner, "-", input="No comment \x1b[31m today.")
    assert code == 1
    assert "\x1b" not in out and "No comment" in out


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("checks:\n  - id: c\n    level: fatal\n", "overlay.yaml:3:12: check 'c': unknown level 'fatal'"),
        ("checks:\n  - id: c\n    level: error\n    message: {en: a, fr: b}\n    suggestion: {en: a, fr: b}\n"
         "    patterns: {en: ['(unclosed'], fr: [x]}\n    examples: {en: {flagged: [a], clean: [b]}, "
         "fr: {flagged: [a], clean: [b]}}\n",
         "overlay.yaml:6:21: check 'c': invalid pattern '(unclosed'"),
        ("checks:\n  - id: c\n    level: error\n    when: [sensitiv]\n    message: {en: a, fr: b}\n"
         "    suggestion: {en: a, fr: b}\n    patterns: {en: [x], fr: [x]}\n"
         "    examples: {en: {flagged: [a], clean: [b]}, fr: {flagged: [a]}}\n",
         "check 'c': unknown context 'sensitiv' (did you mean 'sensitive'?)"),
    ],
)
def test_check_rule_mistakes_are_located(overlay: object, yaml_text: str, expected: str) -> None:
    from playbook.errors import RuleBaseError
    from playbook.rulebase import load as rulebase

    assert callable(overlay)
    with pytest.raises(RuleBaseError) as info:
        rulebase.load([overlay(yaml_text)], use_cache=False)
    assert expected in str(info.value)


def test_a_check_without_both_kinds_of_examples_is_refused(overlay: object) -> None:
    from playbook.errors import RuleBaseError
    from playbook.rulebase import load as rulebase

    assert callable(overlay)
    text = ("checks:\n  - id: c\n    level: error\n    message: {en: a, fr: b}\n    suggestion: {en: a, fr: b}\n"
            "    patterns: {en: [x], fr: [x]}\n    examples: {en: {flagged: [a], clean: [b]}, fr: {flagged: [a]}}\n")
    with pytest.raises(RuleBaseError) as info:
        rulebase.load([overlay(text)], use_cache=False)
    assert "overlay.yaml:7:" in str(info.value) and "missing required key 'clean'" in str(info.value)
