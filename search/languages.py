"""The posts' languages: which posts a language filter keeps, and the language facet.

The site's main language comes from the manifest (``Manifest.language``); a post indexed
without a language counts as written in it. An index without a main language (older indexes,
plain folders) filters by language only when a search asks for one.
"""

from __future__ import annotations

import numpy as np

from .query import ALL_LANGUAGES

FIELD = "lang"


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
        language first among equals); [] unless the index holds several languages."""
        if not self.several:
            return []
        tally = np.bincount(self.codes[matched], minlength=len(self.keys))
        present = [i for i in np.flatnonzero(tally).tolist() if self.keys[i]]
        present.sort(key=lambda i: -tally[i])
        return [{"value": self.keys[i], "label": self.keys[i], "count": int(tally[i])}
                for i in present]
