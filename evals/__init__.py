"""Evaluation of answer grounding against the configured local model.

`run_suite(settings, suite, ...)` runs a suite and returns its `EvalReport`."""

from evals.results import CaseResult, EvalReport
from evals.service import run_suite

__all__ = ["CaseResult", "EvalReport", "run_suite"]
