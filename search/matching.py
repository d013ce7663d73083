"""Which posts match a query: those holding every group of it, relaxed when none does.

A group is one word of the query in any of its forms (stems, accents, a plausible typo), a
phrase, a prefix, or alternatives joined by OR. A post matches the query when it holds every
group: the total, the pages and the facet counts describe those posts. When no post holds them
all, the query is relaxed as Elasticsearch's ``minimum_should_match`` does: it matches the posts
holding the most of its groups that any post holds (say 3 of 4), each marked with the groups it
lacks; ranking puts first those that lack the least informative (the commonest) words, as
Meilisearch's ``frequency`` matching strategy leaves those out first. A group no post holds at
all (a word in no post, with no plausible correction, tells nothing about any post) is left out
before anything else, and a query whose every group is in no post matches nothing. Posts holding
fewer groups are partial matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Match:
    """The outcome of matching: boolean arrays by docnum, and the groups involved."""

    full: np.ndarray  # posts holding the most groups (every one, unless relaxed)
    partial: np.ndarray  # posts holding some group, but fewer
    kept: list[int] = field(default_factory=list)  # indexes of the groups some post holds
    held: int = 0  # how many of them each full match holds
    left_out: list[str] = field(default_factory=list)  # groups some full match lacks
    unknown: list[str] = field(default_factory=list)  # groups in no post at all

    @property
    def relaxed(self) -> bool:
        """Whether the full matches lack some of the groups some post holds."""
        return self.held < len(self.kept)


def match_groups(labels: list[str], hits: list[np.ndarray], allowed: np.ndarray,
                 scope: np.ndarray | None = None) -> Match:
    """Match ``hits`` (one boolean array per group: the posts holding it anywhere in the
    index) within the posts ``allowed`` (filters, exclusions); how far to relax is decided
    within ``scope`` (the posts of the language searched; default: all ``allowed``).
    ``labels`` name the groups as the reader typed them."""
    unknown = [labels[i] for i, hit in enumerate(hits) if not hit.any()]
    kept = [i for i, hit in enumerate(hits) if hit.any()]
    held = np.zeros(len(allowed), dtype=np.int16)
    for i in kept:
        held += hits[i] & allowed
    within = held if scope is None else held * scope
    most = int(within.max(initial=0))
    if not most:  # nothing in scope: as if every group were needed
        most = len(kept)
    full = (held >= most) & (held > 0)
    partial = (held > 0) & ~full
    left_out = [labels[i] for i in kept if most < len(kept) and (full & ~hits[i]).any()]
    return Match(full, partial, kept, min(most, len(kept)), unknown + left_out, unknown)


def missing(labels: list[str], hits: list[np.ndarray], kept: list[int], docnum: int) -> list[str]:
    """The kept groups post ``docnum`` does not hold, by label (empty for a full match)."""
    return [labels[i] for i in kept if not hits[i][docnum]]
