"""Sentence vectors kept on disk beside the store, so that a new process (a restarted
app, a one-off `cx-advisor ask`) does not embed again the sentences an earlier one ranked.

`SavedEmbeddings` wraps an embedder, as LangChain's cache-backed embeddings do: a text
whose vector is saved is read back, the others are embedded by the wrapped model and
saved. Rows are keyed by a digest of the text (no text is stored) in an SQLite file
named by the model's name and weights, so vectors of one model are never read for
another. The file holds at most `SAVED_MAX` vectors, the oldest dropped first; it is a
cache: a file that cannot be opened, read or written is left alone and every text is
embedded as without it. Removing a document from the library empties the file
(`forget`), so no vector of a removed document's sentences stays on disk.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from array import array
from collections.abc import Sequence
from contextlib import closing, suppress
from pathlib import Path

from ingest.embedder import Embedder

SAVED_MAX = 100_000  # vectors kept on disk, at most (about 160 MB at 384 dimensions)
_LOOKUP = 500  # keys asked for in one query, at most (SQLite's bound on parameters)
_PATTERN = "sentence-vectors-*.sqlite"


def saved_vectors_path(folder: Path, embedder: Embedder) -> Path:
    """Where `embedder`'s sentence vectors are kept in `folder`."""
    digest = hashlib.sha256(f"{embedder.name}\0{embedder.weights}".encode()).hexdigest()[:16]
    return folder / _PATTERN.replace("*", digest)


def forget(folder: Path) -> None:
    """Empty every saved-vector file in `folder` (a document was removed), overwriting
    what the rows held. The file stays, so that a process with it open (the app) goes
    on using it safely."""
    for path in folder.glob(_PATTERN):
        with suppress(sqlite3.Error), closing(sqlite3.connect(path, timeout=5.0)) as db:
            db.execute("PRAGMA secure_delete=ON")
            with db:
                db.execute("DELETE FROM vectors")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class SavedEmbeddings(Embedder):
    """`inner`'s vectors, read from `path` where saved there, else embedded and saved."""

    def __init__(self, inner: Embedder, path: Path, keep: int = SAVED_MAX) -> None:
        self.inner = inner
        self.name, self.dim, self.max_tokens = inner.name, inner.dim, inner.max_tokens
        self.weights = inner.weights
        self.path = path
        self.keep = keep
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        keys = [_key(t) for t in texts]
        found = self._read(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in found))
        if missing:
            # As they will read back: in single precision (the model's own).
            fresh = {
                _key(t): array("f", v) for t, v in zip(missing, self.inner.embed_documents(missing))
            }
            self._write(fresh)
            found.update(fresh)
        return [list(found[k]) for k in keys]

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB)")
                self._db = db
            except (sqlite3.Error, OSError):
                self._broken = True
        return self._db

    def _read(self, keys: list[bytes]) -> dict[bytes, Sequence[float]]:
        out: dict[bytes, Sequence[float]] = {}
        with self._lock:
            db = self._connection()
            if db is None:
                return out
            try:
                for lo in range(0, len(keys), _LOOKUP):
                    part = keys[lo : lo + _LOOKUP]
                    marks = ",".join("?" * len(part))
                    rows = db.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})",
                        part,
                    )
                    for key, blob in rows:
                        vector = array("f")
                        vector.frombytes(blob)
                        if len(vector) == self.dim:
                            out[key] = vector
            except sqlite3.Error:
                self._close()
        return out

    def _write(self, vectors: dict[bytes, array[float]]) -> None:
        with self._lock:
            db = self._connection()
            if db is None:
                return
            try:
                with db:
                    db.executemany(
                        "INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)",
                        [(k, v.tobytes()) for k, v in vectors.items()],
                    )
                    db.execute(
                        "DELETE FROM vectors WHERE rowid <= (SELECT MAX(rowid) FROM vectors) - ?",
                        (self.keep,),
                    )
            except sqlite3.Error:
                self._close()

    def _close(self) -> None:
        """Stop using the file for this process (it is only a cache)."""
        if self._db is not None:
            self._db.close()
        self._db, self._broken = None, True
