"""Reading files within a time budget.

A hostile or broken file (a PDF whose content streams loop, a deeply nested page) can keep
a parser busy for minutes. Files are read in a worker process; when one takes longer than
the budget, the worker is stopped and the file fails with a one-line reason, and the next
file gets a fresh worker. The worker is started from a clean interpreter ("forkserver"),
never forked from a process that runs threads (the web app, the embedder).

A file's budget runs from the moment the worker starts reading it, as the worker reports:
the worker's own start-up and the files queued before it never count against it.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import multiprocessing
import threading
import time
from collections.abc import Callable
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Literal

from ingest.document import LoadedDocument
from ingest.errors import IngestError
from ingest.loaders import load_document

Reader = Callable[[Path, bytes], LoadedDocument]
_POLL_SECONDS = 0.2  # how often a wait looks at what the worker is reading
_START_SECONDS = 60.0  # a worker that reads nothing for this long while a file waits is stuck

# In the worker: where it reports the file it is reading, [task number, since when]
# (task 0: none). Written by the worker only; the parent reads it without a lock, so a
# worker stopped at any moment cannot leave a lock held.
_reporting: ctypes.Array[ctypes.c_double] | None = None


def _report_to(state: ctypes.Array[ctypes.c_double]) -> None:
    global _reporting
    _reporting = state


def _read_reporting(read: Reader, task: int, path: Path, data: bytes) -> LoadedDocument:
    """Run in the worker: read the file, saying which one it is reading and since when."""
    assert _reporting is not None, "the worker is started with _report_to"
    _reporting[1] = time.monotonic()  # before the task number, so a reader never sees
    _reporting[0] = task  # this task with the previous task's start
    try:
        return read(path, data)
    finally:
        _reporting[0] = 0


class _Worker:
    """One worker process and the place where it reports what it is reading."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ingest.loaders"])  # workers start loaded
        self.state: ctypes.Array[ctypes.c_double] = context.RawArray("d", 2)
        self.pool: Pool = context.Pool(
            1, initializer=_report_to, initargs=(self.state,), maxtasksperchild=200
        )

    def reading(self) -> tuple[int, float] | None:
        """The task the worker is reading and since when (monotonic), or None."""
        task = int(self.state[0])
        since = self.state[1]
        if task == 0 or int(self.state[0]) != task:
            return None  # between files, or it moved on while this was read
        return task, since

    def stop(self) -> None:
        self.pool.terminate()
        self.pool.join()


class PendingRead:
    """A file handed to the worker; `result()` waits for it within the time budget.
    While the caller works on the file before it, the worker is already reading this
    one (ingest reads the next file while it embeds the current)."""

    def __init__(self, reader: BoundedReader, path: Path, data: bytes) -> None:
        self.reader, self.path, self.data = reader, path, data
        self._async: AsyncResult[LoadedDocument] | None = None
        if reader.seconds > 0:  # else read in this process when the result is asked for
            with reader._lock:
                self._generation, self._task, self._async = reader._start(path, data)

    def result(self) -> LoadedDocument:
        reader = self.reader
        if self._async is None:
            return reader.read(self.path, self.data)
        idle_since: float | None = None
        while True:
            with reader._lock:
                if self._task in reader._stuck:
                    reader._stuck.discard(self._task)
                    raise IngestError(
                        f"reading took longer than {reader.seconds:g} s (CXA_READ_SECONDS)"
                    )
                if self._generation != reader._generation:
                    # Another file got stuck and its worker was stopped with this one in
                    # it (the reader is shared): the next worker reads this one afresh.
                    self._generation, self._task, self._async = reader._start(self.path, self.data)
                    idle_since = None
                pending, generation = self._async, self._generation
            pending.wait(_POLL_SECONDS)
            if pending.ready():
                return pending.get()
            if reader._look(generation) != "idle":
                idle_since = None
                continue
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > _START_SECONDS:
                reader.close(generation)
                raise IngestError(f"the reader did not start within {_START_SECONDS:g} s")


class BoundedReader:
    """Reads a file with `read` (a module-level function, so a worker can import it)
    and gives up after `seconds` of reading it. `seconds` of 0 reads in this process,
    unbounded."""

    def __init__(self, seconds: float, read: Reader = load_document) -> None:
        self.seconds = seconds
        self.read = read
        self._worker_: _Worker | None = None
        self._generation = 0  # counts the workers started, so a stopped one is noticed
        self._tasks = itertools.count(1)
        self._stuck: set[int] = set()  # tasks whose worker was stopped for them
        self._lock = threading.Lock()

    def __call__(self, path: Path, data: bytes) -> LoadedDocument:
        return self.submit(path, data).result()

    def warm(self) -> None:
        """Start the worker now, in the background, so that its start-up (a fresh
        interpreter importing the loaders) goes on while the caller loads other things;
        the first file handed to it waits only for what is left of it."""
        if self.seconds <= 0 or self._worker_ is not None:
            return

        def start() -> None:
            with self._lock:
                if self._worker_ is None:
                    self._worker_ = _Worker()

        threading.Thread(target=start, name="reader-warm-up", daemon=True).start()

    def submit(self, path: Path, data: bytes) -> PendingRead:
        """Start reading the file in the worker (after the files handed to it before)."""
        return PendingRead(self, path, data)

    def _start(self, path: Path, data: bytes) -> tuple[int, int, AsyncResult[LoadedDocument]]:
        """Hand the file to the worker; the caller holds the lock."""
        if self._worker_ is None:
            self._worker_ = _Worker()
        task = next(self._tasks)
        pending = self._worker_.pool.apply_async(_read_reporting, (self.read, task, path, data))
        return self._generation, task, pending

    def _look(self, generation: int) -> Literal["reading", "idle", "stopped"]:
        """What the worker of `generation` does, as a waiting file sees it: "idle" when it
        reads no file, "stopped" when the file it reads has had its budget (the worker is
        stopped: that file fails, whoever waits for it, and the files queued behind it go
        to the next worker; whichever waiter looks first stops it, so a file no one waits
        for any more cannot hold up the others), else "reading" (also when that worker is
        gone already)."""
        with self._lock:
            if self._worker_ is None or generation != self._generation:
                return "reading"
            reading = self._worker_.reading()
            if reading is None:
                return "idle"
            if time.monotonic() - reading[1] < self.seconds:
                return "reading"
            self._stuck.add(reading[0])
            self._stop()
            return "stopped"

    def _stop(self) -> None:
        """Stop the worker; the caller holds the lock."""
        if self._worker_ is not None:
            self._worker_.stop()
            self._worker_ = None
            self._generation += 1

    def close(self, generation: int | None = None) -> None:
        """Stop the worker (a later read starts a new one); files handed to it and not
        yet read are handed to the next. With `generation`, only if that worker is still
        the one running (a file stuck in it is not stopped twice)."""
        with self._lock:
            if generation in (None, self._generation):
                self._stop()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # interpreter shutdown: nothing left to stop
            self.close()
