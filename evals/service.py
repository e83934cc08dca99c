"""Running an eval suite, the one way the CLI (`cx-advisor eval`) and the app's Evals
page both do it: the suite's corpus is ingested into its own store, an advisor answers
from it (with a model and embedder already loaded, where the caller has them), the
configured model is checked to be reachable, and every case is asked and scored into an
`EvalReport`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from evals.results import CaseResult, EvalReport

if TYPE_CHECKING:
    from advisor.llm import LLM
    from core.settings import Settings
    from evals.judges import LLMJudge
    from evals.suite import Suite
    from ingest.embedder import Embedder


def run_suite(
    settings: Settings,
    suite: Suite,
    *,
    embedder: Embedder | None = None,
    llm: LLM | None = None,
    judge: LLMJudge | None = None,
    on_stage: Callable[[str], None] | None = None,
    on_case: Callable[[CaseResult], None] | None = None,
) -> EvalReport:
    """The suite's report (see `evals.runner.evaluate`). `on_stage` hears what is being
    done before the first case is asked; RuntimeError (one line) when the model cannot
    answer."""
    from advisor.composition import build_components, build_embedder
    from evals.runner import evaluate, prepare_store

    stage = on_stage or (lambda _message: None)
    stage(f"Loading the models and the corpus of suite {suite.name}...")
    embedder = embedder or build_embedder(settings)
    prepared = prepare_store(settings, suite, embedder)
    parts = build_components(prepared.settings, embedder, llm)
    problem = parts.llm.problem()
    if problem:
        raise RuntimeError(problem)
    stage(f"Asking the {len(suite.cases)} cases of suite {suite.name}...")
    return evaluate(
        parts,
        suite,
        corpus=prepared.corpus_hash,
        corpus_files=prepared.files,
        llm_judge=judge,
        on_case=on_case,
    )
