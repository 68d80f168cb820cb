"""Records: what `@dataclass(frozen=True)` gives the model, at a fraction of its start-up cost.

The model's ~40 classes are created every time `playbook` starts. The standard `dataclasses`
compiles six methods per class and inspects every annotation (~0.8 ms a class, plus ~7 ms to
import it and `inspect`): a third of a scripted triage. A record compiles its `__init__` only;
equality, hash, repr, immutability and `replace` are shared code below. mypy and readers see
dataclass semantics (`dataclass_transform`):

    @record
    class Where:
        file: str
        line: int = 0
        tags: dict[str, str] = field(default_factory=dict)

Fields are the class's own annotations in order, after those of a record base class. A
`field(default_factory=...)` default is built per instance. Records pickle as plain data (their
`__dict__`), which is what the cache's restricted unpickler allows (`is_record`).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing at start-up costs ~3 ms
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, overload

    from typing_extensions import dataclass_transform

    T = TypeVar("T")

_MISSING = object()
FIELDS = "__record_fields__"
DEFAULTS = "__record_spec__"


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], Any]) -> Any:
    """A default built anew for each instance (a dict, a list…)."""
    return _Factory(default_factory)


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")


def _frozen_delattr(self: object, name: str) -> None:
    raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")


def _eq(self: object, other: object) -> object:
    if other.__class__ is not self.__class__:
        return NotImplemented
    same: bool = self.__dict__ == other.__dict__
    return same


def _hash(self: object) -> int:
    return hash((self.__class__.__name__, *self.__dict__.values()))


def _repr(self: object) -> str:
    inner = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
    return f"{self.__class__.__qualname__}({inner})"


def _make(cls: type, frozen: bool) -> type:
    own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (inspect costs what records save)
    spec: dict[str, object] = dict(getattr(cls, DEFAULTS, {}))  # a record base class's fields first
    for name in own:
        spec[name] = cls.__dict__.get(name, _MISSING)
        if isinstance(spec[name], _Factory):
            delattr(cls, name)  # the factory is no value for the class to show
    _check_order(cls, spec)

    def __init__(self: object, *args: Any, **kwargs: Any) -> None:
        # Compiled on the first instance: most model classes are only ever unpickled (which
        # calls no __init__), so a run compiles the few it builds, not all forty.
        init = _compile_init(cls, spec)
        type.__setattr__(cls, "__init__", init)
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    methods: dict[str, object] = {"__init__": __init__, DEFAULTS: spec, FIELDS: tuple(spec),
                                  "__match_args__": tuple(spec), "__eq__": _eq}
    if "__repr__" not in cls.__dict__:
        methods["__repr__"] = _repr
    if frozen:
        methods.update(__hash__=_hash, __setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    else:
        methods["__hash__"] = None
    for key, value in methods.items():
        setattr(cls, key, value)
    return cls


def _check_order(cls: type, spec: dict[str, object]) -> None:
    seen_default = False
    for name, default in spec.items():
        if default is _MISSING and seen_default:
            raise TypeError(f"{cls.__name__}: non-default field {name!r} follows a default one")
        seen_default = seen_default or default is not _MISSING


def _compile_init(cls: type, spec: dict[str, object]) -> Any:
    scope: dict[str, Any] = {"_MISSING": _MISSING}
    params, body = [], []
    for name, default in spec.items():
        if isinstance(default, _Factory):
            scope[f"_f_{name}"] = default.make
            params.append(f"{name}=_MISSING")
            body.append(f" d[{name!r}] = _f_{name}() if {name} is _MISSING else {name}")
        else:
            if default is not _MISSING:
                scope[f"_d_{name}"] = default
                params.append(f"{name}=_d_{name}")
            else:
                params.append(name)
            body.append(f" d[{name!r}] = {name}")
    source = f"def __init__(self, {', '.join(params)}):\n d = self.__dict__\n" + "\n".join(body or [" pass"])
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


if TYPE_CHECKING:
    @overload
    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def record(cls: type[T], /) -> type[T]: ...

    @overload
    def record(*, frozen: bool = True) -> Callable[[type[T]], type[T]]: ...

    def record(cls: type[T] | None = None, /, *, frozen: bool = True) -> Any: ...
else:
    def record(cls=None, /, *, frozen=True):
        """Make `cls` a record (frozen unless `frozen=False`)."""
        if cls is None:
            return lambda c: _make(c, frozen)
        return _make(cls, frozen)


def replace(obj: T, **changes: object) -> T:
    """A copy of a record with some fields changed (like `dataclasses.replace`)."""
    cls = obj.__class__
    names = getattr(cls, FIELDS)
    unknown = set(changes) - set(names)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
    values: dict[str, object] = {**obj.__dict__, **changes}
    new: T = cls(**{n: values[n] for n in names})
    return new


def fields(cls_or_obj: object) -> tuple[str, ...]:
    """The field names of a record class or instance, in order."""
    names: tuple[str, ...] = getattr(cls_or_obj, FIELDS)
    return names


def is_record(cls: object) -> bool:
    return isinstance(cls, type) and FIELDS in cls.__dict__
