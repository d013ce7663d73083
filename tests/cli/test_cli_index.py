"""End to end: the installed `blogsearch` command indexing, querying and describing the sample
blog and sites (real process, real index)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SAMPLE_BLOG, SAMPLE_EXPORTS, SAMPLE_SITES, copy_tree, result_paths, run_cli


@pytest.fixture(scope="module")
def blog(tmp_path_factory) -> tuple[Path, Path]:
    """(a copy of the sample blog, its index folder), indexed once."""
    root = tmp_path_factory.mktemp("cli")
    content = copy_tree(SAMPLE_BLOG, root / "blog")
    index = root / "index"
    result = run_cli("index", str(content), "--index", str(index))
    assert result.returncode == 0, result.stderr
    return content, index


def test_help_on_every_command():
    for command in ([], ["index"], ["query"], ["stats"], ["serve"], ["report"]):
        result = run_cli(*command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout, command


def test_index_reports_counts_and_problems(blog):
    content, index = blog
    again = run_cli("index", str(content), "--index", str(index), "--full")
    assert again.returncode == 0
    assert "added" in again.stdout and "skipped" in again.stdout
    assert "broken/toml-roto.md" in again.stderr and "line" in again.stderr
    assert "Traceback" not in again.stderr


def test_second_run_changes_nothing_and_one_edit_is_one_update(blog, tmp_path):
    content, index = blog
    quiet = run_cli("index", str(content), "--index", str(index))
    assert " 0 added, 0 updated, 0 removed" in quiet.stdout
    post = content / "posts" / "2023" / "docker-compose-en-casa" / "index.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nPalabra nueva: zarzaparrilla.\n",
                    encoding="utf-8")
    edited = run_cli("index", str(content), "--index", str(index))
    assert " 0 added, 1 updated, 0 removed" in edited.stdout
    found = json.loads(run_cli("query", "zarzaparrilla", "--index", str(index), "--json").stdout)
    assert result_paths(found) == ["posts/2023/docker-compose-en-casa/index.md"]


def test_query_json_shape(blog):
    _, index = blog
    result = run_cli("query", "busqueda", "--index", str(index), "--json", "--limit", "3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] >= 1 and len(data["results"]) <= 3
    for hit in data["results"]:
        assert {"path", "title", "url", "date", "tags", "score"} <= hit.keys()
        assert "/" in hit["path"] and not hit["path"].startswith("/")
    assert any("<mark>" in hit["snippet"] for hit in data["results"])


def test_query_text_output_in_rank_order(blog):
    _, index = blog
    result = run_cli("query", "docker", "compose", "--index", str(index))
    assert result.returncode == 0
    assert "1. " in result.stdout and "results" in result.stdout


def test_query_text_says_what_was_left_out_and_marks_partial_matches(blog):
    _, index = blog
    unknown = run_cli("query", "zzqxwv", "--index", str(index))
    assert "In no post, nor any similar word: zzqxwv" in unknown.stdout
    assert "0 results" in unknown.stdout
    mixed = run_cli("query", "python", "zzqxwv", "--index", str(index), "--limit", "100")
    assert "In no post, nor any similar word: zzqxwv" in mixed.stdout and "1. " in mixed.stdout
    partial = run_cli("query", "pan", "masa", "--index", str(index), "--limit", "20")
    assert "(partial match, without: pan)" in partial.stdout


def test_stats_json(blog):
    content, index = blog
    data = json.loads(run_cli("stats", "--index", str(index), "--json").stdout)
    assert data["posts"] >= 20
    assert data["content_dir"] == str(content.resolve())
    assert data["last_indexed"].startswith("20")


def test_default_index_location_is_shared_by_commands(tmp_path):
    result = run_cli("index", str(SAMPLE_BLOG), "--quiet", cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / ".blogsearch").is_dir()
    assert json.loads(run_cli("stats", "--json", cwd=tmp_path).stdout)["posts"] >= 20
    env = {"BLOGSEARCH_INDEX": str(tmp_path / ".blogsearch")}
    assert run_cli("query", "docker", "--json", env=env).returncode == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["index", "/nonexistent/blog"], "content folder not found"),
        (["query", "x", "--index", "/nonexistent/index"], "no index here yet"),
        (["stats", "--index", "/nonexistent/index"], "no index here yet"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args, expected):
    result = run_cli(*args)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_folder_and_unusable_index_path(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("index", str(empty), "--index", str(tmp_path / "ix"))
    assert result.returncode != 0 and "no posts found" in result.stderr
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("index", str(SAMPLE_BLOG), "--index", str(blocker))
    assert result.returncode != 0 and "--index" in result.stderr and "is a file" in result.stderr


def test_the_index_command_loads_neither_numpy_nor_the_engine() -> None:
    """Start-up is most of a no-op re-index: the index command imports only what it needs."""
    code = ("import sys, blogsearch.cli.main, blogsearch.indexer.run; "
            "print(sorted(m for m in ('numpy', 'blogsearch.search.engine', 'flask') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert done.stdout.strip() == "[]"


def test_index_of_a_site_root_says_what_it_understood_and_dry_run_writes_nothing(tmp_path):
    index = tmp_path / "index"
    result = run_cli("index", str(SAMPLE_SITES / "pelican"), "--index", str(index), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "site: pelican (pelicanconf.py, publishconf.py)" in result.stderr
    assert "time zone America/Mexico_City" in result.stderr and "main language es" in result.stderr
    assert "URLs: " in result.stderr and "e.g. https://" in result.stderr
    assert "1 translations, 1 drafts" in result.stderr
    assert "dry run:" in result.stdout and "nothing written" in result.stdout
    assert not index.exists()


def test_index_of_an_export_file_and_urls_checked_against_the_built_site(tmp_path):
    export = SAMPLE_EXPORTS / "wordpress.xml"
    built = tmp_path / "public"
    result = run_cli("index", str(export), "--index", str(tmp_path / "index"), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "site: wordpress (wordpress.xml)" in result.stderr
    urls = [line for line in result.stderr.splitlines() if "e.g. " in line]
    assert urls, result.stderr
    first = urls[0].split("e.g. ")[1].strip()
    page = built / first.split("://", 1)[1].split("/", 1)[1] / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html></html>", encoding="utf-8")
    checked = run_cli("index", str(export), "--index", str(tmp_path / "index"), "--site", str(built))
    assert checked.returncode == 0, checked.stderr
    assert "URLs have a page" in checked.stdout
    assert "1 of" in checked.stdout and "no page for wordpress.xml#" in checked.stderr


def test_index_of_a_file_that_is_no_export_fails_with_its_name(tmp_path):
    stray = tmp_path / "notas.xml"
    stray.write_text("<notas><nota>hola</nota></notas>", encoding="utf-8")
    result = run_cli("index", str(stray), "--index", str(tmp_path / "index"))
    assert result.returncode == 1
    assert "notas.xml" in result.stderr and "Traceback" not in result.stderr


def test_query_lists_the_sections_that_match(tmp_path):
    index = tmp_path / "index"
    assert run_cli("index", str(SAMPLE_SITES / "hugo"), "--index", str(index)).returncode == 0
    result = run_cli("query", "viento", "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "   # El viento del norte  https://hugo.ejemplo.es/2023/04/" in result.stdout
    assert result.stdout.rstrip().endswith("/#viento")
