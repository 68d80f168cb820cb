"""One message, inside and out: what new drafts keep from the messages already approved.

An incident's record passes its approved messages to the drafts (`Approved`): the staff
briefing repeats the approved public reply word for word (`key_line`), a new statement says
what changed since the last approved one, and `contradictions` flags a draft that denies what
an approved message admitted, or admits what one denied.

Pure: texts in, findings out. The stance of a text is found by phrases per language — admitting
(an apology, taking the blame) and denying (not our fault, not true). An admitting phrase
after a negation in its sentence ("this is not our fault") denies; phrases inside quotation
marks are reported speech and take no stance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from playbook.core.record import field, record
from playbook.drafting.checks import Finding, normalise
from playbook.drafting.scope import Scope
from playbook.rulebase import regexes

CHECK = "contradicts_approved"
ADMIT = {
    "en": (r"we(?:'re| are) (?:so |truly |deeply |very )?sorry", r"we (?:sincerely )?apologi[sz]e",
           r"our apologies", r"(?:our|my) (?:own )?fault", r"(?:this|that|it)(?: is|'s| was) on us",
           r"we got (?:this|it|that) wrong", r"we (?:take|accept) (?:full |complete )?responsibility",
           r"(?:our|my) mistake", r"we made a mistake", r"we were wrong", r"we messed up"),
    "fr": (r"nous (?:sommes|sommes sinc[èe]rement|sommes vraiment) d[ée]sol[ée]e?s",
           r"nous (?:vous )?pr[ée]sentons (?:toutes )?nos excuses", r"nous nous excusons", r"notre faute",
           r"notre erreur", r"nous (?:assumons|prenons) (?:l'enti[èe]re |toute la |notre )?responsabilit[ée]",
           r"nous nous sommes tromp[ée]s", r"nous avons commis une erreur"),
}
DENY = {
    "en": (r"we(?: are|'re| were) not responsible", r"we(?: are|'re| were)n't responsible",
           r"we did nothing wrong", r"no wrongdoing", r"not to blame",
           r"(?:this|that|it|the claim|that claim|this claim)(?: is|'s| was) (?:not true|untrue|false)",
           r"(?:this|that|it) (?:isn't|wasn't) true", r"(?:that|this) claim is false",
           r"we (?:deny|reject) (?:this|that|these|the)", r"nothing to apologi[sz]e for"),
    "fr": (r"nous ne sommes pas responsables", r"nous n'y sommes pour rien", r"c'est faux",
           r"(?:cette|l') affirmation est fausse", r"(?:ce n'est|c'est) pas vrai", r"nous d[ée]mentons",
           r"nous n'avons rien fait de mal", r"rien [àa] nous reprocher"),
}
NEGATION = {
    "en": regexes.compile(r"(?<!\w)(?:not|never|no one's|nobody's|no)(?!\w)|\w+n't(?!\w)", re.IGNORECASE),
    "fr": regexes.compile(r"(?<!\w)(?:ne|pas|jamais|aucune?)(?!\w)|(?<!\w)n'", re.IGNORECASE),
}
MESSAGES = {
    "en": {
        "deny": "This denies what the approved message {label} admitted (“{said}”).",
        "admit": "This admits what the approved message {label} denied (“{said}”).",
        "suggestion": "Keep to the approved line; if the facts have changed, say so openly: what we said, what "
                      "we now know, and why.",
    },
    "fr": {
        "deny": "Ceci nie ce que le message approuvé {label} reconnaissait (« {said} »).",
        "admit": "Ceci reconnaît ce que le message approuvé {label} niait (« {said} »).",
        "suggestion": "Tenez-vous-en au message approuvé\u00a0; si les faits ont changé, dites-le clairement\u00a0: "
                      "ce que nous avons dit, ce que nous savons maintenant, et pourquoi.",
    },
}


@record
class Approved:
    """Messages of an incident already approved, for the drafts written after them.

    `texts`: kind → the approved text (the latest of each kind); `labels`: kind → how findings
    name it (`D3, approved 14:05`); `since_statement`: the facts changed since the last
    approved statement (a new one says what changed).
    """

    texts: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    since_statement: bool = False


def key_line(approved: Approved, sign_off: str) -> str:
    """The approved public reply without its sign-off: the line everyone repeats ('' if none)."""
    text = approved.texts.get("public_reply", "").strip()
    if sign_off and text.endswith(sign_off):
        text = text[: -len(sign_off)].rstrip()
    return " ".join(text.split())


def stance(text: str, lang: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans of a text that admit, and those that deny."""
    lang = lang if lang in ADMIT else "en"
    normal = normalise(text)
    scope = Scope(normal)
    negation = NEGATION[lang]
    admits: list[tuple[int, int]] = []
    denies: list[tuple[int, int]] = []
    for pattern in ADMIT[lang]:
        for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", normal, re.IGNORECASE):
            if scope.quoted(*m.span()):
                continue
            before = scope.before(m.start())
            negations = list(negation.finditer(before))
            if negations:  # "not our fault": the denial spans from its negation
                denies.append((m.start() - len(before) + negations[-1].start(), m.end()))
            else:
                admits.append(m.span())
    for pattern in DENY[lang]:
        for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", normal, re.IGNORECASE):
            if not scope.quoted(*m.span()):
                denies.append(m.span())
    return sorted(admits), sorted(denies)


def contradictions(approved: Approved, text: str, lang: str) -> list[Finding]:
    """A finding where `text` takes the opposite stance of an approved message."""
    lang = lang if lang in MESSAGES else "en"
    words = MESSAGES[lang]
    admits, denies = stance(text, lang)
    found: dict[tuple[int, int], Finding] = {}
    for kind, said in approved.texts.items():
        was_admits, was_denies = stance(said, lang)
        label = approved.labels.get(kind, kind)
        for mine, theirs, key in ((denies, was_admits, "deny"), (admits, was_denies, "admit")):
            if mine and theirs and mine[0] not in found:
                start, end = mine[0]
                quote = said[theirs[0][0]:theirs[0][1]]
                found[mine[0]] = Finding(CHECK, "error", start, end, text[start:end],
                                         words[key].format(label=label, said=quote), words["suggestion"])
    return sorted(found.values(), key=lambda f: f.start)


def contradicts(approved_texts: Sequence[str], text: str, lang: str) -> bool:
    """Does `text` contradict any of the approved texts? (for tests and scripts)"""
    return bool(contradictions(Approved({str(i): t for i, t in enumerate(approved_texts)}), text, lang))
