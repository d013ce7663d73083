"""Which language a site's posts are written in, from their common words.

Configs often keep a default language the blog never used (Hugo's and Pelican's ``en``, a
WordPress export's ``<language>en</language>`` over Spanish posts). Each sampled post is
scored against every candidate language's commonest words (``wordfreq``'s lists, a word's
probability taken from its rank, as Zipf's law gives it: a naive Bayes reading of its words);
one language must win a clear majority of the posts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

import wordfreq

from .sites import Site

COMMON_WORDS = 2000    # the words of each language a post is scored on
MIN_WORDS = 30         # a post with fewer known words does not vote
MIN_VOTES = 5          # fewer voting posts than this say nothing
MAJORITY = 0.75        # the share of the voting posts a language needs
SAMPLE_FILES = 50      # files read for a guess, spread over the site
SAMPLE_BYTES = 8192    # from the start of each

# The languages a Spanish-speaking blogger most likely writes in, besides the config's.
CANDIDATES = ("es", "en", "ca", "pt", "fr", "it")
_WORD = re.compile(r"[^\W\d_]+")
# Markup, addresses, entities and code: their words (``<i>``, ``by`` in licence links) are no language.
_NOT_PROSE = re.compile(r"<[^>]*>|\S+://\S+|&#?\w+;|`[^`]*`")
_UNSEEN = math.log(COMMON_WORDS + 1)  # the cost of a word outside a language's list


@lru_cache(maxsize=16)
def _costs(code: str) -> dict[str, float]:
    """-log of each common word's probability in language ``code``, from its rank."""
    common = wordfreq.top_n_list(code, COMMON_WORDS, wordlist="small")
    return {word: math.log(rank + 1) for rank, word in enumerate(common)}


def _language_of(text: str, codes: tuple[str, ...]) -> str:
    """The candidate whose common words explain ``text`` best; "" for too little prose."""
    costs = [_costs(code) for code in codes]
    known = [w for w in _WORD.findall(_NOT_PROSE.sub(" ", text).lower())
             if any(w in table for table in costs)]
    if len(known) < MIN_WORDS:
        return ""
    totals = [sum(table.get(w, _UNSEEN) for w in known) for table in costs]
    return codes[totals.index(min(totals))]


def written_in(texts: Iterable[str], candidates: Iterable[str]) -> str:
    """The language among ``candidates`` (ISO 639-1 codes) that ``texts`` are clearly written
    in; "" when too few texts have prose or no language holds a clear majority of them."""
    known = set(wordfreq.available_languages())
    codes = tuple(sorted({code for code in candidates if code in known}))
    if len(codes) < 2:
        return ""
    votes: dict[str, int] = {}
    for text in texts:
        language = _language_of(text, codes)
        if language:
            votes[language] = votes.get(language, 0) + 1
    total = sum(votes.values())
    if total < MIN_VOTES:
        return ""
    best = max(votes, key=votes.__getitem__)
    return best if votes[best] >= MAJORITY * total else ""


def spread(items: list, limit: int = SAMPLE_FILES) -> list:
    """Up to ``limit`` of ``items``, evenly spaced (the same ones for the same list)."""
    if len(items) <= limit:
        return list(items)
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def with_language_of_posts(site: Site, texts: Iterable[str]) -> Site:
    """``site`` whose main language is the one its posts are written in, when the config names
    a single language (or none) and the posts clearly read as another; URLs keep following the
    config (generators place posts by the configured default language)."""
    if len({code for code in site.languages if code}) > 1:
        return site  # a multilingual config says which language is which
    guess = written_in(texts, {*CANDIDATES, site.language})
    if not guess or guess == site.language:
        return site
    said = (f"the {site.generator} config says {site.language or 'none'}" if site.config_files
            else f"no config; {site.language} by default")
    return replace(site, language=guess, config_language=site.language,
                   language_note=f"read from the posts; {said}")
