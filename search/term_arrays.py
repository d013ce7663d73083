"""A segment's common terms as plain arrays on disk, read in one piece.

Whoosh keeps postings in pickled blocks of up to 128, each with its positions, so reading all
of a common word's postings unpickles hundreds of objects per block: tens of milliseconds for
a word of a 100k-post blog, paid the first time a query uses it. The indexer therefore writes,
beside each segment it builds, one file with the document numbers and weights of every
searchable term that has at least ``MIN_POSTINGS`` postings, and the engine reads a term's
with a single read. Segments without the file (Whoosh's own merges, and the small updates
the indexer writes in one process) are read block by block.

File ``<segment id>.bsterms`` (its name follows Whoosh's segment files, so Whoosh deletes it
with its segment): for each term its docnums (uint32) then its weights (float32, as Whoosh
stores them); then the pickled table {(field, term): (offset, count)}; then the table's
offset (8 bytes, little-endian).
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .whoosh_internals.toc import segment_file

if TYPE_CHECKING:
    import numpy as np

EXTENSION = ".bsterms"
MIN_POSTINGS = 128  # fewer postings fit in one block: reading them is already one step
_TAIL = struct.Struct("<Q")


class TermArraysWriter:
    """Writes one segment's file, a term at a time (terms of each field in any order)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self._file = open(path, "wb")  # closed by close()
        self._table: dict[tuple[str, str], tuple[int, int]] = {}

    @classmethod
    def beside(cls, folder: str | os.PathLike, segment_id: str) -> TermArraysWriter:
        """The writer of segment ``segment_id``'s file in ``folder``."""
        return cls(segment_file(folder, segment_id, EXTENSION))

    def add(self, field: str, term: str, docnums: Sequence[int], weights: Sequence[float]) -> None:
        """Keep ``term``'s postings if it has enough of them (segment docnums, ascending)."""
        count = len(docnums)
        if count < MIN_POSTINGS:
            return
        self._table[(field, term)] = (self._file.tell(), count)
        for values in (array("I", docnums), array("f", weights)):  # (no numpy in the indexer)
            if sys.byteorder == "big":
                values.byteswap()
            self._file.write(values.tobytes())

    def close(self) -> None:
        """Write the table and close the file."""
        offset = self._file.tell()
        self._file.write(pickle.dumps(self._table, protocol=pickle.HIGHEST_PROTOCOL))
        self._file.write(_TAIL.pack(offset))
        self._file.close()


class TermArrays:
    """The table of one segment's file; ``get`` reads a term's arrays (from any thread)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self._path = path
        with open(path, "rb") as handle:
            end = handle.seek(0, os.SEEK_END)
            handle.seek(end - _TAIL.size)
            (offset,) = _TAIL.unpack(handle.read(_TAIL.size))
            handle.seek(offset)
            self._table: dict[tuple[str, str], tuple[int, int]] = pickle.loads(
                handle.read(end - _TAIL.size - offset))

    @classmethod
    def open(cls, folder: str | os.PathLike, segment_id: str) -> TermArrays | None:
        """The file of segment ``segment_id`` in ``folder``; None if it has none or it cannot
        be read (the engine then reads Whoosh's postings, which hold the same)."""
        try:
            return cls(segment_file(folder, segment_id, EXTENSION))
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, struct.error):
            return None

    def get(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(segment docnums, weights) of ``term`` in ``field``; None when the file lacks it."""
        import numpy as np  # here, not at the top: the index command never loads numpy

        found = self._table.get((field, term))
        if found is None:
            return None
        offset, count = found
        try:
            with open(self._path, "rb") as handle:
                handle.seek(offset)
                data = handle.read(8 * count)
        except OSError:
            return None
        if len(data) != 8 * count:
            return None
        return (np.frombuffer(data, dtype="<u4", count=count),
                np.frombuffer(data, dtype="<f4", count=count, offset=4 * count))
