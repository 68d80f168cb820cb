"""Drafts: the messages a decision calls for, written from the rule base's templates.

Pure: (rule base, profile, answers, decision) -> drafts, each checked by `checks`. The kinds,
their parts and the channel limits are data (`draftbase`); this module only assembles them:

1. a kind is produced when its condition holds on the decision (`drafts:` in rules/drafts.yaml);
2. each of its parts whose condition holds is rendered, paragraph by paragraph;
3. over the channel's limit, optional parts are dropped (lowest `drop` first, else the last
   written first) until it fits; a text is never cut. Still over: the check reports it.

Templates render as Jinja2's sandbox with strict undefined would: compiled once to plain
Python by `rulebase.templates` (jinja2 is not imported), or, for a template outside the
compiler's subset, in the sandbox itself. User text (the summary, the profile) is only ever
passed to them as data, never compiled, so `{{ }}` in it stays text. `playbook --version`
and decisions without drafts load no template at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from playbook.core.draftmodel import (
    PUBLIC,
    SITUATION,
    Channel,
    DraftBase,
    DraftKind,
    DraftPart,
    context_flags,
    draft_facts,
)
from playbook.core.model import Decision, RuleBase
from playbook.drafting import checks
from playbook.drafting.consistency import Approved, contradictions, key_line
from playbook.drafting.facts import fact_context, foreign_facts, needed, placeholders_in
from playbook.drafting.profile import Profile
from playbook.errors import RuleBaseError, UsageError, did_you_mean
from playbook.rulebase import cache
from playbook.rulebase.load import identity
from playbook.rulebase.source import display_where
from playbook.rulebase.templates import MAX_OUTPUT, Renderer, compiled_parts

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

Paragraphs = list[list[tuple[DraftPart, str]]]


def resolve_channel(rb: RuleBase, name: str) -> Channel:
    """A channel by id or alias; a usage error lists the channels and their limits."""
    db = rb.drafting or DraftBase()
    channel = db.channel(name)
    if channel is None:
        allowed = [f"{c.id} ({c.limit or 'no limit'})" for c in db.channels.values()]
        raise UsageError(f"--channel {name}: unknown channel{did_you_mean(name, list(db.channels))}; "
                         f"allowed: {', '.join(allowed)}")
    return channel


def duration(minutes: int | None, lang: str) -> str:
    """A delay in words: `2 hours`, `an hour`, `45 minutes` (`2 heures`, `une heure`)."""
    if minutes is None:
        return ""
    if minutes == 60:
        return "une heure" if lang == "fr" else "an hour"
    if minutes % 60 == 0:
        return f"{minutes // 60} {'heures' if lang == 'fr' else 'hours'}"
    return f"{minutes} minutes"


def compose(rb: RuleBase, profile: Profile, answers: Mapping[str, Any], decision: Decision, lang: str,
            channel: str | None = None) -> list[dict[str, Any]]:
    """The drafts one decision calls for."""
    return Composer(rb, profile, lang, channel).compose(answers, decision)


class Composer:
    """Drafts for many decisions with one rule base, profile, language and public channel."""

    def __init__(self, rb: RuleBase, profile: Profile, lang: str, channel: str | None = None) -> None:
        self.rb, self.profile, self.lang = rb, profile, lang
        self.db = rb.drafting or DraftBase()
        self.public = resolve_channel(rb, channel or profile.default_channel or self.db.default_channel)
        # Conditions compiled once per run (a batch composes thousands of drafts).
        # Every part's and kind's condition in one generated function: which of them hold.
        self._keys = [f"part:{p.id}" for p in self.db.parts.values()] + [f"kind:{k.id}" for k in self.db.kinds]
        db, key = self.db, identity(rb)
        self._holding = cache.holding(f"parts\0{key}", lambda: [p.when for p in db.parts.values()]
                                      + [k.when for k in db.kinds])
        self._situation_ids = [x.id for x in self.db.situations]
        self._situations = cache.holding(f"situations\0{key}", lambda: [x.when for x in db.situations])
        self._base = self._profile_context()
        self._templates: dict[str, Renderer] | None = None  # compiled on the first draft written
        # A batch writes the same text many times (drafts quote facts, not the summary): its
        # findings and placeholders are worked out once. Pure functions of the text and context.
        self._checked: dict[tuple[str, str, bool, bool], tuple[tuple[checks.Finding, ...], list[str]]] = {}

    def situation(self, facts: Mapping[str, Any]) -> str:
        """The first situation of the rule base whose condition holds, else `general`."""
        found = self._situations(facts.get)
        return self._situation_ids[found[0]] if found else "general"

    def _holds(self, facts: Mapping[str, Any]) -> frozenset[str]:
        """The parts and kinds whose condition holds (`part:id`, `kind:id`)."""
        keys = self._keys
        return frozenset([keys[i] for i in self._holding(facts.get)])

    def compose(self, answers: Mapping[str, Any], decision: Decision,
                approved: Approved | None = None) -> list[dict[str, Any]]:
        """The drafts; for an incident with approved messages (`approved`), drafts that keep to them:
        the briefing repeats the approved reply, statements say what changed, contradictions are findings."""
        facts = self._facts(answers, decision)
        holds = self._holds(facts)
        context = {**self._base, **self._decision_context(answers, decision.outputs), SITUATION: facts[SITUATION]}
        context.update(approved_line=key_line(approved, self._base["sign_off"]) if approved else "",
                       since_last=bool(approved and approved.since_statement))
        context.update(fact_context(self.rb, answers, self.lang, self._fact_defaults(decision.outputs)))
        flags = context_flags(answers)
        foreign = foreign_facts(self.rb, answers, self.lang)
        drafts = []
        for kind in self.db.kinds:
            if f"kind:{kind.id}" not in holds:
                continue
            channel = self._channel(kind)
            context.update(channel=channel.id, channel_label=channel.label.get(self.lang))
            paragraphs = self._render(kind, holds, context)
            text, dropped = fit(paragraphs, channel)
            found, placeholders = self._check(text, channel, flags)
            if approved and approved.texts:
                found = sorted([*found, *contradictions(approved, text, self.lang)], key=lambda f: f.start)
            findings = [f.to_dict() for f in found]
            quoted = {f for para in paragraphs for part, _ in para if part.id not in dropped for f in part.facts}
            if foreign and quoted & set(foreign):
                findings.append(language_finding(sorted(quoted & set(foreign)), self.lang, len(text)))
            drafts.append({
                "kind": kind.id, "title": kind.title.get(self.lang), "channel": channel.id,
                "lang": self.lang, "situation": facts[SITUATION], "text": text, "chars": channel.length(text),
                "limit": channel.limit, "dropped": dropped, "findings": findings,
                "placeholders": list(placeholders),
            })
        return drafts

    def _check(self, text: str, channel: Channel, flags: Mapping[str, bool]) -> tuple[Sequence[Any], list[str]]:
        key = (text, channel.id, flags.get("sensitive", False), flags.get("facts_unknown", False))
        known = self._checked.get(key)
        if known is None:
            found = tuple(checks.check_text(self.rb, text, self.lang, channel=channel, **flags))
            known = (found, placeholders_in(self.rb, text, self.lang))
            if len(self._checked) >= 4096:  # bounded: a batch of free texts must not grow memory
                self._checked.clear()
            self._checked[key] = known
        return known

    def facts_needed(self, answers: Mapping[str, Any], decision: Decision) -> list[str]:
        """The drafting facts that the drafts for this decision quote and that are not given yet."""
        facts = self._facts(answers, decision)
        holds = self._holds(facts)
        quoted = [f for kind in self.db.kinds if f"kind:{kind.id}" in holds
                  for paragraph in kind.paragraphs for pid in paragraph
                  if f"part:{pid}" in holds for f in self.db.parts[pid].facts]
        return needed(self.rb, quoted, answers)

    def _facts(self, answers: Mapping[str, Any], decision: Decision) -> dict[str, Any]:
        facts = draft_facts(answers, decision.outputs)
        facts[SITUATION] = self.situation(facts)
        return facts

    def _fact_defaults(self, outputs: Mapping[str, Any]) -> dict[str, str]:
        """Where to check defaults to the profile's page; the next update to the decision's cadence."""
        cadence = duration(outputs.get("next_update_minutes"), self.lang)
        within = (f"d'ici {cadence}" if self.lang == "fr" else f"within {cadence}") if cadence else ""
        return {"evidence_url": self._base["updates_page"], "next_update_at": within}

    def _channel(self, kind: DraftKind) -> Channel:
        return self.public if kind.channel == PUBLIC else self.db.channels[kind.channel]

    def _render(self, kind: DraftKind, holds: frozenset[str], context: Mapping[str, Any]) -> Paragraphs:
        out: Paragraphs = []
        for paragraph in kind.paragraphs:
            rendered = []
            for pid in paragraph:
                part = self.db.parts[pid]
                if f"part:{pid}" in holds:
                    text = self._render_part(part, context)
                    if text:
                        rendered.append((part, text))
            out.append(rendered)
        return out

    def _render_part(self, part: DraftPart, context: Mapping[str, Any]) -> str:
        try:
            if self._templates is None:
                self._templates = compiled_parts(self.db, self.lang, self.rb.digest + "\0".join(self.rb.paths))
            chunks, size = [], 0
            for chunk in self._templates[part.id](context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise ValueError(f"it writes more than {MAX_OUTPUT:,} characters")
                chunks.append(chunk)
            return "".join(chunks).strip()
        except Exception as exc:  # a template error is the rule base's, whatever the template raises
            where = f"{display_where(part.where)}: " if part.where else ""
            raise RuleBaseError(f"{where}part '{part.id}': template '{self.lang}': "
                                f"{type(exc).__name__}: {exc}") from None

    def _profile_context(self) -> dict[str, Any]:
        p, lang = self.profile, self.lang
        care = p.contacts.get("customer_service")
        return {
            "org": p.name, "spokesperson": p.spokesperson.name,
            "role": p.spokesperson.role.get(lang) if p.spokesperson.role else "",
            "signature": p.statement_signature.get(lang), "sign_off": p.reply_signature.get(lang),
            "press_contact": p.spokesperson.reach(), "updates_page": p.channels.get("web", ""),
            "support": care.reach() if care else "", "support_short": (care.email or care.phone or "") if care else "",
            "executive_signature": self._executive_signature(),
        }

    def _executive_signature(self) -> str:
        """Who signs when the incident is critical: the profile's executive, with role and organisation."""
        boss = self.profile.contacts.get("executive")
        if boss is None:
            return ""
        role = boss.role.get(self.lang) if boss.role else ""
        return f"{boss.name}\n{role}, {self.profile.name}" if role else f"{boss.name}\n{self.profile.name}"

    def _decision_context(self, answers: Mapping[str, Any], outputs: Mapping[str, Any]) -> dict[str, Any]:
        context: dict[str, Any] = {q.id: answers.get(q.id) for q in self.rb.questions}
        context.update((fid, list(v) if isinstance(v, tuple) else v) for fid, v in outputs.items())
        context.update(context_flags(answers))
        context["next_update"] = duration(outputs.get("next_update_minutes"), self.lang)
        context["respond_within"] = duration(outputs.get("respond_within_minutes"), self.lang)
        field = self.rb.outputs.get("escalate_to")
        context["contacts"] = [
            {"id": role, "name": c.name, "reach": c.reach(),
             "label": field.labels[role].get(self.lang) if field and role in field.labels else role}
            for role in outputs.get("escalate_to", ()) if (c := self.profile.contacts.get(role))
        ]
        return context


