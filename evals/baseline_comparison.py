"""Compare the advisor with a naive baseline on the same model, in one run.

Baseline: Chroma similarity top-k, the same model, a plain "answer with citations"
prompt, no checking. Both go through the eval runner's scoring and aggregation: the
advisor through `evaluate` (as `cx-advisor eval` does), the baseline's answers scored
into the same case records, each sentence judged against what it cites by the same
offline judge (the advisor's citation checker).

    python -m evals.baseline_comparison [--suite FILE] [--llm embedded|none|openai|ollama]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from advisor.composition import Components
from advisor.passages import Passage
from advisor.prompts import Prompt
from advisor.verify import SupportChecker, parse_citations
from core.settings import Settings
from evals.judges import OfflineJudge
from evals.metric_names import Metrics
from evals.metrics import missing_facts, retrieval_score
from evals.results import CaseResult, Counts
from evals.runner import aggregate, evaluate, failure_reasons, score_shown
from evals.suite import SUITES_DIR, Case, Suite, load

BASELINE_STOP = ["\nQuestion:", "\n\n\n"]


@dataclass
class SystemScore:
    name: str
    hit_rate: float
    supported_share: float
    sentences: int
    key_facts: float
    abstention_correct: float
    seconds: float

    @classmethod
    def of(
        cls, name: str, metrics: Metrics, counts: Counts, cases: list[CaseResult]
    ) -> SystemScore:
        """From the runner's aggregate: hit@k, support recall (0 when nothing was said),
        key-fact accuracy, abstention recall, and the answers' total time."""
        return cls(
            name=name,
            hit_rate=metrics.hit_at_k,
            supported_share=metrics.support_recall if counts.shown_sentences else 0.0,
            sentences=counts.shown_sentences,
            key_facts=metrics.key_fact_accuracy,
            abstention_correct=metrics.abstention_recall,
            seconds=sum(c.timings_ms.get("total", 0.0) for c in cases) / 1000,
        )


@dataclass(frozen=True)
class AnswerPair:
    question: str
    advisor_answer: str
    baseline_answer: str


def baseline_answer(parts: Components, question: str) -> tuple[str, list[Passage]]:
    """Similarity top-k, plain prompt, same model."""
    hits = parts.store.query(parts.embedder.embed_query(question), parts.settings.top_k)
    passages = [Passage.from_chunk(h.chunk_id, h.text, h.metadata, 1 - h.distance) for h in hits]
    if not parts.llm.generates:
        return "", passages
    excerpts = "".join(f"[{i}] {p.text}\n" for i, p in enumerate(passages, start=1))
    text = (
        "Answer the question using the passages below, with citations like [1].\n\n"
        f"Passages:\n{excerpts}\nQuestion: {question}\nAnswer:"
    )
    prompt = Prompt(system="", user=text, completion=text, passages=tuple(passages))
    draft = parts.llm.complete(prompt, max_tokens=parts.settings.llm_max_tokens, stop=BASELINE_STOP)
    return draft, passages


def score_baseline(parts: Components, case: Case, judge: OfflineJudge) -> CaseResult:
    """The baseline's answer to a case, scored as the runner scores the advisor's: every
    sentence of the draft is shown, and judged against the passages it cites."""
    from ingest.sentences import split_sentences

    started = time.perf_counter()
    draft, passages = baseline_answer(parts, case.question)
    result = CaseResult(
        id=case.id,
        category=case.category,
        question=case.question,
        must_abstain=case.must_abstain,
        answer=draft,
        retrieved=[Path(p.source).name for p in passages],
        expected_sources=list(case.expected_sources),
        facts_total=len(case.key_facts),
        forbidden_total=len(case.forbidden),
        timings_ms={"total": (time.perf_counter() - started) * 1000},
    )
    rs = retrieval_score([p.source for p in passages], case.expected_sources, parts.settings.top_k)
    result.hit, result.recall, result.reciprocal_rank = rs.hit, rs.recall, rs.reciprocal_rank
    result.facts_missing = missing_facts(draft, case.key_facts)
    quotes = {n: p.text for n, p in enumerate(passages, start=1)}
    for text, cited in (parse_citations(s) for s in split_sentences(draft)):
        if text:
            score_shown(result, text, cited, quotes, judge)
    result.draft_sentences = result.kept_sentences = result.shown_sentences
    result.failures = failure_reasons(result)
    return result


def run(parts: Components, suite: Suite) -> tuple[SystemScore, SystemScore, list[AnswerPair]]:
    """Both systems on every case of the suite, scored and aggregated the same way."""
    report = evaluate(parts, suite)
    judge = OfflineJudge(SupportChecker(parts.embedder))
    baseline = [score_baseline(parts, case, judge) for case in suite.cases]
    metrics, counts = aggregate(baseline, k=parts.settings.top_k)
    pairs = [
        AnswerPair(ours.question, ours.answer, theirs.answer)
        for ours, theirs in zip(report.cases, baseline)
    ]
    return (
        SystemScore.of("advisor", report.metrics, report.counts, report.cases),
        SystemScore.of("baseline", metrics, counts, baseline),
        pairs,
    )


def format_table(advisor: SystemScore, baseline: SystemScore) -> str:
    header = (
        f"{'system':<10} {'hit rate':>9} {'supported':>10} {'sentences':>10} "
        f"{'key facts':>10} {'abstains':>9} {'seconds':>8}"
    )
    lines = [header, "-" * len(header)]
    for s in (advisor, baseline):
        lines.append(
            f"{s.name:<10} {s.hit_rate:>9.2f} {s.supported_share:>10.2f} {s.sentences:>10d} "
            f"{s.key_facts:>10.2f} {s.abstention_correct:>9.2f} {s.seconds:>8.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suite", type=Path, default=SUITES_DIR / "baseline-comparison.yaml")
    parser.add_argument("--llm", default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the scores here")
    args = parser.parse_args(argv)
    from advisor.composition import build_components

    settings = Settings()
    if args.llm:
        settings = settings.model_copy(update={"llm": args.llm})
    parts = build_components(settings)
    advisor_score, baseline_score, rows = run(parts, load(args.suite))
    print(f"model: {parts.llm.name}, {len(rows)} questions from {args.suite.name}")
    print(format_table(advisor_score, baseline_score))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "advisor": asdict(advisor_score),
                    "baseline": asdict(baseline_score),
                    "cases": [asdict(row) for row in rows],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
