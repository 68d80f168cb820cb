"""Every shipped template renders the same compiled to Python as in Jinja2's sandbox.

Each part's template, in both languages, is rendered by `compiled_parts` (what compose uses)
and by the Jinja2 environment of the rule base's validation, with every context that
composing the case library builds (without and with facts, with and without approved
messages), the sample decisions validation renders, and those contexts with each name the
template reads missing or set to an odd value. Text must match byte for byte; an error must
match as `type: message`. Parts are rendered whatever their condition, to cover more.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from playbook.core.model import RuleBase
from playbook.drafting.compose import Composer
from playbook.drafting.consistency import Approved
from playbook.rulebase.draft_sections import FactSpace, sample_contexts
from playbook.rulebase.templates import MAX_OUTPUT, _environment, compiled_parts, template_names
from tests.drafting.library import LANGS, Library

Render = Callable[[Mapping[str, Any]], Iterator[str]]
ODD = [None, "", "x", 0, 2, True, False, [], ["a", "b"], {}, {"id": "a"}, [{"id": "security", "name": "N"}]]


def outcome(render: Render, context: Mapping[str, Any]) -> str:
    try:
        chunks, size = [], 0
        for chunk in render(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                return "too long"
            chunks.append(chunk)
        return "".join(chunks)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def recorded_contexts(lib: Library, lang: str) -> list[dict[str, Any]]:
    """The context of every part compose renders for the case library, once each."""
    composer = Composer(lib.rb, lib.profile, lang)
    seen: dict[str, dict[str, Any]] = {}
    render = composer._render_part

    def record(part: Any, context: Mapping[str, Any]) -> str:
        seen.setdefault(repr(sorted(context.items(), key=lambda kv: kv[0])), dict(context))
        return render(part, context)

    composer._render_part = record  # type: ignore[method-assign]
    approved = Approved({"public_reply": "We are sorry. – Maud"}, {"public_reply": "D1"}, since_statement=True)
    for case_id in lib.cases:
        for facts in (False, True):
            answers = lib.answers(case_id)
            if facts:
                answers.update(lib.facts_for(case_id, lang))
            composer.compose(answers, lib.decision(case_id))
            if facts:
                composer.compose(answers, lib.decision(case_id), approved)
    return list(seen.values())


def samples(rb: RuleBase) -> list[dict[str, Any]]:
    assert rb.drafting is not None
    space = FactSpace({q.id: q for q in rb.questions}, rb.outputs, rb.guidance,
                      tuple(s.id for s in rb.drafting.situations))
    return sample_contexts(space)


def jinja_renderers(rb: RuleBase, lang: str) -> dict[str, Render]:
    assert rb.drafting is not None
    env = _environment()
    out: dict[str, Render] = {}
    for pid, part in rb.drafting.parts.items():
        out[pid] = jinja_render(env.template_class.from_code(env, env.compile(part.text.get(lang), name=pid),
                                                             env.make_globals(None)))
    return out


def jinja_render(template: Any) -> Render:
    def render(context: Mapping[str, Any]) -> Iterator[str]:
        chunks: Iterator[str] = template.root_render_func(template.new_context(context, shared=True))
        return chunks

    return render


@pytest.mark.parametrize("lang", LANGS)
def test_every_shipped_template_renders_as_in_jinja(lib: Library, lang: str) -> None:
    rb = lib.rb
    assert rb.drafting is not None
    compiled = compiled_parts(rb.drafting, lang, rb.digest + "\0".join(rb.paths))
    fallback = [pid for pid, render in compiled.items() if not render.__code__.co_filename.startswith("<template")]
    assert fallback == [], "every shipped template is compiled to Python"
    jinja = jinja_renderers(rb, lang)
    contexts = recorded_contexts(lib, lang) + samples(rb)
    assert len(contexts) > 300
    rng = random.Random(f"templates-{lang}")
    differ, rendered, failed = [], 0, 0
    for pid, part in rb.drafting.parts.items():
        variants = list(contexts)
        for name in sorted(template_names(part.text.get(lang))):
            base = rng.choice(contexts)
            variants.append({k: v for k, v in base.items() if k != name})  # undefined
            variants.extend({**base, name: value} for value in rng.sample(ODD, 4))
        for context in variants:
            got, expected = outcome(compiled[pid], context), outcome(jinja[pid], context)
            rendered += 1
            failed += expected.startswith(("UndefinedError", "TypeError", "SecurityError"))
            if got != expected:
                differ.append(f"{pid} ({lang}): {got!r} != {expected!r}")
    assert differ == [], f"{len(differ)} of {rendered} renders differ:\n" + "\n".join(differ[:10])
    assert failed > 100, "the odd contexts make templates fail too: errors are compared, not only text"


def test_an_overlay_outside_the_subset_is_drafted_by_jinja(overlay: Callable[..., Path], lib: Library) -> None:
    """A rule author's macro, filter block or `loop` works as it always did: Jinja2 renders that part."""
    from playbook.drafting.compose import compose
    from playbook.rulebase import load as rulebase

    custom = rulebase.load([overlay("""
        draft_parts:
          - id: reply.sign_off
            required: true
            text:
              en: "{% macro sig(s) %}{{ s }}{% endmacro %}{% for c in 'ab' %}{{ loop.index }}{% endfor %}
                {%- filter upper %}{{ sig(sign_off) }}{% endfilter %}"
              fr: "{{ sign_off }}"
    """)], use_cache=False)
    assert custom.drafting is not None
    parts = compiled_parts(custom.drafting, "en", custom.digest + "\0".join(custom.paths))
    assert parts["reply.sign_off"].__qualname__.startswith("_Fallback")
    assert parts["reply.complaint"].__code__.co_filename.startswith("<template")
    case = "united_breaks_guitars"
    en = compose(custom, lib.profile, lib.answers(case), lib.decision(case), "en")[0]
    fr = compose(custom, lib.profile, lib.answers(case), lib.decision(case), "fr")[0]
    assert en["text"].endswith(" 12– MAUD") and fr["text"].endswith(" – Maud")
