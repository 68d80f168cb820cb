"""Draft templates: the sandboxed Jinja2 environment, validation of template sources, and
their compiled code, cached on disk.

The rule base validates every part's template here when it is built; `drafting.compose`
renders with the same environment, so a template that validates renders with the same
filters and the same strict undefined. The only module that imports jinja2, and only when a
draft is rendered or a rule base is validated.
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Any

from playbook.core.draftmodel import DraftBase, DraftPart
from playbook.errors import RuleBaseError, did_you_mean
from playbook.rulebase import cache, tplruntime
from playbook.rulebase.source import display_where
from playbook.rulebase.tplruntime import MAX_OUTPUT, sentence

__all__ = ["MAX_OUTPUT", "TEMPLATE_VARIABLES", "compiled_parts", "python_code", "sample_failure", "sentence",
           "template_names", "template_problems"]

CODE_FORMAT = "2"  # compiled code depends on the environment (its intercepted operators): bump with it

# What templates may use besides the answers (by id), the outputs (by id; lists as lists)
# and the context flags `sensitive` and `facts_unknown`.
TEMPLATE_VARIABLES = (
    "org",            # the organisation's name
    "spokesperson",   # the spokesperson's name
    "role",           # the spokesperson's role, in the draft's language
    "signature",      # the full signature of statements (may span lines)
    "sign_off",       # the short sign-off of replies (`– Maud`)
    "executive_signature",  # the executive's name, role and organisation ('' when the profile has none)
    "press_contact",  # the spokesperson's e-mail and phone
    "updates_page",   # where updates and the facts are published (the profile's `web`)
    "support",        # how customers reach customer service ('' if the profile has none)
    "support_short",  # the same, one address only (for short replies)
    "contacts",       # escalation contacts for the decision: [{id, label, name, reach}]
    "channel",        # the channel id of this draft, and its label
    "channel_label",
    "next_update",    # the next update's delay in words ('2 hours'), '' when none is due
    "respond_within",
    "situation",      # the incident's situation id (drafts.yaml `situations`), 'general' when none matches
    "given",          # the ids of the drafting facts given (a missing one shows its placeholder)
    "approved_line",  # an incident's approved public reply, without its sign-off ('' when none)
    "since_last",     # true when the facts changed since the incident's last approved statement
)


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Bounded(SandboxedEnvironment):
        """The sandbox, with arithmetic that cannot build a gigabyte string or number (`tplruntime`)."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                return tplruntime.mul(left, right)
            if operator == "**":
                return tplruntime.power(left, right)
            return super().call_binop(context, operator, left, right)

    env = Bounded(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                  lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["sentence"] = sentence
    return env


def compiled_parts(db: DraftBase, lang: str, key: str) -> dict[str, Any]:
    """Every part's template in one language, compiled once per rule base and cached on disk.

    Compiling takes ~2 ms a template; loading the cached code of all of them takes ~1 ms,
    so a triage pays for compilation only the first time. `key` names the rule base.
    """
    import marshal

    env = _environment()
    path = _code_cache(key, lang)
    data = cache.read_bytes(path)
    try:
        codes: Any = marshal.loads(data) if data is not None else None
    except (ValueError, EOFError, TypeError):
        codes = None
    if not isinstance(codes, dict) or set(codes) != set(db.parts):
        codes = {pid: _compile(env, part, lang) for pid, part in db.parts.items()}
        cache.write_bytes(path, marshal.dumps(codes))
    template_class = env.template_class
    return {pid: template_class.from_code(env, code, env.make_globals(None)) for pid, code in codes.items()}


def python_code(source: str, name: str | None = None) -> CodeType | None:
    """A template compiled to Python (it defines `render(ctx)`), or None if Jinja2 must render it."""
    from jinja2 import TemplateSyntaxError

    from playbook.rulebase.tplcompile import Unsupported, compile_template

    try:
        python = compile_template(_environment().parse(source, name=name), name)
        return compile(python, f"<template {name or ''}>", "exec")
    except (Unsupported, TemplateSyntaxError, SyntaxError, RecursionError, MemoryError):
        return None  # outside the subset, too deep for Python, or a syntax error (Jinja2 reports it)


def _compile(env: Any, part: DraftPart, lang: str) -> Any:
    try:
        return env.compile(part.text.get(lang), name=part.id)
    except Exception as exc:  # validated on load; an overlay edited since would land here
        raise RuleBaseError(f"{display_where(part.where)}: part '{part.id}': template '{lang}': {exc}") from None


def _code_cache(key: str, lang: str) -> Path | None:
    """Compiled code depends on the templates, jinja2 and the Python version."""
    import jinja2

    parts = [key, lang, jinja2.__version__, sys.implementation.cache_tag or "", CODE_FORMAT]
    stamp = hashlib.sha256("\0".join(parts).encode())
    return cache.cache_file(f"templates-{stamp.hexdigest()[:32]}.marshal")


def sample_failure(source: str, contexts: list[dict[str, Any]]) -> str | None:
    """Why a template fails to render on sample decisions (sandbox, undefined name, size), or None.

    Rendering every part once when the rule base is validated turns a template that would
    fail every triage into a rule-base error with its place, before any user meets it.
    """
    env = _environment()
    try:
        template = env.from_string(source)
        for context in contexts:
            size = 0
            for chunk in template.root_render_func(template.new_context(context, shared=True)):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    return f"it writes more than {MAX_OUTPUT:,} characters"
    except Exception as exc:  # whatever the template raises is the rule base's mistake
        return f"{type(exc).__name__}: {exc}"
    return None


def template_names(source: str) -> set[str]:
    """The variables a template reads (none if it does not parse: `template_problems` says why)."""
    from jinja2 import TemplateSyntaxError, meta

    try:
        return set(meta.find_undeclared_variables(_environment().parse(source)))
    except TemplateSyntaxError:  # reported by template_problems
        return set()


def template_problems(source: str, known: set[str]) -> list[tuple[int, str]]:
    """Syntax errors and unknown variables or filters of a template, with their line."""
    from jinja2 import TemplateSyntaxError, meta, nodes

    env = _environment()
    try:
        ast = env.parse(source)
        undeclared = meta.find_undeclared_variables(ast)  # compiles: an unknown filter block fails here
    except TemplateSyntaxError as exc:  # TemplateAssertionError (unknown filter, test) included
        return [(exc.lineno, exc.message or "syntax error")]
    found = []
    for name in sorted(undeclared - known):
        line = next((n.lineno for n in ast.find_all(nodes.Name) if n.name == name), 1)
        found.append((line, f"unknown variable '{name}'{did_you_mean(name, sorted(known))}"))
    for f in ast.find_all(nodes.Filter):
        if f.name not in env.filters:
            found.append((f.lineno, f"unknown filter '{f.name}'{did_you_mean(f.name, list(env.filters))}"))
    return found
