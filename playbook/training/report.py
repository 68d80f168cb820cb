"""The trainer's report on one trainee or a group, as plain data that `render` writes out.

From any number of results files (`results`), grouped by scenario: each trainee's score, overall
and per inject; each inject's average, what the group chose against what the playbook decides
(where most of the group went wrong: the criterion lost most, the most common wrong choices,
the items most missed); and the principles most missed, with their source and quote.
Deterministic: the same results files give the same report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.model import RuleBase
from playbook.core.scenario import Scenario, clock

REPORT_SCHEMA = "playbook-training-report"
REPORT_VERSION = 1
CRITERIA = ("action", "severity", "posture", "strategy", "escalate_to", "message")


def build(rb: RuleBase, docs: Sequence[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """The report on every results file given, one section per scenario (in order of appearance)."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for doc in docs:
        groups.setdefault(doc["scenario"]["id"], []).append(doc)
    return {"schema": REPORT_SCHEMA, "schema_version": REPORT_VERSION, "lang": lang,
            "results": len(docs), "scenarios": [_scenario(rb, sid, group, lang) for sid, group in groups.items()]}


def _scenario(rb: RuleBase, sid: str, docs: Sequence[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    scenario = rb.scenario(sid)
    order = [i.id for i in scenario.injects] if scenario else [e["inject"] for e in docs[0]["injects"]]
    trainees = [_trainee(doc, order) for doc in docs]
    injects = [_inject(rb, scenario, iid, docs, lang) for iid in order]
    scored = [i for i in injects if i["answers"]]
    hardest = min(scored, key=lambda i: (i["average"], order.index(i["id"])))["id"] if scored else None
    for i in injects:
        i["hardest"] = i["id"] == hardest
    return {
        "id": sid, "title": scenario.title.get(lang) if scenario else docs[0]["scenario"].get("title", sid),
        "source": scenario.source if scenario else docs[0]["scenario"].get("source", ""),
        "real_case": scenario.real_case.get(lang) if scenario and scenario.real_case else None,
        "organisation": scenario.organisation if scenario else "",
        "known": scenario is not None,
        "average": _mean([t["percent"] for t in trainees]),
        "trainees": trainees, "injects": injects,
        "principles": _principles(rb, docs, lang),
        "debrief": _debrief(rb, scenario, lang),
    }


def _trainee(doc: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    by_id = {e["inject"]: e for e in doc["injects"]}
    return {"name": doc["trainee"], "file": doc.get("file", ""), "mode": doc.get("mode", ""),
            "lang": doc.get("lang", ""), "finished_at": doc.get("finished_at", ""),
            "points": doc["total"].get("points"), "max": doc["total"].get("max"),
            "percent": doc["total"].get("percent", 0.0), "seconds": doc["total"].get("seconds"),
            "injects": {iid: by_id[iid]["score"]["percent"] for iid in order if iid in by_id}}


def _inject(rb: RuleBase, scenario: Scenario | None, iid: str, docs: Sequence[Mapping[str, Any]],
            lang: str) -> dict[str, Any]:
    entries = [(doc["trainee"], e) for doc in docs for e in doc["injects"] if e["inject"] == iid]
    inject = scenario.inject(iid) if scenario else None
    expected = entries[0][1].get("expected", {}) if entries else {}
    out: dict[str, Any] = {
        "id": iid, "at": clock(inject.at) if inject else clock(int(entries[0][1].get("at", 0)) if entries else 0),
        "kind": inject.kind if inject else (entries[0][1].get("kind", "") if entries else ""),
        "sender": inject.sender.get(lang) if inject and inject.sender else "",
        "sees": inject.sees.get(lang) if inject else "",
        "expected": expected, "answers": len(entries),
        "average": _mean([e["score"]["percent"] for _, e in entries]),
        "scores": [{"trainee": name, "percent": e["score"]["percent"]} for name, e in entries],
    }
    for fid in ("action", "severity", "posture"):
        chosen = Counter(str(e["choice"].get(fid)) for _, e in entries)
        out[fid] = {"expected": expected.get(fid), "right": chosen.get(str(expected.get(fid)), 0),
                    "choices": dict(sorted(chosen.items(), key=lambda kv: (-kv[1], kv[0])))}
    out["criteria"] = _criteria(entries)
    out["weakest"] = min(out["criteria"], key=lambda c: (c["ratio"], CRITERIA.index(c["criterion"])))["criterion"] \
        if out["criteria"] else None
    out["missed"] = _items(entries, "missed")
    out["extra"] = _items(entries, "extra")
    out["broken"] = [{"constraint": cid, "count": n}
                     for cid, n in sorted(Counter(c for _, e in entries for c in e.get("broken", [])).items(),
                                          key=lambda kv: (-kv[1], kv[0]))]
    return out


def _criteria(entries: Sequence[tuple[str, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Each criterion's share of its points won by the group (1.0: everyone got it all)."""
    won: dict[str, float] = {}
    top: dict[str, float] = {}
    for _, e in entries:
        for line in e["score"].get("lines", []):
            criterion = line.get("criterion")
            if criterion in CRITERIA and line.get("max"):
                won[criterion] = won.get(criterion, 0.0) + float(line.get("points", 0))
                top[criterion] = top.get(criterion, 0.0) + float(line["max"])
    return [{"criterion": c, "ratio": round(won[c] / top[c], 2)} for c in CRITERIA if c in top]


def _items(entries: Sequence[tuple[str, Mapping[str, Any]]], key: str) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str]] = Counter()
    for _, e in entries:
        for line in e["score"].get("lines", []):
            for item in line.get(key, []):
                counts[(str(line.get("criterion")), str(item))] += 1
    return [{"field": f, "item": i, "count": n} for (f, i), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _principles(rb: RuleBase, docs: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The principles at stake where trainees differed, most missed first (each counted once per inject)."""
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    for doc in docs:
        for e in doc["injects"]:
            for pid in dict.fromkeys(e.get("principles", [])):
                counts[pid] += 1
                where.setdefault(pid, [])
                if e["inject"] not in where[pid]:
                    where[pid].append(e["inject"])
    out = []
    for pid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        p = rb.principles.get(pid)
        source = rb.sources.get(p.source) if p else None
        out.append({"id": pid, "count": n, "injects": where[pid],
                    "title": p.title.get(lang) if p else pid, "summary": p.summary.get(lang) if p else "",
                    "source": source.id if source else "", "source_title": source.title if source else "",
                    "quote": p.quote if p else None})
    return out


def _debrief(rb: RuleBase, scenario: Scenario | None, lang: str) -> dict[str, Any] | None:
    if scenario is None:
        return None
    d = scenario.debrief
    return {"what_happened": d.what_happened.get(lang), "worked": d.worked.get(lang),
            "did_not_work": d.did_not_work.get(lang),
            "principles": [{"id": pid, "title": rb.principles[pid].title.get(lang)}
                           for pid in d.principles if pid in rb.principles]}


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0
