"""Hybrid retrieval: Chroma dense search plus BM25 over the same chunks, fused with
reciprocal rank fusion (each search's top hits always kept), with optional MMR, metadata
filters and a research/internal balance for questions about the user's own organisation.

The BM25 index is built from the store and cached until the store's version changes
(a document committed, replaced or removed).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from advisor.lexical import tokens
from advisor.passages import Passage
from advisor.vectors import dot
from ingest.embedder import Embedder
from ingest.store import ChunkStore, StoredChunk

RRF_K = 60
_OWN_ORG = re.compile(
    r"\b(here|our|ours|we|us|my (company|organi[sz]ation|business|team|firm)|"
    r"this (company|organi[sz]ation|business|firm)|internal(ly)?|in-house)\b",
    re.IGNORECASE,
)


def about_own_organisation(question: str) -> bool:
    """True for questions about the asker's own company ('here', 'our', 'we', ...)."""
    return bool(_OWN_ORG.search(question))


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

    def matches(self, meta: dict[str, Any]) -> bool:
        if self.kinds and meta.get("kind") not in self.kinds:
            return False
        if self.publishers and meta.get("publisher") not in self.publishers:
            return False
        if self.doc_ids and meta.get("doc_id") not in self.doc_ids:
            return False
        year = meta.get("year")
        if self.year_from is not None and (year is None or year < self.year_from):
            return False
        return not (self.year_to is not None and (year is None or year > self.year_to))


class BM25Index:
    """Okapi BM25 over chunk texts (with their title and heading)."""

    def __init__(self, chunks: Sequence[StoredChunk]) -> None:
        from rank_bm25 import BM25Okapi

        self.chunks = list(chunks)
        self.doc_ids = {str(c.metadata.get("doc_id")) for c in self.chunks}
        self.research_publishers = sorted(
            {
                str(c.metadata.get("publisher"))
                for c in self.chunks
                if c.metadata.get("kind") == "research" and c.metadata.get("publisher")
            }
        )
        corpus = [tokens(_indexed_text(c)) for c in self.chunks]
        self._bm25 = BM25Okapi(corpus) if self.chunks else None

    def named_publishers(self, question: str) -> tuple[str, ...]:
        """Research publishers the question names ("according to Pega..."): their own
        documents answer it, not others that retell them."""
        lowered = question.lower()
        named = []
        for publisher in self.research_publishers:
            parts = [publisher, *re.split(r"\s*(?:/|&|\(|\)|\band\b)\s*", publisher)]
            if any(
                len(part) >= 3 and re.search(rf"(?<!\w){re.escape(part.lower())}(?!\w)", lowered)
                for part in parts
            ):
                named.append(publisher)
        return tuple(named)

    def search(
        self, query: str, k: int, keep: Callable[[dict[str, Any]], bool]
    ) -> list[tuple[StoredChunk, float]]:
        terms = tokens(query)
        if self._bm25 is None or not terms:
            return []
        scores = self._bm25.get_scores(terms)
        order = sorted(range(len(self.chunks)), key=lambda i: -scores[i])
        hits = [
            (self.chunks[i], float(scores[i]))
            for i in order
            if scores[i] > 0 and keep(self.chunks[i].metadata)
        ]
        return hits[:k]


