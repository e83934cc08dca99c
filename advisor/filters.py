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

    @classmethod
    def of_codes(
        cls, values: Mapping[str, Sequence[str]], codes: Mapping[str, np.ndarray], years: np.ndarray
    ) -> Columns:
        """Columns from their parts: for each key the distinct values and each row's code
        (an index into them, -1 for none), and each row's year (NaN for none)."""
        for key in cls.KEYS:
            if len(codes[key]) != len(years):
                raise ValueError(f"column {key} has {len(codes[key])} rows, not {len(years)}")
        tables = {key: {str(v): i for i, v in enumerate(values[key])} for key in cls.KEYS}
        return cls._of(tables, codes, years)

    @classmethod
    def _of(
        cls,
        tables: Mapping[str, dict[str, int]],
        codes: Mapping[str, np.ndarray],
        years: np.ndarray,
    ) -> Columns:
        columns = cls([])
        columns.size = len(years)
        columns.years = years
        columns._codes = dict(tables)
        columns._columns = {key: codes[key] for key in cls.KEYS}
        return columns

    def values(self, key: str) -> list[str]:
        """The distinct values of one column, in code order."""
        return list(self._codes[key])

    def codes(self, key: str) -> np.ndarray:
        """Each row's code for `key`: an index into `values(key)`, -1 where it has none."""
        return self._columns[key]

    def rows(self, start: int, stop: int) -> Columns:
        """The rows start..stop (views, sharing the values)."""
        codes = {k: c[start:stop] for k, c in self._columns.items()}
        return Columns._of(self._codes, codes, self.years[start:stop])

    @classmethod
    def concat(cls, parts: Sequence[Columns]) -> Columns:
        """The rows of all parts, in order, coded afresh over the values they use."""
        values: dict[str, list[str]] = {}
        codes: dict[str, np.ndarray] = {}
        for key in cls.KEYS:
            merged: dict[str, int] = {}
            lookups: dict[int, np.ndarray] = {}  # parts cut from one Columns share values
            recoded = []
            for part in parts:
                table = part._codes[key]
                if id(table) not in lookups:
                    ids = [merged.setdefault(v, len(merged)) for v in table]
                    lookups[id(table)] = np.array([*ids, -1], dtype=np.int64)  # -1 stays -1
                recoded.append(lookups[id(table)][part._columns[key]])
            joined = np.concatenate(recoded) if recoded else np.zeros(0, dtype=np.int64)
            used = np.bincount(joined[joined >= 0], minlength=len(merged)) > 0
            renumber = np.append(np.cumsum(used) - 1, -1)
            values[key] = [v for v, u in zip(merged, used.tolist()) if u]
            codes[key] = renumber[joined]
        years = np.concatenate([p.years for p in parts]) if parts else np.zeros(0)
        return cls.of_codes(values, codes, years)

    def present(self, key: str, rows: np.ndarray) -> list[str]:
        """The distinct values of `key` among the rows of a boolean mask, sorted."""
        codes = np.unique(self._columns[key][rows])
        table = self.values(key)
        return sorted(table[c] for c in codes.tolist() if c >= 0)

    def isin(self, key: str, values: Sequence[str]) -> np.ndarray:
        wanted = [self._codes[key][v] for v in values if v in self._codes[key]]
        return np.isin(self._columns[key], wanted)


def _year(value: Any) -> float:
    try:
        return float(int(value))
    except (TypeError, ValueError):
        return float("nan")
