"""`cx-advisor eval` end to end: reports, thresholds, comparison, feedback drafts, and the
smoke suite that gates CI on the embedded model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from advisor.cli import main
from advisor.composition import build_advisor
from advisor.feedback import FeedbackStore, feedback_path
from core.settings import Settings
from evals.suite import SUITES_DIR, load
from ingest.loaders import load_document

pytestmark = pytest.mark.integration

SMALL_SUITE = """
name: tiny
corpus:
  - {path: corpus/research, kind: research}
thresholds:
  hit_at_k: 0.5
cases:
  - id: pega-sponsor
    question: What share of organisations have no C-level CX sponsor?
    expected_sources: [pega-2020-global-cx-study.md]
    key_facts: [["64%"]]
  - id: off-topic
    question: What is the capital of Mongolia?
    must_abstain: true
"""


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CXA_STORE_DIR", str(tmp_path / "store"))
    return tmp_path / "store"


def _suite(tmp_path: Path, text: str = SMALL_SUITE) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(text)
    return path


def test_eval_writes_reports_and_keeps_the_library_apart(
    tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["eval", "--suite", str(_suite(tmp_path)), "--llm", "none"])
    out = capsys.readouterr().out
    assert code == 0
    reports = store / "eval-reports"
    report = json.loads((reports / "tiny-none.json").read_text())
    assert report["metrics"]["hit_at_k"] == 1.0
    assert report["metrics"]["abstention_recall"] == 1.0
    assert report["counts"]["cases"] == 2
    assert report["meta"]["corpus_files"] == 8 and len(report["meta"]["corpus_hash"]) == 12
    assert report["thresholds"]["hit_at_k"]["ok"] is True
    assert {p.suffix for p in reports.iterdir()} == {".json", ".md", ".html", ".svg"}
    assert "2 of 2 cases passed" in out
    # the suite's corpus went to its own store; the user's library is still empty
    library = build_advisor(Settings(store_dir=store, llm="none"))
    assert library.store.documents() == []


def test_missed_threshold_exits_1_and_says_which(
    tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = SMALL_SUITE.replace("hit_at_k: 0.5", "hit_at_k: 0.5\n  total_p95_ms: 0.001")
    code = main(["eval", "--suite", str(_suite(tmp_path, strict)), "--llm", "none"])
    err = capsys.readouterr().err
    assert code == 1
    assert "threshold missed: total_p95_ms" in err


def test_compare_shows_deltas_against_an_old_report(
    tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = _suite(tmp_path)
    assert (
        main(["eval", "--suite", str(suite), "--llm", "none", "--report", str(tmp_path / "a")]) == 0
    )
    old = tmp_path / "a" / "tiny-none.json"
    data = json.loads(old.read_text())
    data["metrics"]["hit_at_k"] = 0.25
    data["meta"]["model"] = "older model"
    old.write_text(json.dumps(data))
    capsys.readouterr()
    code = main(
        [
            "eval",
            "--suite",
            str(suite),
            "--llm",
            "none",
            "--report",
            str(tmp_path / "b"),
            "--compare",
            str(old),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "delta vs old" in out and "+0.75" in out
    new = json.loads((tmp_path / "b" / "tiny-none.json").read_text())
    assert new["compare"]["changed"]["model"]["old"] == "older model"
    assert "Compared with the run of" in (tmp_path / "b" / "tiny-none.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--suite", "no-such-suite"], "no-such-suite: no such suite file"),
        (["--suite", "smoke", "--only", "nope"], "no case with id nope"),
        (
            ["--suite", "smoke", "--compare", "missing.json"],
            "missing.json: not a readable eval report",
        ),
    ],
)
def test_bad_eval_input_is_one_line(
    store: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["eval", *args, "--llm", "none"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_unreachable_model_server_is_one_line_before_any_case(
    tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/v1"
    args = ["eval", "--suite", str(_suite(tmp_path)), "--llm", "openai", "--base-url", url]
    assert main([*args, "--model", "m"]) == 2
    err = capsys.readouterr().err.strip()
    assert "cannot be reached" in err and "\n" not in err
    assert not (store / "eval-reports").exists()


def test_import_feedback_drafts_cases_once(
    tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "import-feedback"]) == 2
    assert "no feedback has been saved yet" in capsys.readouterr().err
    advisor = build_advisor(Settings(store_dir=store, llm="none"))
    answer = advisor.ask("Who should own CX?")
    feedback = FeedbackStore(feedback_path(store))
    feedback.add(answer, "wrong evidence", "cites the budget, not the org memo")
    feedback.add(answer, "helpful")
    assert main(["eval", "import-feedback"]) == 0
    drafts = store / "feedback-cases.yaml"
    suite = load(drafts)
    assert [c.id for c in suite.cases] == ["feedback-1"]
    assert suite.cases[0].question == "Who should own CX?"
    assert suite.cases[0].category == "feedback"
    raw = yaml.safe_load(drafts.read_text())
    assert "cites the budget, not the org memo" in raw["cases"][0]["note"]
    raw["cases"][0]["expected_sources"] = ["org-chart-memo.md"]  # the analyst's edit
    drafts.write_text(yaml.safe_dump(raw))
    feedback.add(answer, "wrong evidence", "second report")
    capsys.readouterr()
    assert main(["eval", "import-feedback"]) == 0
    assert "1 new draft case(s), 1 already drafted" in capsys.readouterr().out
    suite = load(drafts)
    assert [c.id for c in suite.cases] == ["feedback-1", "feedback-3"]
    assert suite.cases[0].expected_sources == ["org-chart-memo.md"]


def test_shipped_suites_load_and_cover_every_category() -> None:
    core = load(SUITES_DIR / "core.yaml")
    assert len(core.cases) >= 40
    counts = {
        c: sum(1 for x in core.cases if x.category == c) for c in {x.category for x in core.cases}
    }
    assert counts["fact"] >= 14 and counts["here"] >= 8 and counts["disagree"] >= 4
    assert counts["follow-up"] >= 5 and counts["abstain"] >= 6 and counts["adversarial"] >= 5
    assert all(c.history for c in core.cases if c.category == "follow-up")
    for entry in core.corpus:
        assert entry.path.exists()
    names = {p.name for e in core.corpus for p in e.path.rglob("*") if p.is_file()}
    missing = {s for c in core.cases for s in c.expected_sources} - names
    assert not missing
    assert load(SUITES_DIR / "smoke.yaml").thresholds


@pytest.mark.parametrize("name", ["core", "heldout"])
def test_suite_key_facts_are_in_their_sources(name: str) -> None:
    """Every key fact's first variant is in one of its case's expected files (as read,
    whitespace collapsed), and strategic and named-but-absent cases are there."""
    suite = load(SUITES_DIR / f"{name}.yaml")
    files = {p.name: p for e in suite.corpus for p in e.path.rglob("*") if p.is_file()}
    texts: dict[str, str] = {}

    def text_of(file: str) -> str:
        if file not in texts:
            document = load_document(files[file], files[file].read_bytes())
            texts[file] = " ".join(document.text.split()).lower()
        return texts[file]

    for case in suite.cases:
        assert set(case.expected_sources) <= set(files), case.id
        for fact in case.key_facts:
            wanted = " ".join(fact[0].split()).lower()
            assert any(wanted in text_of(f) for f in case.expected_sources), (case.id, fact[0])
    categories = {c.category for c in suite.cases}
    assert {"strategy", "named-absent", "fact"} <= categories
    assert all(c.must_abstain for c in suite.cases if c.category == "named-absent")


@pytest.mark.slow
def test_smoke_suite_meets_its_thresholds_on_the_embedded_model(
    tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--suite", "smoke", "--llm", "embedded", "--report", str(tmp_path / "reports")]
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    report = json.loads((tmp_path / "reports" / "smoke-embedded.json").read_text())
    assert report["meta"]["model"].startswith("embedded:")
    assert report["counts"]["errors"] == 0
    assert code == 0, f"{err}\n{out}"


def test_a_suite_name_is_not_a_folder_of_the_same_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--suite core` run from the repository, where a `core/` package folder stands."""
    from evals.suite import resolve_suite

    (tmp_path / "core").mkdir()
    monkeypatch.chdir(tmp_path)
    assert resolve_suite("core") == SUITES_DIR / "core.yaml"
    own = tmp_path / "mine.yaml"
    own.write_text("cases: []\n")
    assert resolve_suite(str(own)) == own
