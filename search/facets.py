"""Facet counts (tags, categories, years, authors) over a whole match set."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .analysis import facet_key

FACETS = ("tag", "category", "year", "author")
LANGUAGE_FACET = "lang"  # the posts' languages, counted apart (languages.py)


@dataclass
class FacetTable:
    """Every post's facet keys, built once per index version from the keyword fields' postings:
    per facet, parallel arrays of document numbers and key numbers, so counting a match set is
    one ``bincount``."""

    keys: dict[str, list[str]] = field(default_factory=dict)
    docs: dict[str, np.ndarray] = field(default_factory=dict)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, reader) -> FacetTable:
        """Read every post's facet keys from the postings of the keyword fields of ``reader``
        (a Whoosh reader); labels come from one stored post per value, each post read and its
        values keyed once (a post with thousands of tags costs its size, not its size squared)."""
        table = cls()
        for name in FACETS:
            keys: list[str] = []
            docs: list[int] = []
            values: list[int] = []
            labels: dict[str, str] = {}
            written: dict[int, dict[str, str]] = {}  # docnum: {key: value as the post writes it}
            for raw in reader.field_terms(name):
                key = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                docnums = list(reader.postings(name, key).all_ids())
                if not docnums:
                    continue
                docs.extend(docnums)
                values.extend([len(keys)] * len(docnums))
                keys.append(key)
                first = docnums[0]
                if first not in written:
                    written[first] = _labels(reader.stored_fields(first), name)
                labels[key] = written[first].get(key, key)
            table.keys[name] = keys
            table.docs[name] = np.asarray(docs, dtype=np.int64)
            table.values[name] = np.asarray(values, dtype=np.int64)
            table.labels[name] = labels
        return table

    def counts(self, matched: np.ndarray, limit: int = 30) -> dict[str, list[dict]]:
        """Facet values with counts over the posts ``matched`` (a boolean array by docnum),
        most frequent first (years newest first)."""
        out: dict[str, list[dict]] = {}
        for name in FACETS:
            keys, labels = self.keys[name], self.labels[name]
            chosen = self.values[name][matched[self.docs[name]]]
            tally = np.bincount(chosen, minlength=len(keys))
            present = np.flatnonzero(tally)  # in term order
            if name == "year":  # every year, newest first
                order = present[::-1]
            else:  # most frequent first; a stable sort keeps term order among equals
                order = present[np.argsort(-tally[present], kind="stable")[:limit]]
            out[name] = [{"value": keys[i], "label": labels.get(keys[i], keys[i]), "count": count}
                         for i, count in zip(order.tolist(), tally[order].tolist(), strict=True)]
        return out


_META_KEYS = {"tag": "tags", "category": "categories", "author": "author"}


def _labels(stored: dict, name: str) -> dict[str, str]:
    """How the post writes each of its values of facet ``name``, by key (the first wins)."""
    meta = stored.get("meta") or {}
    values = meta.get(_META_KEYS.get(name, ""), [])
    labels: dict[str, str] = {}
    for value in [values] if isinstance(values, str) else values:
        labels.setdefault(facet_key(value), value)
    return labels
