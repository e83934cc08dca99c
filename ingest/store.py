"""The Chroma store: a chunk collection plus a small document registry.

Chroma has no transactions, so the registry is the commit log. A document is first
registered as `pending`, then its chunks are written in batches, then it is flipped to
`complete` in one single-record update. Readers only trust complete documents, and
`recover()` deletes whatever a crash left pending. The chunk collection records the
embedding model and dimension and refuses to be used with another.

An analyst's edit of a document's details (title, publisher, author, date, kind) goes to
the registry first, which bumps the record's `revision`; the copies in every chunk's
metadata are then rewritten and the record's `chunks_revision` set to match. A record
whose two revisions differ has chunks still to be rewritten, which `sync_edits()` (called
by `recover()`) does from the registry, so a crash in between never loses an edit.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, replace
from datetime import date as _date
from typing import Any

from core.settings import DOC_KINDS
from ingest.errors import StoreMismatchError

PENDING = "pending"
COMPLETE = "complete"
_SCHEMA = 1
_PAGE = 5000  # rows per Chroma get when scanning: fewer round trips, 7 MB a page

# The details an analyst may edit, and the copies of them each chunk's metadata carries
# ("year" is the year of "date", for range filters).
EDITABLE_FIELDS: tuple[str, ...] = ("title", "publisher", "author", "date", "kind")
CHUNK_COPIES: tuple[str, ...] = ("title", "publisher", "author", "date", "year", "kind")
EDITED = "edited"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MAX_FIELD = 300
MAX_PROBE = 1000  # the widest unfiltered search for ids before Chroma's filtered one
# Chroma's HNSW search explores max(ef_search, n) candidates (ef_search is 100 unless set).
# Asked for about 100, it missed one of the exact 24 nearest chunks for 6 to 9 of the 334
# dev questions on the 417-chunk eval store, and which one varied from process to process
# (a store under Chroma's sync threshold is indexed anew, on several threads, whenever it
# is opened); asked for 160 or more it missed none. Ids and distances alone cost little.
MIN_PROBE = 200


@dataclass
class DocumentRecord:
    """One ingested file as the registry knows it."""

    doc_id: str
    source: str
    title: str
    kind: str
    chunks: int
    ingested_at: str
    status: str = COMPLETE
    publisher: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    # How the document was read: the reader version, where each metadata field came
    # from (JSON {"title": "detected", ...}) and the analyst's edits (JSON {field: value}),
    # which are kept when the same bytes are read again.
    reader: int = 0
    meta_sources: str = ""
    edits: str = ""
    # Edits made so far, and the edit the chunks' copies of the details reflect; they
    # differ only while (or when a crash interrupted) copying an edit to the chunks.
    revision: int = 0
    chunks_revision: int = 0

    def metadata(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "doc_id"}

    @property
    def stamp(self) -> str:
        """Changes whenever the document or its chunks' metadata change."""
        return f"{self.ingested_at}#{self.revision}.{self.chunks_revision}"

    @property
    def chunks_pending(self) -> bool:
        """True while an edit has not yet been copied to every chunk."""
        return self.chunks_revision != self.revision

    def sources(self) -> dict[str, str]:
        """Where each field came from ({"title": "front matter", ...}); may be empty."""
        return _json_dict(self.meta_sources)

    def edited(self) -> dict[str, str]:
        """The analyst's edits, {field: value} (an empty value clears the field)."""
        return {k: v for k, v in _json_dict(self.edits).items() if k in EDITABLE_FIELDS}

    def with_edits(self, edits: str | Mapping[str, str] | None = None) -> DocumentRecord:
        """This record with the analyst's edits applied over its detected values.

        `edits` (JSON as stored in `DocumentRecord.edits`, or a dict) is merged over the
        record's own edits; the result keeps the merged edits and marks their fields
        "edited" in `meta_sources`. Edits that are no longer valid are left out.
        """
        merged = self.edited()
        if edits:
            extra = _json_dict(edits) if isinstance(edits, str) else dict(edits)
            merged.update({k: str(v) for k, v in extra.items() if k in EDITABLE_FIELDS})
        applied: dict[str, str] = {}
        for name, value in merged.items():
            try:
                applied.update(validate_edits({name: value}))
            except ValueError:
                continue
        if not applied:
            return replace(self)
        sources = self.sources()
        sources.update(dict.fromkeys(applied, EDITED))
        fields: dict[str, Any] = {**applied, "edits": _json(applied)}
        return replace(self, **fields, meta_sources=_json(sources))

    def chunk_copies(self) -> dict[str, Any]:
        """The document's details as each chunk's metadata carries them; None stands for
        an empty value (a key to leave out, or to delete from a stored chunk)."""
        values: dict[str, Any] = {
            "title": self.title,
            "publisher": self.publisher,
            "author": self.author,
            "date": self.date,
            "year": date_year(self.date),
            "kind": self.kind,
        }
        return {k: (v if v not in ("", None) else None) for k, v in values.items()}

    @classmethod
    def from_metadata(cls, doc_id: str, meta: dict[str, Any]) -> DocumentRecord:
        fields = {k: meta[k] for k in cls.__dataclass_fields__ if k in meta and k != "doc_id"}
        return cls(doc_id=doc_id, **fields)


