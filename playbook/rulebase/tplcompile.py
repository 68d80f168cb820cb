"""Draft templates compiled to plain Python, so that drafts render without importing jinja2.

Build time only. `rulebase.templates` parses a template with Jinja2's own parser (the same
environment, so `trim_blocks` and `lstrip_blocks` are already applied to the text) and hands
the tree here; this module writes the source of one generator function, `render(ctx)`, that
yields what Jinja2's sandboxed code would yield, in the same order, and fails where it would
fail with the same error, calling only the helpers of `rulebase.tplruntime`.

The subset, which covers the shipped templates: text and `{{ }}`; `if`/`elif`/`else`; `set`
of one name outside loops; `for` over one name or a tuple of names, without `else`, a
condition, recursion, `loop` or a `set` in its body; literals; names; `x.y`, `x[y]` and slices;
calls of the methods of `tplruntime.ALLOWED` with positional arguments; comparisons; `and`,
`or`, `not`; `+`, `-`, `/`, `//`, `*` and `**` (the last two bounded); `~`; inline `if`; the
filters of `tplruntime.FILTERS` and the tests of `tplruntime.TESTS`, with positional
arguments. Anything else raises `Unsupported`, and the template renders with Jinja2's
sandbox instead: slower, same text.

The template's text reaches the generated source only as `repr()` of strings and numbers;
identifiers are the compiler's own (`n0`, `n1`...), never a template's names.
"""

from __future__ import annotations

from typing import Any

from playbook.rulebase.tplruntime import CALLABLE, FILTER_ARITY, FILTERS, TEST_ARITY, TESTS

# Names Jinja2 gives a meaning of its own (loop state, macros, blocks): left to Jinja2.
RESERVED_NAMES = frozenset({"loop", "self", "caller", "varargs", "kwargs", "super"})
COMPARE = {"eq": "==", "ne": "!=", "gt": ">", "gteq": ">=", "lt": "<", "lteq": "<=", "in": "in", "notin": "not in"}
BINARY = {"Add": "+", "Sub": "-", "Div": "/", "FloorDiv": "//"}
BOUNDED = {"Mul": "MUL", "Pow": "POW"}  # the sandbox intercepts these two
UNARY = {"Not": "not ", "Neg": "-", "Pos": "+"}
SELECTING = {"selectattr": 1, "rejectattr": 1, "select": 0, "reject": 0}  # filter -> index of its test's name


class Unsupported(Exception):
    """A construct the compiler does not translate (the message says which): Jinja2 renders it."""


def compile_template(tree: Any, name: str | None = None) -> str:
    """The Python source of `def render(ctx)` for a parsed template (`name` as Jinja2 was given it)."""
    return _Compiler(name).template(tree)


def _kind(node: Any) -> str:
    return type(node).__name__


