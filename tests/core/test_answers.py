"""Answers from files, stdin and --set are validated the same way, with located messages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.cli.answers_file import parse_answers
from playbook.core.answers import RawAnswers, parse_set, require_complete, validate
from playbook.core.model import RuleBase
from playbook.errors import AnswersError, MissingAnswersError


def errors_of(rb: RuleBase, text: str, label: str = "a.yaml") -> str:
    with pytest.raises(AnswersError) as info:
        validate(rb, parse_answers(text, label))
    return str(info.value)


def test_unknown_id_with_did_you_mean(rb: RuleBase) -> None:
    message = errors_of(rb, "reech: viral\n")
    assert message.startswith(
        "a.yaml:1:8: unknown answer id 'reech' (did you mean 'reach'?); known ids: summary,"
    )


def test_bad_value_names_the_place_and_the_allowed_values(rb: RuleBase) -> None:
    message = errors_of(rb, "origin: data_breach\nreach: virall\n")
    assert message == ("a.yaml:2:8: 'reach': 'virall' is not allowed (did you mean 'viral'?); "
                       "allowed values: none, low, growing, viral")


def test_wrong_types(rb: RuleBase) -> None:
    message = errors_of(rb, "hours_since_surfaced: soon\nmedia_interest: 3\nreach: [viral]\n")
    lines = message.splitlines()
    assert "a.yaml:1:23: 'hours_since_surfaced': 'soon' is not a number; allowed values: a number >= 0" in lines
    assert ("a.yaml:2:17: 'media_interest': '3' is not a yes/no answer; "
            "allowed values: true, false (or yes, no)") in lines
    assert any(line.startswith("a.yaml:3:8: 'reach': a list is not allowed") for line in lines)


def test_negative_number_is_refused(rb: RuleBase) -> None:
    assert "'-2' is too small" in errors_of(rb, "hours_since_surfaced: -2\n")


def test_json_errors_are_located_lazily(rb: RuleBase) -> None:
    message = errors_of(rb, '{"origin": "data_breach",\n "reach": "virall"}', "in.json")
    assert message.startswith("in.json:2:11: 'reach': 'virall' is not allowed")


def test_bad_json_and_bad_yaml(rb: RuleBase) -> None:
    with pytest.raises(AnswersError, match=r"^in.json:1:11: invalid JSON: Expecting"):
        parse_answers('{"reach": viral}', "in.json")
    with pytest.raises(AnswersError, match=r"^a.yaml:2:1: invalid YAML"):
        parse_answers("reach: [\n", "a.yaml")
    with pytest.raises(AnswersError, match="expected a mapping of answer ids to values"):
        parse_answers("- reach\n", "a.yaml")


def test_yes_no_and_true_false_are_both_accepted(rb: RuleBase) -> None:
    answers = validate(rb, parse_answers("media_interest: yes\npublic_aware: 'no'\nat_fault: yes\n", "a"))
    assert answers.values["media_interest"] is True
    assert answers.values["public_aware"] is False
    assert answers.values["at_fault"] == "yes"
    from_flags = validate(rb, parse_set(["media_interest=Yes", "public_aware=false", "hours_since_surfaced=1.5"]))
    assert dict(from_flags.values) == {"media_interest": True, "public_aware": False, "hours_since_surfaced": 1.5,
                                       "prior_reputation": "neutral", "out_of_hours": False}  # and the defaults


def test_set_overrides_file_and_names_itself_in_errors(rb: RuleBase) -> None:
    raw = parse_answers("reach: low\n", "a.yaml").update(parse_set(["reach=viral"]))
    assert validate(rb, raw).values["reach"] == "viral"
    with pytest.raises(AnswersError, match=r"^--set reach=loud: 'reach': 'loud' is not allowed"):
        validate(rb, parse_answers("reach: low\n", "a.yaml").update(parse_set(["reach=loud"])))
    with pytest.raises(AnswersError, match="expected id=value"):
        parse_set(["reach"])


def test_answers_to_questions_that_do_not_apply_are_kept_apart(rb: RuleBase, complete: dict[str, Any]) -> None:
    complete.update(origin="data_breach", promotions_scheduled=True)
    answers = validate(rb, parse_answers(json.dumps(complete), "a"))
    assert answers.not_applicable == {"author": "unhappy_customer", "promotions_scheduled": True}
    assert "author" not in answers.values
    assert answers.missing == ()


def test_missing_answers_list_each_id_with_allowed_values(rb: RuleBase) -> None:
    answers = validate(rb, parse_answers("origin: hostile_campaign\nreach: none\n", "a"))
    assert "author" in answers.missing
    assert "expectation" not in answers.missing  # reach none: nobody to answer yet
    with pytest.raises(MissingAnswersError) as info:
        require_complete(rb, answers)
    text = str(info.value)
    assert "  author: unhappy_customer, misinformed, ranter, troll, abuser, journalist, insider" in text
    assert "  hours_since_surfaced: a number >= 0" in text
    assert info.value.exit_code == 2


def test_conditional_question_is_listed_with_its_condition_when_undecided(rb: RuleBase) -> None:
    answers = validate(rb, parse_answers("summary: x\n", "a"))
    with pytest.raises(MissingAnswersError) as info:
        require_complete(rb, answers)
    assert "author: unhappy_customer" in str(info.value)
    assert "(asked when origin in [customer_complaint" in str(info.value)


# -- the planned validation is the plain one, faster ----------------------------------------------

def reference_validate(rb: Any, raw: Any) -> Any:
    """Validation as written first: every condition by `partial`, every answer by `coerce`."""
    from playbook.core.answers import coerce, partial
    from playbook.core.model import Answers
    from playbook.errors import AnswersError

    ids = [q.id for q in rb.questions]
    errors = [f"unknown {k}" for k in raw.values if k not in ids]
    values: dict[str, Any] = {}
    not_applicable: dict[str, Any] = {}
    missing: list[str] = []
    defaulted: list[str] = []
    known: dict[str, Any] = {}
    for q in rb.questions:
        applies = partial(q.when, known)
        if applies is False:
            known[q.id] = None
        if q.id in raw.values:
            try:
                value = coerce(q, raw.values[q.id])
            except ValueError as exc:
                errors.append(f"{q.id}: {exc}")
                continue
            if applies is False:
                not_applicable[q.id] = value
            else:
                values[q.id] = known[q.id] = value
        elif q.optional:
            continue
        elif q.default is not None:
            if applies:
                values[q.id] = known[q.id] = q.default
                defaulted.append(q.id)
        elif applies is not False:
            missing.append(q.id)
    if errors:
        raise AnswersError(errors)
    return Answers(values, not_applicable, tuple(missing), tuple(defaulted))


ODD_VALUES = [None, True, False, 0, 1, 1.0, -1, 0.5, 1e300, float("nan"), float("inf"), 10**30, "", " ", "yes",
              "no", "true", " viral", "viral ", "A sentence.", " padded ", "tab\there", "é accent", "\ud800",
              "x" * 5001, [], {}, "12", "3.5"]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_planned_validation_equals_the_plain_one(rb: Any, data: st.DataObject) -> None:
    answers: dict[str, Any] = {}
    for q in rb.questions:
        choice = data.draw(st.integers(0, 3))
        if choice == 0:
            continue
        if choice == 1 and q.type == "select":
            answers[q.id] = data.draw(st.sampled_from(q.values))
        elif choice == 1 and q.type == "confirm":
            answers[q.id] = data.draw(st.booleans())
        else:
            answers[q.id] = data.draw(st.sampled_from(ODD_VALUES))
    raw = RawAnswers(answers, {}, "test")
    try:
        expected = reference_validate(rb, raw)
    except AnswersError:
        with pytest.raises(AnswersError):
            validate(rb, raw)
        return
    got = validate(rb, raw)
    assert got == expected
    assert [type(v) for v in got.values.values()] == [type(v) for v in expected.values.values()]
