"""Parse the `checks` section of the rule base: antipatterns as phrases per language.

    - id: conditional_apology
      level: error                      # error | warning | info
      when: [sensitive]                 # optional context flags that must all hold
      absent: false                     # true: flag a text where no pattern matches
      negatable: true                   # a negation cue before the match, in its clause, voids it
      unless: {en: [...], fr: [...]}    # phrases before the match, in its sentence, that void it
      unless_after: {en: [...], fr: [...]}  # phrases after the match, in its sentence, that void it
      quoted: true                      # also flag it inside quotation marks
      message: {en: ..., fr: ...}
      suggestion: {en: ..., fr: ...}
      patterns:
        en: ["sorry if", "apologi[sz]e if"]
        fr: ["désolée?s? si"]
      examples:                         # run by the tests: flagged and clean texts, both languages
        en: {flagged: [...], clean: [...]}
        fr: {flagged: [...], clean: [...]}

Patterns are Python regular expressions, matched case-insensitively; a match never starts
or ends inside a word; ` ?` is optional whitespace, any other space matches a run of
whitespace (a non-breaking space too) and `'` matches `’`; ` ... ` is a short gap inside one
sentence and `{name}` a word family of `check_language.words` (see `patterns`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from playbook.core.draftmodel import CONTEXT_FLAGS, LEVELS, Check, CheckLanguage
from playbook.errors import did_you_mean
from playbook.rulebase.patterns import backtracking_risk, expand, matcher, regex_source
from playbook.rulebase.validate import Item, Problems, check_keys, text_of

LANGS = ("en", "fr")
EXAMPLE_KEYS = ("flagged", "clean")


Words = Mapping[str, Mapping[str, tuple[str, ...]]]


def parse_check(item: Item, problems: Problems, words: Words | None = None) -> Check | None:
    cid = item.data.get("id")
    what = f"check '{cid}'"
    words = words or {}
    if not check_keys(item, what, problems, ("id", "level", "message", "suggestion", "patterns", "examples"),
                      ("when", "absent", "negatable", "unless", "unless_after", "quoted", "enabled")):
        return None
    level = item.data.get("level")
    if level not in LEVELS:
        problems.add(item.at("level"), what,
                     f"unknown level '{level}'{did_you_mean(level, LEVELS)}; allowed: {', '.join(LEVELS)}")
    when = _flags(item, what, problems)
    absent = item.data.get("absent", False)
    if not isinstance(absent, bool):
        problems.add(item.at("absent"), what, "'absent' is true or false")
    message, suggestion = text_of(item, "message", what, problems), text_of(item, "suggestion", what, problems)
    patterns = _patterns(item, what, problems, words=words)
    examples = _examples(item, what, problems)
    flags = {key: item.data.get(key, False) for key in ("negatable", "quoted")}
    for key, value in flags.items():
        if not isinstance(value, bool):
            problems.add(item.at(key), what, f"'{key}' is true or false")
    unless = _patterns(item, what, problems, "unless", words) if "unless" in item.data else {}
    after = _patterns(item, what, problems, "unless_after", words) if "unless_after" in item.data else {}
    if message is None or suggestion is None or patterns is None or examples is None or level not in LEVELS:
        return None
    return Check(str(cid), str(level), message, suggestion, patterns, when, absent is True, examples, item.where(),
                 flags["negatable"] is True, unless or {}, flags["quoted"] is True, after or {},
                 {lang: matcher(found) for lang, found in patterns.items()})


def parse_language(items: Any, problems: Problems) -> CheckLanguage:
    """`check_language`: negation cues and word families per language, and the evaluation thresholds."""
    negation: dict[str, tuple[str, ...]] = {}
    words: dict[str, dict[str, tuple[str, ...]]] = {lang: {} for lang in LANGS}
    thresholds: dict[str, float] = {}
    for key, item in items.items():
        if key == "negation":
            negation = _patterns(item, "check_language", problems, None) or {}
        elif key == "words":
            if not isinstance(item.data, dict):
                problems.add(item.at(), "check_language", "'words' maps family names to their forms per language")
                continue
            for name in item.data:
                if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z_]*", name):
                    problems.add(item.at(name), "check_language",
                                 f"word family {name!r}: a name is lowercase letters and '_'")
                    continue
                forms = _patterns(Item(item.data, item.located, (*item.path,)), f"word family '{name}'",
                                  problems, name)
                for lang, found in (forms or {}).items():
                    words[lang][name] = found
        elif key in ("recall", "false_alarm_rate"):
            value = item.data
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                problems.add(item.at(), "check_language", f"'{key}' is a number between 0 and 1")
            else:
                thresholds[key] = float(value)
        else:
            problems.add(item.key_at(), "check_language",
                         f"unknown key '{key}'; allowed: negation, words, recall, false_alarm_rate")
    return CheckLanguage(negation, words, **thresholds)


def _flags(item: Item, what: str, problems: Problems) -> tuple[str, ...]:
    raw = item.data.get("when", [])
    flags = [raw] if isinstance(raw, str) else raw
    if not isinstance(flags, list):
        problems.add(item.at("when"), what, f"'when' takes context flags: {', '.join(CONTEXT_FLAGS)}")
        return ()
    for i, flag in enumerate(flags):
        if flag not in CONTEXT_FLAGS:
            problems.add(item.at("when", *([] if isinstance(raw, str) else [i])), what,
                         f"unknown context '{flag}'{did_you_mean(flag, CONTEXT_FLAGS)}; "
                         f"allowed: {', '.join(CONTEXT_FLAGS)}")
    return tuple(str(f) for f in flags)


def _patterns(item: Item, what: str, problems: Problems,
              key: str | None = "patterns", words: Words | None = None) -> dict[str, tuple[str, ...]] | None:
    """Phrase patterns per language, at `item.data[key]` (`key` None: the item itself), with their
    word families expanded (`words`: the families of `check_language`; None: no expansion)."""
    sub: tuple[str, ...] = (key,) if key else ()
    data = item.data.get(key) if key else item.data
    if data is None or not check_keys(item, what, problems, LANGS, sub=sub):
        return None
    out: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        raw = data.get(lang)
        name = f"{key}.{lang}" if key else lang
        if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p.strip() for p in raw):
            problems.add(item.at(*sub, lang), what, f"'{name}' takes a non-empty list of phrases")
            continue
        expanded = []
        for i, pattern in enumerate(raw):
            if words is not None:
                try:
                    pattern = expand(pattern, words.get(lang, {}))
                except KeyError as exc:
                    problems.add(item.at(*sub, lang, i), what, f"unknown word family {{{exc.args[0]}}} in "
                                 f"{pattern!r}; families: {', '.join(sorted(words.get(lang, {}))) or 'none'}")
                    continue
            expanded.append(pattern)
            try:
                re.compile(regex_source(pattern))
            except re.error as exc:
                problems.add(item.at(*sub, lang, i), what, f"invalid pattern {pattern!r}: {exc}")
                continue
            risk = backtracking_risk(pattern)
            if risk:
                problems.add(item.at(*sub, lang, i), what, f"pattern {pattern!r}: {risk}; "
                             "use a bounded repetition ({1,3}) or start the group with a literal")
        out[lang] = tuple(expanded)
    return out if len(out) == len(LANGS) else None


def _examples(item: Item, what: str, problems: Problems) -> dict[str, dict[str, tuple[str, ...]]] | None:
    """Both languages need texts the check flags and texts it leaves alone."""
    if "examples" not in item.data or not check_keys(item, what, problems, LANGS, sub=("examples",)):
        return None
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang in LANGS:
        if lang not in item.data["examples"] or not check_keys(item, what, problems, EXAMPLE_KEYS,
                                                              sub=("examples", lang)):
            continue
        entry: dict[str, tuple[str, ...]] = {}
        for key in EXAMPLE_KEYS:
            raw: Any = item.data["examples"][lang].get(key)
            if not isinstance(raw, list) or not raw or not all(isinstance(t, str) and t for t in raw):
                problems.add(item.at("examples", lang, key), what,
                             f"'examples.{lang}.{key}' takes a non-empty list of texts")
                continue
            entry[key] = tuple(raw)
        if len(entry) == len(EXAMPLE_KEYS):
            out[lang] = entry
    return out if len(out) == len(LANGS) else None
