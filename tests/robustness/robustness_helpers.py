"""Helpers for the robustness tests: synthetic blogs, the real CLI, counting what an index holds.

``FIGURES`` collects the numbers the issue asks for (kills, requests, files, fuzz cases); the
robustness conftest prints them at the end of the run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from blogsearch.search.engine import Engine
from blogsearch.search.layout import GENERATION_PREFIX, POINTER

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_BLOG = ROOT / "examples" / "blog"
# Every generated post holds this word, so searching it counts the posts of an index.
COMMON_WORD = "bitácora"
FIGURES: Counter[str] = Counter()

_WORDS = ("casa perro gato montaña río receta pan harina agua sal horno cuchillo viaje tren "
          "camino servidor docker imagen contenedor python programa función variable cámara "
          "película juego consola mando teclado pantalla ciudad pueblo invierno verano lluvia").split()


def marker(number: int, version: int = 0) -> str:
    """A word found in exactly one version of one generated post (kept whole by the analyser)."""
    return f"unico{number:04d}v{version}"


def post_text(title: str, body: str, **front: object) -> str:
    """A Markdown post with YAML front matter (values written as JSON, which YAML reads)."""
    header = {"title": title, **front}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in header.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def generated_post(number: int, version: int = 0, words: int = 400) -> str:
    """The text of generated post ``number`` (``version`` changes its marker and its words)."""
    rnd = random.Random(number * 1000 + version)
    paragraphs = [" ".join(rnd.choice(_WORDS) for _ in range(words // 8)) for _ in range(8)]
    body = f"{COMMON_WORD} {marker(number, version)}\n\n" + "\n\n".join(paragraphs)
    return post_text(f"Entrada {number} sobre {rnd.choice(_WORDS)}", body,
                     date=f"{2010 + number % 15}-{1 + number % 12:02d}-{1 + number % 28:02d}",
                     tags=[rnd.choice(_WORDS), rnd.choice(_WORDS)])


def post_path(number: int) -> str:
    """Where generated post ``number`` lives, relative to the content folder."""
    return f"posts/{2010 + number % 15}/entrada-{number:04d}.md"


def write_generated(content: Path, number: int, version: int = 0) -> str:
    """Write generated post ``number`` into ``content``; return its relative path."""
    rel = post_path(number)
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generated_post(number, version), encoding="utf-8")
    return rel


def synthetic_blog(content: Path, count: int) -> dict[str, str]:
    """A blog of ``count`` generated posts; returns {relative path: marker}."""
    return {write_generated(content, n): marker(n) for n in range(count)}


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120
            ) -> subprocess.CompletedProcess:
    """Run the real ``blogsearch`` command (this checkout's, as CI installs it)."""
    command = [sys.executable, "-c", "from blogsearch.cli.main import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def count_posts(engine: Engine) -> int:
    """How many posts of a generated blog ``engine`` finds (each holds COMMON_WORD)."""
    return engine.search(COMMON_WORD, per_page=1, snippets=False, facets=False)["total"]


def indexed_paths(engine: Engine, query: str = COMMON_WORD) -> list[str]:
    """The path of every post matching ``query``, page by page (duplicates kept)."""
    paths: list[str] = []
    for page in range(1, 1001):
        found = engine.search(query, page=page, per_page=100, snippets=False, facets=False)
        paths.extend(hit["path"] for hit in found["results"])
        if page >= found["pages"]:
            return paths
    raise AssertionError("more than 1000 pages of results")


def paths_with(engine: Engine, word: str) -> list[str]:
    """Paths of the posts holding ``word`` (the first page is plenty for a marker)."""
    return [hit["path"] for hit in engine.search(word, per_page=20, snippets=False,
                                                 facets=False)["results"]]


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.05
               ) -> float | None:
    """Seconds until ``condition()`` held, or None if it did not within ``timeout``."""
    start = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            return None
        time.sleep(interval)


def generations(index_dir: Path) -> list[str]:
    """Names of the generation folders in ``index_dir``."""
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(GENERATION_PREFIX))


def live_generation(index_dir: Path) -> str:
    """The generation ``CURRENT`` names."""
    return (index_dir / POINTER).read_text(encoding="utf-8").strip()


def copy_tree(source: Path, target: Path) -> Path:
    """A copy of ``source`` at ``target`` (symlinks copied as links)."""
    shutil.copytree(source, target, symlinks=True)
    return target
