"""The order of a search's results, page by page, and one post per text across languages."""

from __future__ import annotations

import numpy as np

from .languages import LanguageTable
from .plan import QueryPlan
from .postings import Scores
from .ranking import Scored


class ResultOrder:
    """The order of the results: partial matches that beat the best full match even after its
    all-terms factor come first (few: a post with the query's rare words in its title that
    lacks a common one), then every full match, best first, then other partial matches
    filling the last page. Sorted by date, the full matches alone, newest (or oldest) first."""

    def __init__(self, plan: QueryPlan, scores: Scores | None, full: np.ndarray, partial: np.ndarray,
                 sort: str) -> None:
        self.plan, self.scores, self.full, self.partial = plan, scores, full, partial
        self.by_score = scores is not None and sort == "relevance"
        self.newest_first = sort != "date_asc"
        self.leading: Scored = []
        depth = plan.ranking.rerank_depth
        if self.by_score and full.any() and partial.any():
            best = plan.rerank(scores.top(depth, within=full | partial), full, depth)
            for docnum, score in best:
                if full[docnum]:
                    break
                self.leading.append((docnum, score))
        self.lead = len(self.leading)

    def page(self, page: int, per_page: int, listed: int) -> Scored:
        """(docnum, score) of the requested page; ``listed``: leading and full matches."""
        start = (page - 1) * per_page
        end = min(start + per_page, -(-listed // per_page) * per_page if self.by_score else listed)
        if start >= end:
            return []
        out = self.leading[start:end]
        out += self._full(end - self.lead)[max(0, start - self.lead):end - self.lead]
        if end > listed:
            out += self._partial(end - listed)[max(0, start - listed):]
        return out

    def _full(self, needed: int) -> Scored:
        """The best ``needed`` full matches, in order."""
        if needed <= 0:
            return []
        if not self.by_score:
            docs = np.flatnonzero(self.full)
            stamps = self.plan.version.timestamps()[docs]
            order = np.lexsort((docs, -stamps if self.newest_first else stamps, stamps == 0))
            return [(int(docnum), 0.0) for docnum in docs[order][:needed]]
        depth = self.plan.ranking.rerank_depth
        scored = self.scores.top(max(depth, needed), within=self.full)
        return self.plan.rerank(scored[:depth], self.full, needed) + scored[depth:]

    def _partial(self, needed: int) -> Scored:
        """The best ``needed`` partial matches that do not lead, in order."""
        leading = {docnum for docnum, _ in self.leading}
        scored = self.scores.top(needed + len(leading), within=self.partial)
        return [item for item in self.plan.rerank(scored, None, needed)
                if item[0] not in leading][:needed]


def one_per_text(languages: LanguageTable, full: np.ndarray, partial: np.ndarray,
                  scores: Scores | None) -> tuple[np.ndarray, np.ndarray]:
    """``full`` and ``partial`` matches keeping one post per text (see ``LanguageTable.one_per_text``): a
    full match over its translations that match partly, else the best scored."""
    if scores is None:
        return languages.one_per_text(full, None), partial
    values = scores.values
    priority = np.where(full, values + float(values.max(initial=0.0)) + 1.0, values)
    kept = languages.one_per_text(full | partial, priority)
    return kept & full, kept & partial
