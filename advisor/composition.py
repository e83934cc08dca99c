"""The composition root: the one place that turns Settings into live objects.

Everything heavy (the embedding model, the Chroma client) is built here, on demand, and
handed to the components that need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.settings import Settings

if TYPE_CHECKING:
    from advisor.bm25_files import BM25Files
    from advisor.llm import LLM
    from advisor.retrieval import HybridRetriever
    from advisor.service import Advisor
    from ingest.embedder import Embedder
    from ingest.pipeline import Ingestor
    from ingest.storage import Store
    from ingest.store import ChunkStore


def build_embedder(settings: Settings) -> Embedder:
    from ingest.embedder import OnnxEmbedder, SentenceTransformerEmbedder

    if settings.embed_backend in ("onnx", "onnx-int8"):
        return OnnxEmbedder(
            settings.embed_model,
            settings.model_cache_dir,
            settings.embed_batch_size,
            int8=settings.embed_backend == "onnx-int8",
        )
    return SentenceTransformerEmbedder(settings.embed_model, settings.embed_batch_size)


def build_chroma_client(settings: Settings) -> Any:
    """Embedded PersistentClient under the store dir, or HttpClient for a server: over
    HTTPS when `chroma_ssl` is set, with a bearer token when `chroma_token` is (checked by
    the authenticating proxy in front of the server, or by Chroma's own token auth)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        token = settings.chroma_token.get_secret_value() if settings.chroma_token else ""
        return chromadb.HttpClient(
            host=settings.chroma_host,
            port=settings.chroma_port,
            ssl=settings.chroma_ssl,
            headers={"Authorization": f"Bearer {token}"} if token else None,
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def reopen_chroma_client(settings: Settings) -> Any:
    """A fresh embedded client on the store, one that reads its vector index again from
    disk (with what other processes wrote since). Chroma keeps one client system per
    folder in a process; those are let go first (clients already handed out keep theirs
    and go on working)."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    return build_chroma_client(settings)


def build_writer_lock(settings: Settings) -> Any:
    """The lock every writer of the store takes turns on: a file lock beside the store,
    so ingests, removals and edits from other processes on this machine wait their turn
    instead of mistaking each other's documents in progress for a crash's leftovers."""
    from filelock import FileLock

    settings.store_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(settings.store_dir / f"{settings.collection}.writer.lock"))


def build_store(settings: Settings, embedder: Embedder) -> ChunkStore:
    """The store; one that does not exist yet is created under the writer lock, so that
    two processes starting on an empty folder do not both set up its database."""
    from contextlib import nullcontext

    from ingest.store import ChunkStore

    lock = build_writer_lock(settings)
    fresh = not settings.chroma_host and not (settings.chroma_dir / "chroma.sqlite3").exists()
    with lock if fresh else nullcontext():
        return ChunkStore(
            build_chroma_client(settings),
            settings.collection,
            embedder.name,
            embedder.dim,
            writer_lock=lock,
            embed_weights=embedder.weights,
            reopen=None if settings.chroma_host else lambda: reopen_chroma_client(settings),
        )


def build_ingestor(
    settings: Settings, embedder: Embedder | None = None, *, warm: bool = False
) -> Ingestor:
    """An ingestor over the store; `warm` (about to ingest): its reading worker starts
    first, while the embedder and the store load."""
    from ingest.bounded import BoundedReader
    from ingest.pipeline import Ingestor

    reader = BoundedReader(settings.read_seconds)
    if warm:
        reader.warm()
    embedder = embedder or build_embedder(settings)
    return Ingestor(settings, build_store(settings, embedder), embedder, reader)


def build_bm25_files(settings: Settings) -> BM25Files:
    """Where the BM25 index of the store is saved: a folder beside the store, updated
    under a file lock of its own (readers that find it stale update it, not writers)."""
    from filelock import FileLock

    from advisor.bm25_files import BM25Files

    folder = settings.store_dir / f"{settings.collection}.bm25"
    settings.store_dir.mkdir(parents=True, exist_ok=True)
    return BM25Files(folder, FileLock(str(folder.with_name(f"{folder.name}.lock"))))


def build_retriever(settings: Settings, store: ChunkStore, embedder: Embedder) -> HybridRetriever:
    from advisor.retrieval import HybridRetriever

    return HybridRetriever(
        store=store, embedder=embedder, k=settings.top_k, index_files=build_bm25_files(settings)
    )


def build_advisor(
    settings: Settings, embedder: Embedder | None = None, llm: LLM | None = None
) -> Advisor:
    """An advisor; pass an embedder or model already loaded to share it (an eval run in
    the app answers from another store with the app's own model)."""
    return build_components(settings, embedder, llm).advisor


@dataclass(frozen=True)
class Components:
    """What the app is made of, built once: the pages take the part they need (the store
    for the library, the model for its status, the advisor for answers) from here, not
    through the advisor."""

    settings: Settings
    embedder: Embedder
    llm: LLM
    store: Store
    advisor: Advisor


def build_components(
    settings: Settings, embedder: Embedder | None = None, llm: LLM | None = None
) -> Components:
    """The embedder, the model, the store and an advisor over them, each built once
    (the embedder or model given, where the caller has one loaded already)."""
    from advisor.llm import build_llm
    from advisor.service import Advisor

    embedder = embedder or build_embedder(settings)
    llm = llm or build_llm(settings)
    store = build_store(settings, embedder)
    store.sync_edits()  # an edit cut short before it reached the chunks is finished here
    retriever = build_retriever(settings, store, embedder)
    sentences = build_sentence_embedder(settings, embedder)
    advisor = Advisor(settings, store, embedder, llm, retriever, sentences)
    return Components(settings, embedder, llm, store, advisor)


def build_sentence_embedder(settings: Settings, embedder: Embedder) -> Embedder:
    """The embedder of the sentences ranked against questions: `embedder`, with the
    vectors it makes kept beside the store for later processes."""
    from advisor.saved_vectors import SavedEmbeddings, saved_vectors_path

    return SavedEmbeddings(embedder, saved_vectors_path(settings.store_dir, embedder))


def forget_sentence_vectors(settings: Settings) -> None:
    """Delete the sentence vectors kept beside the store (a document was removed)."""
    from advisor.saved_vectors import forget

    forget(settings.store_dir)


if __name__ == "__main__":  # scripts/setup.sh builds the configured embedder ahead of use
    print(f"embedder ready: {build_embedder(Settings()).name}")
