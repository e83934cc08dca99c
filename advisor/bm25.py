"""Okapi BM25 as an inverted index in numpy arrays.

Scores equal rank_bm25's BM25Okapi (same k1, b, epsilon floor for negative idf), but a
query only touches the postings of its own terms instead of every chunk, which keeps
lexical search at a few milliseconds at 100k chunks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from advisor.filters import Columns, Filters
from advisor.lexical import tokens
from ingest.store import ChunkStore, StoredChunk


class Vocabulary:
    """Term -> id. It only grows, so the term ids cached for a document stay valid in
    every later index; an index ignores ids added after it was built."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, terms: Sequence[str]) -> np.ndarray:
        ids = self._ids
        return np.fromiter(
            (ids.setdefault(t, len(ids)) for t in terms), dtype=np.int64, count=len(terms)
        )

    def id_of(self, term: str) -> int | None:
        return self._ids.get(term)

    def known(self, terms: Sequence[str]) -> list[int]:
        return [self._ids[t] for t in terms if t in self._ids]


class OkapiBM25:
    """BM25 weights per (term, document) pair, precomputed at build time."""

    def __init__(
        self,
        documents: Sequence[np.ndarray],
        vocabulary: Vocabulary,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> None:
        """`documents` holds each document's term ids from `vocabulary`, in order."""
        self.size = len(documents)
        self.vocabulary = vocabulary
        self._terms = vocab = len(vocabulary)
        self._starts = np.zeros(vocab + 1, dtype=np.int64)
        self._docs = np.zeros(0, dtype=np.int64)
        self._weights = np.zeros(0, dtype=np.float64)
        self._idf = np.full(vocab, np.nan)
        lengths = np.fromiter((len(d) for d in documents), dtype=np.int64, count=self.size)
        if not lengths.sum():
            return

        # (term, doc) pairs sorted by term then doc, with their counts: the postings.
        doc_of_token = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        keys = np.concatenate(documents) * self.size + doc_of_token
        pairs, tf = np.unique(keys, return_counts=True)
        terms, docs = np.divmod(pairs, self.size)
        df = np.bincount(terms, minlength=vocab)
        present = df > 0  # the vocabulary may hold terms of documents since removed

        idf = np.log(self.size - df + 0.5) - np.log(df + 0.5)
        idf[present & (idf < 0)] = epsilon * (idf[present].sum() / present.sum())
        self._idf = np.where(present, idf, np.nan)
        avgdl = lengths.sum() / self.size
        norm = k1 * (1 - b + b * lengths[docs] / avgdl)
        self._weights = idf[terms] * (tf * (k1 + 1) / (tf + norm))
        self._docs = docs
        self._starts = np.searchsorted(terms, np.arange(vocab + 1))

    @classmethod
    def of_tokens(cls, corpus: Sequence[Sequence[str]]) -> OkapiBM25:
        vocabulary = Vocabulary()
        return cls([vocabulary.add(doc) for doc in corpus], vocabulary)

    def idf(self, terms: Sequence[str]) -> dict[str, float]:
        """Each term's inverse document frequency; a term no document holds gets the
        highest weight a held term could have (it is rarer than any of them)."""
        rarest = float(np.log(self.size + 0.5) - np.log(1.5)) if self.size else 1.0
        weights = {}
        for term in terms:
            i = self.vocabulary.id_of(term)
            held = i is not None and i < self._terms and not np.isnan(self._idf[i])
            weights[term] = float(self._idf[i]) if held else rarest
        return weights

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """One score per document; a term repeated in the query counts once per use."""
        picked = [t for t in self.vocabulary.known(query) if t < self._terms]
        if not picked or not self.size:
            return np.zeros(self.size)
        spans = [slice(self._starts[t], self._starts[t + 1]) for t in picked]
        docs = np.concatenate([self._docs[s] for s in spans])
        weights = np.concatenate([self._weights[s] for s in spans])
        return np.bincount(docs, weights=weights, minlength=self.size)

    def top(
        self, query: Sequence[str], k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents with a positive score among `allowed` (a boolean mask),
        best first, ties in corpus order; linear in the corpus, no full sort."""
        scores = self.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        hits = np.flatnonzero(scores > 0)
        if hits.size > k > 0:
            kth = np.partition(scores[hits], hits.size - k)[hits.size - k]
            above, tied = hits[scores[hits] > kth], hits[scores[hits] == kth]
            hits = np.concatenate([above, tied[: k - above.size]])
        elif k <= 0:
            hits = hits[:0]
        best = hits[np.lexsort((hits, -scores[hits]))]
        return best, scores[best]


_TEXTS_KEPT = 256  # joined document texts kept for the questions that need them

# Words common in organisations' names that do not name one.
_COMMON = frozenset(
    "company group inc ltd llc plc corporation corp partners associates institute "
    "research consulting services solutions global international business review "
    "analytic analytics media news".split()
)


@dataclass(frozen=True)
class _Indexed:
    """One document's chunks and their term ids, kept until the document changes."""

    stamp: str
    chunks: tuple[StoredChunk, ...]
    terms: tuple[np.ndarray, ...]


class BM25Index:
    """Lexical search over the chunks of complete documents (text with title and
    heading), plus the facts about the library that retrieval reads alongside it."""

    def __init__(self, documents: dict[str, _Indexed], vocabulary: Vocabulary) -> None:
        self._documents = documents
        self._texts: dict[str, str] = {}  # document_text, joined on first use
        self.vocabulary = vocabulary
        order = sorted(documents)
        self.chunks = [c for d in order for c in documents[d].chunks]
        self.doc_ids = set(documents)
        self.research_publishers = sorted(
            {
                str(c.metadata.get("publisher"))
                for c in self.chunks
                if c.metadata.get("kind") == "research" and c.metadata.get("publisher")
            }
        )
        self.columns = Columns([c.metadata for c in self.chunks])
        self._bm25 = OkapiBM25([t for d in order for t in documents[d].terms], vocabulary)

    @classmethod
    def of_chunks(cls, chunks: Sequence[StoredChunk]) -> BM25Index:
        vocabulary = Vocabulary()
        return cls(_indexed(_by_document(chunks), {}, vocabulary), vocabulary)

    @classmethod
    def from_store(cls, store: ChunkStore, previous: BM25Index | None = None) -> BM25Index:
        """The index of the store as it is now. Documents unchanged since `previous` are
        reused, so after adding one file only that file is read and tokenised; an edited
        document (new title, publisher, kind...) is read again."""
        stamps = {r.doc_id: r.stamp for r in store.documents()}
        vocabulary = previous.vocabulary if previous else Vocabulary()
        kept = {
            doc_id: entry
            for doc_id, entry in (previous._documents.items() if previous else ())
            if stamps.get(doc_id) == entry.stamp
        }
        missing = [doc_id for doc_id in stamps if doc_id not in kept]
        if len(missing) > max(8, len(stamps) // 4):  # one paged scan beats many lookups
            wanted = set(missing)
            read = _by_document(c for c in store.iter_chunks() if c.metadata["doc_id"] in wanted)
        else:
            read = {doc_id: store.chunks_of(doc_id) for doc_id in missing}
        return cls(kept | _indexed(read, stamps, vocabulary), vocabulary)

    def named_publishers(self, question: str) -> tuple[str, ...]:
        """Research publishers the question names ("according to Pega..."): their own
        documents answer it, not others that retell them. A publisher is named by its
        whole name, or by a part of it written as a name in the question (capitalised,
        "Bain" for "Bain & Company") that is not a common word ("company", "what")."""
        named = []
        for publisher in self.research_publishers:
            parts = [p for p in re.split(r"\s*(?:/|&|\(|\)|\band\b)\s*", publisher) if p]
            whole = not _common(publisher) and re.search(
                rf"(?<!\w){re.escape(publisher)}(?!\w)", question, re.IGNORECASE
            )
            if whole or any(_names_part(part, question) for part in parts):
                named.append(publisher)
        return tuple(named)

    def document_text(self, doc_id: str) -> str:
        """A document's indexed text (title, headings and chunks), '' if not indexed;
        joined once per index (the index is rebuilt when the store changes)."""
        if doc_id not in self._texts:
            if len(self._texts) >= _TEXTS_KEPT:  # recent questions' documents, not all
                self._texts.clear()
            entry = self._documents.get(doc_id)
            self._texts[doc_id] = " ".join(_indexed_text(c) for c in entry.chunks) if entry else ""
        return self._texts[doc_id]

    def term_weights(self, text: str) -> dict[str, float]:
        """The text's content words weighted by how rare they are among the chunks."""
        return self._bm25.idf(list(dict.fromkeys(tokens(text))))

    def search(self, query: str, k: int, filters: Filters) -> list[tuple[StoredChunk, float]]:
        """The k best chunks that pass `filters`, with their BM25 scores."""
        best, scores = self._bm25.top(tokens(query), k, filters.mask(self.columns))
        return [(self.chunks[i], s) for i, s in zip(best.tolist(), scores.tolist())]


def _common(name: str) -> bool:
    """Every word of the name is a common word: it names nothing in particular."""
    return all(w.lower() in ENGLISH_STOP_WORDS or w.lower() in _COMMON for w in name.split())


def _names_part(part: str, question: str) -> bool:
    """The question writes this part of a publisher's name as a name: with its capitals,
    and the part is not a common word."""
    if len(part) < 3 or _common(part):
        return False
    if not part[0].isupper():
        return False
    return bool(re.search(rf"(?<!\w){re.escape(part)}(?!\w)", question))


def _indexed_text(chunk: StoredChunk) -> str:
    meta = chunk.metadata
    return f"{meta.get('title', '')} {meta.get('section', '')} {chunk.text}"


def _by_document(chunks: Iterable[StoredChunk]) -> dict[str, list[StoredChunk]]:
    grouped: dict[str, list[StoredChunk]] = {}
    for chunk in chunks:
        grouped.setdefault(str(chunk.metadata.get("doc_id")), []).append(chunk)
    for group in grouped.values():
        group.sort(key=lambda c: int(c.metadata.get("chunk_index", 0)))
    return grouped


def _indexed(
    read: dict[str, list[StoredChunk]], stamps: dict[str, str], vocabulary: Vocabulary
) -> dict[str, _Indexed]:
    return {
        doc_id: _Indexed(
            stamps.get(doc_id, ""),
            tuple(chunks),
            tuple(vocabulary.add(tokens(_indexed_text(c))) for c in chunks),
        )
        for doc_id, chunks in read.items()
    }
