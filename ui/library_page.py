"""Library: what is in the store; analysts upload and remove documents."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import FileResult
from ui.analyst import analyst_unlocked
from ui.resources import get_ingestor
from ui.uploads import save_upload


def library_page() -> None:
    st.title("Library")
    ingestor = get_ingestor()
    settings, store = ingestor.settings, ingestor.store

    records = store.documents()
    st.caption(f"{len(records)} documents, {store.count_chunks()} chunks")
    st.dataframe(
        [
            {
                "title": r.title,
                "kind": r.kind,
                "publisher": r.publisher or ("internal" if r.kind == "internal" else ""),
                "date": r.date,
                "chunks": r.chunks,
                "ingested": r.ingested_at,
                "id": r.doc_id[:12],
            }
            for r in records
        ],
        hide_index=True,
        width="stretch",
    )

    if not analyst_unlocked(settings, "upload and remove documents", "The library is read-only."):
        return

    st.subheader("Add documents")
    kind = st.radio("Kind", ["internal", "research"], horizontal=True)
    files = st.file_uploader(
        f"PDF, DOCX, HTML, Markdown or text, up to {settings.max_file_mb:g} MB each",
        type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
        accept_multiple_files=True,
    )
    if files and st.button("Ingest", type="primary"):
        results: list[FileResult] = []
        progress = st.progress(0.0)
        for i, upload in enumerate(files, start=1):
            try:
                path = save_upload(settings, upload.name, upload.getvalue())
                result = ingestor.ingest_file(path, kind)
                result.path = upload.name
                if result.status == "failed" or result.reason.startswith("duplicate"):
                    path.unlink(missing_ok=True)  # keep no copy that the library does not use
            except IngestError as err:
                result = FileResult(upload.name, "failed", str(err))
            results.append(result)
            progress.progress(i / len(files))
        for r in results:
            line = f"**{r.path}**: {r.status}" + (f" ({r.reason})" if r.reason else "")
            if r.status == "failed":
                st.error(line)
            elif r.status == "skipped":
                st.warning(line)
            else:
                st.success(f"{line}, {r.chunks} chunks")

    st.subheader("Re-ingest or remove a document")
    if records:
        by_label = {f"{r.title} ({r.kind}, {r.doc_id[:12]})": r for r in records}
        choice = st.selectbox("Document", list(by_label))
        record = by_label[choice]
        reingest, remove = st.columns(2)
        if reingest.button("Re-ingest from its file", disabled=not Path(record.source).is_file()):
            result = ingestor.ingest_file(Path(record.source), record.kind)
            if result.status == "failed":
                st.error(f"{record.title}: {result.reason}")
            elif result.status == "skipped":
                st.info(f"{record.title}: the file is unchanged; nothing to do.")
            else:
                st.success(f"{record.title}: {result.status}, {result.chunks} chunks")
        if remove.button("Remove"):
            store.remove_document(record.doc_id)
            st.success(f"Removed {choice}")
            st.rerun()