def _indexed_text(chunk: StoredChunk) -> str:
    meta = chunk.metadata
    return f"{meta.get('title', '')} {meta.get('section', '')} {chunk.text}"


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the CX store. `passages()` is the typed entry point;
    `invoke()` returns LangChain Documents with the passage fields as metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ChunkStore
    embedder: Embedder
    k: int = 6
    fetch_k: int = 24
    heads: int = 2
    mmr: bool = False
    mmr_lambda: float = 0.7
    balance: bool = True
    filters: Filters = Filters()

    _index: BM25Index | None = PrivateAttr(default=None)
    _index_version: str = PrivateAttr(default="")
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    # -- LangChain ---------------------------------------------------------------------------

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(page_content=p.text, metadata=p.as_metadata())
            for p in self.passages(query, self.k, self.filters)
        ]

    # -- retrieval ---------------------------------------------------------------------------

    def bm25(self) -> BM25Index:
        """The BM25 index for the store as it is now, rebuilt only after a change."""
        version = self.store.version()
        with self._lock:
            if self._index is None or version != self._index_version:
                self._index = BM25Index(list(self.store.iter_chunks()))
                self._index_version = version
            return self._index

    def passages(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        *,
        mmr: bool | None = None,
    ) -> list[Passage]:
        k = k or self.k
        filters = filters or self.filters
        use_mmr = self.mmr if mmr is None else mmr
        query_vector = self.embedder.embed_query(question)
        index = self.bm25()  # once per question: checking the store's version costs a scan
        named = () if filters.publishers else index.named_publishers(question)
        if self.balance and not filters.kinds and about_own_organisation(question):
            sides = [
                filters.with_kind("internal"),
                filters.with_kind("research").with_publishers(named),
            ]
            per_kind = [
                self._search(index, question, query_vector, math.ceil(k / 2), side, use_mmr)
                for side in sides
            ]
            merged = [p for pair in _interleave(*per_kind) for p in pair]
            return merged[:k]
        narrowed = filters.with_publishers(named)
        return self._search(index, question, query_vector, k, narrowed, use_mmr)

    def _search(
        self,
        index: BM25Index,
        question: str,
        query_vector: list[float],
        k: int,
        filters: Filters,
        use_mmr: bool,
    ) -> list[Passage]:
        dense = self.store.query(query_vector, self.fetch_k, filters.where(), index.doc_ids)
        sparse = index.search(question, self.fetch_k, filters.matches)

        fused: dict[str, float] = {}
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        for rank, hit in enumerate(dense):
            fused[hit.chunk_id] = fused.get(hit.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            found[hit.chunk_id] = (hit.text, hit.metadata)
        for rank, (chunk, _score) in enumerate(sparse):
            fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            found[chunk.chunk_id] = (chunk.text, chunk.metadata)
        if not fused:
            return []
        # RRF favours chunks found by both searches; make sure each search's best hits
        # still make the cut, since a fact stated once may be found by only one of them.
        heads = {h.chunk_id for h in dense[: self.heads]} | {
            c.chunk_id for c, _ in sparse[: self.heads]
        }
        ranked = sorted(
            fused, key=lambda cid: (cid not in heads or k < 2 * self.heads, -fused[cid])
        )
        vectors = self.store.embeddings_of(ranked)
        cosine = {cid: dot(query_vector, vectors[cid]) for cid in ranked if cid in vectors}
        if use_mmr:
            ranked = _mmr(ranked, fused, vectors, k, self.mmr_lambda)
        return [
            Passage.from_chunk(
                cid, found[cid][0], found[cid][1], round(cosine.get(cid, 0.0), 4), fused[cid]
            )
            for cid in ranked[:k]
        ]


def _interleave(*lists: list[Passage]) -> list[tuple[Passage, ...]]:
    longest = max((len(items) for items in lists), default=0)
    return [tuple(items[i] for items in lists if i < len(items)) for i in range(longest)]


def _mmr(
    ranked: list[str],
    relevance: dict[str, float],
    vectors: dict[str, list[float]],
    k: int,
    lam: float,
) -> list[str]:
    """Maximal marginal relevance: trade fused relevance against similarity to the picks."""
    top = max(relevance.values()) or 1.0
    chosen: list[str] = []
    pool = [cid for cid in ranked if cid in vectors]
    while pool and len(chosen) < k:

        def gain(cid: str) -> float:
            redundancy = max((dot(vectors[cid], vectors[c]) for c in chosen), default=0.0)
            return lam * relevance[cid] / top - (1 - lam) * redundancy

        best = max(pool, key=gain)
        chosen.append(best)
        pool.remove(best)
    return chosen
