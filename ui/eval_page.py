"""Evals: the latest report (metrics chart, thresholds, failing cases); analysts can run a
suite against the app's configured model."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from advisor.render import plain, unescaped
from core.settings import Settings
from evals import CaseResult, EvalReport
from evals.metric_names import METRIC_INFO
from evals.report import find_reports, latency_rows, metric_rows, setup_line, write_reports
from evals.suite import REPO_ROOT, SUITES_DIR
from ui.analyst import analyst_unlocked
from ui.resources import get_components

SHIPPED_REPORTS = REPO_ROOT / "evals" / "reports"


def report_dirs(settings: Settings) -> list[Path]:
    return [settings.store_dir / "eval-reports", SHIPPED_REPORTS]


def eval_page() -> None:
    st.title("Evals")
    st.caption(
        "How well answers stay grounded: retrieval, citation support, key facts and refusals "
        "on a question suite. Run `cx-advisor eval` or use the form below."
    )
    settings = get_components().settings
    reports = find_reports(report_dirs(settings))
    if not reports:
        st.info("No eval report yet. Run `cx-advisor eval --suite smoke` to make one.")
    else:
        labels = [_label(path, report) for path, report in reports]
        choice = st.selectbox("Report", range(len(reports)), format_func=labels.__getitem__)
        show_report(reports[choice][1])
    st.divider()
    run_form(settings)


def _label(path: Path, report: EvalReport) -> str:
    m, c = report.meta, report.counts
    where = "shipped" if path.parent == SHIPPED_REPORTS else "this store"
    return f"{m.suite} on {m.model}, {m.started_at} ({c.passed}/{c.cases} passed, {where})"


def show_report(report: EvalReport) -> None:
    # Model server addresses are for analysts; everyone else sees the set-up without them.
    st.caption(plain(setup_line(report, servers=bool(st.session_state.get("analyst")))))
    summary = f"{report.counts.passed} of {report.counts.cases} cases passed."
    if report.missed:
        st.error(f"{summary} Thresholds missed: {', '.join(report.missed)}.")
    elif report.thresholds:
        st.success(f"{summary} Every threshold met.")
    else:
        st.info(summary)
    rows = metric_rows(report)
    measured = report.metrics.measured()
    names = report.metrics.shown()
    st.bar_chart(
        {
            "metric": [METRIC_INFO[n].short for n in names],
            "value": [measured[n] for n in names],
        },
        x="metric",
        y="value",
        horizontal=True,
        sort=False,
        height=40 + 28 * len(names),
    )
    left, right = st.columns([3, 2])
    left.dataframe(
        [{"metric": a, "value": b, "measured over": c, "threshold": d} for a, b, c, d in rows],
        hide_index=True,
        height=36 * (len(rows) + 1) + 4,
    )
    right.dataframe(
        [{"stage": a, "p50 ms": b, "p95 ms": c} for a, b, c in latency_rows(report)],
        hide_index=True,
    )
    failing = report.failing
    st.subheader(f"Failing cases ({len(failing)})")
    for case in failing:
        # Report text holds document text: shown literally, never as Markdown or HTML.
        with st.expander(plain(f"{case.id} ({case.category}): {case.question}")):
            st.markdown("**Why it failed**")
            for reason in case.failures:
                st.markdown(f"- {plain(reason)}")
            st.markdown("**Answer**")
            st.text(unescaped(case.answer) or "(empty)")
            if case.citations:
                st.markdown("**Citations**")
                for c in case.citations:
                    st.markdown(f"[{c.n}] {plain(c.source)}: {plain(c.quote)}")


def run_form(settings: Settings) -> None:
    st.subheader("Run a suite")
    if not analyst_unlocked(settings, "run eval suites from this page"):
        return
    suites = sorted(p.stem for p in SUITES_DIR.glob("*.yaml"))
    name = st.selectbox("Suite", suites, index=suites.index("smoke") if "smoke" in suites else 0)
    if st.button("Run", type="primary"):
        report = run_suite(settings, SUITES_DIR / f"{name}.yaml")
        if report is not None:
            write_reports(report, settings.store_dir / "eval-reports")
            st.rerun()


def run_suite(settings: Settings, path: Path) -> EvalReport | None:
    """Run with the app's model and embedder (nothing is loaded twice)."""
    from evals import service
    from evals.suite import load

    parts = get_components()
    suite = load(path)
    bar = st.progress(0.0, text=f"{suite.name}: 0 of {len(suite.cases)}")
    done: list[CaseResult] = []

    def on_stage(message: str) -> None:
        bar.progress(0.0, text=message)

    def on_case(result: CaseResult) -> None:
        done.append(result)
        bar.progress(
            len(done) / len(suite.cases),
            text=f"{suite.name}: {len(done)} of {len(suite.cases)} (last: {result.id})",
        )

    try:
        return service.run_suite(
            settings,
            suite,
            embedder=parts.embedder,
            llm=parts.llm,
            on_stage=on_stage,
            on_case=on_case,
        )
    except Exception as err:  # shown on the page, never a traceback
        st.error(f"{path.name}: {' '.join(str(err).split())[:300]}")
        return None
