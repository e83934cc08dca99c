"""What the rest of the system needs from a document store: the contract every store
keeps (`tests/test_store_contract.py` runs one test over each: the embedded Chroma store
and a Chroma server). Ingest writes through it; retrieval, the app and the CLI read
through it. `ingest.store.ChunkStore` is the implementation, over either Chroma client."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ingest.store import ChunkHit, DocumentRecord, DocumentWrite, StoredChunk


@runtime_checkable
class Store(Protocol):
    """Documents (a registry of records) and their chunks (text, metadata, a vector).

    A document is written whole or not at all: readers see only complete documents.
    Every write changes `version()`. Writers in other processes take turns with this one.
    """

    embed_model: str
    embed_dim: int
    max_batch: int

    # -- reading the registry
    def get_document(self, doc_id: str) -> DocumentRecord | None: ...

    def documents(self, *, include_pending: bool = False) -> list[DocumentRecord]: ...

    def documents_by_source(self, source: str) -> list[DocumentRecord]: ...

    def version(self, max_age: float = 0.0) -> str:
        """Changes whenever a document is committed, replaced, removed or edited; with
        `max_age`, a version read at most that many seconds ago may be returned again
        (this process's own writes always show at once)."""
        ...

    # -- writing
    def write_document(
        self,
        record: DocumentRecord,
        chunk_ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
        embeddings: Sequence[Sequence[float]],
    ) -> None: ...

    def write_documents(self, documents: Sequence[DocumentWrite]) -> None:
        """Several documents in one write; each is still seen whole or not at all."""
        ...

    def remove_document(self, doc_id: str) -> bool: ...

    def remove_chunks(self, chunk_ids: Sequence[str]) -> None: ...

    def edit_document(self, doc_id: str, changes: Mapping[str, str]) -> DocumentRecord: ...

    def sync_edits(self) -> list[str]: ...

    def recover(self) -> list[str]: ...

    # -- reading chunks
    def count_chunks(self) -> int: ...

    def chunks_of(self, doc_id: str, *, with_embeddings: bool = False) -> list[StoredChunk]: ...

    def iter_chunks(self) -> Iterator[StoredChunk]: ...

    def embeddings_of(self, chunk_ids: Sequence[str]) -> dict[str, list[float]]: ...

    def query(
        self,
        embedding: Sequence[float],
        k: int,
        where: dict[str, Any] | None = None,
        docs: set[str] | None = None,
    ) -> list[ChunkHit]:
        """The k nearest chunks of complete documents; `docs`: of these documents only
        (with `where`, the ones it admits)."""
        ...

    def nearest_each(
        self,
        embedding: Sequence[float],
        k: int,
        sides: Sequence[tuple[dict[str, Any] | None, set[str]]],
        share: float = 1.0,
    ) -> list[list[tuple[str, float]]]:
        """For each (where, docs) filter, the k nearest chunks of those documents as
        (chunk id, cosine distance) alone, as `query` finds them; `share`: the least
        share of the chunks a side admits, where the caller knows it."""
        ...

    def raw_query(self, embedding: Sequence[float], k: int) -> Any: ...

    def catch_up(self, version: str | None = None) -> bool:
        """Read what other processes wrote since this one last looked; True if that
        took opening the store afresh."""
        ...
