"""Run a suite through the advisor's own `ask` and score every answer.

`prepare_store` ingests the suite's corpus into a store of its own (idempotent, so a
rerun only checks hashes); `evaluate` asks every case and returns the `EvalReport`: the
set-up (model, embedder, corpus hash, settings), aggregate metrics with the counts they
were measured over, threshold results, and one record per case with the reasons it
failed.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.positions import OTHER
from advisor.retrieval import about_own_organisation
from advisor.verify import SupportChecker
from core import machine
from evals.judges import LLMJudge, OfflineJudge
from evals.metric_names import METRIC_INFO, Metrics
from evals.metrics import (
    abstention_score,
    citation_validity,
    facts_in_first,
    forbidden_found,
    is_complete_sentence,
    missing_facts,
    percentile,
    ratio,
    retrieval_score,
    sentence_support,
)
from evals.results import (
    CaseResult,
    CategoryCount,
    CitedQuote,
    Counts,
    EvalReport,
    JudgeErrors,
    JudgeSetup,
    RunSettings,
    RunSetup,
    SentenceResult,
    ThresholdCheck,
)
from evals.suite import REPO_ROOT, Case, Suite, SuiteError, corpus_hash
from ingest.evidence import read_with

if TYPE_CHECKING:
    from advisor.answer import Answer
    from advisor.composition import Components
    from advisor.service import Advisor
    from core.settings import Settings
    from ingest.embedder import Embedder

MIN_POSITIONS = 3
CODE_DIRS = ("advisor", "ingest", "evals/runner.py", "evals/metrics.py", "evals/judges.py")


@dataclass(frozen=True)
class PreparedCorpus:
    settings: Settings
    corpus_hash: str
    files: int


def eval_settings(settings: Settings, suite: Suite) -> Settings:
    """The suite's own store: a folder under the store dir and its own collection, so the
    user's library is never mixed with eval documents (embedded or Chroma server)."""
    if not suite.corpus:
        return settings
    slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in suite.name)[:20]
    return settings.model_copy(
        update={
            "store_dir": settings.store_dir / "evals" / slug,
            "collection": f"{settings.collection[:30]}-eval-{slug}",
        }
    )


def prepare_store(
    settings: Settings, suite: Suite, embedder: Embedder | None = None
) -> PreparedCorpus:
    """Ingest the suite's corpus into its store; a file that fails to load is an error."""
    from advisor.composition import build_ingestor
    from ingest.pipeline import expand_paths

    target = eval_settings(settings, suite)
    if not suite.corpus:
        return PreparedCorpus(target, "library", 0)
    files: list[Path] = []
    ingestor = build_ingestor(target, embedder, warm=True)
    for entry in suite.corpus:
        if not entry.path.exists():
            raise SuiteError(f"{suite.path}: corpus path {entry.path} does not exist")
        found, _ = expand_paths([entry.path])
        files.extend(found)
        report = ingestor.ingest_paths([entry.path], entry.kind, prune=True)
        if report.failed:
            first = report.failed[0]
            raise SuiteError(f"{first.path}: {first.reason} (corpus of suite {suite.name})")
    ingestor.keep_only(files)  # documents of a corpus the suite had before (moved, renamed)
    return PreparedCorpus(target, corpus_hash(files), len(files))


def evaluate(
    parts: Components,
    suite: Suite,
    *,
    corpus: str = "",
    corpus_files: int = 0,
    llm_judge: LLMJudge | None = None,
    on_case: Callable[[CaseResult], None] | None = None,
) -> EvalReport:
    """Ask every case of the advisor of `parts` (the composition root's components),
    score it, and return the report."""
    unknown = sorted(set(suite.thresholds) - set(METRIC_INFO))
    if unknown:
        raise SuiteError(f"{suite.path}: unknown threshold metric(s) {', '.join(unknown)}")
    judge = OfflineJudge(SupportChecker(parts.embedder))
    started = time.time()
    results: list[CaseResult] = []
    for case in suite.cases:
        result = score_case(parts.advisor, case, judge, llm_judge, k=parts.settings.top_k)
        results.append(result)
        if on_case:
            on_case(result)
    metrics, counts = aggregate(results, k=parts.settings.top_k)
    return EvalReport(
        meta=run_meta(parts, suite, corpus, corpus_files, started, llm_judge),
        metrics=metrics,
        counts=counts,
        categories=categories(results),
        thresholds=check_thresholds(metrics, suite.thresholds),
        cases=results,
        judge=None
        if llm_judge is None
        else JudgeErrors(errors=llm_judge.errors[:20], error_count=len(llm_judge.errors)),
    )


