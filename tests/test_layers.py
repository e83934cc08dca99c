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
