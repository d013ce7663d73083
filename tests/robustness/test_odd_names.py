"""Every file name works: bytes that are not UTF-8, newlines, quotes, colons, escape sequences.

Each is indexed, kept as it is for the next incremental run (no re-read, removal when the file
goes), and shown escaped: nothing a terminal would act on reaches the output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from blogsearch.search.engine import Engine
from tests.helpers import run_cli

NAMES = [b"caf\xe9.md", b"l\xednea\nnueva.md", b"comillas \"dobles\" y 'simples'.md",
         b"dos: puntos.md", b"t\x1b]0;titulo\x07.md", b"al rev\xe2\x80\xaes.md", b"normal.md"]


@pytest.fixture
def odd_blog(tmp_path) -> Path:
    content = tmp_path / "blog"
    (content / "posts").mkdir(parents=True)
    for number, name in enumerate(NAMES):
        path = os.path.join(os.fsencode(content / "posts"), name)
        with open(path, "wb") as handle:
            handle.write(f"---\ntitle: Entrada {number}\n---\npalabrarara numero{number}\n".encode())
    return content


def _unsafe(text: str) -> list[str]:
    return [char for char in text if (ord(char) < 32 and char != "\n") or 0x7f <= ord(char) < 0xa0
            or char in "\u202e"]


def test_odd_file_names_are_indexed_kept_and_shown_escaped(odd_blog, tmp_path):
    index = tmp_path / "index"
    first = run_cli("index", str(odd_blog), "--index", str(index))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"{len(NAMES)} posts indexed: {len(NAMES)} added")
    assert "Traceback" not in first.stderr and _unsafe(first.stdout + first.stderr) == []
    again = run_cli("index", str(odd_blog), "--index", str(index), "--quiet")
    assert again.stdout.startswith(f"{len(NAMES)} posts indexed: 0 added, 0 updated, 0 removed, "
                                   f"{len(NAMES)} unchanged"), again.stdout
    found = run_cli("query", "palabrarara", "--index", str(index), "--limit", "20")
    assert found.returncode == 0 and f"{len(NAMES)} results" in found.stdout
    assert _unsafe(found.stdout) == []
    assert "caf\\xe9.md" in found.stdout and "t\\x1b]0;titulo\\x07.md" in found.stdout
    assert "al rev\\u202es.md" in found.stdout and "l\\xednea\\nnueva.md" in found.stdout
    as_json = run_cli("query", "palabrarara", "--index", str(index), "--limit", "20", "--json")
    assert _unsafe(as_json.stdout) == []
    paths = {hit["path"] for hit in json.loads(as_json.stdout)["results"]}
    assert "posts/caf\\xe9.md" in paths and "posts/t\x1b]0;titulo\x07.md" in paths
    os.unlink(os.path.join(os.fsencode(odd_blog / "posts"), NAMES[0]))
    os.unlink(os.path.join(os.fsencode(odd_blog / "posts"), NAMES[1]))
    removed = run_cli("index", str(odd_blog), "--index", str(index), "--quiet")
    assert removed.stdout.startswith(f"{len(NAMES) - 2} posts indexed: 0 added, 0 updated, "
                                     f"2 removed"), removed.stdout
    engine = Engine(index)
    try:
        assert engine.search("palabrarara", per_page=20)["total"] == len(NAMES) - 2
        assert engine.search("numero0")["total"] == 0
    finally:
        engine.close()
