"""Question suites in YAML: question, expected source files, key facts, must_abstain."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUITES_DIR = Path(__file__).parent / "suites"


@dataclass
class Case:
    question: str
    expected_sources: list[str] = field(default_factory=list)
    key_facts: list[list[str]] = field(default_factory=list)
    must_abstain: bool = False
    history: list[tuple[str, str]] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)


def load_suite(path: Path) -> list[Case]:
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = []
    for item in raw.get("cases", []):
        facts = [
            [str(v) for v in (f if isinstance(f, list) else [f])] for f in item.get("key_facts", [])
        ]
        cases.append(
            Case(
                question=str(item["question"]),
                expected_sources=[str(s) for s in item.get("expected_sources", [])],
                key_facts=facts,
                must_abstain=bool(item.get("must_abstain", False)),
                history=[(str(q), str(a)) for q, a in item.get("history", [])],
                filters=dict(item.get("filters", {})),
            )
        )
    return cases


def source_hit(sources: list[str], expected: list[str]) -> bool:
    """Does any retrieved source (a path) name one of the expected files?"""
    names = {Path(s).name for s in sources}
    return any(e in names for e in expected)


def facts_found(answer: str, key_facts: list[list[str]]) -> bool:
    """Every key fact appears in the answer in one of its accepted forms."""
    lowered = answer.lower().replace("−", "-")
    return all(
        any(v.lower().replace("−", "-") in lowered for v in variants) for variants in key_facts
    )
