"""The postings of a segment being built, grouped by term instead of sorted one by one.

Whoosh's own pool keeps every posting as a tuple and sorts them all when the segment is
written. Documents arrive in docnum order, so a term's postings are already in order: grouping
them by (field, term) as they come leaves only the terms to sort. Past a memory budget the
groups go to a temporary file as a sorted run (as Whoosh's pool does), and the runs are merged
back when the segment is written.
"""

from __future__ import annotations

import heapq
import marshal
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

# (docnum, weight, encoded value) of one document in a term's postings.
Posting = tuple[int, float, bytes | None]
# A term with its postings in docnum order.
TermPostings = tuple[str, bytes, list[Posting]]

# Rough memory of one posting held here (tuple, float, value bytes, list slot).
POSTING_BYTES = 200

_key = itemgetter(0, 1)


class TermPool:
    """Collects postings by term; ``terms()`` gives them back sorted by (field, term).

    Takes the place of Whoosh's ``PostingPool`` (``SegmentWriter.pool``) in a writer that only
    adds documents in docnum order, a field of a document at a time (``add_field``); ``cleanup``
    is the pool interface ``SegmentWriter`` calls when it closes the segment. Runs go to the
    writer's temporary storage (``tempstorage``).
    """

    def __init__(self, tempstorage, limit_bytes: int) -> None:
        self._tempstorage = tempstorage
        self._limit = max(1, limit_bytes // POSTING_BYTES)
        self._count = 0
        self._fields: dict[str, dict[bytes, list[Posting]]] = {}
        self._runs: list[str] = []

    def add_field(self, fieldname: str, docnum: int,
                  postings: Iterable[tuple[bytes, float, bytes | None]]) -> None:
        """Add the (term, weight, encoded value) postings of one field of document ``docnum``;
        documents must come in docnum order."""
        groups = self._fields.get(fieldname)
        if groups is None:
            groups = self._fields[fieldname] = {}
        get = groups.get
        count = 0
        for term, weight, value in postings:
            group = get(term)
            if group is None:
                groups[term] = [(docnum, weight, value)]
            else:
                group.append((docnum, weight, value))
            count += 1
        self._count += count
        if self._count >= self._limit:
            self._save_run()

    def _sorted_groups(self) -> Iterator[TermPostings]:
        for fieldname, groups in sorted(self._fields.items()):
            for term in sorted(groups):
                yield fieldname, term, groups[term]

    def _save_run(self) -> None:
        name = f"terms{len(self._runs)}.run"
        with self._tempstorage.create_file(name).raw_file() as handle:
            for group in self._sorted_groups():
                marshal.dump(group, handle)
        self._runs.append(name)
        self._fields = {}
        self._count = 0

    def _read_run(self, name: str) -> Iterator[TermPostings]:
        with self._tempstorage.open_file(name).raw_file() as handle:
            while True:
                try:
                    yield marshal.load(handle)
                except EOFError:
                    return

    def terms(self) -> Iterator[TermPostings]:
        """Every term with all its postings, in (field, term) order."""
        if not self._runs:
            yield from self._sorted_groups()
            return
        # Runs hold earlier documents than later runs and than the groups in memory; merge
        # keeps that order between equal terms, so joined postings stay in docnum order.
        sources = [self._read_run(name) for name in self._runs] + [self._sorted_groups()]
        for (fieldname, text), parts in groupby(heapq.merge(*sources, key=_key), key=_key):
            yield fieldname, text, [posting for part in parts for posting in part[2]]

    def cleanup(self) -> None:
        """Forget the postings and delete the runs."""
        for name in self._runs:
            self._tempstorage.delete_file(name)
        self._runs = []
        self._fields = {}
