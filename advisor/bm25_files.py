"""The BM25 index saved beside the store, so that a restart maps it from disk instead
of reading and tokenising every chunk again.

The folder holds one generation of files: numpy arrays (loaded memory-mapped), the
vocabulary as a JSON list of terms in id order, and `manifest.json`, which names that
generation's files with their sizes, dtypes and shapes and records the format, the
store version the index was built for and each document's stamp and rows.

Consistency: every file is written under a temporary name, flushed to disk and renamed
into place, the manifest last, so a crash at any point leaves the old manifest with its
files or the new one with its files. A manifest that is missing, unreadable or of
another format, or that names a file that is missing or not as it recorded (size, npy
header, dtype, shape), is never used: the index is rebuilt from the store. An index
saved for another store version is brought up to date, reading again only the
documents whose stamps changed. Updates happen under a lock beside the folder, so
processes that find the index stale together update it once.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

import numpy as np

from advisor.bm25 import BM25Index, DocumentSpan, OkapiBM25, Postings, Vocabulary
from advisor.chunk_rows import ChunkRows
from ingest.storage import Store

FORMAT = 2  # 2: possessive endings left out of tokens ("Pega's" -> "pega")
MANIFEST = "manifest.json"
_CHUNKS, _POSTINGS = "chunks.", "postings."


@dataclass(frozen=True)
class SavedIndex:
    """An index read back from disk and the store version it was built for."""

    store_version: str
    index: BM25Index


class BM25Files:
    """One store's BM25 index on disk."""

    def __init__(self, folder: Path, lock: AbstractContextManager[Any] | None = None) -> None:
        """`lock` is held while the index is read, updated or saved."""
        self.folder = folder
        self._lock = lock if lock is not None else nullcontext()

    def current(self, store: Store, version: str, previous: BM25Index | None = None) -> BM25Index:
        """The index for the store at `version`: the saved one when it was built for
        that version; otherwise the saved one (or else `previous`) brought up to date
        from the store, and saved. A folder that cannot be written costs the saving
        only: the index is still returned."""
        with self._lock:
            saved = self.load()
            if saved is not None and saved.store_version == version:
                return saved.index
            index = BM25Index.from_store(store, saved.index if saved else previous)
            try:
                self.save(index, version)
            except OSError:
                return index
            reloaded = self.load()  # mapped from disk rather than held in memory
            return reloaded.index if reloaded is not None else index

    def load(self) -> SavedIndex | None:
        """The saved index, None when there is none or it is not complete and intact."""
        try:
            manifest = json.loads((self.folder / MANIFEST).read_bytes())
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                return None
            arrays = {name: self._array(name, entry) for name, entry in manifest["arrays"].items()}
            if arrays.keys() != _dtypes().keys():
                return None
            terms = json.loads(self._read(manifest["vocabulary"]))
            vocabulary = Vocabulary([str(t) for t in terms])
            chunks = ChunkRows.of_arrays(_part(arrays, _CHUNKS), manifest["columns"])
            postings = Postings(**_part(arrays, _POSTINGS))
            documents = [
                DocumentSpan(str(doc_id), str(stamp), int(start), int(stop))
                for doc_id, stamp, start, stop in manifest["documents"]
            ]
            okapi = OkapiBM25(postings, len(chunks), vocabulary)
            index = BM25Index(documents, chunks, vocabulary, okapi)
            return SavedIndex(str(manifest["store_version"]), index)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def save(self, index: BM25Index, store_version: str) -> None:
        """Write the index as a new generation of files, then the manifest naming them,
        then remove every other file in the folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        generation = uuid.uuid4().hex[:12]
        arrays: dict[str, dict[str, Any]] = {}
        for name, array in _arrays(index).items():
            file = f"{generation}.{name}.npy"
            self._write(file, _npy(array))
            arrays[name] = {
                "file": file,
                "bytes": (self.folder / file).stat().st_size,
                "dtype": array.dtype.str,
                "shape": list(array.shape),
            }
        vocabulary = f"{generation}.vocabulary.json"
        terms = json.dumps(index.vocabulary.terms(), ensure_ascii=False).encode("utf-8")
        self._write(vocabulary, lambda f: f.write(terms))
        manifest = {
            "format": FORMAT,
            "store_version": store_version,
            "chunks": len(index.chunks),
            "documents": [[d.doc_id, d.stamp, d.start, d.stop] for d in index.documents],
            "columns": index.chunks.column_values(),
            "vocabulary": {"file": vocabulary, "bytes": len(terms)},
            "arrays": arrays,
        }
        text = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
        self._write(MANIFEST, lambda f: f.write(text))
        _sync_folder(self.folder)
        named = {MANIFEST, vocabulary, *(entry["file"] for entry in arrays.values())}
        for path in self.folder.iterdir():
            if path.name not in named:
                with suppress(OSError):  # open elsewhere (Windows): left for a later save
                    path.unlink()

    # -- files -------------------------------------------------------------------------------

    def _write(self, name: str, write: Callable[[IO[bytes]], object]) -> None:
        path = self.folder / name
        temporary = path.with_name(f"{name}.tmp")
        try:
            with temporary.open("wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)

    def _path(self, entry: Mapping[str, Any]) -> Path:
        """The file an entry of the manifest names, if it has the size recorded."""
        name = str(entry["file"])
        if Path(name).name != name or name == MANIFEST:
            raise ValueError(f"not a file of this folder: {name}")
        path = self.folder / name
        if path.stat().st_size != entry["bytes"]:
            raise ValueError(f"{name} is not the size the manifest records")
        return path

    def _read(self, entry: Mapping[str, Any]) -> bytes:
        return self._path(entry).read_bytes()

    def _array(self, name: str, entry: Mapping[str, Any]) -> np.ndarray:
        array = np.load(self._path(entry), mmap_mode="r", allow_pickle=False)
        expected = _dtypes().get(name)
        if array.dtype != expected or array.dtype.str != entry["dtype"]:
            raise ValueError(f"{name} holds {array.dtype}, not {expected}")
        if array.ndim != 1 or list(array.shape) != entry["shape"]:
            raise ValueError(f"{name} has shape {array.shape}, not {entry['shape']}")
        if name.endswith(("offsets", "starts")) and np.any(np.diff(array) < 0):
            raise ValueError(f"{name} is not in order")
        return array.view(np.ndarray)  # still mapped; plain views slice faster


def _arrays(index: BM25Index) -> dict[str, np.ndarray]:
    chunks = {_CHUNKS + name: a for name, a in index.chunks.arrays().items()}
    postings = {_POSTINGS + name: a for name, a in index.okapi.postings.arrays().items()}
    return chunks | postings


@cache
def _dtypes() -> dict[str, np.dtype[Any]]:
    """The name and dtype of every array an index is saved as."""
    return {name: array.dtype for name, array in _arrays(BM25Index.of_chunks([])).items()}


def _npy(array: np.ndarray) -> Callable[[IO[bytes]], None]:
    def write(f: IO[bytes]) -> None:
        np.lib.format.write_array(f, array, allow_pickle=False)

    return write


def _part(arrays: Mapping[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {name[len(prefix) :]: a for name, a in arrays.items() if name.startswith(prefix)}


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
