"""CX Advisor web app: Ask (leaders), Library and Evals (analysts).

Run with `streamlit run app.py`. Heavy objects are built once per process (ui.resources).
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="CX Advisor", page_icon=":material/forum:", layout="centered")
st.navigation(
    [
        st.Page("ui/pages/ask.py", title="Ask", icon=":material/forum:", default=True),
        st.Page(
            "ui/pages/library.py",
            title="Library",
            icon=":material/library_books:",
            url_path="library",
        ),
        st.Page("ui/pages/evals.py", title="Evals", icon=":material/fact_check:", url_path="evals"),
    ]
).run()
