"""Chunks as a few flat numpy arrays instead of one Python object each.

Ids, texts and metadata (as JSON) are each one UTF-8 byte array with offsets, and every
chunk's term ids sit in one integer array, so that 100k chunks can be memory-mapped
from disk in milliseconds and cut or joined by document without touching each chunk.
A chunk becomes a `StoredChunk` only when it is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import overload

import numpy as np

from advisor.filters import Columns
from ingest.store import StoredChunk

TERM_DTYPE = np.int32  # term ids; a vocabulary never reaches 2**31 terms
_STRINGS = ("ids", "texts", "metadata")
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class Strings:
    """Many strings as one UTF-8 byte array and each string's start in it."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray) -> None:
        if offsets.ndim != 1 or not len(offsets) or offsets[0] != 0 or offsets[-1] != len(data):
            raise ValueError("string offsets do not span their data")
        self.data = data
        self.offsets = offsets

    @classmethod
    def of(cls, values: Sequence[str]) -> Strings:
        encoded = [v.encode("utf-8") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        start, stop = self.offsets[i], self.offsets[i + 1]
        return self.data[start:stop].tobytes().decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def rows(self, start: int, stop: int) -> Strings:
        first, last = self.offsets[start], self.offsets[stop]
        return Strings(self.data[first:last], self.offsets[start : stop + 1] - first)

    @staticmethod
    def concat(parts: Sequence[Strings]) -> Strings:
        if not parts:
            return Strings.of([])
        shifts = np.cumsum([0] + [len(p.data) for p in parts[:-1]])
        offsets = [np.zeros(1, dtype=np.int64)] + [
            p.offsets[1:] + shift for p, shift in zip(parts, shifts)
        ]
        return Strings(np.concatenate([p.data for p in parts]), np.concatenate(offsets))


class ChunkRows(Sequence[StoredChunk]):
    """Chunks in order, with their term ids and their filterable metadata as columns."""

    def __init__(
        self,
        ids: Strings,
        texts: Strings,
        metadata: Strings,
        terms: np.ndarray,
        term_starts: np.ndarray,
        columns: Columns,
    ) -> None:
        size = len(ids)
        if not len(texts) == len(metadata) == len(term_starts) - 1 == columns.size == size:
            raise ValueError("chunk columns differ in length")
        if term_starts[0] != 0 or term_starts[-1] != len(terms):
            raise ValueError("term offsets do not span the term ids")
        self.ids = ids
        self.texts = texts
        self.metadata = metadata
        self.terms = terms
        self.term_starts = term_starts
        self.columns = columns

    @classmethod
    def of_chunks(cls, chunks: Sequence[StoredChunk], terms: Sequence[np.ndarray]) -> ChunkRows:
        """`terms` holds each chunk's term ids, in order."""
        lengths = np.fromiter((len(t) for t in terms), dtype=np.int64, count=len(terms))
        starts = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        flat = np.concatenate(terms).astype(TERM_DTYPE) if terms else np.zeros(0, TERM_DTYPE)
        metas = [c.metadata for c in chunks]
        return cls(
            Strings.of([c.chunk_id for c in chunks]),
            Strings.of([c.text for c in chunks]),
            Strings.of([_JSON.encode(m) for m in metas]),
            flat,
            starts,
            Columns(metas),
        )

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> StoredChunk: ...

    @overload
    def __getitem__(self, i: slice) -> list[StoredChunk]: ...

    def __getitem__(self, i: int | slice) -> StoredChunk | list[StoredChunk]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        return StoredChunk(self.ids[i], self.texts[i], json.loads(self.metadata[i]), [])

    def term_counts(self) -> np.ndarray:
        """How many term ids each chunk has."""
        return np.diff(self.term_starts)

    def rows(self, start: int, stop: int) -> ChunkRows:
        """Chunks start..stop (views where the arrays allow)."""
        first, last = self.term_starts[start], self.term_starts[stop]
        return ChunkRows(
            self.ids.rows(start, stop),
            self.texts.rows(start, stop),
            self.metadata.rows(start, stop),
            self.terms[first:last],
            self.term_starts[start : stop + 1] - first,
            self.columns.rows(start, stop),
        )

    @staticmethod
    def concat(parts: Sequence[ChunkRows]) -> ChunkRows:
        shifts = np.cumsum([0] + [len(p.terms) for p in parts[:-1]])
        starts = [np.zeros(1, dtype=np.int64)] + [
            p.term_starts[1:] + shift for p, shift in zip(parts, shifts)
        ]
        terms = [p.terms for p in parts] or [np.zeros(0, TERM_DTYPE)]
        return ChunkRows(
            Strings.concat([p.ids for p in parts]),
            Strings.concat([p.texts for p in parts]),
            Strings.concat([p.metadata for p in parts]),
            np.concatenate(terms),
            np.concatenate(starts),
            Columns.concat([p.columns for p in parts]),
        )

    def with_terms(self, terms: np.ndarray) -> ChunkRows:
        """The same chunks with their term ids renumbered (same length, same order)."""
        return ChunkRows(self.ids, self.texts, self.metadata, terms, self.term_starts, self.columns)

    # -- as arrays, to save and load ------------------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array these rows are made of, by name."""
        out = {
            "terms": self.terms,
            "term_starts": self.term_starts,
            "years": self.columns.years,
        }
        for name, strings in zip(_STRINGS, (self.ids, self.texts, self.metadata)):
            out[f"{name}.data"] = strings.data
            out[f"{name}.offsets"] = strings.offsets
        for key in Columns.KEYS:
            out[f"{key}.codes"] = self.columns.codes(key)
        return out

    def column_values(self) -> dict[str, list[str]]:
        """The distinct values of each filterable column, which `arrays()` codes."""
        return {key: self.columns.values(key) for key in Columns.KEYS}

    @classmethod
    def of_arrays(
        cls, arrays: Mapping[str, np.ndarray], column_values: Mapping[str, Sequence[str]]
    ) -> ChunkRows:
        """Rows from what `arrays()` and `column_values()` gave; ValueError or KeyError
        when the parts do not fit together."""
        ids, texts, metadata = (
            Strings(arrays[f"{n}.data"], arrays[f"{n}.offsets"]) for n in _STRINGS
        )
        codes = {key: arrays[f"{key}.codes"] for key in Columns.KEYS}
        for key in Columns.KEYS:
            if len(codes[key]) and not -1 <= codes[key].min() <= codes[key].max() < len(
                column_values[key]
            ):
                raise ValueError(f"codes of {key} out of range")
        columns = Columns.of_codes(column_values, codes, arrays["years"])
        return cls(ids, texts, metadata, arrays["terms"], arrays["term_starts"], columns)
