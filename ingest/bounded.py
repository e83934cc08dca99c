"""Reading files within a time budget.

A hostile or broken file (a PDF whose content streams loop, a deeply nested page) can keep
a parser busy for minutes. Files are read in a worker process; when one takes longer than
the budget, the worker is stopped and the file fails with a one-line reason, and the next
file gets a fresh worker. The worker is started from a clean interpreter ("forkserver"),
never forked from a process that runs threads (the web app, the embedder).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
from collections.abc import Callable
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.errors import IngestError
from ingest.loaders import load_document

Reader = Callable[[Path, bytes], LoadedDocument]
_POLL_SECONDS = 0.2  # how often a wait looks whether its worker was stopped for another


class PendingRead:
    """A file handed to the worker; `result()` waits for it within the time budget.
    While the caller works on the file before it, the worker is already reading this
    one (ingest reads the next file while it embeds the current)."""

    def __init__(self, reader: BoundedReader, path: Path, data: bytes) -> None:
        self.reader, self.path, self.data = reader, path, data
        self._async: AsyncResult[LoadedDocument] | None = None
        if reader.seconds > 0:  # else read in this process when the result is asked for
            with reader._lock:
                self._generation, self._async = reader._start(path, data)

    def result(self) -> LoadedDocument:
        reader = self.reader
        if self._async is None:
            return reader.read(self.path, self.data)
        deadline = 0.0
        while True:
            with reader._lock:
                if self._generation != reader._generation:
                    # Another file got stuck and its worker was stopped with this one in
                    # it (the reader is shared): the next worker reads this one afresh.
                    self._generation, self._async = reader._start(self.path, self.data)
                    deadline = 0.0
                pending, generation = self._async, self._generation
            deadline = deadline or time.monotonic() + reader.seconds
            pending.wait(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
            if pending.ready():
                return pending.get()
            if generation == reader._generation and time.monotonic() >= deadline:
                reader.close(generation)  # the worker is stuck in this file: stop it
                raise IngestError(
                    f"reading took longer than {reader.seconds:g} s (CXA_READ_SECONDS)"
                )


class BoundedReader:
    """Reads a file with `read` (a module-level function, so a worker can import it)
    and gives up after `seconds`. `seconds` of 0 reads in this process, unbounded."""

    def __init__(self, seconds: float, read: Reader = load_document) -> None:
        self.seconds = seconds
        self.read = read
        self._pool: Pool | None = None
        self._generation = 0  # counts the workers started, so a stopped one is noticed
        self._lock = threading.Lock()

    def __call__(self, path: Path, data: bytes) -> LoadedDocument:
        return self.submit(path, data).result()

    def submit(self, path: Path, data: bytes) -> PendingRead:
        """Start reading the file in the worker (after the files handed to it before)."""
        return PendingRead(self, path, data)

    def _start(self, path: Path, data: bytes) -> tuple[int, AsyncResult[LoadedDocument]]:
        """Hand the file to the worker; the caller holds the lock."""
        return self._generation, self._worker().apply_async(self.read, (path, data))

    def _worker(self) -> Pool:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["ingest.loaders"])  # workers start loaded
            self._pool = context.Pool(1, maxtasksperchild=200)
        return self._pool

    def close(self, generation: int | None = None) -> None:
        """Stop the worker (a later read starts a new one); files handed to it and not
        yet read are handed to the next. With `generation`, only if that worker is still
        the one running (a file stuck in it is not stopped twice)."""
        with self._lock:
            if self._pool is None or generation not in (None, self._generation):
                return
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            self._generation += 1

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # interpreter shutdown: nothing left to stop
            self.close()
