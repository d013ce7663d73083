"""Related posts: the posts most similar to one post, by its key terms."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from .filters import any_of
from .schema import TEXT_FIELD
from .version import IndexVersion

KEY_TERMS = 24  # the post's most telling terms searched for
TEXT_CHARS = 20_000  # of its body read for them (the title counts three times)


def related_posts(version: IndexVersion, path: str, limit: int) -> list[dict]:
    """Posts most similar to the post at ``path``, in its language (a translation is not a
    related post), scored by BM25F with the ranking's ``k1`` and ``b``; ValueError if there is
    no post at ``path``."""
    searcher = version.searcher
    docnum = searcher.document_number(path=path)
    if docnum is None:
        raise ValueError(f"path: no indexed post at {path!r}")
    stored = searcher.stored_fields(docnum)
    text = " ".join([stored.get("title") or ""] * 3 + [(stored.get("body") or "")[:TEXT_CHARS]])
    key_terms = searcher.key_terms_from_text(TEXT_FIELD, text, numterms=KEY_TERMS)
    if not key_terms:
        return []
    query = any_of([wq.Term(TEXT_FIELD, term, boost=weight) for term, weight in key_terms])
    mask = wq.Term("path", path)
    languages = version.language_table()
    if languages.several:
        elsewhere = ~languages.mask(languages.language(docnum))
        mask = {docnum, *np.flatnonzero(elsewhere).tolist()}
    hits = searcher.search(query, limit=limit, mask=mask)
    return [{"title": h["title"], "url": h.get("url") or "", "path": h["path"],
             "date": (h.get("meta") or {}).get("date")} for h in hits]
