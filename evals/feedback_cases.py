"""Turn "wrong evidence" feedback from the app into draft eval cases.

Each draft keeps the question as it was asked and a note with the reader's comment and
the sources the answer cited and retrieved, so an analyst can fill in the expected
sources and key facts.
Drafts have no corpus: they run against the library as it is. Existing drafts in the
output file are kept as edited; only new feedback is appended.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.feedback import Feedback


def draft_case(entry: Feedback) -> dict[str, Any]:
    cited = sorted({Path(c.source).name for c in entry.answer.citations})
    retrieved = list(dict.fromkeys(Path(r.source).name for r in entry.answer.retrieved))
    note = f"Reported as wrong evidence on {entry.created_at}."
    if entry.comment:
        note += f" Comment: {entry.comment}"
    note += f" The answer cited: {', '.join(cited) or 'nothing'}."
    note += f" Retrieved: {', '.join(retrieved) or 'nothing'}."
    note += " To do: set expected_sources and key_facts (or must_abstain: true)."
    return {
        "id": f"feedback-{entry.id}",
        "category": "feedback",
        "question": entry.question,
        "expected_sources": [],
        "key_facts": [],
        "note": note,
    }


def import_feedback(entries: list[Feedback], out: Path) -> tuple[int, int]:
    """Append drafts for entries not yet in `out`; returns (added, already there)."""
    import yaml

    suite: dict[str, Any] = {
        "name": "feedback",
        "description": "Draft cases from 'wrong evidence' feedback; review before use.",
        "cases": [],
    }
    if out.exists():
        loaded = yaml.safe_load(out.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict) or not isinstance(loaded.get("cases", []), list):
            raise ValueError(f"{out}: exists but is not a suite file; choose another --out")
        suite.update(loaded)
        suite["cases"] = list(loaded.get("cases") or [])
    known = {str(c.get("id")) for c in suite["cases"] if isinstance(c, dict)}
    new = [draft_case(e) for e in entries if f"feedback-{e.id}" not in known]
    suite["cases"].extend(new)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(
        yaml.safe_dump(suite, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    tmp.replace(out)
    return len(new), len(entries) - len(new)
