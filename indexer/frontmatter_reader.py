"""Split a post into front matter (YAML ``---``, TOML ``+++``, JSON ``{``) and body."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

MAX_YAML_ALIASES = 100


class PostError(Exception):
    """A post that cannot be indexed; the message says why (line numbers where known)."""


class _TextDatesLoader(yaml.CSafeLoader):
    """YAML's safe loader, but dates stay strings: an impossible date (2021-02-30) must not
    cost the whole post, and ``dates.parse_date`` reads every form we meet."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


class FrontMatterError(PostError):
    """Front matter that does not parse: ``line`` of the file (0 if unknown) and what is wrong there."""

    def __init__(self, kind: str, line: int, problem: str) -> None:
        where = f" at line {line}" if line else ""
        super().__init__(f"invalid {kind} front matter{where}: {problem}")
        self.line = line
        self.problem = problem


@dataclass
class FrontMatter:
    """A front matter block cut from the top of a post, not parsed yet."""

    kind: str  # "YAML", "TOML" or "JSON"
    text: str  # between the fences (JSON: the object itself)
    body: str
    first_line: int  # the file's line number (1-based) of the first line of ``text``


class YamlHandler(YAMLHandler):
    """YAML front matter (``---``) with dates left as text."""

    KIND = "YAML"

    def load(self, fm: str, **kwargs: object) -> Any:
        if "*" in fm and "&" in fm:
            _check_aliases(fm)
        return yaml.load(fm, Loader=_TextDatesLoader)  # noqa: S506 (a safe loader)


def _check_aliases(text: str) -> None:
    """Refuse YAML with more than ``MAX_YAML_ALIASES`` aliases (``*name``): each stands for a
    whole anchored value, so a few kilobytes can stand for gigabytes once the values are used
    (the "billion laughs"). SnakeYAML refuses them the same way (maxAliasesForCollections)."""
    aliases = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_YAML_ALIASES} aliases (*name); refused, "
                                     "as they can stand for gigabytes of text")


class JsonHandler(BaseHandler):
    """JSON front matter: a JSON object at the very top, on one line or many."""

    KIND = "JSON"
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

    KIND = "TOML"
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


HANDLERS = {handler.KIND: handler for handler in (YamlHandler(), TomlHandler(), JsonHandler())}


def _too_deep(kind: str) -> FrontMatterError:
    return FrontMatterError(kind, 0, "nested too deeply (recursion limit)")


def _error(found: FrontMatter, exc: Exception) -> FrontMatterError:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        # marks are 0-based lines of the front matter text
        problem = str(exc.problem or exc)
        if exc.context and exc.context_mark is not None:
            problem += f", {exc.context} at line {found.first_line + exc.context_mark.line}"
        return FrontMatterError(found.kind, found.first_line + exc.problem_mark.line, problem)
    if isinstance(exc, json.JSONDecodeError):
        return FrontMatterError(found.kind, found.first_line + exc.lineno - 1, exc.msg)
    return FrontMatterError(found.kind, 0, str(exc))


def find_front_matter(text: str) -> FrontMatter | None:
    """The YAML, TOML or JSON block at the top of ``text`` (None if there is none), unparsed.

    Raise PostError when it is never closed.
    """
    for kind, handler in HANDLERS.items():
        if not handler.detect(text):
            continue
        try:
            fm, body = handler.split(text)
        except RecursionError:
            raise _too_deep(kind) from None
        except json.JSONDecodeError as exc:
            raise _error(FrontMatter(kind, text, "", 1), exc) from exc
        except ValueError:
            raise PostError(f"{kind} front matter is never closed") from None
        start = 0 if kind == "JSON" else handler.FM_BOUNDARY.match(text).end()
        return FrontMatter(kind, fm, body, text.count("\n", 0, start) + 1)
    return None


def load_front_matter(found: FrontMatter) -> dict[str, Any]:
    """The metadata of a found block. Raise FrontMatterError (with the file's line) if it does not parse."""
    try:
        metadata = HANDLERS[found.kind].load(found.text)
    except RecursionError:
        raise _too_deep(found.kind) from None
    except Exception as exc:  # each parser has its own error types
        raise _error(found, exc) from exc
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        first = next((n for n, line in enumerate(found.text.split("\n")) if line.strip()), 0)
        raise FrontMatterError(found.kind, found.first_line + first, "not a mapping of keys to values")
    return metadata


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, body). Raise PostError for unclosed or malformed front matter."""
    found = find_front_matter(text)
    if found is None:
        return {}, text
    return load_front_matter(found), found.body
