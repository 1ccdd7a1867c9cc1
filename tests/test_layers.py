"""plansite/ runs one way: each room imports only rooms below it (model → figures → urls, wording →
pages, charts, documents, forms, opendata → builder → publish → the hook and the command line), and
no import runs in a circle. Imports inside functions count: they are imports all the same."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "plansite"
# A room is a sub-package or a top-level module; the rank says which rooms it may import (lower ones).
RANKS = {
    "errors": 0, "arguments": 0, "search": 0,
    "model": 1,
    "figures": 2,
    "urls": 3, "wording": 3,
    "pages": 4, "charts": 4, "documents": 4, "forms": 4, "opendata": 4,
    "builder": 5,
    "publish": 6,
    "hooks": 7, "__main__": 7,
}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, text: str | None = None) -> set[str]:
    """Every plansite module `path` (or `text`, as if it were at `path`) imports, at any depth of its code."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8") if text is None else text)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "plansite"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "plansite":
                continue
            # `from plansite.charts import specs` imports the module plansite.charts.specs
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
    return {name for name in found if name != here}


def _exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "plansite"


def _graph() -> dict[str, set[str]]:
    return {_module(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_room_has_a_rank_and_says_what_it_holds():
    rooms = {_room(m) for m in _graph()} - {"plansite"}
    assert rooms == set(RANKS), f"rooms without a rank, or ranks without a room: {rooms ^ set(RANKS)}"
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) == 1, f"{folder.name}/__init__.py needs a one-line docstring"


def test_no_room_imports_a_room_above_or_beside_it():
    upward = [f"{module} imports {target}" for module, targets in _graph().items() for target in sorted(targets)
              if _room(module) != "plansite" and _room(target) != _room(module)
              and RANKS[_room(target)] >= RANKS[_room(module)]]
    assert upward == []


def test_no_import_runs_in_a_circle():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append(" → ".join(path[path.index(target):] + [target]))
            elif target in graph and not state.get(target):
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if not state.get(module):
            visit(module, [module])
    assert circles == []


def test_the_checker_sees_imports_inside_functions():
    """The test above has teeth: a function-level import back up is found."""
    probe = PACKAGE / "figures" / "probe.py"  # never written: its text is given
    assert _imports(probe, "def f():\n    from ..pages import render\n") == {"plansite.pages.render"}
    assert _imports(probe, "def f():\n    import plansite.builder.site\n") == {"plansite.builder.site"}


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
