"""Integration: the three real blogs of ../shared/corpus index completely and correctly."""

from __future__ import annotations

import pytest

from blogsearch.indexer.discover import find_posts
from blogsearch.search.store import load_manifest
from tests.helpers import CORPUS

pytestmark = pytest.mark.corpus

SEED = "rodenas/content/ferdyblog/2011-04-21-openstack-cactus.md"
COMMENTED = "rodenas/content/ferdyblog/2011-03-03-instalando-openstack.md"
NUL_POST = "eiximenis/content/posts/2009-05-04-pexcando-errores-en-nuestro-cdigo.md"


def stored(engine, path: str) -> dict:
    searcher = engine.current_version().searcher
    docnum = searcher.document_number(path=path)
    assert docnum is not None, f"{path} is not indexed"
    return searcher.stored_fields(docnum)


def test_every_file_is_indexed_or_reported(corpus_run):
    report, index_dir = corpus_run
    files = {found.rel_path for found in find_posts(CORPUS)}
    indexed = set(load_manifest(index_dir).hashes)
    skipped = {path for path, _ in report.skips}
    problems = {path for path, _ in report.problems}
    assert indexed | skipped | problems == files
    assert not indexed & (skipped | problems)
    assert report.posts >= 1590


def test_seed_post_comes_out_perfect(corpus_engine):
    fields = stored(corpus_engine, SEED)
    meta = fields["meta"]
    assert fields["title"] == "OpenStack Cactus"
    assert {t.lower() for t in meta["tags"]} == {"cactus", "openstack"}
    assert meta["categories"] == ["General"]
    assert meta["date"] == "2011-04-20T23:45:10+00:00"
    assert fields["url"] == "/ferdyblog/2011/04/21/openstack-cactus/"
    assert "&eacute;" not in fields["body"] and "&#8217;" not in fields["body"]
    assert fields["body"].startswith("Después de 10 semanas de desarrollo")
    assert "[1]:" not in fields["body"] and "http://www.openstack.org/" not in fields["body"]
    found = corpus_engine.search("novedades openstack cactus")["results"][0]
    assert found["path"] == SEED


def test_exported_comments_leave_the_body(corpus_engine):
    fields = stored(corpus_engine, COMMENTED)
    assert "Comment by" not in fields["body"]
    for phrase in ("Muy bueno tu blog", "StackOps", "Adobe EC2"):
        assert phrase not in fields["body"]
    hits = corpus_engine.search('"Adobe EC2"')["results"]
    assert [h["path"] for h in hits] == [COMMENTED]


def test_post_with_nul_byte_is_indexed(corpus_run, corpus_engine):
    report, _ = corpus_run
    assert any(path == NUL_POST and "NUL" in why for path, why in report.warnings)
    assert "\x00" not in stored(corpus_engine, NUL_POST)["body"]


def test_second_run_changes_nothing(corpus_run, tmp_path):
    from blogsearch.indexer.run import index_folder

    _, index_dir = corpus_run
    again = index_folder(CORPUS, index_dir)
    assert again.changed == 0 and again.unchanged == corpus_run[0].posts
