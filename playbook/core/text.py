"""Texts in every supported language, where rule-base items are written, and French typography.

The lowest module of the core: the model, the drafting model and the renderers all use it.
"""

from __future__ import annotations

import re

from playbook.core.record import record

LANGS = ("en", "fr")


@record
class Text:
    """A text in every supported language."""

    en: str
    fr: str

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@record
class Where:
    """Where an item of the rule base is defined (for messages and `rules explain`)."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def french_typography(source: str) -> str:
    """Non-breaking spaces before `: ; ! ?` and inside « », in a template's literal text only.

    Rule authors type ordinary spaces; tags (`{{ }}`, `{% %}`) and the data they insert at
    render time are left alone, so user text is never altered.
    """
    pieces = re.split(r"({{.*?}}|{%.*?%}|{#.*?#})", source, flags=re.S)
    for i in range(0, len(pieces), 2):
        text = re.sub(r" ([;!?])", "\u202f\\1", pieces[i])
        text = re.sub(r" :(?=\s|$)", "\u00a0:", text)
        pieces[i] = text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    return "".join(pieces)
