"""A batch line is the document, to the byte: the remembered pieces never drift from it."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from playbook.api import Playbook
from playbook.core.answers import RawAnswers, validate
from playbook.core.model import RuleBase
from playbook.render.jsonline import encode_line
from playbook.rulebase.library import load_library
from tests.decisions.test_case_library import CASES

NUMBERS = [0, 0.5, 1, 1.0, 2, 3, 3.0, 6, 12, 24, 48, 200]


def random_answers(rb: RuleBase, rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in rb.questions:
        if q.stage != "triage" and rng.random() < 0.7:
            continue
        if q.type == "select":
            out[q.id] = rng.choice(q.values)
        elif q.type == "confirm":
            out[q.id] = rng.random() < 0.5
        elif q.type == "number":
            out[q.id] = rng.choice(NUMBERS)  # 1 and 1.0 are equal keys but not the same JSON
        else:
            out[q.id] = rng.choice(["Something happened.", "« Un incident » — \u2028 ligne", "x" * 300])
    return out


@pytest.mark.parametrize(("lang", "drafts"), [("en", False), ("fr", False), ("en", True), ("fr", True)])
def test_lines_are_the_documents(lang: str, drafts: bool) -> None:
    pb = Playbook(lang=lang, drafts=drafts)
    rng = random.Random(f"{lang}{drafts}")
    n = 300 if drafts else 3000
    for i in range(n):  # enough for the memories to be hit many times, with the same and other values
        answers = validate(pb.rulebase, RawAnswers(random_answers(pb.rulebase, rng), {}, "test"))
        if answers.missing:
            continue
        expected = encode_line({**pb.decide(answers), "line": i})
        assert pb.decide_line(answers, f',"line":{i}') == expected


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_case_library_in_lines(lang: str) -> None:
    pb = Playbook(lang=lang)
    for case in load_library(pb.rulebase, CASES):
        answers = validate(pb.rulebase, RawAnswers({**pb.rulebase.case_defaults, **case.answers}, {}, case.id))
        assert json.loads(pb.decide_line(answers)) == pb.decide(answers)
        assert pb.decide_line(answers) == encode_line(pb.decide(answers))