def score_case(
    advisor: Advisor,
    case: Case,
    judge: OfflineJudge,
    llm_judge: LLMJudge | None = None,
    *,
    k: int,
) -> CaseResult:
    result = CaseResult(
        id=case.id,
        category=case.category,
        question=case.question,
        must_abstain=case.must_abstain,
        expected_sources=list(case.expected_sources),
        facts_total=len(case.key_facts),
        forbidden_total=len(case.forbidden),
    )
    try:
        answer = advisor.ask(case.question, case.history or None, case.filters or None)
    except Exception as err:  # a failed case is reported, the run goes on
        result.error = " ".join(str(err).split())[:300] or type(err).__name__
        result.failures.append(f"error: {result.error}")
        return result
    _fill(result, answer, case, judge, llm_judge, k)
    result.failures = failure_reasons(result)
    return result


def _fill(
    result: CaseResult,
    answer: Answer,
    case: Case,
    judge: OfflineJudge,
    llm_judge: LLMJudge | None,
    k: int,
) -> None:
    result.abstained = answer.abstained
    result.answer = answer.answer
    result.model = answer.model
    result.citations = [
        CitedQuote(n=c.n, title=c.title, source=Path(c.source).name, quote=c.quote)
        for c in answer.citations
    ]
    result.retrieved = [Path(r.source).name for r in answer.retrieved]
    rs = retrieval_score([r.source for r in answer.retrieved], case.expected_sources, k)
    result.hit, result.recall, result.reciprocal_rank = rs.hit, rs.recall, rs.reciprocal_rank
    result.facts_missing = missing_facts(answer.answer, case.key_facts)
    result.forbidden_hits = forbidden_found(answer.answer, case.forbidden)
    validity = citation_validity(answer.answer, len(answer.citations))
    result.markers_valid, result.markers_total = validity.valid, validity.total
    result.draft_sentences = len(answer.sentences)
    result.kept_sentences = sum(1 for s in answer.sentences if s.supported)
    # Each quote as the answer read it: a list item with its lead-in, a row with its headers.
    quotes = {c.n: read_with(c.quote, c.context) for c in answer.citations}
    for sentence in answer.sentences:
        if sentence.supported:
            score_shown(result, sentence.text, sentence.citations, quotes, judge, llm_judge)
        else:
            result.sentences.append(SentenceResult(text=sentence.text, shown=False))
    shown = [s.text for s in answer.sentences if s.supported]
    result.complete_sentences = sum(is_complete_sentence(text) for text in shown)
    if case.key_facts and not case.must_abstain and case.category != "strategy":
        result.first_two = facts_in_first(shown, case.key_facts, 2)
    named = {p.position for p in answer.positions if p.position != OTHER}
    result.positions = len(named)
    cited = {c.n: c.doc_id for c in answer.citations if c.kind == "research"}
    result.position_docs = len(
        {cited[s.citation] for p in answer.positions for s in p.statements if s.citation in cited}
    )
    result.shows_today = any(p.name == "organisation" and p.sentences for p in answer.parts)
    result.timings_ms = answer.timings_ms.model_dump()


def score_shown(
    result: CaseResult,
    text: str,
    cited: Sequence[int],
    quotes: dict[int, str],
    judge: OfflineJudge,
    llm_judge: LLMJudge | None = None,
) -> None:
    """Score one shown sentence against the quotes it cites and add it to the case."""
    scored = sentence_support(text, cited, quotes, judge)
    row = SentenceResult(
        text=text,
        shown=True,
        citations=list(scored.cited),
        supported=scored.supported,
        precise=list(scored.precise),
        reason=scored.reason,
    )
    result.shown_sentences += 1
    result.supported_sentences += int(scored.supported)
    result.citations_total += len(scored.cited) or 1
    result.citations_precise += len(scored.precise)
    if llm_judge is not None and scored.cited:
        row.judge = llm_judge(text, [quotes[n] for n in scored.cited])
        if row.judge is not None:
            result.judge_total += 1
            result.judge_yes += int(row.judge)
    result.sentences.append(row)


