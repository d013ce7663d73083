"""The search API: ``Engine(index_dir).search(...)`` and friends, returning plain data.

Ranking: BM25F over two fields with per-token weights: ``head`` (title > tags and categories >
description) and ``text`` (body > code > comments), the head counting eight times as much.
What matches, and what the counts count, is ``matching.py``: the posts holding every group of
the query, or when none does, the posts holding the most of them. The full matches come first,
after the few partial matches whose score beats ALL_TERMS_FACTOR times the best full match's;
the other partial matches fill the last page. Query words close together add a proximity
bonus; a word typed with accents also matches its exact accented form for a bonus. No recency
in the score: sorting by date is a separate option.

Languages: a search covers the site's main language (from the manifest; posts without a
language count as written in it) unless it asks for another, or for ``all``. With no main
language (older indexes, plain folders) it covers every post. ``all`` lists each text once:
the best match among a post and its translations, which the result names.
"""

from __future__ import annotations

import math
import pickle
import threading
import time
from bisect import bisect_left
from collections import OrderedDict
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F

from .analysis import TOKEN_PATTERN, accented_term, fold, phrase_terms, stem, word_terms
from .budget import PREFIX_EXPANSION, Budget, CostlySearches
from .facets import FACETS, FacetTable, facet_key
from .languages import LanguageTable
from .matching import Match, match_groups, missing
from .postings import Postings, Scores, union
from .query import (
    ALL_LANGUAGES,
    Clause,
    ParsedQuery,
    language_filter,
    language_key,
    parse_date_filter,
    parse_query,
)
from .sections import matching_sections
from .snippets import highlight, matches, snippet
from .spelling import (
    SLIP_DISTANCE,
    best_candidates,
    first_letters,
    max_edits,
    plausible,
    slip_distance,
    slip_variants,
)
from .store import (
    MANIFEST_NAME,
    IndexUnavailable,
    Manifest,
    damage,
    generation_damage,
    generation_dir,
    load_manifest,
    open_index,
)
from .wordlists import is_known_word, load_wordlists

MAX_PAGE = 1000
MAX_PER_PAGE = 100
SORTS = ("relevance", "date", "date_asc")
FILTER_NAMES = ("tag", "category", "author", "year", "date_from", "date_to",
                "not_tag", "not_category", "not_author", "language")
SINGLE_FILTERS = ("date_from", "date_to", "language")  # one value: the last one given wins
LANGUAGE_FACET = "lang"
# A partial match (some groups of the query, not all) comes before the full matches only when
# its score is this many times the best full match's (say, the rare words of the query in its
# title). Measured against listing every full match first in the README.
ALL_TERMS_FACTOR = 5.0
ACCENT_BOOST = 0.5  # extra weight for the exact accented form (relative to the field weight)
FIELD = "text"
HEAD_FIELD = "head"
HEAD_BOOST = 8.0
PROXIMITY_BOOST = 1.5
FUZZY_EXPANSION = 4
FUZZY_WEIGHT = 0.7
MAX_FUZZY_CHARS = 30  # longer "words" are not typos worth correcting
REFRESH_SECONDS = 1.0
RESULT_CACHE_SIZE = 512  # results kept per index version (a new version starts empty)
ASKED_SIZE = 4096  # searches remembered as asked once: the second time, the result is kept
POST_CACHE_CHARS = 8_000_000  # text of the stored posts kept decoded per index version
RERANK_DEPTH = 100  # top posts re-ranked with the all-terms factor and proximity bonus
PROXIMITY_WINDOW = 8  # words further apart than this earn no proximity bonus
SNIPPET_SOURCES = ("body", "description")
SNIPPET_WORDS = 3  # a snippet window holding this many query words (or all of them) will do


def _or(subqueries: list) -> wq.Or:
    """An Or query that unions its matchers lazily (Whoosh preloads arrays on small indexes,
    which costs far more than it saves for small disjunctions)."""
    query = wq.Or(subqueries)
    query.matcher_type = wq.Or.DEFAULT_MATCHER
    return query


