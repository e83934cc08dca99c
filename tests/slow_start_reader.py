"""A reader whose module takes long to import: it stands in for a worker that starts
slowly on a loaded machine (the worker imports it before it reads the first file)."""

from __future__ import annotations

import time
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.loaders import load_document

START_SECONDS = 2.5
time.sleep(START_SECONDS)


def slow_start_reader(path: Path, data: bytes) -> LoadedDocument:
    return load_document(path, data)
