"""The case library as a test bed for the drafts: every incident's decision, computed by the
engine from its answers, then drafted in both languages, without and with the facts for the
drafts (tests/drafting/facts.yaml: written per case, or per situation for the other cases).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from playbook.core.engine import Engine
from playbook.core.model import Decision, RuleBase
from playbook.drafting import profile as profile_mod
from playbook.drafting.compose import Composer
from playbook.rulebase.library import LibraryCase, load_library
from tests.helpers import ROOT

CASES_DIR = ROOT / "tests" / "decisions" / "cases"
FACTS_FILE = Path(__file__).parent / "facts.yaml"
LANGS = ("en", "fr")
PUBLIC_KINDS = ("public_reply", "moderation_notice", "holding_statement", "statement", "press_line")
# Every fact for the drafts, for tests that need them all given (no placeholder may be left).
ALL_FACTS = {
    "en": {"public_summary": "On Tuesday evening our app was unavailable for three hours.",
           "actions_taken": "We have restored the service.",
           "next_change": "By 30 June, every update will be tested first.",
           "instructions": "Check in at the airport desks in the meantime.",
           "who_died": "a passenger", "investigator": "Hale & Partners, an independent law firm",
           "authority_notified": "the Information Commissioner's Office on 4 May",
           "confidential_contact": "Claire Dobson (speakup@hale.example)",
           "consequences": "Someone could use your address to send you fake messages in our name.",
           "dpo_contact": "dpo@harbourline.example",
           "claim": "that we are closing our Leeds base", "truth": "Our Leeds base is hiring 40 people this year.",
           "evidence_url": "https://www.harbourline.example/facts", "author_name": "Dave",
           "next_update_at": "at 6 pm today"},
    "fr": {"public_summary": "Mardi soir, notre application a été indisponible pendant trois heures.",
           "actions_taken": "Nous avons rétabli le service.",
           "next_change": "D'ici le 30 juin, chaque mise à jour sera d'abord testée.",
           "instructions": "En attendant, enregistrez-vous aux comptoirs de l'aéroport.",
           "who_died": "une passagère", "investigator": "le cabinet d'avocats indépendant Hale & Associés",
           "authority_notified": "la CNIL le 4 mai", "confidential_contact": "Claire Dobson (alerte@hale.example)",
           "consequences": "Quelqu'un pourrait utiliser votre adresse pour vous envoyer de faux messages en notre nom.",
           "dpo_contact": "dpo@harbourline.example",
           "claim": "que nous fermons notre base de Leeds",
           "truth": "Notre base de Leeds recrute 40 personnes cette année.",
           "evidence_url": "https://www.harbourline.example/faits", "author_name": "Julie",
           "next_update_at": "aujourd'hui à 18 h"},
}


@dataclass(frozen=True)
class Drafted:
    """One case's drafts in one language, without (`facts=False`) or with the facts for the drafts."""

    case: LibraryCase
    lang: str
    facts: bool
    answers: Mapping[str, Any]
    decision: Decision
    situation: str
    drafts: list[dict[str, Any]]


class Library:
    """The library's cases, their decisions and their drafts, computed once per test session."""

    def __init__(self, rb: RuleBase) -> None:
        self.rb = rb
        self.cases = {c.id: c for c in load_library(rb, CASES_DIR)}
        self.engine = Engine(rb)
        self.profile = profile_mod.load(rb, use_cache=False)
        self.composers = {lang: Composer(rb, self.profile, lang) for lang in LANGS}
        self.facts = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
        self._decisions: dict[str, Decision] = {}

    def answers(self, case_id: str) -> dict[str, Any]:
        return {**self.rb.case_defaults, **self.cases[case_id].answers}

    def decision(self, case_id: str) -> Decision:
        if case_id not in self._decisions:
            self._decisions[case_id] = self.engine.decide(self.answers(case_id))
        return self._decisions[case_id]

    def situation(self, case_id: str) -> str:
        return self.composers["en"].situation(self.answers(case_id))

    def facts_for(self, case_id: str, lang: str) -> dict[str, str]:
        """The case's own facts, else its situation's."""
        if case_id in self.facts["cases"]:
            return dict(self.facts["cases"][case_id][lang] or {})
        return dict(self.facts["situations"].get(self.situation(case_id), {}).get(lang) or {})

    def draft(self, case_id: str, lang: str, facts: bool | Mapping[str, str] = False) -> Drafted:
        answers = self.answers(case_id)
        if facts is True:
            answers.update(self.facts_for(case_id, lang))
        elif facts:
            answers.update(facts)
        decision = self.decision(case_id)
        drafts = self.composers[lang].compose(answers, decision)
        return Drafted(self.cases[case_id], lang, bool(facts), answers, decision, self.situation(case_id), drafts)

    def every(self) -> Iterator[Drafted]:
        """Every case, both languages, without and with its facts."""
        for case_id in self.cases:
            for lang in LANGS:
                for facts in (False, True):
                    yield self.draft(case_id, lang, facts)
