"""Find the post files of a content folder: recursive, symlink-loop safe, size-limited."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

POST_SUFFIXES = (".md", ".markdown", ".html", ".htm")
SKIPPED_DIRS = {"node_modules", "__pycache__"}
MAX_FILE_BYTES = 5 * 1024 * 1024


class ContentDirError(Exception):
    """The content folder as a whole is unusable (missing, not a folder, empty)."""


@dataclass(frozen=True)
class Found:
    """A candidate post file: its ``/``-separated path relative to the content folder."""

    rel_path: str
    abs_path: str


def find_posts(content_dir: str | os.PathLike) -> Iterator[Found]:
    """Yield post files under ``content_dir`` in a stable order, visiting each real folder once."""
    root = Path(content_dir)
    if not root.exists():
        raise ContentDirError(f"{root}: content folder not found")
    if not root.is_dir():
        raise ContentDirError(f"{root}: not a folder")
    seen_dirs: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
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
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS
        )
        for name in sorted(filenames):
            if name.lower().endswith(POST_SUFFIXES) and not name.startswith("."):
                abs_path = os.path.join(dirpath, name)
                rel = os.path.relpath(abs_path, root).replace(os.sep, "/")
                yield Found(rel, abs_path)


def read_limited(found: Found, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; raises OSError (unreadable) or ValueError (over the size limit)."""
    info = os.stat(found.abs_path)
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file (a pipe, device or socket); skipped")
    size = info.st_size
    if size > max_bytes:
        raise ValueError(
            f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit"
        )
    with open(found.abs_path, "rb") as handle:
        return handle.read(min(size, max_bytes) + 1)  # a small buffer per file, not 5 MB
