"""Build one new Whoosh segment in a worker process, writing the same files Whoosh would, faster.

Whoosh's writer sorts every posting on its own, reads each posting's document length back from
disk while writing it, and buffers postings one call at a time. ``SegmentBuilder`` keeps
postings grouped by term (``TermPool``), reads the length columns once per field, and hands the
postings writer a whole block at a time. The parent process adds the finished segments to the
index (``search.store.write_posts(segments=...)``).

The block hand-over sets the buffer of Whoosh's ``W3PostingsWriter`` exactly as its
``add_posting`` would, with one difference: Whoosh compresses every block with zlib, but a block
of a few postings does not shrink (zlib adds its own header and checksum) and compressing it
costs more than the rest of writing it. Only blocks of about ``COMPRESS_MIN_BYTES`` or more are
compressed; each block records whether it is, and readers go by that. Half of all blocks hold
one posting, so this saves three zlib calls in four and leaves the postings file slightly
smaller. tests/indexer/test_indexer_segment.py checks the segment holds exactly what Whoosh's
own writer would write.
"""

from __future__ import annotations

import os
from array import array

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PostingsWriter, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from search.records import Post
from search.store import INDEX_NAME, WRITER_MB, post_document

from .term_pool import TermPool

ZLIB_LEVEL = 3  # Whoosh's own level for the blocks it compresses
COMPRESS_MIN_BYTES = 64  # estimated from the postings' values plus 8 bytes a posting


def _length_list(lengths: array) -> list[int]:
    """Document lengths as Whoosh's writer passes them on (0 for an empty field)."""
    return [byte_to_length(b) if b else 0 for b in lengths]


def _fill_block(writer: W3PostingsWriter, docnums, weights, values, lengths) -> None:
    """Put one block of postings in ``writer``'s (empty) buffer, as ``add_posting`` would, and
    choose whether the block is compressed."""
    writer._ids = array("I", docnums)
    writer._weights = array("f", weights)
    writer._values = [value for value in values if value]
    size = sum(map(len, writer._values)) + 8 * len(docnums)
    writer._compression = ZLIB_LEVEL if size >= COMPRESS_MIN_BYTES else 0
    top = max(weights)
    writer._maxweight = top if top > 0 else 0
    known = [length for length in lengths if length]
    writer._minlength = min(known) if known else None
    writer._maxlength = max(known) if known else 0


def _write_term(writer: W3PostingsWriter, docnums, weights, values, lengths) -> None:
    """Buffer a term's postings block by block; the last block stays for ``finish_term``.

    ``lengths`` are the documents' field lengths, or empty for a field that keeps none.
    """
    size = writer._blocklimit
    for start in range(0, len(docnums), size):
        if start:
            writer._write_block()
        end = start + size
        _fill_block(writer, docnums[start:end], weights[start:end], values[start:end],
                    lengths[start:end])


class _BuilderWriter(SegmentWriter):
    """A SegmentWriter for new documents only (no deletions, no merging), posting by term."""

    def __init__(self, ix, limit_bytes: int) -> None:
        super().__init__(ix, _lk=False, compound=False)
        self.pool = TermPool(self._tempstorage, limit_bytes)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        documents = self.per_document_reader()
        fieldwriter = self.fieldwriter
        fieldname = None
        lengths: list[int] | None = None
        for name, text, postings in self.pool.terms():
            if name != fieldname:
                if fieldname is not None:
                    fieldwriter.finish_field()
                fieldname = name
                fieldwriter.start_field(name, self.schema[name])
                column = _lenfield(name)
                lengths = None
                if documents.has_column(column):
                    lengths = _length_list(documents.column_reader(column, LENGTHS_COLUMN).load())
            fieldwriter.start_term(text)
            _, _, docnums, weights, values = zip(*postings, strict=True)
            doc_lengths = [lengths[d] for d in docnums] if lengths else ()
            _write_term(fieldwriter._postwriter, docnums, weights, values, doc_lengths)
            fieldwriter.finish_term()
        if fieldname is not None:
            fieldwriter.finish_field()
        fieldwriter.close()
        documents.close()


class SegmentBuilder:
    """Writes posts into a new, uncommitted segment; run one per worker process.

    The parent passes every builder's ``finish()`` result to ``write_posts(segments=...)``,
    which adds them to the index in the same atomic commit as its own changes.
    """

    def __init__(self, generation: str | os.PathLike, limit_bytes: int = WRITER_MB * 1024 * 1024) -> None:
        """``limit_bytes``: about how much memory postings may take before going to disk."""
        ix = whoosh_index.open_dir(str(generation), indexname=INDEX_NAME)
        # Every SegmentWriter of an index uses the same temporary folder and deletes it when
        # done, which would pull it from under the other builders: give each its own.
        shared_temp = ix.storage.temp_storage
        ix.storage.temp_storage = lambda name=None: shared_temp(f"{name}.{os.getpid()}")
        self._writer = _BuilderWriter(ix, limit_bytes)
        self._added = False

    def add(self, post: Post) -> None:
        """Add ``post`` to the segment."""
        self._writer.add_document(**post_document(post))
        self._added = True

    def finish(self):
        """The finished segment (picklable), or None when nothing was added."""
        if not self._added:
            self._writer.cancel()
            return None
        segment = self._writer._finalize_segment()
        self._writer._tempstorage.destroy()  # this builder's own temporary folder
        return segment
