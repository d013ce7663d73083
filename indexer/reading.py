"""Bytes of a post file → text: encodings, BOMs and NUL bytes."""

from __future__ import annotations

import re

from .frontmatter_reader import PostError

_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f]")


def decode(raw: bytes) -> tuple[str, list[str]]:
    """Decode ``raw`` as UTF-8, else cp1252 (else latin-1), dropping NUL bytes.

    Returns (text, warnings). Raises PostError for files that look binary.
    """
    warnings: list[str] = []
    if b"\x00" in raw:
        nuls = raw.count(b"\x00")
        if nuls > max(8, len(raw) // 100):
            raise PostError("looks like a binary file, not text")
        raw = raw.replace(b"\x00", b"")
        warnings.append(f"removed {nuls} NUL byte(s)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            encoding = "latin-1"
        warnings.append(f"not UTF-8 (byte {exc.start}); read as {encoding}")
    if len(_CONTROL.findall(text, 0, 4096)) > 16:
        raise PostError("looks like a binary file, not text")
    return text.replace("\r\n", "\n"), warnings
