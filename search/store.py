"""One index generation: a Whoosh index plus a small JSON manifest beside it.

The manifest records the content folder, when the index was last written, and the content hash
of every indexed file, so the indexer can tell what changed without opening Whoosh. Functions
here take either the index folder (meaning its live generation, see ``layout``) or a
generation folder itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index

from .analysis import WeightedText, facet_key
from .failpoints import crash_point
from .layout import POINTER, IndexUnavailable, live_dir
from .printable import storable
from .query import language_key
from .ranking import PART_WEIGHTS
from .records import Post
from .schema import SCHEMA_VERSION, build_schema, text_id
from .whoosh_internals.segment_writer import writer_adding
from .whoosh_internals.toc import committed_segments, segment_of_file

MANIFEST_NAME = "blogsearch.json"
INDEX_NAME = "posts"
WRITER_MB = 256
# Segments stay as separate files, never one compound file: each thread's searcher then maps
# the files (memory shared by all threads) instead of copying a compound file into its own.


@dataclass
class Manifest:
    """What the index holds, kept next to it as JSON."""

    content_dir: str = ""
    last_indexed: str = ""
    schema_version: int = SCHEMA_VERSION
    options: str = ""
    hashes: dict[str, str] = field(default_factory=dict)
    # The site's main language: searches show posts in it unless they ask for another.
    language: str = ""
    # What the indexer understood of the site (generator, content folders, URL rule...).
    site: dict = field(default_factory=dict)
    # Per indexed path: [language, kind, url] (the run's report and URL checks read them).
    labels: dict[str, list] = field(default_factory=dict)
    # Size in bytes of every segment file at the run's end: segment files never change once
    # written, so a different size means a damaged index (``damage``).
    files: dict[str, int] = field(default_factory=dict)

    @property
    def posts(self) -> int:
        return len(self.hashes)


def generation_dir(index_dir: str | os.PathLike) -> Path | None:
    """The generation meant by ``index_dir``: its live one for an index folder, else itself."""
    path = Path(index_dir)
    if (path / POINTER).exists():
        return live_dir(path)
    if (path / MANIFEST_NAME).exists() or whoosh_index.exists_in(str(path), indexname=INDEX_NAME):
        return path
    return None


def load_manifest(index_dir: str | os.PathLike) -> Manifest | None:
    """The manifest of ``index_dir``, or None when there is no index there yet."""
    generation = generation_dir(index_dir)
    if generation is None or not (generation / MANIFEST_NAME).exists():
        return None
    path = generation / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexUnavailable(f"{path}: manifest unreadable ({exc})") from exc


def check_version(index_dir: str | os.PathLike, manifest: Manifest) -> None:
    """Raise IndexUnavailable when the index was built with another schema."""
    if manifest.schema_version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"{index_dir}: index made by another blogsearch version; "
            "run `blogsearch index CONTENT_DIR --full` to rebuild it"
        )


def save_manifest(generation: str | os.PathLike, manifest: Manifest) -> None:
    """Write the manifest of a generation atomically (temporary file, fsync, rename)."""
    path = Path(generation) / MANIFEST_NAME
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        # ASCII escapes keep file names that are not UTF-8 (lone surrogates) as they are.
        handle.write(json.dumps(asdict(manifest)))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


# A commit replaces Whoosh's table of contents and deletes what it no longer lists: a reader
# that listed the old one finds it gone, and reads again (a newer one is there).
TOC_ATTEMPTS = 5
T = TypeVar("T")


def _beside_commits(read: Callable[[], T]) -> T:
    """``read()``, again while a file it listed was removed by a commit meanwhile; after
    ``TOC_ATTEMPTS`` the FileNotFoundError is the caller's (the file is gone for good)."""
    for _ in range(TOC_ATTEMPTS - 1):
        try:
            return read()
        except FileNotFoundError:
            continue
    return read()


def segment_files(generation: str | os.PathLike) -> dict[str, int]:
    """The size of every file of the committed segments of ``generation`` (for the manifest)."""
    ids, names = _toc_and_files(Path(generation))
    return {name: size for name, size in names.items() if segment_of_file(name, INDEX_NAME) in ids}


def damage(generation: str | os.PathLike, manifest: Manifest) -> str | None:
    """What is wrong with the files of ``generation`` (a segment file of another size than
    when it was written, or missing), or None. Reads sizes only: it catches truncated and
    vanished files, not flipped bits."""
    if not manifest.files:
        return None
    try:
        live, names = _beside_commits(lambda: _toc_and_files(Path(generation)))
    except Exception as exc:  # whoosh raises many kinds on a damaged table of contents
        return f"its table of contents is unreadable ({exc})"
    for name, size in sorted(manifest.files.items()):
        found = names.get(name)
        if found is None and segment_of_file(name, INDEX_NAME) in live:
            return f"{name} is missing"
        if found is not None and found != size:
            return f"{name} is {found} bytes, was {size} when written"
    return None


def generation_damage(generation: str | os.PathLike) -> str | None:
    """``damage`` of a generation folder, by its own manifest (None without one)."""
    try:
        manifest = load_manifest(generation)
    except IndexUnavailable as exc:
        return str(exc)
    return damage(generation, manifest) if manifest is not None else None


