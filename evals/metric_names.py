"""The eval metrics, named once: every metric is a field of `Metrics`, annotated with its
`MetricInfo` (label in tables and on chart axes, the count it is measured over, which
way is better, whether the metrics table and chart show it). The runner fills them in
this order; reports, comparisons and the Evals page show them in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple

from pydantic import (
    BaseModel,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

STAGES = ("retrieve", "generate", "verify", "total")


@dataclass(frozen=True)
class MetricInfo:
    label: str  # in tables
    short: str  # on chart axes
    counted_in: str  # the `Counts` field it was measured over
    higher_is_better: bool = True  # else it is a maximum (latency)
    shown: bool = True  # in the metrics table and chart (latency has a table of its own)

    def met(self, value: float, target: float) -> bool:
        """A threshold is a minimum where higher is better, else a maximum."""
        return value >= target if self.higher_is_better else value <= target

    @property
    def relation(self) -> str:
        return ">=" if self.higher_is_better else "<="


def _ms(stage: str, q: int) -> MetricInfo:
    return MetricInfo(f"{stage} p{q} ms", f"{stage} p{q}", "cases", False, shown=False)


class StageLatency(NamedTuple):
    stage: str
    p50: float
    p95: float


class Metrics(BaseModel):
    """A run's aggregate metrics, rounded to four places. The ones added after the first
    reports were written, and the judge's (measured only when a judge ran), may be absent:
    None here, and left out of the JSON."""

    hit_at_k: Annotated[float, MetricInfo("hit@k", "hit@k", "with_sources")]
    recall_at_k: Annotated[float, MetricInfo("recall@k", "recall@k", "with_sources")]
    mrr: Annotated[float, MetricInfo("MRR", "MRR", "with_sources")]
    citation_validity: Annotated[
        float, MetricInfo("citation validity", "citations valid", "markers")
    ]
    support_recall: Annotated[
        float, MetricInfo("support recall (ALCE)", "support recall", "shown_sentences")
    ]
    support_precision: Annotated[
        float, MetricInfo("support precision (ALCE)", "support precision", "citations")
    ]
    kept_share: Annotated[
        float, MetricInfo("draft sentences kept", "draft kept", "draft_sentences")
    ]
    key_fact_accuracy: Annotated[float, MetricInfo("key-fact accuracy", "key facts", "with_facts")]
    key_fact_first_two: Annotated[
        float | None,
        MetricInfo("key facts in the first two sentences", "facts first", "first_two_cases"),
    ] = None
    key_fact_recall: Annotated[float, MetricInfo("key-fact recall", "key-fact recall", "facts")]
    complete_sentences: Annotated[
        float | None,
        MetricInfo("shown sentences complete", "complete sentences", "shown_sentences"),
    ] = None
    positions_covered: Annotated[
        float | None,
        MetricInfo("strategy: 3+ positions, 3+ sources, status quo", "positions", "strategy_cases"),
    ] = None
    named_absent_refused: Annotated[
        float | None,
        MetricInfo("named but absent: refused", "named-absent refused", "named_absent_cases"),
    ] = None
    forbidden_free: Annotated[
        float, MetricInfo("free of forbidden text", "no forbidden text", "with_forbidden")
    ]
    abstention_precision: Annotated[
        float, MetricInfo("abstention precision", "refusal precision", "abstained")
    ]
    abstention_recall: Annotated[
        float, MetricInfo("abstention recall", "refusal recall", "must_abstain")
    ]
    pass_rate: Annotated[float, MetricInfo("cases passed", "cases passed", "cases")]
    judge_faithfulness: Annotated[
        float | None, MetricInfo("LLM judge faithfulness", "judge", "judged_sentences")
    ] = None
    retrieve_p50_ms: Annotated[float, _ms("retrieve", 50)]
    retrieve_p95_ms: Annotated[float, _ms("retrieve", 95)]
    generate_p50_ms: Annotated[float, _ms("generate", 50)]
    generate_p95_ms: Annotated[float, _ms("generate", 95)]
    verify_p50_ms: Annotated[float, _ms("verify", 50)]
    verify_p95_ms: Annotated[float, _ms("verify", 95)]
    total_p50_ms: Annotated[float, _ms("total", 50)]
    total_p95_ms: Annotated[float, _ms("total", 95)]

    @field_validator("*")
    @classmethod
    def _four_places(cls, value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    @model_serializer(mode="wrap")
    def _measured_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {name: value for name, value in handler(self).items() if value is not None}

    def get(self, name: str) -> float | None:
        """The metric of this name, None when the run did not measure it."""
        value: float | None = getattr(self, name)
        return value

    def measured(self) -> dict[str, float]:
        """Every measured metric by name, in registry order."""
        return {name: v for name in METRIC_INFO if (v := self.get(name)) is not None}

    def shown(self) -> list[str]:
        """The measured metrics of the metrics table and chart, in display order."""
        return [name for name in self.measured() if METRIC_INFO[name].shown]

    def latency(self) -> list[StageLatency]:
        return [
            StageLatency(stage, getattr(self, f"{stage}_p50_ms"), getattr(self, f"{stage}_p95_ms"))
            for stage in STAGES
        ]


def _registry() -> dict[str, MetricInfo]:
    found = {}
    for name, info in Metrics.model_fields.items():
        [meta] = [m for m in info.metadata if isinstance(m, MetricInfo)]
        found[name] = meta
    return found


METRIC_INFO: dict[str, MetricInfo] = _registry()
METRIC_NAMES: tuple[str, ...] = tuple(METRIC_INFO)
QUALITY_METRICS: tuple[str, ...] = tuple(n for n, m in METRIC_INFO.items() if m.shown)
LATENCY_METRICS: tuple[str, ...] = tuple(n for n, m in METRIC_INFO.items() if not m.shown)
