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

from advisor.chunk_rows import ChunkRows
from advisor.filters import Filters
from advisor.lexical import tokens
from advisor.specifics import written_out
from ingest.storage import Store
from ingest.store import StoredChunk


class Vocabulary:
    """Term -> id. It only grows, so the term ids cached for a document stay valid in
    every later index; an index ignores ids added after it was built."""

    def __init__(self, terms: Sequence[str] = ()) -> None:
        """`terms` in id order (as `terms()` lists them)."""
        self._ids: dict[str, int] = dict(zip(terms, range(len(terms))))
        if len(self._ids) != len(terms):
            raise ValueError("a vocabulary lists each term once")

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

    def terms(self) -> list[str]:
        """Every term, in id order."""
        return list(self._ids)

    def kept(self, used: np.ndarray) -> tuple[Vocabulary, np.ndarray]:
        """A new vocabulary of the terms whose ids `used` (a boolean mask) marks, in the
        same order, and the array that maps each old id to its new one."""
        renumber = np.cumsum(used, dtype=np.int64) - 1
        kept = [t for t, u in zip(self._ids, used.tolist()) if u]
        return Vocabulary(kept), renumber


@dataclass(frozen=True)
class Postings:
    """BM25 weights per (term, document) pair grouped by term: the documents holding term
    t are docs[starts[t]:starts[t + 1]], in order, with their weights; `idf` holds each
    term's idf (NaN for a term no document holds)."""

    starts: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    idf: np.ndarray

    def __post_init__(self) -> None:
        if len(self.starts) != len(self.idf) + 1 or len(self.docs) != len(self.weights):
            raise ValueError("postings arrays differ in length")
        if self.starts[0] != 0 or self.starts[-1] != len(self.docs):
            raise ValueError("postings offsets do not span the postings")

    @classmethod
    def empty(cls, terms: int) -> Postings:
        return cls(
            np.zeros(terms + 1, dtype=np.int64),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.float64),
            np.full(terms, np.nan),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {"starts": self.starts, "docs": self.docs, "weights": self.weights, "idf": self.idf}


