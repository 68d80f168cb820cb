"""The interview in-process: questionary driven through a prompt_toolkit pipe, with a timeout.

Keys for every prompt are sent at once; prompt_toolkit keeps the keys one prompt did not use
as typeahead for the next one. A watchdog closes the pipe if the interview waits for more
keys than the test gave, so a wrong key sequence fails fast instead of hanging.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from playbook.cli import app as cli
from playbook.cli import interview, resume
from playbook.cli import triage as cli_triage
from playbook.cli.interview import Interview, run_interview
from playbook.core.answers import RawAnswers, validate
from playbook.core.model import Answers, RuleBase
from playbook.errors import EXIT_INTERRUPTED, Interrupted
from tests.helpers import DEFAULTS

ENTER, DOWN, UP, CTRL_C, CTRL_D, CLEAR = "\r", "\x1b[B", "\x1b[A", "\x03", "\x04", "\x15"

# Keys for a whole interview about our own post that offends (author is not asked).
OWN_CONTENT = [
    "Our ad mocked nurses" + ENTER,  # summary
    DOWN * 3 + ENTER,                # origin: own_content
    DOWN * 2 + ENTER,                # reach: growing
    "n" + ENTER,                     # influential_author
    "n" + ENTER,                     # media_interest
    ENTER,                           # at_fault: yes
    ENTER,                           # harm: none
    ENTER,                           # facts_known: yes
    ENTER,                           # expectation: apology
    "y" + ENTER,                     # public_aware
    "n" + ENTER,                     # sensitive_context
    "n" + ENTER,                     # prior_statement
    "n" + ENTER,                     # crisis_history
    ENTER,                           # prior_reputation: its default, neutral
    ENTER,                           # out_of_hours: its default, no
    "-1" + ENTER,                    # hours: refused (below the minimum), asked again
    "lots" + ENTER,                  # refused (not a number)
    CLEAR + "2.5" + ENTER,           # accepted
]
DECIDE = ENTER  # the review's first choice: "Looks right — decide"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the questions the interview asks, in order."""
    seen: list[str] = []
    original = Interview.ask

    def spy(self: Interview, q: Any, default: Any = None) -> Any:
        seen.append(q.id)
        return original(self, q, default)

    monkeypatch.setattr(Interview, "ask", spy)
    return seen




def interview_with(rb: RuleBase, pipe: Any, given: dict[str, Any] | None = None, lang: str = "en",
                   ask: tuple[str, ...] = ()) -> Answers:
    answers = validate(rb, RawAnswers(given or {}))
    return run_interview(rb, answers, lang, ask=ask, input=pipe, output=DummyOutput())


