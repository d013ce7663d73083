"""Find the post files of a site: its content folders, recursive, symlink-loop safe, size-limited,
never outside the blog's folders."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .sites import Site, Source
from .sites.model import NEVER_ENTERED
from .sites.plain import read as plain_site

POST_SUFFIXES = (".md", ".markdown", ".html", ".htm")
SKIPPED_DIRS = NEVER_ENTERED
# Files whose change can change the index: every generator's post suffixes, metadata sidecars
# and configs (``pelicanconf.py``, ``_config.yml``, ``hugo.toml``).
WATCHED_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".rst", ".txt", ".ipynb",
                    ".meta", ".toml", ".yml", ".yaml", ".json", ".py", ".js", ".xml")
MAX_FILE_BYTES = 5 * 1024 * 1024
SIDECAR_SUFFIX = ".meta"


class ContentDirError(Exception):
    """The content folder as a whole is unusable (missing, not a folder, empty)."""


@dataclass(frozen=True)
class Found:
    """A candidate post file: its ``/``-separated path relative to the site root, what its
    content folder holds, and its metadata sidecar (Nikola's ``post.meta``) if any."""

    rel_path: str
    abs_path: str
    source: Source = Source("")
    sidecar: str = ""
    draft: bool = False


@dataclass
class Walk:
    """What a walk over a site found: the post files, the static files left aside, and the
    links left out because they lead outside the blog's folders (path, where they lead)."""

    files: list[Found] = field(default_factory=list)
    static: list[str] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)


def _inside(rel_path: str, folder: str) -> bool:
    return not folder or rel_path == folder or rel_path.startswith(folder + "/")


def _source_of(rel_path: str, name: str, sources: list[Source]) -> Source | None:
    """The source with the deepest folder holding ``rel_path`` whose patterns match its name."""
    best = None
    for source in sources:
        if not _inside(rel_path, source.folder):
            continue
        if source.patterns and not any(fnmatch.fnmatch(name, p) for p in source.patterns):
            continue
        if best is None or len(source.folder) > len(best.folder):
            best = source
    return best


def _entered(rel_dir: str, name: str, site: Site) -> bool:
    """Whether the walk goes into folder ``name`` inside ``rel_dir``."""
    if name.startswith(".") or name in NEVER_ENTERED:
        return False
    rel = f"{rel_dir}/{name}" if rel_dir else name
    if rel in site.skip_dirs:
        return False
    if site.private_underscore and name.startswith("_"):
        wanted = [s.folder for s in site.sources] + list(site.draft_dirs)
        return any(_inside(folder, rel) for folder in wanted if folder)
    return True


def _top_folders(site: Site) -> list[str]:
    """The content folders that are not inside another one (each walked once)."""
    folders = sorted({s.folder for s in site.sources} | set(site.draft_dirs), key=len)
    tops: list[str] = []
    for folder in folders:
        if not any(_inside(folder, top) for top in tops):
            tops.append(folder)
    return tops


def walk_site(site: Site, follow_symlinks: bool = False) -> Walk:
    """The post files of ``site`` in a stable order, each real folder visited once.

    The site's folder and the content folders its config names are the boundary: a symbolic
    link (or a ``..`` in a configured folder) that leads outside them is left out and listed
    in ``Walk.outside``, unless ``follow_symlinks``. Hidden files and folders are never read.
    """
    root = Path(site.root)
    if not root.exists():
        raise ContentDirError(f"{root}: content folder not found")
    if not root.is_dir():
        raise ContentDirError(f"{root}: not a folder")
    walk = Walk()
    tops = _top_folders(site)
    bounds = [os.path.realpath(root / top if top else root) for top in tops]
    bounds.append(os.path.realpath(root))
    inside = _Boundary(bounds, follow_symlinks, walk)
    seen_dirs: set[tuple[int, int]] = set()
    for top in tops:
        start = root / top if top else root
        for dirpath, dirnames, filenames in os.walk(start, followlinks=True):
            try:
                st = os.stat(dirpath)
            except OSError:
                dirnames[:] = []
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(key)
            rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir
            dirnames[:] = sorted(d for d in dirnames if _entered(rel_dir, d, site)
                                 and inside.allows(dirpath, d, rel_dir))
            allowed = [name for name in sorted(filenames)
                       if not name.startswith(".") and inside.allows(dirpath, name, rel_dir)]
            names = set(allowed)  # a sidecar too must be inside
            for name in allowed:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                _add(walk, site, root, rel, name, names)
    return walk


@dataclass
class _Boundary:
    """Decides whether the walk may take a folder entry: one that is no link, or a link that
    leads inside ``bounds`` (or anywhere, when following links); records the others."""

    bounds: list[str]
    follow: bool
    walk: Walk

    def allows(self, dirpath: str, name: str, rel_dir: str) -> bool:
        path = os.path.join(dirpath, name)
        if not os.path.islink(path) or self.follow:
            return True
        target = os.path.realpath(path)
        if any(target == bound or target.startswith(bound.rstrip(os.sep) + os.sep)
               for bound in self.bounds):
            return True
        rel = f"{rel_dir}/{name}" if rel_dir else name
        self.walk.outside.append((rel, target))
        return False


def _add(walk: Walk, site: Site, root: Path, rel: str, name: str, names: set[str]) -> None:
    """Sort one file into the walk's posts or static files."""
    drafts = [folder for folder in site.draft_dirs if _inside(rel, folder)]
    source = Source(drafts[0], "post") if drafts else _source_of(rel, name, site.sources)
    if source is None:
        return
    stem, dot, suffix = name.rpartition(".")
    if not name.lower().endswith(tuple(site.suffixes)):
        if not (dot and f".{suffix}" == SIDECAR_SUFFIX and any(n.startswith(stem + ".") and
                                                               n != name for n in names)):
            walk.static.append(rel)
        return
    sidecar = f"{stem}{SIDECAR_SUFFIX}"
    abs_path = root / rel
    walk.files.append(Found(rel, str(abs_path), source,
                            sidecar=str(abs_path.with_name(sidecar)) if sidecar in names else "",
                            draft=bool(drafts)))


def find_posts(content_dir: str | os.PathLike) -> Iterator[Found]:
    """Yield the post files of a plain content folder (no generator config) in a stable order."""
    site = plain_site(Path(content_dir))
    site.suffixes = POST_SUFFIXES
    yield from walk_site(site).files


def read_limited(found: Found, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; raises OSError (unreadable) or ValueError (over the size limit)."""
    return _read(found.abs_path, max_bytes)


def read_sidecar(found: Found, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the file's metadata sidecar (b"" without one); raises as ``read_limited``."""
    return _read(found.sidecar, max_bytes) if found.sidecar else b""


def _read(path: str, max_bytes: int) -> bytes:
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file (a pipe, device or socket); skipped")
    size = info.st_size
    if size > max_bytes:
        raise ValueError(
            f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit"
        )
    with open(path, "rb") as handle:
        return handle.read(min(size, max_bytes) + 1)  # a small buffer per file, not 5 MB
