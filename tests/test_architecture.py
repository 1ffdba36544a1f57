"""The shape of the package, checked rather than promised (docs/architecture.md describes it).

- Only the store layer imports pyoxigraph or oxrdflib.
- The modules import one another without a cycle, counting imports inside functions too (a lazy
  import hides a cycle from Python, not from a reader).
- Library modules never print, exit or read the command line: only ``diplograph.cli`` does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "diplograph"
MODULES = sorted(p for p in SRC.rglob("*.py"))
# The store layer, and the served endpoint's engine process: it runs Oxigraph's own evaluation and
# result serialisers on the served folder, in a process of its own (diplograph.serve.engine).
STORE_LAYER = {"diplograph.store.oxigraph", "diplograph.serve.engine"}


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {_name(p): p for p in MODULES}


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of the file (function bodies included)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_package_is_found():
    assert len(MODULES) > 40 and "diplograph.dataset" in NAMES and "diplograph.store.oxigraph" in NAMES


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_only_the_store_layer_imports_oxigraph(path: Path):
    third_party = {m for m in _imports(path) if m.split(".")[0] in ("pyoxigraph", "oxrdflib")}
    assert not third_party or _name(path) in STORE_LAYER, third_party


def test_there_is_no_import_cycle():
    graph = nx.DiGraph()
    for name, path in NAMES.items():
        graph.add_node(name)
        for imported in _imports(path):
            if imported in NAMES and imported != name:
                graph.add_edge(name, imported)
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], cycles
    assert graph.number_of_edges() > 100  # the graph was really built


@pytest.mark.parametrize("path", [p for p in MODULES if "/cli/" not in p.as_posix()], ids=_name)
def test_library_modules_do_not_print_or_exit(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
    }
    assert not calls & {"print", "exit", "echo"}, calls & {"print", "exit", "echo"}
