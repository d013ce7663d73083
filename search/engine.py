"""The search API: ``Engine(index_dir).search(...)`` and friends, returning plain data.

A search: the query is parsed (``query.py``) and planned into leaf queries (``plan.py``, typos
by ``corrections.py``); the posts are scored term at a time (``postings.py``) and matched
(``matching.py``: the posts holding every group of the query, or when none does, the posts
holding the most of them) within the filters (``filters.py``); ``order.py`` lists them page by
page, ranked as ``ranking.py`` says, and ``results.py`` turns each into plain data. What an
open index version keeps (searchers, stored posts, facets, caches) is ``version.py``.

Languages: a search covers the site's main language (from the manifest; posts without a
language count as written in it) unless it asks for another, or for ``all``. With no main
language (older indexes, plain folders) it covers every post. ``all`` lists each text once:
the best match among a post and its translations, which the result names.
"""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

import numpy as np

from .budget import Budget, CostlySearches
from .facets import FACETS, LANGUAGE_FACET
from .filters import allowed_posts, merge_filters
from .matching import Match, match_groups, missing
from .order import ResultOrder, one_per_text
from .plan import QueryPlan
from .postings import Scores
from .query import ALL_LANGUAGES, ParsedQuery, language_key, parse_query
from .ranking import DEFAULT_RANKING, Ranking
from .related import related_posts
from .request import MAX_LIMIT, PER_PAGE, RELATED_LIMIT, SUGGEST_LIMIT, check_paging
from .results import SNIPPET_WORDS, hit, messages, translations
from .schema import HEAD_FIELD, TEXT_FIELD
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
from .version import RESULT_CACHE_SIZE, IndexVersion
from .wordlists import load_wordlists

REFRESH_SECONDS = 1.0  # how often a search checks whether the index changed


