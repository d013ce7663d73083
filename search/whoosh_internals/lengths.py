"""Documents' field lengths as Whoosh 3 keeps them: one byte per document and field.

Whoosh stores each scorable field's length, approximated to a byte (``length_to_byte``), in a
per-document column named after the field (``_<field>_len``, a ``LENGTHS_COLUMN``). BM25F
needs every document's length: the column is read whole here instead of document by document,
and the byte decoded through a table (``BYTE_LENGTHS``) instead of a call per document.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

# The length each byte stands for: BYTE_LENGTHS[b] == byte_to_length(b).
BYTE_LENGTHS: tuple[int, ...] = tuple(byte_to_length(b) for b in range(256))


def leaf_length_bytes(leaf, field: str) -> Iterable[int] | None:
    """The length byte of ``field`` of each document of segment ``leaf``, in docnum order (as
    Whoosh's own reader reads them, through the same cached column reader); None when the
    segment has no lengths of ``field``."""
    return leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)


def written_lengths(documents, field: str) -> list[int] | None:
    """Each document's length of ``field`` in a segment being written, as Whoosh's writer
    passes them on (0 for an empty field); ``documents`` is the segment's per-document
    reader. None when the segment keeps no lengths of ``field``."""
    column = _lenfield(field)
    if not documents.has_column(column):
        return None
    return [byte_to_length(b) if b else 0 for b in documents.column_reader(column, LENGTHS_COLUMN).load()]
