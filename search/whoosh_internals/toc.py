"""Whoosh's table of contents and the naming of segment files, read without opening the index.

A commit writes a new table of contents (``_<index>_<generation>.toc``: the schema and the
list of segments) and deletes every file named after a segment it no longer lists
(``<index>_<segment id>.<ext>``, Whoosh's ``TOC._segment_pattern``). Our own files beside a
segment follow that naming, so Whoosh deletes them with their segment.
"""

from __future__ import annotations

import os

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC


def committed_segments(folder: str | os.PathLike, indexname: str) -> set[str]:
    """The ids of the segments the latest table of contents of the index ``indexname`` in
    ``folder`` lists (the index must exist: ``whoosh.index.exists_in``)."""
    toc = TOC.read(FileStorage(str(folder)), indexname)
    return {segment.segment_id() for segment in toc.segments}


def segment_of_file(name: str, indexname: str) -> str:
    """``posts_abc123`` for a file of that segment (``posts_abc123.pst``), else ""."""
    stem = name.split(".", 1)[0]
    return stem if stem.startswith(f"{indexname}_") and "." in name else ""


def segment_file(folder: str | os.PathLike, segment_id: str, extension: str) -> str:
    """The path of a file of ours beside segment ``segment_id`` (``extension`` starts with a
    dot): Whoosh's commits delete it when they drop the segment."""
    return os.path.join(folder, segment_id + extension)
