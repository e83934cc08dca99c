"""Every third-party package the code imports is declared in pyproject.toml: the
application's in `dependencies`, the tests' in `dependencies` or the `dev` extra. A
package that arrives only as another's dependency can vanish with that one's next
release."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OWN = {"core", "ingest", "advisor", "evals", "bench", "ui", "tests", "app"}


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement ('llama-cpp-python[server]==x')."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    dev = {_name(r) for r in project["optional-dependencies"]["dev"]}
    return runtime, dev


def imported(files: list[Path]) -> dict[str, str]:
    """Top-level third-party modules imported by `files`, each with one place it is."""
    found: dict[str, str] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in OWN and top not in sys.stdlib_module_names:
                    found.setdefault(top, f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def undeclared(files: list[Path], allowed: set[str]) -> list[str]:
    owners = packages_distributions()
    missing = []
    for module, where in sorted(imported(files).items()):
        dists = {_name(d) for d in owners.get(module, [])}
        if not dists & allowed:
            missing.append(f"{module} ({', '.join(sorted(dists)) or 'not installed'}) at {where}")
    return missing


def test_the_application_declares_what_it_imports() -> None:
    runtime, _ = declared()
    files = [REPO / "app.py"] + [
        p
        for package in ("core", "ingest", "advisor", "evals", "bench", "ui")
        for p in (REPO / package).rglob("*.py")
    ]
    assert undeclared(files, runtime) == []


def test_the_tests_declare_what_they_import() -> None:
    runtime, dev = declared()
    assert undeclared(sorted((REPO / "tests").rglob("*.py")), runtime | dev) == []
