"""The eval report as typed data: one `CaseResult` per case, the run's set-up, metrics
(`evals.metric_names.Metrics`), counts, thresholds and, against an older run, the
comparison. Written with `model_dump_json`, read back with `model_validate_json`; the
JSON keys are those the reports on disk already have."""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    SerializerFunctionWrapHandler,
    computed_field,
    model_serializer,
)

from evals.metric_names import METRIC_INFO, Metrics


class CitedQuote(BaseModel):
    n: int
    title: str
    source: str  # the file name
    quote: str


class SentenceResult(BaseModel):
    """One sentence of an answer. A hidden one has only its text; a shown one is scored,
    and judged when an LLM judge ran (None: the judge gave no verdict). Only the fields
    given are written."""

    text: str
    shown: bool
    citations: list[int] = []
    supported: bool = False
    precise: list[int] = []
    reason: str = ""
    judge: bool | None = None

    @model_serializer(mode="wrap")
    def _given_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if k in self.model_fields_set}


class CaseResult(BaseModel):
    id: str
    category: str
    question: str
    must_abstain: bool
    abstained: bool = False
    answer: str = ""
    model: str = ""
    citations: list[CitedQuote] = []
    sentences: list[SentenceResult] = []
    retrieved: list[str] = []
    expected_sources: list[str] = []
    hit: bool = False
    recall: float = 0.0
    reciprocal_rank: float = 0.0
    facts_total: int = 0
    facts_missing: list[str] = []
    forbidden_total: int = 0
    forbidden_hits: list[str] = []
    markers_valid: int = 0
    markers_total: int = 0
    shown_sentences: int = 0
    supported_sentences: int = 0
    citations_total: int = 0
    citations_precise: int = 0
    draft_sentences: int = 0
    kept_sentences: int = 0
    judge_yes: int = 0
    judge_total: int = 0
    first_two: bool | None = None  # key facts in the first two shown sentences
    complete_sentences: int = 0
    positions: int = 0  # distinct positions shown (strategy cases)
    position_docs: int = 0  # distinct research documents behind them
    shows_today: bool = False  # the organisation's status quo is shown
    timings_ms: dict[str, float] = {}
    error: str = ""
    failures: list[str] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return not self.failures


class RunSettings(BaseModel):
    """The settings that shape answers."""

    top_k: int
    chunk_tokens: int
    chunk_overlap_tokens: int
    llm_context: int
    llm_max_tokens: int
    chroma: str  # embedded | server


class JudgeSetup(BaseModel):
    base_url: str
    model: str


class RunSetup(BaseModel):
    """What a run was made with: enough to tell two runs apart (`meta` in the JSON)."""

    suite: str
    suite_file: str = ""
    suite_hash: str = ""
    cases: int
    started_at: str
    seconds: float
    backend: str
    model: str
    base_url: str | None = None
    embedder: str
    embed_dim: int | None = None
    corpus_hash: str
    corpus_files: int | None = None
    settings: RunSettings
    judge: JudgeSetup | None = None
    code_version: str = ""
    machine: str = ""


class Counts(BaseModel):
    """What the metrics were measured over."""

    cases: int
    errors: int
    passed: int
    k: int
    with_sources: int
    with_facts: int
    first_two_cases: int = 0
    strategy_cases: int = 0
    named_absent_cases: int = 0
    facts: int
    with_forbidden: int
    must_abstain: int
    abstained: int
    markers: int
    shown_sentences: int
    citations: int
    draft_sentences: int
    judged_sentences: int

    def over(self, metric: str) -> int:
        """The count a metric was measured over."""
        count: int = getattr(self, METRIC_INFO[metric].counted_in)
        return count


class CategoryCount(BaseModel):
    cases: int = 0
    passed: int = 0


class ThresholdCheck(BaseModel):
    target: float
    value: float | None  # None: the run did not measure it, which fails
    ok: bool


class JudgeErrors(BaseModel):
    errors: list[str]
    error_count: int


class MetricDelta(BaseModel):
    metric: str
    old: float | None
    new: float | None
    delta: float | None


class Change(BaseModel):
    old: Any
    new: Any


class Comparison(BaseModel):
    """A run against an older one: metric deltas (new - old), what differs in the set-up,
    and the cases that flipped."""

    old_started_at: str | None
    metrics: list[MetricDelta]
    changed: dict[str, Change]
    now_failing: list[str]
    now_passing: list[str]


class EvalReport(BaseModel):
    meta: RunSetup
    metrics: Metrics
    counts: Counts
    categories: dict[str, CategoryCount] = {}
    thresholds: dict[str, ThresholdCheck] = {}
    cases: list[CaseResult] = []
    judge: JudgeErrors | None = None  # only when an LLM judge ran
    compare: Comparison | None = None  # only when compared with an older run

    @model_serializer(mode="wrap")
    def _without_absent_parts(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None or k not in ("judge", "compare")}

    @property
    def stem(self) -> str:
        """The report files' name: <suite>-<backend>."""
        return f"{self.meta.suite}-{self.meta.backend}"

    @property
    def failing(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]

    @property
    def missed(self) -> list[str]:
        """The metrics whose threshold the run missed."""
        return [name for name, t in self.thresholds.items() if not t.ok]

    def missed_lines(self) -> list[str]:
        """Each missed threshold in words: `name = value (needs >= target)`."""
        return [
            f"{name} = {self.thresholds[name].value} "
            f"(needs {METRIC_INFO[name].relation} {self.thresholds[name].target})"
            for name in self.missed
        ]
