"""The index folder: generations, the pointer to the live one, and the indexer's lock.

```
INDEX/
  CURRENT            name of the live generation (replaced atomically)
  gen-.../           a whole index: Whoosh files + blogsearch.json manifest
  lock               held (lockf) by the one index run allowed at a time; its pid
```

A full rebuild writes a new generation beside the live one and switches ``CURRENT`` to it in one
atomic rename, so readers see the old index or the new one, never half of either. Incremental
runs commit inside the live generation (Whoosh commits are atomic too). The previous
generation is kept until the next switch, for readers that still have it open.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

POINTER = "CURRENT"
LOCK = "lock"
GENERATION_PREFIX = "gen-"
DEFAULT_INDEX = ".blogsearch"


def default_index() -> str:
    """The index location every command and the web app use unless told otherwise."""
    return os.environ.get("BLOGSEARCH_INDEX") or DEFAULT_INDEX


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
    try:
        previous = live_dir(root)
    except IndexUnavailable:  # CURRENT was damaged: this generation replaces it
        previous = None
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


_held: set[str] = set()  # index folders whose lock this process holds
_held_guard = threading.Lock()


@contextlib.contextmanager
def index_lock(index_dir: str | os.PathLike) -> Iterator[int | None]:
    """Hold the index's lock; IndexBusy at once if another run (in any process) holds it.

    The lock is a POSIX record lock (``lockf``): the kernel releases it when its process dies,
    however it dies, and worker processes forked by the run do not inherit it, so a killed
    indexer never leaves the index locked (even while its workers are still ending). The
    holder writes its process id into the file and clears it when it ends; yields the id
    found there, the run that was killed before finishing, or None after a clean end.
    """
    path = Path(index_dir) / LOCK
    key = str(path.resolve())
    with _held_guard:
        if key in _held:  # POSIX locks do not exclude their own process
            raise _busy(index_dir)
        _held.add(key)
    try:
        with open(path, "a+", encoding="ascii") as handle:
            try:
                fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise IndexUnavailable(f"{path}: cannot lock the index ({exc.strerror})") from exc
                raise _busy(index_dir) from None
            handle.seek(0)
            previous = handle.read().strip()
            _write_holder(handle, str(os.getpid()))
            try:
                yield int(previous) if previous.isdigit() else None
            finally:
                _write_holder(handle, "")
                fcntl.lockf(handle.fileno(), fcntl.LOCK_UN)
    finally:
        with _held_guard:
            _held.discard(key)


def _busy(index_dir: str | os.PathLike) -> IndexBusy:
    return IndexBusy(f"{index_dir}: another `blogsearch index` is running on this index; "
                     "try again when it has finished")


def _write_holder(handle, text: str) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(text)
    handle.flush()
