"""Compare the advisor with a naive baseline on the same model, in one run.

Baseline: Chroma similarity top-k, the same model, a plain "answer with citations"
prompt, no checking. Both are scored the same way: retrieval hit rate against the
expected sources, and the share of answer sentences that their cited passage supports
(the advisor's citation checker is the judge for both).

    python -m evals.baseline_comparison [--suite FILE] [--llm embedded|none|openai|ollama]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from advisor.answer import Citation
from advisor.passages import Passage
from advisor.prompts import Prompt
from advisor.service import Advisor
from advisor.verify import SupportChecker, parse_citations, statement_problem
from core.settings import Settings
from evals.metrics import missing_facts, retrieval_score
from evals.suite import SUITES_DIR, Case, load_suite

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


def baseline_answer(advisor: Advisor, question: str) -> tuple[str, list[Passage]]:
    """Similarity top-k, plain prompt, same model."""
    hits = advisor.store.query(advisor.embedder.embed_query(question), advisor.settings.top_k)
    passages = [Passage.from_chunk(h.chunk_id, h.text, h.metadata, 1 - h.distance) for h in hits]
    if not advisor.llm.generates:
        return "", passages
    excerpts = "".join(f"[{i}] {p.text}\n" for i, p in enumerate(passages, start=1))
    text = (
        "Answer the question using the passages below, with citations like [1].\n\n"
        f"Passages:\n{excerpts}\nQuestion: {question}\nAnswer:"
    )
    prompt = Prompt(system="", user=text, completion=text, passages=tuple(passages))
    draft = advisor.llm.complete(
        prompt, max_tokens=advisor.settings.llm_max_tokens, stop=BASELINE_STOP
    )
    return draft, passages


def cited_support(checker: SupportChecker, draft: str, passages: list[Passage]) -> tuple[int, int]:
    """(supported, total) sentences, each judged against the passages it cites, as cited."""
    from ingest.sentences import split_sentences

    sentences = [parse_citations(s) for s in split_sentences(draft)]
    sentences = [(t, c) for t, c in sentences if t]
    if not sentences:
        return 0, 0
    table = checker.score([t for t, _ in sentences], passages)
    supported = 0
    for (text, cited), row in zip(sentences, table):
        valid = [n - 1 for n in cited if 1 <= n <= len(passages)]
        if not statement_problem(text) and any(row[j].supported for j in valid):
            supported += 1
    return supported, len(sentences)


def advisor_support(
    checker: SupportChecker, answer_sentences: list[tuple[str, Passage]]
) -> tuple[int, int]:
    """The same judge applied to each shown sentence and the passage it cites."""
    if not answer_sentences:
        return 0, 0
    table = checker.score([t for t, _ in answer_sentences], [p for _, p in answer_sentences])
    ok = sum(1 for i, _ in enumerate(answer_sentences) if table[i][i].supported)
    return ok, len(answer_sentences)


def run(
    advisor: Advisor, cases: list[Case]
) -> tuple[SystemScore, SystemScore, list[dict[str, object]]]:
    checker = advisor.checker
    rows: list[dict[str, object]] = []
    totals = {
        name: {"hits": 0, "answerable": 0, "ok": 0, "sent": 0, "facts": 0, "abst": 0, "t": 0.0}
        for name in ("advisor", "baseline")
    }
    for case in cases:
        started = time.perf_counter()
        answer = advisor.ask(case.question, case.history or None, case.filters or None)
        advisor_seconds = time.perf_counter() - started
        started = time.perf_counter()
        draft, base_passages = baseline_answer(advisor, case.question)
        baseline_seconds = time.perf_counter() - started

        shown = [
            (sentence.text, _as_passage(answer.citations[sentence.citations[0] - 1]))
            for sentence in answer.sentences
            if sentence.supported and sentence.citations
        ]
        a_ok, a_n = advisor_support(checker, shown)
        b_ok, b_n = cited_support(checker, draft, base_passages)

        results = {
            "advisor": (
                _hit([r.source for r in answer.retrieved], case.expected_sources),
                a_ok,
                a_n,
                not missing_facts(answer.answer, case.key_facts),
                answer.abstained,
                advisor_seconds,
            ),
            "baseline": (
                _hit([p.source for p in base_passages], case.expected_sources),
                b_ok,
                b_n,
                not missing_facts(draft, case.key_facts),
                False,
                baseline_seconds,
            ),
        }
        for name, (hit, ok, n, facts, abstained, seconds) in results.items():
            t = totals[name]
            t["t"] += seconds
            if case.must_abstain:
                t["abst"] += int(abstained)
                continue
            t["answerable"] += 1
            t["hits"] += int(hit)
            t["ok"] += ok
            t["sent"] += n
            t["facts"] += int(facts)
        rows.append(
            {"question": case.question, "advisor_answer": answer.answer, "baseline_answer": draft}
        )

    n_abstain = sum(1 for c in cases if c.must_abstain)

    def score(name: str) -> SystemScore:
        t = totals[name]
        return SystemScore(
            name=name,
            hit_rate=t["hits"] / max(t["answerable"], 1),
            supported_share=t["ok"] / t["sent"] if t["sent"] else 0.0,
            sentences=int(t["sent"]),
            key_facts=t["facts"] / max(t["answerable"], 1),
            abstention_correct=t["abst"] / n_abstain if n_abstain else 1.0,
            seconds=t["t"],
        )

    return score("advisor"), score("baseline"), rows


def _hit(sources: list[str], expected: list[str]) -> bool:
    """Any expected file among everything retrieved (none expected: no hit to count)."""
    return bool(expected) and retrieval_score(sources, expected, k=len(sources)).hit


def _as_passage(citation: Citation) -> Passage:
    """The cited quote as a passage, so the judge sees exactly what is cited."""
    return Passage(
        f"{citation.doc_id}:quote",
        citation.doc_id,
        citation.quote,
        citation.title,
        citation.source,
        citation.kind,
        1.0,
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
    from advisor.composition import build_advisor

    settings = Settings()
    if args.llm:
        settings = settings.model_copy(update={"llm": args.llm})
    advisor = build_advisor(settings)
    advisor_score, baseline_score, rows = run(advisor, load_suite(args.suite))
    print(f"model: {advisor.llm.name}, {len(rows)} questions from {args.suite.name}")
    print(format_table(advisor_score, baseline_score))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "advisor": asdict(advisor_score),
                    "baseline": asdict(baseline_score),
                    "cases": rows,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
