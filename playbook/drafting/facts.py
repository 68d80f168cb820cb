"""The facts the drafts quote: the user's words where given, a visible placeholder where not.

Nothing is invented: a draft states only what it was told (`public_summary`, `actions_taken`,
`claim`, `truth`, …). A fact not given shows as its placeholder in the draft's language
(`[what we have done]`), which the `placeholder` check reports as an error, so a draft that
still needs filling in cannot pass for a finished one. Two facts have defaults: where to check
(`evidence_url`: the profile's web page) and when the next update comes (`next_update_at`:
the decision's cadence). User text inserted into a French draft gets French typography.

Facts written in another language than the drafts are reported, not silently mixed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from playbook.core.model import Question, RuleBase
from playbook.core.text import french_typography
from playbook.rulebase import regexes

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

# Words frequent in one language and rare in the other: enough to tell English from French
# in a sentence or two, which is all a fact is.
_MARKERS = {
    "en": frozenset({
        "the", "and", "of", "to", "is", "are", "was", "were", "we", "our", "you", "your", "have", "has",
        "will", "with", "for", "this", "that", "what", "it", "on", "at", "by", "from", "not", "be", "been",
        "they", "their", "people",
    }),
    "fr": frozenset({
        "le", "la", "les", "et", "des", "du", "de", "un", "une", "est", "sont", "nous", "notre", "nos",
        "vous", "votre", "avons", "avez", "sera", "pour", "avec", "ce", "cette", "qui", "que", "pas", "sur",
        "dans", "au", "aux", "ont", "été", "personnes",
    }),
}
_WORD = regexes.compile(r"[a-zàâçéèêëîïôûùüÿœ']+", re.IGNORECASE)


def fact_questions(rb: RuleBase) -> list[Question]:
    return [q for q in rb.questions if q.optional]


def fact_context(rb: RuleBase, answers: Mapping[str, Any], lang: str, defaults: Mapping[str, str]) -> dict[str, Any]:
    """Each fact's text for the templates (the user's, a default, or the placeholder), and `given`."""
    context: dict[str, Any] = {}
    given = []
    for q in fact_questions(rb):
        value = answers.get(q.id)
        if isinstance(value, str) and value.strip():
            given.append(q.id)
            text = " ".join(value.split())
            context[q.id] = french_typography(text) if lang == "fr" else text
        elif defaults.get(q.id):
            context[q.id] = defaults[q.id]
        else:
            context[q.id] = q.placeholder.get(lang) if q.placeholder else f"[{q.id}]"
    context["given"] = given
    return context


def placeholders_in(rb: RuleBase, text: str, lang: str) -> list[str]:
    """The facts whose placeholder is left in a draft, in interview order."""
    return [q.id for q in fact_questions(rb) if q.placeholder and q.placeholder.get(lang) in text]


def language_of(text: str) -> str | None:
    """'en' or 'fr' when the text says so clearly, else None (too short, a name, a URL)."""
    words = [w.lower().strip("'") for w in _WORD.findall(text)]
    scores = {lang: sum(w in markers for w in words) for lang, markers in _MARKERS.items()}
    best = max(scores, key=lambda k: scores[k])
    other = min(scores, key=lambda k: scores[k])
    if scores[best] >= 2 and scores[best] >= 2 * max(scores[other], 1):
        return best
    return None


def foreign_facts(rb: RuleBase, answers: Mapping[str, Any], lang: str) -> list[str]:
    """The facts given in another language than the drafts'."""
    out = []
    for q in fact_questions(rb):
        value = answers.get(q.id)
        if isinstance(value, str) and (found := language_of(value)) is not None and found != lang:
            out.append(q.id)
    return out


def needed(rb: RuleBase, quoted: Sequence[str], answers: Mapping[str, Any]) -> list[str]:
    """The facts the drafts quote and the user has not given, in interview order."""
    wanted = set(quoted)
    return [q.id for q in fact_questions(rb) if q.id in wanted and not answers.get(q.id)]
