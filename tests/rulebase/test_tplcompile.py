"""Templates compiled to Python render as Jinja2's sandbox does: the same text, the same errors.

Each case renders a small template both ways (`python_code` and the Jinja2 environment of
`rulebase.templates`) and compares the text, or the error's `type: message`. The shipped
templates are compared one by one in tests/drafting/test_compiled_templates.py.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.rulebase import tplruntime
from playbook.rulebase.templates import MAX_OUTPUT, _environment, python_code
from tests.helpers import ROOT

Render = Callable[[Mapping[str, Any]], Iterator[str]]


def compiled(source: str, name: str | None = "t") -> Render:
    code = python_code(source, name)
    assert code is not None, f"not compiled: {source}"
    namespace = tplruntime.namespace()
    exec(code, namespace)
    render: Render = namespace["render"]  # type: ignore[assignment]
    return render


def jinja(source: str, name: str | None = "t") -> Render:
    env = _environment()
    template = env.template_class.from_code(env, env.compile(source, name=name), env.make_globals(None))
    return lambda context: template.root_render_func(template.new_context(context, shared=True))


def outcome(render: Render, context: Mapping[str, Any]) -> str:
    """The text, or `Type: message` for an error, the size limit applied as compose applies it."""
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


def both(source: str, context: Mapping[str, Any] | None = None) -> str:
    context = context or {}
    got, expected = outcome(compiled(source), context), outcome(jinja(source), context)
    assert got == expected, source
    return got


# --- what Jinja2 with strict undefined says, said alike ---------------------------------------

@pytest.mark.parametrize(("source", "context", "expected"), [
    ("{{ foo }}", {}, "UndefinedError: 'foo' is undefined"),
    ("{{ d.x }}", {"d": {}}, "UndefinedError: 'dict object' has no attribute 'x'"),
    ("{{ d['x'] }}", {"d": {}}, "UndefinedError: 'dict object' has no attribute 'x'"),
    ("{{ l[3] }}", {"l": []}, "UndefinedError: list object has no element 3"),
    ("{{ n.x }}", {"n": None}, "UndefinedError: 'None' has no attribute 'x'"),
    ("{{ foo.x }}", {}, "UndefinedError: 'foo' is undefined"),
    ("{% if foo %}x{% endif %}", {}, "UndefinedError: 'foo' is undefined"),
    ("{{ foo == 1 }}", {}, "UndefinedError: 'foo' is undefined"),
    ("{{ 'a' in foo }}", {}, "UndefinedError: 'foo' is undefined"),
    ("{{ foo in [] }}", {}, "False"),  # nothing to compare with: no error, in Jinja2 either
    ("{{ foo in ['a'] }}", {}, "UndefinedError: 'foo' is undefined"),
    ("{{ foo in 'abc' }}", {}, "TypeError: 'in <string>' requires string as left operand, not StrictUndefined"),
    ("{{ foo is none }}", {}, "False"),
    ("{{ foo is defined }}", {}, "False"),
    ("{% set y = foo %}{{ 'lazy' }}", {}, "lazy"),
    ("{% set y = foo %}{{ y }}", {}, "UndefinedError: 'foo' is undefined"),
    ("{{ {'a': 1}.get(foo, 2) }}", {}, "UndefinedError: 'foo' is undefined"),
    ("{{ foo.get('a') }}", {}, "UndefinedError: 'foo' is undefined"),
    ("{{ s.get('a') }}", {"s": "x"}, "UndefinedError: 'str object' has no attribute 'get'"),
    ("{{ x }}|{{ none }}", {"x": None}, "None|None"),
    ("[{{ 'a' if false }}]", {}, "[]"),  # an inline if without else gives Jinja2's lenient undefined
    ("{{ ('a' if false) ~ 'b' }}", {}, "b"),
    ("{{ ('a' if false) + 'b' }}", {},
     "UndefinedError: the inline if-expression on line 1 in 't' evaluated to false and no else section was defined."),
    ("{{ ('a' if false).x }}", {},
     "UndefinedError: the inline if-expression on line 1 in 't' evaluated to false and no else section was defined."),
    ("{{ s.__class__ }}", {"s": "x"}, "SecurityError: access to attribute '__class__' of 'str' object is unsafe."),
    ("{{ s['__class__'] }}", {"s": "x"}, "SecurityError: access to attribute '__class__' of 'str' object is unsafe."),
    ("{{ s._x is none }}", {"s": "x"}, "False"),  # an unsafe attribute is an undefined: it fails when used
    ("{{ d._x }}", {"d": {"_x": 1}}, "1"),  # a key is data, not an attribute
    ("{{ 'a' * 10**9 }}", {}, "SecurityError: '*' would build 1,000,000,000 items (the limit is 50,000)"),
    ("{{ 10**9 * [1] }}", {}, "SecurityError: '*' would build 1,000,000,000 items (the limit is 50,000)"),
    ("{{ 2 ** 100 }}", {}, "SecurityError: '**' with an exponent of 100 (the limit is 64)"),
    ("{{ 'ab' * 3 }}{{ 2 ** 10 }}", {}, "ababab1024"),
    ("{{ 'a' * 40000 }}{{ 'b' * 40000 }}", {}, "too long"),
    ("{{ 'a' * 40000 }}{{ 'b' * 40000 }}{{ foo }}", {}, "too long"),  # the size is checked first
    ("{{ none < 1 }}", {}, "TypeError: '<' not supported between instances of 'NoneType' and 'int'"),
    ("{{ x[1:] }}{{ x[:-1] }}{{ x[::2] }}", {"x": "abcd"}, "bcdabcac"),
    ("{{ x[1:] }}", {"x": None}, "TypeError: 'NoneType' object is not subscriptable"),
    ("{{ [1, 'a'] | join(', ') }}|{{ l | join }}", {"l": [None, 2]}, "1, a|None2"),
    ("{{ x | sentence }}|{{ x | upper }}|{{ 3 | lower }}", {"x": " a  b "}, "a b.| A  B |3"),
    ("{{ x | first }}", {"x": []}, "UndefinedError: No first item, sequence was empty."),
    ("{{ x | default('d') }}{{ '' | default('e', true) }}", {}, "de"),
    ("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {"d": {"a": 1, "b": [2]}}, "a=1;b=[2];"),
    ("{% for c in cs %}{{ c }}{% endfor %}{{ c }}", {"cs": [1, 2], "c": "!"}, "12!"),
    ("{% for a, b in x %}{% endfor %}", {"x": [[1]]}, "ValueError: not enough values to unpack (expected 2, got 1)"),
])
def test_semantics_and_errors_match_jinja(source: str, context: dict[str, Any], expected: str) -> None:
    assert both(source, context) == expected


def test_the_inline_if_names_the_template_only_when_it_has_a_name() -> None:
    source = "{{ ('a' if false) + 'b' }}"
    assert outcome(compiled(source, None), {}) == outcome(jinja(source, None), {}) == (
        "UndefinedError: the inline if-expression on line 1 evaluated to false and no else section was defined.")


CONTACTS = [{"id": "a", "name": "Ann", "reach": ""}, {"id": "b", "name": "Bob", "reach": "b@x"}, {"id": "c"}]


@pytest.mark.parametrize("source", [
    "{{ cs | selectattr('reach') | map_free }}",
    "{{ cs | selectattr('id', 'eq', 'a') | list }}",
    "{{ cs | rejectattr('id', '==', 'a') | list }}",
    "{{ cs | rejectattr('name', 'eq', who) | list }}",
    "{{ cs | selectattr('reach') | list }}",
    "{{ cs | rejectattr('reach') | list }}",
    "{{ cs | selectattr('id', 'in', ['a', 'c']) | list | length }}",
    "{{ [0, 1, '', 'x'] | select | list }}{{ [0, 1, none] | reject('none') | list }}",
    "{{ cs | selectattr('name', 'eq', 'Ann') | first }}",
    "{{ nope | selectattr('id') | list }}",
    "{{ [] | selectattr('id', 'eq', nope) | list }}",  # lazy: an empty list never reads its arguments
])
def test_select_and_reject_match_jinja(source: str) -> None:
    if "map_free" in source:  # a filter the compiler does not know: Jinja2 reports it when compiling
        assert python_code(source, "t") is None
        return
    both(source, {"cs": CONTACTS, "who": "Bob"})


# --- any value, any of the constructs the shipped templates use --------------------------------

SNIPPETS = [
    "{{ x }}", "{{ x ~ y }}", "{{ x + y }}", "{{ x - y }}", "{{ x / y }}", "{{ x // y }}", "{{ x * y }}",
    "{{ -x }}", "{{ x ** 2 }}", "{{ x == y }}{{ x != y }}", "{{ x < y }}", "{{ x >= y }}", "{{ x in y }}",
    "{{ x not in y }}", "{{ x and y }}", "{{ x or y }}", "{{ not x }}", "{{ x if y else 'n' }}", "{{ x if y }}",
    "{% if x %}a{% elif y %}b{% else %}c{% endif %}", "{{ x[y] }}", "{{ x.y }}", "{{ x[1:] }}", "{{ x[:y] }}",
    "{{ x.get(y, 'd') }}", "{{ {'a': 1, 'b': 2}.get(x, y) }}", "{{ x.split(',') }}", "{{ x.strip() }}",
    "{{ x | lower }}", "{{ x | upper }}", "{{ x | sentence }}", "{{ x | list }}", "{{ x | join(y) }}",
    "{{ x | length }}", "{{ x | first }}", "{{ x | last }}", "{{ x | default(y) }}", "{{ x | trim }}",
    "{{ x | selectattr('id', 'eq', y) | list }}", "{{ x | rejectattr('id') | list }}",
    "{{ x is none }}{{ y is not none }}", "{{ x is defined }}", "{{ x is eq(y) }}", "{{ x is in(y) }}",
    "{% set z = x ~ '!' %}{{ z }}{{ z | upper }}", "{% for i in x %}[{{ i }}|{{ y }}]{% endfor %}",
    "{{ [x, y] }}{{ (x,) }}{{ {'k': x} }}", "{{ x[0] }}{{ x['id'] }}", "{{ x.id }}{{ x.name }}",
    "{{ x.startswith(y) }}", "{{ x.replace('a', y) }}", "{{ y.join(x) }}", "{{ x.items() | list }}",
]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "a", "A b", "a,b", "id", "é"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["id", "name", "get", "a"]), inner, max_size=3)),
    max_leaves=6)
MISSING = object()


@pytest.mark.parametrize("source", SNIPPETS)
@settings(max_examples=60, deadline=None)
@given(x=st.one_of(VALUES, st.just(MISSING)), y=st.one_of(VALUES, st.just(MISSING)))
def test_any_value_renders_as_in_jinja(source: str, x: Any, y: Any) -> None:
    context = {name: value for name, value in (("x", x), ("y", y)) if value is not MISSING}
    both(source, context)


# --- the sandbox, kept -------------------------------------------------------------------------

class Sneaky:
    def split(self, *args: Any) -> str:
        return "a method of a class a template should never call"


@pytest.mark.parametrize(("source", "context", "refused"), [
    ("{{ s.split(',') }}", {"s": Sneaky()}, "access to attribute 'split' of 'Sneaky' object is unsafe."),
    ("{{ d.get('a') }}", {"d": collections.OrderedDict(a=1)}, "access to attribute 'get' of 'OrderedDict'"),
    ("{{ s.strip() }}", {"s": type("S", (str,), {})("x")}, "access to attribute 'strip' of 'S' object"),
    ("{{ (x | selectattr('a')).gi_frame }}", {"x": [1]}, "access to attribute 'gi_frame' of 'generator'"),
    ("{{ x['format'] }}", {"x": "{}"}, "access to attribute 'format' of 'str' object is unsafe."),
    ("{{ d.get(d.get)('a') }}", {"d": {}}, None),  # a call of a call: not compiled, Jinja2 sandboxes it
])
def test_attributes_come_only_from_plain_data(source: str, context: dict[str, Any], refused: str | None) -> None:
    if refused is None:
        assert python_code(source) is None
    else:
        assert outcome(compiled(source), context).startswith(f"SecurityError: {refused}")


@pytest.mark.parametrize(("fn", "refused"), [
    ([].append, "'list.append'"), ({}.clear, "'dict.clear'"), (print, "'module.print'"), (len, "'module.len'"),
    ("".format, "'str.format'"), (Sneaky().split, "'method'"), (str, "'type'"),
])
def test_only_allowed_methods_of_builtin_types_are_called(fn: Any, refused: str) -> None:
    with pytest.raises(tplruntime.SecurityError, match=f"a template may not call {refused}"):
        tplruntime.call(fn, 1)
    assert tplruntime.call("a,b".split, ",") == ["a", "b"] and tplruntime.call({"a": 1}.get, "a") == 1


@pytest.mark.parametrize("source", [
    "{{ s.replace('a', x) }}", "{{ x.join([s, s, s]) }}", "{{ [s, s] | join(x) }}",
])
def test_methods_that_grow_text_are_bounded(source: str) -> None:
    context = {"s": "a" * 30_000, "x": "b" * 30_000}
    assert outcome(compiled(source), context).startswith("SecurityError: the result would have ")


def test_the_bounded_operators_are_the_environments() -> None:
    with pytest.raises(tplruntime.SecurityError):
        tplruntime.mul("ab", 30_000)
    assert tplruntime.mul("ab", 3) == "ababab" and tplruntime.power(2, 64) == 2 ** 64


@pytest.mark.parametrize("source", [
    "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(org) }}",
    "{% filter upper %}{{ org }}{% endfilter %}",
    "{% for c in 'ab' %}{{ loop.index }}{{ c }}{% endfor %}",
    "{% for c in 'ab' %}{{ c }}{% else %}none{% endfor %}",
    "{% for c in 'ab' %}{% set d = c %}{{ d }}{% endfor %}",
    "{% for c in 'ab' %}{{ late }}{% endfor %}{% set late = 1 %}",
    "{{ org | title }}", "{{ org | replace('a', 'b') }}", "{{ org | join(d='x') }}",
    "{{ org.append(1) }}", "{{ org.format(1) }}", "{{ '%s' % org }}", "{{ range(3) | list }}",
    "{% with a = 1 %}{{ a }}{% endwith %}", "{{ org | selectattr('x', 'odd') | list }}",
])
def test_constructs_outside_the_subset_are_left_to_jinja(source: str) -> None:
    assert python_code(source, "t") is None


def test_a_template_that_does_not_parse_is_left_to_jinja_to_report() -> None:
    assert python_code("{% if %}", "t") is None


def test_generated_code_holds_template_text_only_as_literals() -> None:
    from playbook.rulebase.tplcompile import compile_template

    source = "{{ x }}\"'); import os; os.system('echo pwned') #{{ y ~ '\\n\\')' }}"
    python = compile_template(_environment().parse(source), "t'); import os #")
    assert "import os" not in python.replace("'\"\\'); import os; os.system(\\'echo pwned\\') #'", "")
    both(source, {"x": 1, "y": 2})


@pytest.mark.slow
def test_a_warm_triage_with_drafts_does_not_import_jinja2(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from playbook.api import Playbook\n"
        "from tests.helpers import COMPLETE\n"
        "doc = Playbook(lang='en').triage(COMPLETE)\n"
        "assert doc['drafts'] and all(d['text'] for d in doc['drafts'])\n"
        "print('jinja2' in sys.modules, 'markupsafe' in sys.modules)\n"
    )
    env = {**os.environ, "PLAYBOOK_CACHE": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["True", "True"]  # a cold cache compiles, with jinja2's parser
    warm = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.split() == ["False", "False"]


# --- compiled parts: the cache, and the parts Jinja2 renders -----------------------------------

def draftbase(**templates: str) -> Any:
    from playbook.core.draftmodel import DraftBase, DraftPart
    from playbook.core.text import Text

    return DraftBase(parts={pid: DraftPart(pid, Text(src, src)) for pid, src in templates.items()})


EXOTIC = "{% macro m(s) %}<{{ s }}>{% endmacro %}{% for c in 'ab' %}{{ loop.index }}{% endfor %}{{ m(org) | upper }}"


def render_all(renderers: Mapping[str, Render], context: Mapping[str, Any]) -> dict[str, str]:
    return {pid: outcome(render, context) for pid, render in renderers.items()}


def test_parts_outside_the_subset_render_with_jinja_from_a_cold_and_a_warm_cache() -> None:
    from playbook.rulebase.templates import compiled_parts

    db = draftbase(plain="{{ org }}!", exotic=EXOTIC)
    for _ in ("cold", "warm"):
        renderers = compiled_parts(db, "en", "a rule base with an exotic part")
        assert renderers["plain"].__code__.co_filename == "<template plain>"
        assert renderers["exotic"].__qualname__.startswith("_Fallback")
        assert render_all(renderers, {"org": "Acme"}) == {"plain": "Acme!", "exotic": "12<ACME>"}
        assert outcome(renderers["exotic"], {}) == "UndefinedError: 'org' is undefined"


def test_templates_built_by_another_jinja2_are_built_again() -> None:
    """jinja2's parser (and compiler, for the parts it renders) made the cached code: another one rebuilds it."""
    import marshal

    from playbook.rulebase import cache
    from playbook.rulebase.templates import _code_cache, _read, compiled_parts

    db = draftbase(plain="{{ org }}!", exotic=EXOTIC)
    compiled_parts(db, "en", "jinja upgrade")
    path = _code_cache("jinja upgrade", "en")
    payload = _read(path, db)
    assert payload is not None and list(payload["jinja"]) == ["exotic"]
    jinja_file, size, mtime = payload["jinja2"]
    for other in ([jinja_file, size + 1, mtime], [jinja_file, size, mtime - 1], ["/nowhere/jinja2.py", size, mtime]):
        cache.write_bytes(path, marshal.dumps({**payload, "jinja2": other}))
        assert _read(path, db) is None
        assert render_all(compiled_parts(db, "en", "jinja upgrade"), {"org": "Acme"}) == {
            "plain": "Acme!", "exotic": "12<ACME>"}
        assert (_read(path, db) or {}).get("jinja2") == [jinja_file, size, mtime]  # rebuilt


def test_a_damaged_or_foreign_cache_is_rebuilt() -> None:
    import marshal

    from playbook.rulebase import cache
    from playbook.rulebase.templates import _code_cache, _jinja_stamp, compiled_parts

    db = draftbase(plain="{{ org }}!")
    path = _code_cache("damaged", "en")
    stamp = _jinja_stamp()
    for junk in (b"not marshal", marshal.dumps({"python": {"plain": "source, not code"}, "jinja": {}}),
                 marshal.dumps({"python": {"plain": compile("", "", "exec")}, "jinja": {}}),  # no jinja2 stamp
                 marshal.dumps({"python": {"plain": compile("x = 1", "", "exec")}, "jinja": {}, "jinja2": stamp}),
                 marshal.dumps({"python": {}, "jinja": {}}), marshal.dumps([1, 2])):
        cache.write_bytes(path, junk)
        assert render_all(compiled_parts(db, "en", "damaged"), {"org": "A"}) == {"plain": "A!"}
