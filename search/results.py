"""A search's hits as plain data (a post's fields, its snippet, its matching sections and its
translations) and what the reader is told about the search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .budget import Budget
from .matching import Match
from .query import ParsedQuery
from .sections import matching_sections
from .snippets import highlight, snippet
from .version import IndexVersion

if TYPE_CHECKING:
    from .plan import QueryPlan

SNIPPET_SOURCES = ("body", "description")
SNIPPET_WORDS = 3  # a snippet window holding this many query words (or all of them) will do


def hit(stored: dict, score: float, terms: set[str], snippet_words: int, main_language: str,
        translations: list[dict]) -> dict:
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


def translations(version: IndexVersion, docnum: int) -> list[dict]:
    """The post's translations as {lang, url, path}, in the order they were indexed."""
    found = []
    for other in version.language_table().translations(docnum):
        stored = version.stored(other)
        found.append({"lang": (stored.get("meta") or {}).get("lang") or version.language,
                      "url": stored.get("url") or "", "path": stored["path"]})
    return found


def messages(parsed: ParsedQuery, plan: QueryPlan, budget: Budget, found: Match,
             total: int) -> list[dict]:
    """What the reader is told about a search, as codes and parameters the web app and the
    command word in the reader's language: the query's own notes, corrected typos, shared
    prefixes, a cut budget, words in no post, words left out of a partial match."""
    said = list(parsed.messages)
    if plan.fuzzy:
        said.append({"code": "fuzzy", "params": {"terms": sorted(plan.fuzzy)}})
    if budget.shared:
        said.append({"code": "prefixes", "params": {"limit": plan.prefix_share}})
    if budget.cut:
        said.append({"code": "budget", "params": {}})
    if found.unknown:
        said.append({"code": "unknown", "params": {"words": found.unknown, "results": bool(total)}})
    if found.relaxed and total:
        said.append({"code": "left_out", "params": {
            "words": [label for label in found.left_out if label not in found.unknown],
            "held": found.held, "count": len(found.kept)}})
    return said
