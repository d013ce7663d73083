"""Term-at-a-time scoring over postings read into arrays.

Whoosh scores a disjunction document at a time through a tree of Python matchers: for our
queries (every word in two fields, plus accent and typo alternatives) that tree costs tens of
milliseconds. Here each term's postings are read once per index version into arrays of
document numbers and BM25F scores (``Ranking.bm25``: Whoosh's formula and statistics), kept
in a bounded cache, and a query adds them into one score per document. Common terms are read
from the arrays the indexer writes beside each segment (``term_arrays.py``) when there are any.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict

import numpy as np
from whoosh import query as wq

from .budget import Budget
from .ranking import DEFAULT_RANKING, Ranking
from .term_arrays import TermArrays
from .whoosh_internals.lengths import BYTE_LENGTHS, leaf_length_bytes
from .whoosh_internals.postings_blocks import BlockCache, TermInfos, leaf_positions, leaf_postings

CACHE_BYTES = 64 << 20  # postings arrays kept per index version
MASK_CACHE_SIZE = 64  # filter and exclusion match sets kept per index version
FREQUENCY_CACHE_SIZE = 100_000  # document frequencies kept per index version
BLOCK_CACHE_SIZE = 2048  # blocks of postings with positions kept per index version
TERM_INFO_CACHE_SIZE = 20_000  # terms' TermInfos (frequency, where the postings are) kept per version

_BYTE_LENGTHS = np.array(BYTE_LENGTHS, dtype=np.float64)
_NO_DOCS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)


class Postings:
    """One index version's postings as arrays, shared by every thread searching it.

    Methods take the calling thread's Whoosh searcher: readers are not thread-safe, so each
    thread reads with its own.
    """

    def __init__(self, reader, ranking: Ranking = DEFAULT_RANKING) -> None:
        self.ranking = ranking
        self.size = reader.doc_count_all()
        self.live = np.ones(self.size, dtype=bool)  # False for deleted documents
        for leaf, offset in reader.leaf_readers():
            if leaf.has_deletions():
                deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                self.live[offset + deleted] = False
        self._lengths: dict[str, np.ndarray] = {}
        self._terms: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._term_bytes = 0
        self._masks: OrderedDict[str, np.ndarray] = OrderedDict()
        self._frequencies: dict[tuple[str, str], int] = {}
        self._blocks = BlockCache(BLOCK_CACHE_SIZE)
        self._infos = TermInfos(TERM_INFO_CACHE_SIZE)
        self._arrays: dict[str, TermArrays | None] = {}  # by segment id
        self._lock = threading.Lock()

    # -- terms -----------------------------------------------------------------------------
    def frequency(self, searcher, field: str, term: str) -> int:
        """How many documents hold ``term`` in ``field`` (Whoosh's count: deleted ones too)."""
        key = (field, term)
        found = self._frequencies.get(key)
        if found is None:
            found = sum(self._infos.doc_frequency(leaf, field, term)
                        for leaf, _ in searcher.reader().leaf_readers())
            with self._lock:
                if len(self._frequencies) >= FREQUENCY_CACHE_SIZE:
                    self._frequencies.clear()
                self._frequencies[key] = found
        return found

    def term(self, searcher, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, BM25F scores) of the live documents holding ``term`` in ``field``."""
        key = (field, term)
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        found = self._read_term(searcher, field, term)
        with self._lock:
            if key not in self._terms:
                self._terms[key] = found
                self._term_bytes += found[0].nbytes + found[1].nbytes
                while self._term_bytes > CACHE_BYTES and len(self._terms) > 1:
                    _, (docs, scores) = self._terms.popitem(last=False)
                    self._term_bytes -= docs.nbytes + scores.nbytes
        return found

    def _read_term(self, searcher, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        docs, weights = [], []
        for leaf, offset in searcher.reader().leaf_readers():
            arrays = self._segment_arrays(leaf)
            found = arrays.get(field, term) if arrays is not None else None
            ids, leaf_weights = (found if found is not None
                                 else leaf_postings(leaf, field, term, self._infos))
            if not len(ids):
                continue
            docs.append(np.asarray(ids, dtype=np.int64) + offset)
            weights.append(np.asarray(leaf_weights, dtype=np.float64))
        if not docs:
            return _NO_DOCS, _NO_SCORES
        docnums, tf = np.concatenate(docs), np.concatenate(weights)
        keep = self.live[docnums]
        docnums, tf = docnums[keep], tf[keep]
        lengths = self.field_lengths(searcher, field)[docnums]
        # The idf from the counts this class caches (the searcher's own idf looks the term up in
        # every segment again).
        scores = self.ranking.bm25(tf, lengths, searcher.avg_field_length(field),
                                   searcher.doc_count_all(), self.frequency(searcher, field, term))
        return docnums, scores

    def _segment_arrays(self, leaf) -> TermArrays | None:
        """The common terms' arrays the indexer wrote beside ``leaf``'s segment, if any."""
        segment_id = leaf.segment().segment_id()
        if segment_id not in self._arrays:
            folder = getattr(leaf.storage(), "folder", None)  # None inside a compound file
            found = TermArrays.open(folder, segment_id) if folder else None
            with self._lock:
                self._arrays[segment_id] = found
        return self._arrays[segment_id]

    def warm(self, searcher, fields: tuple[str, ...]) -> None:
        """Read now what the first searches would: every segment's table of common terms
        (unpickling it took most of a first search) and the lengths of ``fields``."""
        for leaf, _ in searcher.reader().leaf_readers():
            self._segment_arrays(leaf)
        for field in fields:
            self.field_lengths(searcher, field)

    def field_lengths(self, searcher, field: str) -> np.ndarray:
        """Every document's length of ``field``, as Whoosh stores it (one byte, approximate)."""
        with self._lock:
            found = self._lengths.get(field)
        if found is not None:
            return found
        parts = []
        for leaf, _ in searcher.reader().leaf_readers():
            count = leaf.doc_count_all()
            reader = leaf_length_bytes(leaf, field)
            column = (np.zeros(count, dtype=np.uint8) if reader is None
                      else np.fromiter(reader, dtype=np.uint8, count=count))
            parts.append(_BYTE_LENGTHS[column])
        found = np.concatenate(parts) if parts else np.zeros(0)
        with self._lock:
            self._lengths[field] = found
        return found

    # -- whole queries ---------------------------------------------------------------------
    def leaf(self, searcher, query) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, scores) of one leaf query, a Whoosh ``Term`` or ``Phrase``."""
        if isinstance(query, wq.Term):
            docs, scores = self.term(searcher, query.fieldname, query.text)
        elif isinstance(query, wq.Phrase):
            docs, scores = self.phrase(searcher, query.fieldname, query.words, query.slop)
        else:
            raise TypeError(f"not a term or a phrase: {query!r}")
        return docs, scores * query.boost if query.boost != 1.0 else scores

    def phrase(self, searcher, field: str, words: list[str], slop: int) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, scores) of the documents holding ``words`` in order, each at most ``slop``
        positions after the previous one: Whoosh's ``Phrase`` (a ``SpanNear2``), scored as it
        does, by the sum of the words' scores."""
        postings = [self.term(searcher, field, word) for word in words]
        docs = postings[0][0]
        for other, _ in postings[1:]:
            docs = np.intersect1d(docs, other, assume_unique=True)
        if not len(docs):
            return _NO_DOCS, _NO_SCORES
        scores = np.zeros(len(docs))
        for word_docs, word_scores in postings:
            scores += word_scores[np.searchsorted(word_docs, docs)]
        # Grow each post's spans word by word; a later word's positions are read only for the
        # posts still in the running.
        first = self.positions(searcher, field, words[0], docs.tolist())
        spans = {docnum: [(p, p) for p in found] for docnum, found in first.items()}
        for word in words[1:]:
            following = self.positions(searcher, field, word, sorted(spans))
            spans = {docnum: grown for docnum, old in spans.items()
                     if (grown := _grow(old, following.get(docnum, ()), slop))}
        keep = np.isin(docs, np.fromiter(spans, dtype=np.int64, count=len(spans)))
        return docs[keep], scores[keep]

    def positions(self, searcher, field: str, term: str, docnums: list[int]) -> dict[int, list[int]]:
        """Positions of ``term`` in ``field`` of each of ``docnums`` (sorted) that holds it."""
        found: dict[int, list[int]] = {}
        for leaf, offset in searcher.reader().leaf_readers():
            end = offset + leaf.doc_count_all()
            wanted = [d - offset for d in docnums if offset <= d < end]
            if wanted:
                for docnum, positions in leaf_positions(leaf, field, term, wanted,
                                                        self._blocks, self._infos).items():
                    found[docnum + offset] = positions
        return found

    def mask(self, searcher, query) -> np.ndarray:
        """The live documents matching a Whoosh ``query`` (a filter), as a boolean array."""
        key = repr(query)
        with self._lock:
            found = self._masks.get(key)
            if found is not None:
                self._masks.move_to_end(key)
                return found
        found = np.zeros(self.size, dtype=bool)
        found[np.fromiter(searcher.docs_for_query(query), dtype=np.int64)] = True
        found &= self.live
        with self._lock:
            self._masks[key] = found
            while len(self._masks) > MASK_CACHE_SIZE:
                self._masks.popitem(last=False)
        return found


