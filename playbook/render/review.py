"""The post-incident review (`playbook incident export`) as Markdown or as one self-contained
HTML page (inline style, no script, no external asset: it can be mailed or archived as is).

Both render the review document of `record.review`. User text is data: escaped for Markdown
(`md_escape`, line breaks kept inside their block) and for HTML (`html.escape`), with control
characters made visible.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from playbook.render.common import md_escape, one_line, visible
from playbook.render.incident import duration

STYLE = ("body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}"
         "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;"
         "text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f6f6f6;padding:.8rem}"
         ".late{color:#b00}")


def _when(at: str | None) -> str:
    return f"{at[:16].replace('T', ' ')} UTC" if at else "-"


def _first(doc: Mapping[str, Any]) -> str:
    f = doc["response_times"]["first_response"]
    if f["at"] is None:
        return "No message was approved or published."
    deadline = f" (deadline {duration(f['deadline_minutes'])}: {'met' if f['met'] else 'MISSED'})" \
        if f["deadline_minutes"] else ""
    return f"First response after {duration(f['minutes'])}, {f['draft']} at {_when(f['at'])}{deadline}."


def _update_line(u: Mapping[str, Any]) -> str:
    late = f", {duration(u['late_minutes'])} late" if u["late_minutes"] else ", on time"
    cadence = f" (cadence {duration(u['cadence_minutes'])}{late})" if u["cadence_minutes"] else ""
    return f"{u['draft']} at {_when(u['at'])}, {duration(u['after_minutes'])} after the previous message{cadence}"


def _decision_line(d: Mapping[str, Any]) -> str:
    head = (f"{_when(d['at'])}, by {d['by']}: {d['action']}, severity {d['severity']}, respond within "
            f"{_dur(d['respond_within_minutes'])}, update every {_dur(d['next_update_minutes'])}")
    changes = []
    for field, c in d["changes"].items():
        if field in ("do", "avoid"):
            continue
        why = d["rules"].get("by_field", {}).get(field, {})
        rules = [f"+{r}" for r in why.get("added", ())] + [f"-{r}" for r in why.get("removed", ())] + [
            f"~{r}" for r in why.get("changed", ())]
        value = (" ".join([f"+{v}" for v in c["added"]] + [f"-{v}" for v in c["removed"]]) if "added" in c
                 else f"{c['old']} → {c['new']}")
        changes.append(f"{field}: {value}" + (f" (rules {', '.join(rules)})" if rules else ""))
    return head + (f"; changed {'; '.join(changes)}" if changes else "")


def _dur(value: Any) -> str:
    return duration(value) if isinstance(value, int) else "-"


def review_markdown(doc: Mapping[str, Any]) -> str:
    i = doc["incident"]
    out = [f"# Post-incident review: {i['id']}", "", f"**{md_escape(one_line(i['title']))}**", "",
           f"- Status: {i['status']}; severity at the end: {i['severity']}",
           f"- Opened {_when(i['opened_at'])} by {md_escape(one_line(i['opened_by']))}; "
           f"closed {_when(i['closed_at'])}", "", "## Response times", "", f"- {_first(doc)}"]
    out += [f"- Update: {md_escape(_update_line(u))}" for u in doc["response_times"]["updates"]]
    out += ["", "## Decisions", ""]
    out += [f"{n}. {md_escape(one_line(_decision_line(d)))}" for n, d in enumerate(doc["decisions"], 1)]
    out += ["", "## Approved messages", ""]
    for m in doc["messages"]:
        a = m["approval"]
        pubs = "; ".join(f"{p['channel'] or ''} {p['url'] or ''}".strip() + f" at {_when(p['at'])}"
                         for p in m["publications"]) or "not published"
        out += [f"### {m['id']} · {md_escape(m['title'])} · approved by {md_escape(one_line(a['by']))} at "
                f"{_when(a['at'])}{' (edited)' if a['edited'] else ''}", "", f"Published: {md_escape(one_line(pubs))}",
                "", *(f"> {md_escape(visible(line))}".rstrip() for line in a["text"].splitlines()), ""]
    if not doc["messages"]:
        out += ["None.", ""]
    out += ["## Timeline", "", "| # | time | who | what |", "|---|---|---|---|"]
    out += [f"| {e['seq']} | {e['at'][11:19]} | {md_escape(one_line(e['actor']))} | {md_escape(one_line(e['what']))} |"
            for e in doc["timeline"]]
    out += ["", "## What to learn", ""]
    out += [f"- {md_escape(one_line(x['text']))}" + (f" ({md_escape(one_line(x['by']))})" if x.get("by") else "")
            for x in doc["lessons"]] or ["- Nothing recorded."]
    return "\n".join(out) + "\n"


def _h(text: Any) -> str:
    return html.escape(visible(str(text)), quote=True)


def review_html(doc: Mapping[str, Any]) -> str:
    i = doc["incident"]
    body = [f"<h1>Post-incident review: {_h(i['id'])}</h1>", f"<p><strong>{_h(i['title'])}</strong></p>",
            f"<p>Status: {_h(i['status'])}; severity at the end: {_h(i['severity'])}. "
            f"Opened {_h(_when(i['opened_at']))} by {_h(i['opened_by'])}; closed {_h(_when(i['closed_at']))}.</p>",
            "<h2>Response times</h2>", f"<ul><li>{_h(_first(doc))}</li>"]
    late = ' class="late"'
    body += [f"<li{late if u['late_minutes'] else ''}>Update: {_h(_update_line(u))}</li>"
             for u in doc["response_times"]["updates"]]
    body += ["</ul>", "<h2>Decisions</h2>", "<ol>"]
    body += [f"<li>{_h(_decision_line(d))}</li>" for d in doc["decisions"]]
    body += ["</ol>", "<h2>Approved messages</h2>"]
    for m in doc["messages"]:
        a = m["approval"]
        pubs = "; ".join(f"{p['channel'] or ''} {p['url'] or ''}".strip() + f" at {_when(p['at'])}"
                         for p in m["publications"]) or "not published"
        body += [f"<h3>{_h(m['id'])} · {_h(m['title'])} · approved by {_h(a['by'])} at {_h(_when(a['at']))}"
                 f"{' (edited)' if a['edited'] else ''}</h3>", f"<p>Published: {_h(pubs)}</p>",
                 f"<pre>{_h(a['text'])}</pre>"]
    if not doc["messages"]:
        body.append("<p>None.</p>")
    body += ["<h2>Timeline</h2>", "<table><tr><th>#</th><th>time</th><th>who</th><th>what</th></tr>"]
    body += [f"<tr><td>{e['seq']}</td><td>{_h(e['at'][11:19])}</td><td>{_h(e['actor'])}</td>"
             f"<td>{_h(e['what'])}</td></tr>" for e in doc["timeline"]]
    body += ["</table>", "<h2>What to learn</h2>", "<ul>"]
    body += [f"<li>{_h(x['text'])}{' (' + _h(x['by']) + ')' if x.get('by') else ''}</li>" for x in doc["lessons"]]
    if not doc["lessons"]:
        body.append("<li>Nothing recorded.</li>")
    body.append("</ul>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>Post-incident review {_h(i['id'])}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
