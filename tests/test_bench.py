"""`cx-advisor bench` runs each benchmark with its baseline and writes the JSON (small
sizes here; the figures themselves are for the README, not for assertions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.cli import main
from bench import report
from core.machine import slug

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_bench_writes_figures_with_baselines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CXA_STORE_DIR", str(tmp_path / "store"))
    out = tmp_path / "results"
    assert main(["bench", "--sizes", "300", "--skip", "ask", "--out", str(out)]) == 0
    [written] = out.glob("bench-*.json")  # named for the machine: AMD and Intel kept apart
    assert written.name == f"bench-{slug()}.json" and "cores" in written.name
    data = json.loads(written.read_text())
    assert data["startup"]["help_ms"] > 0 and data["startup"]["bare_python_ms"] > 0
    ingest = data["ingest"]
    assert ingest["chunks"] > 0 and ingest["raw_encode_chunks_per_s"] > 0
    # The ratio is the run's own figures divided, whatever else the machine was doing
    # (a bound on it fails when the baseline meets a busy moment).
    assert ingest["pipeline_chunks_per_s"] > 0 and ingest["embedder_encode_chunks_per_s"] > 0
    measured = ingest["pipeline_chunks_per_s"] / ingest["raw_encode_chunks_per_s"]
    assert ingest["ratio"] == pytest.approx(measured, rel=0.01, abs=0.01)
    # Every embedding backend side by side in the same run, torch the baseline; fp32 ONNX
    # gives torch's vectors, int8 does not quite.
    backends = ingest["backends"]
    assert set(backends) == {"torch", "onnx", "onnx-int8"}
    assert backends["torch"]["ratio_to_torch"] == 1.0
    assert backends["onnx"]["same_vectors"] and backends["onnx"]["least_cosine_to_torch"] > 0.999
    assert 0.9 < backends["onnx-int8"]["least_cosine_to_torch"] < 1.0
    assert all(f["encode_chunks_per_s"] > 0 and f["question_p50_ms"] > 0 for f in backends.values())
    assert ingest["fastest_with_same_vectors"] in {"torch", "onnx"}
    [retrieval] = data["retrieval"]
    assert retrieval["chunks"] == 300
    assert retrieval["hybrid"]["p50_ms"] > 0 and retrieval["raw_chroma"]["p50_ms"] > 0
    assert retrieval["first_after_adding_a_document_ms"] > 0
    assert retrieval["first_query_saved_index_ms"] > 0 and retrieval["index_load_ms"] > 0
    assert retrieval["first_query_rebuilt_index_ms"] > 0 and retrieval["ratio_first_query"] > 0
    assert retrieval["first_query_saving_index_ms"] > 0 and retrieval["index_mb"] > 0
    answers = data["answers"]  # a new advisor, with and without the saved sentence vectors
    for run in ("nothing_saved", "saved", "same_process"):
        assert answers[run]["p50_ms"] > 0 and answers["stages_p50_ms"][run]["total"] > 0
    measured = answers["saved"]["p50_ms"] / answers["nothing_saved"]["p50_ms"]
    assert answers["ratio_p50"] == pytest.approx(measured, rel=0.01, abs=0.01)
    memory = data["memory"]  # the app's process with the embedded model, by stage
    assert memory["app_peak_mb"] > memory["model_alone_peak_mb"] > 0
    assert set(memory["growth_mb"]) >= {"embedder", "language model", "store and retriever"}
    assert data["peak_rss_mb"] > 0 and "cores" in data["machine"]
    table = capsys.readouterr().out
    assert "Benchmarks on" in table and written.name in table
    saved = [row for row in report.table(data) if "saved BM25 index" in row[0]]
    assert saved and "rebuilt from the store" in saved[0][2]


def test_bad_sizes_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--sizes", "ten", "--skip", "startup"]) == 2
    assert "--sizes takes numbers" in capsys.readouterr().err
