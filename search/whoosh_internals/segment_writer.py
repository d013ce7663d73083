"""Write one new Whoosh segment in a worker process, the same files Whoosh would, faster; and
commit segments written so.

Whoosh's writer sorts every posting on its own, reads each posting's document length back from
disk while writing it, and buffers postings one call at a time. ``NewSegment`` keeps postings
grouped by term (``TermPool``), reads the length columns once per field, and writes each
term's postings in one piece: the blocks and term statistics ``W3PostingsWriter`` and
``W3TermInfo`` would write, computed from whole lists instead of posting by posting.
``writer_adding`` gives the writer whose commit adds such finished segments to the index.

Which blocks are compressed: a pickled block under ``COMPRESS_MIN_BYTES`` does not shrink
under zlib (it adds its own header and checksum), and compressing it costs more than the rest of
writing it. Only larger blocks are compressed, as whoosh3's own writer does (whoosh-reloaded's
compresses every block of 20 bytes or more); each block records whether it is, and readers go by
that. On the corpus about half of all blocks stay uncompressed.

tests/search/test_search_segment.py checks the segment holds exactly what Whoosh's own writer
would write.
"""

from __future__ import annotations

import os
import zlib
from array import array
from collections.abc import Callable, Sequence
from pickle import dumps
from typing import Protocol

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from ..analysis import SpanishPositions, term_positions
from .lengths import written_lengths
from .term_pool import TermPool

ZLIB_LEVEL = 3  # Whoosh's own level for the blocks it compresses
COMPRESS_MIN_BYTES = COMPRESSION_MIN_SIZE  # pickled block size from which zlib shrinks it (80)
_TERMINFO = W3TermInfo._struct  # flags, weight, doc freq, min/max length, max weight, ids


class TermSink(Protocol):
    """Takes the postings of the searchable terms of a segment being written."""

    def add(self, field: str, term: str, docnums: Sequence[int], weights: Sequence[float]) -> None:
        """One term's segment docnums (ascending) and weights."""

    def close(self) -> None:
        """The segment's terms are all written."""


def _mini_values(values: list[bytes], fixedsize: int | None):
    """A block's non-empty values as ``W3PostingsWriter._mini_values`` keeps them."""
    if fixedsize is None or fixedsize < 0:
        return tuple(values)
    if fixedsize == 0:
        return None
    return b"".join(values)


def _term_bytes(docnums, weights, values, lengths, offset: int, blocklimit: int,
                fixedsize: int | None) -> tuple[bytes, bytes]:
    """One term's postings as ``W3PostingsWriter`` writes them at ``offset`` of the postings
    file (block by block, header first), and the term's ``W3TermInfo`` bytes.

    ``lengths`` are the documents' field lengths, or empty for a field that keeps none.
    """
    parts = [WHOOSH3_HEADER_MAGIC]
    total = 0.0
    minlength = None
    maxlength = 0
    count = len(docnums)
    for start in range(0, count, blocklimit):
        end = start + blocklimit
        ids = docnums[start:end]
        raw = weights[start:end]
        stored = array("f", raw)  # Whoosh keeps weights as 32-bit floats
        total += sum(stored)
        first = stored[0]
        if first == 1.0 and stored.count(first) == len(stored):
            mini_weights = None
        elif stored.count(first) == len(stored):
            mini_weights = first
        else:
            mini_weights = tuple(stored)
        block_values = [value for value in values[start:end] if value]
        base = 0
        deltas = []
        for docnum in ids:
            deltas.append(docnum - base)
            base = docnum
        data = dumps((tuple(deltas), mini_weights, _mini_values(block_values, fixedsize)), 2)
        comp = 0
        if len(data) >= COMPRESS_MIN_BYTES:
            comp = ZLIB_LEVEL
            data = zlib.compress(data, comp)
        known = [length for length in lengths[start:end] if length]
        low = min(known) if known else None
        high = max(known) if known else 0
        if known:
            minlength = low if minlength is None else min(minlength, low)
            maxlength = max(maxlength, high)
        top = max(raw)
        info = dumps((len(ids), ids[-1], top if top > 0 else 0, comp, length_to_byte(low),
                      length_to_byte(high)), 2)
        size = len(info) + len(data)
        parts += (pack_int(-size if end >= count else size), info, data)
    postings = b"".join(parts)
    top = max(weights)
    terminfo = _TERMINFO.pack(False, total, count, length_to_byte(minlength), length_to_byte(maxlength),
                              top if top > 0 else 0, docnums[0], docnums[-1])
    return postings, terminfo + pack_long(offset) + pack_int(len(postings))


def _spanish_postings(fmt: SpanishPositions, value: str) -> list[tuple[bytes, int, float, bytes]]:
    """(term bytes, frequency, weight, encoded positions) of each term of ``value``: what
    ``fmt.word_values`` and ``Field.index`` give, without a generator per field."""
    boost = fmt.field_boost
    encode = fmt.encode
    return [(term.encode(), len(positions), weight * boost, encode(positions))
            for term, (positions, weight) in term_positions(value).items()]


