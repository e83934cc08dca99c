"""The eval metrics by name, once: what each is called in tables and on charts, and
the count it is measured over. The runner computes them in this order; reports show
them in it."""

from __future__ import annotations

from typing import NamedTuple


class MetricInfo(NamedTuple):
    label: str  # in tables
    short: str  # on chart axes
    counted_in: str  # the `counts` entry it was measured over


METRIC_INFO = {
    "hit_at_k": MetricInfo("hit@k", "hit@k", "with_sources"),
    "recall_at_k": MetricInfo("recall@k", "recall@k", "with_sources"),
    "mrr": MetricInfo("MRR", "MRR", "with_sources"),
    "citation_validity": MetricInfo("citation validity", "citations valid", "markers"),
    "support_recall": MetricInfo("support recall (ALCE)", "support recall", "shown_sentences"),
    "support_precision": MetricInfo("support precision (ALCE)", "support precision", "citations"),
    "kept_share": MetricInfo("draft sentences kept", "draft kept", "draft_sentences"),
    "key_fact_accuracy": MetricInfo("key-fact accuracy", "key facts", "with_facts"),
    "key_fact_first_two": MetricInfo(
        "key facts in the first two sentences", "facts first", "first_two_cases"
    ),
    "key_fact_recall": MetricInfo("key-fact recall", "key-fact recall", "facts"),
    "complete_sentences": MetricInfo(
        "shown sentences complete", "complete sentences", "shown_sentences"
    ),
    "positions_covered": MetricInfo(
        "strategy: 3+ positions, 3+ sources, status quo", "positions", "strategy_cases"
    ),
    "named_absent_refused": MetricInfo(
        "named but absent: refused", "named-absent refused", "named_absent_cases"
    ),
    "forbidden_free": MetricInfo("free of forbidden text", "no forbidden text", "with_forbidden"),
    "abstention_precision": MetricInfo("abstention precision", "refusal precision", "abstained"),
    "abstention_recall": MetricInfo("abstention recall", "refusal recall", "must_abstain"),
    "pass_rate": MetricInfo("cases passed", "cases passed", "cases"),
    "judge_faithfulness": MetricInfo("LLM judge faithfulness", "judge", "judged_sentences"),
}

# Higher is better for these; latency metrics (`*_ms`) are maxima. The judge's is reported
# only when a judge ran.
QUALITY_METRICS: tuple[str, ...] = tuple(m for m in METRIC_INFO if m != "judge_faithfulness")
