"""The package's imports point one way: no cycle, no upward import, no private name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "factsheets"
STAGES = {"errors": 0, "units": 0, "config": 1, "files": 1, "model": 2, "i18n": 3, "html": 4,
          "pdf": 5, "build": 6, "quality": 6, "preview": 7, "cli": 8, "__main__": 9, "__init__": 9}
"""Each stage may import the stages ranked below it, and itself; never above or beside."""


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE).with_suffix("").parts): p
            for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import, lazy ones included."""
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            names = [alias.name for alias in node.names]
            if node.module is None:  # from . import a, b: each a module
                found += [(f"{target}.{n}".lstrip("."), [], node.lineno) for n in names]
            else:
                found.append((target, names, node.lineno))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("factsheets."):
            found.append((node.module.removeprefix("factsheets."), [a.name for a in node.names],
                          node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = {t if t in known else f"{t}.__init__" for t, _, _ in imports(name, path)}
        edges[name] = {t for t in targets if t in known and t != name}
    return edges


def stage(module: str) -> str:
    return module.split(".")[0]


def test_the_package_has_no_import_cycle() -> None:
    edges = graph()
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        if node in visiting:
            cycle = visiting[visiting.index(node):] + [node]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if node in done:
            return
        visiting.append(node)
        for target in sorted(edges[node]):
            visit(target)
        visiting.pop()
        done.add(node)

    for node in sorted(edges):
        visit(node)


def test_stages_import_only_stages_below_them() -> None:
    upward = [f"{name} imports {target}" for name, targets in graph().items()
              for target in targets
              if stage(target) != stage(name) and STAGES[stage(target)] >= STAGES[stage(name)]]
    assert upward == []


def test_no_module_imports_another_modules_private_name() -> None:
    private = [f"{path.relative_to(PACKAGE)}:{line}: {name} from {target}"
               for module, path in modules().items()
               for target, names, line in imports(module, path)
               for name in names if name.startswith("_") and not name.startswith("__")]
    assert private == []


def test_every_stage_package_says_what_goes_in_and_what_comes_out() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text())) or ""
        assert "->" in doc and doc.count("\n") == 0, init


def test_the_checker_sees_a_planted_cycle_and_an_upward_import(tmp_path, monkeypatch) -> None:
    fake = tmp_path / "factsheets"
    (fake / "model").mkdir(parents=True)
    (fake / "build").mkdir()
    (fake / "model" / "a.py").write_text("from ..build.b import x\n")
    (fake / "build" / "b.py").write_text("def f():\n    from ..model.a import y\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    with pytest.raises(pytest.fail.Exception, match="import cycle"):
        test_the_package_has_no_import_cycle()
    with pytest.raises(AssertionError, match="model.a imports build.b"):
        test_stages_import_only_stages_below_them()
