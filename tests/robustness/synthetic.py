"""The robustness tests' own helpers: generated blogs, counting what their index holds, its
generations. Shared helpers (paths, the real CLI, waiting) are in tests/helpers.py.

``FIGURES`` collects the numbers the robustness tests report (kills, requests, files, fuzz
cases); the robustness conftest prints them at the end of the run.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from blogsearch.search.engine import Engine
from blogsearch.search.layout import GENERATION_PREFIX, POINTER
from tests.helpers import post_text, result_paths, write_file

# Every generated post holds this word, so searching it counts the posts of an index.
COMMON_WORD = "bitácora"
FIGURES: Counter[str] = Counter()

_WORDS = ("casa perro gato montaña río receta pan harina agua sal horno cuchillo viaje tren "
          "camino servidor docker imagen contenedor python programa función variable cámara "
          "película juego consola mando teclado pantalla ciudad pueblo invierno verano lluvia").split()


def marker(number: int, version: int = 0) -> str:
    """A word found in exactly one version of one generated post (kept whole by the analyser)."""
    return f"unico{number:04d}v{version}"


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
    write_file(content / rel, generated_post(number, version))
    return rel


def synthetic_blog(content: Path, count: int) -> dict[str, str]:
    """A blog of ``count`` generated posts; returns {relative path: marker}."""
    return {write_generated(content, n): marker(n) for n in range(count)}


def count_posts(engine: Engine) -> int:
    """How many posts of a generated blog ``engine`` finds (each holds COMMON_WORD)."""
    return engine.search(COMMON_WORD, per_page=1, snippets=False, facets=False)["total"]


def indexed_paths(engine: Engine, query: str = COMMON_WORD) -> list[str]:
    """The path of every post matching ``query``, page by page (duplicates kept)."""
    paths: list[str] = []
    for page in range(1, 1001):
        found = engine.search(query, page=page, per_page=100, snippets=False, facets=False)
        paths.extend(result_paths(found))
        if page >= found["pages"]:
            return paths
    raise AssertionError("more than 1000 pages of results")


def paths_with(engine: Engine, word: str) -> list[str]:
    """Paths of the posts holding ``word`` (the first page is plenty for a marker)."""
    return result_paths(engine.search(word, per_page=20, snippets=False, facets=False))


def generations(index_dir: Path) -> list[str]:
    """Names of the generation folders in ``index_dir``."""
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(GENERATION_PREFIX))


def live_generation(index_dir: Path) -> str:
    """The generation ``CURRENT`` names."""
    return (index_dir / POINTER).read_text(encoding="utf-8").strip()
