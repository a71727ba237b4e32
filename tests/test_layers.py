"""The architecture as a test: imports flow one way, layer by layer, with no cycles.

Every import counts, lazy ones inside functions included; only ``if TYPE_CHECKING:`` blocks
are skipped (they never run). The layers, top to bottom, are listed in
``or_magics/__init__.py``'s docstring and in README's design notes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "or_magics"

#: Rank of each layer; a module may import only its own layer or lower ones, and two
#: different layers of the same rank never import each other.
LAYERS = {
    "or_magics": 7,  # the package entry: public API and wiring
    "or_magics.notebook": 6,
    "or_magics.explorer": 5,
    "or_magics.helpers": 4,
    "or_magics.state": 3,
    "or_magics.options": 3,
    "or_magics.render": 2,
    "or_magics.client": 2,
    "or_magics.offline": 2,
    "or_magics.kernel": 1,
    "or_magics.errors": 0,
    "or_magics.protocol": 0,
}
#: Third-party packages a layer must never import.
FORBIDDEN = {
    "or_magics.client": ("IPython", "ipywidgets", "traitlets"),
    "or_magics.render": ("httpx2",),
    "or_magics.offline": ("IPython", "ipywidgets", "traitlets"),
    "or_magics.state": ("IPython", "ipywidgets", "traitlets"),
    "or_magics.options": ("IPython", "ipywidgets", "traitlets", "httpx2"),
    "or_magics.kernel": ("IPython", "ipywidgets", "traitlets", "httpx2"),
    "or_magics.errors": ("IPython", "ipywidgets", "traitlets", "httpx2"),
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(source: str, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Every module ``source`` imports (absolute names), outside ``if TYPE_CHECKING``."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    known = set(files)
    return {name: imports(path.read_text(), name, path.name == "__init__.py", known)
            for name, path in files.items()}


def layer_of(module: str) -> str | None:
    best = None
    for layer in LAYERS:
        if (module == layer or module.startswith(layer + ".")) and (
                best is None or len(layer) > len(best)):
            best = layer
    return best


def violations(edges: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(edges.items()):
        mine = layer_of(module)
        assert mine is not None, f"{module} belongs to no layer: add it to LAYERS"
        for target in sorted(targets):
            top = target.split(".")[0]
            if any(top == banned for banned in FORBIDDEN.get(mine, ())):
                found.append(f"{module} imports {target} (banned in {mine})")
            theirs = layer_of(target) if top == "or_magics" else None
            if theirs is None or theirs == mine:
                continue
            if LAYERS[theirs] >= LAYERS[mine]:
                found.append(f"{module} ({mine}) imports {target} ({theirs}): upward or "
                             "sideways")
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), as import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in edges:
                continue
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return out


def test_imports_flow_one_way():
    assert violations(graph()) == []


def test_no_import_cycles_lazy_imports_included():
    # a package __init__ that re-exports its modules is not a cycle with them: leave the
    # edges from a package to its own submodules out
    edges = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in graph().items()}
    assert cycles(edges) == []


def test_every_module_is_in_a_layer_and_small():
    for path in ROOT.rglob("*.py"):
        name = module_name(path, ROOT)
        assert layer_of(name) is not None, name
        lines = path.read_text().count("\n")
        if not path.name.endswith("_data.py"):  # pure data tables may be long
            assert lines <= 460, f"{name} has {lines} lines; split it by job"


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A tiny package with one of each defect the checks must catch."""
    pkg = tmp_path / "or_magics"
    for folder in ("client", "render", "notebook"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "client" / "a.py").write_text(
        "def f():\n    from ..notebook import magics\n    import IPython\n")
    (pkg / "render" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import httpx2\n"
        "def g():\n    from . import c\n")
    (pkg / "render" / "c.py").write_text("from .b import g\nimport httpx2\n")
    (pkg / "notebook" / "magics.py").write_text("from ..client import a\n")
    return pkg


def test_the_checks_catch_lazy_upward_imports_banned_packages_and_cycles(planted):
    edges = graph(planted)
    found = violations(edges)
    assert "or_magics.client.a imports IPython (banned in or_magics.client)" in found
    assert any(v.startswith("or_magics.client.a (or_magics.client) imports "
                            "or_magics.notebook") for v in found)
    assert "or_magics.render.c imports httpx2 (banned in or_magics.render)" in found
    assert not any(v.startswith("or_magics.render.b") for v in found)  # TYPE_CHECKING only
    assert sorted(cycles(edges)) == [["or_magics.client.a", "or_magics.notebook.magics"],
                                     ["or_magics.render.b", "or_magics.render.c"]]
