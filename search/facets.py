"""Facet counts (tags, categories, years, authors) over a whole match set."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .analysis import fold

FACETS = ("tag", "category", "year", "author")


def facet_key(value: str) -> str:
    """The key a facet value is counted and filtered by (case and accents ignored)."""
    return fold(value).strip().replace(",", " ")


@dataclass
class FacetTable:
    """Per-document facet keys, built once per index version from stored fields."""

    keys: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, stored: Iterable[tuple[int, dict]], doc_count: int) -> FacetTable:
        """``stored``: (docnum, stored fields) for every live document."""
        table = cls(
            keys={name: [()] * doc_count for name in FACETS},
            labels={name: {} for name in FACETS},
        )
        label_votes: dict[str, Counter] = {name: Counter() for name in FACETS}
        for docnum, fields in stored:
            meta = fields.get("meta") or {}
            date = meta.get("date") or ""
            values = {
                "tag": meta.get("tags") or [],
                "category": meta.get("categories") or [],
                "year": [date[:4]] if date else [],
                "author": [meta["author"]] if meta.get("author") else [],
            }
            for name, raw in values.items():
                keys = []
                for value in raw:
                    key = facet_key(value)
                    if key:
                        keys.append(key)
                        label_votes[name][(key, value)] += 1
                table.keys[name][docnum] = tuple(dict.fromkeys(keys))
        for name, votes in label_votes.items():
            for (key, value), _ in votes.most_common():
                table.labels[name].setdefault(key, value)
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