def language_finding(facts: Sequence[str], lang: str, end: int) -> dict[str, Any]:
    """A warning: facts in another language than the draft are quoted in it."""
    names = ", ".join(facts)
    if lang == "fr":
        message = f"Des faits fournis ne sont pas en français ({names}) : le brouillon mêle deux langues."
        suggestion = "Traduisez-les, ou rédigez les brouillons dans leur langue (--lang)."
    else:
        message = f"Some facts given are not in English ({names}): the draft mixes two languages."
        suggestion = "Translate them, or write the drafts in their language (--lang)."
    return {"check": "facts_language", "level": "warning", "span": [end, end], "match": "",
            "message": message, "suggestion": suggestion}


def fit(paragraphs: Paragraphs, channel: Channel) -> tuple[str, list[str]]:
    """The text, and the optional parts dropped so that it fits the channel's limit."""
    dropped: list[str] = []
    text = assemble(paragraphs, dropped)
    limit = channel.limit
    if limit is None or channel.length(text) <= limit:
        return text, dropped
    order = [(i, part) for i, (part, _) in enumerate(p for para in paragraphs for p in para) if not part.required]
    order.sort(key=lambda ip: (ip[1].drop if ip[1].drop is not None else 1_000_000, -ip[0]))
    for _, part in order:
        dropped.append(part.id)
        text = assemble(paragraphs, dropped)
        if channel.length(text) <= limit:
            break
    return text, dropped


def assemble(paragraphs: Paragraphs, skip: Sequence[str] = ()) -> str:
    """Parts of a paragraph joined by spaces; paragraphs by a blank line."""
    texts = (" ".join(text for part, text in para if part.id not in skip) for para in paragraphs)
    return "\n\n".join(t for t in texts if t)