class _Version:
    """One version of the index and what is derived from it, replaced together when the index
    changes. Whoosh readers are not thread-safe, so each thread gets its own searcher."""

    def __init__(self, index, result_cache: int, language: str) -> None:
        self.index = index
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
    def searcher(self):
        """This thread's searcher of this index version."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.index.searcher(weighting=BM25F())
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
                self._postings = Postings(self.searcher.reader())
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
                    for name in (FIELD, HEAD_FIELD):
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


class Engine:
    """Searches one index; thread-safe; reuses its searcher and refreshes it when the index changes."""

    def __init__(self, index_dir: str | Path, result_cache: int | None = None) -> None:
        """``result_cache``: how many results of searches asked more than once to keep per
        index version (default ``RESULT_CACHE_SIZE``; 0 turns the cache off)."""
        self.index_dir = Path(index_dir)
        self.result_cache = RESULT_CACHE_SIZE if result_cache is None else max(0, result_cache)
        self._lock = threading.Lock()
        self._index = None
        self._generation: Path | None = None
        self._version: _Version | None = None
        self._checked = 0.0
        self._manifest: tuple[tuple | None, dict | None] = (None, None)  # (stamp, what it says)
        self._costly = CostlySearches()

    # -- lifecycle ---------------------------------------------------------------------------
    def _current(self) -> _Version:
        with self._lock:
            now = time.monotonic()
            if self._version is None:
                self._open()
            elif now - self._checked >= REFRESH_SECONDS:
                self._checked = now
                try:
                    # A rebuild was published, or a commit landed in the live generation. Open
                    # afresh: Searcher.refresh() reuses segment readers with stale deletions.
                    if (generation_dir(self.index_dir) != self._generation
                            or not self._version.searcher.up_to_date()
                            or self._main_language() != self._version.language):
                        self._open()
                except (OSError, IndexUnavailable):
                    pass  # the index is being replaced; keep serving the current version
            return self._version

    def _open(self) -> None:
        generation = generation_dir(self.index_dir)
        index = open_index(self.index_dir)
        self._version = _Version(index, self.result_cache, self._main_language())
        self._index, self._generation = index, generation
        self._checked = time.monotonic()
        load_wordlists()  # once per process, and never inside a search's time budget

    def warm(self) -> None:
        """Read now what every search shares (facets, dates, field lengths, the vocabulary for
        typos, the word lists) rather than during the first searches."""
        version = self._current()
        version.facet_table()
        version.language_table()
        version.timestamps()
        version.words()
        version.postings().warm(version.searcher, (FIELD, HEAD_FIELD))

    def close(self) -> None:
        """Release the index files."""
        with self._lock:
            if self._version is not None:
                self._version.close()
            self._version = None

    def stats(self) -> dict:
        """Post count, content folder and time of the last index run. Raises IndexUnavailable
        when there is no index, or its files are damaged (truncated, missing)."""
        found = self._read_manifest()
        if found is None:
            raise IndexUnavailable(f"{self.index_dir}: no index here yet")
        self._check_files(found)
        return {key: found[key] for key in ("posts", "content_dir", "last_indexed")}

    def _replaced_after_damage(self, version: _Version) -> bool:
        """After a search failed on ``version``: True when a newer index is now open (search
        again); IndexUnavailable when the files of ``version`` are damaged and no repaired
        index is live yet; False when they are whole (the failure is a bug to report)."""
        with self._lock:
            if self._version is not version:
                return True
            generation = self._generation
        problem = generation_damage(generation) if generation else None
        if problem is None:
            return False
        with self._lock:
            if self._version is version and generation_dir(self.index_dir) != generation:
                self._open()  # a rebuild was published: use it now, not in a second
            if self._version is not version:
                return True
        raise IndexUnavailable(f"{generation}: index damaged ({problem}); `blogsearch index "
                               "CONTENT_DIR` rebuilds it")

    def _check_files(self, found: dict) -> None:
        generation = generation_dir(self.index_dir)
        problem = damage(generation, Manifest(files=found["files"])) if generation else None
        if problem:
            raise IndexUnavailable(f"{generation}: index damaged ({problem}); `blogsearch index "
                                   "CONTENT_DIR` rebuilds it")

    def _main_language(self) -> str:
        """The site's main language as the manifest gives it ("" for none, or no manifest)."""
        found = self._read_manifest()
        return found["language"] if found else ""

    def _read_manifest(self) -> dict | None:
        """What the live manifest says, read again only when it changed (it holds one hash
        per post); None when there is none."""
        generation = generation_dir(self.index_dir)
        path = generation / MANIFEST_NAME if generation else None
        try:
            stamp = (path, path.stat().st_mtime_ns) if path else None
        except OSError:
            stamp = None
        seen, found = self._manifest
        if stamp is None or stamp != seen:
            manifest = load_manifest(self.index_dir)
            found = None if manifest is None else {
                "posts": manifest.posts, "content_dir": manifest.content_dir,
                "last_indexed": manifest.last_indexed,
                "language": language_key(manifest.language),
                "files": manifest.files,
            }
            self._manifest = (stamp, found)
        return found

    # -- search ------------------------------------------------------------------------------
    def search(
        self,
        query: str = "",
        filters: dict[str, list[str]] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 10,
        *,
        snippets: bool = True,
        facets: bool = True,
    ) -> dict:
        """Search the index. See the README for the query language and the result shape.

        Raises ValueError naming the parameter for a bad ``sort``, ``page``, ``per_page`` or
        ``filters``; any query text at all is accepted.
        """
        started = time.perf_counter()
        _check_paging(sort, page, per_page)
        query = query if isinstance(query, str) else str(query)
        version = self._current()
        key = (query, repr(filters), sort, page, per_page, snippets, facets)
        found = version.cached(key)
        if found is None:
            arguments = (query, filters, sort, page, per_page, snippets, facets)
            try:
                found = self._search(version, *arguments)
            except ValueError:
                raise
            except Exception:  # whoosh raises plain Exceptions on damaged files: say so
                if not self._replaced_after_damage(version):
                    raise
                version = self._current()
                found = self._search(version, *arguments)
            if not any(m["code"] == "budget" for m in found["messages"]):
                version.remember(key, found)  # a result its budget cut may be whole next time
        found["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return found

    def _search(self, version: _Version, query: str, filters: dict[str, list[str]] | None,
                sort: str, page: int, per_page: int, snippets: bool, facets: bool) -> dict:
        parsed = parse_query(query)
        active = _merge_filters(parsed, filters)
        language = active.get("language", [version.language or ALL_LANGUAGES])[0]
        clauses = parsed.clauses
        held = self._costly.admit(len(clauses), sum(1 for c in clauses if c.kind != "word"))
        budget = Budget()
        try:
            return self._search_within(version, query, parsed, active, language, budget, sort,
                                       page, per_page, snippets, facets)
        finally:
            if held:
                self._costly.release()

    def _search_within(self, version: _Version, query: str, parsed: ParsedQuery, active: dict,
                       language: str, budget: Budget, sort: str, page: int, per_page: int,
                       snippets: bool, facets: bool) -> dict:
        searcher = version.searcher
        plan = _Plan(searcher, version, parsed, budget)
        groups = plan.groups()
        scores = None
        found = Match(*(np.zeros(plan.postings.size, dtype=bool),) * 2)
        in_language = (None if language == ALL_LANGUAGES
                       else version.language_table().mask(language))
        if groups:
            scores = Scores(plan.postings, searcher, groups, budget)
            allowed = self._allowed(plan, active)
            found = match_groups(plan.labels, scores.hits, allowed,
                                 None if in_language is None else allowed & in_language)
        elif active and not parsed.groups:  # filters alone: every post they allow, newest first
            found.full = self._allowed(plan, active)
        # ``everything``: the posts matching in any language; ``matched``: in ``language``.
        everything = found.full
        matched = everything if in_language is None else everything & in_language
        partial = found.partial if in_language is None else found.partial & in_language
        if in_language is None:  # every language: a text once, not beside its translations
            matched, partial = _one_per_text(version.language_table(), matched, partial, scores)
        total = int(np.count_nonzero(matched))
        ranked = _Ranking(plan, scores, matched, partial, sort)
        listed = ranked.lead + total  # leading partial matches, then every full match
        hits = []
        for docnum, score in ranked.page(page, per_page, listed):
            hit = self._result(version.stored(docnum), score, plan.highlight_terms,
                               min(max(1, len(groups)), SNIPPET_WORDS) if snippets else 0,
                               version.language, self._translations(version, docnum))
            hit["missing"] = (missing(plan.labels, scores.hits, found.kept, docnum)
                              if scores is not None else [])
            hits.append(hit)
        facet_counts = (
            version.facet_table().counts(matched) if facets and total
            else {name: [] for name in FACETS}
        )
        facet_counts[LANGUAGE_FACET] = (version.language_table().counts(everything)
                                        if facets else [])
        suggestion = plan.suggestion()
        messages = list(parsed.messages)
        if plan.fuzzy:
            messages.append({"code": "fuzzy", "params": {"terms": sorted(plan.fuzzy)}})
        if budget.shared:
            messages.append({"code": "prefixes", "params": {"limit": plan.prefix_share}})
        if budget.cut:
            messages.append({"code": "budget", "params": {}})
        if found.unknown:
            messages.append({"code": "unknown", "params": {"words": found.unknown,
                                                           "results": bool(total)}})
        if found.relaxed and total:
            messages.append({"code": "left_out", "params": {
                "words": [label for label in found.left_out if label not in found.unknown],
                "held": found.held, "count": len(found.kept)}})
        return {
            "query": query,
            "total": total,
            "page": page,
            "per_page": per_page,
            "pages": max(1, math.ceil(listed / per_page)) if total else 0,
            "sort": sort,
            "results": hits,
            "facets": facet_counts,
            "filters": active,
            "language": language,
            "left_out": found.left_out,
            "unknown": found.unknown,
            "as_typed": bool(total) and not plan.fuzzy and not found.left_out,
            "suggestion": suggestion,
            "messages": messages,
            "took_ms": 0.0,
        }

    @staticmethod
    def _allowed(plan: _Plan, active: dict[str, list[str]]) -> np.ndarray:
        """The posts the filters allow and the query's excluded words do not rule out."""
        postings, searcher = plan.postings, plan.searcher
        allowed = postings.live
        filter_query, mask_query = _filter_queries(active)
        if filter_query is not None:
            allowed = allowed & postings.mask(searcher, filter_query)
        if mask_query is not None:
            allowed = allowed & ~postings.mask(searcher, mask_query)
        excluded = [leaf for clause in plan.parsed.excluded
                    for leaf in plan.clause_leaves(clause, scored=False, fuzzy=False)]
        if excluded:
            allowed = allowed & ~union(postings, searcher, excluded)
        return allowed

    @staticmethod
    def _translations(version: _Version, docnum: int) -> list[dict]:
        """The post's translations as {lang, url, path}, in the order they were indexed."""
        found = []
        for other in version.language_table().translations(docnum):
            stored = version.stored(other)
            found.append({"lang": (stored.get("meta") or {}).get("lang") or version.language,
                          "url": stored.get("url") or "", "path": stored["path"]})
        return found

    @staticmethod
    def _result(stored: dict, score: float, terms: set[str], snippet_words: int,
                main_language: str, translations: list[dict]) -> dict:
        """One hit as plain data; with a snippet unless ``snippet_words`` is 0, else the first
        window holding that many distinct query terms. A post without a language is in
        ``main_language``; ``translations`` lists its other languages."""
        meta = stored.get("meta") or {}
        text = ""
        if snippet_words:
            for source in SNIPPET_SOURCES:
                candidate = snippet(stored.get(source) or "", terms, enough=snippet_words)
                if "<mark>" in candidate or not text:
                    text = candidate
                if "<mark>" in text:
                    break
        title = stored.get("title") or stored["path"]
        url = stored.get("url") or ""
        sections = (matching_sections(stored.get("body") or "", stored.get("headings") or [], url, terms)
                    if snippet_words else [])
        return {
            "path": stored["path"],
            "url": url,
            "title": title,
            "title_html": highlight(title, terms),
            "date": meta.get("date"),
            "updated": meta.get("updated"),
            "author": meta.get("author") or "",
            "tags": list(meta.get("tags") or []),
            "categories": list(meta.get("categories") or []),
            "lang": meta.get("lang") or main_language,
            "kind": meta.get("kind") or "post",
            "translations": translations,
            "score": round(float(score), 4),
            "snippet": text,
            "sections": sections,
            "image": stored.get("image") or None,
        }

    def suggest(self, text: str, limit: int = 8) -> list[dict]:
        """Search-as-you-type: posts for ``text`` with its last word read as a prefix."""
        limit = max(1, min(int(limit), 20))
        text = (text or "")[:200]
        if not text.strip():
            return []
        typed = text if text.endswith((" ", '"', "*")) else text + "*"
        found = self.search(typed, per_page=limit, snippets=False, facets=False)
        if not found["results"]:
            found = self.search(text, per_page=limit, snippets=False, facets=False)
        return [{"title": r["title"], "title_html": r["title_html"], "url": r["url"],
                 "path": r["path"]} for r in found["results"]]

    def more_like_this(self, path: str, limit: int = 5) -> list[dict]:
        """Posts most similar to the post at ``path``, in its language (a translation is not
        a related post); ValueError if there is none."""
        limit = max(1, min(int(limit), 20))
        version = self._current()
        searcher = version.searcher
        docnum = searcher.document_number(path=path)
        if docnum is None:
            raise ValueError(f"path: no indexed post at {path!r}")
        stored = searcher.stored_fields(docnum)
        text = " ".join([stored.get("title") or ""] * 3 + [(stored.get("body") or "")[:20000]])
        key_terms = searcher.key_terms_from_text(FIELD, text, numterms=24)
        if not key_terms:
            return []
        q = _or([wq.Term(FIELD, t, boost=w) for t, w in key_terms])
        mask = wq.Term("path", path)
        languages = version.language_table()
        if languages.several:
            elsewhere = ~languages.mask(languages.language(docnum))
            mask = {docnum, *np.flatnonzero(elsewhere).tolist()}
        hits = searcher.search(q, limit=limit, mask=mask)
        return [{"title": h["title"], "url": h.get("url") or "", "path": h["path"],
                 "date": (h.get("meta") or {}).get("date")} for h in hits]


class _Ranking:
    """The order of the results: partial matches that beat the best full match even after its
    all-terms factor come first (few: a post with the query's rare words in its title that
    lacks a common one), then every full match, best first, then other partial matches
    filling the last page. Sorted by date, the full matches alone, newest (or oldest) first."""

    def __init__(self, plan: _Plan, scores: Scores | None, full: np.ndarray, partial: np.ndarray,
                 sort: str) -> None:
        self.plan, self.scores, self.full, self.partial = plan, scores, full, partial
        self.by_score = scores is not None and sort == "relevance"
        self.newest_first = sort != "date_asc"
        self.leading: list[tuple[int, float]] = []
        if self.by_score and full.any() and partial.any():
            best = plan.rerank(scores.top(RERANK_DEPTH, within=full | partial), full, RERANK_DEPTH)
            for docnum, score in best:
                if full[docnum]:
                    break
                self.leading.append((docnum, score))
        self.lead = len(self.leading)

    def page(self, page: int, per_page: int, listed: int) -> list[tuple[int, float]]:
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

    def _full(self, needed: int) -> list[tuple[int, float]]:
        """The best ``needed`` full matches, in order."""
        if needed <= 0:
            return []
        if not self.by_score:
            docs = np.flatnonzero(self.full)
            stamps = self.plan.version.timestamps()[docs]
            order = np.lexsort((docs, -stamps if self.newest_first else stamps, stamps == 0))
            return [(int(docnum), 0.0) for docnum in docs[order][:needed]]
        scored = self.scores.top(max(RERANK_DEPTH, needed), within=self.full)
        return self.plan.rerank(scored[:RERANK_DEPTH], self.full, needed) + scored[RERANK_DEPTH:]

    def _partial(self, needed: int) -> list[tuple[int, float]]:
        """The best ``needed`` partial matches that do not lead, in order."""
        leading = {docnum for docnum, _ in self.leading}
        scored = self.scores.top(needed + len(leading), within=self.partial)
        return [item for item in self.plan.rerank(scored, None, needed)
                if item[0] not in leading][:needed]


def _one_per_text(languages: LanguageTable, full: np.ndarray, partial: np.ndarray,
                  scores: Scores | None) -> tuple[np.ndarray, np.ndarray]:
    """``full`` and ``partial`` matches keeping one post per text (see ``one_per_text``): a
    full match over its translations that match partly, else the best scored."""
    if scores is None:
        return languages.one_per_text(full, None), partial
    values = scores.values
    priority = np.where(full, values + float(values.max(initial=0.0)) + 1.0, values)
    kept = languages.one_per_text(full | partial, priority)
    return kept & full, kept & partial


def _label(clause: Clause) -> str:
    """A clause as the reader would type it: ``word``, ``"a phrase"``, ``prefix*``."""
    if clause.kind == "phrase":
        return f'"{clause.text}"'
    return clause.text + "*" if clause.kind == "prefix" else clause.text


def _closest(first: list[int] | None, second: list[int] | None) -> int:
    """Smallest distance between a position in ``first`` and one in ``second``."""
    if not first or not second:
        return 1 << 30
    best, i, j = 1 << 30, 0, 0
    while i < len(first) and j < len(second):
        best = min(best, abs(first[i] - second[j]) or 1)
        if first[i] < second[j]:
            i += 1
        else:
            j += 1
    return best


def _check_paging(sort: str, page: int, per_page: int) -> None:
    if sort not in SORTS:
        raise ValueError(f"sort: must be one of {', '.join(SORTS)}")
    if not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise ValueError(f"page: must be a whole number from 1 to {MAX_PAGE}")
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page: must be a whole number from 1 to {MAX_PER_PAGE}")


def _merge_filters(parsed: ParsedQuery, filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Filters from the caller plus those written in the query, validated, as facet keys (a
    language as ``language_filter`` gives it)."""
    merged: dict[str, list[str]] = {}
    for source in (filters or {}), parsed.filters:
        if not isinstance(source, dict):
            raise ValueError("filters: must map a filter name to a list of values")
        for name, values in source.items():
            if name not in FILTER_NAMES:
                raise ValueError(f"filters: unknown filter {name!r} (use {', '.join(FILTER_NAMES)})")
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, (list, tuple)):
                raise ValueError(f"filters: {name} must be a list of strings")
            for value in values:
                value = str(value).strip()[:100]
                if not value:
                    continue
                if name in ("year", "date_from", "date_to") and parse_date_filter(value) is None:
                    raise ValueError(f"filters: {name} must be a date like 2011, 2011-03 or 2011-03-05")
                if name == "language":
                    value = language_filter(value)
                    if not value:
                        raise ValueError("filters: language must be a language code such as es "
                                         f"or en, or {ALL_LANGUAGES}")
                if name in SINGLE_FILTERS:
                    merged[name] = [value]
                    continue
                key = facet_key(value)
                bucket = merged.setdefault(name, [])
                if key and key not in bucket:
                    bucket.append(key)
    return {k: v for k, v in merged.items() if v}


def _date_bounds(value: str, end: bool) -> datetime:
    """First (or last) instant of the year, month or day written in ``value``."""
    parts = [int(p) for p in value.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    month, day = max(1, min(month, 12)), max(1, min(day, 31))
    while True:
        try:
            first = datetime(max(1, min(year, 9998)), month, day)
            break
        except ValueError:
            day -= 1
    if not end:
        return first
    if len(parts) == 1:
        return datetime(first.year + 1, 1, 1) - timedelta(microseconds=1)
    if len(parts) == 2:
        nxt = datetime(first.year + (month == 12), month % 12 + 1, 1)
        return nxt - timedelta(microseconds=1)
    return first + timedelta(days=1) - timedelta(microseconds=1)


def _filter_queries(active: dict[str, list[str]]):
    """(filter, mask) Whoosh queries for the active filters (None when there are none)."""
    required, excluded = [], []
    for name in ("tag", "category", "author"):
        for key in active.get(name, []):
            required.append(wq.Term(name, key))
        for key in active.get(f"not_{name}", []):
            excluded.append(wq.Term(name, key))
    years = active.get("year", [])
    if years:
        required.append(_or([wq.Term("year", y) for y in years]))
    start = active.get("date_from", [None])[0]
    end = active.get("date_to", [None])[0]
    if start or end:
        required.append(wq.DateRange(
            "date", _date_bounds(start, False) if start else None,
            _date_bounds(end, True) if end else None,
        ))
    filter_query = wq.And(required) if required else None
    mask_query = _or(excluded) if excluded else None
    return filter_query, mask_query


class _Plan:
    """Turns a parsed query into groups of leaf queries (terms and phrases) against one
    searcher, remembering what it did (fuzzy replacements, terms to highlight, spelling
    suggestions). A post's score is the sum of the scores of the leaves it matches."""

    def __init__(self, searcher, version: _Version, parsed: ParsedQuery,
                 budget: Budget | None = None) -> None:
        self.searcher = searcher
        self.version = version
        self.postings = version.postings()
        self.parsed = parsed
        self.budget = budget or Budget()
        prefixes = sum(1 for group in parsed.groups for c in group if c.kind == "prefix")
        self.prefix_share = self.budget.per_prefix(prefixes)
        self.highlight_terms: set[str] = set()
        self.fuzzy: set[str] = set()
        self.labels: list[str] = []
        self._term_forms: dict[str, set[str]] = {}
        self._seen_positions: dict[str, tuple[dict[int, list[int]], set[int]]] = {}
        self._corrections: dict[tuple[str, str], list[tuple[str, float, int]]] = {}

    def doc_frequency(self, term: str) -> int:
        """Posts holding ``term`` in their text or their head (an upper bound)."""
        return (self.postings.frequency(self.searcher, FIELD, term)
                + self.postings.frequency(self.searcher, HEAD_FIELD, term))

    # -- per clause ----------------------------------------------------------------------
    @staticmethod
    def _term(term: str, weight: float = 1.0) -> list:
        """``term`` in the whole post, plus its separately scored match in the head."""
        return [wq.Term(FIELD, term, boost=weight),
                wq.Term(HEAD_FIELD, term, boost=weight * HEAD_BOOST)]

    def _word_leaves(self, word: str, scored: bool, fuzzy: bool = True) -> list:
        terms = word_terms(word)
        if not terms:
            return []
        main = terms[0]
        self.highlight_terms.add(main)
        leaves = self._term(main)
        accent = accented_term(word)
        if accent and scored:
            self.highlight_terms.add(accent)
            leaves += self._term(accent, ACCENT_BOOST)
        if fuzzy and self.doc_frequency(main) == 0:
            candidates = self.corrections_for(word, main)[:FUZZY_EXPANSION]
            for term, distance, _ in candidates:
                if distance > candidates[0][1] + 0.5:
                    break  # only the closest spellings
                self.fuzzy.add(word)
                self.highlight_terms.add(term)
                leaves += self._term(term, FUZZY_WEIGHT / (1 + distance))
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
        return [wq.Phrase(FIELD, words, slop=slop),
                wq.Phrase(HEAD_FIELD, words, slop=slop, boost=HEAD_BOOST)]

    def _prefix_leaves(self, text: str, scored: bool) -> list:
        prefix = fold(text.lower())
        found: dict[str, int] = {}
        lexicon = self.version.terms()
        for candidate in dict.fromkeys((prefix, stem(prefix))):  # in this order in every process
            at = bisect_left(lexicon, candidate)
            while (at < len(lexicon) and lexicon[at].startswith(candidate)
                   and len(found) <= 4 * PREFIX_EXPANSION):
                found[lexicon[at]] = self.postings.frequency(self.searcher, FIELD, lexicon[at])
                at += 1
        if len(found) > self.prefix_share < PREFIX_EXPANSION:
            self.budget.shared = True
        best = sorted(found, key=lambda t: -found[t])[:self.prefix_share]
        if not best:
            return self._word_leaves(text, scored)
        self.highlight_terms.update(best)
        return [leaf for term in best for leaf in self._term(term)]

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
                self.labels.append(" OR ".join(_label(clause) for clause in group))
        return groups

    def rerank(self, scored: list[tuple[int, float]], complete: np.ndarray | None,
               needed: int) -> list[tuple[int, float]]:
        """Apply the all-terms factor to the posts ``complete`` marks (those matching every
        group) and the proximity bonus, and sort again; the first ``needed`` come out exactly
        as if every post had its bonus (those too far behind to reach them get none)."""
        if complete is not None:
            scored = [(d, s * ALL_TERMS_FACTOR if complete[d] else s) for d, s in scored]
        scored.sort(key=lambda item: -item[1])
        words = [word_terms(c.text)[0] for g in self.parsed.groups if len(g) == 1
                 for c in g if c.kind == "word" and word_terms(c.text)]
        if len(words) < 2 or len(scored) < 2:
            return scored
        reach = PROXIMITY_BOOST * (len(words) - 1)  # the largest bonus a post can earn
        floor = scored[min(needed, len(scored)) - 1][1] - reach
        near = sorted(d for d, s in scored if s >= floor)
        positions = self._positions(dict.fromkeys(words), near)
        out = []
        for docnum, score in scored:
            if score >= floor:
                for a, b in zip(words, words[1:], strict=False):
                    gap = _closest(positions[a].get(docnum), positions[b].get(docnum))
                    if gap <= PROXIMITY_WINDOW:
                        score += PROXIMITY_BOOST / gap
            out.append((docnum, score))
        out.sort(key=lambda item: -item[1])
        return out

    def _positions(self, terms, docnums: list[int]) -> dict[str, dict[int, list[int]]]:
        """Positions of each term in each of ``docnums`` (sorted) that holds it. Read once per
        plan: the full and the partial matches are re-ranked apart, often over the same posts."""
        out = {}
        for term in terms:
            found, seen = self._seen_positions.setdefault(term, ({}, set()))
            unread = [docnum for docnum in docnums if docnum not in seen]
            if unread:
                found.update(self.postings.positions(self.searcher, FIELD, term, unread))
                seen.update(unread)
            out[term] = found
        return out

    # -- spelling ------------------------------------------------------------------------
    def corrections_for(self, word: str, main: str) -> list[tuple[str, float, int]]:
        """Likely intended index terms for ``word`` (whose analysed term is ``main``):
        (term, distance, doc frequency), closest first. Worked out once per plan: the fuzzy
        search and the did-you-mean suggestion both ask."""
        key = (word, main)
        if key not in self._corrections:
            self._corrections[key] = self._find_corrections(word, main)
        return self._corrections[key]

    def _find_corrections(self, word: str, main: str) -> list[tuple[str, float, int]]:
        if not main.isalpha() or not 3 <= len(main) <= MAX_FUZZY_CHARS:
            return []
        typed = fold(word.lower())
        # A real word (``docker``) is what the reader meant: only a Spanish slip is undone.
        allowed = (SLIP_DISTANCE if is_known_word(word.lower()) or is_known_word(typed)
                   else max_edits(typed))
        pool = self.version.word_pool(tuple(first_letters(main)))
        found = best_candidates(main, pool, self.doc_frequency, allowed)
        # Slips change short words' stems too (``orno`` stays, ``horno`` → ``horn``): also try
        # the typed word with each Spanish slip undone, when a word the posts write with that
        # stem is a likely slip of the typed one (stems hide words: ``docker`` undone as
        # ``docer`` has the stem of ``doce``).
        known = {term for term, _, _ in found}
        slips = []
        for variant in slip_variants(typed):
            terms = word_terms(variant)
            if terms and terms[0] not in known and terms[0] != main:
                freq = self.doc_frequency(terms[0])
                if freq and self._written_like(typed, terms[0], allowed):
                    known.add(terms[0])
                    slips.append((terms[0], SLIP_DISTANCE, freq))
        slips.sort(key=lambda item: -item[2])
        # A stable sort on distance keeps best_candidates' order among equals.
        return sorted(slips + found, key=lambda item: item[1])[:FUZZY_EXPANSION]

    def suggestion(self) -> dict | None:
        """Did-you-mean: the query with the words no post holds replaced by the closest words
        the blog uses. Words that are in the blog are never replaced."""
        replaced: dict[str, str] = {}
        for clause in self.parsed.clauses:
            if clause.kind != "word":
                continue
            terms = word_terms(clause.text)
            if not terms or not terms[0].isalpha() or self.doc_frequency(terms[0]):
                continue
            candidates = self.corrections_for(clause.text, terms[0])
            if candidates:
                fixed = self._surface(candidates[0][0], clause.text) or candidates[0][0]
                if fold(fixed) != fold(clause.text.lower()):
                    replaced[clause.text] = fixed
        if not replaced:
            return None
        text_words, html_words = [], []
        for piece in self._query_text().split():
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
            for docnum, _ in Scores(self.postings, self.searcher, [self._term(term)]).top(3):
                doc = self.version.stored(docnum)
                meta = doc.get("meta") or {}
                texts = [doc.get(source) or "" for source in ("title", "description", "body")]
                texts += [str(value) for key in ("tags", "categories") for value in meta.get(key) or ()]
                for text in texts:
                    forms.update(text[start:end].lower()
                                 for start, end, _ in matches(text, {term}))
        return forms

    def _query_text(self) -> str:
        return " ".join(c.text for c in self.parsed.clauses)

    def _surface(self, term: str, typed: str) -> str | None:
        """How ``term`` is written in the posts: of the forms in the best posts holding it,
        the one closest to what the reader ``typed``."""
        forms = self._forms(term)
        return min(sorted(forms), key=lambda form: slip_distance(fold(typed), fold(form)),
                   default=None)
