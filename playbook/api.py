"""The Python API: the same triage as the command line, for scripts and data pipelines.

    import playbook

    pb = playbook.Playbook(lang="fr")                # loads the rule base and profile once
    doc = pb.triage({"origin": "data_breach", ...})  # the JSON document of `--format json`
    for doc in pb.triage_many(rows):                 # an error document for a bad row, in order
        ...
    report = pb.check("We are looking into it.")    # `playbook check --format json`

A `Playbook` is safe to share between threads (deciding is pure; each call builds its own
context) and pickles small — the rule base and profile, not their compiled forms, which each
process rebuilds once — so it can be sent to a `ProcessPoolExecutor`, Spark or Dask workers.
Mistakes raise `playbook.PlaybookError` subclasses (`AnswersError` for answers), whose
`messages` say what is wrong and where, as the command line prints them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from playbook.core.answers import RawAnswers, require_complete, validate
from playbook.core.engine import Engine
from playbook.errors import PlaybookError, UsageError
from playbook.rulebase import cache
from playbook.rulebase import load as rulebase

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from playbook.core.model import Answers, Decision, RuleBase
    from playbook.drafting.compose import Composer
    from playbook.drafting.profile import Profile
    from playbook.render.jsonline import LineEncoder

LANGS = ("en", "fr")


class Playbook:
    """A loaded rule base (and profile, for drafts), ready to triage many incidents."""

    def __init__(self, *, rules: Iterable[str | Path] = (), profile: str | None = None, lang: str = "en",
                 channel: str | None = None, drafts: bool = True) -> None:
        loaded = rulebase.load(tuple(str(r) for r in rules))
        organisation = None
        if drafts:
            from playbook.drafting import profile as profiles

            organisation = profiles.load(loaded, profile)
        self._setup(loaded, organisation, lang, channel, drafts)

    @classmethod
    def loaded(cls, rb: RuleBase, profile: Profile | None, lang: str, channel: str | None = None) -> Playbook:
        """A Playbook over a rule base and profile already loaded (the command line's way)."""
        pb = cls.__new__(cls)
        pb._setup(rb, profile, lang, channel, profile is not None)
        return pb

    def _setup(self, rb: RuleBase, profile: Profile | None, lang: str, channel: str | None, drafts: bool) -> None:
        if lang not in LANGS:
            raise UsageError(f"lang {lang!r}: unknown language; allowed: {', '.join(LANGS)}")
        self.rulebase, self.profile = rb, profile
        self.lang, self.channel, self.drafts = lang, channel, drafts
        self._engine: Engine | None = None
        self._composer: Composer | None = None
        self._lines: LineEncoder | None = None
        if drafts:
            _ = self.composer  # a bad channel fails now, before any incident

    # Workers rebuild the compiled engine and templates once; the pickle holds plain data.
    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_engine": None, "_composer": None, "_lines": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            rb = self.rulebase
            fired = cache.holding(f"rules\0{rulebase.identity(rb)}", lambda: [r.when for r in rb.rules])
            self._engine = Engine(rb, fired)
        return self._engine

    @property
    def composer(self) -> Composer | None:
        if self._composer is None and self.drafts and self.profile is not None:
            from playbook.drafting.compose import Composer

            self._composer = Composer(self.rulebase, self.profile, self.lang, self.channel)
        return self._composer

    def triage(self, answers: Mapping[str, Any], *, where: str = "answers") -> dict[str, Any]:
        """One incident's answers (ids as in `playbook questions`) to its decision document.

        Raises `AnswersError` naming each wrong or missing answer and its allowed values.
        """
        return self.decide(validate(self.rulebase, RawAnswers(dict(answers), {}, where)))

    def decide(self, answers: Answers, decision: Decision | None = None) -> dict[str, Any]:
        """Validated answers (complete, or `AnswersError`) to their decision document, with drafts."""
        from playbook.render import document

        require_complete(self.rulebase, answers)
        decision = decision or self.engine.decide(answers.values)
        composer = self.composer
        drafts = composer.compose(answers.values, decision) if composer is not None else ()
        return document.build(self.rulebase, answers, decision, self.lang, drafts=drafts, profile=self.profile)

    def decide_line(self, answers: Answers, extra: str = "") -> str:
        """`decide` as one compact JSON line (what `playbook batch` writes), from remembered pieces;
        `extra`: `,"key":value` members to end the object with."""
        require_complete(self.rulebase, answers)
        if self._lines is None:
            from playbook.render.jsonline import LineEncoder

            self._lines = LineEncoder(self.rulebase, self.engine, self.lang, self.profile)
        composer = self.composer
        drafts = composer.compose(answers.values, self.engine.decide(answers.values)) if composer is not None else ()
        return self._lines.line(answers, drafts, extra)

    def triage_many(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        """Each row's document, in order; a bad row yields `{"row": n, "error": {...}}` and the rest go on."""
        for n, row in enumerate(rows, 1):
            try:
                yield self.triage(row, where=f"row {n}")
            except PlaybookError as exc:
                yield {"row": n, "error": {"exit_code": exc.exit_code, "messages": list(exc.messages)}}

    def check(self, text: str, *, lang: str | None = None, sensitive: bool = False,
              facts_unknown: bool = False, channel: str | None = None) -> dict[str, Any]:
        """A draft's findings, as `playbook check --format json` reports them."""
        from playbook.drafting import checks
        from playbook.drafting.compose import resolve_channel

        target = resolve_channel(self.rulebase, channel) if channel else None
        return checks.report(self.rulebase, text, "<text>", lang or self.lang, sensitive=sensitive,
                             facts_unknown=facts_unknown, channel=target)


def triage(answers: Mapping[str, Any], **options: Any) -> dict[str, Any]:
    """One incident, with a `Playbook` made for it (make one yourself to triage many)."""
    return Playbook(**options).triage(answers)
