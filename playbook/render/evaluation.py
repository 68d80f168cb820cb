"""`playbook check --eval`: the checks' precision and recall on a labelled corpus, as a table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def evaluation_text(result: Mapping[str, Any], *, details: int = 10) -> str:
    """Per language: a row per check (tp fp fn, precision, recall), then the totals against the
    thresholds, then the first few misses and false alarms to look at."""
    lines = []
    for lang, data in result["languages"].items():
        lines.append(f"{lang}: {data['bad']} bad and {data['good']} good drafts")
        lines.append(f"  {'check':<34} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}")
        for cid, n in sorted(data["checks"].items()):
            lines.append(f"  {cid:<34} {n['tp']:>4} {n['fp']:>4} {n['fn']:>4} {_pct(n['precision']):>9} "
                         f"{_pct(n['recall']):>7}")
        t = result["thresholds"]
        lines.append(f"  recall on error-level problems: {_pct(data['error_recall'])} (at least {_pct(t['recall'])})")
        lines.append(f"  good drafts with an error finding: {_pct(data['false_alarm_rate'])} "
                     f"(at most {_pct(t['false_alarm_rate'])})")
    for key, title in (("misses", "missed"), ("false_alarms", "false alarm")):
        for item in result[key][:details]:
            what = item.get("check") or ", ".join(item.get("checks", ()))
            lines.append(f"{title}: {item['id']} [{what}] {_short(item['text'])}")
        if len(result[key]) > details:
            lines.append(f"… and {len(result[key]) - details} more {title}(es)" if key == "misses"
                         else f"… and {len(result[key]) - details} more false alarms")
    lines.append("check --eval: " + ("passed" if result["passed"] else "BELOW THE THRESHOLDS"))
    return "\n".join(lines) + "\n"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 100 else flat[:99] + "…"
