"""Feedback on answers, kept in SQLite in the store directory.

"Wrong evidence" entries keep the whole answer (citations included) so they can later be
turned into evaluation cases.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from advisor.answer import Answer

RATINGS = ("helpful", "not helpful", "wrong evidence")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('helpful', 'not helpful', 'wrong evidence')),
    comment TEXT NOT NULL DEFAULT '',
    answer_json TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Feedback:
    id: int
    created_at: str
    question: str
    rating: str
    comment: str
    answer: Answer


def feedback_path(store_dir: Path) -> Path:
    return store_dir / "feedback.sqlite3"


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, answer: Answer, rating: str, comment: str = "") -> int:
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)}")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created_at, question, rating, comment, answer_json)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    answer.question,
                    rating,
                    comment.strip()[:2000],
                    answer.model_dump_json(),
                ),
            )
            return int(cursor.lastrowid or 0)

    def entries(self, rating: str | None = None) -> list[Feedback]:
        query = "SELECT id, created_at, question, rating, comment, answer_json FROM feedback"
        params: tuple[str, ...] = ()
        if rating:
            query += " WHERE rating = ?"
            params = (rating,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id", params).fetchall()
        return [
            Feedback(r[0], r[1], r[2], r[3], r[4], Answer.model_validate(json.loads(r[5])))
            for r in rows
        ]
