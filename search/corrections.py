"""Typos within one search: the index terms a word no post holds was likely meant as, and the
did-you-mean suggestion. The distances and plausibility rules are ``spelling.py``'s; this module
applies them to one index version."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .analysis import fold, word_terms
from .leaves import term_leaves
from .postings import Scores
from .query import Clause
from .snippets import matches
from .spelling import (
    SLIP_DISTANCE,
    best_candidates,
    first_letters,
    max_edits,
    plausible,
    slip_distance,
    slip_variants,
)
from .version import IndexVersion
from .wordlists import is_known_word

MAX_FUZZY_CHARS = 30  # longer "words" are not typos worth correcting
CORRECTIONS = 4  # closest corrections kept per word

Correction = tuple[str, float, int]  # (term, distance, doc frequency)


class Corrections:
    """The corrections of one search, each worked out once (the fuzzy search and the
    did-you-mean suggestion both ask)."""

    def __init__(self, version: IndexVersion, searcher, frequency: Callable[[str], int]) -> None:
        """``frequency(term)``: how many posts hold ``term`` (text or head)."""
        self.version = version
        self.searcher = searcher
        self.frequency = frequency
        self._found: dict[tuple[str, str], list[Correction]] = {}
        self._term_forms: dict[str, set[str]] = {}

    def of(self, word: str, main: str) -> list[Correction]:
        """Likely intended index terms for ``word`` (whose analysed term is ``main``), closest
        first."""
        key = (word, main)
        if key not in self._found:
            self._found[key] = self._find(word, main)
        return self._found[key]

    def _find(self, word: str, main: str) -> list[Correction]:
        if not main.isalpha() or not 3 <= len(main) <= MAX_FUZZY_CHARS:
            return []
        typed = fold(word.lower())
        # A real word (``docker``) is what the reader meant: only a Spanish slip is undone.
        allowed = (SLIP_DISTANCE if is_known_word(word.lower()) or is_known_word(typed)
                   else max_edits(typed))
        pool = self.version.word_pool(tuple(first_letters(main)))
        found = best_candidates(main, pool, self.frequency, allowed)
        # Slips change short words' stems too (``orno`` stays, ``horno`` → ``horn``): also try
        # the typed word with each Spanish slip undone, when a word the posts write with that
        # stem is a likely slip of the typed one (stems hide words: ``docker`` undone as
        # ``docer`` has the stem of ``doce``).
        known = {term for term, _, _ in found}
        slips = []
        for variant in slip_variants(typed):
            terms = word_terms(variant)
            if terms and terms[0] not in known and terms[0] != main:
                freq = self.frequency(terms[0])
                if freq and self._written_like(typed, terms[0], allowed):
                    known.add(terms[0])
                    slips.append((terms[0], SLIP_DISTANCE, freq))
        slips.sort(key=lambda item: -item[2])
        # A stable sort on distance keeps best_candidates' order among equals.
        return sorted(slips + found, key=lambda item: item[1])[:CORRECTIONS]

    def suggestion(self, clauses: list[Clause]) -> dict | None:
        """Did-you-mean: the query with the words no post holds replaced by the closest words
        the blog uses. Words that are in the blog are never replaced."""
        replaced: dict[str, str] = {}
        for clause in clauses:
            if clause.kind != "word":
                continue
            terms = word_terms(clause.text)
            if not terms or not terms[0].isalpha() or self.frequency(terms[0]):
                continue
            candidates = self.of(clause.text, terms[0])
            if candidates:
                fixed = self._surface(candidates[0][0], clause.text) or candidates[0][0]
                if fold(fixed) != fold(clause.text.lower()):
                    replaced[clause.text] = fixed
        if not replaced:
            return None
        text_words, html_words = [], []
        for piece in " ".join(c.text for c in clauses).split():
            fixed = replaced.get(piece)
            text_words.append(fixed or piece)
            html_words.append(f"<mark>{escape(fixed)}</mark>" if fixed else escape(piece))
        return {"query": " ".join(text_words), "html": " ".join(html_words)}

    def _written_like(self, typed: str, term: str, allowed: float) -> bool:
        """Whether a word the best posts holding ``term`` write is a likely slip of ``typed``
        (or they show none: a word of their code, say)."""
        forms = self._forms(term)
        return not forms or any(plausible(typed, fold(form), allowed) for form in forms)

    def _forms(self, term: str) -> set[str]:
        """The words (lowercase) the best three posts holding ``term`` write it as, in their
        title, tags, categories, description or body."""
        forms = self._term_forms.get(term)
        if forms is None:
            forms = self._term_forms[term] = set()
            leaves = term_leaves(term, self.version.ranking)
            for docnum, _ in Scores(self.version.postings(), self.searcher, [leaves]).top(3):
                doc = self.version.stored(docnum)
                meta = doc.get("meta") or {}
                texts = [doc.get(source) or "" for source in ("title", "description", "body")]
                texts += [str(value) for key in ("tags", "categories") for value in meta.get(key) or ()]
                for text in texts:
                    forms.update(text[start:end].lower()
                                 for start, end, _ in matches(text, {term}))
        return forms

    def _surface(self, term: str, typed: str) -> str | None:
        """How ``term`` is written in the posts: of the forms in the best posts holding it,
        the one closest to what the reader ``typed``."""
        forms = self._forms(term)
        return min(sorted(forms), key=lambda form: slip_distance(fold(typed), fold(form)),
                   default=None)