def failure_reasons(r: CaseResult) -> list[str]:
    """Why a case failed, in words a reader of the report can act on."""
    reasons: list[str] = []
    if r.must_abstain:
        if not r.abstained:
            reasons.append("answered a question the sources cannot answer")
        return reasons + [f"contains forbidden text '{f}'" for f in r.forbidden_hits]
    if r.abstained:
        reasons.append("refused a question the sources answer")
    if r.category == "strategy" and not r.abstained and not covers_positions(r):
        reasons.append(
            f"positions map too thin: {r.positions} position(s) from {r.position_docs} research "
            f"document(s){'' if status_quo_shown(r) else ', no status quo'}"
        )
    if r.expected_sources and not r.hit:
        got = ", ".join(dict.fromkeys(r.retrieved)) or "nothing"
        reasons.append(
            f"no expected source in the top {len(r.retrieved)} "
            f"(expected {', '.join(r.expected_sources)}; got {got})"
        )
    reasons += [f"missing key fact '{f}'" for f in r.facts_missing]
    reasons += [f"contains forbidden text '{f}'" for f in r.forbidden_hits]
    if r.markers_valid < r.markers_total:
        reasons.append(f"{r.markers_total - r.markers_valid} citation marker(s) out of range")
    for s in r.sentences:
        if s.shown and not s.supported:
            reasons.append(f'unsupported: "{s.text[:120]}" ({s.reason})')
    return reasons


def status_quo_shown(r: CaseResult) -> bool:
    """The organisation today is shown, where the question is about the own organisation."""
    return r.shows_today or not about_own_organisation(r.question)


def covers_positions(r: CaseResult) -> bool:
    """At least three positions from three research documents, and for a question about
    the own organisation its status quo."""
    enough = r.positions >= MIN_POSITIONS and r.position_docs >= MIN_POSITIONS
    return enough and status_quo_shown(r)


def aggregate(results: list[CaseResult], k: int) -> tuple[Metrics, Counts]:
    answerable = [r for r in results if not r.must_abstain and not r.error]
    with_sources = [r for r in answerable if r.expected_sources]
    with_facts = [r for r in answerable if r.facts_total]
    with_forbidden = [r for r in results if r.forbidden_total and not r.error]
    abst = abstention_score([(r.must_abstain, r.abstained) for r in results if not r.error])
    shown = sum(r.shown_sentences for r in results)
    cited = sum(r.citations_total for r in results)
    markers = sum(r.markers_total for r in results)
    drafted = sum(r.draft_sentences for r in results)
    facts = sum(r.facts_total for r in with_facts)
    judged = sum(r.judge_total for r in results)
    first_two = [r for r in answerable if r.first_two is not None]
    strategy = [r for r in results if r.category == "strategy" and not r.error]
    named_absent = [r for r in results if r.category == "named-absent" and not r.error]
    complete = sum(r.complete_sentences for r in results)
    latency = Latency(results)
    metrics = Metrics(
        hit_at_k=ratio(sum(r.hit for r in with_sources), len(with_sources)),
        recall_at_k=ratio(sum(r.recall for r in with_sources), len(with_sources)),
        mrr=ratio(sum(r.reciprocal_rank for r in with_sources), len(with_sources)),
        citation_validity=ratio(sum(r.markers_valid for r in results), markers),
        support_recall=ratio(sum(r.supported_sentences for r in results), shown),
        support_precision=ratio(sum(r.citations_precise for r in results), cited),
        kept_share=ratio(sum(r.kept_sentences for r in results), drafted),
        key_fact_accuracy=ratio(sum(1 for r in with_facts if not r.facts_missing), len(with_facts)),
        key_fact_first_two=ratio(sum(bool(r.first_two) for r in first_two), len(first_two)),
        key_fact_recall=ratio(sum(r.facts_total - len(r.facts_missing) for r in with_facts), facts),
        complete_sentences=ratio(complete, shown),
        positions_covered=ratio(sum(covers_positions(r) for r in strategy), len(strategy)),
        named_absent_refused=ratio(sum(r.abstained for r in named_absent), len(named_absent)),
        forbidden_free=ratio(
            sum(1 for r in with_forbidden if not r.forbidden_hits), len(with_forbidden)
        ),
        abstention_precision=abst.precision,
        abstention_recall=abst.recall,
        pass_rate=ratio(sum(r.passed for r in results), len(results), empty=0.0),
        judge_faithfulness=sum(r.judge_yes for r in results) / judged if judged else None,
        retrieve_p50_ms=latency.of("retrieve", 50),
        retrieve_p95_ms=latency.of("retrieve", 95),
        generate_p50_ms=latency.of("generate", 50),
        generate_p95_ms=latency.of("generate", 95),
        verify_p50_ms=latency.of("verify", 50),
        verify_p95_ms=latency.of("verify", 95),
        total_p50_ms=latency.of("total", 50),
        total_p95_ms=latency.of("total", 95),
    )
    counts = Counts(
        cases=len(results),
        errors=sum(1 for r in results if r.error),
        passed=sum(r.passed for r in results),
        k=k,
        with_sources=len(with_sources),
        with_facts=len(with_facts),
        first_two_cases=len(first_two),
        strategy_cases=len(strategy),
        named_absent_cases=len(named_absent),
        facts=facts,
        with_forbidden=len(with_forbidden),
        must_abstain=abst.expected,
        abstained=abst.abstained,
        markers=markers,
        shown_sentences=shown,
        citations=cited,
        draft_sentences=drafted,
        judged_sentences=judged,
    )
    return metrics, counts


