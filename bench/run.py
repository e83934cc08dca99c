"""The benchmarks. Each returns a dict of figures with its baseline and ratio."""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings
    from ingest.embedder import Embedder
    from ingest.storage import Store

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Who should own customer experience?",
    "What share of organisations have no C-level CX sponsor?",
    "Which function controls most CX technology spending?",
    "How is our call centre NPS trending?",
    "When will the CRM be replaced?",
    "What do practitioners see as the biggest CX challenge?",
    "How much do we spend on customer experience?",
    "Should IT lead digital customer experience?",
]
_WORDS = (
    "customer experience ownership marketing finance budget churn loyalty promoter score "
    "contact centre agent journey survey CMO CIO CTO council roadmap platform analytics "
    "retention complaint billing roaming app store digital channel service quarter target "
    "sponsor executive transformation data privacy feedback resolution handle time"
).split()


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _timings(fn: Callable[[Any], object], args: Iterable[Any]) -> list[float]:
    """Seconds taken by fn(arg), for each arg."""
    out = []
    for arg in args:
        started = time.perf_counter()
        fn(arg)
        out.append(time.perf_counter() - started)
    return out


def _timed(fn: Callable[[], object], repeats: int) -> list[float]:
    return _timings(lambda _: fn(), range(repeats))


def percentiles(values: Sequence[float]) -> dict[str, float]:
    from evals.metrics import percentile

    return {"p50_ms": ms(percentile(values, 50)), "p95_ms": ms(percentile(values, 95))}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# -- start-up --------------------------------------------------------------------------------


def bench_startup(repeats: int = 5) -> dict[str, Any]:
    """`cx-advisor --help` against a bare `python -c pass`, median wall time."""

    def run(args: list[str]) -> float:
        times = _timed(
            lambda: subprocess.run([sys.executable, *args], capture_output=True, check=True),
            repeats,
        )
        return statistics.median(times)

    help_s = run(["-m", "advisor.cli", "--help"])
    bare_s = run(["-c", "pass"])
    return {
        "help_ms": ms(help_s),
        "bare_python_ms": ms(bare_s),
        "overhead_ms": ms(help_s - bare_s),
    }


# -- ingestion -------------------------------------------------------------------------------


