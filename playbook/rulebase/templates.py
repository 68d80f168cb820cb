"""Draft templates: the sandboxed Jinja2 environment, validation of template sources, and the
templates compiled for rendering, cached on disk.

The rule base validates every part's template here, with Jinja2, when it is built. For
rendering, `compiled_parts` compiles each template once per rule base and language to a plain
Python function (`tplcompile`, whose code calls only `tplruntime`), so that a triage with
drafts never imports jinja2 (20-50 ms). A template outside the compiler's subset (an overlay's
macro, say) is compiled by Jinja2 instead and renders in its sandbox, as every template once
did. Both paths write the same text and fail with the same `Type: message`: the tests render
every shipped template both ways (`tests/drafting/test_compiled_templates.py`).
jinja2 is imported here only: when a rule base is validated, a template compiled, or a
template outside the subset rendered.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from types import CodeType

from playbook.core.draftmodel import DraftBase, DraftPart
from playbook.errors import RuleBaseError, did_you_mean
from playbook.rulebase import cache, tplruntime
from playbook.rulebase.source import display_where
from playbook.rulebase.tplruntime import MAX_OUTPUT, sentence
from playbook.version import __version__

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_OUTPUT", "TEMPLATE_VARIABLES", "Renderer", "compiled_parts", "python_code", "sample_failure",
           "sentence", "template_names", "template_problems"]

CODE_FORMAT = "3"  # what the cache file holds (see compiled_parts): bump when it changes
Renderer = Callable[[Mapping[str, "Any"]], Iterator[str]]  # a compiled template: context -> chunks of text

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


def compiled_parts(db: DraftBase, lang: str, key: str) -> dict[str, Renderer]:
    """Every part's template in one language, compiled once per rule base and cached on disk.

    Compiling takes ~2 ms a template; loading the cached code of all of them well under 1 ms,
    so a triage pays for compilation only the first time. `key` names the rule base. The
    cache holds marshalled code objects, ours only (digest- and owner-checked by `cache`).
    """
    path = _code_cache(key, lang)
    payload = _read(path, db)
    if payload is not None:
        try:
            return _renderers(payload)
        except Exception as exc:  # code that is not what we wrote (cannot happen short of a bug): rebuild
            cache.debug(f"{path} cannot be loaded ({type(exc).__name__}); rebuilding")
    import marshal

    payload = _build(db, lang)
    cache.write_bytes(path, marshal.dumps(payload))
    return _renderers(payload)


def _renderers(payload: dict[str, Any]) -> dict[str, Renderer]:
    namespace = tplruntime.namespace()
    renderers: dict[str, Renderer] = {}
    for pid, code in payload["python"].items():
        exec(code, namespace)  # defines `render`: code we compiled, read back from our own cache
        renderers[pid] = namespace.pop("render")  # type: ignore[assignment]
    if payload["jinja"]:
        fallback = _Fallback(payload)
        renderers.update((pid, fallback.renderer(pid)) for pid in payload["jinja"])
    return renderers


def python_code(source: str, name: str | None = None) -> CodeType | None:
    """A template compiled to Python (it defines `render(ctx)`), or None if Jinja2 must render it."""
    code = _python(source, name)
    return code if isinstance(code, CodeType) else None


def _python(source: str, name: str | None) -> CodeType | str:
    """The template's Python code, or why Jinja2 must render it."""
    from jinja2 import TemplateSyntaxError

    from playbook.rulebase.tplcompile import Unsupported, compile_template

    try:
        python = compile_template(_environment().parse(source, name=name), name)
        return compile(python, f"<template {name or ''}>", "exec")
    except (Unsupported, TemplateSyntaxError, SyntaxError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"  # outside the subset, too deep for Python, or Jinja2's to report


def _build(db: DraftBase, lang: str) -> dict[str, Any]:
    python, fallback = {}, {}
    for pid, part in db.parts.items():
        code = _python(part.text.get(lang), pid)
        if isinstance(code, CodeType):
            python[pid] = code
        else:
            fallback[pid] = _compile(_environment(), part, lang)
            cache.debug(f"template '{pid}' ({lang}) renders with Jinja2: {code}")
    return {"python": python, "jinja": fallback, "jinja2": _jinja_stamp()}


def _read(path: str | None, db: DraftBase) -> dict[str, Any] | None:
    import marshal

    data = cache.read_bytes(path)
    try:
        payload: Any = marshal.loads(data) if data is not None else None
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), dict) for k in ("python", "jinja")):
        return None
    codes = {**payload["python"], **payload["jinja"]}
    if set(codes) != set(db.parts) or len(codes) != len(payload["python"]) + len(payload["jinja"]) \
            or not all(isinstance(c, CodeType) for c in codes.values()) or not _same_jinja(payload.get("jinja2")):
        return None
    return payload


def _jinja_stamp() -> list[Any]:
    """Which jinja2 parsed (and compiled) the templates: its file, size and time, told without importing it."""
    import jinja2

    st = os.stat(jinja2.__file__ or "")
    return [jinja2.__file__, st.st_size, st.st_mtime_ns]


def _same_jinja(stamp: Any) -> bool:
    try:
        path, size, mtime = stamp
        st = os.stat(path)
    except (OSError, TypeError, ValueError):
        return False
    return (st.st_size, st.st_mtime_ns) == (size, mtime)


class _Fallback:
    """The parts Jinja2 renders: jinja2 is imported, and their code loaded, when the first one renders."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload
        self._templates: dict[str, Any] | None = None

    def renderer(self, pid: str) -> Renderer:
        def render(context: Mapping[str, Any]) -> Iterator[str]:
            template = self.template(pid)
            # A shared context skips copying ~50 variables per part (5 us instead of 25).
            chunks: Iterator[str] = template.root_render_func(template.new_context(context, shared=True))
            return chunks

        return render

    def template(self, pid: str) -> Any:
        if self._templates is None:
            env = _environment()
            make = env.template_class.from_code
            self._templates = {p: make(env, code, env.make_globals(None)) for p, code in self.payload["jinja"].items()}
        return self._templates[pid]


def _compile(env: Any, part: DraftPart, lang: str) -> Any:
    try:
        return env.compile(part.text.get(lang), name=part.id)
    except Exception as exc:  # validated on load; an overlay edited since would land here
        raise RuleBaseError(f"{display_where(part.where)}: part '{part.id}': template '{lang}': {exc}") from None


def _code_cache(key: str, lang: str) -> str | None:
    """Compiled code depends on the templates, the compiler and its runtime, and the Python version.

    And on jinja2 (its parser, and its compiler for the parts it renders): the file holds which
    jinja2 built it (`_jinja_stamp`), checked with a `stat`, so that a cache hit needs no jinja2.
    """
    parts = [key, lang, tplruntime.FORMAT, __version__, sys.implementation.cache_tag or "", CODE_FORMAT]
    stamp = cache.sha256("\0".join(parts).encode())
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
