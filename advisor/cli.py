"""`cx-advisor` command line. Imports stay light until a command runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, get_args

from core.settings import DOC_KINDS, LLMBackend

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from advisor.answer import Answer
    from core.settings import Settings
    from evals.results import EvalReport
    from ingest.pipeline import IngestReport
    from ingest.storage import Store
    from ingest.store import DocumentRecord

LLM_BACKENDS: tuple[str, ...] = get_args(LLMBackend)


BENCHES = ("startup", "ingest", "retrieval", "answers", "ask", "memory")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cx-advisor",
        description="Local advisor for customer-experience strategy, with checked citations.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="add files or folders to the library")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument(
        "--kind",
        choices=DOC_KINDS,
        default=None,
        help="document kind (default: front matter 'kind', else internal)",
    )
    ingest.add_argument(
        "--prune", action="store_true", help="remove documents under PATH whose file is gone"
    )

    ask = sub.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    ask.add_argument("--kind", choices=DOC_KINDS, default=None)
    ask.add_argument("--llm", choices=LLM_BACKENDS, default=None)

    docs = sub.add_parser("docs", help="list, show, edit or remove documents")
    docs_sub = docs.add_subparsers(dest="docs_command", required=True)
    docs_sub.add_parser("list", help="list documents in the library")
    show = docs_sub.add_parser(
        "show",
        help="a document's details, where each came from, and its first blocks with roles",
    )
    show.add_argument("doc_id", help="document id or a unique prefix of it")
    show.add_argument(
        "--blocks", type=_count, default=25, metavar="N", help="blocks to show (default 25)"
    )
    edit = docs_sub.add_parser(
        "edit",
        help="correct a document's title, publisher, author, date or kind",
        description="Correct details that were detected wrongly. The edit is kept when the "
        "same file is read again; an empty value clears publisher, author or date.",
    )
    edit.add_argument("doc_id", help="document id or a unique prefix of it")
    edit.add_argument("--title", default=None)
    edit.add_argument("--publisher", default=None)
    edit.add_argument("--author", default=None)
    edit.add_argument("--date", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD")
    edit.add_argument("--kind", default=None, help="research or internal")
    remove = docs_sub.add_parser("remove", help="remove a document by id (or unique prefix)")
    remove.add_argument("doc_id")

    ev = sub.add_parser(
        "eval",
        help="run an eval suite and write a report",
        description="Run a question suite through `ask` with the configured model and score "
        "retrieval, citations, key facts and refusals. Exit 1 when a threshold is missed.",
    )
    ev.add_argument("--suite", default="core", help="suite file, or a shipped name: core, smoke")
    ev.add_argument("--llm", choices=LLM_BACKENDS, default=None)
    ev.add_argument("--base-url", default=None, help="model server URL (openai/ollama)")
    ev.add_argument("--model", default=None, help="model name on the server")
    ev.add_argument(
        "--report", type=Path, default=None, help="report folder (default: STORE/eval-reports)"
    )
    ev.add_argument("--compare", type=Path, default=None, metavar="OLD.json")
    ev.add_argument("--only", action="append", default=[], metavar="CASE_ID")
    ev.add_argument("--judge-url", default=None, help="OpenAI-compatible server for an LLM judge")
    ev.add_argument("--judge-model", default="judge")
    bench = sub.add_parser(
        "bench",
        help="measure speed against raw baselines and write bench/results/bench-<cpu>.json",
    )
    bench.add_argument(
        "--sizes", default="1000,10000", help="store sizes for retrieval (comma separated)"
    )
    bench.add_argument("--skip", action="append", default=[], choices=BENCHES)
    bench.add_argument("--out", type=Path, default=Path("bench/results"))
    ev_sub = ev.add_subparsers(dest="eval_command")
    fb = ev_sub.add_parser(
        "import-feedback", help="turn 'wrong evidence' feedback into draft cases"
    )
    fb.add_argument("--out", type=Path, default=None, help="default: STORE/feedback-cases.yaml")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from core.settings import Settings

    try:
        settings = Settings()
        if args.command == "ingest":
            return _ingest(settings, args.paths, args.kind, args.prune)
        if args.command == "ask":
            if args.llm:
                settings = settings.model_copy(update={"llm": args.llm})
            return _ask(settings, args.question, args.json, args.kind)
        if args.command == "bench":
            return _bench(settings, args.sizes, args.skip, args.out)
        if args.command == "eval":
            if args.eval_command == "import-feedback":
                return _import_feedback(settings, args.out)
            updates = {
                "llm": args.llm,
                "llm_base_url": args.base_url,
                "llm_model": args.model,
            }
            settings = settings.model_copy(
                update={k: v for k, v in updates.items() if v is not None}
            )
            return _eval(settings, args)
        if args.docs_command == "list":
            return _docs_list(settings)
        if args.docs_command == "show":
            return _docs_show(settings, args.doc_id, args.blocks)
        if args.docs_command == "edit":
            return _docs_edit(settings, args)
        return _docs_remove(settings, args.doc_id)
    except KeyboardInterrupt:
        print("cx-advisor: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # one line for the user, never a traceback
        print(f"cx-advisor: error: {_one_line(err)}", file=sys.stderr)
        return 2


def _count(value: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, not '{value}'")
    return int(value)


def _progress(label: str, console: Console) -> Progress:
    """A bar with a count and the item last done, cleared when finished."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    )


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    if "Could not connect to a Chroma server" in text or "Connection refused" in text:
        return f"cannot reach the Chroma server ({text[:200]}); check CXA_CHROMA_HOST/PORT"
    if type(err).__name__ in {"ChromaAuthError", "AuthorizationError"} or any(
        word in text for word in ("Unauthorized", "Forbidden")
    ):
        return (
            f"the Chroma server refused the request ({text[:200]}); set CXA_CHROMA_TOKEN "
            "to the token it (or the proxy in front of it) expects"
        )
    return text[:500]


