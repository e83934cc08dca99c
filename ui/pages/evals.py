"""Evals page script."""

from ui.eval_page import eval_page

eval_page()
