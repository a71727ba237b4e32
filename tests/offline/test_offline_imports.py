"""The simulator stands alone: of or_magics it imports only the shared protocol constants."""

from __future__ import annotations

import ast
from pathlib import Path

import or_magics.offline as offline
from or_magics import protocol

PACKAGE = Path(offline.__file__).parent


def _imports(path: Path) -> set[str]:
    """Absolute module names a file imports, relative imports resolved."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module or "")
            else:
                base = ["or_magics", "offline"][: 2 - (node.level - 1)]
                modules = [node.module] if node.module else [a.name for a in node.names]
                names.update(".".join([*base, m]) for m in modules)
    return names


def test_offline_imports_nothing_of_the_package_but_protocol() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        inside = {n for n in _imports(path) if n == "or_magics" or n.startswith("or_magics.")}
        stray = {n for n in inside if not n.startswith("or_magics.offline")}
        assert stray <= {"or_magics.protocol"}, (path.name, stray)


def test_shared_constants_are_the_protocol_ones() -> None:
    assert offline.DEFAULT_MODEL == protocol.DEFAULT_MODEL
    assert offline.DEFAULT_BASE_URL == offline.OFFLINE_BASE_URL == protocol.OFFLINE_BASE_URL
