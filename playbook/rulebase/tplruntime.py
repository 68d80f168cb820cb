"""What compiled draft templates call when they render: lookups, calls, operators, filters, tests.

`rulebase.tplcompile` turns a template into a plain Python generator function that calls
only the helpers of this module (`namespace()`), so drafts render without importing
jinja2. Every helper mirrors what the same template does in Jinja2's sandbox with strict
undefined (`rulebase.templates`), down to the message of each error:

- `attr` (`x.y`) tries the attribute, then the item; `item` (`x[y]`) the item, then the
  attribute. An attribute whose name starts with `_` is never returned: it becomes an
  undefined that raises `SecurityError` when used, as in the sandbox; nor is any attribute
  of an object that is not plain data (str, numbers, None, list, tuple, dict), nor
  `str.format`.
- `call` calls only the harmless methods of `ALLOWED`, on the builtin types they belong to
  (stricter than the sandbox, which calls anything not marked unsafe); anything else
  raises `SecurityError`. `str.join` and `str.replace`, like the `join` filter, may not
  build more than `MAX_OUTPUT` characters.
- `mul` and `power` are the sandbox's bounded `*` and `**` (`templates._environment` uses
  them too).
- `Undefined` and `StrictUndefined` behave as Jinja2's, and are named alike, so that
  `type(exc).__name__: message` reads the same whichever path rendered the template.

Light on purpose (imported for every triage that writes drafts): standard `re` only.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

MAX_OUTPUT = 50_000  # characters one part may write; a draft is a message, not a book
FORMAT = "1"  # what compiled code expects of this module: bump with the compiler's output or these helpers


class UndefinedError(Exception):
    """A template used a name, attribute or item that does not exist (Jinja2's name)."""


class SecurityError(Exception):
    """A template tried what the sandbox refuses (Jinja2's name)."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "missing"


MISSING = _Missing()


def _type_repr(obj: object) -> str:
    if obj is None:
        return "None"
    if obj is Ellipsis:
        return "Ellipsis"
    cls = type(obj)
    return f"{cls.__name__} object" if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__} object"


class Undefined:
    """Jinja2's lenient undefined: what an inline `if` without `else` gives when false."""

    __slots__ = ("_undefined_exception", "_undefined_hint", "_undefined_name", "_undefined_obj")

    def __init__(self, hint: str | None = None, obj: object = MISSING, name: object = None,
                 exc: type[Exception] = UndefinedError) -> None:
        self._undefined_hint = hint
        self._undefined_obj = obj
        self._undefined_name = name
        self._undefined_exception = exc

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        if self._undefined_obj is MISSING:
            return f"{self._undefined_name!r} is undefined"
        if not isinstance(self._undefined_name, str):
            return f"{_type_repr(self._undefined_obj)} has no element {self._undefined_name!r}"
        return f"{_type_repr(self._undefined_obj)!r} has no attribute {self._undefined_name!r}"

    def _fail_with_undefined_error(self, *args: object, **kwargs: object) -> object:
        raise self._undefined_exception(self._undefined_message)

    def __getattr__(self, name: str) -> object:
        if name[:2] == "__" and name[-2:] == "__":
            raise AttributeError(name)
        return self._fail_with_undefined_error()

    __add__ = __radd__ = __sub__ = __rsub__ = _fail_with_undefined_error
    __mul__ = __rmul__ = __div__ = __rdiv__ = _fail_with_undefined_error
    __truediv__ = __rtruediv__ = _fail_with_undefined_error
    __floordiv__ = __rfloordiv__ = _fail_with_undefined_error
    __mod__ = __rmod__ = _fail_with_undefined_error
    __pos__ = __neg__ = _fail_with_undefined_error
    __call__ = __getitem__ = _fail_with_undefined_error
    __lt__ = __le__ = __gt__ = __ge__ = _fail_with_undefined_error
    __int__ = __float__ = __complex__ = _fail_with_undefined_error
    __pow__ = __rpow__ = _fail_with_undefined_error

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return id(type(self))

    def __str__(self) -> str:
        return ""

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Iterator[object]:
        yield from ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "Undefined"


class StrictUndefined(Undefined):
    """Jinja2's strict undefined: printing, testing or comparing it raises `UndefinedError`."""

    __slots__ = ()
    __iter__ = __str__ = __len__ = Undefined._fail_with_undefined_error  # type: ignore[assignment]
    __eq__ = __ne__ = __bool__ = __hash__ = Undefined._fail_with_undefined_error  # type: ignore[assignment]
    __contains__ = Undefined._fail_with_undefined_error


def _unsafe(obj: object, name: str) -> StrictUndefined:
    return StrictUndefined(f"access to attribute {name!r} of {type(obj).__name__!r} object is unsafe.",
                           obj, name, SecurityError)


# The types whose attributes a template may read: the data compose passes, and dict views.
# (Jinja2 reads any object's, but a generator's `gi_frame`; here, nothing but plain data.)
_DATA = frozenset({str, int, float, bool, type(None), list, tuple, dict,
                   type({}.keys()), type({}.values()), type({}.items())})


def _checked(obj: object, name: str, value: object) -> object:
    if name.startswith("_") or type(obj) not in _DATA or (name in ("format", "format_map") and type(obj) is str):
        return _unsafe(obj, name)
    return value


def attr(obj: object, name: str) -> object:
    """`obj.name`: the attribute, else the item, else an undefined."""
    try:
        value = getattr(obj, name)
    except AttributeError:
        try:
            return obj[name]  # type: ignore[index]
        except (TypeError, LookupError):
            return StrictUndefined(obj=obj, name=name)
    return _checked(obj, name, value)


def item(obj: object, key: object) -> object:
    """`obj[key]`: the item, else (for a string key) the attribute, else an undefined."""
    try:
        return obj[key]  # type: ignore[index]
    except (TypeError, LookupError):
        if isinstance(key, str):
            try:
                value = getattr(obj, str(key))
            except AttributeError:
                pass
            else:
                return _checked(obj, key, value)
    return StrictUndefined(obj=obj, name=key)


def _bounded(size: int) -> None:
    if size > MAX_OUTPUT:
        raise SecurityError(f"the result would have {size:,} characters (the limit is {MAX_OUTPUT:,})")


def _join(sep: str, items: Iterable[object]) -> str:
    try:
        parts = list(iter(items))
    except TypeError:
        if not hasattr(items, "__iter__"):
            return sep.join(items)  # type: ignore[arg-type]  # str.join's own message
        raise
    if all(isinstance(p, str) for p in parts):
        _bounded(sum(map(len, parts)) + len(sep) * max(len(parts) - 1, 0))  # type: ignore[arg-type]
    return sep.join(parts)  # type: ignore[arg-type]


def _replace(text: str, *args: object) -> str:
    old, new = (*args, None, None)[:2]
    count = args[2] if len(args) > 2 else -1
    if isinstance(old, str) and isinstance(new, str) and isinstance(count, int) and len(new) > len(old):
        found = text.count(old) if count < 0 else min(count, text.count(old))
        _bounded(len(text) + found * (len(new) - len(old)))
    return text.replace(*args)  # type: ignore[arg-type]


# The only methods a template may call, by the exact builtin type they belong to.
ALLOWED: dict[type, frozenset[str]] = {
    str: frozenset({"split", "rsplit", "strip", "lstrip", "rstrip", "lower", "upper", "capitalize", "title",
                    "replace", "startswith", "endswith", "join", "count", "find"}),
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
}
CALLABLE = frozenset().union(*ALLOWED.values())  # method names the compiler accepts in a call
_BUILTIN_METHOD = type("".split)
_GUARDED: dict[str, Callable[..., str]] = {"join": _join, "replace": _replace}


def call(fn: object, *args: object) -> object:
    """`x.method(args)`, for an allowed method only."""
    if isinstance(fn, Undefined):
        return fn._fail_with_undefined_error()
    if not callable(fn):
        return fn(*args)  # type: ignore[operator]  # Python's own TypeError, as in Jinja2
    owner = getattr(fn, "__self__", None) if type(fn) is _BUILTIN_METHOD else None
    name = getattr(fn, "__name__", "?")
    if owner is None or name not in ALLOWED.get(type(owner), ()):
        what = f"{type(owner).__name__}.{name}" if owner is not None else type(fn).__name__
        raise SecurityError(f"a template may not call {what!r} (only methods of str, dict, list and tuple "
                            "that read their object)")
    if type(owner) is str and name in _GUARDED:
        return _GUARDED[name](owner, *args)
    return fn(*args)


def mul(left: object, right: object) -> object:
    """`left * right`, refusing to build more than MAX_OUTPUT items."""
    if isinstance(left, str | list | tuple) and isinstance(right, int) and len(left) * right > MAX_OUTPUT:
        raise SecurityError(f"'*' would build {len(left) * right:,} items (the limit is {MAX_OUTPUT:,})")
    if isinstance(right, str | list | tuple) and isinstance(left, int) and len(right) * left > MAX_OUTPUT:
        raise SecurityError(f"'*' would build {len(right) * left:,} items (the limit is {MAX_OUTPUT:,})")
    return left * right  # type: ignore[operator]


def power(left: object, right: object) -> object:
    """`left ** right`, with an exponent of at most 64."""
    if isinstance(right, int) and abs(right) > 64:
        raise SecurityError(f"'**' with an exponent of {right} (the limit is 64)")
    return left ** right  # type: ignore[operator]


# --- filters, as Jinja2 defines them (without autoescape) -------------------------------------

def sentence(text: object) -> str:
    """User text as a sentence: trimmed, with a final full stop unless it has punctuation."""
    value = re.sub(r"[ \t\r\n]+", " ", str(text)).strip()  # ordinary spaces only: French no-break ones stay
    return value if not value or value[-1] in ".!?…»\"'" else value + "."


def _soft(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _attrgetter(attribute: object) -> Callable[[object], object]:
    parts: list[object] = [] if attribute is None else (
        [int(x) if x.isdigit() else x for x in attribute.split(".")] if isinstance(attribute, str) else [attribute])

    def get(value: object) -> object:
        for part in parts:
            value = item(value, part)
        return value

    return get


def _select(value: Iterable[object], args: tuple[object, ...], keep: bool, by_attr: bool) -> Iterator[object]:
    if value:  # lazy, like Jinja2's: nothing is evaluated before the first item is asked for
        get = _attrgetter(args[0]) if by_attr else (lambda x: x)
        rest = args[1:] if by_attr else args
        test = (lambda x: TESTS[rest[0]](x, *rest[1:])) if rest else bool  # type: ignore[index]
        for element in value:
            if bool(test(get(element))) is keep:
                yield element


def _first(seq: Iterable[object]) -> object:
    try:
        return next(iter(seq))
    except StopIteration:
        return StrictUndefined("No first item, sequence was empty.")


def _last(seq: object) -> object:
    try:
        return next(iter(reversed(seq)))  # type: ignore[call-overload]
    except StopIteration:
        return StrictUndefined("No last item, sequence was empty.")


def _default(value: object, default: object = "", boolean: bool = False) -> object:
    return default if isinstance(value, Undefined) or (boolean and not value) else value


FILTERS: dict[str, Callable[..., object]] = {
    "sentence": sentence,
    "lower": lambda s: _soft(s).lower(),
    "upper": lambda s: _soft(s).upper(),
    "capitalize": lambda s: _soft(s).capitalize(),
    "trim": lambda s, chars=None: _soft(s).strip(chars),
    "string": _soft,
    "length": len,
    "count": len,
    "list": list,
    "first": _first,
    "last": _last,
    "default": _default,
    "d": _default,
    "join": lambda value, d="", attribute=None: _join(
        str(d), map(str, value if attribute is None else map(_attrgetter(attribute), value))),
    "selectattr": lambda value, *args: _select(value, args, True, True),
    "rejectattr": lambda value, *args: _select(value, args, False, True),
    "select": lambda value, *args: _select(value, args, True, False),
    "reject": lambda value, *args: _select(value, args, False, False),
}
# How many arguments each filter takes after its value: (least, most; None: any number).
FILTER_ARITY: dict[str, tuple[int, int | None]] = {
    "trim": (0, 1), "default": (0, 2), "d": (0, 2), "join": (0, 2),
    "selectattr": (1, None), "rejectattr": (1, None), "select": (0, None), "reject": (0, None),
}

TESTS: dict[str, Callable[..., bool]] = {
    "none": lambda v: v is None,
    "defined": lambda v: not isinstance(v, Undefined),
    "undefined": lambda v: isinstance(v, Undefined),
    "true": lambda v: v is True,
    "false": lambda v: v is False,
    "boolean": lambda v: v is True or v is False,
    "string": lambda v: isinstance(v, str),
    "lower": lambda v: str(v).islower(),
    "upper": lambda v: str(v).isupper(),
    "sameas": lambda v, other: v is other,
    "in": lambda v, seq: v in seq,
    **dict.fromkeys(("==", "eq", "equalto"), lambda a, b: a == b),
    **dict.fromkeys(("!=", "ne"), lambda a, b: a != b),
    **dict.fromkeys((">", "gt", "greaterthan"), lambda a, b: a > b),
    **dict.fromkeys((">=", "ge"), lambda a, b: a >= b),
    **dict.fromkeys(("<", "lt", "lessthan"), lambda a, b: a < b),
    **dict.fromkeys(("<=", "le"), lambda a, b: a <= b),
}
_BINARY_TESTS = frozenset({"sameas", "in", "==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan",
                           ">=", "ge", "<", "lt", "lessthan", "<=", "le"})
TEST_ARITY = {name: 1 if name in _BINARY_TESTS else 0 for name in TESTS}  # arguments after the value


def namespace() -> dict[str, object]:
    """The globals compiled templates run with: these helpers, under the names the compiler writes."""
    names: dict[str, object] = {"M": MISSING, "U": Undefined, "SU": StrictUndefined, "A": attr, "I": item,
                                "C": call, "MUL": mul, "POW": power, "T": TESTS}
    names.update((f"F_{name}", fn) for name, fn in FILTERS.items())
    return names