class Scores:
    """A query's scores: the sum of its leaves' scores per document, which documents each group
    of alternatives matched (``hits``), and the union of those (the match set)."""

    def __init__(self, postings: Postings, searcher, groups: list[list],
                 budget: Budget | None = None) -> None:
        """With a ``budget``, once its time is used each group's further leaves (accented
        forms, expansions, corrections) are left out; its first leaf never is."""
        self.values = np.zeros(postings.size, dtype=np.float64)
        self.hits: list[np.ndarray] = []
        for group in groups:
            hit = np.zeros(postings.size, dtype=bool)
            for number, leaf in enumerate(group):
                if number and budget is not None and budget.exhausted():
                    break
                docs, scores = postings.leaf(searcher, leaf)
                self.values[docs] += scores  # a leaf lists each document once
                hit[docs] = True
            self.hits.append(hit)
        self.matched = (np.logical_or.reduce(self.hits) if self.hits
                        else np.zeros(postings.size, dtype=bool))

    def top(self, limit: int, within: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``limit`` best (docnum, score) among the match set (or the documents ``within``
        marks): highest score first, then lowest docnum, as Whoosh orders its hits."""
        docs = np.flatnonzero(self.matched if within is None else within)
        scores = self.values[docs]
        if limit <= 0:
            return []
        if len(docs) > limit:
            # Keep every document tying with the limit-th score, then sort exactly.
            floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= floor
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[:limit]
        return [(int(d), float(s)) for d, s in zip(docs[order], scores[order], strict=True)]


def union(postings: Postings, searcher, leaves: list) -> np.ndarray:
    """The live documents matching any of ``leaves``, as a boolean array."""
    found = np.zeros(postings.size, dtype=bool)
    for leaf in leaves:
        found[postings.leaf(searcher, leaf)[0]] = True
    return found & postings.live


def _grow(spans: list[tuple[int, int]], following, slop: int) -> list[tuple[int, int]]:
    """The spans extended by a position of the next word 1 to ``slop`` after their end
    (ordered spans, as Whoosh's ``SpanNear2`` with ``mindist=1`` grows them)."""
    grown = set()
    count = len(following)
    for start, end in spans:
        # Walk from the first position after the span's end, in place (slicing the positions
        # for each span made a long post's phrase cost its length squared).
        k = bisect_left(following, end + 1)
        while k < count and following[k] <= end + slop:
            grown.add((start, following[k]))
            k += 1
    return sorted(grown)
