"""The drafting part of the rule base: draft kinds, their parts, channel limits and checks.

`rules/drafts.yaml` and `rules/checks.yaml` hold four list sections, merged by id like every
other section (`--rules DIR` overlays them entry by entry):

- `drafts`          the kinds of draft (public reply, holding statement, ...): when the
                    decision calls for each, which channel it goes to, and its parts in order;
- `draft_parts`     the parts: a Jinja2 template in English and in French, when the part is
                    included, and whether it is required or may be dropped to fit a channel;
- `channel_limits`  the channels and their character limits;
- `checks`          the antipatterns `playbook check` flags, as patterns per language.

Conditions read the decision's outputs and the answers as data (`strategy: apologize` holds
when the strategy contains it), plus two context flags: `sensitive` and `facts_unknown`.
This module is the model, light enough for every triage; `rulebase.draft_sections` and
`rulebase.check_sections` validate the YAML with `file:line:col` (only when the rule base is
rebuilt).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from playbook.core.conditions import Always, Condition
from playbook.core.record import field, record
from playbook.core.text import Text, Where

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

SECTIONS = ("situations", "drafts", "draft_parts", "channel_limits", "checks")
MAPPING_SECTIONS = ("check_language",)  # merged key by key, like `outputs`
SITUATION = "situation"  # the name draft conditions test the situation by; "general" when none matches
CONTEXT_FLAGS = ("sensitive", "facts_unknown")
LEVELS = ("error", "warning", "info")
PUBLIC = "public"  # a kind's channel: the public channel chosen with --channel


_URL = re.compile(r"https?://\S+")


@record
class Channel:
    """Where a draft is posted, and how many characters fit (None: no limit).

    `url_length`: the channel counts every link as this many characters (X: 23).
    """

    id: str
    label: Text
    limit: int | None
    aliases: tuple[str, ...] = ()
    default: bool = False
    url_length: int | None = None

    def length(self, text: str) -> int:
        """The text's length as the channel counts it."""
        if self.url_length is None:
            return len(text)
        return len(_URL.sub("", text)) + self.url_length * len(_URL.findall(text))


@record
class DraftPart:
    """One sentence or paragraph of a draft: a template per language and when it applies."""

    id: str
    text: Text  # Jinja2 sources, French typography already applied
    when: Condition = field(default_factory=Always)
    required: bool = False
    drop: int | None = None  # optional parts with a lower number are dropped first
    where: Where | None = None
    facts: tuple[str, ...] = ()  # the drafting facts its templates quote (asked when it is written)


@record
class Situation:
    """What kind of incident the drafts speak to (a recall, a breach, an allegation…).

    Situations are tried in order; the first whose condition holds is the incident's, so that
    each situation has its own words and two different incidents never read the same.
    """

    id: str
    label: Text
    when: Condition
    where: Where | None = None


@record
class DraftKind:
    """A kind of draft: when the decision calls for it, its channel, its paragraphs of parts."""

    id: str
    title: Text
    when: Condition
    channel: str  # a channel id, or PUBLIC: the one chosen with --channel
    paragraphs: tuple[tuple[str, ...], ...]
    where: Where | None = None


@record
class Matcher:
    """One check's patterns in one language, ready to search (computed when the rule base is built).

    Anchored patterns run only when one anchor of each of their two most selective groups
    occurs in the draft; `rest` (patterns without anchors) always runs, as one expression.
    """

    anchored: tuple[tuple[tuple[str, ...], tuple[str, ...], Sources], ...]  # anchors, anchors, regex
    rest: Sources | None
    index: Mapping[str, tuple[int, ...]]  # an anchor of the first group -> the anchored patterns it lets run


# A check's regular expression, as written (matched ignoring case) and for lowercased text
# (None: the same).
Sources = tuple[str, str | None]


@record
class AnchorIndex:
    """Every anchor of a language's checks as one regular expression (a trie, tried at each
    position) and, for the anchors that begin with other anchors, those (found at the same place)."""

    source: str
    starts: Mapping[str, tuple[str, ...]]


@record
class Check:
    """An antipattern: patterns per language; `absent` flags a text where none matches."""

    id: str
    level: str
    message: Text
    suggestion: Text
    patterns: Mapping[str, tuple[str, ...]]
    when: tuple[str, ...] = ()  # context flags that must all hold
    absent: bool = False
    examples: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    where: Where | None = None
    negatable: bool = False  # a negation before the match, in its clause, voids it ("wasn't anyone's fault")
    unless: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # phrases before it that void it
    quoted: bool = False  # also flag it inside quotation marks (reported or rejected speech is left alone)
    unless_after: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # phrases after it that void it
    matchers: Mapping[str, Matcher] = field(default_factory=dict)  # lang -> its patterns, ready to search


@record
class CheckLanguage:
    """What the checks know of a language: the cues that negate what follows them."""

    negation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # lang -> phrase patterns
    # lang -> family name -> its forms: `{name}` in a pattern stands for any of them
    words: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    recall: float = 0.95  # `check --eval` fails below: recall on error-level problems
    false_alarm_rate: float = 0.03  # and above: good drafts with an error-level finding


@record
class DraftBase:
    kinds: tuple[DraftKind, ...] = ()
    parts: Mapping[str, DraftPart] = field(default_factory=dict)
    channels: Mapping[str, Channel] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    situations: tuple[Situation, ...] = ()
    language: CheckLanguage = field(default_factory=CheckLanguage)
    anchors: Mapping[str, AnchorIndex] = field(default_factory=dict)  # lang -> all its checks' anchors

    def channel(self, name: str) -> Channel | None:
        """A channel by id or alias (`x` is `twitter`)."""
        name = name.strip().lower()
        for ch in self.channels.values():
            if name == ch.id or name in ch.aliases:
                return ch
        return None

    @property
    def default_channel(self) -> str:
        return next((c.id for c in self.channels.values() if c.default), next(iter(self.channels), "web"))


def draft_facts(answers: Mapping[str, Any], outputs: Mapping[str, Any]) -> dict[str, Any]:
    """What draft and part conditions read: answers, outputs (lists as `field:value` flags), context."""
    facts = dict(answers)
    for fid, value in outputs.items():
        if isinstance(value, tuple | list):
            facts.update((f"{fid}:{v}", True) for v in value)
        else:
            facts[fid] = value
    facts.update(context_flags(answers))
    return facts


def context_flags(answers: Mapping[str, Any]) -> dict[str, bool]:
    """The context the checks depend on, from the answers."""
    return {
        "sensitive": answers.get("sensitive_context") is True or answers.get("origin") == "external_event",
        "facts_unknown": answers.get("facts_known") in ("no", "partly"),
    }
