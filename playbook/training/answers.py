"""Recorded answers: a trainee's choices for every inject, graded without a terminal.

`playbook train SCENARIO --template` writes the file to fill (YAML, with the narrative and
each inject as comments, and the allowed values); `--answers FILE` reads it back (YAML or
JSON), every mistake located (`file:line:col`, did-you-mean, allowed values; exit 2):

    scenario: united_breaks_guitars
    trainee: Alice                    # optional: else --as NAME, else the OS user
    injects:
      - inject: the_song
        action: respond_publicly
        severity: moderate
        posture: rebuild
        strategy: [apologize, offer_repair]
        escalate_to: [customer_service]
        message: "…"                  # when the inject asks for one
        seconds: 95                   # optional: time taken to decide
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playbook.core.answers import kind_of
from playbook.core.model import RuleBase
from playbook.core.record import record
from playbook.core.scenario import Scenario, clock
from playbook.errors import UsageError, did_you_mean
from playbook.rulebase.source import display_path, load_yaml, read_text
from playbook.rulebase.validate import Item, Problems, check_keys
from playbook.training.rubric import Choice

TOP_KEYS = ("scenario", "injects")
TOP_OPTIONAL = ("trainee", "lang")
ENTRY_KEYS = ("inject", "action", "severity", "posture")
ENTRY_OPTIONAL = ("strategy", "escalate_to", "message", "seconds")
SINGLE = ("action", "severity", "posture")
LISTS = ("strategy", "escalate_to")


@record
class Recorded:
    """A trainee's recorded choices, one per inject in the scenario's order."""

    scenario: str
    choices: tuple[Choice, ...]
    trainee: str | None = None
    lang: str | None = None


def read(rb: RuleBase, scenario: Scenario, path: str | Path) -> Recorded:
    """The answers file for `scenario`, validated; all mistakes at once (UsageError, exit 2)."""
    label = "<stdin>" if str(path) == "-" else display_path(path)
    data, located = load_yaml(read_text(path), label)
    problems = Problems()
    top = Item(data, located, ())
    if not check_keys(top, "", problems, TOP_KEYS, TOP_OPTIONAL) or not all(k in data for k in TOP_KEYS):
        raise UsageError(problems.messages or [f"{label}: expected a mapping with 'scenario' and 'injects'"])
    if data["scenario"] != scenario.id:
        raise UsageError(f"{top.at('scenario')}: these answers are for scenario '{data['scenario']}', "
                         f"not '{scenario.id}'")
    for key in TOP_OPTIONAL:
        if key in data and data[key] is not None and not isinstance(data[key], str):
            problems.add(top.at(key), "", f"'{key}' must be a text")
    if data.get("lang") not in (None, "en", "fr"):
        problems.add(top.at("lang"), "", f"unknown language '{data['lang']}'; allowed: en, fr")
    choices = _entries(rb, scenario, top, problems)
    if problems.messages:
        raise UsageError(problems.messages)
    trainee = data.get("trainee")
    return Recorded(scenario.id, tuple(choices), trainee.strip() or None if isinstance(trainee, str) else None,
                    data.get("lang") or None)


def _entries(rb: RuleBase, scenario: Scenario, top: Item, problems: Problems) -> list[Choice]:
    raw = top.data["injects"]
    if not isinstance(raw, list):
        problems.add(top.at("injects"), "", "'injects' takes a list, one entry per inject")
        return []
    ids = [i.id for i in scenario.injects]
    found: dict[str, Choice] = {}
    for n in range(len(raw)):
        item = Item(raw[n], top.located, ("injects", n))
        iid = item.data.get("inject") if isinstance(item.data, dict) else None
        what = f"inject '{iid}'"
        if not check_keys(item, what, problems, ENTRY_KEYS, ENTRY_OPTIONAL) or "inject" not in item.data:
            continue
        if iid not in ids:
            problems.add(item.at("inject"), what, f"no such inject in '{scenario.id}'{did_you_mean(iid, ids)}; "
                         f"its injects: {', '.join(ids)}")
            continue
        if iid in found:
            problems.add(item.at("inject"), what, "answered twice")
            continue
        choice = _choice(rb, item, what, problems)
        if choice is not None:
            found[str(iid)] = choice
    missing = [i for i in ids if i not in found]
    if missing and not problems.messages:
        problems.add(top.at("injects"), "", f"no answer for inject(s) {', '.join(missing)}; "
                     "give one entry per inject (playbook train SCENARIO --template writes them all)")
    return [found[i] for i in ids if i in found]


def _choice(rb: RuleBase, item: Item, what: str, problems: Problems) -> Choice | None:
    values: dict[str, Any] = {}
    ok = True
    for fid in (*SINGLE, *LISTS):
        allowed = rb.outputs[fid].values if fid in rb.outputs else ()
        raw = item.data.get(fid)
        if fid in LISTS:
            raw = [] if raw is None else raw if isinstance(raw, list) else [raw]
        for value in raw if fid in LISTS else [raw]:
            if value not in allowed:
                problem = "not chosen yet" if value is None else \
                    f"'{value}' is not allowed{did_you_mean(value, allowed)}" if isinstance(value, str) else \
                    f"{kind_of(value)} is not a value"
                problems.add(item.at(fid), what, f"'{fid}': {problem}; allowed: {', '.join(allowed)}")
                ok = False
        values[fid] = tuple(dict.fromkeys(v for v in raw if isinstance(v, str))) if fid in LISTS else raw
    message, seconds = item.data.get("message"), item.data.get("seconds")
    if message is not None and not isinstance(message, str):
        problems.add(item.at("message"), what, "'message' must be a text")
        ok = False
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0):
        problems.add(item.at("seconds"), what, "'seconds' must be a number of seconds, 0 or more")
        ok = False
    if not ok:
        return None
    return Choice(values["action"], values["severity"], values["posture"], values["strategy"],
                  values["escalate_to"], message.strip() if isinstance(message, str) and message.strip() else None,
                  float(seconds) if seconds is not None else None)


WORDS = {
    "en": {"head": "Answers for the training scenario", "fill": "Fill in each inject's choices, then grade them:",
           "allowed": "allowed", "write": "write the message asked for", "optional": "optional",
           "seconds": "time taken to decide, in seconds", "from": "from", "trainee": "the trainee's name",
           "none": "none", "any": "any of"},
    "fr": {"head": "Réponses pour le scénario d'entraînement", "fill": "Remplissez les choix de chaque événement, "
           "puis faites-les noter :", "allowed": "valeurs possibles", "write": "rédigez le message demandé",
           "optional": "facultatif", "seconds": "temps de décision, en secondes", "from": "de",
           "trainee": "le nom du stagiaire", "none": "aucune", "any": "parmi"},
}


def template(rb: RuleBase, scenario: Scenario, lang: str, trainee: str | None = None) -> str:
    """The answers file to fill for `scenario`: YAML, its texts as comments in `lang`."""
    w = WORDS[lang]
    lines = [f"# {w['head']}: {scenario.title.get(lang)}",
             f"# {w['fill']} playbook train {scenario.id} --answers FILE", "#"]
    lines += _comment(scenario.narrative.get(lang))
    lines += ["", f"scenario: {scenario.id}", f"trainee: {_quote(trainee or '')}  # {w['trainee']}",
              f"lang: {lang}", "injects:"]
    for inject in scenario.injects:
        sender = f" — {inject.sender.get(lang)}" if inject.sender else ""
        lines += ["", f"  # {clock(inject.at)} · {inject.kind}{sender}"]
        lines += _comment(inject.sees.get(lang), indent="  ")
        lines += [f"  - inject: {inject.id}"]
        for fid in SINGLE:
            lines.append(f"    {fid}:   # {w['allowed']}: {' | '.join(rb.outputs[fid].values)}")
        for fid in LISTS:
            lines.append(f"    {fid}: []   # {w['any']}: {', '.join(rb.outputs[fid].values)}")
        if inject.message:
            lines.append(f"    message: |   # {w['write']}: {inject.message.prompt.get(lang)}")
            lines.append("      ")
        lines.append(f"    seconds:   # {w['optional']}: {w['seconds']}")
    return "\n".join(lines) + "\n"


def _comment(text: str, indent: str = "") -> list[str]:
    import textwrap

    out = []
    for paragraph in text.splitlines():
        out += [f"{indent}# {line}" for line in textwrap.wrap(paragraph, 96) or [""]]
    return out


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
