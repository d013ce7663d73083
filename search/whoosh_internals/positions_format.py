"""A posting's positions encoded as Whoosh's ``Positions`` format encodes them, faster.

The layout is Whoosh's, undocumented: the count of positions (``pack_uint``, 4 bytes), then the
pickled (protocol 2) list of gaps between them. ``Positions.decode_positions`` reads it back.
"""

from __future__ import annotations

from functools import lru_cache
from pickle import dumps

from whoosh.system import pack_uint

_ONE = pack_uint(1)


@lru_cache(maxsize=1 << 16)
def _one_position(position: int) -> bytes:
    """``encode_positions([position])``: most terms occur once in a post."""
    return _ONE + dumps([position], 2)


def encode_positions(poslist: list[int]) -> bytes:
    """The same bytes as Whoosh's ``Positions.encode(poslist)`` (ascending positions)."""
    if len(poslist) == 1:
        return _one_position(poslist[0])
    deltas = [pos - before for before, pos in zip([0, *poslist], poslist, strict=False)]
    return pack_uint(len(deltas)) + dumps(deltas, 2)
