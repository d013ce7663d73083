"""Spelling correction from the index's own vocabulary, aware of Spanish slips.

Readers drop accents (handled by folding), swap b/v, y/ll, c/z/s (and qu/k, g/j before e/i),
forget a silent h, double or undouble letters. ``sound_key`` maps all of those to one key, so a
slip costs less than a real typo when candidates are ranked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

SLIP_DISTANCE = 0.5  # what a Spanish slip costs, against 1 for any other edit
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


@lru_cache(maxsize=65536)  # the same vocabulary words come up as candidates again and again
def sound_key(word: str) -> str:
    """A key equal for words that differ only by common Spanish spelling slips."""
    key = word.lower()
    for pattern, replacement in _SLIPS:
        key = pattern.sub(replacement, key)
    return key


def slip_distance(typed: str, candidate: str) -> float:
    """Edit distance (optimal string alignment) where a Spanish slip counts 0.5."""
    if sound_key(typed) == sound_key(candidate):
        return SLIP_DISTANCE
    return float(OSA.distance(typed, candidate))


def max_edits(word: str) -> float:
    """How far a typed word of this length may be from the word meant, a Spanish slip
    counting 0.5 and any other edit 1 (see ``typo_cost``): one slip up to 4 letters (``aroz``,
    ``yave``), one edit up to 9, two from 10 letters on."""
    return SLIP_DISTANCE if len(word) <= 4 else 1.0 if len(word) <= 9 else 2.0


def typo_cost(typed: str, candidate: str) -> float:
    """What it takes to get from ``candidate`` to ``typed``: the edits left once Spanish slips
    are set aside, plus 0.5 when there were slips (0.5 for slips alone, or for two letters
    swapped)."""
    edits = OSA.distance(typed, candidate)
    if edits == 1 and Levenshtein.distance(typed, candidate) == 2:
        return SLIP_DISTANCE  # two letters swapped (``pna``), as common as a slip
    unslipped = OSA.distance(sound_key(typed), sound_key(candidate))
    if unslipped < edits:
        return unslipped + SLIP_DISTANCE
    return float(edits)


def plausible(typed: str, candidate: str, allowed: float) -> bool:
    """Whether ``candidate`` is a likely slip of ``typed``: the same first letter or sound
    (readers rarely miss a word's first letter, except by a Spanish slip: ``vusqueda``,
    ``orno``) and a ``typo_cost`` of at most ``allowed``."""
    if typed[:1] != candidate[:1] and sound_key(typed)[:1] != sound_key(candidate)[:1]:
        return False
    return typo_cost(typed, candidate) <= allowed


# Letter groups a reader may write one for another, wherever they are in the word.
_SWAPS = (("b", "v"), ("v", "b"), ("ll", "y"), ("y", "ll"), ("z", "s"), ("s", "z"), ("z", "c"),
          ("c", "z"), ("s", "c"), ("c", "s"), ("j", "g"), ("g", "j"), ("k", "c"), ("c", "k"),
          ("qu", "k"), ("k", "qu"), ("x", "s"), ("cc", "c"), ("rr", "r"), ("r", "rr"),
          ("ll", "l"), ("l", "ll"), ("nn", "n"), ("ss", "s"))


def slip_variants(word: str) -> set[str]:
    """Spellings of ``word`` (lowercase, folded) that differ by one Spanish slip: b/v, y/ll,
    c/z/s, g/j, qu/k, a silent h added or dropped, a doubled letter."""
    variants = {"h" + word} if word[:1] in "aeiou" else set()
    if word.startswith("h"):
        variants.add(word[1:])
    for old, new in _SWAPS:
        start = word.find(old)
        while start != -1:
            variants.add(word[:start] + new + word[start + len(old):])
            start = word.find(old, start + 1)
    variants.discard(word)
    return {v for v in variants if v}


# First letters a reader may have swapped for another (b/v, c/s/z/k/q, g/j, y/ll, silent h).
_FIRST_LETTER_SLIPS = {
    "b": "v", "v": "b", "c": "szkq", "s": "cz", "z": "cs", "k": "cq", "q": "ck", "g": "j",
    "j": "g", "y": "l", "l": "y", "x": "s",
}


def first_letters(word: str) -> list[str]:
    """First letters under which the intended word may be filed in the vocabulary."""
    letters = [word[0], *_FIRST_LETTER_SLIPS.get(word[0], "")]
    if word[0] == "h" and len(word) > 1:
        letters.append(word[1])
    elif word[0] in "aeiou":
        letters.append("h")
    return letters


def best_candidates(
    typed: str, pool: list[str], doc_frequency: Callable[[str], int], allowed: float,
    limit: int = 3,
) -> list[tuple[str, float, int]]:
    """Closest terms of ``pool`` to ``typed``: (term, distance, doc frequency), closest first,
    then most frequent. Only plausible ones (see ``plausible``, with ``allowed``); slips count
    0.5 in the distance, other edits 1."""
    # Slips are edits to OSA too: look a little further, then keep the plausible ones.
    close = process.extract(typed, pool, scorer=OSA.distance, score_cutoff=int(allowed) + 2,
                            limit=None)
    scored = []
    for term, _, _ in close:
        if term != typed and plausible(typed, term, allowed):
            scored.append((term, slip_distance(typed, term), doc_frequency(term)))
    # On equal distance, prefer a word the reader typed with letters left out (the commonest
    # typo), then the more frequent word.
    scored.sort(key=lambda item: (item[1], not _is_subsequence(typed, item[0]), -item[2]))
    return scored[:limit]


def _is_subsequence(short: str, long: str) -> bool:
    """True when ``short`` is ``long`` with some letters left out."""
    letters = iter(long)
    return all(ch in letters for ch in short)
