"""Eval reports: JSON (everything), Markdown and HTML (for people), an SVG bar chart.

Reports are self-describing: they name the model, embedder, corpus hash and settings, so
two runs can be compared (`compare`) and a reader can tell what changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from pydantic import BaseModel, ValidationError

from evals.metric_names import METRIC_INFO, METRIC_NAMES, Metrics
from evals.results import CaseResult, Change, Comparison, EvalReport, MetricDelta

TEMPLATES = Path(__file__).parent / "templates"


def write_reports(report: EvalReport, directory: Path, old: EvalReport | None = None) -> list[Path]:
    """Write <suite>-<backend>.json/.md/.html/.svg into `directory`; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    if old is not None:
        report = report.model_copy(update={"compare": compare(old, report)})
    paths = {ext: directory / f"{report.stem}.{ext}" for ext in ("json", "md", "html", "svg")}
    texts = {
        "json": report.model_dump_json(indent=2) + "\n",
        "svg": bar_chart_svg(report.metrics),
        "md": render_markdown(report, chart=paths["svg"].name),
        "html": render_html(report),
    }
    for ext, text in texts.items():
        tmp = paths[ext].with_suffix(f".{ext}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(paths[ext])
    return list(paths.values())


def load_report(path: Path) -> EvalReport:
    """The report in this JSON file; ValueError (one line) when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not a readable eval report ({err})") from None
    try:
        return EvalReport.model_validate_json(text)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise ValueError(f"{path}: not a readable eval report ({where}: {first['msg']})") from None


def find_reports(directories: Sequence[Path]) -> list[tuple[Path, EvalReport]]:
    """Readable reports in these folders, newest run first."""
    found = []
    for directory in directories:
        for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
            try:
                found.append((path, load_report(path)))
            except ValueError:
                continue
    return sorted(found, key=lambda item: item[1].meta.started_at, reverse=True)


SETUP_KEYS = ("model", "embedder", "corpus_hash", "suite_hash", "settings", "code_version")


def compare(old: EvalReport, new: EvalReport) -> Comparison:
    """Metric deltas (new - old) and what differs in the set-up between the two runs."""
    rows = []
    for name in METRIC_NAMES:
        a, b = old.metrics.get(name), new.metrics.get(name)
        if a is None and b is None:
            continue
        delta = round(b - a, 4) if a is not None and b is not None else None
        rows.append(MetricDelta(metric=name, old=a, new=b, delta=delta))
    changed = {}
    for key in SETUP_KEYS:
        a_setup, b_setup = _plain(getattr(old.meta, key)), _plain(getattr(new.meta, key))
        if a_setup != b_setup:
            changed[key] = Change(old=a_setup, new=b_setup)
    was_passing = {c.id: c.passed for c in old.cases}
    return Comparison(
        old_started_at=old.meta.started_at,
        metrics=rows,
        changed=changed,
        now_failing=[c.id for c in new.cases if was_passing.get(c.id) and not c.passed],
        now_passing=[c.id for c in new.cases if was_passing.get(c.id) is False and c.passed],
    )


def _plain(value: object) -> object:
    """A set-up value as it reads in JSON (settings as a mapping)."""
    return value.model_dump() if isinstance(value, BaseModel) else value


def metric_rows(report: EvalReport) -> list[tuple[str, str, str, str]]:
    """(metric, value, measured over, threshold) for the quality metrics."""
    rows = []
    for name in report.metrics.shown():
        t = report.thresholds.get(name)
        mark = "" if t is None else f"{'pass' if t.ok else 'FAIL'} (>= {t.target})"
        value = f"{report.metrics.get(name):.2f}"
        rows.append((METRIC_INFO[name].label, value, str(report.counts.over(name)), mark))
    return rows


def latency_rows(report: EvalReport) -> list[tuple[str, str, str]]:
    return [(row.stage, f"{row.p50:.0f}", f"{row.p95:.0f}") for row in report.metrics.latency()]


def setup_line(report: EvalReport, *, servers: bool = True) -> str:
    """The run's set-up in one line; `servers=False` leaves model server addresses out
    (for pages anyone may read)."""
    m = report.meta
    s = m.settings
    server = f" at {m.base_url}" if m.base_url and servers else ""
    return (
        f"suite {m.suite} ({m.cases} cases, file {m.suite_hash}); "
        f"model {m.model} [{m.backend}{server}]; embedder {m.embedder} "
        f"({m.embed_dim}d); corpus {m.corpus_hash} ({m.corpus_files} files); "
        f"top_k {s.top_k}, chunks {s.chunk_tokens}/{s.chunk_overlap_tokens} "
        f"tokens, context {s.llm_context}, max tokens {s.llm_max_tokens}; "
        f"code {m.code_version}; {m.machine}; {m.started_at}, {m.seconds} s"
    )


def _md_cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: EvalReport, chart: str | None = None) -> str:
    m, counts = report.meta, report.counts
    lines = [
        f"# Eval report: {m.suite} on {m.model}",
        "",
        setup_line(report),
        "",
        f"**{counts.passed} of {counts.cases} cases passed**"
        + (f", {counts.errors} errors" if counts.errors else "")
        + ".",
        "",
    ]
    if chart:
        lines += [f"![metrics]({chart})", ""]
    lines += ["| metric | value | measured over | threshold |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in metric_rows(report)]
    lines += ["", "| stage | p50 ms | p95 ms |", "| --- | ---: | ---: |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in latency_rows(report)]
    if report.missed:
        lines += ["", f"**Thresholds missed:** {', '.join(report.missed)}"]
    lines += ["", "## By category", "", "| category | passed | cases |", "| --- | ---: | ---: |"]
    for name, row in sorted(report.categories.items()):
        lines.append(f"| {name} | {row.passed} | {row.cases} |")
    if report.compare:
        lines += ["", *_compare_markdown(report.compare)]
    failing = report.failing
    lines += ["", f"## Failing cases ({len(failing)})", ""]
    if failing:
        lines += [
            "| case | question | why | answer | citations |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [_case_markdown(c) for c in failing]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def _case_markdown(c: CaseResult) -> str:
    cites = "; ".join(f'[{x.n}] {x.source}: "{x.quote}"' for x in c.citations)
    return (
        f"| {c.id} ({c.category}) | {_md_cell(c.question)} | "
        f"{_md_cell('; '.join(c.failures))} | {_md_cell(c.answer[:600])} | "
        f"{_md_cell(cites[:600])} |"
    )


def _compare_markdown(cmp: Comparison) -> list[str]:
    lines = [
        f"## Compared with the run of {cmp.old_started_at}",
        "",
        "| metric | old | new | delta |",
        "| --- | ---: | ---: | ---: |",
    ]
    for row in cmp.metrics:
        lines.append(f"| {row.metric} | {row.old} | {row.new} | {signed(row.delta)} |")
    for key, change in cmp.changed.items():
        lines.append(f"\nChanged {key}: {change.old} -> {change.new}")
    if cmp.now_failing:
        lines.append(f"\nNow failing: {', '.join(cmp.now_failing)}")
    if cmp.now_passing:
        lines.append(f"\nNow passing: {', '.join(cmp.now_passing)}")
    return lines


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    fill: float  # the value clamped to 0..1
    colour: str
    y: int


@dataclass(frozen=True)
class Chart:
    """The bar chart's geometry, all numbers and the registry's labels."""

    bars: tuple[Bar, ...]
    label_w: int = 210
    bar_w: int = 360
    row_h: int = 24
    top: int = 10

    @property
    def width(self) -> int:
        return self.label_w + self.bar_w + 60

    @property
    def height(self) -> int:
        return self.top * 2 + self.row_h * len(self.bars)


def chart(metrics: Metrics) -> Chart:
    """Horizontal bars, 0..1, for the quality metrics in the report."""
    bars, measured = [], metrics.measured()
    for i, name in enumerate(metrics.shown()):
        value = measured[name]
        fill = max(0.0, min(1.0, float(value)))
        colour = "#2e7d32" if fill >= 0.9 else "#f9a825" if fill >= 0.7 else "#c62828"
        bars.append(Bar(METRIC_INFO[name].label, value, fill, colour, Chart.top + i * Chart.row_h))
    return Chart(tuple(bars))


@cache
def templates() -> jinja2.Environment:
    """The report templates; every value is HTML-escaped unless marked safe."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def bar_chart_svg(metrics: Metrics) -> str:
    return templates().get_template("chart.svg.j2").render(chart=chart(metrics))


def render_html(report: EvalReport) -> str:
    compare_rows = [
        (r.metric, str(r.old), str(r.new), signed(r.delta))
        for r in (report.compare.metrics if report.compare else [])
    ]
    return (
        templates()
        .get_template("report.html.j2")
        .render(
            report=report,
            setup=setup_line(report),
            chart=chart(report.metrics),
            metric_rows=metric_rows(report),
            latency_rows=latency_rows(report),
            compare_rows=compare_rows,
        )
    )


def signed(value: object) -> str:
    return f"{value:+.4g}" if isinstance(value, (int, float)) else ""
