"""Eval metrics on hand-made cases with known answers; no model, no store."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest

from evals.metric_names import (
    LATENCY_METRICS,
    METRIC_INFO,
    METRIC_NAMES,
    QUALITY_METRICS,
    STAGES,
)
from evals.metrics import (
    abstention_score,
    citation_validity,
    forbidden_found,
    missing_facts,
    percentile,
    retrieval_score,
    sentence_support,
)
from evals.report import (
    bar_chart_svg,
    compare,
    load_report,
    render_html,
    render_markdown,
    write_reports,
)
from evals.results import (
    CaseResult,
    CategoryCount,
    CitedQuote,
    Counts,
    EvalReport,
    RunSettings,
    RunSetup,
    SentenceResult,
)
from evals.runner import aggregate, check_thresholds, failure_reasons
from evals.suite import SuiteError, load


def keyword_judge(sentence: str, texts: Sequence[str]) -> bool:
    """Supported when every upper-case word of the sentence is in the cited texts."""
    joined = " ".join(texts)
    return all(w in joined for w in sentence.split() if w.isupper())


# --- retrieval -------------------------------------------------------------------------


def test_retrieval_hit_recall_and_reciprocal_rank() -> None:
    sources = ["/c/a.md", "/c/b.md", "/c/a.md", "/c/x.pdf", "/c/y.md"]
    score = retrieval_score(sources, ["x.pdf", "z.md"], k=6)
    assert score.hit is True
    assert score.recall == 0.5
    assert score.reciprocal_rank == 0.25


def test_retrieval_counts_only_the_top_k() -> None:
    sources = ["a.md", "b.md", "x.pdf"]
    assert retrieval_score(sources, ["x.pdf"], k=2).hit is False
    assert retrieval_score(sources, ["x.pdf"], k=2).reciprocal_rank == 0.0
    assert retrieval_score(sources, ["a.md"], k=2).reciprocal_rank == 1.0


def test_retrieval_with_nothing_expected_or_nothing_retrieved() -> None:
    assert retrieval_score([], [], k=6).hit is True
    empty = retrieval_score([], ["a.md"], k=6)
    assert (empty.hit, empty.recall, empty.reciprocal_rank) == (False, 0.0, 0.0)


# --- key facts and forbidden text ------------------------------------------------------


def test_key_facts_accept_any_variant_and_fold_the_unicode_minus() -> None:
    answer = "The call centre NPS is -12 and 64% lack a sponsor."
    assert missing_facts(answer, [["−12", "minus 12"], ["64%", "64 percent"]]) == []
    assert missing_facts(answer, [["5,000", "5000"], ["64%"]]) == ["5,000"]
    assert missing_facts("", [["64%"]]) == ["64%"]
    assert missing_facts("", []) == []


def test_forbidden_text_is_found_case_insensitively() -> None:
    answer = "Per the memo, the CFO Should Own customer experience."
    assert forbidden_found(answer, ["CFO should own", "Gartner"]) == ["CFO should own"]
    assert forbidden_found("", ["x"]) == []


# --- citation validity -----------------------------------------------------------------


def test_citation_markers_in_and_out_of_range() -> None:
    validity = citation_validity("A [1]. B [2, 5]. C [3;1].", n_citations=3)
    assert (validity.valid, validity.total) == (4, 5)
    assert validity.out_of_range == (5,)
    none = citation_validity("No markers at all.", n_citations=0)
    assert (none.valid, none.total, none.out_of_range) == (0, 0, ())


# --- ALCE-style support ----------------------------------------------------------------


def test_single_supporting_citation_is_recall_and_precision() -> None:
    s = sentence_support("CMO owns CX", [1], {1: "the CMO owns CX"}, keyword_judge)
    assert s.supported and s.precise == (1,)


def test_irrelevant_extra_citation_costs_precision_not_recall() -> None:
    quotes = {1: "the CMO owns CX", 2: "weather report"}
    s = sentence_support("CMO owns CX", [1, 2], quotes, keyword_judge)
    assert s.supported
    assert s.precise == (1,)


def test_citations_needed_together_are_both_precise() -> None:
    quotes = {1: "the CMO leads", 2: "CX budgets"}
    s = sentence_support("CMO owns CX", [1, 2], quotes, keyword_judge)
    assert s.supported and s.precise == (1, 2)


def test_unsupported_and_invalid_citations() -> None:
    quotes = {1: "the CIO owns IT"}
    wrong = sentence_support("CMO owns CX", [1], quotes, keyword_judge)
    assert not wrong.supported and wrong.precise == ()
    invalid = sentence_support("CMO owns CX", [4], quotes, keyword_judge)
    assert not invalid.supported and invalid.reason == "no valid citation"
    uncited = sentence_support("CMO owns CX", [], quotes, keyword_judge)
    assert not uncited.supported


# --- abstention and latency ------------------------------------------------------------


def test_abstention_precision_and_recall() -> None:
    outcomes = [(True, True), (True, False), (False, True), (False, False)]
    score = abstention_score(outcomes)
    assert (score.precision, score.recall) == (0.5, 0.5)
    assert (score.abstained, score.expected, score.correct) == (2, 2, 1)


def test_abstention_without_refusals_or_without_must_abstain_cases_is_not_nan() -> None:
    nothing = abstention_score([])
    assert (nothing.precision, nothing.recall) == (1.0, 1.0)
    missed = abstention_score([(True, False)])
    assert (missed.precision, missed.recall) == (1.0, 0.0)
    wrong = abstention_score([(False, True)])
    assert (wrong.precision, wrong.recall) == (0.0, 1.0)


def test_percentiles() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([7.0], 95) == 7.0
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([1.0, math.nan, 3.0], 50) == 2.0


# --- aggregation -----------------------------------------------------------------------


def _case(**fields: object) -> CaseResult:
    base: dict[str, object] = {
        "id": "c",
        "category": "fact",
        "question": "q?",
        "must_abstain": False,
    }
    result = CaseResult(**(base | fields))  # type: ignore[arg-type]
    result.failures = failure_reasons(result)
    return result


def _finite(metrics: dict[str, float]) -> bool:
    return all(isinstance(v, float | int) and math.isfinite(v) for v in metrics.values())


def test_aggregate_of_no_cases_is_finite() -> None:
    metrics, counts = aggregate([], k=6)
    assert _finite(metrics.measured())
    # every metric but the judge's (no judge ran) is measured, each over a known count
    assert set(metrics.measured()) == set(METRIC_NAMES) - {"judge_faithfulness"}
    assert all(METRIC_INFO[m].counted_in in Counts.model_fields for m in METRIC_NAMES)
    assert counts.cases == 0 and metrics.pass_rate == 0.0


def test_the_registry_names_each_metric_once_with_its_direction() -> None:
    assert QUALITY_METRICS[0] == "hit_at_k" and "judge_faithfulness" in QUALITY_METRICS
    assert set(LATENCY_METRICS) == {f"{s}_{q}_ms" for s in STAGES for q in ("p50", "p95")}
    assert not set(QUALITY_METRICS) & set(LATENCY_METRICS)
    assert METRIC_INFO["hit_at_k"].met(0.9, 0.9) and not METRIC_INFO["hit_at_k"].met(0.8, 0.9)
    assert METRIC_INFO["total_p95_ms"].met(900.0, 1000) and not METRIC_INFO["mrr"].met(0.5, 1)


def test_aggregate_with_only_abstentions_and_empty_answers_is_finite() -> None:
    results = [
        _case(id="a", must_abstain=True, abstained=True, category="abstain"),
        _case(id="b", must_abstain=True, abstained=False, answer="", category="abstain"),
        _case(id="c", error="server went away"),
    ]
    results[2].failures = ["error: server went away"]
    metrics, counts = aggregate(results, k=6)
    assert _finite(metrics.measured())
    assert metrics.abstention_recall == 0.5
    assert metrics.abstention_precision == 1.0
    assert metrics.support_recall == 1.0 and counts.shown_sentences == 0
    assert metrics.pass_rate == pytest.approx(1 / 3, abs=1e-4)
    assert counts.errors == 1


def test_aggregate_known_values() -> None:
    good = _case(
        id="good",
        expected_sources=["a.md"],
        retrieved=["a.md", "b.md"],
        hit=True,
        recall=1.0,
        reciprocal_rank=1.0,
        facts_total=2,
        markers_valid=2,
        markers_total=2,
        shown_sentences=2,
        supported_sentences=2,
        citations_total=3,
        citations_precise=2,
        draft_sentences=3,
        kept_sentences=2,
        timings_ms={"retrieve": 10.0, "generate": 100.0, "verify": 5.0, "total": 120.0},
    )
    bad = _case(
        id="bad",
        expected_sources=["x.md", "y.md"],
        retrieved=["b.md"],
        facts_total=1,
        facts_missing=["64%"],
        markers_valid=1,
        markers_total=2,
        shown_sentences=1,
        supported_sentences=0,
        citations_total=1,
        draft_sentences=1,
        kept_sentences=1,
        sentences=[{"text": "Wrong claim.", "shown": True, "supported": False, "reason": "r"}],
        timings_ms={"retrieve": 30.0, "generate": 300.0, "verify": 15.0, "total": 360.0},
    )
    bad.failures = failure_reasons(bad)
    metrics, _ = aggregate([good, bad], k=6)
    assert metrics.hit_at_k == 0.5 and metrics.mrr == 0.5
    assert metrics.citation_validity == 0.75
    assert metrics.support_recall == 0.6667  # rounded to four places
    assert metrics.support_precision == 0.5
    assert metrics.kept_share == 0.75
    assert metrics.key_fact_accuracy == 0.5
    assert metrics.key_fact_recall == 0.6667
    assert metrics.total_p50_ms == 240.0
    assert metrics.pass_rate == 0.5
    assert metrics.judge_faithfulness is None
    assert "judge_faithfulness" not in json.loads(metrics.model_dump_json())
    assert any("no expected source" in r for r in bad.failures)
    assert "missing key fact '64%'" in bad.failures
    assert any(r.startswith("unsupported:") for r in bad.failures)
    assert "1 citation marker(s) out of range" in bad.failures


def test_failure_reasons_for_refusals() -> None:
    assert _case(abstained=True).failures == ["refused a question the sources answer"]
    assert _case(must_abstain=True).failures == ["answered a question the sources cannot answer"]
    assert _case(must_abstain=True, abstained=True).failures == []


def test_thresholds_minimum_for_quality_maximum_for_latency() -> None:
    report = _report(1.0, failing=False)
    metrics = report.metrics.model_copy(update={"hit_at_k": 0.8, "total_p95_ms": 900.0})
    checked = check_thresholds(
        metrics, {"hit_at_k": 0.9, "total_p95_ms": 1000, "judge_faithfulness": 0.5}
    )
    assert checked["hit_at_k"].ok is False
    assert checked["total_p95_ms"].ok is True
    assert checked["judge_faithfulness"].ok is False  # not measured
    missed = report.model_copy(update={"thresholds": checked})
    assert missed.missed == ["hit_at_k", "judge_faithfulness"]
    assert missed.missed_lines()[0] == "hit_at_k = 0.8 (needs >= 0.9)"


# --- reports ---------------------------------------------------------------------------


def _report(pass_rate: float, failing: bool, answer: str = "") -> EvalReport:
    results = [_case(id="ok"), _case(id="flip", abstained=failing, answer=answer)]
    metrics, counts = aggregate(results, k=6)
    metrics.pass_rate = pass_rate
    return EvalReport(
        meta=RunSetup(
            suite="demo",
            cases=2,
            suite_hash="abc",
            backend="none",
            model="none (extractive brief)",
            embedder="e",
            embed_dim=4,
            corpus_hash="h1",
            corpus_files=1,
            settings=RunSettings(
                top_k=6,
                chunk_tokens=200,
                chunk_overlap_tokens=32,
                llm_context=8192,
                llm_max_tokens=256,
                chroma="embedded",
            ),
            code_version="x",
            machine="m",
            started_at="2026-01-01T00:00:00Z",
            seconds=1.0,
        ),
        metrics=metrics,
        counts=counts,
        categories={"fact": CategoryCount(cases=2, passed=1 if failing else 2)},
        thresholds=check_thresholds(metrics, {"pass_rate": 0.9}),
        cases=results,
    )


def test_compare_reports_deltas_and_flipped_cases() -> None:
    old, new = _report(1.0, failing=False), _report(0.5, failing=True)
    cmp = compare(old, new)
    row = next(r for r in cmp.metrics if r.metric == "pass_rate")
    assert row.delta == -0.5
    assert cmp.now_failing == ["flip"] and cmp.now_passing == []
    assert cmp.changed == {}
    other = old.model_copy(update={"meta": old.meta.model_copy(update={"model": "older"})})
    assert compare(other, new).changed["model"].old == "older"


def test_markdown_html_and_svg_reports(tmp_path: Path) -> None:
    old, new = _report(1.0, failing=False), _report(0.5, failing=True)
    paths = write_reports(new, tmp_path, old)
    assert [p.name for p in paths] == [
        "demo-none.json",
        "demo-none.md",
        "demo-none.html",
        "demo-none.svg",
    ]
    data = json.loads(paths[0].read_text())
    assert data["compare"]["now_failing"] == ["flip"]
    assert "judge" not in data and data["cases"][1]["passed"] is False
    again = load_report(paths[0])
    assert again == new.model_copy(update={"compare": again.compare})
    assert again.compare is not None and again.compare.now_failing == ["flip"]
    markdown = paths[1].read_text()
    assert "## Failing cases (1)" in markdown
    assert "refused a question the sources answer" in markdown
    assert "![metrics](demo-none.svg)" in markdown
    assert "pass_rate | 1.0 | 0.5 | -0.5" in markdown
    ET.fromstring(bar_chart_svg(new.metrics))
    assert "<details>" in render_html(new) and "flip" in render_markdown(new)
    assert "Compared with the previous run" in paths[2].read_text()
    assert not list(tmp_path.glob("*.tmp"))


def test_the_html_report_escapes_case_text() -> None:
    attack = "<script>alert(1)</script>"
    report = _report(0.5, failing=True, answer=f"Answer {attack}")
    flip = report.cases[1]
    flip.question = f"Who owns CX? {attack}"
    flip.citations = [CitedQuote(n=1, title="t", source=f"{attack}.md", quote=f'"{attack}"')]
    flip.failures.append(f"missing key fact '{attack}'")
    page = render_html(report)
    assert "<script" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 5
    ET.fromstring(page.split("\n", 1)[1].replace('<meta charset="utf-8">', ""))


def test_a_report_on_disk_from_an_older_run_still_loads_and_compares(tmp_path: Path) -> None:
    """Reports written before the newer metrics and counts existed: still read."""
    new = _report(1.0, failing=False)
    data = json.loads(new.model_dump_json())
    for name in ("complete_sentences", "key_fact_first_two", "positions_covered"):
        del data["metrics"][name]
    del data["counts"]["strategy_cases"]
    for case in data["cases"]:
        del case["shows_today"], case["first_two"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    old = load_report(path)
    assert old.metrics.complete_sentences is None and old.counts.strategy_cases == 0
    assert "complete_sentences" not in json.loads(old.model_dump_json())["metrics"]
    row = next(r for r in compare(old, new).metrics if r.metric == "complete_sentences")
    assert (row.old, row.delta) == (None, None)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"meta": data["meta"]}))
    with pytest.raises(ValueError, match=r"broken\.json: not a readable eval report"):
        load_report(broken)


def test_sentence_records_keep_the_keys_reports_have() -> None:
    """A hidden sentence is only its text; `judge` is there only when a judge was asked
    (null: it gave no verdict)."""
    hidden = SentenceResult(text="a", shown=False)
    shown = SentenceResult(text="b", shown=True, citations=[1], supported=True, precise=[1])
    assert set(json.loads(hidden.model_dump_json())) == {"text", "shown"}
    assert set(json.loads(shown.model_dump_json())) == {
        "text",
        "shown",
        "citations",
        "supported",
        "precise",
    }
    shown.judge = None
    assert json.loads(shown.model_dump_json())["judge"] is None
    assert SentenceResult.model_validate_json(hidden.model_dump_json()) == hidden


def test_every_threshold_name_is_a_known_metric() -> None:
    assert "hit_at_k" in METRIC_INFO and "total_p95_ms" in METRIC_INFO


# --- suite files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "cases:\n  - question: q\n    expeted_sources: [a.md]\n",
            "unknown field(s) expeted_sources",
        ),
        (
            "cases:\n  - id: a\n    question: q\n  - id: a\n    question: r\n",
            "duplicate case ids: a",
        ),
        ("cases:\n  - key_facts: [x]\n", "every case needs a question"),
        ("cases:\n  - question: q\n    category: trivia\n", "category must be one of"),
        ("name: x\n", "a suite is a mapping with a 'cases' list"),
        ("cases: [\n", "cannot read the suite"),
    ],
)
def test_bad_suite_files_name_the_file_and_the_problem(
    tmp_path: Path, body: str, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    with pytest.raises(SuiteError) as err:
        load(path)
    assert str(path) in str(err.value) and problem in str(err.value)
    assert "\n" not in str(err.value)
