"""Eval reports: JSON (everything), Markdown and HTML (for people), an SVG bar chart.

Reports are self-describing: they name the model, embedder, corpus hash and settings, so
two runs can be compared (`compare`) and a reader can tell what changed.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.metric_names import METRIC_INFO, QUALITY_METRICS
from evals.runner import LATENCY_METRICS


def shown_metrics(metrics: dict[str, float]) -> list[str]:
    """The quality metrics a report has, in display order (the judge only when run)."""
    return [name for name in METRIC_INFO if name in metrics]


def report_stem(report: dict[str, Any]) -> str:
    meta = report["meta"]
    return f"{meta['suite']}-{meta['backend']}"


def write_reports(
    report: dict[str, Any], directory: Path, old: dict[str, Any] | None = None
) -> list[Path]:
    """Write <suite>-<backend>.json/.md/.html/.svg into `directory`; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = report_stem(report)
    if old is not None:
        report = report | {"compare": compare(old, report)}
    paths = {ext: directory / f"{stem}.{ext}" for ext in ("json", "md", "html", "svg")}
    texts = {
        "json": json.dumps(report, indent=2, ensure_ascii=False) + "\n",
        "svg": bar_chart_svg(report["metrics"]),
        "md": render_markdown(report, chart=paths["svg"].name),
        "html": render_html(report),
    }
    for ext, text in texts.items():
        tmp = paths[ext].with_suffix(f".{ext}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(paths[ext])
    return list(paths.values())


def load_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ValueError(f"{path}: not a readable eval report ({err})") from None
    if not isinstance(data, dict) or "metrics" not in data or "meta" not in data:
        raise ValueError(f"{path}: not an eval report (no meta/metrics)")
    return data


def find_reports(directories: Sequence[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Readable reports in these folders, newest run first."""
    found = []
    for directory in directories:
        for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
            try:
                found.append((path, load_report(path)))
            except ValueError:
                continue
    return sorted(found, key=lambda item: str(item[1]["meta"].get("started_at")), reverse=True)


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Metric deltas (new - old) and what differs in the set-up between the two runs."""
    rows = []
    for name in (*QUALITY_METRICS, "judge_faithfulness", *LATENCY_METRICS):
        a, b = old["metrics"].get(name), new["metrics"].get(name)
        if a is None and b is None:
            continue
        delta = round(b - a, 4) if a is not None and b is not None else None
        rows.append({"metric": name, "old": a, "new": b, "delta": delta})
    keys = ("model", "embedder", "corpus_hash", "suite_hash", "settings", "code_version")
    changed = {
        k: {"old": old["meta"].get(k), "new": new["meta"].get(k)}
        for k in keys
        if old["meta"].get(k) != new["meta"].get(k)
    }
    old_cases = {c["id"]: c.get("passed") for c in old.get("cases", [])}
    flips = {
        "now_failing": [
            c["id"] for c in new.get("cases", []) if old_cases.get(c["id"]) and not c["passed"]
        ],
        "now_passing": [
            c["id"] for c in new.get("cases", []) if old_cases.get(c["id"]) is False and c["passed"]
        ],
    }
    return {
        "old_started_at": old["meta"].get("started_at"),
        "metrics": rows,
        "changed": changed,
        **flips,
    }


def metric_rows(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(metric, value, measured over, threshold) for the quality metrics."""
    counts, thresholds = report.get("counts", {}), report.get("thresholds", {})
    rows = []
    for name in shown_metrics(report["metrics"]):
        t = thresholds.get(name)
        mark = "" if t is None else f"{'pass' if t['ok'] else 'FAIL'} (>= {t['target']})"
        over = counts.get(METRIC_INFO[name].counted_in, "")
        rows.append((METRIC_INFO[name].label, f"{report['metrics'][name]:.2f}", str(over), mark))
    return rows


def latency_rows(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    m = report["metrics"]
    return [
        (stage, f"{m[f'{stage}_p50_ms']:.0f}", f"{m[f'{stage}_p95_ms']:.0f}")
        for stage in ("retrieve", "generate", "verify", "total")
        if f"{stage}_p50_ms" in m
    ]


def failing_cases(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in report.get("cases", []) if not c.get("passed")]


def setup_line(report: dict[str, Any], *, servers: bool = True) -> str:
    """The run's set-up in one line; `servers=False` leaves model server addresses out
    (for pages anyone may read)."""
    m = report["meta"]
    s = m.get("settings", {})
    server = f" at {m['base_url']}" if m.get("base_url") and servers else ""
    return (
        f"suite {m['suite']} ({m['cases']} cases, file {m.get('suite_hash')}); "
        f"model {m['model']} [{m['backend']}{server}]; embedder {m['embedder']} "
        f"({m.get('embed_dim')}d); corpus {m['corpus_hash']} ({m.get('corpus_files')} files); "
        f"top_k {s.get('top_k')}, chunks {s.get('chunk_tokens')}/{s.get('chunk_overlap_tokens')} "
        f"tokens, context {s.get('llm_context')}, max tokens {s.get('llm_max_tokens')}; "
        f"code {m.get('code_version')}; {m.get('machine')}; {m['started_at']}, {m['seconds']} s"
    )


def _md_cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: dict[str, Any], chart: str | None = None) -> str:
    m = report["meta"]
    counts = report.get("counts", {})
    lines = [
        f"# Eval report: {m['suite']} on {m['model']}",
        "",
        setup_line(report),
        "",
        f"**{counts.get('passed', 0)} of {counts.get('cases', 0)} cases passed**"
        + (f", {counts['errors']} errors" if counts.get("errors") else "")
        + ".",
        "",
    ]
    if chart:
        lines += [f"![metrics]({chart})", ""]
    lines += ["| metric | value | measured over | threshold |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in metric_rows(report)]
    lines += ["", "| stage | p50 ms | p95 ms |", "| --- | ---: | ---: |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in latency_rows(report)]
    missed = [name for name, t in report.get("thresholds", {}).items() if not t["ok"]]
    if missed:
        lines += ["", f"**Thresholds missed:** {', '.join(missed)}"]
    lines += ["", "## By category", "", "| category | passed | cases |", "| --- | ---: | ---: |"]
    for name, row in sorted(report.get("categories", {}).items()):
        lines.append(f"| {name} | {row['passed']} | {row['cases']} |")
    if report.get("compare"):
        lines += ["", *_compare_markdown(report["compare"])]
    failing = failing_cases(report)
    lines += ["", f"## Failing cases ({len(failing)})", ""]
    if failing:
        lines += [
            "| case | question | why | answer | citations |",
            "| --- | --- | --- | --- | --- |",
        ]
        for c in failing:
            cites = "; ".join(f'[{x["n"]}] {x["source"]}: "{x["quote"]}"' for x in c["citations"])
            lines.append(
                f"| {c['id']} ({c['category']}) | {_md_cell(c['question'])} | "
                f"{_md_cell('; '.join(c['failures']))} | {_md_cell(c['answer'][:600])} | "
                f"{_md_cell(cites[:600])} |"
            )
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def _compare_markdown(cmp: dict[str, Any]) -> list[str]:
    lines = [
        f"## Compared with the run of {cmp.get('old_started_at')}",
        "",
        "| metric | old | new | delta |",
        "| --- | ---: | ---: | ---: |",
    ]
    for row in cmp["metrics"]:
        lines.append(f"| {row['metric']} | {row['old']} | {row['new']} | {signed(row['delta'])} |")
    for key, change in cmp["changed"].items():
        lines.append(f"\nChanged {key}: {change['old']} -> {change['new']}")
    if cmp["now_failing"]:
        lines.append(f"\nNow failing: {', '.join(cmp['now_failing'])}")
    if cmp["now_passing"]:
        lines.append(f"\nNow passing: {', '.join(cmp['now_passing'])}")
    return lines


def bar_chart_svg(metrics: dict[str, float]) -> str:
    """Horizontal bars, 0..1, for the quality metrics in the report."""
    names = shown_metrics(metrics)
    label_w, bar_w, row_h, top = 210, 360, 24, 10
    height = top * 2 + row_h * len(names)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" '
        f'height="{height}" font-family="sans-serif" font-size="13">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for i, name in enumerate(names):
        value = max(0.0, min(1.0, float(metrics[name])))
        y = top + i * row_h
        colour = "#2e7d32" if value >= 0.9 else "#f9a825" if value >= 0.7 else "#c62828"
        parts += [
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
            f"{html.escape(METRIC_INFO[name].label)}</text>",
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" fill="#eeeeee"/>',
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w * value:.1f}" height="16" '
            f'fill="{colour}"/>',
            f'<text x="{label_w + bar_w + 6}" y="{y + 16}">{metrics[name]:.2f}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render_html(report: dict[str, Any]) -> str:
    m = report["meta"]
    esc = html.escape

    def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
        head = "".join(f"<th>{esc(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>" for row in rows
        )
        return f"<table><tr>{head}</tr>{body}</table>"

    failing = failing_cases(report)
    case_blocks = []
    for c in failing:
        cites = "".join(
            f"<li>[{x['n']}] {esc(x['source'])}: <q>{esc(x['quote'])}</q></li>"
            for x in c["citations"]
        )
        why = "".join(f"<li>{esc(w)}</li>" for w in c["failures"])
        case_blocks.append(
            f"<details><summary><b>{esc(c['id'])}</b> ({esc(c['category'])}): "
            f"{esc(c['question'])}</summary><p><b>Why it failed</b></p><ul>{why}</ul>"
            f"<p><b>Answer</b></p><pre>{esc(c['answer'])}</pre>"
            f"<p><b>Citations</b></p><ul>{cites or '<li>none</li>'}</ul></details>"
        )
    compare_html = ""
    if report.get("compare"):
        rows = [
            (
                r["metric"],
                str(r["old"]),
                str(r["new"]),
                "" if r["delta"] is None else f"{r['delta']:+.4g}",
            )
            for r in report["compare"]["metrics"]
        ]
        compare_html = "<h2>Compared with the previous run</h2>" + table(
            ("metric", "old", "new", "delta"), rows
        )
    counts = report.get("counts", {})
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Eval report: {esc(m["suite"])} on {esc(m["model"])}</title>
<style>
body {{ font-family: sans-serif; max-width: 1000px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; }}
pre {{ white-space: pre-wrap; background: #f6f6f6; padding: 8px; }}
details {{ margin: .5em 0; }}
</style></head><body>
<h1>Eval report: {esc(m["suite"])} on {esc(m["model"])}</h1>
<p>{esc(setup_line(report))}</p>
<p><b>{counts.get("passed", 0)} of {counts.get("cases", 0)} cases passed.</b></p>
{bar_chart_svg(report["metrics"])}
{table(("metric", "value", "measured over", "threshold"), metric_rows(report))}
{table(("stage", "p50 ms", "p95 ms"), latency_rows(report))}
{compare_html}
<h2>Failing cases ({len(failing)})</h2>
{"".join(case_blocks) or "<p>None.</p>"}
</body></html>
"""


def signed(value: object) -> str:
    return f"{value:+.4g}" if isinstance(value, (int, float)) else ""
