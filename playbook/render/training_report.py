"""The trainer's report in Markdown (and its words, shared with the HTML page), and the list of
scenarios for `playbook scenarios`.

Renders the plain data of `training.report` (per trainee, per inject, principles most missed,
the debrief). User text (trainee names, file names) is escaped: it cannot add Markdown structure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.model import RuleBase
from playbook.core.scenario import clock
from playbook.core.text import french_typography
from playbook.render.common import label, md_escape, one_line
from playbook.render.training import KIND_LABELS
from playbook.render.training import WORDS as RUN_WORDS

REPORT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Training report", "real": "Real case", "invented": "Invented case", "trainees": "trainee(s)",
        "average": "average", "average_head": "Average", "hardest": "hardest inject", "per_trainee": "Trainees",
        "trainee": "Trainee",
        "score": "Score", "time": "Time", "per_inject": "Injects", "playbook": "The playbook decides",
        "right": "right", "group_chose": "The group chose", "weakest": "Where the group went wrong",
        "won": "of its points won", "missed": "Most missed", "extra": "Chosen, not the playbook's",
        "broken": "Judgements broken", "principles": "Principles most missed", "times": "missed {n} time(s)",
        "at": "at", "debrief": "Debrief", "happened": "What happened", "worked": "What worked",
        "didnt": "What did not", "at_stake": "Principles at stake", "no_answers": "no answers recorded",
        "unknown": "This scenario is not in the rule base loaded now: its texts are missing.",
        "chart": "Average score per inject", "scores_chart": "Each trainee's score at this inject",
        "id": "id", "injects": "injects", "length": "length", "languages": "languages", "source": "source",
        "list": "Training scenarios", "generated": "playbook training report", "col_title": "title",
    },
    "fr": {
        "title": "Rapport d'entraînement", "real": "Cas réel", "invented": "Cas inventé",
        "trainees": "stagiaire(s)", "average": "moyenne", "average_head": "Moyenne",
        "hardest": "événement le plus difficile",
        "per_trainee": "Stagiaires", "trainee": "Stagiaire", "score": "Score", "time": "Temps",
        "per_inject": "Événements", "playbook": "Le playbook décide", "right": "justes",
        "group_chose": "Choix du groupe", "weakest": "Là où le groupe s'est trompé",
        "won": "de ses points obtenus", "missed": "Les plus oubliés", "extra": "Choisis, hors playbook",
        "broken": "Jugements enfreints", "principles": "Principes les plus manqués", "times": "manqué {n} fois",
        "at": "à", "debrief": "Débriefing", "happened": "Ce qui s'est passé", "worked": "Ce qui a marché",
        "didnt": "Ce qui n'a pas marché", "at_stake": "Principes en jeu", "no_answers": "aucune réponse enregistrée",
        "unknown": "Ce scénario n'est pas dans la base de règles chargée : ses textes manquent.",
        "chart": "Score moyen par événement", "scores_chart": "Score de chaque stagiaire à cet événement",
        "id": "id", "injects": "événements", "length": "durée", "languages": "langues", "source": "source",
        "list": "Scénarios d'entraînement", "generated": "rapport d'entraînement playbook", "col_title": "titre",
    },
}
REPORT_WORDS["fr"] = {key: french_typography(text) for key, text in REPORT_WORDS["fr"].items()}
COLON = {"en": ":", "fr": "\u00a0:"}


def pct(value: Any, lang: str) -> str:
    number = float(value or 0)
    text = str(int(number)) if number.is_integer() else f"{number:.1f}"
    return (text.replace(".", ",") if lang == "fr" else text) + "\u00a0%"


def duration(seconds: Any, lang: str) -> str:
    if seconds is None:
        return "—"
    minutes, rest = divmod(round(float(seconds)), 60)
    return f"{minutes}\u00a0min {rest:02d}\u00a0s" if minutes else f"{rest}\u00a0s"


def choices(rb: RuleBase, field: str, counts: Mapping[str, int], lang: str) -> str:
    return ", ".join(f"{label(rb, field, v, lang)} ×{n}" for v, n in counts.items())


def criterion(name: str, lang: str) -> str:
    return RUN_WORDS[lang].get(name, name)


def report_markdown(rb: RuleBase, report: Mapping[str, Any]) -> str:
    lang = report["lang"]
    out: list[str] = []
    for section in report["scenarios"]:
        out += _scenario_md(rb, section, lang)
    return "\n".join(out).rstrip() + "\n"


def _scenario_md(rb: RuleBase, s: Mapping[str, Any], lang: str) -> list[str]:
    w, c = REPORT_WORDS[lang], COLON[lang]
    kind = f"{w['real']} ({s['source']})" if s["source"] != "invented" else w["invented"]
    lines = [f"# {w['title']} — {md_escape(s['title'])}", "",
             f"*{kind}*" + (f"{c} {s['real_case']}" if s["real_case"] else "")]
    if not s["known"]:
        lines += ["", f"> {w['unknown']}"]
    hardest = next((i for i in s["injects"] if i["hardest"]), None)
    summary = f"{len(s['trainees'])} {w['trainees']} · {w['average']} {pct(s['average'], lang)}"
    if hardest:
        summary += f" · {w['hardest']}{c} {hardest['at']} ({hardest['id']})"
    lines += ["", summary, "", f"## {w['per_trainee']}", ""]
    heads = [w["trainee"], w["score"], *(i["at"] for i in s["injects"]), w["time"]]
    lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for t in s["trainees"]:
        cells = [md_escape(one_line(t["name"])), f"{t['points']}/{t['max']} ({pct(t['percent'], lang)})",
                 *(pct(t["injects"][i["id"]], lang) if i["id"] in t["injects"] else "—" for i in s["injects"]),
                 duration(t["seconds"], lang)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"## {w['per_inject']}"]
    for n, inject in enumerate(s["injects"], 1):
        lines += _inject_md(rb, n, inject, lang)
    lines += _principles_md(s["principles"], lang) + _debrief_md(s.get("debrief"), lang)
    return [*lines, ""]


def _inject_md(rb: RuleBase, n: int, i: Mapping[str, Any], lang: str) -> list[str]:
    w, c = REPORT_WORDS[lang], COLON[lang]
    kind = KIND_LABELS[lang].get(i["kind"], i["kind"])
    head = f"### {n}. {i['at']} · {kind}" + (f" — {md_escape(i['sender'])}" if i["sender"] else "")
    lines = ["", head + (" ⚑" if i["hardest"] else ""), ""]
    if i["sees"]:
        lines += [f"> {md_escape(line)}" if line.strip() else ">" for line in i["sees"].splitlines()] + [""]
    e = i["expected"]
    decided = " · ".join(label(rb, f, str(e.get(f)), lang) for f in ("action", "severity", "posture") if e.get(f))
    lines.append(f"- **{w['playbook']}**{c} {decided}")
    if not i["answers"]:
        return [*lines, f"- {w['no_answers']}"]
    right = ", ".join(f"{criterion(f, lang)} {i[f]['right']}/{i['answers']}" for f in ("action", "severity", "posture"))
    lines.append(f"- **{w['average_head']}**{c} {pct(i['average'], lang)} · {w['right']}{c} {right}")
    lines.append(f"- **{w['group_chose']}**{c} " + " · ".join(
        choices(rb, f, i[f]["choices"], lang) for f in ("action", "severity", "posture")))
    weakest = next((x for x in i["criteria"] if x["criterion"] == i["weakest"]), None)
    if weakest and weakest["ratio"] < 1:
        lines.append(f"- **{w['weakest']}**{c} {criterion(weakest['criterion'], lang)} "
                     f"({pct(round(100 * weakest['ratio']), lang)} {w['won']})")
    for key in ("missed", "extra"):
        if i[key]:
            items = ", ".join(f"{label(rb, x['field'], x['item'], lang)} ({x['count']})" for x in i[key][:6])
            lines.append(f"- **{w[key]}**{c} {items}")
    if i["broken"]:
        broken = ", ".join(f"`{b['constraint']}` ({b['count']})" for b in i["broken"])
        lines.append(f"- **{w['broken']}**{c} {broken}")
    return lines


def _principles_md(principles: Sequence[Mapping[str, Any]], lang: str) -> list[str]:
    if not principles:
        return []
    w, c = REPORT_WORDS[lang], COLON[lang]
    lines = ["", f"## {w['principles']}", ""]
    for n, p in enumerate(principles[:8], 1):
        lines.append(f"{n}. **{p['title']}** ({p['source']}) — {w['times'].format(n=p['count'])}, "
                     f"{w['at']} {', '.join(p['injects'])}{c} {p['summary']}")
        if p["quote"]:
            lines.append(f"   > «\u00a0{p['quote']}\u00a0»")
    return lines


def _debrief_md(d: Mapping[str, Any] | None, lang: str) -> list[str]:
    if not d:
        return []
    w = REPORT_WORDS[lang]
    lines = ["", f"## {w['debrief']}"]
    for key, text in (("happened", d["what_happened"]), ("worked", d["worked"]), ("didnt", d["did_not_work"])):
        lines += ["", f"**{w[key]}**{COLON[lang]} {text}"]
    if d["principles"]:
        lines += ["", f"**{w['at_stake']}**{COLON[lang]} " + ", ".join(p["title"] for p in d["principles"])]
    return lines


def scenarios_rows(rb: RuleBase, lang: str) -> list[dict[str, Any]]:
    """`playbook scenarios`: each scenario's id, title, length, languages and source."""
    return [{"id": s.id, "title": s.title.get(lang), "injects": len(s.injects), "duration": clock(s.duration),
             "languages": ["en", "fr"], "source": s.source, "real": s.real, "organisation": s.organisation}
            for s in rb.scenarios]


def scenarios_text(rb: RuleBase, lang: str) -> str:
    rows = scenarios_rows(rb, lang)
    w = REPORT_WORDS[lang]
    if not rows:
        return "\n"
    table = [(w["id"], w["col_title"], w["injects"], w["length"], w["languages"], w["source"])]
    table += [(r["id"], r["title"], str(r["injects"]), r["duration"].removeprefix("T+"), " ".join(r["languages"]),
               r["source"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    return "\n".join("  ".join(cell.ljust(widths[i]) if i < 5 else cell for i, cell in enumerate(row)).rstrip()
                     for row in table) + "\n"

