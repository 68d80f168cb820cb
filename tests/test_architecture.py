"""The shape of the code, checked: the layers of ARCHITECTURE.md, no import cycle, small modules.

The layer contracts are declared in pyproject.toml (`[tool.importlinter]`) and also run by
`lint-imports`; here they run under pytest so that a broken layer fails the test suite.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.helpers import ROOT

PACKAGE = ROOT / "playbook"
LAYERS = ("cli", "record", "training", "render", "drafting", "rulebase", "core")


def test_import_contracts_hold() -> None:
    proc = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                           "sys.exit(lint_imports())"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("playbook")


def test_no_import_cycle_between_modules(graph: grimp.ImportGraph) -> None:
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported.startswith("playbook.") and graph.chain_exists(imported, importer):
                chain = graph.find_shortest_chain(imported, importer) or ()
                cycles.append(" -> ".join((importer, *chain)))
    assert cycles == []


def test_the_layers_contract_catches_an_upward_import(graph: grimp.ImportGraph) -> None:
    """The contract is not vacuous: the core importing the renderer is reported."""
    graph.add_import(importer="playbook.core.engine", imported="playbook.render.output")
    illegal = graph.find_illegal_dependencies_for_layers(layers=tuple(f"playbook.{x}" for x in LAYERS))
    assert {(d.importer, d.imported) for d in illegal} == {("playbook.core", "playbook.render")}


def python_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", python_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small_and_says_what_it_is_for(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 400, "split the module: modules stay under ~400 lines"
    if path.name != "__main__.py" or source.strip():
        assert ast.get_docstring(ast.parse(source)), "a module docstring says what the module is for"


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_owns_and_may_import(layer: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "Owns:" in doc and "May import" in doc
