"""Library: what is in the store; analysts upload, remove and correct documents."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from advisor.composition import forget_sentence_vectors
from advisor.render import plain
from core.settings import DOC_KINDS, Settings
from ingest.document import META_SOURCES
from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import FileResult, Ingestor
from ingest.readback import document_blocks, document_front
from ingest.storage import Store
from ingest.store import EDITABLE_FIELDS, DocumentRecord
from ui.analyst import analyst_unlocked
from ui.resources import get_ingestor
from ui.uploads import is_upload, save_upload, upload_path

_FLASH = "library-edit-result"


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
                "title from": _source(r, "title"),
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

    if not analyst_unlocked(
        settings, "upload, remove and correct documents", "The library is read-only."
    ):
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
                result = _ingest_upload(settings, ingestor, upload.name, upload.getvalue(), kind)
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
            forget_sentence_vectors(settings)
            source = Path(record.source)
            if is_upload(settings, source):
                source.unlink(missing_ok=True)  # the app's own copy goes with its document
            st.success(f"Removed {choice}")
            st.rerun()
        _edit_details(store, record)


def _ingest_upload(
    settings: Settings, ingestor: Ingestor, name: str, data: bytes, kind: str
) -> FileResult:
    """Store an upload under its own name and ingest it. A revised version replaces the
    file and its document; if the new version fails, the earlier file is put back. A copy
    the library does not use (a failure, a duplicate of another file) is not kept."""
    path = upload_path(settings, name)
    earlier = path.read_bytes() if path.is_file() else None
    path = save_upload(settings, name, data)
    result = ingestor.ingest_file(path, kind)
    result.path = name
    if result.status == "failed" or result.reason.startswith("duplicate"):
        if earlier is not None:
            save_upload(settings, name, earlier)  # the earlier version's document stays
        else:
            path.unlink(missing_ok=True)
    return result


def _edit_details(store: Store, record: DocumentRecord) -> None:
    """The analyst's form to correct the chosen document's details, each field labelled
    with where its value came from, and the document's first blocks as they were read."""
    st.subheader("Edit details")
    flash = st.session_state.pop(_FLASH, None)
    if flash is not None:
        kind, message = flash
        (st.success if kind == "success" else st.error)(message)
    suffix = f"{record.doc_id}-{record.revision}"  # fresh values after each edit
    with st.form(f"edit-{record.doc_id}"):
        values: dict[str, str] = {}
        for name in EDITABLE_FIELDS:
            label = f"{name.capitalize()} (from {_source(record, name)})"
            current = str(getattr(record, name))
            if name == "kind":
                options = list(DOC_KINDS)
                index = options.index(current) if current in options else 0
                values[name] = st.selectbox(label, options, index=index, key=f"{name}-{suffix}")
            else:
                values[name] = st.text_input(label, value=current, key=f"{name}-{suffix}")
        saved = st.form_submit_button("Save details")
    if saved:
        changes = {
            name: value
            for name, value in values.items()
            if value.split() != str(getattr(record, name)).split()
        }
        if not changes:
            st.session_state[_FLASH] = ("success", "Nothing to save: no field was changed.")
        else:
            try:
                store.edit_document(record.doc_id, changes)
                names = ", ".join(changes)
                st.session_state[_FLASH] = ("success", f"Saved the new {names}.")
            except Exception as err:  # one line for the analyst, never a traceback
                st.session_state[_FLASH] = ("error", plain(" ".join(str(err).split())))
        st.rerun()
    with st.expander("First blocks as read"):
        chunks = store.chunks_of(record.doc_id)
        front = document_front(chunks)
        if front:  # as plain text: nothing from a document is rendered as Markdown
            st.caption("Byline and date lines over the text, kept as metadata:")
            st.text(front)
        blocks = document_blocks(chunks)[:25]
        st.dataframe(
            [{"role": b.role, "text": b.text[:300], "context": b.context[:200]} for b in blocks],
            hide_index=True,
            width="stretch",
        )


def _source(record: DocumentRecord, name: str) -> str:
    source = record.sources().get(name)
    if source is None:
        return "not recorded"
    # A source outside the known ones shows as "other": no string from a document
    # reaches Markdown.
    return source if source in META_SOURCES else "other"
