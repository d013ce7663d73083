"""Spelling correction from the index's own vocabulary, aware of Spanish slips.

Readers drop accents (handled by folding), swap b/v, y/ll, c/z/s (and qu/k, g/j before e/i),
forget a silent h, double or undouble letters. ``sound_key`` maps all of those to one key, so a
slip costs less than a real typo when candidates are ranked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

_SLIPS = [
    (re.compile(r"ll"), "y"),
    (re.compile(r"v"), "b"),
    (re.compile(r"(?:z|c(?=[ei])|s)"), "s"),
    (re.compile(r"qu(?=[ei])|c(?=[aou])|k"), "k"),
    (re.compile(r"g(?=[ei])"), "j"),
    (re.compile(r"(?<![cs])h"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"ks"), "s"),
]


def sound_key(word: str) -> str:
    """A key equal for words that differ only by common Spanish spelling slips."""
    key = word.lower()
    for pattern, replacement in _SLIPS:
        key = pattern.sub(replacement, key)
    return key


def slip_distance(typed: str, candidate: str) -> float:
    """Edit distance (optimal string alignment) where a Spanish slip counts 0.5."""
    if sound_key(typed) == sound_key(candidate):
        return 0.5
    return float(OSA.distance(typed, candidate))


def max_edits(word: str) -> int:
    """How many edits a word of this length may need: 1 up to 5 letters, else 2."""
    return 1 if len(word) <= 5 else 2


def best_candidates(
    typed: str, candidates: Iterable[tuple[str, int]], limit: int = 3
) -> list[tuple[str, float, int]]:
    """Rank (term, doc_freq) candidates for ``typed``: closest first, then most frequent."""
    allowed = max_edits(typed)
    freqs = dict(candidates)
    freqs.pop(typed, None)
    close = process.extract(typed, list(freqs), scorer=OSA.distance, score_cutoff=allowed,
                            limit=None)
    scored = [(term, slip_distance(typed, term), freqs[term]) for term, _, _ in close]
    scored.sort(key=lambda item: (item[1], -item[2]))
    return scored[:limit]