def synthetic_documents(folder: Path, files: int, paragraphs: int, seed: int = 7) -> list[Path]:
    """Markdown files of CX-flavoured sentences, so chunking and embedding do real work."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(files):
        body = "\n\n".join(
            " ".join(
                " ".join(rng.choices(_WORDS, k=rng.randint(8, 16))).capitalize() + "."
                for _ in range(rng.randint(3, 6))
            )
            for _ in range(paragraphs)
        )
        path = folder / f"doc-{i:04d}.md"
        path.write_text(f"# Document {i}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


INGEST_ROUNDS = 3  # ingests and own encodings timed in turn, the best of each kept


def bench_ingest(settings: Settings, embedder: Embedder, files: int = 40) -> dict[str, Any]:
    """Whole pipeline (load, chunk, embed, write) against raw sentence-transformers (torch)
    encoding of the same chunks, and against the configured embedder's own encoding."""
    from advisor.composition import build_ingestor
    from ingest.chunking import chunk_document, embedding_text
    from ingest.loaders import load_document

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = synthetic_documents(root / "docs", files, paragraphs=12)
        texts = []
        for path in paths:
            document = load_document(path, path.read_bytes())
            chunks = chunk_document(
                document,
                chunk_size=settings.chunk_tokens,
                chunk_overlap=settings.chunk_overlap_tokens,
                length_function=embedder.count_tokens,
            )
            texts += [embedding_text(c, document.title) for c in chunks]
        from ingest.embedder import SentenceTransformerEmbedder

        torch_embedder = (
            embedder
            if isinstance(embedder, SentenceTransformerEmbedder)
            else SentenceTransformerEmbedder(settings.embed_model)
        )
        torch_model = torch_embedder.model  # the raw baseline: no wrapper of ours
        encode_s = min(
            _timed(lambda: torch_model.encode(texts, batch_size=settings.embed_batch_size), 2)
        )
        # The whole ingest, each into a new store, and the embedder's own encoding of its
        # chunks, taken in turn so that both meet the machine in the same state (on a
        # shared machine one run of either can differ from the next by a sixth); the best
        # of `INGEST_ROUNDS` of each.
        runs: list[float] = []
        own_runs: list[float] = []
        for n in range(INGEST_ROUNDS):
            own_runs += _timed(lambda: embedder.embed_documents(texts), 1)
            target = settings.model_copy(update={"store_dir": root / f"store-{n}"})
            ingestor = build_ingestor(target, embedder, warm=True)
            started = time.perf_counter()
            report = ingestor.ingest_paths([root / "docs"], "research")
            runs.append(time.perf_counter() - started)
            stored = sum(r.chunks for r in report.results)
        own_encode_s = min(own_runs)
        # Those already timed above are not encoded and timed again.
        timed: dict[str, tuple[Embedder, float]] = {
            "torch": (torch_embedder, encode_s),
            settings.embed_backend: (embedder, own_encode_s),
        }
        backends = compare_backends(settings, texts, timed)
    raw_rate = len(texts) / encode_s
    own_rate = len(texts) / own_encode_s
    pipeline_rate = stored / min(runs)
    return {
        "files": files,
        "chunks": stored,
        "embedder": embedder.name,
        "raw_encode_chunks_per_s": round(raw_rate, 1),
        "embedder_encode_chunks_per_s": round(own_rate, 1),
        "pipeline_chunks_per_s": round(pipeline_rate, 1),
        "pipeline_first_run_chunks_per_s": round(stored / runs[0], 1),
        "ratio": round(pipeline_rate / raw_rate, 3),
        "ratio_to_own_encode": round(pipeline_rate / own_rate, 3),
        "target_ratio": 1.0,  # faster than raw sentence-transformers
        "target_ratio_to_own_encode": 0.9,
        "backends": backends,
        "fastest_with_same_vectors": fastest_same_vectors(backends),
    }


EMBED_BACKENDS = ("torch", "onnx", "onnx-int8")
SAME_VECTORS = 0.999  # least cosine to torch's vector for a backend that gives the same


def compare_backends(
    settings: Settings, texts: list[str], timed: dict[str, tuple[Embedder, float]]
) -> dict[str, dict[str, Any]]:
    """Each embedding backend on the same chunks, in the same run: its encoding rate
    against torch's, how long a question takes to embed, and how close its vectors are
    to torch's (least cosine over the chunks), so the backend is chosen on this machine
    by measurement. `timed`: backends already built and timed on `texts` (torch's among
    them), by name, with their seconds."""
    import numpy as np

    from advisor.composition import build_embedder

    def unit(vectors: list[list[float]]) -> Any:
        array = np.asarray(vectors)
        return array / np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-12)

    torch_embedder, torch_s = timed["torch"]
    reference = unit(torch_embedder.embed_documents(texts))
    figures: dict[str, dict[str, Any]] = {}
    for backend in EMBED_BACKENDS:
        if backend in timed:
            built, seconds = timed[backend]
        else:
            built = build_embedder(settings.model_copy(update={"embed_backend": backend}))
            seconds = min(_timed(partial(built.embed_documents, texts), 2))
        vectors = reference if built is torch_embedder else unit(built.embed_documents(texts))
        least = float((vectors * reference).sum(axis=1).min())
        question = percentiles(_timings(built.embed_query, QUESTIONS * 4))
        figures[backend] = {
            "encode_chunks_per_s": round(len(texts) / seconds, 1),
            "ratio_to_torch": round(torch_s / seconds, 3),
            "question_p50_ms": question["p50_ms"],
            "least_cosine_to_torch": round(least, 5),
            "same_vectors": least >= SAME_VECTORS,
        }
    return figures


def fastest_same_vectors(backends: dict[str, dict[str, Any]]) -> str:
    """The backend that encodes fastest among those giving torch's vectors."""
    same = [b for b, f in backends.items() if f["same_vectors"]]
    return max(same, key=lambda b: backends[b]["encode_chunks_per_s"])


# -- retrieval at scale ----------------------------------------------------------------------


