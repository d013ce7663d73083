"""The query language, parsed into plain data (no Whoosh here).

Words; ``"frase exacta"``; ``-excluir`` (also ``-"una frase"``); ``OR``/``O``/``|`` between two
clauses; ``tag:docker``, ``categoria:``/``category:``, ``autor:``/``author:``; ``año:2011``,
``fecha:2011-03``, ``fecha:2010..2012``; ``idioma:en``/``lang:``/``language:`` (``idioma:todos``
for every language); ``prefijo*``. Any input parses: what is not valid syntax is read as plain
words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import TOKEN_PATTERN

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24

FIELD_ALIASES = {
    "tag": "tag", "tags": "tag", "etiqueta": "tag", "etiquetas": "tag",
    "categoria": "category", "categoría": "category", "category": "category",
    "categorias": "category", "categorías": "category", "categories": "category",
    "autor": "author", "author": "author",
    "año": "year", "ano": "year", "anio": "year", "year": "year",
    "fecha": "date", "date": "date",
    "idioma": "language", "lang": "language", "language": "language",
}
ALL_LANGUAGES = "all"  # the language filter's value for every language
ALL_WORDS = frozenset({"all", "todos", "todas"})
OR_WORDS = {"or", "o", "|", "||"}
_PIECE = re.compile(
    r"""(?P<neg>-)?(?:(?P<field>[^\W\d_]+):(?P<fvalue>"[^"]*"?|[^\s"]+)"""
    r"""|"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))""",
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_LANGUAGE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*")


@dataclass
class Clause:
    """One thing to look for: a word, a phrase (several words) or a prefix."""

    text: str
    kind: str = "word"  # "word" | "phrase" | "prefix"
    exact: bool = False  # a word in quotes: searched as typed, never corrected


@dataclass
class ParsedQuery:
    """A query as data. ``groups``: every group should match; alternatives within a group are OR."""

    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    messages: list[dict] = field(default_factory=list)

    @property
    def clauses(self) -> list[Clause]:
        return [clause for group in self.groups for clause in group]

    def add_filter(self, name: str, value: str) -> None:
        values = self.filters.setdefault(name, [])
        if value not in values:
            values.append(value)


def _word_clause(text: str) -> Clause | None:
    if text.endswith("*") and TOKEN_PATTERN.fullmatch(text.rstrip("*")):
        return Clause(text.rstrip("*"), "prefix")
    words = TOKEN_PATTERN.findall(text)
    if not words:
        return None
    if len(words) == 1:
        return Clause(words[0])
    return Clause(" ".join(words), "phrase")


def language_key(value: str) -> str:
    """The ISO 639 code a language tag starts with, lower-case (``es-ES`` → ``es``); "" for
    anything else."""
    value = value.strip().lower()
    match = _LANGUAGE.fullmatch(value)
    return match.group(1) if match and value not in ALL_WORDS else ""


def language_filter(value: str) -> str:
    """A language filter's value as the engine compares it: ``ALL_LANGUAGES`` for ``all``,
    ``todos`` or ``todas``, else ``language_key``."""
    return ALL_LANGUAGES if value.strip().lower() in ALL_WORDS else language_key(value)


def parse_date_filter(value: str) -> tuple[str, str] | None:
    """``2011``, ``2011-03``, ``2011-03-05``, or ``A..B`` ranges → (from, to) strings, else None."""
    start, sep, end = value.partition("..")
    if not sep:
        end = start
    for part in (start, end):
        if part and not _DATE.match(part):
            return None
    if not start and not end:
        return None
    return start, end


def parse_query(text: str) -> ParsedQuery:
    """Parse any text into a ParsedQuery; never raises."""
    parsed = ParsedQuery()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.messages.append({"code": "truncated", "params": {"limit": MAX_QUERY_CHARS}})
    if text.count('"') % 2:
        parsed.messages.append({"code": "syntax", "params": {}})
    pending_or = False
    for match in _PIECE.finditer(text):
        negative = bool(match.group("neg"))
        name = match.group("field")
        if name is not None:
            value = match.group("fvalue").strip('"').strip()
            target = FIELD_ALIASES.get(name.lower())
            if target and value and _add_field_filter(parsed, target, value, negative):
                continue
            for word in TOKEN_PATTERN.findall(f"{name} {value}"):  # not a field: plain words
                _add_clause(parsed, Clause(word), negative, pending_or)
                pending_or = False
            continue
        elif match.group("phrase") is not None:
            clause = _word_clause(match.group("phrase"))
            if clause is not None and clause.kind != "phrase":
                clause = Clause(clause.text, exact=True)
        else:
            word = match.group("word")
            if word.lower() in OR_WORDS and not negative:
                pending_or = bool(parsed.groups)
                continue
            clause = _word_clause(word)
        if clause is not None:
            _add_clause(parsed, clause, negative, pending_or)
        pending_or = False
    if len(parsed.groups) > MAX_CLAUSES:
        parsed.groups = parsed.groups[:MAX_CLAUSES]
        parsed.messages.append({"code": "too_many_terms", "params": {"limit": MAX_CLAUSES}})
    return parsed


def _add_clause(parsed: ParsedQuery, clause: Clause, negative: bool, after_or: bool) -> None:
    if negative:
        parsed.excluded.append(clause)
    elif after_or and parsed.groups:
        parsed.groups[-1].append(clause)
    else:
        parsed.groups.append([clause])


def _add_field_filter(parsed: ParsedQuery, target: str, value: str, negative: bool) -> bool:
    """Record a ``field:value`` filter; False when the value is not valid for that field."""
    if target == "language":  # one language at a time, never excluded
        if negative or not language_filter(value):
            return False
        parsed.filters["language"] = [value]
        return True
    if negative:  # only tags, categories and authors are excluded (``-año:`` reads as words)
        if target in ("year", "date"):
            return False
        parsed.add_filter(f"not_{target}", value)
        return True
    if target == "year":
        if not re.fullmatch(r"\d{4}", value):
            return False
        parsed.add_filter("year", value)
        return True
    if target == "date":
        span = parse_date_filter(value)
        if span is None:
            return False
        start, end = span
        if start:
            parsed.filters["date_from"] = [start]
        if end:
            parsed.filters["date_to"] = [end]
        return True
    parsed.add_filter(target, value)
    return True
