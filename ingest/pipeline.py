"""The ingestion workflow: expand paths, then load, chunk, embed and store each file.

Each file succeeds or fails on its own; a failure is reported with a one-line reason and
never leaves part of a document in the store.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Literal

from core.settings import DOC_KINDS, Settings
from ingest.bounded import BoundedReader, PendingRead, Reader
from ingest.chunking import chunk_document, embedding_text
from ingest.document import READER_VERSION, LoadedDocument
from ingest.embedder import Embedder
from ingest.errors import IngestError
from ingest.layout import LAYOUT_KEY
from ingest.loaders import SUPPORTED_SUFFIXES, is_supported
from ingest.storage import Store
from ingest.store import DocumentRecord, DocumentWrite, date_year, now_iso
from ingest.title_meaning import settle_title

Status = Literal["ingested", "replaced", "skipped", "failed", "pruned"]
ProgressCallback = Callable[[Path, "FileResult"], None]


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    status: Status
    reason: str = ""
    doc_id: str = ""
    title: str = ""
    chunks: int = 0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)

    def by_status(self, *statuses: Status) -> list[FileResult]:
        return [r for r in self.results if r.status in statuses]

    @property
    def ingested(self) -> list[FileResult]:
        return self.by_status("ingested", "replaced")

    @property
    def skipped(self) -> list[FileResult]:
        return self.by_status("skipped")

    @property
    def failed(self) -> list[FileResult]:
        return self.by_status("failed")

    @property
    def pruned(self) -> list[FileResult]:
        return self.by_status("pruned")

    @property
    def ok(self) -> bool:
        return not self.failed


def content_id(data: bytes) -> str:
    """Document id: SHA-256 of the file's bytes."""
    return hashlib.sha256(data).hexdigest()


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest (folders walked, hidden entries skipped) and per-path problems.

    Unsupported files found inside a folder are reported as skipped; one named directly
    is a failure, as is a path that does not exist.
    """
    files: list[Path] = []
    problems: list[FileResult] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    child = Path(root) / name
                    if name.startswith("."):
                        continue
                    if is_supported(child):
                        add(child)
                    else:
                        problems.append(
                            FileResult(
                                str(child),
                                "skipped",
                                f"not a supported type ({child.suffix or 'no extension'})",
                            )
                        )
        elif path.exists() or path.is_symlink():
            add(path)
        else:
            problems.append(FileResult(str(path), "failed", "no such file or directory"))
    return files, problems


# Files prepared (read, chunked, embedded) before they are written together: a write
# has a fixed cost of several Chroma calls, which small files would each pay alone, and
# the chunks of a batch are embedded together, in batches of like lengths. Small files
# are batched up to the chunk bound: 40 files of 203 chunks went from 5.55 s in batches
# of 16 files to 5.31 s in one (best of three each, alternating, 2-core Xeon).
BATCH_FILES = 64
BATCH_CHUNKS = 256
# Files handed to the reading worker ahead of the one being prepared, so that it reads the
# next batch while this process embeds and writes the current one; bounded by their bytes.
READ_AHEAD_FILES = BATCH_FILES
READ_AHEAD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class _Checked:
    """A file that passed the checks before reading, with its bytes."""

    path: Path
    data: bytes
    doc_id: str
    source: str
    existing: DocumentRecord | None  # the same bytes as stored by an older reader


@dataclass(frozen=True)
class _Prepared:
    """A file read and chunked, ready to embed and write: `write` has no vectors until
    its batch is embedded (`embedded`), the texts to embed are `to_embed`."""

    path: Path
    write: DocumentWrite
    existing: DocumentRecord | None  # the same bytes as stored by an older reader
    to_embed: tuple[str, ...]

    @property
    def doc_id(self) -> str:
        return self.write.record.doc_id


def _held(item: tuple[Path, _Checked | FileResult, PendingRead | None]) -> int:
    """Bytes a file handed to the reading worker holds until it is prepared."""
    _path, checked, reading = item
    return len(checked.data) if reading is not None and isinstance(checked, _Checked) else 0


def _failed(path: Path, err: IngestError | OSError) -> FileResult:
    reason = str(err) if isinstance(err, IngestError) else err.strerror or type(err).__name__
    return FileResult(str(path), "failed", reason)


class Ingestor:
    """Ingests files into one store with one embedder; built by the composition root."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        embedder: Embedder,
        read: Reader | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.read = read or BoundedReader(settings.read_seconds)

    def ingest_paths(
        self,
        paths: Sequence[Path],
        kind: str | None = None,
        *,
        prune: bool = False,
        on_file: ProgressCallback | None = None,
        on_start: Callable[[int], None] | None = None,
    ) -> IngestReport:
        if kind is not None and kind not in DOC_KINDS:
            raise ValueError(f"kind must be one of {', '.join(DOC_KINDS)}, not '{kind}'")
        report = IngestReport(recovered=self.store.recover())
        files, problems = expand_paths(paths)
        report.results.extend(problems)
        if on_start:
            on_start(len(files))
        # Files in the order given; results are reported in that order, those of
        # prepared files once their batch is written.
        queue: list[tuple[Path, _Prepared | FileResult]] = []

        def flush() -> None:
            batch = [item for _, item in queue if isinstance(item, _Prepared)]
            written = iter(self._commit_reported(batch))
            for path, item in queue:
                result = next(written) if isinstance(item, _Prepared) else item
                report.results.append(result)
                if on_file:
                    on_file(path, result)
            queue.clear()

        sources: dict[str, str] = {}  # doc_id -> source, of the files prepared in this run
        for path, prepared in self._read_ahead(files, kind):
            if isinstance(prepared, _Prepared):
                twin = sources.get(prepared.doc_id)
                if twin is not None:  # the same bytes twice in this run: written once
                    reason = f"duplicate of {twin}"
                    prepared = FileResult(str(path), "skipped", reason, prepared.doc_id)
                else:
                    sources[prepared.doc_id] = prepared.write.record.source
            queue.append((path, prepared))
            batch = [i for _, i in queue if isinstance(i, _Prepared)]
            if (
                sum(len(b.write.chunk_ids) for b in batch) >= BATCH_CHUNKS
                or len(batch) >= BATCH_FILES
                or not batch
            ):
                flush()
        flush()
        if prune:
            report.results.extend(self.prune(paths))
        return report

    def ingest_file(self, path: Path, kind: str | None = None) -> FileResult:
        """Ingest one file; never raises for bad input, reports it instead."""
        prepared = self._prepare_reported(path, kind)
        if isinstance(prepared, FileResult):
            return prepared
        return self._commit_reported([prepared])[0]

    def _prepare_reported(self, path: Path, kind: str | None) -> _Prepared | FileResult:
        try:
            return self._prepare(path, kind)
        except (IngestError, OSError) as err:
            return _failed(path, err)

    def _read_ahead(
        self, files: Sequence[Path], kind: str | None
    ) -> Iterator[tuple[Path, _Prepared | FileResult]]:
        """Each file prepared, in order. The worker reads up to READ_AHEAD_FILES files
        (READ_AHEAD_BYTES) ahead of the one this process chunks, so that reading goes on
        while a batch is embedded and written."""
        ahead: deque[tuple[Path, _Checked | FileResult, PendingRead | None]] = deque()
        held = 0  # bytes of the files handed to the worker and not yet prepared
        for path in files:
            checked = self._check_reported(path)
            reading = None
            if isinstance(checked, _Checked) and isinstance(self.read, BoundedReader):
                reading = self.read.submit(path, checked.data)
                held += len(checked.data)
            ahead.append((path, checked, reading))
            while len(ahead) > READ_AHEAD_FILES or (len(ahead) > 1 and held > READ_AHEAD_BYTES):
                held -= _held(ahead[0])
                yield ahead[0][0], self._finish_reported(*ahead.popleft(), kind)
        while ahead:
            yield ahead[0][0], self._finish_reported(*ahead.popleft(), kind)

    def _check_reported(self, path: Path) -> _Checked | FileResult:
        try:
            return self._check(path)
        except (IngestError, OSError) as err:
            return _failed(path, err)

    def _finish_reported(
        self,
        path: Path,
        checked: _Checked | FileResult,
        reading: PendingRead | None,
        kind: str | None,
    ) -> _Prepared | FileResult:
        if isinstance(checked, FileResult):
            return checked
        try:
            document = reading.result() if reading else self.read(path, checked.data)
            return self._finish(checked, document, kind)
        except (IngestError, OSError) as err:
            return _failed(path, err)

    def _commit_reported(self, batch: Sequence[_Prepared]) -> list[FileResult]:
        """Embed a batch of prepared files together and write them in one store write; if
        the write fails, every file of the batch fails with its reason (none of them is
        half-written)."""
        batch = self._embedded(batch)
        try:
            return self._commit(batch)
        except (IngestError, OSError) as err:
            return [_failed(item.path, err) for item in batch]

    def _prepare(self, path: Path, kind: str | None) -> _Prepared | FileResult:
        """Everything up to the write: checks, reading, chunks and their vectors; a
        FileResult when the file is skipped."""
        checked = self._check(path)
        if isinstance(checked, FileResult):
            return checked
        return self._finish(checked, self.read(path, checked.data), kind)

    def _check(self, path: Path) -> _Checked | FileResult:
        """The checks before reading: type, size, and whether the same bytes are stored
        already (a FileResult saying so)."""
        if not is_supported(path):
            supported = ", ".join(SUPPORTED_SUFFIXES)
            raise IngestError(
                f"unsupported file type '{path.suffix or '(none)'}' (use {supported})"
            )
        if not path.is_file():
            raise IngestError(
                "not a regular file" if path.exists() else "no such file (broken link?)"
            )
        size = path.stat().st_size
        if size > self.settings.max_file_bytes:
            raise IngestError(
                f"file is {size / 1048576:.1f} MB, over the {self.settings.max_file_mb:g} MB cap "
                "(CXA_MAX_FILE_MB)"
            )
        data = path.read_bytes()
        doc_id = content_id(data)
        source = str(path.resolve())

        existing = self.store.get_document(doc_id)
        if existing is not None and existing.status != "complete":
            existing = None
        if existing is not None and existing.reader == READER_VERSION:
            same = existing.source == source
            reason = "unchanged" if same else f"duplicate of {existing.source}"
            return FileResult(str(path), "skipped", reason, doc_id, existing.title, existing.chunks)
        return _Checked(path, data, doc_id, source, existing)

    def _finish(self, checked: _Checked, document: LoadedDocument, kind: str | None) -> _Prepared:
        """Chunks and their vectors of a file read, ready to write."""
        path, doc_id, source, existing = (
            checked.path, checked.doc_id, checked.source, checked.existing
        )  # fmt: skip
        document = settle_title(document, self.embedder)
        chunks = chunk_document(
            document,
            chunk_size=self.settings.chunk_tokens,
            chunk_overlap=self.settings.chunk_overlap_tokens,
            length_function=self.embedder.count_tokens,
        )
        if not chunks:
            raise IngestError("no text to index")
        meta = document.meta
        doc_kind = kind or (meta.get("kind") if meta.get("kind") in DOC_KINDS else "internal")
        record = DocumentRecord(
            doc_id=doc_id,
            source=source,
            title=document.title,
            kind=str(doc_kind),
            chunks=len(chunks),
            ingested_at=now_iso(),
            publisher=meta.get("publisher", ""),
            author=meta.get("author", ""),
            date=meta.get("date", ""),
            url=meta.get("url", ""),
            reader=READER_VERSION,
            meta_sources=json.dumps(document.meta_sources, sort_keys=True),
        )
        if existing is not None:  # read again by a newer reader: the analyst's edits stay
            record = record.with_edits(existing.edits)
        common = {
            "doc_id": doc_id,
            "title": record.title,
            "source": source,
            "kind": record.kind,
            "publisher": record.publisher,
            "author": record.author,
            "date": record.date,
            "url": record.url,
            "year": date_year(record.date),
            "front": document.front,
        }
        metadatas = [
            {
                **common,
                "chunk_index": c.index,
                "page": c.page,
                "section": c.heading,
                "speaker": c.speaker,
                "start": c.start,
                "end": c.end,
                LAYOUT_KEY: c.layout,
            }
            for c in chunks
        ]
        write = DocumentWrite(
            record, [f"{doc_id}:{c.index}" for c in chunks], [c.text for c in chunks],
            metadatas, [],
        )  # fmt: skip
        to_embed = tuple(embedding_text(c, record.title) for c in chunks)
        return _Prepared(path, write, existing, to_embed)

    def _embedded(self, batch: Sequence[_Prepared]) -> list[_Prepared]:
        """The batch with its vectors, from one call over all its chunks: the embedder
        batches texts of like length across files, where a file alone (a few chunks)
        would make a small batch of its own."""
        texts = [text for item in batch for text in item.to_embed]
        vectors = iter(self.embedder.embed_documents(texts) if texts else [])
        return [
            replace(
                item,
                write=replace(item.write, embeddings=list(islice(vectors, len(item.to_embed)))),
            )
            for item in batch
        ]

    def _commit(self, batch: Sequence[_Prepared]) -> list[FileResult]:
        """Write the documents, then drop what they replace: chunks a document read again
        no longer has, and older versions of the same file."""
        previous = {
            item.doc_id: [
                r for r in self.store.documents_by_source(item.write.record.source)
                if r.doc_id != item.doc_id
            ]
            for item in batch
        }  # fmt: skip
        self.store.write_documents([item.write for item in batch])
        results = []
        for item in batch:
            existing, count = item.existing, len(item.write.chunk_ids)
            if existing is not None and existing.chunks > count:
                stale = [f"{item.doc_id}:{i}" for i in range(count, existing.chunks)]
                self.store.remove_chunks(stale)
            for old in previous[item.doc_id]:
                self.store.remove_document(old.doc_id)
            replaced = previous[item.doc_id] or existing is not None
            status: Status = "replaced" if replaced else "ingested"
            title = item.write.record.title
            results.append(FileResult(str(item.path), status, "", item.doc_id, title, count))
        return results

    def keep_only(self, files: Sequence[Path]) -> list[FileResult]:
        """Remove every document that is not one of `files` (a store that must hold one
        corpus exactly, as an eval suite's does). A document is its bytes: one ingested
        before from another copy of the same file stays."""
        wanted = {content_id(f.read_bytes()) for f in files}
        results: list[FileResult] = []
        for record in self.store.documents(include_pending=True):
            if record.doc_id not in wanted:
                self.store.remove_document(record.doc_id)
                results.append(
                    FileResult(
                        record.source, "pruned", "not in the corpus", record.doc_id, record.title
                    )
                )
        return results

    def prune(self, roots: Sequence[Path]) -> list[FileResult]:
        """Remove documents whose file, under one of `roots`, no longer exists."""
        resolved = [r.resolve() for r in roots]
        results: list[FileResult] = []
        for record in self.store.documents(include_pending=True):
            source = Path(record.source)
            under = any(source == r or r in source.parents for r in resolved)
            if under and not source.exists():
                self.store.remove_document(record.doc_id)
                results.append(
                    FileResult(record.source, "pruned", "file is gone", record.doc_id, record.title)
                )
        return results