class Latency:
    """Per-stage timings of the cases that have them."""

    def __init__(self, results: list[CaseResult]) -> None:
        self.timed = [r.timings_ms for r in results if r.timings_ms]

    def of(self, stage: str, q: float) -> float:
        """The stage's q-th percentile in ms, to one decimal."""
        return round(percentile([t.get(stage, 0.0) for t in self.timed], q), 1)


def categories(results: list[CaseResult]) -> dict[str, CategoryCount]:
    table: dict[str, CategoryCount] = {}
    for r in results:
        row = table.setdefault(r.category, CategoryCount())
        row.cases += 1
        row.passed += int(r.passed)
    return table


def check_thresholds(metrics: Metrics, thresholds: dict[str, float]) -> dict[str, ThresholdCheck]:
    """Quality metrics must reach their threshold; latency (`*_ms`) must stay under it.
    A metric the run did not measure (e.g. the judge, when not asked for) fails."""
    checked: dict[str, ThresholdCheck] = {}
    for name, target in thresholds.items():
        value = metrics.get(name)
        ok = value is not None and METRIC_INFO[name].met(value, target)
        checked[name] = ThresholdCheck(target=target, value=value, ok=ok)
    return checked


def run_meta(
    parts: Components,
    suite: Suite,
    corpus: str,
    corpus_files: int,
    started: float,
    llm_judge: LLMJudge | None,
) -> RunSetup:
    s = parts.settings
    return RunSetup(
        suite=suite.name,
        suite_file=_relative(suite.path),
        suite_hash=suite.file_hash(),
        cases=len(suite.cases),
        started_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        seconds=round(time.time() - started, 1),
        backend=s.llm,
        model=parts.llm.name,
        base_url=s.llm_base_url if s.llm in ("openai", "ollama") else None,
        embedder=parts.embedder.name,
        embed_dim=parts.embedder.dim,
        corpus_hash=corpus,
        corpus_files=corpus_files,
        settings=RunSettings(
            top_k=s.top_k,
            chunk_tokens=s.chunk_tokens,
            chunk_overlap_tokens=s.chunk_overlap_tokens,
            llm_context=s.llm_context,
            llm_max_tokens=s.llm_max_tokens,
            chroma="server" if s.chroma_host else "embedded",
        ),
        judge=JudgeSetup(base_url=llm_judge.base_url, model=llm_judge.model) if llm_judge else None,
        code_version=_code_version(),
        machine=machine.describe(),
    )


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _code_version() -> str:
    """The git commit when run from a checkout ("-dirty" when the code differs from it),
    else the package version."""
    git = ["git", "-C", str(REPO_ROOT)]
    try:
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "diff", "--quiet", "HEAD", "--", *CODE_DIRS], timeout=5, check=False
        ).returncode
        return f"{commit}-dirty" if changed else commit
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("cx-advisor")
        except PackageNotFoundError:
            return "unknown"