def test_full_interview_select_confirm_number_text(rb: RuleBase, keys: Any, asked: list[str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    result = interview_with(rb, keys(*OWN_CONTENT, DECIDE))
    assert result.missing == ()
    assert dict(result.values) == {
        "summary": "Our ad mocked nurses", "origin": "own_content", "reach": "growing",
        "influential_author": False, "media_interest": False, "at_fault": "yes", "harm": "none",
        "facts_known": "yes", "expectation": "apology", "public_aware": True,
        "sensitive_context": False, "prior_statement": False, "crisis_history": False,
        "prior_reputation": "neutral", "out_of_hours": False, "hours_since_surfaced": 2.5,
    }
    # Conditions: no author for our own content, no promotions question outside a tragedy.
    assert "author" not in asked and "promotions_scheduled" not in asked
    assert asked.count("hours_since_surfaced") == 1  # refused entries stay in the same prompt
    err = capsys.readouterr()
    assert err.out == ""  # prompts and the review never touch stdout
    assert "Your answers" in err.err and "Our ad mocked nurses" in err.err


def test_conditional_questions_are_asked_when_they_apply(rb: RuleBase, keys: Any, asked: list[str]) -> None:
    given = {"summary": "s", "origin": "customer_complaint", "reach": "none", "influential_author": False,
             "media_interest": False, "at_fault": "no", "harm": "none", "facts_known": "yes",
             "public_aware": True, "prior_statement": False, "crisis_history": False,
             "hours_since_surfaced": 1}
    result = interview_with(rb, keys(DOWN * 3 + ENTER, "y" + ENTER, "y" + ENTER, DECIDE), given)
    # author applies to a complaint; expectation does not when nobody reacted.
    assert asked == ["author", "sensitive_context", "promotions_scheduled"]
    assert result.values["author"] == "troll"
    assert result.values["promotions_scheduled"] is True
    assert "expectation" not in result.values


def test_given_answers_are_not_asked_again(rb: RuleBase, keys: Any, asked: list[str],
                                           complete: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    given = {k: v for k, v in complete.items() if k not in ("harm", "crisis_history")}
    result = interview_with(rb, keys(DOWN * 4 + ENTER, "y" + ENTER, DECIDE), given)
    assert asked == ["harm", "crisis_history"]
    assert result.values["harm"] == "safety" and result.values["crisis_history"] is True
    assert "Already answered: 13" in capsys.readouterr().err


def test_ask_reasks_a_given_answer_with_it_preselected(rb: RuleBase, keys: Any, asked: list[str],
                                                       complete: dict[str, Any]) -> None:
    # reach is 'growing': one Down from there is 'viral'; Enter alone would keep 'growing'.
    result = interview_with(rb, keys(ENTER, DOWN + ENTER, ENTER, ENTER, DECIDE), complete,
                            ask=("hours_since_surfaced", "reach", "summary", "media_interest"))
    assert asked == ["summary", "reach", "media_interest", "hours_since_surfaced"]  # interview order
    assert result.values["reach"] == "viral"
    # Enter keeps what was given: the text, the number and No (not the first choice, Yes).
    assert result.values["summary"] == complete["summary"]
    assert result.values["media_interest"] is False
    assert result.values["hours_since_surfaced"] == complete["hours_since_surfaced"]


def test_ask_for_a_question_that_does_not_apply(rb: RuleBase, keys: Any, asked: list[str],
                                                complete: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    result = interview_with(rb, keys(DECIDE), complete, ask=("promotions_scheduled",))
    assert asked == []
    assert result.values == {**complete, **DEFAULTS}
    assert "--ask promotions_scheduled: not asked, the question does not apply" in capsys.readouterr().err


def test_review_edit_makes_a_dependent_question_appear(rb: RuleBase, keys: Any, asked: list[str],
                                                       complete: dict[str, Any]) -> None:
    given = {**{k: v for k, v in complete.items() if k != "expectation"}, "reach": "none"}
    review_reach = DOWN * 4 + ENTER  # decide, summary, origin, author, reach
    result = interview_with(rb, keys(review_reach, DOWN * 3 + ENTER, DOWN + ENTER, DECIDE), given)
    assert asked == ["reach", "expectation"]
    assert result.values["reach"] == "viral"
    assert result.values["expectation"] == "explanation"


def test_review_edit_drops_answers_that_stop_applying(rb: RuleBase, keys: Any, asked: list[str],
                                                      complete: dict[str, Any]) -> None:
    review_origin = DOWN * 2 + ENTER
    result = interview_with(rb, keys(review_origin, DOWN * 9 + ENTER, DECIDE), complete)
    assert asked == ["origin"]
    assert result.values["origin"] == "data_breach"
    assert "author" not in result.values and "author" not in result.not_applicable


def test_ctrl_c_keeps_the_answers_so_far(rb: RuleBase, keys: Any, _home: Path) -> None:
    with pytest.raises(Interrupted) as info:
        interview_with(rb, keys("Our ad mocked nurses" + ENTER, DOWN * 3 + ENTER, CTRL_C))
    assert info.value.exit_code == EXIT_INTERRUPTED
    assert info.value.messages[1] == "continue with: playbook triage --resume"
    saved = json.loads((_home / "interview.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {"summary": "Our ad mocked nurses", "origin": "own_content"}


def test_end_of_input_in_a_select_keeps_the_answers_too(rb: RuleBase, keys: Any, _home: Path,
                                                        complete: dict[str, Any]) -> None:
    given = {k: v for k, v in complete.items() if k != "harm"}
    with pytest.raises(Interrupted):
        interview_with(rb, keys(CTRL_D), given)
    assert json.loads((_home / "interview.json").read_text(encoding="utf-8"))["answers"] == given


def test_interrupt_before_any_answer_keeps_the_saved_interview(rb: RuleBase, keys: Any, _home: Path) -> None:
    resume.save({"summary": "an earlier incident"})
    with pytest.raises(Interrupted) as info:
        interview_with(rb, keys(CTRL_C))
    assert "nothing to keep" in info.value.messages[0]
    assert resume.load().values == {"summary": "an earlier incident"}


def test_resume_goes_on_from_the_saved_answers(rb: RuleBase, keys: Any, asked: list[str],
                                               complete: dict[str, Any]) -> None:
    resume.save({k: v for k, v in complete.items() if k != "hours_since_surfaced"})
    result = interview_with(rb, keys("4" + ENTER, DECIDE), dict(resume.load().values))
    assert asked == ["hours_since_surfaced"]
    assert result.values == {**complete, **DEFAULTS, "hours_since_surfaced": 4}


def test_french_interview(rb: RuleBase, keys: Any, complete: dict[str, Any], _home: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    given = {k: v for k, v in complete.items() if k not in ("public_aware", "hours_since_surfaced")}
    result = interview_with(rb, keys("o" + ENTER, "beaucoup" + ENTER, CLEAR + "2,5" + ENTER, DECIDE), given, "fr")
    assert result.values["public_aware"] is True
    assert result.values["hours_since_surfaced"] == 2.5  # a French decimal comma
    err = capsys.readouterr().err
    assert "Réponses déjà fournies\u00a0: 13" in err and "Vos réponses" in err and "Oui" in err and "2,5" in err
    with pytest.raises(Interrupted) as info:
        interview_with(rb, keys(CTRL_C), given, "fr")
    assert info.value.messages[1] == "pour reprendre\u00a0: playbook triage --resume --lang fr"


def test_refusals_explain_in_the_users_language(rb: RuleBase) -> None:
    hours = rb.question("hours_since_surfaced")
    assert hours is not None
    en, fr = (Interview(rb, lang, {}, output=DummyOutput()) for lang in ("en", "fr"))
    assert en._refusal(hours, "-1", ValueError("'-1' is too small")) == "'-1' is too small; allowed: a number >= 0"
    assert fr._refusal(hours, "-1", ValueError("x")) == "«\u00a0-1\u00a0»\u00a0: saisissez un nombre ≥ 0"


def test_choice_help_has_no_english_prefix(rb: RuleBase) -> None:
    import questionary
    from questionary.prompts.common import InquirerControl

    q = questionary.select("?", choices=[questionary.Choice("A", value="a", description="Aide")],
                           output=DummyOutput())
    interview._plain_descriptions(q)
    control = next(w.content for w in q.application.layout.find_all_windows()
                   if isinstance(w.content, InquirerControl))
    text = "".join(t[1] for t in control.text())
    assert "Aide" in text and "Description" not in text


# -- the CLI around the interview ---------------------------------------------------------------


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, keys: Any) -> Any:
    """Make `playbook triage` believe it runs on a terminal whose keys are `send(...)`."""
    monkeypatch.setattr(cli_triage, "on_terminal", lambda: True)
    real = interview.run_interview

    real_facts = interview.ask_facts

    def send(*chunks: str, facts: tuple[str, ...] = ()) -> None:
        pipe = keys(*chunks, *facts)
        monkeypatch.setattr(interview, "run_interview",
                            lambda *a, **k: real(*a, **k, input=pipe, output=DummyOutput()))
        monkeypatch.setattr(interview, "ask_facts",
                            lambda *a, **k: real_facts(*a, **k, input=pipe, output=DummyOutput()))

    return send


def test_cli_asks_the_facts_the_drafts_quote_after_the_interview(runner: CliRunner, terminal: Any,
                                                                 complete: dict[str, Any]) -> None:
    given = {k: v for k, v in complete.items() if k != "reach"}
    facts = ("We broke a customer's guitar and his video about it is spreading." + ENTER,) + (ENTER,) * 12
    terminal(DOWN * 3 + ENTER, DECIDE, facts=facts)
    result = runner.invoke(cli.app, ["triage", "-a", "-", "-f", "json"], input=json.dumps(given))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["answers"]["public_summary"] == "We broke a customer's guitar and his video about it is spreading."
    assert "A few facts for the drafts" in result.stderr
    statement = next(d for d in doc["drafts"] if d["kind"] == "statement")
    assert "We broke a customer's guitar" in statement["text"]
    assert "public_summary" not in statement["placeholders"] and statement["placeholders"]  # the rest skipped


def test_cli_interview_then_json_on_stdout(runner: CliRunner, terminal: Any, complete: dict[str, Any]) -> None:
    terminal(DOWN * 3 + ENTER, DECIDE, facts=(ENTER,) * 12)  # every fact for the drafts skipped
    given = {k: v for k, v in complete.items() if k != "reach"}
    result = runner.invoke(cli.app, ["triage", "-a", "-", "-f", "json"], input=json.dumps(given))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answers"]["reach"] == "viral"


def test_cli_ctrl_c_exits_130_then_resume_decides_and_forgets(runner: CliRunner, terminal: Any, _home: Path,
                                                              complete: dict[str, Any]) -> None:
    given = {k: v for k, v in complete.items() if k not in ("harm", "crisis_history")}
    terminal(ENTER, CTRL_C)
    result = runner.invoke(cli.app, ["triage", "-a", "-", "-f", "json"], input=json.dumps(given))
    assert result.exit_code == 130
    assert result.stdout == ""
    assert "playbook: error: interrupted; answers so far (14) kept in" in result.stderr
    assert "continue with: playbook triage --resume" in result.stderr
    terminal("y" + ENTER, DECIDE, facts=(ENTER,) * 12)
    result = runner.invoke(cli.app, ["triage", "--resume", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answers"] == {**given, **DEFAULTS, "harm": "none", "crisis_history": True}
    assert not (_home / "interview.json").exists()


def test_cli_resume_without_a_saved_interview(runner: CliRunner, _home: Path) -> None:
    result = runner.invoke(cli.app, ["triage", "--resume"])
    assert result.exit_code == 2
    assert result.stderr == (f"playbook: error: --resume: no interrupted interview to resume "
                             f"(looked for {_home / 'interview.json'})\n")


def test_cli_resume_validates_the_saved_answers(runner: CliRunner, _home: Path) -> None:
    resume.save({"reach": "virall"})
    result = runner.invoke(cli.app, ["triage", "--resume"])
    assert result.exit_code == 2
    assert f"{_home / 'interview.json'}: 'reach': 'virall' is not allowed (did you mean 'viral'?)" in result.stderr


def test_cli_resume_without_a_terminal_lists_what_is_missing(runner: CliRunner, complete: dict[str, Any]) -> None:
    resume.save({k: v for k, v in complete.items() if k != "harm"})
    result = runner.invoke(cli.app, ["triage", "--resume"])
    assert result.exit_code == 2
    assert "1 answer(s) missing and no terminal to ask them on:" in result.stderr
    assert resume.saved_path().exists()  # no decision yet: nothing is forgotten


def test_cli_ask_needs_a_terminal_and_a_known_id(runner: CliRunner, complete: dict[str, Any]) -> None:
    stdin = json.dumps(complete)
    result = runner.invoke(cli.app, ["triage", "-a", "-", "--ask", "reach"], input=stdin)
    assert result.exit_code == 2
    assert result.stderr == ("playbook: error: --ask reach: no terminal to ask on; "
                             "give the answer with --set reach=VALUE\n")
    result = runner.invoke(cli.app, ["triage", "-a", "-", "--ask", "reech"], input=stdin)
    assert result.exit_code == 2
    assert "--ask reech: unknown question id (did you mean 'reach'?); known ids: summary, " in result.stderr


def test_saved_interview_errors(_home: Path) -> None:
    _home.mkdir()
    (_home / "interview.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(Exception, match=r"interview.json:1:2: saved interview is not valid JSON"):
        resume.load()
    (_home / "interview.json").write_text("[]", encoding="utf-8")
    with pytest.raises(Exception, match="saved interview has no 'answers' mapping"):
        resume.load()
    resume.discard()
    resume.discard()  # forgetting twice is fine
    assert list(_home.iterdir()) == []


# -- `playbook triage` through the entry point: the fast path, without the CLI framework ---------


def run_main(*args: str) -> int:
    from playbook.__main__ import main

    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def entry_terminal(terminal: Any) -> Any:
    return terminal


def test_plain_triage_decides_as_with_set(entry_terminal: Any, capsys: pytest.CaptureFixture[str]) -> None:
    entry_terminal(*OWN_CONTENT, DECIDE, facts=(ENTER,) * 12)  # the facts for the drafts, skipped
    assert run_main("triage") == 0
    interviewed = capsys.readouterr()
    assert "Your answers" in interviewed.err and "Triage decision — Our ad mocked nurses" in interviewed.out
    sets = ["summary=Our ad mocked nurses", "origin=own_content", "reach=growing", "influential_author=false",
            "media_interest=false", "at_fault=yes", "harm=none", "facts_known=yes", "expectation=apology",
            "public_aware=true", "sensitive_context=false", "prior_statement=false", "crisis_history=false",
            "hours_since_surfaced=2.5"]
    assert run_main("triage", *(a for s in sets for a in ("--set", s))) == 0
    assert capsys.readouterr().out == interviewed.out


def test_plain_triage_interrupted(entry_terminal: Any, capsys: pytest.CaptureFixture[str]) -> None:
    entry_terminal("Our ad" + ENTER, CTRL_C)
    assert run_main("triage") == 130
    err = capsys.readouterr().err
    assert "playbook: error: interrupted; answers so far (1) kept in" in err
    assert err.endswith("continue with: playbook triage --resume\n")


def test_plain_triage_leaves_rule_base_errors_to_the_cli(entry_terminal: Any, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLAYBOOK_RULES", str(tmp_path / "nowhere"))
    assert run_main("triage") == 3
    assert capsys.readouterr().err == f"playbook: error: {tmp_path / 'nowhere'}: rules directory not found\n"