def _ingest(settings: Settings, paths: list[Path], kind: str | None, prune: bool) -> int:
    from rich.console import Console

    from advisor.composition import build_ingestor, forget_sentence_vectors

    console = Console(stderr=True)
    with console.status("Loading the embedding model and the store..."):
        ingestor = build_ingestor(settings, warm=True)
    with _progress("Ingesting", console) as progress:
        task = progress.add_task("", total=None)

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def on_file(path: Path, _result: object) -> None:
            progress.update(task, advance=1, description=path.name)

        report = ingestor.ingest_paths(paths, kind, prune=prune, on_file=on_file, on_start=on_start)
    if report.pruned:
        forget_sentence_vectors(settings)
    _print_report(report)
    return 0 if report.ok else 1


def _print_report(report: IngestReport) -> None:
    from rich.console import Console
    from rich.table import Table

    styles = {
        "ingested": "green",
        "replaced": "cyan",
        "skipped": "yellow",
        "failed": "red",
        "pruned": "magenta",
    }
    table = Table(title="Ingest summary", show_lines=False)
    for column in ("file", "status", "chunks", "doc id", "detail"):
        table.add_column(column, overflow="fold")
    for r in report.results:
        table.add_row(
            _short_path(r.path),
            f"[{styles[r.status]}]{r.status}[/]",
            str(r.chunks or ""),
            r.doc_id[:12],
            _printable(r.reason or r.title),
        )
    console = Console()
    console.print(table)
    counts = {s: len(report.by_status(s)) for s in styles}  # type: ignore[arg-type]
    console.print(", ".join(f"{n} {s}" for s, n in counts.items()))
    if report.recovered:
        console.print(f"recovered: removed {len(report.recovered)} incomplete document(s)")
    for r in report.failed:
        print(f"error: {_short_path(r.path)}: {_printable(r.reason)}", file=sys.stderr)


