"""Build one new segment of posts in a worker process, faster than Whoosh's own writer.

``SegmentBuilder`` writes posts into a new, uncommitted segment (the same files Whoosh would
write, see ``whoosh_internals/segment_writer.py``); the parent process adds the finished
segments to the index (``blogsearch.search.store.write_posts(segments=...)``). Beside the segment, it
writes the docnums and weights of its common terms as plain arrays (``search/term_arrays.py``),
which the engine reads far faster than Whoosh's blocks.
"""

from __future__ import annotations

import os

from .records import Post
from .store import INDEX_NAME, WRITER_MB, post_document
from .term_arrays import TermArraysWriter
from .whoosh_internals.segment_writer import NewSegment


class SegmentBuilder:
    """Writes posts into a new, uncommitted segment; run one per worker process.

    The parent passes every builder's ``finish()`` result to ``write_posts(segments=...)``,
    which adds them to the index in the same atomic commit as its own changes.
    """

    def __init__(self, generation: str | os.PathLike, limit_bytes: int = WRITER_MB * 1024 * 1024) -> None:
        """``limit_bytes``: about how much memory postings may take before going to disk."""
        self._segment = NewSegment(generation, INDEX_NAME, limit_bytes, TermArraysWriter.beside)

    def add(self, post: Post) -> None:
        """Add ``post`` to the segment."""
        self._segment.add(post_document(post))

    def finish(self):
        """The finished segment (picklable), or None when nothing was added."""
        return self._segment.finish()
