"""Metadata filters for retrieval, in the forms the searches need: a Chroma `where`
clause and a test on one chunk for dense search, a mask over coded metadata columns for
BM25."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Filters:
    """Metadata filters; empty fields do not filter."""

    kinds: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> Filters:
        """From {'kind': 'research' | [...], 'publisher': ..., 'doc_id': ..., 'year_from':
        ..., 'year_to': ...}; singular and plural keys are both accepted."""
        raw = raw or {}

        def many(*keys: str) -> tuple[str, ...]:
            values: list[str] = []
            for key in keys:
                value = raw.get(key)
                if value in (None, "", "both", "all"):
                    continue
                values.extend([value] if isinstance(value, str) else list(value))
            return tuple(dict.fromkeys(str(v) for v in values))

        def year(key: str) -> int | None:
            value = raw.get(key)
            return int(str(value)[:4]) if value not in (None, "") else None

        return cls(
            kinds=many("kind", "kinds"),
            publishers=many("publisher", "publishers"),
            doc_ids=many("doc_id", "doc_ids"),
            year_from=year("year_from"),
            year_to=year("year_to"),
        )

    def with_kind(self, kind: str) -> Filters:
        return Filters((kind,), self.publishers, self.doc_ids, self.year_from, self.year_to)

    def with_publishers(self, publishers: tuple[str, ...]) -> Filters:
        """Narrowed to these publishers; unchanged when none are given."""
        if not publishers:
            return self
        return Filters(self.kinds, publishers, self.doc_ids, self.year_from, self.year_to)

    def where(self) -> dict[str, Any] | None:
        """The same filter as a Chroma `where` clause."""
        terms: list[dict[str, Any]] = []
        for key, values in (
            ("kind", self.kinds),
            ("publisher", self.publishers),
            ("doc_id", self.doc_ids),
        ):
            if values:
                terms.append({key: values[0]} if len(values) == 1 else {key: {"$in": list(values)}})
        if self.year_from is not None:
            terms.append({"year": {"$gte": self.year_from}})
        if self.year_to is not None:
            terms.append({"year": {"$lte": self.year_to}})
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else {"$and": terms}

    def matches(self, meta: Mapping[str, Any]) -> bool:
        """The same test as `where()`, on one chunk's metadata."""
        if self.kinds and meta.get("kind") not in self.kinds:
            return False
        if self.publishers and meta.get("publisher") not in self.publishers:
            return False
        if self.doc_ids and meta.get("doc_id") not in self.doc_ids:
            return False
        year = _year(meta.get("year"))
        if self.year_from is not None and not year >= self.year_from:  # NaN fails
            return False
        return not (self.year_to is not None and not year <= self.year_to)

    def mask(self, columns: Columns) -> np.ndarray:
        """Which of the chunks in `columns` pass, as a boolean array."""
        keep = np.ones(columns.size, dtype=bool)
        for key, values in (
            ("kind", self.kinds),
            ("publisher", self.publishers),
            ("doc_id", self.doc_ids),
        ):
            if values:
                keep &= columns.isin(key, values)
        if self.year_from is not None:  # a chunk without a year (NaN) fails both bounds
            keep &= columns.years >= self.year_from
        if self.year_to is not None:
            keep &= columns.years <= self.year_to
        return keep


class Columns:
    """The filterable metadata of many chunks as integer-coded numpy columns, so that
    filtering 100k chunks is a few vector comparisons rather than 100k dict lookups."""

    KEYS = ("kind", "publisher", "doc_id")

    def __init__(self, metadatas: Sequence[Mapping[str, Any]]) -> None:
        self.size = len(metadatas)
        self._codes: dict[str, dict[str, int]] = {}
        self._columns: dict[str, np.ndarray] = {}
        for key in self.KEYS:
            codes: dict[str, int] = {}
            self._columns[key] = np.fromiter(
                (
                    -1 if meta.get(key) is None else codes.setdefault(str(meta[key]), len(codes))
                    for meta in metadatas
                ),
                dtype=np.int64,
                count=self.size,
            )
            self._codes[key] = codes
        self.years = np.fromiter(
            (_year(meta.get("year")) for meta in metadatas), dtype=np.float64, count=self.size
        )

    def isin(self, key: str, values: Sequence[str]) -> np.ndarray:
        wanted = [self._codes[key][v] for v in values if v in self._codes[key]]
        return np.isin(self._columns[key], wanted)


def _year(value: Any) -> float:
    try:
        return float(int(value))
    except (TypeError, ValueError):
        return float("nan")
