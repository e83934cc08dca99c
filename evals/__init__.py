"""Evaluation of answer grounding against the configured local model."""
