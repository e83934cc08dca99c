"""Errors that carry a one-line, user-facing reason (shown next to the file name)."""


class IngestError(Exception):
    """A file could not be ingested; `str(err)` is the reason, fit for one line."""


class StoreMismatchError(RuntimeError):
    """The store was built with a different embedding model than the one configured."""
