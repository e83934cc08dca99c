"""Streamlit pages and the plain functions behind them (testable without a browser)."""