def date_year(date: str) -> int | None:
    """The year of a date such as '2021', '2021-03' or '2026-02-03' (for range filters)."""
    head = date.strip()[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


def validate_edits(changes: Mapping[str, str]) -> dict[str, str]:
    """Edits cleaned (whitespace collapsed) and checked; ValueError with a one-line
    reason for an unknown field or a bad value. An empty publisher, author or date
    clears it."""
    cleaned: dict[str, str] = {}
    for name, raw in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"cannot edit '{name}': the fields are {', '.join(EDITABLE_FIELDS)}")
        value = " ".join(str(raw).split())
        if len(value) > _MAX_FIELD:
            raise ValueError(f"{name} is {len(value)} characters long, over {_MAX_FIELD}")
        if name == "title" and not value:
            raise ValueError("title cannot be empty")
        if name == "kind" and value not in DOC_KINDS:
            raise ValueError(f"kind must be one of {', '.join(DOC_KINDS)}, not '{value}'")
        if name == "date" and value and not _valid_date(value):
            raise ValueError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, not '{value}'")
        cleaned[name] = value
    return cleaned


def _valid_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if not match:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        _date(year, month, day)
    except ValueError:
        return False
    return True


def _json_dict(raw: str) -> dict[str, str]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _json(data: Mapping[str, str]) -> str:
    return json.dumps(dict(data), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict[str, Any]
    embedding: list[float]


@dataclass(frozen=True)
class ChunkHit:
    chunk_id: str
    text: str
    metadata: dict[str, Any]
    distance: float


@dataclass(frozen=True)
class DocumentWrite:
    """One document to write: its record and its chunks (ids, texts, metadata, vectors)."""

    record: DocumentRecord
    chunk_ids: Sequence[str]
    texts: Sequence[str]
    metadatas: Sequence[dict[str, Any]]
    embeddings: Sequence[Sequence[float]]


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class ChunkStore:
    """Chunks and documents in Chroma, embedded (`PersistentClient`) or on a server."""

    def __init__(
        self,
        client: Any,
        collection: str,
        embed_model: str,
        embed_dim: int,
        writer_lock: AbstractContextManager[Any] | None = None,
        embed_weights: str = "",
        reopen: Callable[[], Any] | None = None,
    ) -> None:
        """`writer_lock` is held around every write (a document written, removed or
        edited, recovery after a crash), so that writers in other processes take turns:
        one writer's recovery can never take another's document in progress for the
        leftovers of a crash. `embed_weights` is the digest of the embedding model's
        files; a store that recorded another is refused, one that recorded none (made
        before digests were kept) records it.

        `reopen` makes a fresh client on the same store. An embedded Chroma client loads
        its vector index once and never sees what other processes add to it; given
        `reopen`, the store notices their writes (`catch_up`) and reads them through a
        fresh client. A server's clients need none."""
        self._writer = writer_lock if writer_lock is not None else nullcontext()
        self._reopen = reopen
        self._local = threading.RLock()  # this process's writes, and the reopening
        self._depth = 0  # writes in progress in this process, one inside another
        self.embed_model = embed_model
        self.embed_dim = embed_dim
        self.embed_weights = embed_weights
        self._name = collection
        self._version_read: tuple[str, float] | None = None  # (version, when it was read)
        self._open(client)
        self._seen = self.version() if reopen is not None else ""

    def _open(self, client: Any) -> None:
        self._client = client
        self._chunks = self._open_chunks(self._name)
        self._docs = self._get_or_create(
            f"{self._name}-docs", {"role": "document-registry", "schema": _SCHEMA}
        )
        self.max_batch = int(client.get_max_batch_size())

    def catch_up(self, version: str | None = None) -> bool:
        """Read what other processes wrote since this process last looked: when the
        store's version (`version`, if the caller has it) is not the one this process
        saw or left, the client is opened afresh. Never waits for a write of this
        process in progress (it looks again next time). True if it reopened."""
        if self._reopen is None or not self._local.acquire(blocking=False):
            return False
        try:
            return self._reopen_if_changed(version)
        finally:
            self._local.release()

    def _reopen_if_changed(self, version: str | None = None) -> bool:
        if self._reopen is None:
            return False
        version = version or self.version()
        if version == self._seen:
            return False
        self._open(self._reopen())
        self._seen = version
        return True

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around every write: other processes' writers wait (the writer lock), this
        process's readers do not reopen midway, and what others wrote before is read
        first, so this write's own change is never taken for theirs."""
        with self._writer, self._local:
            outermost = self._depth == 0  # a removal inside a write, an edit's sync...
            self._depth += 1
            if outermost:
                self._reopen_if_changed()
            try:
                yield
            finally:
                self._depth -= 1
                self._version_read = None  # this write shows at once
                if outermost and self._reopen is not None:
                    self._seen = self.version()

    # -- opening ---------------------------------------------------------------------------

    def _get_or_create(self, name: str, metadata: dict[str, Any]) -> Any:
        from chromadb.errors import NotFoundError

        try:
            return self._client.get_collection(name, embedding_function=None)
        except (NotFoundError, ValueError):
            pass
        try:
            return self._client.create_collection(
                name,
                metadata=metadata,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        except Exception:
            # Another process created it in between.
            return self._client.get_collection(name, embedding_function=None)

    def _open_chunks(self, name: str) -> Any:
        wanted: dict[str, Any] = {
            "embed_model": self.embed_model,
            "embed_dim": self.embed_dim,
            "schema": _SCHEMA,
        }
        if self.embed_weights:
            wanted["embed_weights"] = self.embed_weights
        collection = self._get_or_create(name, wanted)
        meta = collection.metadata or {}
        if int(meta.get("schema") or 0) > _SCHEMA:
            raise StoreMismatchError(
                f"the store was written by a newer CX Advisor (store schema {meta['schema']}, "
                f"this one reads {_SCHEMA}); upgrade, or use a new CXA_STORE_DIR and re-ingest"
            )
        have = (meta.get("embed_model"), meta.get("embed_dim"))
        if have != (self.embed_model, self.embed_dim):
            raise StoreMismatchError(
                f"the store was built with embedding model '{have[0]}' (dim {have[1]}) but "
                f"'{self.embed_model}' (dim {self.embed_dim}) is configured; use the same "
                "CXA_EMBED_MODEL and CXA_EMBED_BACKEND ('+onnx' or '+onnx-int8' in the name is "
                "that backend), or a new CXA_STORE_DIR and re-ingest"
            )
        recorded = meta.get("embed_weights")
        if self.embed_weights and recorded and recorded != self.embed_weights:
            raise StoreMismatchError(
                f"the store was built with another model of the same name '{self.embed_model}' "
                f"(its files' digest was {recorded}, the configured folder's is "
                f"{self.embed_weights}); point CXA_EMBED_MODEL at the model the store was "
                "built with, or use a new CXA_STORE_DIR and re-ingest"
            )
        if self.embed_weights and not recorded:
            collection.modify(metadata={**meta, "embed_weights": self.embed_weights})
        return collection

    # -- registry --------------------------------------------------------------------------

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        got = self._docs.get(ids=[doc_id], include=["metadatas"])
        if not got["ids"]:
            return None
        return DocumentRecord.from_metadata(got["ids"][0], got["metadatas"][0])

    def documents(self, *, include_pending: bool = False) -> list[DocumentRecord]:
        records = [
            DocumentRecord.from_metadata(doc_id, meta)
            for doc_id, meta in self._iter_registry()
            if include_pending or meta.get("status") == COMPLETE
        ]
        return sorted(records, key=lambda r: (r.kind, r.title.lower(), r.doc_id))

    def documents_by_source(self, source: str) -> list[DocumentRecord]:
        got = self._docs.get(where={"source": source}, include=["metadatas"])
        return [DocumentRecord.from_metadata(i, m) for i, m in zip(got["ids"], got["metadatas"])]

    def _iter_registry(self) -> Iterator[tuple[str, dict[str, Any]]]:
        offset = 0
        while True:
            got = self._docs.get(include=["metadatas"], limit=_PAGE, offset=offset)
            yield from zip(got["ids"], got["metadatas"])
            if len(got["ids"]) < _PAGE:
                return
            offset += _PAGE

    # -- writing ---------------------------------------------------------------------------

    def write_document(
        self,
        record: DocumentRecord,
        chunk_ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
        embeddings: Sequence[Sequence[float]],
    ) -> None:
        """One document: `write_documents` of one."""
        self.write_documents([DocumentWrite(record, chunk_ids, texts, metadatas, embeddings)])

    def write_documents(self, documents: Sequence[DocumentWrite]) -> None:
        """Register the documents as pending, write their chunks in batches, then mark
        them complete: three kinds of Chroma call for all of them, not for each (a call
        has a fixed cost of several ms). Chunk ids are '<doc_id>:<n>' (searches tell a
        chunk's document from its id).

        Readers see each document whole or not at all: on any error every document of the
        call is removed before the error propagates, and a crash leaves them pending, for
        recovery to remove.
        """
        for doc in documents:
            strays = [c for c in doc.chunk_ids if doc_of(c) != doc.record.doc_id]
            if strays:
                raise ValueError(f"chunk id '{strays[0]}' is not '{doc.record.doc_id}:<n>'")
        if not documents:
            return
        records = [doc.record for doc in documents]
        with self._writing():
            for doc in documents:
                doc.record.status = PENDING
                doc.record.chunks = len(doc.chunk_ids)
            self._docs.upsert(
                ids=[r.doc_id for r in records],
                embeddings=[_mean_vector(d.embeddings, self.embed_dim) for d in documents],
                metadatas=[r.metadata() for r in records],
                documents=[r.title for r in records],
            )
            try:
                ids = [c for d in documents for c in d.chunk_ids]
                texts = [t for d in documents for t in d.texts]
                metadatas = [_for_upsert(m) for d in documents for m in d.metadatas]
                embeddings = [list(e) for d in documents for e in d.embeddings]
                for lo in range(0, len(ids), self.max_batch):
                    hi = lo + self.max_batch
                    self._chunks.upsert(
                        ids=ids[lo:hi],
                        documents=texts[lo:hi],
                        metadatas=metadatas[lo:hi],
                        embeddings=embeddings[lo:hi],
                    )
                for record in records:
                    record.status = COMPLETE
                self._docs.update(
                    ids=[r.doc_id for r in records], metadatas=[r.metadata() for r in records]
                )
            except BaseException:
                for record in records:
                    self.remove_document(record.doc_id)
                raise

    def remove_document(self, doc_id: str) -> bool:
        """Mark the document pending, delete its chunks, then its registry entry. True if
        it existed. A crash part way leaves a pending document, which recovery removes,
        never a complete one without chunks that a re-ingest would skip as unchanged."""
        with self._writing():
            record = self.get_document(doc_id)
            if record is not None and record.status == COMPLETE:
                self._docs.update(ids=[doc_id], metadatas=[{"status": PENDING}])
            self._chunks.delete(where={"doc_id": doc_id})
            self._docs.delete(ids=[doc_id])
            return record is not None

    def remove_chunks(self, chunk_ids: Sequence[str]) -> None:
        """Delete chunks by id (those a document read again no longer has)."""
        with self._writing():
            for lo in range(0, len(chunk_ids), self.max_batch):
                self._chunks.delete(ids=list(chunk_ids[lo : lo + self.max_batch]))

    def edit_document(self, doc_id: str, changes: Mapping[str, str]) -> DocumentRecord:
        """Set some of a document's details (title, publisher, author, date, kind) as an
        analyst corrects them, and return the record after the edit.

        The registry, the source of truth, is written first: the values, the merged
        `edits`, "edited" as each field's source and a new `revision`. Then every
        chunk's copy is rewritten; if that is cut short, `sync_edits()` finishes it.
        ValueError (one line) for an unknown document, field or bad value.
        """
        with self._writing():
            if not changes:
                raise ValueError(f"nothing to change; give one of {', '.join(EDITABLE_FIELDS)}")
            cleaned = validate_edits(changes)
            record = self.get_document(doc_id)
            if record is None or record.status != COMPLETE:
                raise ValueError(f"no document has the id '{doc_id}'")
            edited = replace(record.with_edits(cleaned), revision=record.revision + 1)
            self._docs.update(ids=[doc_id], metadatas=[edited.metadata()])
            return self.sync_chunks(doc_id) or edited

    def sync_chunks(self, doc_id: str) -> DocumentRecord | None:
        """Copy the registry's details of one document into each of its chunks'
        metadata (the rest of each chunk's metadata is kept), in batches, then record
        that the chunks match. Safe to repeat. Returns the record, None if it is gone."""
        with self._writing():
            record = self.get_document(doc_id)
            if record is None:
                return None
            copies = record.chunk_copies()
            ids = self._chunks.get(where={"doc_id": doc_id}, include=[])["ids"]
            for lo in range(0, len(ids), self.max_batch):
                batch = list(ids[lo : lo + self.max_batch])
                self._chunks.update(ids=batch, metadatas=[dict(copies) for _ in batch])
            if record.chunks_pending:
                self._docs.update(ids=[doc_id], metadatas=[{"chunks_revision": record.revision}])
                record = replace(record, chunks_revision=record.revision)
            return record

    def sync_edits(self) -> list[str]:
        """Finish copying edits whose copy to the chunks was cut short; returns the ids
        of the documents brought up to date. One registry scan when nothing is due."""
        due = [
            doc_id
            for doc_id, meta in self._iter_registry()
            if meta.get("status") == COMPLETE
            and DocumentRecord.from_metadata(doc_id, meta).chunks_pending
        ]
        for doc_id in due:
            self.sync_chunks(doc_id)
        return due

    def recover(self) -> list[str]:
        """Remove documents left pending by an interrupted write, and, where a source has
        several complete versions (a replacement cut short), all but the newest; then
        chunks that no document owns. Edits not yet copied to their chunks are copied
        (`sync_edits`). Returns the ids of the documents removed."""
        with self._writing():
            removed: list[str] = []
            newest: dict[str, tuple[str, str]] = {}
            for doc_id, meta in list(self._iter_registry()):
                if meta.get("status") != COMPLETE:
                    self.remove_document(doc_id)
                    removed.append(doc_id)
                    continue
                source, stamp = str(meta.get("source", "")), str(meta.get("ingested_at", ""))
                if source in newest:
                    older_id = min((newest[source], (stamp, doc_id)))[1]
                    keep = max((newest[source], (stamp, doc_id)))
                    self.remove_document(older_id)
                    removed.append(older_id)
                    newest[source] = keep
                else:
                    newest[source] = (stamp, doc_id)
            removed += self._sweep_orphans()
            self.sync_edits()
            return removed

    def _sweep_orphans(self) -> list[str]:
        """Delete chunks no registered document owns, or past the last chunk of the one
        they name (left by a crash in an older version, or a shrinking re-read cut
        short); returns the unregistered document ids they named. Counting comes first:
        the chunk ids are listed only when there are more chunks than the registry
        accounts for."""
        registry = list(self._iter_registry())
        expected = sum(int(meta.get("chunks") or 0) for _, meta in registry)
        if self.count_chunks() <= expected:
            return []
        owned = {doc_id: int(meta.get("chunks") or 0) for doc_id, meta in registry}

        def orphan(chunk_id: str) -> bool:  # no owner, or past its owner's last chunk
            number = chunk_id.rpartition(":")[2]
            owner = owned.get(doc_of(chunk_id))
            return owner is None or (number.isdigit() and int(number) >= owner)

        orphans: list[str] = []
        offset = 0
        while True:
            ids = self._chunks.get(include=[], limit=self.max_batch, offset=offset)["ids"]
            if not ids:
                break
            orphans += [c for c in ids if orphan(c)]
            offset += len(ids)
        for lo in range(0, len(orphans), self.max_batch):
            self._chunks.delete(ids=orphans[lo : lo + self.max_batch])
        return sorted({doc_of(c) for c in orphans} - set(owned))

    # -- reading ---------------------------------------------------------------------------

    def count_chunks(self) -> int:
        return int(self._chunks.count())

    def chunks_of(self, doc_id: str, *, with_embeddings: bool = False) -> list[StoredChunk]:
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        got = self._chunks.get(where={"doc_id": doc_id}, include=include)
        embeddings = got.get("embeddings")
        out = [
            StoredChunk(
                chunk_id=cid,
                text=text,
                metadata=meta,
                embedding=list(embeddings[i]) if with_embeddings and embeddings is not None else [],
            )
            for i, (cid, text, meta) in enumerate(
                zip(got["ids"], got["documents"], got["metadatas"])
            )
        ]
        return sorted(out, key=lambda c: int(c.metadata.get("chunk_index", 0)))

    def version(self, max_age: float = 0.0) -> str:
        """Changes whenever a document is committed, replaced, removed or edited, and
        when an edit reaches its chunks. With `max_age`, a version read that many seconds
        ago or less is returned again without scanning the registry (for readers asking
        many questions a second); this process's writes always show at once."""
        cached = self._version_read
        if max_age > 0 and cached is not None and time.monotonic() - cached[1] <= max_age:
            return cached[0]
        read_at = time.monotonic()
        version = self._registry_version()
        self._version_read = (version, read_at)
        return version

    def _registry_version(self) -> str:
        import hashlib

        digest = hashlib.sha256()
        for doc_id, meta in sorted(self._iter_registry()):
            digest.update(
                f"{doc_id}:{meta.get('status')}:{meta.get('ingested_at')}:"
                f"{meta.get('revision', 0)}.{meta.get('chunks_revision', 0)};".encode()
            )
        return digest.hexdigest()

    def iter_chunks(self) -> Iterator[StoredChunk]:
        """Every chunk of every complete document (no embeddings), page by page."""
        complete = {r.doc_id for r in self.documents()}
        offset = 0
        while True:
            got = self._chunks.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                if meta.get("doc_id") in complete:
                    yield StoredChunk(chunk_id=cid, text=text, metadata=meta, embedding=[])
            if len(got["ids"]) < _PAGE:
                return
            offset += _PAGE

    def embeddings_of(self, chunk_ids: Sequence[str]) -> dict[str, list[float]]:
        if not chunk_ids:
            return {}
        got = self._chunks.get(ids=list(chunk_ids), include=["embeddings"])
        return {cid: list(map(float, vec)) for cid, vec in zip(got["ids"], got["embeddings"])}

    def query(
        self,
        embedding: Sequence[float],
        k: int,
        where: dict[str, Any] | None = None,
        docs: set[str] | None = None,
    ) -> list[ChunkHit]:
        """The k nearest chunks by cosine distance, from complete documents only, with
        their text and metadata (`nearest` finds them)."""
        return self._hits(self.nearest(embedding, k, where, docs))

    def nearest(
        self,
        embedding: Sequence[float],
        k: int,
        where: dict[str, Any] | None = None,
        docs: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The k nearest chunks by cosine distance, from complete documents only, as (chunk
        id, distance) alone: for a caller that holds their text and metadata already.

        `where` is a Chroma metadata filter. `docs`, when given, are the documents whose
        chunks may be returned; given with `where`, they must be the ones `where` admits
        (every filterable field is a document's). Chroma's filtered search costs time in
        proportion to the chunks the filter admits (40 ms at 100,000 chunks for one in
        ten), so with `docs` the nearest chunks are found by unfiltered searches for ids
        alone, widened until k of them are from `docs` (a few ms), and the filtered search
        runs only when even the widest does not find k.
        """
        if where and docs is None:
            probe = max(k * 2 + 4, MIN_PROBE)
            return self._nearest(embedding, probe, where, self._complete())[:k]
        admitted = docs if docs is not None else self._complete()
        return self.nearest_each(embedding, k, [(where, admitted)])[0]

    def nearest_each(
        self,
        embedding: Sequence[float],
        k: int,
        sides: Sequence[tuple[dict[str, Any] | None, set[str]]],
        share: float = 1.0,
    ) -> list[list[tuple[str, float]]]:
        """`nearest` for several (where, docs) filters of one question at once (an "our
        ..." question searches internal and research documents apart): one unfiltered
        search for ids serves them all, widened until each has k. `share`: the least
        share of the store's chunks that a side admits, where the caller knows it: when
        the first search would hold fewer than k of that side's chunks, it asks for as
        many ids as a widening would (a side that admits one chunk in ten: about 500
        ids at once, instead of 200 and then 500)."""
        n = max(4 * k + 8, MIN_PROBE)
        if n * share < k:  # too few of them would be a side's: ask as a widening would
            n = _widened(k, share)
        n = min(MAX_PROBE, n)
        while True:
            got = self._chunks.query(
                query_embeddings=[list(embedding)], n_results=n, include=["distances"]
            )
            ids, distances = got["ids"][0], got["distances"][0]
            found = [
                [(c, float(d)) for c, d in zip(ids, distances) if doc_of(c) in docs]
                for _where, docs in sides
            ]
            fewest = min((len(f) for f in found), default=k)
            if fewest >= k or len(ids) < n or n >= MAX_PROBE:
                break
            n = min(MAX_PROBE, _widened(k, max(fewest, 1) / max(len(ids), 1)))
        probe = max(k * 2 + 4, MIN_PROBE)
        return [
            self._nearest(embedding, probe, where, docs)[:k]
            if len(hits) < k and where and len(ids) >= n
            else hits[:k]
            for (where, docs), hits in zip(sides, found)
        ]

    def _complete(self) -> set[str]:
        return {r.doc_id for r in self.documents()}

    def _hits(self, found: Sequence[tuple[str, float]]) -> list[ChunkHit]:
        """Text and metadata for chunks found by id, in the order found."""
        if not found:
            return []
        got = self._chunks.get(ids=[c for c, _ in found], include=["documents", "metadatas"])
        rows = {c: (t, m) for c, t, m in zip(got["ids"], got["documents"], got["metadatas"])}
        return [
            ChunkHit(chunk_id=c, text=rows[c][0], metadata=rows[c][1], distance=d)
            for c, d in found
            if c in rows
        ]

    def raw_query(self, embedding: Sequence[float], k: int) -> Any:
        """Chroma's own nearest-neighbour search over the chunks, with nothing of ours
        around it (no registry check, no filters): the baseline the bench measures."""
        return self._chunks.query(query_embeddings=[list(embedding)], n_results=k)

    def _nearest(
        self, embedding: Sequence[float], n: int, where: dict[str, Any] | None, docs: set[str]
    ) -> list[tuple[str, float]]:
        got = self._chunks.query(  # more than the collection holds is fine: all come back
            query_embeddings=[list(embedding)],
            n_results=n,
            where=where or None,
            include=["distances"],
        )
        return [
            (cid, float(dist))
            for cid, dist in zip(got["ids"][0], got["distances"][0])
            if doc_of(cid) in docs
        ]


def _widened(k: int, share: float) -> int:
    """Ids to ask for so that about 2k of them fall in a filter admitting `share`."""
    return math.ceil(2 * k / max(share, 1e-6)) + k


def doc_of(chunk_id: str) -> str:
    """The document a chunk belongs to: chunk ids are '<doc_id>:<n>'."""
    return chunk_id.rpartition(":")[0]


def _for_upsert(meta: dict[str, Any]) -> dict[str, Any]:
    """A chunk's metadata as written over any stored copy: Chroma merges an upsert's keys
    into the stored ones, and a None value deletes a key, so an empty value (a publisher
    a newer reader no longer finds, a section a chunk no longer has) is sent as None
    rather than left out, where the stale value would stay."""
    return {k: (None if v == "" else v) for k, v in meta.items()}


def _mean_vector(embeddings: Sequence[Sequence[float]], dim: int) -> list[float]:
    """Unit-length mean of the chunk vectors: a document-level vector for the registry."""
    import numpy as np

    if not embeddings:
        return [0.0] * dim
    mean = np.asarray(embeddings, dtype=np.float64).mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return list((mean / norm).tolist())