def _short_path(path: str) -> str:
    """The path relative to the working directory when it lies below it, with control
    characters (newlines, escapes) shown as escapes so one file stays one line."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(Path.cwd()):
        path = str(resolved.relative_to(Path.cwd()))
    return _printable(path)


def _printable(text: str) -> str:
    import unicodedata

    return "".join(
        ch if unicodedata.category(ch) != "Cc" else ch.encode("unicode_escape").decode()
        for ch in text
    )


def _ask(settings: Settings, question: str, as_json: bool, kind: str | None) -> int:
    from advisor.composition import build_advisor

    advisor = build_advisor(settings)
    answer = advisor.ask(question, filters={"kind": kind} if kind else None)
    if as_json:
        print(answer.model_dump_json())
    else:
        _print_answer(answer)
    return 0


def _print_answer(answer: Answer) -> None:
    from rich.console import Console
    from rich.markdown import Markdown

    from advisor.answer import cited_sources

    console = Console()
    console.print(Markdown(answer.answer))
    flagged = [s for s in answer.sentences if not s.supported]
    if flagged:
        console.print("\n[bold]Removed[/] (no cited passage supports them):")
        for sentence in flagged:
            console.print(f"  x {sentence.text}", markup=False, highlight=False, style="dim")
    if answer.citations:
        console.print("\n[bold]Sources[/]")
        for group in cited_sources(answer.citations):  # a document once, each quote
            c = group[0]
            page = f", p. {c.page}" if c.page else ""
            numbers = " ".join(f"[{x.n}]" for x in group)
            console.print(f"{numbers} {c.title} ({c.kind}{page}) - {c.source}", markup=False)
            for x in group:
                mark = f"[{x.n}] " if len(group) > 1 else ""
                console.print(f'    {mark}"{x.quote}"', markup=False, highlight=False)
    elif answer.abstained and answer.retrieved:
        console.print("\n[bold]Closest passages[/]")
        for p in answer.retrieved[:3]:
            console.print(f"- {p.title} (score {p.score:.2f}) - {p.source}", markup=False)
    console.print(f"\n[dim]{answer.model}, {answer.timings_ms.total:.0f} ms[/]")


def _docs_list(settings: Settings) -> int:
    from rich.console import Console
    from rich.table import Table

    from advisor.composition import build_ingestor

    store = build_ingestor(settings).store
    records = store.documents()
    table = Table(title=f"{len(records)} documents, {store.count_chunks()} chunks")
    for column in ("doc id", "kind", "title", "date", "chunks", "ingested", "source"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(
            r.doc_id[:12],
            r.kind,
            r.title,
            r.date,
            str(r.chunks),
            r.ingested_at,
            _short_path(r.source),
        )
    Console().print(table)
    return 0


def _find_document(store: Store, doc_id: str) -> DocumentRecord | None:
    """The one document whose id starts with `doc_id`; None (and a one-line error) when
    none or several do."""
    matches = [r for r in store.documents(include_pending=True) if r.doc_id.startswith(doc_id)]
    if len(matches) != 1:
        problem = "no document has" if not matches else f"{len(matches)} documents have"
        print(f"cx-advisor: error: {problem} the id '{_printable(doc_id)}'", file=sys.stderr)
        return None
    return matches[0]


def _docs_remove(settings: Settings, doc_id: str) -> int:
    from advisor.composition import build_ingestor, forget_sentence_vectors

    store = build_ingestor(settings).store
    record = _find_document(store, doc_id)
    if record is None:
        return 1
    store.remove_document(record.doc_id)
    forget_sentence_vectors(settings)
    print(f"removed {record.doc_id[:12]} {_printable(record.title)}")
    return 0


def _docs_edit(settings: Settings, args: argparse.Namespace) -> int:
    from advisor.composition import build_ingestor
    from ingest.store import EDITABLE_FIELDS, validate_edits

    changes = {name: getattr(args, name) for name in EDITABLE_FIELDS}
    changes = {name: value for name, value in changes.items() if value is not None}
    if not changes:
        options = ", ".join(f"--{name}" for name in EDITABLE_FIELDS)
        print(f"cx-advisor: error: give at least one of {options}", file=sys.stderr)
        return 2
    validate_edits(changes)  # a bad value fails before the model and store load
    store = build_ingestor(settings).store
    record = _find_document(store, args.doc_id)
    if record is None:
        return 1
    edited = store.edit_document(record.doc_id, changes)
    print(f"edited {', '.join(changes)} of {edited.doc_id[:12]}")
    _print_details(edited, edited.chunks)
    return 0


def _docs_show(settings: Settings, doc_id: str, limit: int) -> int:
    from advisor.composition import build_ingestor
    from ingest.readback import document_blocks, document_front

    store = build_ingestor(settings).store
    record = _find_document(store, doc_id)
    if record is None:
        return 1
    chunks = store.chunks_of(record.doc_id)
    _print_details(record, len(chunks))
    front = document_front(chunks)
    if front:  # the byline and date lines left out of the text, as metadata
        print(_printable(f"{'front':<10} {_shorten(front, 200)}"))
    blocks = document_blocks(chunks)
    shown = blocks[:limit]
    print(f"\nblocks {len(shown)} of {len(blocks)}, in document order:")
    labels = {"list_item": "lead-in", "table_row": "header"}
    for n, block in enumerate(shown, start=1):
        line = f"{n:>4}  {block.role:<12} {_shorten(block.text, 100)}"
        if block.context:
            line += f"  [{labels.get(block.role, 'context')}: {_shorten(block.context, 60)}]"
        print(_printable(line))
    return 0


def _print_details(record: DocumentRecord, chunks: int) -> None:
    """A document's details, one a line, each with where its value came from."""
    sources = record.sources()
    rows: list[tuple[str, str, str]] = [("doc id", record.doc_id, "")]
    for name in ("title", "publisher", "author", "date", "kind"):
        value = str(getattr(record, name))
        rows.append((name, value or "-", sources.get(name, "")))
    rows += [
        ("url", record.url or "-", sources.get("url", "")),
        ("source", _short_path(record.source), ""),
        ("chunks", str(chunks), ""),
        ("ingested", record.ingested_at, ""),
    ]
    for label, value, source in rows:
        origin = f"  ({source})" if source else ""
        print(_printable(f"{label:<10} {value}{origin}"))


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console

    from evals.judges import LLMJudge
    from evals.report import load_report, write_reports
    from evals.results import CaseResult
    from evals.service import run_suite
    from evals.suite import load, resolve_suite

    suite = load(resolve_suite(args.suite))
    if args.only:
        unknown = sorted(set(args.only) - {c.id for c in suite.cases})
        if unknown:
            raise ValueError(f"{suite.path}: no case with id {', '.join(unknown)}")
        suite.cases = [c for c in suite.cases if c.id in args.only]
    old = load_report(args.compare) if args.compare else None
    console = Console(stderr=True)
    judge = LLMJudge(args.judge_url, args.judge_model) if args.judge_url else None
    failed = 0
    with _progress(suite.name, console) as progress:
        task = progress.add_task("", total=len(suite.cases))

        def on_stage(message: str) -> None:
            progress.update(task, description=message)

        def on_case(result: CaseResult) -> None:
            nonlocal failed
            failed += int(not result.passed)
            progress.update(task, advance=1, description=f"{failed} failing, last: {result.id}")

        report = run_suite(settings, suite, judge=judge, on_stage=on_stage, on_case=on_case)
    directory = args.report or settings.store_dir / "eval-reports"
    paths = write_reports(report, directory, old)
    _print_eval(report, old)
    print("report: " + ", ".join(_short_path(str(p)) for p in paths))
    missed = report.missed_lines()
    for line in missed:
        print(f"threshold missed: {line}", file=sys.stderr)
    return 1 if missed else 0


