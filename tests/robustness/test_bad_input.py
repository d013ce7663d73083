"""A content folder full of bad input, built here, indexed by the real ``blogsearch index``.

Every good post is indexed (and found), every bad file is reported on stderr as
``skipped PATH: REASON``, and the exit status is 0: bad files never fail a run as a whole
(docs/sites.md, "Bad input never stops a run"); only an unusable folder or index gives status 1. The
index is never half-written: it opens, and the counts are exact, on the serial path and on the
parallel one (with enough good posts to use worker processes).
"""

from __future__ import annotations

import json
import os
import re
import time
import zlib
from pathlib import Path

import pytest

from blogsearch.search.engine import Engine
from tests.helpers import post_text, run_cli
from tests.robustness.synthetic import (
    COMMON_WORD,
    FIGURES,
    count_posts,
    indexed_paths,
    paths_with,
    synthetic_blog,
)

pytestmark = pytest.mark.slow

MB = 1024 * 1024


def good_text(title: str, word: str) -> str:
    return post_text(title, f"{COMMON_WORD} {word} texto normal de una entrada.")


# Good posts, odd as they are: path → (bytes, the word that finds it, expected title).
GOOD: dict[str, tuple[bytes, str, str]] = {
    "good/normal.md": (good_text("Una entrada normal", "bueno0001").encode(), "bueno0001",
                       "Una entrada normal"),
    "good/nul-bytes.md": (good_text("Con bytes nulos", "bueno0002").encode().replace(
        b"texto", b"te\x00xto\x00"), "bueno0002", "Con bytes nulos"),
    "good/latin1.md": (good_text("Canción de otoño", "bueno0003").encode("latin-1"),
                       "bueno0003", "Canción de otoño"),
    "good/cp1252.md": (good_text("“Comillas” y 5 € — guion", "bueno0004").encode("cp1252"),
                       "bueno0004", "“Comillas” y 5 € — guion"),
    "good/front-matter-only.md": (b"---\ntitle: Solo cabecera bueno0005\n---\n", "bueno0005",
                                  "Solo cabecera bueno0005"),
    "good/yaml-duplicate-keys.md": (
        f"---\ntitle: Primero\ntitle: Segundo título\n---\n{COMMON_WORD} bueno0006\n".encode(),
        "bueno0006", "Segundo título"),
    "good/json-duplicate-keys.md": (
        f'{{"title": "Primero", "title": "Último título"}}\n{COMMON_WORD} bueno0007\n'.encode(),
        "bueno0007", "Último título"),
    "good/html-title.md": (good_text("<b>Negrita</b> y <i>cursiva</i>", "bueno0008").encode(),
                           "bueno0008", "Negrita y cursiva"),
    "good/script-title.md": (
        good_text('<script>alert("xss")</script>Receta de pisto', "bueno0009").encode(),
        "bueno0009", 'alert("xss") Receta de pisto'),
    "good/bom-crlf.md": (b"\xef\xbb\xbf" + good_text("Con BOM y CRLF", "bueno0010").replace(
        "\n", "\r\n").encode(), "bueno0010", "Con BOM y CRLF"),
    "good/page.html": (
        f"---\ntitle: Página HTML\n---\n<p>{COMMON_WORD} bueno0011 <b>negrita</b></p>".encode(),
        "bueno0011", "Página HTML"),
    "good/yaml-alias-bomb.md": (
        ("---\ntitle: Risas\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
         + "".join(f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi",
                                                                              strict=True))
         + f"tags: *i\n---\n{COMMON_WORD} bueno0012\n").encode(), "bueno0012", "Risas"),
    "good/folder.md/inside.md": (good_text("Dentro de una carpeta .md", "bueno0013").encode(),
                                 "bueno0013", "Dentro de una carpeta .md"),
}

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"
       + zlib.compress(os.urandom(2000)))
