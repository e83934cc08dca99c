"""Hybrid retrieval: Chroma dense search plus BM25 over the same chunks, fused with
reciprocal rank fusion (each search's top hits always kept), with optional MMR, metadata
filters and a research/internal balance for questions about the user's own organisation.

The BM25 index (advisor.bm25) is built from the store and cached until the store's version
changes (a document committed, replaced, removed or edited); with `index_files` it is also
saved beside the store (advisor.bm25_files), so that a restart loads it instead.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableConfig
from pydantic import ConfigDict, PrivateAttr

from advisor.bm25 import BM25Index
from advisor.bm25_files import BM25Files
from advisor.filters import Filters
from advisor.passages import Passage
from advisor.specifics import specifics, spellable
from advisor.vectors import dot
from ingest.embedder import Embedder
from ingest.storage import Store

RRF_K = 60
_OWN_ORG = re.compile(
    r"\b(here|our|ours|we|us|my (company|organi[sz]ation|business|team|firm)|"
    r"this (company|organi[sz]ation|business|firm)|internal(ly)?)\b",
    re.IGNORECASE,
)


# A clause that supposes a case ("If we ring a detractor back inside two days, ...", "When
# we phone a detractor back, ..."), up to its comma or the question's end: a "we" in it
# puts a case to the research, not a question about the company's own records. A leading
# "when" clause supposes only where a comma closes it ("When did we ...?" asks a date).
_SUPPOSE = r"(?:if|suppose|supposing|assuming)\b"
_SUPPOSING = re.compile(
    rf"\b{_SUPPOSE}[^,?]*|^\s*(?:when|whenever|once)\b[^,?]*(?=,)"
    # "How much could we cut churn by ...?": what a change would do, not what is so
    r"|\b(?:could|would|might)\s+(?:we|us)\b[^?]*",
    re.I,
)


# A question that opens on a supposed case and asks what will come of it ("If we let
# agents ..., how much will our goodwill spend go up?") puts the whole case to the research.
_CONSEQUENCE = re.compile(
    rf"^\s*{_SUPPOSE}[^,?]*,[^?]*\b(?:will|would|could|might|should|won['’]t)\b",
    re.I,
)
# A company likened to the asker's ("a firm our size", "companies like ours") is one of
# those the research counts, not the asker's own.
_LIKE_OURS = re.compile(r"\b(?:of\s+)?our\s+size\b|\blike\s+ours\b", re.I)
# What the asker says of the company before asking a question that likens it to others
# ("We have 2,000 employees. What do firms our size ...?"): a premise, not the question.
_PREMISE = re.compile(r"^[^?]*?[.!]\s+(?=[A-Z])")


def about_own_organisation(question: str) -> bool:
    """True for questions about the asker's own company ('here', 'our', 'we', ...),
    outside a clause that only supposes a case or a question about what would come of
    one."""
    asked = question
    if _LIKE_OURS.search(question):  # what the asker says of the company only likens it
        asked = _LIKE_OURS.sub(" ", _PREMISE.sub("", question))
    if _CONSEQUENCE.match(asked):
        return False
    return bool(_OWN_ORG.search(_SUPPOSING.sub(" ", asked)))


# The question names research as what it asks ("What does the research say about ...?",
# "according to the studies", "Do the surveys agree?"): the library's research answers it.
_RESEARCH_ASKED = re.compile(
    r"\b(?:what|how|where|do|does|did)\b[^?]*\bthe\s+(?:research|studies|surveys)\b"
    r"|\baccording\s+to\s+(?:the\s+)?(?:research|studies|surveys)\b",
    re.IGNORECASE,
)


def asks_the_research(question: str) -> bool:
    """True for a question that asks what the research says: its own documents do not
    answer it, however well their words match ("What does the research say about a Chief
    Customer Officer?" is not answered by the org chart's officers)."""
    return bool(_RESEARCH_ASKED.search(question))


# Seconds a reader may go on with the store version it last read: a write by another
# process is seen within this (this process's own writes at once). Reading the version
# scans the registry, which cost 12 ms a question at 100,000 chunks.
VERSION_MAX_AGE = 1.0
PASSAGE_KEY = "passage"  # the typed Passage in a retrieved Document's metadata


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the CX store. `passages()` is the typed entry point;
    `invoke()` returns LangChain Documents with the passage fields as metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    embedder: Embedder
    k: int = 6
    fetch_k: int = 24
    kept_best_per_search: int = 2  # each search's best hits always make the cut
    mmr: bool = False
    mmr_lambda: float = 0.7
    balance: bool = True
    filters: Filters = Filters()
    index_files: BM25Files | None = None  # where the BM25 index is saved; None: memory only

    _index: BM25Index | None = PrivateAttr(default=None)
    _index_version: str = PrivateAttr(default="")
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    # -- LangChain ---------------------------------------------------------------------------

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> list[Document]:
        """`invoke(query, config, k=..., filters=...)`: Documents with the passage fields
        as metadata, and the typed Passage itself under PASSAGE_KEY."""
        return [
            Document(page_content=p.text, metadata={**p.as_metadata(), PASSAGE_KEY: p})
            for p in self.passages(query, k or self.k, filters or self.filters)
        ]

    def search(
        self,
        question: str,
        k: int,
        filters: Filters,
        config: RunnableConfig | None = None,
    ) -> list[Passage]:
        """`passages()` as a LangChain retriever run: through `invoke`, so the callbacks
        and tracing of the chain that calls it (`config`) see the search."""
        documents = self.invoke(question, config, k=k, filters=filters)
        return [d.metadata[PASSAGE_KEY] for d in documents]

    # -- retrieval ---------------------------------------------------------------------------

    def bm25(self) -> BM25Index:
        """The BM25 index for the store as it is now, rebuilt only after a change."""
        version = self.store.version(max_age=VERSION_MAX_AGE)
        self.store.catch_up(version)  # what other processes wrote reaches vector search too
        with self._lock:
            if self._index is None or version != self._index_version:
                if self.index_files is None:
                    self._index = BM25Index.from_store(self.store, self._index)
                else:
                    self._index = self.index_files.current(self.store, version, self._index)
                self._index_version = version
            return self._index

    def following(self, passages: Sequence[Passage], count: int) -> list[Passage]:
        """The chunk that follows each of the first `count` passages in its document, when
        retrieval left it out: a finding often comes a section after the passage that
        matches the question's words ("189 managers ranked ..." / "... comes first")."""
        index = self.bm25()
        have = {p.chunk_id for p in passages}
        found: list[Passage] = []
        for passage in passages[:count]:
            nxt = index.next_chunk(passage.doc_id, passage.chunk_id)
            if nxt is not None and nxt.chunk_id not in have:
                have.add(nxt.chunk_id)
                found.append(Passage.from_chunk(nxt.chunk_id, nxt.text, nxt.metadata, 0.0))
        return found

    def rest_of_document(self, passages: Sequence[Passage], most: int) -> list[Passage]:
        """The other chunks of the document that most of `passages` come from, when it
        has at most `most` chunks: a question every best passage answers from one
        document is about that document, and its answer may be in a part whose words
        differ from the question's (a table row, a ranked list)."""
        docs = [p.doc_id for p in passages]
        if not docs:
            return []
        doc = max(set(docs), key=docs.count)
        if 2 * docs.count(doc) <= len(docs):
            return []
        have = {p.chunk_id for p in passages}
        return [p for p in self.document_passages(doc, most) if p.chunk_id not in have]

    def document_passages(self, doc_id: str, most: int) -> list[Passage]:
        """A document's chunks in order, as passages; none when it has more than `most`."""
        return [
            Passage.from_chunk(c.chunk_id, c.text, c.metadata, 0.0)
            for c in self.bm25().chunks_of(doc_id, most)
        ]

    def document_text(self, doc_id: str) -> str:
        """The whole text of a stored document, as the lexical index holds it."""
        return self.bm25().document_text(doc_id)

    def named_publishers(self, question: str) -> tuple[str, ...]:
        """The research publishers the question names, as they are stored."""
        return self.bm25().named_publishers(question)

    def own_names(self) -> tuple[str, ...]:
        """The names the organisation's own documents give as their publisher."""
        return self.bm25().own_publishers

    def term_weights(self, text: str) -> dict[str, float]:
        """The text's content words, each weighted by its rarity in the library (IDF)."""
        return self.bm25().term_weights(text)

    def term_shares(self, text: str) -> dict[str, float]:
        """The text's content words, each with the share of documents that hold it."""
        return self.bm25().term_shares(text)

    def passages(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        *,
        mmr: bool | None = None,
        narrow: bool = True,
    ) -> list[Passage]:
        """The k best passages. A question that names research publishers reads only
        their documents, unless `narrow` is False."""
        k = k or self.k
        filters = filters or self.filters
        use_mmr = self.mmr if mmr is None else mmr
        index = self.bm25()  # once per question: checking the store's version costs a scan
        question = _spelled_out(question, index)
        query_vector = self.embedder.embed_query(question)
        named = () if filters.publishers or not narrow else index.named_publishers(question)
        if self.balance and not filters.kinds and about_own_organisation(question):
            sides = [
                filters.with_kind("internal"),
                filters.with_kind("research").with_publishers(named),
            ]
            each = self._dense(index, query_vector, sides)  # one search serves both sides
            per_kind = [
                self._search(index, question, query_vector, near, math.ceil(k / 2), side, use_mmr)
                for side, near in zip(sides, each)
            ]
            merged = [p for pair in _interleave(*per_kind) for p in pair]
            return merged[:k]
        narrowed = filters.with_publishers(named)
        (nearest,) = self._dense(index, query_vector, [narrowed])
        return self._search(index, question, query_vector, nearest, k, narrowed, use_mmr)

    def _dense(
        self, index: BM25Index, query_vector: list[float], sides: Sequence[Filters]
    ) -> list[list[tuple[str, float]]]:
        """The dense search's hits for each of `sides`, from one search of the store,
        told which documents each side admits and the least share of chunks one does."""
        scopes = [index.scope(f) for f in sides]
        return self.store.nearest_each(
            query_vector,
            self.fetch_k,
            [(f.where(), docs) for f, (docs, _share) in zip(sides, scopes)],
            min(share for _docs, share in scopes),
        )

    def _search(
        self,
        index: BM25Index,
        question: str,
        query_vector: list[float],
        nearest: list[tuple[str, float]],
        k: int,
        filters: Filters,
        use_mmr: bool,
    ) -> list[Passage]:
        """Fuse the dense search's hits (`nearest`: chunk ids and cosine distances from
        the store) with BM25's. Their text and metadata come from the lexical index,
        which holds every chunk of the documents it admits (no store read for them)."""
        dense = [(c, d, chunk) for c, d in nearest if (chunk := index.chunk(c)) is not None]
        sparse = index.search(question, self.fetch_k, filters)

        fused: dict[str, float] = {}
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        for rank, (cid, _distance, chunk) in enumerate(dense):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
            found[cid] = (chunk.text, chunk.metadata)
        for rank, (chunk, _score) in enumerate(sparse):
            fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            found[chunk.chunk_id] = (chunk.text, chunk.metadata)
        if not fused:
            return []
        # RRF favours chunks found by both searches; make sure each search's best hits
        # still make the cut, since a fact stated once may be found by only one of them.
        best = self.kept_best_per_search
        best_of_each = {c for c, _, _ in dense[:best]} | {c.chunk_id for c, _ in sparse[:best]}
        ranked = sorted(
            fused, key=lambda cid: (cid not in best_of_each or k < 2 * best, -fused[cid])
        )
        # Cosine similarity: the dense search's own distance where it found the chunk;
        # the stored vector only for what BM25 alone found (all of them for MMR).
        cosine = {cid: 1.0 - distance for cid, distance, _ in dense}
        wanted = ranked if use_mmr else [cid for cid in ranked[:k] if cid not in cosine]
        vectors = self.store.embeddings_of(wanted) if wanted else {}
        cosine.update({cid: dot(query_vector, vec) for cid, vec in vectors.items()})
        if use_mmr:
            ranked = _mmr(ranked, fused, vectors, k, self.mmr_lambda)
        return [
            Passage.from_chunk(
                cid, found[cid][0], found[cid][1], round(cosine.get(cid, 0.0), 4), fused[cid]
            )
            for cid in ranked[:k]
        ]


def _spelled_out(question: str, index: BM25Index) -> str:
    """The question with each acronym the library never uses followed by the words the
    library writes instead ("our FCR (first-contact resolution) across all channels"):
    neither search would find them from the letters."""
    for term in filter(spellable, specifics(question)):
        written = re.compile(rf"(?<!\w){re.escape(term)}(?:s|['’]s)?(?!\w)")
        words = index.written_out(term, written.sub(" ", question))
        if words:
            question = written.sub(rf"\g<0> ({words})", question, count=1)
    return question


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
