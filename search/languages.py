"""The posts' languages: which posts a language filter keeps, and the language facet.

The site's main language comes from the manifest (``Manifest.language``); a post indexed
without a language counts as written in it. An index without a main language (older indexes,
plain folders) filters by language only when a search asks for one.

A post and its translations share a ``twin`` number (``schema.text_id``): a search in every
language keeps one of them, and each result names the others.
"""

from __future__ import annotations

import numpy as np

from .query import ALL_LANGUAGES

FIELD = "lang"
TWIN_FIELD = "twin"


class LanguageTable:
    """Every post's language, read once per index version from the ``lang`` field's postings."""

    def __init__(self, reader, main: str, live: np.ndarray) -> None:
        """``reader``: a Whoosh reader; ``main``: the site's main language ("" for none);
        ``live``: the posts not deleted, as a boolean array by docnum."""
        self.main = main
        self.keys = [main]  # code 0: the main language, which posts without one count as
        self.codes = np.zeros(len(live), dtype=np.int32)
        for raw in reader.field_terms(FIELD) if FIELD in reader.schema else ():
            key = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if key != main:
                self.keys.append(key)
            self.codes[list(reader.postings(FIELD, key).all_ids())] = self.keys.index(key)
        present = np.bincount(self.codes[live], minlength=len(self.keys))
        held = {key for key, count in zip(self.keys, present.tolist(), strict=True) if count}
        # More than one language, counting the main one even when no post is written in it.
        self.several = len((held | {main}) - {""}) > 1
        self._none = np.zeros(len(live), dtype=bool)
        self._masks: dict[str, np.ndarray] = {}
        self.live = live
        self.twins = (np.fromiter(reader.column_reader(TWIN_FIELD), dtype=np.uint64, count=len(live))
                      if self.several and reader.has_column(TWIN_FIELD) else None)

    def language(self, docnum: int) -> str:
        """The language of post ``docnum`` ("" when neither it nor the site says)."""
        return self.keys[self.codes[docnum]]

    def mask(self, language: str) -> np.ndarray | None:
        """The posts in ``language`` as a boolean array by docnum; None for ``ALL_LANGUAGES``."""
        if language == ALL_LANGUAGES:
            return None
        if language not in self.keys:  # no post: nothing to cache (codes asked are unbounded)
            return self._none
        found = self._masks.get(language)
        if found is None:
            found = self._masks[language] = self.codes == self.keys.index(language)
        return found

    def counts(self, matched: np.ndarray) -> list[dict]:
        """Posts of ``matched`` (a boolean array by docnum) per language, most first (the main
        language first among equals), then ``all``: the texts in any language, a post and its
        translations counted once; [] unless the index holds several languages."""
        if not self.several:
            return []
        tally = np.bincount(self.codes[matched], minlength=len(self.keys))
        present = [i for i in np.flatnonzero(tally).tolist() if self.keys[i]]
        present.sort(key=lambda i: -tally[i])
        texts = (np.unique(self.twins[matched]).size if self.twins is not None
                 else int(np.count_nonzero(matched)))
        return [*({"value": self.keys[i], "label": self.keys[i], "count": int(tally[i])}
                  for i in present),
                {"value": ALL_LANGUAGES, "label": ALL_LANGUAGES, "count": int(texts)}]

    def one_per_text(self, matched: np.ndarray, scores: np.ndarray | None) -> np.ndarray:
        """``matched`` (a boolean array by docnum) keeping one post per text: of a post and its
        translations, the best scored (``scores`` by docnum; None when unranked), then the one
        in the main language, then the first indexed."""
        docs = np.flatnonzero(matched)
        if self.twins is None or len(docs) < 2:
            return matched
        twins = self.twins[docs]
        ranked = scores[docs] if scores is not None else np.zeros(len(docs))
        order = np.lexsort((docs, self.codes[docs] != 0, -ranked, twins))
        ordered = twins[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = ordered[1:] != ordered[:-1]
        kept = np.zeros_like(matched)
        kept[docs[order[first]]] = True
        return kept

    def translations(self, docnum: int) -> list[int]:
        """The other live posts that are translations of post ``docnum``, by docnum."""
        if self.twins is None:
            return []
        found = np.flatnonzero((self.twins == self.twins[docnum]) & self.live)
        return [int(other) for other in found if other != docnum]
