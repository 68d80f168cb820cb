"""What changed between two states of an incident: answers, decision fields, and the rules that
made the difference.

Pure functions over plain data (answers, the decision document's `triage`). A decision field
changed because some rule that sets it started or stopped firing: those rules, read from the
two decisions' traces, are the reason given for each changed field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Decision fields compared, in the document's order; do/avoid compare by id.
SKIPPED = ("principles", "trace", "conflicts")


def answer_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{id: {old, new}} for every answer given, removed or changed (None: not given)."""
    keys = list(dict.fromkeys([*old, *new]))
    return {k: {"old": old.get(k), "new": new.get(k)} for k in keys if old.get(k) != new.get(k)}


def _comparable(triage: Mapping[str, Any], field: str) -> Any:
    value = triage.get(field)
    if field in ("do", "avoid") and isinstance(value, list):
        return [item.get("id") if isinstance(item, Mapping) else item for item in value]
    return value


def decision_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {old, new}} for every decision field that differs; lists also say added and removed."""
    if old is None:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for field in dict.fromkeys([*new, *old]):
        if field in SKIPPED:
            continue
        before, after = _comparable(old, field), _comparable(new, field)
        if before == after or (isinstance(before, list) and isinstance(after, list) and set(before) == set(after)):
            continue  # a list in another order says the same
        change: dict[str, Any] = {"old": before, "new": after}
        if isinstance(before, list) or isinstance(after, list):
            b, a = before or [], after or []
            change["added"] = [v for v in a if v not in b]
            change["removed"] = [v for v in b if v not in a]
        out[field] = change
    return out


def _fired(triage: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    return {str(f["rule"]): f.get("set", {}) for f in (triage or {}).get("trace", ())}


def rule_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any],
                 fields: Mapping[str, Any]) -> dict[str, Any]:
    """Rules that started and stopped firing, and for each changed field those that set it."""
    if old is None:
        return {}
    before, after = _fired(old), _fired(new)
    added = [r for r in after if r not in before]
    removed = [r for r in before if r not in after]
    by_field = {}
    for field in fields:
        reasons = {"added": [r for r in added if field in after[r]],
                   "removed": [r for r in removed if field in before[r]],
                   "changed": [r for r in after if r in before and field in after[r]
                               and after[r].get(field) != before[r].get(field)]}
        if reasons["added"] or reasons["removed"] or reasons["changed"]:
            by_field[field] = reasons
    return {"added": added, "removed": removed, "by_field": by_field}
