"""Reading a segment's postings block by block, and its term infos, past Whoosh's matchers.

Whoosh 3 keeps a term's postings in pickled blocks of up to 128 (document numbers, weights,
encoded positions) that only ``W3LeafMatcher`` decodes, through private methods; its public
``id()``/``weight()``/``next()`` walk costs a Python call per posting. The functions here read
whole blocks instead, and find a term's ``W3TermInfo`` straight from the segment's terms table
(cached), for its frequency and where its postings are. Any segment or matcher that lacks the
private names is read through Whoosh's public API instead: same results, slower
(tests/search/test_whoosh_internals.py checks the fast paths are the ones taken).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict

from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

_MISSING = object()
# What a matcher needs for whole blocks to be read (``W3LeafMatcher``'s private methods).
_BLOCK_METHODS = ("_read_ids", "_read_weights", "_read_values", "_next_block")


class TermInfos:
    """Each term's ``TermInfo`` in each segment (how many documents hold it, where its
    postings are), by segment, field and term. Finding a term in Whoosh's on-disk hash table
    costs more than reading the few blocks of postings a re-rank or a phrase needs; with this
    cache a term is looked up once per segment for its frequency, postings and positions.
    At most ``size`` are kept (then the cache starts again)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._infos: dict[tuple[str, str, str], object] = {}
        self._lock = threading.Lock()

    @staticmethod
    def readable(leaf) -> bool:
        """Whether ``leaf`` is a Whoosh 3 segment whose term infos can be read directly."""
        terms = getattr(leaf, "_terms", None)
        return hasattr(terms, "term_info") and hasattr(terms, "_codec")

    def _info(self, leaf, field: str, term: str):
        """``term``'s TermInfo in ``leaf`` (None when the segment lacks it)."""
        key = (leaf.segment().segment_id(), field, term)
        info = self._infos.get(key, _MISSING)
        if info is _MISSING:
            try:
                info = leaf._terms.term_info(field, leaf._text_to_bytes(field, term))
            except TermNotFound:
                info = None
            with self._lock:
                if len(self._infos) >= self.size:
                    self._infos.clear()
                self._infos[key] = info
        return info

    def doc_frequency(self, leaf, field: str, term: str) -> int:
        """How many documents of ``leaf`` hold ``term`` (deleted ones too, as Whoosh counts)."""
        if not self.readable(leaf):
            return leaf.doc_frequency(field, term)
        info = self._info(leaf, field, term)
        return 0 if info is None else info.doc_frequency()

    def matcher(self, leaf, field: str, term: str):
        """A matcher of ``term``'s postings in ``leaf``, deleted documents included; None when
        the segment lacks the term."""
        if not self.readable(leaf):
            return _matcher(leaf, field, term)  # not a Whoosh 3 segment: no shortcut
        info = self._info(leaf, field, term)
        if info is None:
            return None
        terms = leaf._terms
        return terms._codec.postings_reader(terms._postfile, info, leaf.schema[field].format,
                                            term=(field, leaf._text_to_bytes(field, term)))


def leaf_matcher(leaf, field: str, term: str, infos: TermInfos | None = None):
    """The postings matcher of ``term`` in one segment, deleted documents included (callers
    drop them), and whether it reads whole blocks: Whoosh 3 postings come in blocks of up to
    128 whose arrays are private to ``W3LeafMatcher``; any other matcher (postings inlined in
    the term info) is walked posting by posting. (None, False) when the segment lacks ``term``.
    With ``infos``, where the postings are comes from that cache."""
    matcher = infos.matcher(leaf, field, term) if infos is not None else _matcher(leaf, field, term)
    if matcher is None:
        return None, False
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    blocks = all(hasattr(matcher, name) for name in _BLOCK_METHODS)
    return matcher, blocks


def _matcher(leaf, field: str, term: str):
    try:
        return leaf.postings(field, term)
    except TermNotFound:
        return None


def leaf_postings(leaf, field: str, term: str, infos: TermInfos | None = None,
                  ) -> tuple[list, list]:
    """Document numbers and weights of ``term`` in one segment, deleted documents included."""
    matcher, blocks = leaf_matcher(leaf, field, term, infos)
    ids: list = []
    weights: list = []
    if matcher is None:
        return ids, weights
    if blocks:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
        return ids, weights
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


class BlockCache:
    """Recently read blocks of postings (their document numbers and encoded positions), by
    segment and file offset: the blocks of common words serve many queries. At most ``size``
    blocks are kept, the least recently used going first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._blocks: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def read(self, leaf, matcher) -> tuple:
        """(ids, values) of the block ``matcher`` (a ``W3LeafMatcher``) is on."""
        key = (leaf.segment().segment_id(), matcher._dataoffset)
        with self._lock:
            found = self._blocks.get(key)
            if found is not None:
                self._blocks.move_to_end(key)
                return found
        matcher._read_ids()
        matcher._read_values()
        found = (matcher._ids, matcher._values)
        with self._lock:
            self._blocks[key] = found
            while len(self._blocks) > self.size:
                self._blocks.popitem(last=False)
        return found


def leaf_positions(leaf, field: str, term: str, wanted: list[int], cache: BlockCache,
                   infos: TermInfos) -> dict[int, list[int]]:
    """Positions of ``term`` in the documents ``wanted`` (sorted segment docnums) holding it,
    decoding only the blocks that hold them."""
    matcher, blocks = leaf_matcher(leaf, field, term, infos)
    found: dict[int, list[int]] = {}
    if matcher is None:
        return found
    decode = leaf.schema[field].format.decode_positions
    i = 0
    while matcher.is_active() and i < len(wanted):
        if not blocks:
            matcher.skip_to(wanted[i])
            if matcher.is_active() and matcher.id() == wanted[i]:
                found[wanted[i]] = decode(matcher.value())
            i += 1
            continue
        last = matcher.block_max_id()
        if wanted[i] <= last:
            ids, values = cache.read(leaf, matcher)
            while i < len(wanted) and wanted[i] <= last:
                k = bisect_left(ids, wanted[i])
                if k < len(ids) and ids[k] == wanted[i]:
                    found[wanted[i]] = decode(values[k])
                i += 1
        matcher._next_block()
    return found
