"""Split an exported ``## Comments`` / ``## Comentarios`` section off the end of a post body."""

from __future__ import annotations

import re

_SECTION = re.compile(r"^#{2}\s*(?:Comments|Comentarios)\s*:?\s*$", re.IGNORECASE | re.MULTILINE)
_NEXT_SECTION = re.compile(r"^#{1,2}\s+\S", re.MULTILINE)
_ENTRY = re.compile(
    r"^#{3}\s*(?:Comment\s+by|Comentario\s+de)\s+(?P<name>.+?)"
    r"(?:\s+(?:on|el)\s+(?P<date>[^\n]*\d[^\n]*))?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def split_comments(body: str) -> tuple[str, list[tuple[str, str]]]:
    """Return (body without the comments section, [(name, markdown text), ...]).

    The section is the last ``## Comments`` heading followed by nothing but
    ``### Comment by NAME on DATE`` entries (or nothing at all), up to the next ``#``/``##``
    heading; whatever follows that heading stays in the body.
    """
    matches = list(_SECTION.finditer(body))
    if not matches:
        return body, []
    section = matches[-1]
    after = body[section.end():]
    following = _NEXT_SECTION.search(after)
    rest = after[: following.start()] if following else after
    tail = after[following.start():] if following else ""
    entries = list(_ENTRY.finditer(rest))
    if rest.strip() and (not entries or rest[: entries[0].start()].strip()):
        return body, []
    comments = []
    for i, entry in enumerate(entries):
        end = entries[i + 1].start() if i + 1 < len(entries) else len(rest)
        comments.append((entry.group("name").strip(), rest[entry.end():end].strip()))
    kept = body[: section.start()].rstrip()
    return (f"{kept}\n\n{tail}" if tail else kept), comments