class OkapiBM25:
    """Okapi BM25 scoring over precomputed postings."""

    def __init__(self, postings: Postings, size: int, vocabulary: Vocabulary) -> None:
        """`size` documents; `vocabulary` holds at least the terms of the postings."""
        if len(vocabulary) < len(postings.idf):
            raise ValueError("the vocabulary is shorter than the postings")
        self.postings = postings
        self.size = size
        self.vocabulary = vocabulary
        self._terms = len(postings.idf)  # ids added to the vocabulary later are ignored

    @classmethod
    def build(
        cls,
        terms: np.ndarray,
        lengths: np.ndarray,
        vocabulary: Vocabulary,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> OkapiBM25:
        """`terms` holds the term ids (from `vocabulary`) of every document, one document
        after another, and `lengths` how many each document has."""
        size, vocab = len(lengths), len(vocabulary)
        if not lengths.sum():
            return cls(Postings.empty(vocab), size, vocabulary)

        # (term, doc) pairs sorted by term then doc, with their counts: the postings.
        doc_of_token = np.repeat(np.arange(size, dtype=np.int64), lengths)
        keys = terms.astype(np.int64) * size + doc_of_token
        pairs, tf = np.unique(keys, return_counts=True)
        held, docs = np.divmod(pairs, size)
        df = np.bincount(held, minlength=vocab)
        present = df > 0  # the vocabulary may hold terms of documents since removed

        idf = np.log(size - df + 0.5) - np.log(df + 0.5)
        idf[present & (idf < 0)] = epsilon * (idf[present].sum() / present.sum())
        avgdl = lengths.sum() / size
        norm = k1 * (1 - b + b * lengths[docs] / avgdl)
        postings = Postings(
            starts=np.searchsorted(held, np.arange(vocab + 1)).astype(np.int64),
            docs=docs.astype(np.int32),
            weights=idf[held] * (tf * (k1 + 1) / (tf + norm)),
            idf=np.where(present, idf, np.nan),
        )
        return cls(postings, size, vocabulary)

    @classmethod
    def of_tokens(cls, corpus: Sequence[Sequence[str]]) -> OkapiBM25:
        vocabulary = Vocabulary()
        ids = [vocabulary.add(doc) for doc in corpus]
        flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        return cls.build(flat, np.array([len(d) for d in ids], dtype=np.int64), vocabulary)

    def idf(self, terms: Sequence[str]) -> dict[str, float]:
        """Each term's inverse document frequency; a term no document holds gets the
        highest weight a held term could have (it is rarer than any of them)."""
        rarest = float(np.log(self.size + 0.5) - np.log(1.5)) if self.size else 1.0
        weights = {}
        for term in terms:
            i = self.vocabulary.id_of(term)
            held = i is not None and i < self._terms and not np.isnan(self.postings.idf[i])
            weights[term] = float(self.postings.idf[i]) if held else rarest
        return weights

    def shares(self, terms: Sequence[str]) -> dict[str, float]:
        """Each term's share of the documents that hold it (0.0 for an unknown term)."""
        out = {}
        for term in terms:
            i = self.vocabulary.id_of(term)
            if i is None or i >= self._terms or not self.size:
                out[term] = 0.0
                continue
            out[term] = int(self.postings.starts[i + 1] - self.postings.starts[i]) / self.size
        return out

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """One score per document; a term repeated in the query counts once per use."""
        picked = [t for t in self.vocabulary.known(query) if t < self._terms]
        if not picked or not self.size:
            return np.zeros(self.size)
        p = self.postings
        spans = [slice(p.starts[t], p.starts[t + 1]) for t in picked]
        docs = np.concatenate([p.docs[s] for s in spans])
        weights = np.concatenate([p.weights[s] for s in spans])
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
# Chunks read for how an acronym the library never uses is written out (about 0.3 s).
WRITTEN_OUT_CHUNKS = 5000

# Words common in organisations' names that do not name one.
_COMMON = frozenset(
    "company group inc ltd llc plc corporation corp partners associates institute "
    "research consulting services solutions global international business review "
    "analytic analytics media news".split()
)


@dataclass(frozen=True)
class DocumentSpan:
    """One indexed document: its stamp when it was read, and the rows start..stop that
    its chunks take in the index."""

    doc_id: str
    stamp: str
    start: int
    stop: int


class BM25Index:
    """Lexical search over the chunks of complete documents (text with title and
    heading), plus the facts about the library that retrieval reads alongside it."""

    def __init__(
        self,
        documents: Sequence[DocumentSpan],
        chunks: ChunkRows,
        vocabulary: Vocabulary,
        okapi: OkapiBM25 | None = None,
    ) -> None:
        """`documents` in doc_id order, their chunks one document after another in
        `chunks`; the scoring is built from the chunks' terms unless given."""
        at = 0
        for span in documents:
            if span.start != at or span.stop < span.start:
                raise ValueError(f"document {span.doc_id} is not where its chunks are")
            at = span.stop
        if at != len(chunks) or [d.doc_id for d in documents] != sorted(
            {d.doc_id for d in documents}
        ):
            raise ValueError("the documents do not list the chunks once each, in order")
        if okapi is not None and okapi.size != len(chunks):
            raise ValueError("the scoring was built for another number of chunks")
        self.documents = tuple(documents)
        self.chunks = chunks
        self.vocabulary = vocabulary
        self.okapi = okapi or OkapiBM25.build(chunks.terms, chunks.term_counts(), vocabulary)
        self.doc_ids = {d.doc_id for d in documents}
        self.columns = chunks.columns
        research = Filters(kinds=("research",)).mask(self.columns)
        self.research_publishers = [p for p in self.columns.present("publisher", research) if p]
        internal = Filters(kinds=("internal",)).mask(self.columns)
        # The organisation's own name, as its documents give their publisher.
        self.own_publishers = tuple(p for p in self.columns.present("publisher", internal) if p)
        self._spans = {d.doc_id: d for d in documents}
        self._starts = np.array([d.start for d in documents], dtype=np.int64)
        self._texts: dict[str, str] = {}  # document_text, joined on first use
        self._credits: dict[str, str] | None = None  # _research_credits, on first use
        self._written: dict[tuple[str, str], str] = {}  # written_out, per acronym asked

    @classmethod
    def of_chunks(cls, chunks: Sequence[StoredChunk]) -> BM25Index:
        return _assembled(None, {}, _by_document(chunks), {})

    @classmethod
    def from_store(cls, store: Store, previous: BM25Index | None = None) -> BM25Index:
        """The index of the store as it is now. Documents unchanged since `previous` are
        reused, so after adding one file only that file is read and tokenised; an edited
        document (new title, publisher, kind...) is read again."""
        stamps = {r.doc_id: r.stamp for r in store.documents()}
        kept = {
            span.doc_id: span
            for span in (previous.documents if previous else ())
            if stamps.get(span.doc_id) == span.stamp
        }
        missing = [doc_id for doc_id in stamps if doc_id not in kept]
        if len(missing) > max(8, len(stamps) // 4):  # one paged scan beats many lookups
            wanted = set(missing)
            read = _by_document(c for c in store.iter_chunks() if c.metadata["doc_id"] in wanted)
        else:
            read = {doc_id: store.chunks_of(doc_id) for doc_id in missing}
        return _assembled(previous, kept, read, stamps)

    def scope(self, filters: Filters) -> tuple[set[str], float]:
        """The documents with chunks that pass `filters` (all of them when none), and the
        share of the indexed chunks that pass."""
        if filters == Filters() or not len(self.chunks):
            return self.doc_ids, 1.0
        mask = filters.mask(self.columns)
        owners = self._owners(np.flatnonzero(mask))
        return {self.documents[i].doc_id for i in owners}, float(mask.mean())

    def _owners(self, rows: np.ndarray) -> np.ndarray:
        """The documents (their indexes in `documents`) that hold these chunk rows."""
        return np.unique(np.searchsorted(self._starts, rows, side="right") - 1)

    def named_publishers(self, question: str) -> tuple[str, ...]:
        """Research publishers the question names ("according to Pega..."): their own
        documents answer it, not others that retell them (but for reports by their
        people that another publishes). A publisher is named by its
        whole name, or by a part of it written as a name in the question (capitalised,
        "Bain" for "Bain & Company") that is not a common word ("company", "what")."""
        named = []
        for publisher in self.research_publishers:
            parts = [p for p in re.split(r"\s*(?:/|&|\(|\)|\band\b)\s*", publisher) if p]
            # and the first word of a longer name ("Brightwater" for "Brightwater
            # Institute for Customer Strategy"), the one a reader shortens it to, where
            # no other publisher's text uses it ("Service" of "Service Desk Weekly" is
            # a word everyone writes)
            parts = [q for p in parts for q in re.split(r"\s*,\s*", p) if q]
            parts += [
                p.split()[0]
                for p in parts
                if len(p.split()) > 1 and self._only_of(p.split()[0], publisher)
            ]
            # and a place or family name inside it that only its documents use
            # ("Carnmouth" of "University of Carnmouth, Centre for Service Research")
            parts += [
                w
                for p in parts
                for w in p.split()[1:]
                if len(w) > 3 and w[0].isupper() and self._only_of(w, publisher)
            ]
            whole = not _common(publisher) and re.search(
                rf"(?<!\w){re.escape(publisher)}(?!\w)", question, re.IGNORECASE
            )
            if whole or any(_names_part(part, question) for part in parts):
                named.append(publisher)
        # A research author named by surname or in full ("According to Thornquist, ...")
        # names the publisher of their work.
        for publisher, credits in self._research_credits().items():
            people = [p for p in re.split(r"\s*(?:\||,|\band\b)\s*", credits) if p]
            if publisher not in named and any(_names_person(p, question) for p in people):
                named.append(publisher)
        # A report whose author is of a named publisher is that publisher's work, even
        # when another publishes it ("Ed Thompson (Gartner)" in IT World Canada); a
        # recap that only names it in its title is a retelling.
        credited = [
            other
            for other, credits in self._research_credits().items()
            if other not in named
            and any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", credits) for p in named)
        ]
        return tuple(named + credited)

    def _research_credits(self) -> dict[str, str]:
        """Each research publisher's document authors, read once per index."""
        if self._credits is None:
            credits: dict[str, list[str]] = {}
            research = Filters(kinds=("research",)).mask(self.columns)
            for span in self.documents:
                if span.stop > span.start and research[span.start]:
                    meta = self.chunks[span.start].metadata
                    publisher = str(meta.get("publisher") or "")
                    if publisher:
                        credits.setdefault(publisher, []).append(str(meta.get("author") or ""))
            self._credits = {p: " | ".join(texts) for p, texts in credits.items()}
        return self._credits

    def _only_of(self, word: str, publisher: str) -> bool:
        """No chunk but those of this publisher's documents holds the word."""
        ids = self.vocabulary.known(tokens(word))
        if not ids:
            return True
        postings = self.okapi.postings
        term = ids[0]
        if term >= len(postings.idf):
            return True
        rows = postings.docs[postings.starts[term] : postings.starts[term + 1]]
        own = Filters(publishers=(publisher,)).mask(self.columns)
        return bool(own[rows].all())

    def document_text(self, doc_id: str) -> str:
        """A document's indexed text (title, headings and chunks), '' if not indexed;
        joined once per index (the index is rebuilt when the store changes)."""
        if doc_id not in self._texts:
            if len(self._texts) >= _TEXTS_KEPT:  # recent questions' documents, not all
                self._texts.clear()
            span = self._spans.get(doc_id)
            chunks = self.chunks[span.start : span.stop] if span else []
            self._texts[doc_id] = " ".join(_searchable_text(c) for c in chunks)
        return self._texts[doc_id]

    def chunks_of(self, doc_id: str, most: int) -> list[StoredChunk]:
        """A document's chunks in order; none when it has more than `most` (or is not
        indexed)."""
        span = self._spans.get(doc_id)
        if span is None or span.stop - span.start > most:
            return []
        return list(self.chunks[span.start : span.stop])

    def next_chunk(self, doc_id: str, chunk_id: str) -> StoredChunk | None:
        """The chunk after `chunk_id` in its document (chunks are kept in document
        order), None at its end or when the chunk is not indexed."""
        span = self._spans.get(doc_id)
        row = self._row(chunk_id)
        if span is None or row is None or row + 1 >= span.stop:
            return None
        return self.chunks[row + 1]  # only the chunk returned is built, not the document's

    def chunk(self, chunk_id: str) -> StoredChunk | None:
        """The indexed chunk of this id, None when its document is not indexed."""
        row = self._row(chunk_id)
        return None if row is None else self.chunks[row]

    def _row(self, chunk_id: str) -> int | None:
        """Where a chunk sits in the index, None when it is not indexed. Chunk ids are
        '<doc_id>:<n>' with n its place in the document, looked at first."""
        doc_id, _, n = chunk_id.rpartition(":")
        span = self._spans.get(doc_id)
        if span is None:
            return None
        ids = self.chunks.ids
        guess = span.start + int(n) if n.isdigit() else -1
        if span.start <= guess < span.stop and ids[guess] == chunk_id:
            return guess
        return next((r for r in range(span.start, span.stop) if ids[r] == chunk_id), None)

    def written_out(self, acronym: str, context: str) -> str:
        """How the library writes out an acronym that it uses less often than those words
        ("first-contact resolution" for a question's FCR; "customer data platform" for a
        CDP that one action list abbreviates), '' when it uses the acronym as often or
        never writes it out. A library of up to WRITTEN_OUT_CHUNKS chunks is read whole
        (once per index and acronym); in a larger one, only an acronym it never uses is
        looked for, in the WRITTEN_OUT_CHUNKS chunks that best match `context` (the rest
        of the question), so that the cost does not grow with the library."""
        used = self.vocabulary.id_of(acronym.lower()) is not None
        large = len(self.chunks) > WRITTEN_OUT_CHUNKS
        if used and large:
            return ""
        # A question is searched several times (its passages, its research, its own
        # documents): the answer is kept per acronym, and per context in a large library.
        key = (acronym, " ".join(tokens(context)) if large else "")
        if key not in self._written:
            if len(self._written) >= _TEXTS_KEPT:
                self._written.clear()
            if large:
                rows, _ = self.okapi.top(tokens(context), WRITTEN_OUT_CHUNKS)
                texts = "\n".join(self.chunks.texts[int(r)] for r in rows)
            else:
                texts = "\n".join(self.chunks.texts)
            words = written_out(acronym, texts)
            if words and used:
                words = words if _said(words, texts) > _said(acronym, texts) else ""
            self._written[key] = words
        return self._written[key]

    def term_weights(self, text: str) -> dict[str, float]:
        """The text's content words weighted by how rare they are among the chunks."""
        return self.okapi.idf(list(dict.fromkeys(tokens(text))))

    def term_shares(self, text: str) -> dict[str, float]:
        """The text's content words, each with the share of documents that hold it (a
        document's length does not count: "CX" stands in most documents of a CX library
        however few of a long report's chunks say it)."""
        postings = self.okapi.postings
        out = {}
        for term in dict.fromkeys(tokens(text)):
            i = self.vocabulary.id_of(term)
            if i is None or i >= len(postings.idf) or not self.documents:
                out[term] = 0.0
                continue
            rows = postings.docs[postings.starts[i] : postings.starts[i + 1]]
            out[term] = len(self._owners(rows)) / len(self.documents)
        return out

    def search(self, query: str, k: int, filters: Filters) -> list[tuple[StoredChunk, float]]:
        """The k best chunks that pass `filters`, with their BM25 scores."""
        best, scores = self.okapi.top(tokens(query), k, filters.mask(self.columns))
        return [(self.chunks[i], s) for i, s in zip(best.tolist(), scores.tolist())]


def _said(term: str, text: str) -> int:
    """How often the text says the term: an acronym as written (a plural too), words in
    any case, hyphenated or not."""
    if term.isupper():
        return len(re.findall(rf"(?<!\w){re.escape(term)}s?(?!\w)", text))
    words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", term))
    return len(re.findall(rf"(?<!\w){words}(?!\w)", text, re.IGNORECASE))


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


def _names_person(person: str, question: str) -> bool:
    """The question names this person: in full, or by surname alone (not after another
    first name: "Marcus Lindqvist" is not "Ruth Lindqvist")."""
    words = person.split()
    if len(words) < 2:
        return False
    if re.search(rf"(?<!\w){re.escape(person)}(?!\w)", question):
        return True
    surname = words[-1]
    if not _names_part(surname, question):
        return False
    return not re.search(rf"\b[A-Z][\w'’-]+\s+{re.escape(surname)}(?!\w)", question)


def _searchable_text(chunk: StoredChunk) -> str:
    meta = chunk.metadata
    return f"{meta.get('title', '')} {meta.get('section', '')} {chunk.text}"


def _by_document(chunks: Iterable[StoredChunk]) -> dict[str, list[StoredChunk]]:
    grouped: dict[str, list[StoredChunk]] = {}
    for chunk in chunks:
        grouped.setdefault(str(chunk.metadata.get("doc_id")), []).append(chunk)
    for group in grouped.values():
        group.sort(key=lambda c: int(c.metadata.get("chunk_index", 0)))
    return grouped


def _assembled(
    previous: BM25Index | None,
    kept: dict[str, DocumentSpan],
    read: dict[str, list[StoredChunk]],
    stamps: dict[str, str],
) -> BM25Index:
    """The index of the documents `kept` from `previous` and those just `read`: only
    the read ones are tokenised; the kept ones' rows are copied over as they are."""
    vocabulary = previous.vocabulary if previous else Vocabulary()
    order = sorted(kept.keys() | read.keys())
    fresh_chunks = [c for doc_id in order if doc_id in read for c in read[doc_id]]
    fresh = ChunkRows.of_chunks(
        fresh_chunks, [vocabulary.add(tokens(_searchable_text(c))) for c in fresh_chunks]
    )
    # Runs of rows to copy, (from previous, start, stop), adjacent ones merged.
    runs: list[tuple[bool, int, int]] = []
    spans: list[DocumentSpan] = []
    fresh_at = 0
    for doc_id in order:
        if doc_id in read:
            old, start, stamp = False, fresh_at, stamps.get(doc_id, "")
            fresh_at += len(read[doc_id])
            stop = fresh_at
        else:
            old, start, stop, stamp = (
                True,
                kept[doc_id].start,
                kept[doc_id].stop,
                kept[doc_id].stamp,
            )
        at = spans[-1].stop if spans else 0
        spans.append(DocumentSpan(doc_id, stamp, at, at + stop - start))
        if runs and runs[-1][0] == old and runs[-1][2] == start:
            runs[-1] = (old, runs[-1][1], stop)
        else:
            runs.append((old, start, stop))
    if previous is None or not kept:
        rows = fresh
    else:
        rows = ChunkRows.concat(
            [(previous.chunks if old else fresh).rows(lo, hi) for old, lo, hi in runs]
        )
    counts = np.bincount(rows.terms, minlength=len(vocabulary))
    if np.count_nonzero(counts) * 2 < len(vocabulary):  # mostly terms of removed documents
        vocabulary, renumber = vocabulary.kept(counts > 0)
        rows = rows.with_terms(renumber[rows.terms].astype(rows.terms.dtype))
    return BM25Index(spans, rows, vocabulary)
