"""How results are ranked: every parameter and formula, in one place.

A post's score is BM25F (``Ranking.bm25``) summed over the leaves of the query it matches: each
query word in the ``text`` field (body, code, comments) and in the ``head`` field (title, tags
and categories, description; ``head_boost`` times as much), its exact accented form
(``accent_bonus``), and corrections of a typo (``typo_weight``). The parts of a post weigh
differently inside each field: the indexer writes each part's tokens with its weight
(``PART_WEIGHTS``), so BM25 sees weighted term frequencies. Then the ``rerank_depth`` best posts
are re-ranked (``Ranking.rerank``): the posts holding every group of the query get
``all_terms_factor``, and query words close together a proximity bonus. No recency: sorting by
date is a separate option.

``Engine(index, ranking=Ranking(...))`` searches with other values of the query-time
parameters; ``bench/relevance.py --set name=value`` (or ``--sweep``) measures them. The part
weights are written into the index: changing them makes the next index run a full one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import astuple, dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # arrays come in; numpy itself is not needed (the indexer never loads it)
    import numpy as np

Scored = list[tuple[int, float]]  # (docnum, score), best first
FAR = 1 << 30  # the distance of two words that are not both in a post


def _check(value: object, name: str, whole: bool, low: float, high: float = math.inf) -> None:
    """ValueError naming ``name`` unless ``value`` is a finite number (whole if ``whole``) in
    [low, high]."""
    kind = "a whole number" if whole else "a number"
    if (isinstance(value, bool) or not isinstance(value, int if whole else (int, float))
            or not math.isfinite(value) or not low <= value <= high):
        bounds = f"from {low:g} to {high:g}" if high < math.inf else f">= {low:g}"
        raise ValueError(f"ranking: {name} must be {kind} {bounds}, not {value!r}")


@dataclass(frozen=True)
class PartWeights:
    """Index time: the weight of each part of a post inside its field (a title word counts 1 in
    the head, a tag 0.6, ...). Written into the index with each token."""

    title: float = 1.0
    taxonomy: float = 0.6  # tags and categories
    description: float = 0.4
    body: float = 1.0
    code: float = 0.6
    comments: float = 0.3  # exported comments

    def __post_init__(self) -> None:
        for part in fields(self):
            _check(getattr(self, part.name), part.name, whole=False, low=0)

    def key(self) -> str:
        """These weights as text, recorded with the index: another key means a full run."""
        return ",".join(f"{value:g}" for value in astuple(self))


PART_WEIGHTS = PartWeights()


@dataclass(frozen=True)
class Ranking:
    """The query-time ranking parameters, with their defaults (BM25's are Whoosh's; the others
    were chosen on ``../shared/eval`` with ``bench/relevance.py``; docs/ranking.md explains
    each). A bad value is a ValueError naming it."""

    # BM25: term frequency saturation and length normalisation.
    k1: float = 1.2
    b: float = 0.75
    # Weight of a match in the head field (title, taxonomy, description) against the text field.
    head_boost: float = 8.0
    # Extra weight of the exact accented form of a word typed with accents (relative to the word).
    accent_bonus: float = 0.5
    # Weight of a typo's correction (divided by 1 + its distance to what was typed); only the
    # corrections within ``typo_spread`` of the closest one score.
    typo_weight: float = 0.7
    typo_spread: float = 0.5
    # Re-ranking of the best posts: the all-terms factor (at least 1: full matches never lose
    # to partial ones by it), the proximity bonus (divided by the distance of two consecutive
    # query words, nothing beyond the window).
    rerank_depth: int = 100
    all_terms_factor: float = 5.0
    proximity_bonus: float = 1.5
    proximity_window: int = 8

    def __post_init__(self) -> None:
        for name in ("k1", "head_boost", "accent_bonus", "typo_weight", "typo_spread",
                     "proximity_bonus"):
            _check(getattr(self, name), name, whole=False, low=0)
        _check(self.b, "b", whole=False, low=0, high=1)
        _check(self.all_terms_factor, "all_terms_factor", whole=False, low=1)
        for name in ("rerank_depth", "proximity_window"):
            _check(getattr(self, name), name, whole=True, low=1)

    # -- BM25F -------------------------------------------------------------------------------
    def bm25(self, tf: np.ndarray, lengths: np.ndarray, average: float, documents: int,
             frequency: int) -> np.ndarray:
        """BM25F scores of a term's weighted frequencies ``tf`` in posts of field ``lengths``
        (Whoosh's formula and idf: log(documents / (frequency + 1)) + 1)."""
        idf = math.log(documents / (frequency + 1)) + 1
        k1, b = self.k1, self.b
        return idf * (tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / (average or 1)))

    # -- re-ranking --------------------------------------------------------------------------
    def proximity(self, gap: int) -> float:
        """The bonus of two consecutive query words ``gap`` positions apart."""
        return self.proximity_bonus / gap if gap <= self.proximity_window else 0.0

    def proximity_ceiling(self, words: int) -> float:
        """The largest proximity bonus a post can earn for a query of ``words`` words."""
        return self.proximity(1) * max(0, words - 1)

    def rerank(self, scored: Scored, complete: np.ndarray | None, needed: int, words: list[str],
               positions: Callable[[list[str], list[int]], dict[str, dict[int, list[int]]]]
               ) -> Scored:
        """``scored`` with the all-terms factor on the posts ``complete`` marks and the
        proximity bonus of ``words`` (read through ``positions(words, docnums)``), sorted
        again. The first ``needed`` come out exactly as if every post had its bonus: posts too
        far behind to reach them (by more than ``proximity_ceiling``) are not read."""
        if complete is not None:
            factor = self.all_terms_factor
            scored = [(d, s * factor if complete[d] else s) for d, s in scored]
        scored.sort(key=lambda item: -item[1])
        if len(words) < 2 or len(scored) < 2:
            return scored
        floor = scored[min(needed, len(scored)) - 1][1] - self.proximity_ceiling(len(words))
        near = positions(words, sorted(d for d, s in scored if s >= floor))
        out = []
        for docnum, score in scored:
            if score >= floor:
                for a, b in zip(words, words[1:], strict=False):
                    score += self.proximity(closest(near[a].get(docnum), near[b].get(docnum)))
            out.append((docnum, score))
        out.sort(key=lambda item: -item[1])
        return out


DEFAULT_RANKING = Ranking()


def closest(first: list[int] | None, second: list[int] | None) -> int:
    """Smallest distance between a position in ``first`` and one in ``second`` (sorted)."""
    if not first or not second:
        return FAR
    best, i, j = FAR, 0, 0
    while i < len(first) and j < len(second):
        best = min(best, abs(first[i] - second[j]) or 1)
        if first[i] < second[j]:
            i += 1
        else:
            j += 1
    return best
