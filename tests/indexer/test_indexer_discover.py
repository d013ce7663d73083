"""Finding post files: recursive, only post suffixes, hidden folders skipped, loops, size limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blogsearch.indexer.discover import (
    MAX_FILE_BYTES,
    ContentDirError,
    Found,
    find_posts,
    read_limited,
    walk_site,
)
from blogsearch.indexer.run import index_folder
from blogsearch.indexer.sites.plain import read as plain_site
from tests.helpers import write_file


def _write(root: Path, rel: str, text: str = "---\ntitle: Post\n---\nTexto.\n") -> Path:
    return write_file(root / rel, text)


def _found(root: Path) -> list[str]:
    return [found.rel_path for found in find_posts(root)]


def test_recursive_with_post_suffixes_only(tmp_path):
    for rel in ["a.md", "b.markdown", "c.html", "d.htm", "E.MD", "sub/deep/er/f.md",
                "notes.txt", "image.png", "g.md.bak", "data.json", "h.mdx"]:
        _write(tmp_path, rel)
    assert sorted(_found(tmp_path)) == sorted(["a.md", "b.markdown", "c.html", "d.htm", "E.MD",
                                               "sub/deep/er/f.md"])


def test_paths_are_relative_and_slash_separated(tmp_path):
    _write(tmp_path, "posts/2020/x/index.md")
    (found,) = list(find_posts(tmp_path))
    assert found.rel_path == "posts/2020/x/index.md"
    assert Path(found.abs_path) == tmp_path / "posts" / "2020" / "x" / "index.md"


def test_hidden_and_tool_folders_and_hidden_files_are_skipped(tmp_path):
    for rel in [".git/x.md", ".obsidian/y.md", "posts/.cache/z.md", "node_modules/pkg/readme.md",
                "posts/.oculto.md", "posts/visible.md"]:
        _write(tmp_path, rel)
    assert _found(tmp_path) == ["posts/visible.md"]


def test_order_is_stable(tmp_path):
    for rel in ["b/2.md", "a/1.md", "c.md", "a/0.md"]:
        _write(tmp_path, rel)
    assert _found(tmp_path) == _found(tmp_path)
    assert sorted(_found(tmp_path)) == sorted(["a/0.md", "a/1.md", "b/2.md", "c.md"])


def test_symlink_loop_terminates_and_lists_each_file_once(tmp_path):
    _write(tmp_path, "posts/uno.md")
    _write(tmp_path, "posts/sub/dos.md")
    os.symlink(tmp_path / "posts", tmp_path / "posts" / "sub" / "bucle")
    os.symlink(tmp_path, tmp_path / "posts" / "raiz")
    found = _found(tmp_path)
    assert sorted(found) == ["posts/sub/dos.md", "posts/uno.md"]


def test_links_outside_the_blog_are_left_out_and_reported_unless_followed(tmp_path):
    outside = tmp_path / "fuera"
    _write(outside, "privado/externo.md")
    _write(outside, "suelto.md")
    root = tmp_path / "contenido"
    _write(root, "propio.md")
    _write(root, "posts/dentro.md")
    os.symlink(outside / "privado", root / "enlace")
    os.symlink(outside / "suelto.md", root / "posts" / "suelto.md")
    os.symlink("/etc/passwd", root / "passwd.md")
    os.symlink("../propio.md", root / "posts" / "copia.md")  # inside: followed
    site = plain_site(root)
    walk = walk_site(site)
    assert sorted(f.rel_path for f in walk.files) == ["posts/copia.md", "posts/dentro.md",
                                                      "propio.md"]
    assert sorted(walk.outside) == [("enlace", str((outside / "privado").resolve())),
                                    ("passwd.md", "/etc/passwd"),
                                    ("posts/suelto.md", str((outside / "suelto.md").resolve()))]
    followed = walk_site(site, follow_symlinks=True)
    assert {"enlace/externo.md", "passwd.md", "posts/suelto.md"} <= {
        f.rel_path for f in followed.files}
    assert followed.outside == []


def test_the_index_holds_exactly_the_blogs_own_posts(tmp_path):
    """Outside links, hidden files and folders, editor backups: only the blog's posts."""
    secret = tmp_path / "secreto"
    _write(secret, "clave.md", "---\ntitle: Clave\n---\ncontraseñaprivada\n")
    root = tmp_path / "blog"
    _write(root, "posts/hola.md")
    for rel in [".git/x.md", ".env.md", "posts/.borrador.md", "posts/.hugo/z.md",
                "posts/hola.md~", "posts/#hola.md#", "posts/.hola.md.swp"]:
        _write(root, rel)
    os.symlink(secret, root / "posts" / "privado")
    os.symlink("/etc/passwd", root / "posts" / "passwd.md")
    report = index_folder(root, tmp_path / "ix")
    assert report.posts == 1 and report.added == 1
    assert sorted(path for path, _ in report.problems) == ["posts/passwd.md", "posts/privado"]
    assert all("outside the blog's folder" in reason and "--follow-symlinks" in reason
               for _, reason in report.problems)


def test_unreadable_file_is_reported_and_the_rest_indexed(tmp_path):
    content = tmp_path / "contenido"
    _write(content, "bien.md")
    os.symlink(content / "no-existe.md", content / "roto.md")
    report = index_folder(content, tmp_path / "ix")
    assert report.added == 1
    assert len(report.problems) == 1
    path, reason = report.problems[0]
    assert path == "roto.md"
    assert "cannot read" in reason


def test_missing_folder(tmp_path):
    missing = tmp_path / "no-existe"
    with pytest.raises(ContentDirError, match=str(missing)):
        list(find_posts(missing))


def test_file_instead_of_folder(tmp_path):
    path = _write(tmp_path, "post.md")
    with pytest.raises(ContentDirError, match="not a folder"):
        list(find_posts(path))


def test_read_limited_rejects_big_files(tmp_path):
    path = tmp_path / "grande.md"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(ValueError, match="limit"):
        read_limited(Found("grande.md", str(path)))
    small = _write(tmp_path, "pequeno.md", "hola")
    assert read_limited(Found("pequeno.md", str(small))) == b"hola"
    assert read_limited(Found("pequeno.md", str(small)), max_bytes=4) == b"hola"
    with pytest.raises(ValueError):
        read_limited(Found("pequeno.md", str(small)), max_bytes=3)


def test_file_over_the_size_limit_is_reported_and_the_rest_indexed(tmp_path):
    content = tmp_path / "contenido"
    _write(content, "normal.md")
    with open(content / "enorme.md", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    report = index_folder(content, tmp_path / "ix")
    assert report.added == 1
    assert len(report.problems) == 1
    path, reason = report.problems[0]
    assert path == "enorme.md"
    assert "MB" in reason and "limit" in reason
