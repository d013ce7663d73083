"""Split a post into front matter (YAML ``---``, TOML ``+++``, JSON ``{``) and body."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler


class PostError(Exception):
    """A post that cannot be indexed; the message says why (line numbers where known)."""


class _TextDatesLoader(yaml.CSafeLoader):
    """YAML's safe loader, but dates stay strings: an impossible date (2021-02-30) must not
    cost the whole post, and ``dates.parse_date`` reads every form we meet."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


class YamlHandler(YAMLHandler):
    """YAML front matter (``---``) with dates left as text."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_TextDatesLoader)  # noqa: S506 (a safe loader)


class JsonHandler(BaseHandler):
    """JSON front matter: a JSON object at the very top, on one line or many."""

    FM_BOUNDARY = re.compile(r"^\{")  # unused: detect and split below read the JSON itself

    def detect(self, text: str) -> bool:
        # `{"key": ...` or `{` alone on the first line; not `{{< shortcode >}}`, `{% tag %}`
        # or a body that merely starts with a brace.
        return re.match(r'\{\s*("|\n|$)', text) is not None

    def split(self, text: str) -> tuple[str, str]:
        _, end = json.JSONDecoder().raw_decode(text)
        return text[:end], text[end:]

    def load(self, fm: str, **kwargs: object) -> Any:
        return json.loads(fm)


class TomlHandler(BaseHandler):
    """TOML front matter (``+++``) parsed with the standard library's tomllib."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


HANDLERS: tuple[BaseHandler, ...] = (YamlHandler(), TomlHandler(), JsonHandler())


def _describe_error(kind: str, exc: Exception) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        # +1: marks are 0-based; the front matter text starts with the newline after `---`.
        line = exc.problem_mark.line + 1
        message = f"invalid YAML front matter at line {line}: {exc.problem or exc}"
        if exc.context and exc.context_mark is not None:
            message += f" ({exc.context} at line {exc.context_mark.line + 1})"
        return message
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON front matter at line {exc.lineno}: {exc.msg}"
    return f"invalid {kind} front matter: {exc}"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, body). Raise PostError for unclosed or malformed front matter."""
    for handler in HANDLERS:
        if not handler.detect(text):
            continue
        kind = {YamlHandler: "YAML", TomlHandler: "TOML", JsonHandler: "JSON"}[type(handler)]
        try:
            fm, body = handler.split(text)
        except RecursionError:
            raise PostError(f"invalid {kind} front matter: nested too deeply (recursion limit)") from None
        except json.JSONDecodeError as exc:
            raise PostError(_describe_error(kind, exc)) from exc
        except ValueError:
            raise PostError(f"{kind} front matter is never closed") from None
        try:
            metadata = handler.load(fm)
        except RecursionError:
            raise PostError(f"invalid {kind} front matter: nested too deeply (recursion limit)") from None
        except Exception as exc:  # each parser has its own error types
            raise PostError(_describe_error(kind, exc)) from exc
        if metadata is None:
            metadata = {}
        if not isinstance(metadata, dict):
            raise PostError(f"{kind} front matter is not a mapping of keys to values")
        return metadata, body
    return {}, text
