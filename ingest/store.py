"""The Chroma store: a chunk collection plus a small document registry.

Chroma has no transactions, so the registry is the commit log. A document is first
registered as `pending`, then its chunks are written in batches, then it is flipped to
`complete` in one single-record update. Readers only trust complete documents, and
`recover()` deletes whatever a crash left pending. The chunk collection records the
embedding model and dimension and refuses to be used with another.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ingest.errors import StoreMismatchError

PENDING = "pending"
COMPLETE = "complete"
_SCHEMA = 1
_PAGE = 5000  # rows per Chroma get when scanning: fewer round trips, 7 MB a page


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

    def metadata(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "doc_id"}

    @classmethod
    def from_metadata(cls, doc_id: str, meta: dict[str, Any]) -> DocumentRecord:
        fields = {k: meta[k] for k in cls.__dataclass_fields__ if k in meta and k != "doc_id"}
        return cls(doc_id=doc_id, **fields)


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


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class ChunkStore:
    """Chunks and documents in Chroma, embedded (`PersistentClient`) or on a server."""

    def __init__(self, client: Any, collection: str, embed_model: str, embed_dim: int) -> None:
        self._client = client
        self.embed_model = embed_model
        self.embed_dim = embed_dim
        self._chunks = self._open_chunks(collection)
        self._docs = self._get_or_create(
            f"{collection}-docs", {"role": "document-registry", "schema": _SCHEMA}
        )
        self.max_batch = int(client.get_max_batch_size())

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
        wanted = {"embed_model": self.embed_model, "embed_dim": self.embed_dim, "schema": _SCHEMA}
        collection = self._get_or_create(name, wanted)
        meta = collection.metadata or {}
        have = (meta.get("embed_model"), meta.get("embed_dim"))
        if have != (self.embed_model, self.embed_dim):
            raise StoreMismatchError(
                f"the store was built with embedding model '{have[0]}' (dim {have[1]}) but "
                f"'{self.embed_model}' (dim {self.embed_dim}) is configured; use the same "
                "CXA_EMBED_MODEL and CXA_EMBED_BACKEND ('+onnx' or '+onnx-int8' in the name is "
                "that backend), or a new CXA_STORE_DIR and re-ingest"
            )
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
        """Register as pending, write chunks in batches, then mark complete.

        On any error the partial document is removed before the error propagates.
        """
        record.status = PENDING
        record.chunks = len(chunk_ids)
        self._docs.upsert(
            ids=[record.doc_id],
            embeddings=[_mean_vector(embeddings, self.embed_dim)],
            metadatas=[record.metadata()],
            documents=[record.title],
        )
        try:
            for lo in range(0, len(chunk_ids), self.max_batch):
                hi = lo + self.max_batch
                self._chunks.upsert(
                    ids=list(chunk_ids[lo:hi]),
                    documents=list(texts[lo:hi]),
                    metadatas=[_clean(m) for m in metadatas[lo:hi]],
                    embeddings=[list(e) for e in embeddings[lo:hi]],
                )
            record.status = COMPLETE
            self._docs.update(ids=[record.doc_id], metadatas=[record.metadata()])
        except BaseException:
            self.remove_document(record.doc_id)
            raise

    def remove_document(self, doc_id: str) -> bool:
        """Delete a document's chunks, then its registry entry. True if it existed."""
        existed = self.get_document(doc_id) is not None
        self._chunks.delete(where={"doc_id": doc_id})
        self._docs.delete(ids=[doc_id])
        return existed

    def recover(self) -> list[str]:
        """Remove documents left pending by an interrupted write, and, where a source has
        several complete versions (a replacement cut short), all but the newest."""
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
        return removed

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

    def version(self) -> str:
        """Changes whenever a document is committed, replaced or removed."""
        import hashlib

        digest = hashlib.sha256()
        for doc_id, meta in sorted(self._iter_registry()):
            digest.update(f"{doc_id}:{meta.get('status')}:{meta.get('ingested_at')};".encode())
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
        complete: set[str] | None = None,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> list[ChunkHit]:
        """Nearest chunks by cosine distance, limited to complete documents.

        `keep`, when given, is `where` as a test on one chunk's metadata. Chroma's
        filtered search costs time in proportion to the chunks the filter admits (0.4 s
        at 100k chunks for one that admits most), so an unfiltered search of a few ms
        comes first and the filtered one runs only if that did not find k that pass.
        """
        if complete is None:
            complete = {r.doc_id for r in self.documents()}
        if where and keep is not None:
            probe = self._nearest(embedding, 4 * k + 8, None, complete)
            passed = [hit for hit in probe if keep(hit.metadata)]
            if len(passed) >= k:
                return passed[:k]
        return self._nearest(embedding, k * 2 + 4, where, complete)[:k]

    def _nearest(
        self, embedding: Sequence[float], n: int, where: dict[str, Any] | None, complete: set[str]
    ) -> list[ChunkHit]:
        got = self._chunks.query(  # more than the collection holds is fine: all come back
            query_embeddings=[list(embedding)],
            n_results=n,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            ChunkHit(chunk_id=cid, text=text, metadata=meta, distance=float(dist))
            for cid, text, meta, dist in zip(
                got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0]
            )
            if meta.get("doc_id") in complete
        ]


def _clean(meta: dict[str, Any]) -> dict[str, Any]:
    """Chroma rejects None values; drop them (and empty strings) instead."""
    return {k: v for k, v in meta.items() if v is not None and v != ""}


def _mean_vector(embeddings: Sequence[Sequence[float]], dim: int) -> list[float]:
    """Unit-length mean of the chunk vectors: a document-level vector for the registry."""
    import numpy as np

    if not embeddings:
        return [0.0] * dim
    mean = np.asarray(embeddings, dtype=np.float64).mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return list((mean / norm).tolist())
