"""Bytes to text for text-like files: detect the encoding, refuse binary data."""

from __future__ import annotations

from ingest.errors import IngestError

_SNIFF = 8192
_ALLOWED_CONTROLS = {9, 10, 12, 13}


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters in its first 8 KiB."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in _ALLOWED_CONTROLS)
    return bool(head) and controls / len(head) > 0.05


def decode_text(data: bytes) -> str:
    """Decode with UTF-8 (BOM aware) first, then the detected encoding."""
    if looks_binary(data):
        raise IngestError("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError("unknown text encoding (not UTF-8 and none detected)")
    return str(best)
