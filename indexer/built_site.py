"""Check post URLs against a built site (``public/``, ``_site/``, ``output/``): which have no page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit


def page_file(public_dir: Path, url: str, base_url: str = "") -> Path | None:
    """The built file that serves ``url`` under ``public_dir``, or None when there is none.

    ``/a/b/`` is ``a/b/index.html``; ``/a/b.html`` is itself; ``/a/b`` is ``a/b``, ``a/b.html``
    or ``a/b/index.html``. The base URL's own path (``/devlog/``) is not part of the folder.
    """
    path = unquote(urlsplit(url).path)
    prefix = urlsplit(base_url).path.rstrip("/") if base_url else ""
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix):]
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        candidates = [relative + "index.html"]
    else:
        candidates = [relative, relative + ".html", relative + "/index.html"]
    for candidate in candidates:
        target = public_dir / candidate
        if target.is_file():
            return target
    return None


def missing_pages(labels: dict[str, list], public_dir: Path, base_url: str = "") -> list[tuple[str, str]]:
    """(post path, URL) of every indexed post whose URL has no page in ``public_dir``."""
    return [(path, label[2]) for path, label in sorted(labels.items())
            if len(label) > 2 and page_file(public_dir, label[2], base_url) is None]
