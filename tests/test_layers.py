"""Imports run one way (core <- ingest <- advisor <- evals <- bench, ui), checked by the
import-linter contract in pyproject.toml; a planted back-edge breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "ingest", "advisor", "evals", "bench", "ui")
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT), "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layers_contract_holds_and_a_back_edge_breaks_it(tmp_path: Path) -> None:
    assert _lint(REPO).returncode == 0
    for name in PACKAGES:
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    errors = tmp_path / "ingest" / "errors.py"
    errors.write_text(errors.read_text() + "\nfrom advisor import composition  # noqa\n")
    broken = _lint(tmp_path)
    assert broken.returncode != 0
    assert "ingest.errors -> advisor.composition" in broken.stdout


# lxml's element class is named with an underscore but is its public type for annotations.
_LIBRARY_TYPES = {"_Element"}


def private_reach_ins(path: Path, root: Path = REPO) -> list[str]:
    """`thing._name` in a file where `_name` is not defined (not an attribute, function,
    class or variable of that file): a use of another module's private name. A class's
    own `self._name` (its own, or a base class's protected API) is not one."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or name.startswith("__") or name in _LIBRARY_TYPES:
            continue
        if isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
            continue  # its own, or what a base class offers its subclasses
        if name not in defined:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_uses_another_modules_private_names(tmp_path: Path) -> None:
    files = [p for package in (*PACKAGES, "tests") for p in (REPO / package).rglob("*.py")]
    assert [hit for path in sorted(files) for hit in private_reach_ins(path)] == []
    planted = tmp_path / "planted.py"
    planted.write_text(
        "class Mine:\n    def __init__(self):\n        self._own = 1\n\n"
        "def peek(store, other: Mine):\n    return store._chunks.count() + other._own\n"
    )
    assert private_reach_ins(planted, tmp_path) == ["planted.py:6: store._chunks"]
