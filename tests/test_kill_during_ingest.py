"""kill -9 in the middle of a large ingest, then run it again: the store is consistent
(no document half-present, none lost, no duplicate chunks)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from advisor.composition import build_ingestor
from core.settings import Settings
from ingest.embedder import Embedder
from tests.conftest import python_child

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FILES = 120
KILL_AFTER = 30

# Ingests a folder through the public API and prints one line per finished file, so the
# test knows the run is under way before it kills it.
DRIVER = """
import sys
from pathlib import Path
from advisor.composition import build_ingestor
from core.settings import Settings

ingestor = build_ingestor(Settings())
ingestor.ingest_paths(
    [Path(sys.argv[1])], "research", on_file=lambda path, result: print(path.name, flush=True)
)
"""


def _make_batch(folder: Path) -> None:
    folder.mkdir()
    for i in range(FILES):
        paragraphs = [
            f"Report {i}, finding {j}: customer experience programme {i}-{j} measured "
            f"a net promoter score of {(i * 7 + j) % 90} and a churn rate of {j}.{i % 10}%. "
            + "The council reviewed ownership, budgets and the contact-centre roadmap. "
            * 6
            for j in range(8)
        ]
        (folder / f"report-{i:03d}.md").write_text(
            f"# Report {i}\n\n" + "\n\n".join(paragraphs), encoding="utf-8"
        )


def test_store_is_consistent_after_kill_9_and_a_rerun(tmp_path: Path, embedder: Embedder) -> None:
    batch = tmp_path / "batch"
    _make_batch(batch)
    store_dir = tmp_path / "store"
    env = {**os.environ, "CXA_STORE_DIR": str(store_dir), "CXA_EMBED_BACKEND": "torch"}
    process = python_child(DRIVER, str(batch), env=env)
    assert process.stdout is not None
    done = 0
    for _line in process.stdout:
        done += 1
        if done == KILL_AFTER:
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert done == KILL_AFTER, "the ingest finished before it could be killed"
    assert process.returncode == -signal.SIGKILL

    settings = Settings(store_dir=store_dir, llm="none")
    before = build_ingestor(settings, embedder).store
    complete_before = len(before.documents())
    assert KILL_AFTER <= complete_before < FILES
    del before

    rerun = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "ingest", str(batch), "--kind", "research"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]

    store = build_ingestor(settings, embedder).store
    records = store.documents(include_pending=True)
    assert len(records) == FILES and all(r.status == "complete" for r in records)
    assert len({r.source for r in records}) == FILES
    chunks = list(store.iter_chunks())
    per_doc = Counter(str(c.metadata["doc_id"]) for c in chunks)
    assert {r.doc_id: r.chunks for r in records} == dict(per_doc)
    assert len({c.chunk_id for c in chunks}) == len(chunks) == store.count_chunks()
    texts = Counter((c.metadata["doc_id"], c.text) for c in chunks)
    assert max(texts.values()) == 1, "a chunk was stored twice"