class Engine:
    """Searches one index; thread-safe; reuses its searcher and refreshes it when the index changes."""

    def __init__(self, index_dir: str | Path, result_cache: int | None = None,
                 ranking: Ranking = DEFAULT_RANKING, refresh_seconds: float = REFRESH_SECONDS) -> None:
        """``result_cache``: how many results of searches asked more than once to keep per
        index version (default ``RESULT_CACHE_SIZE``; 0 turns the cache off). ``ranking``: the
        ranking parameters (``ranking.py``). ``refresh_seconds``: how often a search checks
        whether the index changed."""
        self.index_dir = Path(index_dir)
        self.result_cache = RESULT_CACHE_SIZE if result_cache is None else max(0, result_cache)
        self.ranking = ranking
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._index = None
        self._generation: Path | None = None
        self._version: IndexVersion | None = None
        self._checked = 0.0
        self._manifest: tuple[tuple | None, dict | None] = (None, None)  # (stamp, what it says)
        self.costly = CostlySearches()  # the one costly search allowed at a time

    # -- lifecycle ---------------------------------------------------------------------------
    def current_version(self) -> IndexVersion:
        """The open version of the index, opened afresh when the index changed (checked at most
        every ``refresh_seconds``)."""
        with self._lock:
            now = time.monotonic()
            if self._version is None:
                self._open()
            elif now - self._checked >= self.refresh_seconds:
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
        self._version = IndexVersion(index, self.result_cache, self._main_language(), self.ranking)
        self._index, self._generation = index, generation
        self._checked = time.monotonic()
        load_wordlists()  # once per process, and never inside a search's time budget

    def warm(self) -> None:
        """Read now what every search shares (facets, dates, field lengths, the vocabulary for
        typos, the word lists) rather than during the first searches."""
        version = self.current_version()
        version.facet_table()
        version.language_table()
        version.timestamps()
        version.words()
        version.postings().warm(version.searcher, (TEXT_FIELD, HEAD_FIELD))

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

    def _replaced_after_damage(self, version: IndexVersion) -> bool:
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
        per_page: int = PER_PAGE,
        *,
        snippets: bool = True,
        facets: bool = True,
    ) -> dict:
        """Search the index. docs/query-syntax.md gives the query language, docs/api.md the result shape.

        Raises ValueError naming the parameter for a bad ``sort``, ``page``, ``per_page`` or
        ``filters``; any query text at all is accepted.
        """
        started = time.perf_counter()
        check_paging(sort, page, per_page)
        query = query if isinstance(query, str) else str(query)
        version = self.current_version()
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
                version = self.current_version()
                found = self._search(version, *arguments)
            if not any(m["code"] == "budget" for m in found["messages"]):
                version.remember(key, found)  # a result its budget cut may be whole next time
        found["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return found

    def _search(self, version: IndexVersion, query: str, filters: dict[str, list[str]] | None,
                sort: str, page: int, per_page: int, snippets: bool, facets: bool) -> dict:
        parsed = parse_query(query)
        active = merge_filters(parsed, filters)
        language = active.get("language", [version.language or ALL_LANGUAGES])[0]
        clauses = parsed.clauses
        held = self.costly.admit(len(clauses), sum(1 for c in clauses if c.kind != "word"))
        budget = Budget()
        try:
            return self._search_within(version, query, parsed, active, language, budget, sort,
                                       page, per_page, snippets, facets)
        finally:
            if held:
                self.costly.release()

    def _search_within(self, version: IndexVersion, query: str, parsed: ParsedQuery, active: dict,
                       language: str, budget: Budget, sort: str, page: int, per_page: int,
                       snippets: bool, facets: bool) -> dict:
        searcher = version.searcher
        plan = QueryPlan(searcher, version, parsed, budget)
        groups = plan.groups()
        scores = None
        found = Match(*(np.zeros(plan.postings.size, dtype=bool),) * 2)
        in_language = (None if language == ALL_LANGUAGES
                       else version.language_table().mask(language))
        if groups:
            scores = Scores(plan.postings, searcher, groups, budget)
            allowed = allowed_posts(plan, active)
            found = match_groups(plan.labels, scores.hits, allowed,
                                 None if in_language is None else allowed & in_language)
        elif active and not parsed.groups:  # filters alone: every post they allow, newest first
            found.full = allowed_posts(plan, active)
        # ``everything``: the posts matching in any language; ``matched``: in ``language``.
        everything = found.full
        matched = everything if in_language is None else everything & in_language
        partial = found.partial if in_language is None else found.partial & in_language
        if in_language is None:  # every language: a text once, not beside its translations
            matched, partial = one_per_text(version.language_table(), matched, partial, scores)
        total = int(np.count_nonzero(matched))
        ranked = ResultOrder(plan, scores, matched, partial, sort)
        listed = ranked.lead + total  # leading partial matches, then every full match
        hits = []
        for docnum, score in ranked.page(page, per_page, listed):
            found_hit = hit(version.stored(docnum), score, plan.highlight_terms,
                            min(max(1, len(groups)), SNIPPET_WORDS) if snippets else 0,
                            version.language, translations(version, docnum))
            found_hit["missing"] = (missing(plan.labels, scores.hits, found.kept, docnum)
                                    if scores is not None else [])
            hits.append(found_hit)
        facet_counts = (
            version.facet_table().counts(matched) if facets and total
            else {name: [] for name in FACETS}
        )
        facet_counts[LANGUAGE_FACET] = (version.language_table().counts(everything)
                                        if facets else [])
        suggestion = plan.suggestion()
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
            "messages": messages(parsed, plan, budget, found, total),
            "took_ms": 0.0,
        }

    def suggest(self, text: str, limit: int = SUGGEST_LIMIT) -> list[dict]:
        """Search-as-you-type: posts for ``text`` with its last word read as a prefix."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        text = (text or "")[:200]
        if not text.strip():
            return []
        typed = text if text.endswith((" ", '"', "*")) else text + "*"
        found = self.search(typed, per_page=limit, snippets=False, facets=False)
        if not found["results"]:
            found = self.search(text, per_page=limit, snippets=False, facets=False)
        return [{"title": r["title"], "title_html": r["title_html"], "url": r["url"],
                 "path": r["path"]} for r in found["results"]]

    def more_like_this(self, path: str, limit: int = RELATED_LIMIT) -> list[dict]:
        """Posts most similar to the post at ``path``, in its language (a translation is not
        a related post); ValueError if there is none."""
        return related_posts(self.current_version(), path, max(1, min(int(limit), MAX_LIMIT)))
