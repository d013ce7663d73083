"""One version of an open index and what is derived from it: its searchers, stored posts,
facets, languages, dates, vocabulary and cached results, replaced together when the index
changes."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict

import numpy as np
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from .facets import FacetTable
from .languages import LanguageTable
from .postings import Postings
from .ranking import DEFAULT_RANKING, Ranking
from .schema import HEAD_FIELD, TEXT_FIELD

RESULT_CACHE_SIZE = 512  # results kept per index version (a new version starts empty)
ASKED_SIZE = 4096  # searches remembered as asked once: the second time, the result is kept
POST_CACHE_CHARS = 8_000_000  # text of the stored posts kept decoded per index version


class IndexVersion:
    """One version of the index and what is derived from it, replaced together when the index
    changes. Whoosh readers are not thread-safe, so each thread gets its own searcher."""

    def __init__(self, index, result_cache: int, language: str,
                 ranking: Ranking = DEFAULT_RANKING) -> None:
        self.index = index
        self.ranking = ranking
        self.result_cache = result_cache
        self.language = language  # the site's main language, "" for none
        self._local = threading.local()
        self._searchers: list = []
        self.facets: FacetTable | None = None
        self.languages: LanguageTable | None = None
        self.vocabulary: dict[str, list[str]] | None = None
        self.lexicon: list[str] | None = None
        self.pools: dict[tuple[str, ...], list[str]] = {}
        self.stamps: np.ndarray | None = None
        self._postings: Postings | None = None
        self.results: OrderedDict[tuple, bytes] = OrderedDict()  # pickled: callers get copies
        self.asked: OrderedDict[tuple, None] = OrderedDict()  # searches seen once, not cached
        self.posts: OrderedDict[int, tuple[dict, int]] = OrderedDict()  # docnum: (fields, chars)
        self.post_chars = 0
        self.lock = threading.RLock()

    @property
    def searcher(self) -> Searcher:
        """This thread's searcher of this index version."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.index.searcher(weighting=BM25F(B=self.ranking.b, K1=self.ranking.k1))
            self._local.searcher = searcher
            with self.lock:
                self._searchers.append(searcher)
        return searcher

    def close(self) -> None:
        """Close every thread's searcher."""
        with self.lock:
            for searcher in self._searchers:
                searcher.close()
            self._searchers.clear()

    def cached(self, key: tuple) -> dict | None:
        """A copy of the result this index version computed for ``key``, if still cached."""
        with self.lock:
            found = self.results.get(key)
            if found is not None:
                self.results.move_to_end(key)
        return None if found is None else pickle.loads(found)

    def remember(self, key: tuple, result: dict) -> None:
        """Keep ``result`` for ``key`` if ``key`` was asked before (least recently used results
        leave first). A search asked once is only noted: most are never asked again, and
        copying each result into the cache would cost every search."""
        if self.result_cache <= 0:
            return
        with self.lock:
            if key not in self.asked:
                self.asked[key] = None
                while len(self.asked) > ASKED_SIZE:
                    self.asked.popitem(last=False)
                return
        frozen = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        with self.lock:
            self.results[key] = frozen
            while len(self.results) > self.result_cache:
                self.results.popitem(last=False)

    def stored(self, docnum: int) -> dict:
        """The stored fields of post ``docnum``, shared between searches: never change them.

        Decoding a post (unzip and unpickle) costs more than a snippet, so the posts read last
        stay decoded, up to ``POST_CACHE_CHARS`` characters of text.
        """
        with self.lock:
            found = self.posts.get(docnum)
            if found is not None:
                self.posts.move_to_end(docnum)
                return found[0]
        fields = self.searcher.stored_fields(docnum)
        chars = sum(len(value) for value in fields.values() if isinstance(value, str))
        with self.lock:
            if docnum not in self.posts:
                self.posts[docnum] = (fields, chars)
                self.post_chars += chars
            while self.post_chars > POST_CACHE_CHARS and len(self.posts) > 1:
                self.post_chars -= self.posts.popitem(last=False)[1][1]
        return fields

    def facet_table(self) -> FacetTable:
        """Facet keys of every post, read from the keyword fields' postings."""
        with self.lock:
            if self.facets is None:
                self.facets = FacetTable.build(self.searcher.reader())
            return self.facets

    def language_table(self) -> LanguageTable:
        """Every post's language, read from the ``lang`` field's postings."""
        with self.lock:
            if self.languages is None:
                self.languages = LanguageTable(self.searcher.reader(), self.language,
                                               self.postings().live)
            return self.languages

    def postings(self) -> Postings:
        """This version's postings arrays and match-set caches."""
        with self.lock:
            if self._postings is None:
                self._postings = Postings(self.searcher.reader(), self.ranking)
            return self._postings

    def timestamps(self) -> np.ndarray:
        """Publication time (epoch seconds) of every post by docnum; 0 when it has no date."""
        with self.lock:
            if self.stamps is None:
                reader = self.searcher.reader()
                size = reader.doc_count_all()
                self.stamps = (np.fromiter(reader.column_reader("timestamp"), dtype=np.int64,
                                           count=size)
                               if reader.has_column("timestamp")
                               else np.zeros(size, dtype=np.int64))
            return self.stamps

    def terms(self) -> list[str]:
        """Every term of the text and head fields, sorted (prefixes expand over it)."""
        with self.lock:
            if self.lexicon is None:
                found: set = set()
                for leaf, _ in self.searcher.reader().leaf_readers():  # no costly merge
                    for name in (TEXT_FIELD, HEAD_FIELD):
                        found.update(leaf.lexicon(name))
                self.lexicon = sorted(t.decode("utf-8") if isinstance(t, bytes) else t
                                      for t in found)
            return self.lexicon

    def words(self) -> dict[str, list[str]]:
        """The vocabulary typos are corrected to (alphabetic terms), by first letter."""
        terms = self.terms()
        with self.lock:
            if self.vocabulary is None:
                by_letter: dict[str, list[str]] = {}
                for term in terms:
                    if len(term) > 2 and term.isascii() and term.isalpha():
                        by_letter.setdefault(term[0], []).append(term)
                self.vocabulary = by_letter
            return self.vocabulary

    def word_pool(self, letters: tuple[str, ...]) -> list[str]:
        """The vocabulary's words beginning with any of ``letters`` (built once per letters)."""
        vocabulary = self.words()
        with self.lock:
            pool = self.pools.get(letters)
            if pool is None:
                pool = self.pools[letters] = [word for letter in letters
                                              for word in vocabulary.get(letter, ())]
            return pool
