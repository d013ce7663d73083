"""Facet counts (tags, categories, years, authors) over a whole match set."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .analysis import fold

FACETS = ("tag", "category", "year", "author")


def facet_key(value: str) -> str:
    """The key a facet value is counted and filtered by (case and accents ignored)."""
    key = fold(value).strip() or value.strip().lower()  # 🎉 has no ASCII form: keep it
    return key.replace(",", " ")


@dataclass
class FacetTable:
    """Per-document facet keys, built once per index version from stored fields."""

    keys: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, reader) -> FacetTable:
        """Read every post's facet keys from the postings of the keyword fields of ``reader``
        (a Whoosh reader); labels come from one stored post per value."""
        size = reader.doc_count_all()
        table = cls(keys={name: [()] * size for name in FACETS},
                    labels={name: {} for name in FACETS})
        for name in FACETS:
            column = table.keys[name]
            for raw in reader.field_terms(name):
                key = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                docnums = list(reader.postings(name, key).all_ids())
                for docnum in docnums:
                    column[docnum] += (key,)
                if docnums:
                    table.labels[name][key] = _label(reader.stored_fields(docnums[0]), name, key)
        return table

    def counts(self, docnums: Iterable[int], limit: int = 30) -> dict[str, list[dict]]:
        """Facet values with counts over ``docnums``, most frequent first (years newest first)."""
        docnums = list(docnums)
        out: dict[str, list[dict]] = {}
        for name in FACETS:
            column = self.keys[name]
            counter: Counter = Counter()
            for docnum in docnums:
                if docnum < len(column):
                    counter.update(column[docnum])
            if name == "year":
                items = sorted(counter.items(), reverse=True)
            else:
                items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
            labels = self.labels[name]
            out[name] = [{"value": k, "label": labels.get(k, k), "count": c} for k, c in items]
        return out


_META_KEYS = {"tag": "tags", "category": "categories", "author": "author"}


def _label(stored: dict, name: str, key: str) -> str:
    """How the post writes the facet value whose key is ``key``."""
    meta = stored.get("meta") or {}
    values = meta.get(_META_KEYS.get(name, ""), [])
    for value in [values] if isinstance(values, str) else values:
        if facet_key(value) == key:
            return value
    return key
