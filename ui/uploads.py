"""Uploaded files: safe names, a size cap, and writes confined to the upload folder."""

from __future__ import annotations

import hmac
import re
import unicodedata
from pathlib import Path

from core.settings import Settings
from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def sanitize_filename(name: str) -> str:
    """A plain file name: no folders, control characters, leading dots or odd symbols."""
    name = unicodedata.normalize("NFKC", name).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = _UNSAFE.sub("_", stem).strip(" ._-")[:80] or "upload"
    suffix = _UNSAFE.sub("", suffix).lower()[:10]
    return f"{stem}.{suffix}" if suffix else stem


def upload_dir(settings: Settings) -> Path:
    return settings.store_dir / "uploads"


def upload_path(settings: Settings, name: str) -> Path:
    """Where an upload of this name is kept, or IngestError if the name leads elsewhere."""
    folder = upload_dir(settings).resolve()
    target = (folder / sanitize_filename(name)).resolve()
    if target.parent != folder:
        raise IngestError("refused file name")
    return target


def save_upload(settings: Settings, name: str, data: bytes) -> Path:
    """Write an uploaded file under the upload folder, or raise IngestError saying why.

    The stored name is the upload's own (made safe), so a revised version of a file
    replaces the earlier one, and its document is replaced when it is ingested. The
    write goes to a `.part` file first, which never outlives a failed write.
    """
    safe = sanitize_filename(name)
    suffix = Path(safe).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            f"unsupported file type '{suffix or '(none)'}' (use {', '.join(SUPPORTED_SUFFIXES)})"
        )
    if len(data) > settings.max_file_bytes:
        raise IngestError(
            f"file is {len(data) / 1048576:.1f} MB, over the {settings.max_file_mb:g} MB cap"
        )
    target = upload_path(settings, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def is_upload(settings: Settings, path: Path) -> bool:
    """Whether the file is one the app stored from an upload (and may delete)."""
    folder = upload_dir(settings).resolve()
    return path.resolve().parent == folder


def password_ok(settings: Settings, given: str) -> bool:
    """Constant-time check of the analyst password; False when none is configured."""
    if settings.analyst_password is None:
        return False
    expected = settings.analyst_password.get_secret_value()
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())