def _fill_store(store: Any, size: int, dim: int, seed: int = 11, per_doc: int = 1000) -> None:
    """`size` synthetic chunks in documents of `per_doc`, every tenth one internal and the
    rest from a handful of publishers, with random unit vectors: dense search cost depends
    on the count, not on what the vectors mean."""
    import math

    from ingest.store import DocumentRecord

    rng = random.Random(seed)
    for d in range(math.ceil(size / per_doc)):
        n = min(per_doc, size - d * per_doc)
        doc_id = f"synthetic-{size}-{seed}-{d:04d}"
        kind = "internal" if d % 10 == 9 else "research"
        publisher = "" if kind == "internal" else f"Publisher {d % 5}"
        vectors = []
        for _ in range(n):
            v = [rng.gauss(0, 1) for _ in range(dim)]
            norm = math.sqrt(sum(x * x for x in v)) or 1.0
            vectors.append([x / norm for x in v])
        texts = [" ".join(rng.choices(_WORDS, k=rng.randint(30, 60))) for _ in range(n)]
        metas = [
            {"doc_id": doc_id, "title": f"Synthetic {d}", "source": f"{doc_id}.md",
             "kind": kind, "publisher": publisher, "chunk_index": i}
            for i in range(n)
        ]  # fmt: skip
        record = DocumentRecord(
            doc_id, f"{doc_id}.md", f"Synthetic {d}", kind, n, time.strftime("%FT%TZ"),
            publisher=publisher,
        )  # fmt: skip
        store.write_document(record, [f"{doc_id}:{i}" for i in range(n)], texts, metas, vectors)


def bench_retrieval(
    settings: Settings, embedder: Embedder, sizes: Sequence[int], queries: int = 24
) -> list[dict[str, Any]]:
    """Hybrid retrieval (query embedding, dense + BM25, fusion) against a raw Chroma query
    with the same query embedding, p50/p95 over `queries` questions per store size.

    Also the first question after a restart, when the BM25 index saved beside the store
    is loaded, against the baseline of the same question when the index is rebuilt from
    the store (as it is without a saved index); the first question with no saved index
    (builds and saves it); and the first after adding a document of 20 chunks (updates
    the saved index)."""
    from advisor.composition import build_bm25_files, build_retriever, build_store
    from advisor.retrieval import HybridRetriever

    rows = []
    asked = [QUESTIONS[i % len(QUESTIONS)] for i in range(queries)]
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            target = settings.model_copy(update={"store_dir": Path(tmp)})
            store = build_store(target, embedder)
            started = time.perf_counter()
            _fill_store(store, size, embedder.dim)
            fill_s = time.perf_counter() - started
            first = partial(_first_question, asked[0])
            saving_s = first(build_retriever(target, store, embedder))
            rebuilt_s = first(HybridRetriever(store=store, embedder=embedder, k=settings.top_k))
            files = build_bm25_files(target)
            load_s = min(_timed(files.load, 3))
            index_bytes = sum(p.stat().st_size for p in files.folder.iterdir())
            retriever = build_retriever(target, build_store(target, embedder), embedder)
            loaded_s = first(retriever)  # a restart: a new store object, no index in memory
            hybrid = _timings(partial(retriever.passages, k=settings.top_k), asked)
            chroma = _timings(_raw_query(store, embedder, settings.top_k), asked)
            _fill_store(retriever.store, 20, embedder.dim, seed=12)  # as the app's upload does
            after_add_s = first(retriever)
            h, c = percentiles(hybrid), percentiles(chroma)
            rows.append(
                {
                    "chunks": size,
                    "fill_s": round(fill_s, 1),
                    "first_query_saved_index_ms": ms(loaded_s),
                    "first_query_rebuilt_index_ms": ms(rebuilt_s),
                    "ratio_first_query": round(loaded_s / rebuilt_s, 4),
                    "first_query_saving_index_ms": ms(saving_s),
                    "index_load_ms": ms(load_s),
                    "index_mb": round(index_bytes / 1e6, 1),
                    "first_after_adding_a_document_ms": ms(after_add_s),
                    "hybrid": h,
                    "raw_chroma": c,
                    "ratio_p50": round(h["p50_ms"] / max(c["p50_ms"], 0.1), 2),
                }
            )
    return rows


