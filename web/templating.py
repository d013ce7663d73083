"""The app's Jinja environment: ``value.key`` on the engine's dicts without an exception each.

Jinja reads ``hit.url`` as ``getattr(hit, "url")`` first and ``hit["url"]`` only after the
``AttributeError``. The page's data are plain dicts (results, facets, links), so every lookup
raised and caught an exception: about 400 a page. Here a plain dict's key comes first, unless
the name is one of dict's own attributes (``items``, ``values``...), which keep Jinja's order.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.templating import Environment

_DICT_ATTRIBUTES = frozenset(dir(dict))


class TemplateEnvironment(Environment):
    """Flask's environment with the plain-dict lookup first (same results as Jinja's)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class BlogsearchFlask(Flask):
    """Flask with ``TemplateEnvironment``."""

    jinja_environment = TemplateEnvironment
