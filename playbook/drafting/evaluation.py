"""Measure the checks on a labelled corpus: `playbook check --eval CORPUS`.

A corpus is YAML (a file, or a directory of `*.yaml` files), one language per file:

    lang: en
    entries:
      - id: en_bad_conditional_001
        text: "We sincerely apologize to anyone who may have been offended."
        context: []                      # sensitive, facts_unknown: what the author knows
        errors: [conditional_apology]    # error-level checks that must fire; [] for a good draft
        warnings: [no_next_step]         # optional: warnings that must fire (absent: none)

Per check and language: true and false positives and negatives, precision and recall. Per
language: recall on the error-level problems labelled, and the false-alarm rate (good drafts
with any error-level finding). Below the thresholds of `check_language` the evaluation fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playbook.core.draftmodel import CONTEXT_FLAGS, CheckLanguage
from playbook.core.model import RuleBase
from playbook.core.record import record
from playbook.drafting.checks import check_text
from playbook.errors import UsageError, did_you_mean
from playbook.rulebase.source import display_path, load_yaml, read_text
from playbook.rulebase.validate import Item, Problems, check_keys


@record
class Entry:
    id: str
    lang: str
    text: str
    context: tuple[str, ...]
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    where: str


def load_corpus(rb: RuleBase, path: str | Path) -> list[Entry]:
    """Every entry of the corpus, checked against the rule base's check ids (all mistakes at once)."""
    root = Path(path)
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    if not files:
        raise UsageError(f"--eval {path}: no *.yaml corpus file found")
    known = [c.id for c in rb.drafting.checks] if rb.drafting else []
    problems = Problems()
    entries: list[Entry] = []
    for file in files:
        label = display_path(file)
        data, located = load_yaml(read_text(file), label)
        top = Item(data, located, ())
        if not check_keys(top, label, problems, ("lang", "entries")):
            continue
        lang = data["lang"]
        if lang not in ("en", "fr") or not isinstance(data["entries"], list):
            problems.add(top.at("lang"), label, "'lang' is en or fr and 'entries' a list")
            continue
        for i, raw in enumerate(data["entries"]):
            entry = _entry(Item(raw, located, ("entries", i)), lang, known, problems)
            if entry is not None:
                entries.append(entry)
    if problems.messages:
        raise UsageError(problems.messages)
    return entries


def _entry(item: Item, lang: str, known: Sequence[str], problems: Problems) -> Entry | None:
    eid = item.data.get("id") if isinstance(item.data, dict) else None
    what = f"entry '{eid}'"
    if not check_keys(item, what, problems, ("id", "text", "errors"), ("context", "warnings", "note")):
        return None
    lists: dict[str, tuple[str, ...]] = {}
    for key, allowed in (("context", CONTEXT_FLAGS), ("errors", known), ("warnings", known)):
        values = item.data.get(key) or []
        if not isinstance(values, list):
            problems.add(item.at(key), what, f"'{key}' takes a list")
            continue
        for v in values:
            if v not in allowed:
                problems.add(item.at(key), what, f"'{key}': unknown '{v}'{did_you_mean(v, list(allowed))}")
        lists[key] = tuple(str(v) for v in values)
    text = item.data.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.add(item.at("text"), what, "'text' is the draft, a non-empty text")
        return None
    return Entry(str(eid), lang, text, lists.get("context", ()), lists.get("errors", ()), lists.get("warnings", ()),
                 item.at())


def evaluate(rb: RuleBase, entries: Sequence[Entry]) -> dict[str, Any]:
    """The measures, per language and check, as plain data (`passed` against the thresholds)."""
    checks = rb.drafting.checks if rb.drafting else ()
    levels = {c.id: c.level for c in checks}
    language = rb.drafting.language if rb.drafting else CheckLanguage()
    out: dict[str, Any] = {"thresholds": {"recall": language.recall, "false_alarm_rate": language.false_alarm_rate},
                           "languages": {}, "misses": [], "false_alarms": []}
    for lang in sorted({e.lang for e in entries}):
        counts = {c.id: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for c in checks}
        labelled = found = good = alarms = 0
        for e in (x for x in entries if x.lang == lang):
            fired = {f.check for f in check_text(rb, e.text, lang, sensitive="sensitive" in e.context,
                                                 facts_unknown="facts_unknown" in e.context)}
            expected = {*e.errors, *e.warnings}
            for cid, n in counts.items():
                n["tp" if cid in fired and cid in expected else "fp" if cid in fired else
                  "fn" if cid in expected else "tn"] += 1
            wanted = [c for c in e.errors if levels.get(c) == "error"]
            labelled += len(wanted)
            found += sum(c in fired for c in wanted)
            out["misses"] += [{"id": e.id, "check": c, "text": e.text} for c in wanted if c not in fired]
            if not e.errors:
                good += 1
                wrong = sorted(c for c in fired if levels.get(c) == "error")
                alarms += bool(wrong)
                out["false_alarms"] += [{"id": e.id, "checks": wrong, "text": e.text}] if wrong else []
        recall = found / labelled if labelled else 1.0
        rate = alarms / good if good else 0.0
        out["languages"][lang] = {
            "checks": {cid: {**n, **_rates(n)} for cid, n in counts.items() if n["tp"] + n["fp"] + n["fn"]},
            "error_recall": round(recall, 4), "false_alarm_rate": round(rate, 4),
            "bad": sum(1 for e in entries if e.lang == lang and e.errors), "good": good,
        }
    out["passed"] = all(v["error_recall"] >= language.recall and v["false_alarm_rate"] <= language.false_alarm_rate
                        for v in out["languages"].values())
    return out


def _rates(n: dict[str, int]) -> dict[str, float | None]:
    precision = n["tp"] / (n["tp"] + n["fp"]) if n["tp"] + n["fp"] else None
    recall = n["tp"] / (n["tp"] + n["fn"]) if n["tp"] + n["fn"] else None
    return {"precision": None if precision is None else round(precision, 3),
            "recall": None if recall is None else round(recall, 3)}