def _first_question(question: str, retriever: Any) -> float:
    """Seconds the retriever's first question takes (it finds, loads or builds the
    BM25 index first)."""
    started = time.perf_counter()
    retriever.passages(question)
    return time.perf_counter() - started


def _raw_query(store: Store, embedder: Embedder, k: int) -> Callable[[str], object]:
    """The baseline: embed the question and ask Chroma, nothing else."""

    def query(question: str) -> object:
        return store.raw_query(embedder.embed_query(question), k)

    return query


# -- answering -------------------------------------------------------------------------------


def _ingest_starter_corpus(settings: Settings, embedder: Embedder) -> None:
    """The starter corpus (research and internal) into the store `settings` name."""
    from advisor.composition import build_ingestor

    ingestor = build_ingestor(settings, embedder)
    ingestor.ingest_paths([REPO / "corpus" / "research"], "research")
    ingestor.ingest_paths([REPO / "corpus" / "internal"], "internal")


def bench_ask(settings: Settings, embedder: Embedder, questions: int = 4) -> dict[str, Any]:
    """End-to-end `ask` on the embedded model (starter corpus) against raw llama-cpp-python
    generation of the very same prompts: time to first token, total, tokens/s."""
    from advisor.composition import build_components
    from advisor.llm import EmbeddedLLM
    from advisor.prompts import STOP

    with tempfile.TemporaryDirectory() as tmp:
        target = settings.model_copy(update={"store_dir": Path(tmp), "llm": "embedded"})
        _ingest_starter_corpus(target, embedder)
        parts = build_components(target, embedder)
        advisor, llm = parts.advisor, parts.llm
        if not isinstance(llm, EmbeddedLLM):
            raise RuntimeError("the ask bench measures the embedded model")
        ours: list[dict[str, float]] = []
        raw: list[dict[str, float]] = []
        for question in QUESTIONS[:questions]:
            llm.forget()  # no prompt cache carried over from the previous run
            started = time.perf_counter()
            first = None
            pieces = []
            for event in advisor.stream(question):
                if isinstance(event, str):
                    first = first or time.perf_counter()
                    pieces.append(event)
            total = time.perf_counter() - started
            tokens = llm.count_tokens("".join(pieces))
            ours.append(_gen_figures(started, first, total, tokens))
            prompt = advisor.prompt_for(question)
            if prompt is None:
                continue
            llm.forget()  # the same prompt was just evaluated: start cold, as `ask` did
            started = time.perf_counter()
            first, count = None, 0
            for _part in llm.raw_stream(
                prompt.completion, max_tokens=settings.llm_max_tokens, stop=STOP
            ):
                first = first or time.perf_counter()
                count += 1
            raw.append(_gen_figures(started, first, time.perf_counter() - started, count))
    ask, baseline = _mean(ours), _mean(raw)
    return {
        "questions": questions,
        "ask": ask,
        "raw_llama": baseline,
        "ratio_total": round(ask["total_ms"] / max(baseline["total_ms"], 0.1), 2),
    }


def bench_answers(settings: Settings, embedder: Embedder) -> dict[str, Any]:
    """Answers with the default `none` backend (starter corpus) by a new advisor, as a
    restarted app or a one-off `cx-advisor ask` gives them once loaded: with no sentence
    vectors saved beside the store (the baseline: every ranked sentence is embedded),
    with those the first advisor saved, and asked again by the same advisor (its own
    memory)."""
    from advisor.composition import build_components, forget_sentence_vectors

    with tempfile.TemporaryDirectory() as tmp:
        target = settings.model_copy(update={"store_dir": Path(tmp), "llm": "none"})
        _ingest_starter_corpus(target, embedder)
        forget_sentence_vectors(target)
        runs: dict[str, list[float]] = {}
        stages: dict[str, list[dict[str, float]]] = {}
        for run in ("nothing_saved", "saved", "same_process"):
            if run != "same_process":  # a new advisor: nothing of the last one in memory
                advisor = build_components(target, embedder).advisor
            runs[run], stages[run] = [], []
            for question in QUESTIONS:
                started = time.perf_counter()
                answer = advisor.ask(question)
                runs[run].append(time.perf_counter() - started)
                stages[run].append(answer.timings_ms.model_dump())
    figures = {run: percentiles(times) for run, times in runs.items()}
    return {
        "questions": len(QUESTIONS),
        **figures,
        "stages_p50_ms": {
            run: {stage: round(statistics.median(t[stage] for t in rows), 1) for stage in rows[0]}
            for run, rows in stages.items()
        },
        "ratio_p50": round(
            figures["saved"]["p50_ms"] / max(figures["nothing_saved"]["p50_ms"], 0.1), 2
        ),
    }