def remove_uncommitted(generation: str | os.PathLike) -> None:
    """Delete the segment files of ``generation`` that no commit refers to: what an index run
    that failed or was killed had written (Whoosh's own commit cleans the same way)."""
    path = Path(generation)
    if not whoosh_index.exists_in(str(path), indexname=INDEX_NAME):
        return
    live, names = _toc_and_files(path)
    for name in names:
        segment_id = segment_of_file(name, INDEX_NAME)
        if segment_id and segment_id not in live:
            (path / name).unlink(missing_ok=True)


def _toc_and_files(path: Path) -> tuple[set[str], dict[str, int]]:
    """The ids of the segments the generation's latest Whoosh table of contents lists (none
    without one), and the size of each file in the generation."""
    names = {}
    for entry in os.scandir(path):
        try:
            if entry.is_file():
                names[entry.name] = entry.stat().st_size
        except FileNotFoundError:
            continue  # removed by a commit since the listing
    if not whoosh_index.exists_in(str(path), indexname=INDEX_NAME):
        return set(), names
    return committed_segments(path, INDEX_NAME), names


def open_index(index_dir: str | os.PathLike):
    """Open the live Whoosh index of ``index_dir`` for reading (again when a commit that
    lands meanwhile replaces the table of contents just listed)."""
    try:
        return _beside_commits(lambda: _open_index(index_dir))
    except FileNotFoundError as exc:  # still missing: not a commit's doing
        raise IndexUnavailable(f"{index_dir}: index damaged ({exc}); rebuild it with --full") from exc


def _open_index(index_dir: str | os.PathLike):
    path = generation_dir(index_dir)
    if path is None or not whoosh_index.exists_in(str(path), indexname=INDEX_NAME):
        raise IndexUnavailable(
            f"{index_dir}: no index here yet; run `blogsearch index CONTENT_DIR` first"
        )
    manifest = load_manifest(path)
    if manifest is not None:
        check_version(index_dir, manifest)
    try:
        return whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
    except FileNotFoundError:
        raise  # a file of the table of contents went: a newer one is there (open_index retries)
    except Exception as exc:  # whoosh raises many kinds on a damaged index
        raise IndexUnavailable(f"{path}: index damaged ({exc}); rebuild it with --full") from exc


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _keys(values: Iterable[str]) -> str:
    return ",".join(facet_key(v) for v in values if v.strip())


def post_document(post: Post) -> dict:
    """The Whoosh document for ``post``. Its language is indexed as its ``language_key``; a post
    without one ("") has none in the index, and searches count it as the site's main language."""
    lang = language_key(post.lang)
    weights = PART_WEIGHTS
    document = {
        "path": post.path,
        "url": post.url,
        "text": WeightedText([
            (post.body, weights.body),
            (post.code, weights.code),
            (post.comments, weights.comments),
        ]),
        "head": WeightedText([
            (post.title, weights.title),
            (" ".join(post.tags + post.categories), weights.taxonomy),
            (post.description, weights.description),
        ]),
        "title": post.title,
        "description": post.description,
        "body": post.body,
        "tag": _keys(post.tags),
        "category": _keys(post.categories),
        "author": _keys([post.author]),
        "year": str(post.date.year) if post.date else None,
        # The post's own wall-clock time, so `fecha:` filters match the year and month the
        # post shows (as the year facet does), whatever its UTC offset.
        "date": post.date.replace(tzinfo=None) if post.date else None,
        "timestamp": max(1, int(post.date.timestamp())) if post.date else 0,
        "lang": lang or None,
        "twin": text_id(post.translation_key or f"path:{post.path}"),
        "headings": [list(h) for h in post.headings] or None,
        "image": post.image or None,
        "meta": {
            "date": _iso(post.date),
            "updated": _iso(post.updated),
            "author": post.author,
            "tags": post.tags,
            "categories": post.categories,
            "lang": lang,
            "kind": post.kind,
        },
    }
    return {key: value for key, value in document.items() if value is not None}


def ensure_index(generation: str | os.PathLike) -> None:
    """Create an empty Whoosh index in the ``generation`` folder unless one is there."""
    if not whoosh_index.exists_in(str(generation), indexname=INDEX_NAME):
        whoosh_index.create_in(str(generation), build_schema(), indexname=INDEX_NAME)


def write_posts(
    index_dir: str | os.PathLike,
    upserts: Iterable[Post],
    removed: Iterable[str],
    segments: Sequence = (),
) -> None:
    """In one atomic commit: delete the posts at ``removed`` paths, add or replace ``upserts``,
    and add the prebuilt ``segments`` (whose posts' paths must be in ``removed`` if they were
    already indexed). ``index_dir`` may be an index folder (its live generation is written)."""
    target = generation_dir(index_dir) or Path(index_dir)
    ensure_index(target)
    ix = whoosh_index.open_dir(str(target), indexname=INDEX_NAME)
    writer = writer_adding(ix, [s for s in segments if s is not None], limitmb=WRITER_MB,
                           compound=False)
    try:
        for doc_path in removed:
            writer.delete_by_term("path", storable(doc_path))
        for post in upserts:
            writer.update_document(**post_document(post))
    except BaseException:
        writer.cancel()
        raise
    crash_point("writing")
    writer.commit()
    ix.close()


def now_iso() -> str:
    """Current UTC time as ISO 8601 (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
