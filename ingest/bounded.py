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
from collections.abc import Callable
from multiprocessing.pool import Pool
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.errors import IngestError
from ingest.loaders import load_document

Reader = Callable[[Path, bytes], LoadedDocument]


class BoundedReader:
    """Reads a file with `read` (a module-level function, so a worker can import it)
    and gives up after `seconds`. `seconds` of 0 reads in this process, unbounded."""

    def __init__(self, seconds: float, read: Reader = load_document) -> None:
        self.seconds = seconds
        self.read = read
        self._pool: Pool | None = None
        self._lock = threading.Lock()  # one file at a time per reader

    def __call__(self, path: Path, data: bytes) -> LoadedDocument:
        if self.seconds <= 0:
            return self.read(path, data)
        with self._lock:
            pool = self._worker()
            pending = pool.apply_async(self.read, (path, data))
            try:
                return pending.get(self.seconds)
            except multiprocessing.TimeoutError:
                self.close()  # the worker is stuck in the file: stop it
                raise IngestError(
                    f"reading took longer than {self.seconds:g} s (CXA_READ_SECONDS)"
                ) from None

    def _worker(self) -> Pool:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["ingest.loaders"])  # workers start loaded
            self._pool = context.Pool(1, maxtasksperchild=200)
        return self._pool

    def close(self) -> None:
        """Stop the worker (a later read starts a new one)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # interpreter shutdown: nothing left to stop
            self.close()
