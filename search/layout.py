"""The index folder: generations, the pointer to the live one, and the indexer's lock.

```
INDEX/
  CURRENT            name of the live generation (replaced atomically)
  gen-.../           a whole index: Whoosh files + blogsearch.json manifest
  lock               held (flock) by the one index run allowed at a time
```

A full rebuild writes a new generation beside the live one and switches ``CURRENT`` to it in one
atomic rename, so readers see the old index or the new one, never half of either. Incremental
runs commit inside the live generation (Whoosh commits are atomic too). The previous
generation is kept until the next switch, for readers that still have it open.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

POINTER = "CURRENT"
LOCK = "lock"
GENERATION_PREFIX = "gen-"


class IndexUnavailable(Exception):
    """The index path does not hold a usable blogsearch index (message says why)."""


class IndexBusy(IndexUnavailable):
    """Another index run holds the lock of this index."""


def live_dir(index_dir: str | os.PathLike) -> Path | None:
    """The live generation of ``index_dir``, or None when nothing was published there yet."""
    root = Path(index_dir)
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexUnavailable(f"{root}: cannot read {POINTER} ({exc.strerror})") from exc
    if not name.startswith(GENERATION_PREFIX) or "/" in name or not (root / name).is_dir():
        raise IndexUnavailable(f"{root}: {POINTER} names a missing generation {name!r}; "
                               "rebuild with `blogsearch index CONTENT_DIR --full`")
    return root / name


def ensure_root(index_dir: str | os.PathLike) -> Path:
    """Create the index folder if needed; IndexUnavailable when it cannot be written."""
    root = Path(index_dir)
    try:
        if root.exists() and not root.is_dir():
            raise IndexUnavailable(f"{root}: exists and is not a directory")
        if root.is_dir() and any(root.iterdir()) and not _looks_like_index(root):
            raise IndexUnavailable(
                f"{root}: not empty and not a blogsearch index; refusing to write into it"
            )
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise IndexUnavailable(f"{root}: cannot write the index here ({exc.strerror})") from exc
    return root


def _looks_like_index(root: Path) -> bool:
    """True when ``root`` holds our files (a generation, the pointer, the lock, the web's
    search log), so writing an index into it destroys nothing of the user's."""
    return any(p.name in (POINTER, LOCK) or p.name.startswith((GENERATION_PREFIX, "searches.sqlite3"))
               for p in root.iterdir())


def new_generation(index_dir: str | os.PathLike) -> Path:
    """A new, empty generation folder (not live until ``publish``)."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = Path(index_dir) / f"{GENERATION_PREFIX}{stamp}-{secrets.token_hex(3)}"
    path.mkdir()
    return path


def publish(index_dir: str | os.PathLike, generation: Path) -> None:
    """Make ``generation`` the live index in one atomic rename, then drop older generations
    (all but the one it replaces)."""
    root = Path(index_dir)
    previous = live_dir(root)
    tmp = root / f".{POINTER}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(generation.name)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, root / POINTER)
    _fsync_dir(root)
    keep = {generation.name, previous.name if previous else ""}
    remove_stale(root, keep)


def remove_stale(index_dir: str | os.PathLike, keep: set[str]) -> None:
    """Delete generations not in ``keep`` and temporary files inside those kept: leftovers of
    crashed runs. Call only while holding the lock."""
    for path in Path(index_dir).iterdir():
        if path.name.startswith(GENERATION_PREFIX) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(GENERATION_PREFIX):
            _remove_temporary(path)
        elif path.name.startswith(f".{POINTER}.") and path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)


def _remove_temporary(generation: Path) -> None:
    """Delete the temporary files and folders writers killed mid-run left in ``generation``."""
    for path in generation.iterdir():
        if path.name.endswith(".tmp") or ".tmp." in path.name:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def index_lock(index_dir: str | os.PathLike) -> Iterator[None]:
    """Hold the index's lock; IndexBusy at once if another run holds it. The lock dies with
    its process, so a killed indexer never leaves the index locked."""
    path = Path(index_dir) / LOCK
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(
                f"{index_dir}: another `blogsearch index` is running on this index; "
                "try again when it has finished"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
