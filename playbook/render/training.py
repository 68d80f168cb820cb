"""Training on the terminal, as text: the scenario's opening, each inject as the trainee sees it,
the feedback after a decision (line by line against the playbook, why, the message checked, the
playbook's own draft, the teaching notes and principles), the debrief and the score sheet.

Everything here renders plain data: a scenario (`core.scenario`) and the results entries of
`training.results` (the same dicts as the JSON results file), in English or French.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.model import RuleBase
from playbook.core.scenario import Scenario, clock
from playbook.core.text import french_typography
from playbook.render.common import label, visible

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "scenario": "Training scenario", "source": "Source", "invented": "invented case", "real": "real case",
        "role": "Your role", "how": "At each inject, decide: action, severity, posture, what to say, who owns it; "
        "write the message when asked. The playbook then shows what it would do, and why. Ctrl-C keeps your "
        "progress (--resume).", "inject": "Inject", "of": "of", "from": "From",
        "decides": "What the playbook decides, and your choices", "playbook": "Playbook", "you": "You",
        "points": "Points", "action": "Action", "severity": "Severity", "posture": "Posture", "strategy": "Say",
        "escalate_to": "Owners", "message": "Message", "time": "Time", "score": "Inject score",
        "missed": "missed", "extra": "not in the playbook's", "none": "none", "why": "Why the playbook decides so",
        "rule": "rule", "principle": "principle", "broken": "Your decision breaks a judgement of the rule base",
        "check": "Your message, checked (playbook check)", "clean": "no problem found",
        "draft": "The playbook's draft, to compare", "notes": "Teaching notes", "stake": "Principles at stake",
        "debrief": "Debrief", "happened": "What happened", "worked": "What worked", "didnt": "What did not",
        "sheet": "Score sheet", "total": "Total", "deadline": "deadline", "not_timed": "not timed",
        "asked": "asked", "missing": "missing", "seconds": "s", "minutes": "min", "written": "written",
        "exact": "exact", "near": "near", "different": "different", "one_step_over": "one step too high",
        "one_step_under": "one step too low", "over": "too high", "under": "too low", "partial": "partial",
        "findings": "{errors} error(s), {warnings} warning(s)", "late": "late: −5", "in_time": "in time",
        "f1": "F1 {f1} (precision {p}, recall {r})", "items": "{n} item(s)",
        "within": "The clock is running: decide within {time}.",
    },
    "fr": {
        "scenario": "Scénario d'entraînement", "source": "Source", "invented": "cas inventé", "real": "cas réel",
        "role": "Votre rôle", "how": "À chaque événement, décidez : action, gravité, posture, ce qu'il faut dire, "
        "qui s'en charge ; rédigez le message quand il est demandé. Le playbook montre ensuite ce qu'il ferait, "
        "et pourquoi. Ctrl-C conserve votre progression (--resume).", "inject": "Événement", "of": "sur",
        "from": "De", "decides": "Ce que décide le playbook, et vos choix", "playbook": "Playbook", "you": "Vous",
        "points": "Points", "action": "Action", "severity": "Gravité", "posture": "Posture", "strategy": "Dire",
        "escalate_to": "Responsables", "message": "Message", "time": "Temps", "score": "Score de l'événement",
        "missed": "oubliés", "extra": "absents du playbook", "none": "aucun",
        "why": "Pourquoi le playbook décide ainsi",
        "rule": "règle", "principle": "principe", "broken": "Votre décision enfreint un jugement de la base de règles",
        "check": "Votre message, vérifié (playbook check)", "clean": "aucun problème trouvé",
        "draft": "Le brouillon du playbook, pour comparer", "notes": "Notes pédagogiques",
        "stake": "Principes en jeu", "debrief": "Débriefing", "happened": "Ce qui s'est passé",
        "worked": "Ce qui a marché", "didnt": "Ce qui n'a pas marché", "sheet": "Feuille de score",
        "total": "Total", "deadline": "délai", "not_timed": "non chronométré", "asked": "demandé",
        "missing": "manquant", "seconds": "s", "minutes": "min", "written": "rédigé",
        "exact": "exact", "near": "proche", "different": "différent", "one_step_over": "un cran trop haut",
        "one_step_under": "un cran trop bas", "over": "trop haut", "under": "trop bas", "partial": "partiel",
        "findings": "{errors} erreur(s), {warnings} avertissement(s)", "late": "en retard : −5",
        "in_time": "dans les temps", "f1": "F1 {f1} (précision {p}, rappel {r})", "items": "{n} élément(s)",
        "within": "Le temps presse : décidez en moins de {time}.",
    },
}
WORDS["fr"] = {key: french_typography(text) for key, text in WORDS["fr"].items()}
KIND_LABELS = {
    "en": {"post": "Post", "comment": "Comment", "video": "Video", "email": "E-mail", "call": "Phone call",
           "message": "Message", "memo": "Internal memo", "news": "News", "metrics": "Figures", "alert": "Alert"},
    "fr": {"post": "Publication", "comment": "Commentaire", "video": "Vidéo", "email": "E-mail",
           "call": "Appel", "message": "Message", "memo": "Note interne", "news": "Actualité",
           "metrics": "Chiffres", "alert": "Alerte"},
}
COLON = {"en": ":", "fr": "\u00a0:"}


def width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 100))


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    out: list[str] = []
    for n, paragraph in enumerate(visible(text).splitlines() or [""]):
        lead = first if first is not None and n == 0 else indent
        out += textwrap.wrap(paragraph, width(), initial_indent=lead, subsequent_indent=indent,
                             break_on_hyphens=False) or [""]
    return out


def rule(title: str) -> str:
    return f"── {title} " + "─" * max(width() - len(title) - 4, 3)


def verdict(line: Mapping[str, Any], lang: str) -> str:
    w = WORDS[lang]
    v = str(line.get("verdict", ""))
    detail = line.get("detail") or {}
    if line.get("criterion") in ("strategy", "escalate_to") and v in ("partial", "different"):
        p, r = detail.get("precision", [0, 0]), detail.get("recall", [0, 0])
        f1 = f"{detail.get('f1', 0):.2f}".replace(".", "," if lang == "fr" else ".")
        return w["f1"].format(f1=f1, p=f"{p[0]}/{p[1]}", r=f"{r[0]}/{r[1]}")
    if v == "findings":
        return w["findings"].format(errors=detail.get("errors", 0), warnings=detail.get("warnings", 0))
    return w.get(v, v)


def intro(scenario: Scenario, lang: str) -> str:
    w = WORDS[lang]
    kind = w["real"] if scenario.real else w["invented"]
    lines = [rule(f"{w['scenario']}{COLON[lang]} {scenario.title.get(lang)}"),
             f"{w['source']}{COLON[lang]} {kind}" + (f" ({scenario.source})" if scenario.real else "")]
    if scenario.real_case:
        lines += _wrap(scenario.real_case.get(lang), "  ", "  ")
    lines += ["", *_wrap(scenario.role.get(lang), "  ", f"{w['role']}{COLON[lang]} "), ""]
    lines += _wrap(scenario.narrative.get(lang))
    lines += ["", *_wrap(w["how"])]
    return "\n".join(lines) + "\n"


def inject_card(scenario: Scenario, index: int, when: str, lang: str) -> str:
    w = WORDS[lang]
    inject = scenario.injects[index]
    head = f"{w['inject']} {index + 1} {w['of']} {len(scenario.injects)} · {when} · {KIND_LABELS[lang][inject.kind]}"
    lines = ["", rule(head)]
    if inject.sender:
        lines.append(f"{w['from']}{COLON[lang]} {visible(inject.sender.get(lang))}")
    lines += ["", *_wrap(inject.sees.get(lang), "  ", "  ")]
    if inject.message:
        lines += ["", *_wrap(inject.message.prompt.get(lang), "  ", "✎ ")]
    if inject.decide_within:
        lines += ["", f"⏱ {w['within'].format(time=_secs(inject.decide_within, lang))}"]
    return "\n".join(lines) + "\n"


def feedback(rb: RuleBase, scenario: Scenario, entry: Mapping[str, Any], lang: str,
             draft: Mapping[str, Any] | None = None) -> str:
    """What follows a decision: the score line by line, why, the message checked, the notes."""
    inject = scenario.inject(entry["inject"])
    lines = ["", rule(WORDS[lang]["decides"]), *score_table(rb, entry, lang)]
    lines += _why(rb, entry, lang) + _broken(rb, entry, lang) + _message(entry, lang, draft)
    w = WORDS[lang]
    if inject and inject.notes:
        lines += ["", f"{w['notes']}{COLON[lang]}", *_wrap(inject.notes.get(lang), "  ", "  ")]
    own = list(inject.principles if inject else ())
    lines += principle_lines(rb, own + [p for p in entry.get("principles", []) if p not in own], lang, quoted=own)
    return "\n".join(lines) + "\n"


def score_table(rb: RuleBase, entry: Mapping[str, Any], lang: str) -> list[str]:
    w = WORDS[lang]
    rows = [("", w["playbook"], w["you"], w["points"])]
    notes: list[str] = []
    for line in entry["score"]["lines"]:
        crit = line["criterion"]
        expected, chosen = _shown(rb, crit, line.get("expected"), lang), _shown(rb, crit, line.get("chosen"), lang)
        if crit == "message":
            expected, chosen = w["asked"], w["written"] if entry["choice"].get("message") else w["missing"]
        if crit == "time":
            expected, chosen = f"{w['deadline']} {_secs(line['expected'], lang)}", _secs(line["chosen"], lang)
        points = f"{_num(line['points'], lang)}/{line['max']}" if crit != "time" else _num(line["points"], lang)
        rows.append((w.get(crit, crit), expected, chosen, f"{points}  {verdict(line, lang)}"))
        if crit in ("strategy", "escalate_to") and line["verdict"] != "exact":
            items = ", ".join(label(rb, crit, v, lang) for v in line.get("expected") or ()) or w["none"]
            notes += _wrap(f"{w.get(crit, crit)} ({w['playbook']}){COLON[lang]} {items}", "     ", "   ")
        for key in ("missed", "extra"):
            if line.get(key):
                items = ", ".join(label(rb, crit, v, lang) for v in line[key])
                notes += _wrap(f"{w.get(crit, crit)}, {w[key]}{COLON[lang]} {items}", "     ", "   ")
    if not any(line["criterion"] == "time" for line in entry["score"]["lines"]):
        seconds = entry["choice"].get("seconds")
        rows.append((w["time"], "", _secs(seconds, lang) if seconds is not None else w["not_timed"], ""))
    score = entry["score"]
    total = f"{_num(score['points'], lang)}/{score['max']}  ({_num(score['percent'], lang)}\u00a0%)"
    rows.append((w["score"], "", "", total))
    a, b, c = (max(len(r[i]) for r in rows) for i in range(3))
    b, c = min(b, 26), min(c, 26)
    table = [f"{r[0]:<{a}}  {_cut(r[1], b):<{b}}  {_cut(r[2], c):<{c}}  {r[3]}".rstrip() for r in rows]
    return table + notes


def _shown(rb: RuleBase, crit: str, value: Any, lang: str) -> str:
    """A value in the table: its label (a posture's first words), or how many items a list has."""
    if isinstance(value, list | tuple):
        return WORDS[lang]["items"].format(n=len(value)) if value else WORDS[lang]["none"]
    return label(rb, crit, str(value), lang).split(":")[0].strip() if value is not None else ""


def _why(rb: RuleBase, entry: Mapping[str, Any], lang: str) -> list[str]:
    """The rules that decided what the trainee did not, grouped by rule."""
    by_rule: dict[str, list[str]] = {}
    for r in entry.get("why", []):
        field, _, item = str(r["field"]).partition(":")
        value = item or str(entry["expected"].get(field))
        shown = f"{WORDS[lang].get(field, field)} {label(rb, field, value, lang)}"
        by_rule.setdefault(r["rule"], []).append(shown)
    if not by_rule:
        return []
    w = WORDS[lang]
    lines = ["", f"{w['why']}{COLON[lang]}"]
    for rid, decided in by_rule.items():
        rule_ = rb.rule(rid)
        description = rule_.description.get(lang) if rule_ else rid
        lines += _wrap(f"{', '.join(decided)} — {w['rule']} {rid}{COLON[lang]} {description}", "    ", "  • ")
    return lines


def _broken(rb: RuleBase, entry: Mapping[str, Any], lang: str) -> list[str]:
    broken = [c for c in rb.constraints if c.id in entry.get("broken", [])]
    if not broken:
        return []
    lines = ["", f"{WORDS[lang]['broken']}{COLON[lang]}"]
    for c in broken:
        lines += _wrap(f"{c.id}{COLON[lang]} {c.description.get(lang)}", "    ", "  ✗ ")
    return lines


def _message(entry: Mapping[str, Any], lang: str, draft: Mapping[str, Any] | None) -> list[str]:
    w = WORDS[lang]
    lines: list[str] = []
    if entry["choice"].get("message"):
        lines += ["", f"{w['check']}{COLON[lang]}"]
        findings = entry.get("findings", [])
        for f in findings:
            match = f" “{visible(f['match'])}” —" if f.get("match") else ""
            lines += _wrap(f"{f['level']}: {f['check']}:{match} {f['message']} → {f['suggestion']}", "    ", "  • ")
        if not findings:
            lines.append(f"  {w['clean']}")
    if draft:
        lines += ["", f"{w['draft']}{COLON[lang]}", *_wrap(str(draft["text"]), "  │ ", "  │ ")]
    return lines


def principle_lines(rb: RuleBase, principles: Sequence[str], lang: str,
                    quoted: Sequence[str] | None = None) -> list[str]:
    """Principles with their summary and, for those in `quoted` (default: all), the source's words;
    the others on one line each."""
    known = [rb.principles[p] for p in principles if p in rb.principles]
    if not known:
        return []
    lines = ["", f"{WORDS[lang]['stake']}{COLON[lang]}"]
    for p in known:
        if quoted is not None and p.id not in quoted:
            lines += _wrap(f"{p.title.get(lang)} ({p.source})", "    ", "  • ")
            continue
        lines += _wrap(f"{p.title.get(lang)} ({p.source}){COLON[lang]} {p.summary.get(lang)}", "    ", "  • ")
        if p.quote:
            lines += _wrap(f"«\u00a0{p.quote}\u00a0»", "      ", "      ")
    return lines


def debrief(rb: RuleBase, scenario: Scenario, lang: str) -> str:
    w, d = WORDS[lang], scenario.debrief
    lines = ["", rule(f"{w['debrief']}{COLON[lang]} {scenario.title.get(lang)}")]
    for key, text in (("happened", d.what_happened), ("worked", d.worked), ("didnt", d.did_not_work)):
        lines += ["", f"{w[key]}{COLON[lang]}", *_wrap(text.get(lang), "  ", "  ")]
    lines += principle_lines(rb, d.principles, lang)
    return "\n".join(lines) + "\n"


def score_sheet(doc: Mapping[str, Any], scenario: Scenario, lang: str) -> str:
    """The trainee's score per inject and in total: the last thing a run prints (on stdout)."""
    w = WORDS[lang]
    lines = [rule(f"{w['sheet']}{COLON[lang]} {doc['trainee']} · {scenario.title.get(lang)}")]
    for n, e in enumerate(doc["injects"], 1):
        seconds = e["choice"].get("seconds")
        time = _secs(seconds, lang) if seconds is not None else ""
        points = f"{_num(e['score']['points'], lang):>5}/{e['score']['max']:<3}"
        lines.append(f"{w['inject']} {n:>2} {clock(e['at']):<9} {e['inject']:<24} {points} "
                     f"{_num(e['score']['percent'], lang):>5}\u00a0%  {time}")
    total = doc["total"]
    seconds = total.get("seconds")
    points = f"{_num(total['points'], lang)}/{total['max']} ({_num(total['percent'], lang)}\u00a0%)"
    lines.append(f"{w['total']}{COLON[lang]} {points}" + (f" · {_secs(seconds, lang)}" if seconds is not None else ""))
    return "\n".join(lines) + "\n"


def _secs(value: Any, lang: str) -> str:
    if value is None:
        return ""
    seconds = round(float(value))
    minutes, rest = divmod(seconds, 60)
    w = WORDS[lang]
    if minutes and not rest:
        return f"{minutes}\u00a0{w['minutes']}"
    return f"{minutes}\u00a0{w['minutes']} {rest:02d}\u00a0{w['seconds']}" if minutes else f"{rest}\u00a0{w['seconds']}"


def _num(value: Any, lang: str = "en") -> str:
    """A score as people write it: no `.0`, one decimal, a decimal comma in French."""
    number = float(value)
    text = str(int(number)) if number.is_integer() else f"{number:.1f}"
    return text.replace(".", ",") if lang == "fr" else text


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: max(size - 1, 0)] + "…"