class _BuilderWriter(SegmentWriter):
    """A SegmentWriter for new documents only (no deletions, no merging, no boosts, term
    vectors or spelling fields), posting by term."""

    def __init__(self, ix, limit_bytes: int, terms_sink: Callable[[str, str], TermSink]) -> None:
        super().__init__(ix, _lk=False, compound=False)
        if any(field.vector or field.separate_spelling() for _, field in self.schema.items()):
            raise ValueError("NewSegment writes no term vectors or spelling fields")
        self.pool = TermPool(self._tempstorage, limit_bytes)
        self._terms_sink = terms_sink

    def add_document(self, **fields) -> None:
        """Whoosh's ``add_document`` for such documents, a field's postings at a time."""
        self._check_state()
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        add_field = self.pool.add_field
        perdocwriter.start_doc(docnum)
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None:
                continue
            field = self.schema[fieldname]
            length = 0
            if field.indexed:
                if isinstance(field.format, SpanishPositions):
                    postings = _spanish_postings(field.format, value)
                else:
                    postings = list(field.index(value))
                add_field(fieldname, docnum, [(term, weight, encoded)
                                              for term, _, weight, encoded in postings])
                if field.scorable:
                    length = sum(freq for _, freq, _, _ in postings)
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            if field.column_type:
                perdocwriter.add_column_value(fieldname, field.column_type,
                                              field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        documents = self.per_document_reader()
        fieldwriter = self.fieldwriter
        postfile = fieldwriter._postfile
        blocklimit = self.codec._blocklimit
        sink = self._terms_sink(self.storage.folder, self.newsegment.segment_id())
        fieldname = None
        for name, text, postings in self.pool.terms():
            if name != fieldname:
                if fieldname is not None:
                    fieldwriter.finish_field()
                fieldname = name
                fieldwriter.start_field(name, self.schema[name])
                prefix = pack_ushort(fieldwriter._fieldid)
                fixedsize = fieldwriter._format.fixed_value_size()
                searchable = isinstance(fieldwriter._format, SpanishPositions)
                lengths = written_lengths(documents, name)
            docnums, weights, values = zip(*postings, strict=True)
            doc_lengths = [lengths[d] for d in docnums] if lengths else ()
            data, terminfo = _term_bytes(docnums, weights, values, doc_lengths, postfile.tell(),
                                         blocklimit, fixedsize)
            postfile.write(data)
            fieldwriter._tindex.add(prefix + text, terminfo)
            if searchable:
                sink.add(name, text.decode("utf-8"), docnums, weights)
        if fieldname is not None:
            fieldwriter.finish_field()
        sink.close()
        fieldwriter.close()
        documents.close()


class NewSegment:
    """Writes documents into a new, uncommitted segment of an index; one per process.

    ``finish()`` gives the segment, which ``writer_adding`` commits to the index (in another
    process: it is picklable). ``terms_sink(folder, segment_id)``, called when the segment's
    postings are written, gives what takes the postings of every term of the fields in
    ``SpanishPositions`` format.
    """

    def __init__(self, folder: str | os.PathLike, indexname: str, limit_bytes: int,
                 terms_sink: Callable[[str, str], TermSink]) -> None:
        """``limit_bytes``: about how much memory postings may take before going to disk."""
        ix = whoosh_index.open_dir(str(folder), indexname=indexname)
        # Every SegmentWriter of an index uses the same temporary folder and deletes it when
        # done, which would pull it from under the other processes' writers: give each its own.
        shared_temp = ix.storage.temp_storage
        ix.storage.temp_storage = lambda name=None: shared_temp(f"{name}.{os.getpid()}")
        self._writer = _BuilderWriter(ix, limit_bytes, terms_sink)
        self._added = False

    def add(self, document: dict) -> None:
        """Add one document: Whoosh's ``add_document(**document)``."""
        self._writer.add_document(**document)
        self._added = True

    def finish(self) -> Segment | None:
        """The finished segment (picklable), or None when nothing was added."""
        if not self._added:
            self._writer.cancel()
            return None
        segment = self._writer._finalize_segment()
        self._writer._tempstorage.destroy()  # this process's own temporary folder
        return segment


class _WriterWithSegments(SegmentWriter):
    """A SegmentWriter whose commit also takes segments built elsewhere (worker processes)."""

    def __init__(self, ix, segments: list, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self._extra_segments = segments

    def _merge_segments(self, mergetype, optimize, merge):
        return super()._merge_segments(mergetype, optimize, merge) + self._extra_segments


def writer_adding(ix, segments: list, **kwargs) -> SegmentWriter:
    """A writer of index ``ix`` (``SegmentWriter(ix, **kwargs)``) whose commit also adds the
    finished ``segments`` of ``NewSegment``, in the same atomic commit."""
    return _WriterWithSegments(ix, segments, **kwargs)