def _print_eval(report: EvalReport, old: EvalReport | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from evals.report import compare, latency_rows, metric_rows, setup_line, signed

    console = Console()
    console.print(setup_line(report), markup=False, highlight=False)
    table = Table(title="Metrics")
    for column in ("metric", "value", "measured over", "threshold"):
        table.add_column(column)
    deltas = {}
    if old is not None:
        deltas = {r.metric: r.delta for r in compare(old, report).metrics}
        table.add_column("delta vs old")
    for name, row in zip(report.metrics.shown(), metric_rows(report)):
        table.add_row(*row, *([] if old is None else [signed(deltas.get(name))]))
    console.print(table)
    latency = Table(title="Latency (ms)")
    for column in ("stage", "p50", "p95"):
        latency.add_column(column)
    for stage_row in latency_rows(report):
        latency.add_row(*stage_row)
    console.print(latency)
    console.print(f"{report.counts.passed} of {report.counts.cases} cases passed")


def _bench(settings: Settings, sizes: str, skip: list[str], out: Path) -> int:
    from rich.console import Console
    from rich.table import Table

    from advisor.composition import build_embedder
    from bench import report, run
    from core.machine import describe

    console = Console(stderr=True)
    results: dict[str, object] = {}
    try:
        chunk_counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise ValueError(f"--sizes takes numbers separated by commas, not '{sizes}'") from None
    if "startup" not in skip:
        with console.status("Timing start-up..."):
            results["startup"] = run.bench_startup()
    embedder = build_embedder(settings)
    if "ingest" not in skip:
        with console.status("Ingesting synthetic documents against raw encoding..."):
            results["ingest"] = run.bench_ingest(settings, embedder)
    if "retrieval" not in skip:
        with console.status(f"Retrieval at {sizes} chunks..."):
            results["retrieval"] = run.bench_retrieval(settings, embedder, chunk_counts)
    if "answers" not in skip:
        with console.status("Answering by new processes, with and without saved vectors..."):
            results["answers"] = run.bench_answers(settings, embedder)
    if "ask" not in skip:
        with console.status("Answering with the embedded model against raw llama.cpp..."):
            results["ask"] = run.bench_ask(settings, embedder)
    if "memory" not in skip:
        with console.status("Measuring the app's memory with the embedded model..."):
            results["memory"] = run.bench_memory(settings, embedder)
    results["peak_rss_mb"] = run.peak_rss_mb()
    table = Table(title=f"Benchmarks on {describe()}")
    for column in ("benchmark", "cx-advisor", "baseline", "ratio"):
        table.add_column(column, overflow="fold")
    for row in report.table(results):
        table.add_row(*row)
    Console().print(table)
    print(f"results: {_short_path(str(report.write(results, out)))}")
    return 0


def _import_feedback(settings: Settings, out: Path | None) -> int:
    from advisor.feedback import FeedbackStore, feedback_path
    from evals.feedback_cases import import_feedback

    db = feedback_path(settings.store_dir)
    if not db.exists():
        raise FileNotFoundError(f"{db}: no feedback has been saved yet")
    entries = FeedbackStore(db).entries("wrong evidence")
    target = out or settings.store_dir / "feedback-cases.yaml"
    added, known = import_feedback(entries, target)
    print(f"{added} new draft case(s), {known} already drafted, in {_short_path(str(target))}")
    if added:
        print(f"review them, then run: cx-advisor eval --suite {_short_path(str(target))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
