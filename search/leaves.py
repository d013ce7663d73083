"""The leaf queries whose scores a search adds up: a term or a phrase in the text field, plus
its match in the head field, weighted by the ranking's ``head_boost``."""

from __future__ import annotations

from whoosh import query as wq

from .ranking import Ranking
from .schema import HEAD_FIELD, TEXT_FIELD


def term_leaves(term: str, ranking: Ranking, weight: float = 1.0) -> list[wq.Term]:
    """``term`` in the whole post, plus its separately scored match in the head."""
    return [wq.Term(TEXT_FIELD, term, boost=weight),
            wq.Term(HEAD_FIELD, term, boost=weight * ranking.head_boost)]


def phrase_leaves(words: list[str], slop: int, ranking: Ranking) -> list[wq.Phrase]:
    """``words`` in this order, each at most ``slop`` positions after the previous one."""
    return [wq.Phrase(TEXT_FIELD, words, slop=slop),
            wq.Phrase(HEAD_FIELD, words, slop=slop, boost=ranking.head_boost)]