# Bad files: path → (bytes or None for a special file, pattern the reason must match).
BAD: dict[str, tuple[bytes | None, str]] = {
    "bad/binary.md": (PNG, r"looks like a binary file"),
    "bad/utf16.md": (good_text("En UTF-16", "malo0001").encode("utf-16"), r"binary file"),
    "bad/empty.md": (b"", r"empty file"),
    "bad/blank.md": (b"\n  \n\t\n", r"empty file"),
    "bad/empty-front-matter.md": (b"---\n---\n", r"empty file"),
    "bad/toml-broken.md": (b"+++\ntitle = \n+++\nmalo0005\n", r"invalid TOML front matter"),
    "bad/toml-duplicate-keys.md": (b'+++\ntitle = "a"\ntitle = "b"\n+++\nmalo0006\n',
                                   r"invalid TOML front matter"),
    "bad/json-broken.md": (b'{"title": "coma final",}\nmalo0007\n',
                           r"invalid JSON front matter at line \d+"),
    "bad/huge.md": (b"---\ntitle: Enorme\n---\n" + b"palabra malo0008 " * (10 * MB // 17),
                    r"over the 5 MB limit"),
    "bad/json-deep.md": (('{"title": "Hondo", "d": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
                         .encode(), r"invalid JSON front matter: nested too deeply"),
    "bad/toml-deep.md": (("+++\ntitle = 'Hondo'\nd = " + "[" * 5000 + "]" * 5000 + "\n+++\n")
                         .encode(), r"invalid TOML front matter.*recursion"),
    "bad/dangling-link.md": (None, r"cannot read: No such file or directory"),
    "bad/self-link.md": (None, r"cannot read: Too many levels of symbolic links"),
    "bad/pipe.md": (None, r"not a regular file"),  # a FIFO: opening it would block forever
}

# Front matter that is not valid YAML: read as `key: value` lines, indexed, with a warning.
LENIENT: dict[str, tuple[bytes, str]] = {
    "lenient/yaml-broken.md": (b'---\ntitle: "sin cerrar\ntags: [a, b\n---\nmalo0002\n',
                               r"line \d+ is not valid YAML"),
    "lenient/yaml-unclosed.md": (b"---\ntitle: Nunca cerrado\n\nmalo0003 y nada mas\n", r""),
    "lenient/yaml-not-mapping.md": (b"---\n- una\n- lista\n---\nmalo0004\n", r"front matter line"),
    "lenient/yaml-deep.md": (("---\ntitle: Hondo\nd: " + "[" * 5000 + "]" * 5000 + "\n---\nmalo0009\n")
                             .encode(), r"front matter line"),
}


def build_folder(content: Path, fillers: int) -> None:
    """Write GOOD and BAD (and ``fillers`` generated good posts) into ``content``."""
    for rel, (raw, _, _) in GOOD.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_bytes(raw)
    for rel, (raw, _) in BAD.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        if raw is not None:
            (content / rel).write_bytes(raw)
    for rel, (raw, _) in LENIENT.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_bytes(raw)
    (content / "bad/dangling-link.md").symlink_to("no-such-post.md")
    (content / "bad/self-link.md").symlink_to("self-link.md")
    os.mkfifo(content / "bad/pipe.md")
    (content / "good/loop").symlink_to("..")  # a folder loop back to the content folder
    if fillers:
        synthetic_blog(content / "relleno", fillers)


def reported(stderr: str) -> dict[str, str]:
    """{path: reason} from the ``skipped PATH: REASON`` lines."""
    return dict(re.findall(r"^skipped (.+?): (.+)$", stderr, flags=re.MULTILINE))


@pytest.mark.parametrize("fillers", [0, 80], ids=["serial", "parallel"])
def test_bad_input_folder(tmp_path, fillers):
    content = tmp_path / "content"
    build_folder(content, fillers)
    FIGURES["bad_input_files"] = len(GOOD) + len(BAD) + 1  # + the folder loop
    index = tmp_path / "index"
    result = run_cli("index", str(content), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    problems = reported(result.stderr)
    assert set(problems) == set(BAD), problems
    for rel, (_, pattern) in BAD.items():
        assert re.search(pattern, problems[rel]), (rel, problems[rel])
    posts = len(GOOD) + len(LENIENT) + fillers
    assert (f"{posts} posts indexed: {posts} added, 0 updated, 0 removed, 0 unchanged, 0 skipped "
            f"(drafts, section pages, static files), {len(BAD)} with problems") in result.stdout
    warnings = dict(re.findall(r"^warning (.+?): (.+)$", result.stderr, flags=re.MULTILINE))
    for rel, (_, pattern) in LENIENT.items():
        if pattern:
            assert re.search(pattern, warnings[rel]), (rel, warnings.get(rel))
    assert "removed 2 NUL byte(s)" in warnings["good/nul-bytes.md"]
    assert "read as cp1252" in warnings["good/latin1.md"]
    assert "read as cp1252" in warnings["good/cp1252.md"]

    engine = Engine(index)
    try:
        assert engine.stats()["posts"] == posts
        for rel, (_, word, title) in GOOD.items():
            found = engine.search(word, snippets=False, facets=False)["results"]
            assert [hit["path"] for hit in found] == [rel], (rel, found)
            assert found[0]["title"] == title
        # all but the front-matter-only post and the lenient ones (which lack the common word)
        assert count_posts(engine) == posts - len(LENIENT) - 1
        paths = indexed_paths(engine, COMMON_WORD)
        assert len(paths) == len(set(paths))
        assert not [p for p in paths if p.startswith(("bad/", "good/loop/"))]
        for word in ("malo0001", "malo0008"):
            assert paths_with(engine, word) == []
        for rel, word in (("lenient/yaml-broken.md", "malo0002"), ("lenient/yaml-unclosed.md", "malo0003"),
                          ("lenient/yaml-deep.md", "malo0009")):
            assert paths_with(engine, word) == [rel]
    finally:
        engine.close()

    again = run_cli("index", str(content), "--index", str(index), "--quiet")
    assert again.returncode == 0
    assert again.stdout.startswith(f"{posts} posts indexed: 0 added, 0 updated, 0 removed, "
                                   f"{posts} unchanged"), again.stdout
    assert set(reported(again.stderr)) == set(BAD)
    stats = run_cli("stats", "--index", str(index), "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["posts"] == posts


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file: cannot be made "
                    "unreadable here (the dangling and looping links cover unreadable files)")
def test_unreadable_file_is_reported(tmp_path):
    content = tmp_path / "content"
    (content / "good").mkdir(parents=True)
    (content / "good/normal.md").write_text(good_text("Normal", "bueno0001"), encoding="utf-8")
    locked = content / "locked.md"
    locked.write_text(good_text("Cerrado", "malo0009"), encoding="utf-8")
    locked.chmod(0)
    result = run_cli("index", str(content), "--index", str(tmp_path / "index"))
    assert result.returncode == 0
    assert reported(result.stderr) == {"locked.md": "cannot read: Permission denied"}


def test_deeply_nested_markup_does_not_stall_the_run(tmp_path):
    """HTML parsing time grows with the square of the nesting depth: 100,000 nested
    blockquotes or divs once took minutes (a 5 MB file, hours); now a run takes seconds."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "citas.md").write_text(
        "---\ntitle: Citas\n---\n" + ">" * 100_000 + " hondo0001\n", encoding="utf-8")
    (content / "cajas.html").write_text(
        "<div>" * 100_000 + "hondo0002" + "</div>" * 100_000, encoding="utf-8")
    started = time.monotonic()
    result = run_cli("index", str(content), "--index", str(tmp_path / "index"), timeout=60)
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert took < 10, f"{took:.1f} s"
    assert result.stdout.startswith("2 posts indexed"), (result.stdout, result.stderr)
    engine = Engine(tmp_path / "index")
    try:
        assert paths_with(engine, "hondo0001") == ["citas.md"]
        assert paths_with(engine, "hondo0002") == ["cajas.html"]
    finally:
        engine.close()
