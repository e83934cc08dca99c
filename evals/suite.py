"""Question suites in YAML.

A suite names the corpus it is written against (ingested into its own eval store, so the
user's library is never touched), optional metric thresholds, and its cases: a question,
optional chat history and filters, the files that answer it, the key facts a correct
answer contains (each with accepted variants), strings it must not contain, and whether
the corpus cannot answer it (`must_abstain`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUITES_DIR = Path(__file__).parent / "suites"
REPO_ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = (
    "fact",
    "here",
    "disagree",
    "strategy",
    "follow-up",
    "abstain",
    "named-absent",
    "adversarial",
    "feedback",
)
_CASE_KEYS = {
    "id",
    "category",
    "question",
    "history",
    "filters",
    "expected_sources",
    "key_facts",
    "forbidden",
    "must_abstain",
    "note",
}


class SuiteError(ValueError):
    """A suite file that cannot be used; the message names the file and the problem."""


@dataclass
class Case:
    question: str
    expected_sources: list[str] = field(default_factory=list)
    key_facts: list[list[str]] = field(default_factory=list)
    must_abstain: bool = False
    history: list[tuple[str, str]] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    category: str = "fact"
    forbidden: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CorpusEntry:
    path: Path
    kind: str | None = None


@dataclass
class Suite:
    name: str
    path: Path
    cases: list[Case]
    corpus: list[CorpusEntry] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    description: str = ""

    def file_hash(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()[:12]


def resolve_suite(name_or_path: str | Path) -> Path:
    """A path as given, or the name of a shipped suite ('core', 'smoke')."""
    path = Path(name_or_path)
    if path.is_file():  # a folder of the same name ('core/' in the repository) is no suite
        return path
    shipped = SUITES_DIR / f"{name_or_path}.yaml"
    if shipped.exists():
        return shipped
    names = ", ".join(sorted(p.stem for p in SUITES_DIR.glob("*.yaml")))
    raise SuiteError(f"{name_or_path}: no such suite file (shipped suites: {names})")


def load(path: Path) -> Suite:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        reason = " ".join(str(err).split())[:200]
        raise SuiteError(f"{path}: cannot read the suite ({reason})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
        raise SuiteError(f"{path}: a suite is a mapping with a 'cases' list")
    cases = [_case(path, i, item) for i, item in enumerate(raw["cases"], start=1)]
    ids = [c.id for c in cases]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise SuiteError(f"{path}: duplicate case ids: {', '.join(duplicated)}")
    corpus = [
        CorpusEntry(_repo_path(entry["path"]), entry.get("kind"))
        if isinstance(entry, dict)
        else CorpusEntry(_repo_path(entry))
        for entry in raw.get("corpus") or []
    ]
    thresholds = {str(k): float(v) for k, v in (raw.get("thresholds") or {}).items()}
    return Suite(
        name=str(raw.get("name") or path.stem),
        path=path,
        cases=cases,
        corpus=corpus,
        thresholds=thresholds,
        description=str(raw.get("description") or ""),
    )


def load_suite(path: Path) -> list[Case]:
    return load(path).cases


def _case(path: Path, index: int, item: Any) -> Case:
    where = f"{path}: case {index}"
    if not isinstance(item, dict) or not str(item.get("question") or "").strip():
        raise SuiteError(f"{where}: every case needs a question")
    unknown = sorted(set(item) - _CASE_KEYS)
    if unknown:
        raise SuiteError(f"{where}: unknown field(s) {', '.join(unknown)}")
    category = str(item.get("category") or ("abstain" if item.get("must_abstain") else "fact"))
    if category not in CATEGORIES:
        raise SuiteError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
    facts = [
        [str(v) for v in (f if isinstance(f, list) else [f])] for f in item.get("key_facts") or []
    ]
    try:
        history = [(str(q), str(a)) for q, a in item.get("history") or []]
    except (TypeError, ValueError):
        raise SuiteError(f"{where}: history is a list of [question, answer] pairs") from None
    return Case(
        question=str(item["question"]),
        expected_sources=[str(s) for s in item.get("expected_sources") or []],
        key_facts=facts,
        must_abstain=bool(item.get("must_abstain", False)),
        history=history,
        filters=dict(item.get("filters") or {}),
        id=str(item.get("id") or f"case-{index}"),
        category=category,
        forbidden=[str(s) for s in item.get("forbidden") or []],
    )


def _repo_path(value: str) -> Path:
    """Corpus paths are relative to the repository root (or absolute)."""
    path = Path(value)
    return path if path.is_absolute() else REPO_ROOT / path


def corpus_hash(files: list[Path]) -> str:
    """Content hash of the corpus: names and bytes of every file, in a stable order."""
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda p: p.name):
        digest.update(file.name.encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()[:12]
