"""The bench table and its JSON file."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from core.machine import describe, slug


def table(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(benchmark, ours, baseline, ratio) rows."""
    rows: list[tuple[str, str, str, str]] = []
    if "startup" in results:
        s = results["startup"]
        rows.append(
            (
                "`cx-advisor --help`",
                f"{s['help_ms']:.0f} ms",
                f"{s['bare_python_ms']:.0f} ms (bare python)",
                f"+{s['overhead_ms']:.0f} ms",
            )
        )
    if "ingest" in results:
        i = results["ingest"]
        rows.append(
            (
                f"ingest, {i['chunks']} chunks ({i.get('embedder', '?')})",
                f"{i['pipeline_chunks_per_s']:.0f} chunks/s",
                f"{i['raw_encode_chunks_per_s']:.0f} chunks/s (raw sentence-transformers)",
                f"{i['ratio']:.2f} (target >= {i['target_ratio']})",
            )
        )
        if "embedder_encode_chunks_per_s" in i:
            rows.append(
                (
                    f"encoding alone, {i['embedder']}",
                    f"{i['embedder_encode_chunks_per_s']:.0f} chunks/s",
                    f"{i['raw_encode_chunks_per_s']:.0f} chunks/s (raw sentence-transformers)",
                    f"{i['embedder_encode_chunks_per_s'] / i['raw_encode_chunks_per_s']:.2f}",
                )
            )
        for backend, f in i.get("backends", {}).items():
            fastest = backend == i.get("fastest_with_same_vectors")
            chosen = " (fastest with torch's vectors)" if fastest else ""
            rows.append(
                (
                    f"encoding alone, {backend} backend{chosen}",
                    f"{f['encode_chunks_per_s']:.0f} chunks/s; question "
                    f"{f['question_p50_ms']:.1f} ms p50; least cosine to torch "
                    f"{f['least_cosine_to_torch']:.4f}",
                    f"{i['backends']['torch']['encode_chunks_per_s']:.0f} chunks/s (torch)",
                    f"{f['ratio_to_torch']:.2f}",
                )
            )
        if "target_ratio_to_own_encode" in i:
            rows.append(
                (
                    "the same ingest against the embedder's own encoding",
                    f"{i['pipeline_chunks_per_s']:.0f} chunks/s "
                    f"(first run {i['pipeline_first_run_chunks_per_s']:.0f})",
                    f"{i['embedder_encode_chunks_per_s']:.0f} chunks/s (encoding alone)",
                    f"{i['ratio_to_own_encode']:.2f} (target >= {i['target_ratio_to_own_encode']})",
                )
            )
    for r in results.get("retrieval", []):
        rows.append(
            (
                f"hybrid retrieval, {r['chunks']:,} chunks",
                _latency(r["hybrid"]),
                f"{_latency(r['raw_chroma'])} (raw Chroma)",
                f"{r['ratio_p50']:.2f}",
            )
        )
        if "first_query_saved_index_ms" in r:
            rebuilt = (
                f"{r['first_query_rebuilt_index_ms']:.0f} ms, BM25 index rebuilt from the store"
            )
            rows += [
                (
                    f"first question after a restart, {r['chunks']:,} chunks (saved BM25 index)",
                    f"{r['first_query_saved_index_ms']:.0f} ms "
                    f"(loading the {r['index_mb']:.0f} MB index: {r['index_load_ms']:.1f} ms)",
                    rebuilt,
                    f"{r['ratio_first_query']:.3f}",
                ),
                (
                    f"first question with no saved index, {r['chunks']:,} chunks (builds, saves)",
                    f"{r['first_query_saving_index_ms']:.0f} ms",
                    rebuilt,
                    f"{r['first_query_saving_index_ms'] / r['first_query_rebuilt_index_ms']:.2f}",
                ),
                (
                    f"first question after adding a document, {r['chunks']:,} chunks",
                    f"{r['first_after_adding_a_document_ms']:.0f} ms (saved index updated)",
                    "",
                    "",
                ),
            ]
    if "answers" in results:
        a = results["answers"]
        rows += [
            (
                f"answers by a new advisor (as after a restart), `none` backend, "
                f"{a['questions']} questions (sentence vectors saved beside the store)",
                _latency(a["saved"]),
                f"{_latency(a['nothing_saved'])} (none saved: every ranked sentence embedded)",
                f"{a['ratio_p50']:.2f}",
            ),
            (
                "the same questions asked again by the same advisor",
                _latency(a["same_process"]),
                "",
                "",
            ),
        ]
    if "ask" in results:
        a = results["ask"]
        rows.append(
            (
                "ask, embedded model",
                _generation(a["ask"]),
                f"{_generation(a['raw_llama'])} (raw llama)",
                f"{a['ratio_total']:.2f}",
            )
        )
    if "memory" in results:
        m = results["memory"]
        held = ", ".join(f"{name} {mb:.0f}" for name, mb in m["growth_mb"].items())
        rows.append(
            (
                "peak memory of the app's process, embedded model",
                f"{m['app_peak_mb']:.0f} MB (target < {m['target_mb']} MB; MB held by {held})",
                f"{m['model_alone_peak_mb']:.0f} MB (the model alone, one completion)",
                f"{m['app_peak_mb'] / m['model_alone_peak_mb']:.2f}",
            )
        )
    if "peak_rss_mb" in results:
        rows.append(("peak RSS", f"{results['peak_rss_mb']:.0f} MB", "", ""))
    return rows


def _latency(figures: dict[str, float]) -> str:
    return f"p50 {figures['p50_ms']:.0f} / p95 {figures['p95_ms']:.0f} ms"


def _generation(f: dict[str, float]) -> str:
    return (
        f"TTFT {f['ttft_ms']:.0f} ms, total {f['total_ms']:.0f} ms, {f['tokens_per_s']:.0f} tok/s"
    )


def write(results: dict[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{slug()}.json"  # one file per kind of machine
    data = {
        "machine": describe(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    } | results
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path