class _Compiler:
    def __init__(self, name: str | None) -> None:
        self.name = name
        self.lines: list[str] = []
        self.depth = 1
        self.count = 0
        self.root: dict[str, str] = {}  # top-level template names -> identifiers
        self.loaded: set[str] = set()  # top-level names read: resolved from the context first
        self.scopes: list[dict[str, str]] = []  # the targets of the loops around, innermost last
        self.reads: list[set[str]] = []  # the top-level names each enclosing loop's body reads
        self.assigned: list[str] = []  # top-level names set, in order
        self.loops: list[tuple[set[str], int]] = []  # each loop's reads, and how many sets came before it

    def template(self, tree: Any) -> str:
        for node in tree.body:
            self.stmt(node)
        for reads, before in self.loops:
            # Jinja2 binds a name set after a loop before the loop runs: a read inside would differ.
            late = reads & set(self.assigned[before:])
            if late:
                raise Unsupported(f"a loop reads {sorted(late)[0]!r}, which is set after it")
        head = ["def render(ctx):", "    g = ctx.get"]
        for name in sorted(self.loaded):
            ident = self.root[name]
            head += [f"    {ident} = g({name!r}, M)", f"    if {ident} is M:", f"        {ident} = SU(name={name!r})"]
        head.append("    if 0:")
        head.append("        yield ''")
        return "\n".join(head + self.lines) + "\n"

    # --- statements -------------------------------------------------------------------------

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def block(self, body: list[Any]) -> None:
        self.depth += 1
        start = len(self.lines)
        for node in body:
            self.stmt(node)
        if len(self.lines) == start:
            self.emit("pass")
        self.depth -= 1

    def stmt(self, node: Any) -> None:
        kind = _kind(node)
        if kind == "Output":
            self.output(node.nodes)
        elif kind == "If":
            self.emit(f"if {self.expr(node.test)}:")
            self.block(node.body)
            for other in node.elif_:
                self.emit(f"elif {self.expr(other.test)}:")
                self.block(other.body)
            if node.else_:
                self.emit("else:")
                self.block(node.else_)
        elif kind == "Assign":
            self.assign(node)
        elif kind == "For":
            self.loop(node)
        else:
            raise Unsupported(f"the statement {kind}")

    def output(self, children: list[Any]) -> None:
        text: list[str] = []  # constant text, written as one chunk like Jinja2 does
        for child in children:
            kind = _kind(child)
            if kind == "TemplateData":
                text.append(child.data)
            elif kind == "Const" and _literal(child.value):
                text.append(str(child.value))
            else:
                self.text(text)
                self.emit(f"yield str({self.expr(child)})")
        self.text(text)

    def text(self, text: list[str]) -> None:
        if "".join(text):
            self.emit(f"yield {''.join(text)!r}")
        text.clear()

    def assign(self, node: Any) -> None:
        if self.scopes:
            raise Unsupported("a set inside a loop")
        target = node.target
        if _kind(target) != "Name" or target.name in RESERVED_NAMES:
            raise Unsupported("a set of anything but one name")
        value = self.expr(node.node)
        self.assigned.append(target.name)
        self.emit(f"{self.ident(target.name)} = {value}")

    def loop(self, node: Any) -> None:
        if node.else_ or node.test is not None or node.recursive:
            raise Unsupported("a loop with else, a condition or recursion")
        iterable = self.expr(node.iter)
        target = node.target
        names = [target] if _kind(target) == "Name" else target.items if _kind(target) == "Tuple" else None
        if not names or any(_kind(n) != "Name" or n.name in RESERVED_NAMES for n in names):
            raise Unsupported("a loop target other than names")
        scope: dict[str, str] = {}
        idents = []
        for n in names:
            scope[n.name] = self.new()
            idents.append(scope[n.name])
        shape = idents[0] if _kind(target) == "Name" else f"({', '.join(idents)}{',' if len(idents) == 1 else ''})"
        self.emit(f"for {shape} in {iterable}:")
        reads: set[str] = set()
        self.loops.append((reads, len(self.assigned)))
        self.scopes.append(scope)
        self.reads.append(reads)
        self.block(node.body)
        self.reads.pop()
        self.scopes.pop()

    def new(self) -> str:
        self.count += 1
        return f"n{self.count}"

    def ident(self, name: str) -> str:
        if name not in self.root:
            self.root[name] = self.new()
        return self.root[name]

    # --- expressions ------------------------------------------------------------------------

    def expr(self, node: Any) -> str:
        kind = _kind(node)
        if kind in BINARY:
            return f"({self.expr(node.left)} {BINARY[kind]} {self.expr(node.right)})"
        if kind in BOUNDED:
            return f"{BOUNDED[kind]}({self.expr(node.left)}, {self.expr(node.right)})"
        if kind in ("And", "Or"):
            return f"({self.expr(node.left)} {kind.lower()} {self.expr(node.right)})"
        if kind in UNARY:
            return f"({UNARY[kind]}{self.expr(node.node)})"
        method = getattr(self, f"x_{kind}", None)
        if method is None:
            raise Unsupported(f"the expression {kind}")
        result: str = method(node)
        return result

    def x_Name(self, node: Any) -> str:
        name = node.name
        if name in RESERVED_NAMES:
            raise Unsupported(f"the name {name!r}")
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        for reads in self.reads:
            reads.add(name)
        self.loaded.add(name)
        return self.ident(name)

    def x_Const(self, node: Any) -> str:
        if not _literal(node.value):
            raise Unsupported(f"the constant {type(node.value).__name__}")
        return repr(node.value)

    def x_List(self, node: Any) -> str:
        return "[" + ", ".join(map(self.expr, node.items)) + "]"

    def x_Tuple(self, node: Any) -> str:
        items = list(map(self.expr, node.items))
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"

    def x_Dict(self, node: Any) -> str:
        return "{" + ", ".join(f"{self.expr(p.key)}: {self.expr(p.value)}" for p in node.items) + "}"

    def x_Getattr(self, node: Any) -> str:
        if node.attr in ("format", "format_map"):  # Jinja2 hands out a sandboxed formatter
            raise Unsupported(f"the attribute {node.attr!r}")
        return f"A({self.expr(node.node)}, {node.attr!r})"

    def x_Getitem(self, node: Any) -> str:
        obj = self.expr(node.node)
        if _kind(node.arg) != "Slice":
            return f"I({obj}, {self.expr(node.arg)})"
        s = node.arg  # a slice bypasses the sandbox in Jinja2 too: plain Python slicing
        start, stop = (self.expr(x) if x is not None else "" for x in (s.start, s.stop))
        step = f":{self.expr(s.step)}" if s.step is not None else ""
        return f"{obj}[{start}:{stop}{step}]"

    def x_Call(self, node: Any) -> str:
        _positional(node, "a call")
        callee = node.node
        if _kind(callee) != "Getattr" or callee.attr not in CALLABLE:
            raise Unsupported("a call of anything but an allowed method")
        return f"C({', '.join([self.x_Getattr(callee), *map(self.expr, node.args)])})"

    def x_Filter(self, node: Any) -> str:
        name = node.name
        if node.node is None or name not in FILTERS:
            raise Unsupported(f"the filter {name!r}" if node.node is not None else "a filter block")
        _positional(node, f"the filter {name!r}")
        least, most = FILTER_ARITY.get(name, (0, 0))
        if len(node.args) < least or (most is not None and len(node.args) > most):
            raise Unsupported(f"the filter {name!r} with {len(node.args)} arguments")
        if name in SELECTING and len(node.args) > SELECTING[name]:
            test = node.args[SELECTING[name]]
            if _kind(test) != "Const" or test.value not in TESTS \
                    or len(node.args) - SELECTING[name] - 1 != TEST_ARITY[test.value]:
                raise Unsupported(f"the filter {name!r} with this test")
        return f"F_{name}({', '.join([self.expr(node.node), *map(self.expr, node.args)])})"

    def x_Test(self, node: Any) -> str:
        _positional(node, f"the test {node.name!r}")
        if node.name not in TESTS or len(node.args) != TEST_ARITY[node.name]:
            raise Unsupported(f"the test {node.name!r}")
        value = self.expr(node.node)
        if node.name == "none":
            return f"({value} is None)"
        return f"T[{node.name!r}]({', '.join([value, *map(self.expr, node.args)])})"

    def x_Compare(self, node: Any) -> str:
        out = self.expr(node.expr)
        for op in node.ops:
            if op.op not in COMPARE:
                raise Unsupported(f"the comparison {op.op!r}")
            out += f" {COMPARE[op.op]} {self.expr(op.expr)}"
        return f"({out})"

    def x_Concat(self, node: Any) -> str:
        # every operand is evaluated before any is converted, as Jinja2's str_join does
        return "''.join(map(str, (" + "".join(f"{self.expr(n)}, " for n in node.nodes) + ")))"

    def x_CondExpr(self, node: Any) -> str:
        test, yes = self.expr(node.test), self.expr(node.expr1)
        if node.expr2 is not None:
            return f"({yes} if {test} else {self.expr(node.expr2)})"
        where = f"line {node.lineno}" + (f" in {self.name!r}" if self.name is not None else "")
        hint = f"the inline if-expression on {where} evaluated to false and no else section was defined."
        return f"({yes} if {test} else U({hint!r}))"  # Jinja2's lenient undefined, even when strict


def _literal(value: object) -> bool:
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")  # repr() of nan and inf is no literal
    return value is None or isinstance(value, str | int)


def _positional(node: Any, what: str) -> None:
    if node.kwargs or node.dyn_args is not None or node.dyn_kwargs is not None:
        raise Unsupported(f"{what} with keyword or * arguments")
