"""The query plan: a parsed query turned into groups of leaf queries (terms and phrases)
against one searcher, remembering what it did (typos corrected, terms to highlight). A post's
score is the sum of the scores of the leaves it matches (``ranking.py`` says how much each
weighs)."""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from .analysis import TOKEN_PATTERN, accented_term, fold, phrase_terms, stem, word_terms
from .budget import PREFIX_EXPANSION, Budget
from .corrections import Corrections
from .leaves import phrase_leaves, term_leaves
from .query import Clause, ParsedQuery
from .ranking import Scored
from .schema import HEAD_FIELD, TEXT_FIELD
from .version import IndexVersion


class QueryPlan:
    """The leaves of one search, built from ``parsed`` against ``version``'s ``searcher``."""

    def __init__(self, searcher, version: IndexVersion, parsed: ParsedQuery,
                 budget: Budget | None = None) -> None:
        self.searcher = searcher
        self.version = version
        self.ranking = version.ranking
        self.postings = version.postings()
        self.parsed = parsed
        self.budget = budget or Budget()
        prefixes = sum(1 for group in parsed.groups for c in group if c.kind == "prefix")
        self.prefix_share = self.budget.per_prefix(prefixes)
        self.highlight_terms: set[str] = set()
        self.fuzzy: set[str] = set()
        self.labels: list[str] = []
        self.corrections = Corrections(version, searcher, self.doc_frequency)
        self._seen_positions: dict[str, tuple[dict[int, list[int]], set[int]]] = {}

    def doc_frequency(self, term: str) -> int:
        """Posts holding ``term`` in their text or their head (an upper bound)."""
        return (self.postings.frequency(self.searcher, TEXT_FIELD, term)
                + self.postings.frequency(self.searcher, HEAD_FIELD, term))

    # -- per clause ----------------------------------------------------------------------
    def _word_leaves(self, word: str, scored: bool, fuzzy: bool = True) -> list:
        terms = word_terms(word)
        if not terms:
            return []
        main = terms[0]
        self.highlight_terms.add(main)
        leaves = term_leaves(main, self.ranking)
        accent = accented_term(word)
        if accent and scored:
            self.highlight_terms.add(accent)
            leaves += term_leaves(accent, self.ranking, self.ranking.accent_bonus)
        if fuzzy and self.doc_frequency(main) == 0:
            candidates = self.corrections.of(word, main)
            for term, distance, _ in candidates:
                if distance > candidates[0][1] + self.ranking.typo_spread:
                    break  # only the closest spellings
                self.fuzzy.add(word)
                self.highlight_terms.add(term)
                leaves += term_leaves(term, self.ranking, self.ranking.typo_weight / (1 + distance))
        return leaves

    def _phrase_leaves(self, text: str, scored: bool) -> list:
        terms = phrase_terms(text)
        if not terms:
            return []
        if len(terms) == 1:  # one word (the others were stopwords): searched as typed, uncorrected
            word = next(w for w in TOKEN_PATTERN.findall(text) if word_terms(w))
            return self._word_leaves(word, scored, fuzzy=False)
        words = [term for term, _ in terms]
        self.highlight_terms.update(words)
        # Stopwords are not indexed but keep their place: allow their gaps between words.
        slop = max(b - a for (_, a), (_, b) in zip(terms, terms[1:], strict=False))
        return phrase_leaves(words, slop, self.ranking)

    def _prefix_leaves(self, text: str, scored: bool) -> list:
        prefix = fold(text.lower())
        found: dict[str, int] = {}
        lexicon = self.version.terms()
        for candidate in dict.fromkeys((prefix, stem(prefix))):  # in this order in every process
            at = bisect_left(lexicon, candidate)
            while (at < len(lexicon) and lexicon[at].startswith(candidate)
                   and len(found) <= 4 * PREFIX_EXPANSION):
                found[lexicon[at]] = self.postings.frequency(self.searcher, TEXT_FIELD, lexicon[at])
                at += 1
        if len(found) > self.prefix_share < PREFIX_EXPANSION:
            self.budget.shared = True
        best = sorted(found, key=lambda t: -found[t])[:self.prefix_share]
        if not best:
            return self._word_leaves(text, scored)
        self.highlight_terms.update(best)
        return [leaf for term in best for leaf in term_leaves(term, self.ranking)]

    def clause_leaves(self, clause: Clause, scored: bool = True, fuzzy: bool = True) -> list:
        """The leaf queries of one clause (none when it has nothing searchable)."""
        if clause.kind == "phrase":
            return self._phrase_leaves(clause.text, scored)
        if clause.kind == "prefix":
            return self._prefix_leaves(clause.text, scored)
        return self._word_leaves(clause.text, scored, fuzzy and not clause.exact)

    # -- whole query ---------------------------------------------------------------------
    def groups(self) -> list[list]:
        """The leaves of each group of the query (alternatives), leaving out groups with
        nothing searchable; ``labels`` then names each group as the reader typed it."""
        groups, self.labels = [], []
        for group in self.parsed.groups:
            leaves = [leaf for clause in group for leaf in self.clause_leaves(clause)]
            if leaves:
                groups.append(leaves)
                self.labels.append(" OR ".join(label(clause) for clause in group))
        return groups

    def rerank(self, scored: Scored, complete: np.ndarray | None, needed: int) -> Scored:
        """``Ranking.rerank`` of ``scored`` with this query's single words (those that are a
        group of their own) for the proximity bonus."""
        words = [word_terms(c.text)[0] for g in self.parsed.groups if len(g) == 1
                 for c in g if c.kind == "word" and word_terms(c.text)]
        return self.ranking.rerank(scored, complete, needed, words, self._positions)

    def suggestion(self) -> dict | None:
        """Did-you-mean for this query (see ``Corrections.suggestion``)."""
        return self.corrections.suggestion(self.parsed.clauses)

    def _positions(self, terms: list[str], docnums: list[int]) -> dict[str, dict[int, list[int]]]:
        """Positions of each term in each of ``docnums`` (sorted) that holds it. Read once per
        plan: the full and the partial matches are re-ranked apart, often over the same posts."""
        out = {}
        for term in dict.fromkeys(terms):
            found, seen = self._seen_positions.setdefault(term, ({}, set()))
            unread = [docnum for docnum in docnums if docnum not in seen]
            if unread:
                found.update(self.postings.positions(self.searcher, TEXT_FIELD, term, unread))
                seen.update(unread)
            out[term] = found
        return out


def label(clause: Clause) -> str:
    """A clause as the reader would type it: ``word``, ``"a phrase"``, ``prefix*``."""
    if clause.kind == "phrase":
        return f'"{clause.text}"'
    return clause.text + "*" if clause.kind == "prefix" else clause.text
