"""The trainer's report as one self-contained HTML page, to project in a room.

No external asset: inline CSS, an inline SVG bar chart of the average per inject and one of each
trainee's score per inject, no script. Large type, high contrast, and a layout that fits from a
1024-pixel projector to a phone without sideways scrolling (long words break, charts scale).
Every user text (trainee names, file names, anything from a results file) is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.model import RuleBase
from playbook.render.common import label
from playbook.render.training import KIND_LABELS
from playbook.render.training_report import COLON, REPORT_WORDS, choices, criterion, duration, pct
from playbook.version import __version__

CSS = """
*{box-sizing:border-box}
html{font-size:20px}
body{margin:0;background:#fff;color:#111;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
line-height:1.45;overflow-wrap:anywhere}
main{max-width:1180px;margin:0 auto;padding:1.2rem}
h1{font-size:1.9rem;margin:.4rem 0}h2{font-size:1.45rem;margin:2rem 0 .6rem;border-bottom:3px solid #111}
h3{font-size:1.2rem;margin:1.4rem 0 .4rem}
.kind{color:#333;font-style:italic}.big{font-size:2.4rem;font-weight:700}
.summary{font-size:1.15rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;table-layout:fixed}
th,td{border:1px solid #888;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}
.good{background:#d8f3dc}.mid{background:#fff3bf}.low{background:#ffd6d6}
blockquote{margin:.5rem 0;padding:.5rem .9rem;border-left:6px solid #555;background:#f4f4f4;white-space:pre-line}
dl{margin:.4rem 0}dt{font-weight:700;margin-top:.3rem}dd{margin:0 0 0 1rem}
svg{display:block;width:100%;height:auto;max-width:100%}
svg text{font-family:inherit}
.inject{border-top:1px solid #bbb;padding-top:.3rem}.hardest h3::after{content:" ⚑";color:#b00020}
ol li{margin-bottom:.6rem}.quote{font-style:italic;color:#333}
footer{color:#555;font-size:.8rem;margin:2rem 0 1rem}
@media (max-width:700px){html{font-size:16px}table{font-size:.75rem}}
@media print{h2{break-after:avoid}.inject{break-inside:avoid}}
"""


def e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def band(percent: float) -> str:
    return "good" if percent >= 80 else "mid" if percent >= 50 else "low"


COLOURS = {"good": "#1a7f37", "mid": "#9a6700", "low": "#c62828"}


def report_html(rb: RuleBase, report: Mapping[str, Any]) -> str:
    lang = report["lang"]
    w = REPORT_WORDS[lang]
    title = " · ".join(s["title"] for s in report["scenarios"])
    body = "".join(_scenario(rb, s, lang) for s in report["scenarios"])
    return (f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{e(w['title'])} — {e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}"
            f"<footer>{e(w['generated'])} · playbook {e(__version__)}</footer>\n</main>\n</body>\n</html>\n")


def _scenario(rb: RuleBase, s: Mapping[str, Any], lang: str) -> str:
    w, c = REPORT_WORDS[lang], COLON[lang]
    kind = f"{w['real']} ({s['source']})" if s["source"] != "invented" else w["invented"]
    real = f"{c} {e(s['real_case'])}" if s["real_case"] else ""
    hardest = next((i for i in s["injects"] if i["hardest"]), None)
    summary = (f'<p class="summary"><span class="big">{e(pct(s["average"], lang))}</span> {e(w["average"])} · '
               f"{len(s['trainees'])} {e(w['trainees'])}")
    if hardest:
        summary += f" · {e(w['hardest'])}{c} {e(hardest['at'])} ({e(hardest['id'])})"
    parts = [f'<section class="scenario">\n<header><h1>{e(w["title"])} — {e(s["title"])}</h1>',
             f'<p class="kind">{e(kind)}{real}</p>', summary + "</p></header>"]
    if not s["known"]:
        parts.append(f"<p><strong>{e(w['unknown'])}</strong></p>")
    averages = [(i["at"], i["average"]) for i in s["injects"] if i["answers"]]
    parts += [f"<h2>{e(w['chart'])}</h2>", columns(averages, w["chart"], lang)]
    parts += [f"<h2>{e(w['per_trainee'])}</h2>", _trainees(s, lang), f"<h2>{e(w['per_inject'])}</h2>"]
    parts += [_inject(rb, n, i, lang) for n, i in enumerate(s["injects"], 1)]
    parts += [_principles(s["principles"], lang), _debrief(s.get("debrief"), lang), "</section>\n"]
    return "\n".join(p for p in parts if p)


def _trainees(s: Mapping[str, Any], lang: str) -> str:
    w = REPORT_WORDS[lang]
    heads = [w["trainee"], w["score"], *(i["at"] for i in s["injects"]), w["time"]]
    rows = ["<tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in heads) + "</tr>"]
    for t in s["trainees"]:
        cells = [f'<th scope="row">{e(t["name"])}</th>',
                 f'<td class="n {band(t["percent"])}">{e(pct(t["percent"], lang))}</td>']
        for i in s["injects"]:
            value = t["injects"].get(i["id"])
            cells.append(f'<td class="n {band(value)}">{e(pct(value, lang))}</td>' if value is not None
                         else "<td>—</td>")
        cells.append(f'<td class="n">{e(duration(t["seconds"], lang))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _inject(rb: RuleBase, n: int, i: Mapping[str, Any], lang: str) -> str:
    w, c = REPORT_WORDS[lang], COLON[lang]
    kind = KIND_LABELS[lang].get(i["kind"], i["kind"])
    sender = f" — {e(i['sender'])}" if i["sender"] else ""
    out = [f'<article class="inject{" hardest" if i["hardest"] else ""}" id="inject-{n}">',
           f"<h3>{n}. {e(i['at'])} · {e(kind)}{sender}</h3>"]
    if i["sees"]:
        out.append(f"<blockquote>{e(i['sees'])}</blockquote>")
    exp = i["expected"]
    decided = " · ".join(label(rb, f, str(exp.get(f)), lang) for f in ("action", "severity", "posture") if exp.get(f))
    items = [(w["playbook"], e(decided))]
    if i["answers"]:
        right = ", ".join(f"{criterion(f, lang)} {i[f]['right']}/{i['answers']}"
                          for f in ("action", "severity", "posture"))
        items.append((w["average_head"], f"{e(pct(i['average'], lang))} · {e(w['right'])}{c} {e(right)}"))
        items.append((w["group_chose"], " · ".join(e(choices(rb, f, i[f]["choices"], lang))
                                                  for f in ("action", "severity", "posture"))))
        weakest = next((x for x in i["criteria"] if x["criterion"] == i["weakest"]), None)
        if weakest and weakest["ratio"] < 1:
            items.append((w["weakest"], e(f"{criterion(weakest['criterion'], lang)} "
                                          f"({pct(round(100 * weakest['ratio']), lang)} {w['won']})")))
        for key in ("missed", "extra"):
            if i[key]:
                items.append((w[key], e(", ".join(f"{label(rb, x['field'], x['item'], lang)} ({x['count']})"
                                                  for x in i[key][:6]))))
        if i["broken"]:
            items.append((w["broken"], e(", ".join(f"{b['constraint']} ({b['count']})" for b in i["broken"]))))
    else:
        items.append((w["no_answers"], ""))
    out.append("<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl>")
    if i["scores"]:
        out.append(bars([(s["trainee"], s["percent"]) for s in i["scores"]], w["scores_chart"], lang))
    return "\n".join(out) + "\n</article>"


def columns(values: Sequence[tuple[str, float]], title: str, lang: str) -> str:
    """A vertical bar per inject (0–100 %), its value above and its time below."""
    if not values:
        return ""
    width, height = 1000, 300
    step = width / len(values)
    bar = min(110.0, step * 0.6)
    bars_ = []
    for n, (name, value) in enumerate(values):
        middle = round(n * step + step / 2)
        h = round(2.2 * max(0.0, min(float(value), 100.0)))
        y = 250 - h
        bars_.append(f'<rect x="{round(middle - bar / 2)}" y="{y}" width="{round(bar)}" height="{h}" '
                     f'fill="{COLOURS[band(value)]}"/>'
                     f'<text x="{middle}" y="{y - 8}" text-anchor="middle" font-size="22" font-weight="700">'
                     f"{e(pct(value, lang))}</text>"
                     f'<text x="{middle}" y="282" text-anchor="middle" font-size="20">{e(_short(name, 9))}</text>')
    return (f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{e(title)}">'
            f'<line x1="0" y1="250" x2="{width}" y2="250" stroke="#111" stroke-width="2"/>'
            + "".join(bars_) + "</svg>")


def bars(values: Sequence[tuple[str, float]], title: str, lang: str) -> str:
    """A horizontal bar per trainee (0–100 %), the name on the left and the value at the end."""
    row, width = 40, 1000
    height = row * len(values) + 10
    out = []
    for n, (name, value) in enumerate(values):
        y = n * row + 5
        length = round(6.4 * max(0.0, min(float(value), 100.0)))
        out.append(f'<text x="0" y="{y + 24}" font-size="20">{e(_short(name, 22))}</text>'
                   f'<rect x="260" y="{y + 4}" width="{length}" height="28" fill="{COLOURS[band(value)]}"/>'
                   f'<text x="{268 + length}" y="{y + 25}" font-size="20" font-weight="700">'
                   f"{e(pct(value, lang))}</text>")
    return (f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{e(title)}">' + "".join(out) + "</svg>")


def _principles(principles: Sequence[Mapping[str, Any]], lang: str) -> str:
    if not principles:
        return ""
    w, c = REPORT_WORDS[lang], COLON[lang]
    items = []
    for p in principles[:8]:
        quote = f'<br><span class="quote">«\u00a0{e(p["quote"])}\u00a0»</span>' if p["quote"] else ""
        items.append(f"<li><strong>{e(p['title'])}</strong> ({e(p['source'])}) — "
                     f"{e(w['times'].format(n=p['count']))}, {e(w['at'])} {e(', '.join(p['injects']))}{c} "
                     f"{e(p['summary'])}{quote}</li>")
    return f"<h2>{e(w['principles'])}</h2>\n<ol>" + "".join(items) + "</ol>"


def _debrief(d: Mapping[str, Any] | None, lang: str) -> str:
    if not d:
        return ""
    w, c = REPORT_WORDS[lang], COLON[lang]
    parts = [f"<h2>{e(w['debrief'])}</h2>"]
    for key, text in (("happened", d["what_happened"]), ("worked", d["worked"]), ("didnt", d["did_not_work"])):
        parts.append(f"<p><strong>{e(w[key])}</strong>{c} {e(text)}</p>")
    if d["principles"]:
        titles = ", ".join(p["title"] for p in d["principles"])
        parts.append(f"<p><strong>{e(w['at_stake'])}</strong>{c} {e(titles)}</p>")
    return "\n".join(parts)


def _short(text: str, size: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"