def _gen_figures(
    started: float, first: float | None, total: float, tokens: int
) -> dict[str, float]:
    ttft = (first - started) if first else total
    generating = max(total - ttft, 1e-6)
    return {
        "ttft_ms": ms(ttft),
        "total_ms": ms(total),
        "tokens": float(tokens),
        "tokens_per_s": round(tokens / generating, 1) if tokens else 0.0,
    }


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return {"ttft_ms": 0.0, "total_ms": 0.0, "tokens": 0.0, "tokens_per_s": 0.0}
    return {k: round(statistics.mean(r[k] for r in rows), 1) for k in rows[0]}


# -- memory ----------------------------------------------------------------------------------

# Both child scripts read their memory from /proc: ru_maxrss would carry the parent's peak
# across fork and exec.
_PROC_MEMORY = """
import json, sys
from pathlib import Path

def rss(field="VmRSS"):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no " + field)
"""

_APP_MEMORY = (
    _PROC_MEMORY
    + """
stages = [("python", rss())]
import streamlit  # the app's server runs in the same process
stages.append(("streamlit", rss()))
from advisor.composition import build_advisor, build_embedder
from advisor.llm import build_llm
from core.settings import Settings
settings = Settings(store_dir=sys.argv[1], llm="embedded")
embedder = build_embedder(settings)
stages.append(("embedder", rss()))
llm = build_llm(settings)
stages.append(("language model", rss()))
advisor = build_advisor(settings, embedder, llm)
stages.append(("store and retriever", rss()))
for question in json.loads(sys.argv[2]):
    advisor.ask(question)
stages.append(("answering", rss()))
print(json.dumps({"stages": stages, "peak": rss("VmHWM")}))
"""
)

_MODEL_MEMORY = (
    _PROC_MEMORY
    + """
from advisor.llm import build_llm
from advisor.prompts import Prompt
from core.settings import Settings
llm = build_llm(Settings(llm="embedded"))
prompt = Prompt(system="", user="", completion=sys.argv[1], passages=())
llm.complete(prompt, max_tokens=64, stop=[])
print(json.dumps({"peak": rss("VmHWM")}))
"""
)


def bench_memory(settings: Settings, embedder: Embedder, questions: int = 4) -> dict[str, Any]:
    """Peak memory of the app's process with the embedded model (Streamlit imported, the
    embedder, the model, the store and retriever over the starter corpus, then answering
    questions), each stage's growth (what holds the memory), against a process that only
    loads the model and completes one prompt, in the same run. Read from /proc (Linux):
    a child's getrusage peak would include its parent's from before the fork."""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        _ingest_starter_corpus(settings.model_copy(update={"store_dir": Path(tmp)}), embedder)

        def child(script: str, *args: str) -> dict[str, Any]:
            done = subprocess.run(
                [sys.executable, "-c", script, *args],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
            result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
            return result

        app = child(_APP_MEMORY, tmp, json.dumps(QUESTIONS[:questions]))
        model = child(_MODEL_MEMORY, "Question: Who should own customer experience?\nAnswer:")
    stages = app["stages"]
    growth = {
        name: round(value - stages[i - 1][1], 1) for i, (name, value) in enumerate(stages) if i
    }
    return {
        "app_peak_mb": round(app["peak"], 1),
        "model_alone_peak_mb": round(model["peak"], 1),
        "target_mb": 1536,
        "growth_mb": growth,
        "questions": questions,
    }
