"""Index runs over a copy of examples/blog: first run, no-op re-run, edits, deletions, breakage,
--full, changed options, unusable content folders and index paths."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import blogsearch.indexer.run as run
from blogsearch.indexer.discover import MAX_FILE_BYTES, ContentDirError, find_posts
from blogsearch.indexer.run import Options, index_folder
from blogsearch.search.engine import Engine
from blogsearch.search.store import IndexUnavailable, load_manifest, open_index
from tests.helpers import found_paths

EDITED = "posts/2023/docker-compose-en-casa/index.md"
DELETED = "posts/2023/kubernetes-sin-dolor/index.md"
BROKEN = "broken/toml-roto.md"
LENIENT = "broken/yaml-roto.md"
DRAFT = "blog/2024-01-20-primeras-impresiones-rust.md"
SECTION = "posts/_index.md"
NEW_WORD = "xilofonazo"


def indexed(index_dir: Path) -> dict[str, dict]:
    """Stored fields of every post in the index, by path."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        found = {fields["path"]: fields for fields in searcher.all_stored_fields()}
    ix.close()
    return found


@pytest.fixture(scope="module")
def first_run(sample_blog, tmp_path_factory):
    """examples/blog copied and indexed once: (content, index, report)."""
    root = tmp_path_factory.mktemp("incremental")
    content = root / "content"
    shutil.copytree(sample_blog, content)
    report = index_folder(content, root / "index")
    return content, root / "index", report


@pytest.fixture
def blog(first_run, tmp_path):
    """A private copy of the indexed sample blog: (content, index) each test may change."""
    content, index, _ = first_run
    shutil.copytree(content, tmp_path / "content", symlinks=True)
    shutil.copytree(index, tmp_path / "index")
    return tmp_path / "content", tmp_path / "index"


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_first_run_adds_every_post_and_reports_the_rest(first_run):
    content, index, report = first_run
    files = [found.rel_path for found in find_posts(content)]
    assert report.added + report.skipped + len(report.problems) == len(files)
    assert report.updated == report.removed == report.unchanged == 0
    assert dict(report.skips).keys() == {DRAFT, SECTION}
    assert [path for path, _ in report.problems] == [BROKEN]
    assert "TOML" in report.problems[0][1]
    assert any(path == LENIENT and "line" in why and "YAML" in why for path, why in report.warnings)
    assert any(path.endswith("cp1252.md") and "cp1252" in why for path, why in report.warnings)
    assert report.posts == report.added
    assert set(indexed(index)) == set(files) - {BROKEN, DRAFT, SECTION}
    assert load_manifest(index).posts == report.posts
    assert report.seconds >= 0


def test_second_run_changes_nothing(blog, first_run):
    content, index = blog
    report = index_folder(content, index)
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert report.changed == 0
    assert report.unchanged == report.posts == first_run[2].posts
    assert [path for path, _ in report.problems] == [BROKEN]


def test_editing_one_file_updates_exactly_that_post(blog):
    content, index = blog
    _append(content / EDITED, f"\nUn {NEW_WORD} de despedida.\n")
    before = indexed(index)
    report = index_folder(content, index)
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    assert report.unchanged == report.posts - 1
    assert found_paths(index, NEW_WORD) == [EDITED]
    assert set(indexed(index)) == set(before)


def test_touching_a_file_without_changing_it_is_not_an_update(blog):
    content, index = blog
    os.utime(content / EDITED, (1, 1))
    report = index_folder(content, index)
    assert report.changed == 0


def test_deleted_file_is_removed_from_the_index_and_results(blog):
    content, index = blog
    assert DELETED in found_paths(index, "kubernetes")
    (content / DELETED).unlink()
    report = index_folder(content, index)
    assert (report.added, report.updated, report.removed) == (0, 0, 1)
    assert DELETED not in found_paths(index, "kubernetes")
    assert DELETED not in indexed(index)
    assert load_manifest(index).posts == report.posts


def test_new_file_is_added(blog):
    content, index = blog
    (content / "blog" / "nuevo.md").write_text(f"---\ntitle: Nuevo\n---\nUn {NEW_WORD}.\n",
                                               encoding="utf-8")
    report = index_folder(content, index)
    assert (report.added, report.updated, report.removed) == (1, 0, 0)
    assert found_paths(index, NEW_WORD) == ["blog/nuevo.md"]


def test_broken_file_keeps_its_previous_version_and_is_reported(blog):
    content, index = blog
    old_title = indexed(index)[EDITED]["title"]
    (content / EDITED).write_text(f"+++\ntitle = [roto\ntags = x\n+++\nUn {NEW_WORD}.\n",
                                  encoding="utf-8")
    report = index_folder(content, index)
    assert report.changed == 0
    assert EDITED in dict(report.problems)
    assert "TOML" in dict(report.problems)[EDITED]
    assert indexed(index)[EDITED]["title"] == old_title
    assert EDITED in found_paths(index, "docker")
    assert found_paths(index, NEW_WORD) == []
    # still broken: still reported, still kept
    again = index_folder(content, index)
    assert EDITED in dict(again.problems)
    assert indexed(index)[EDITED]["title"] == old_title
    # fixed: updated
    (content / EDITED).write_text(f"---\ntitle: Arreglado\n---\nUn {NEW_WORD}.\n", encoding="utf-8")
    fixed = index_folder(content, index)
    assert (fixed.added, fixed.updated) == (0, 1)
    assert indexed(index)[EDITED]["title"] == "Arreglado"


def test_post_that_becomes_a_draft_is_removed(blog):
    content, index = blog
    path = content / EDITED
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1),
                    encoding="utf-8")
    report = index_folder(content, index)
    assert report.removed == 1
    assert EDITED not in indexed(index)
    assert EDITED not in found_paths(index, "docker")


def test_unreadable_file_keeps_its_previous_version(blog):
    content, index = blog
    path = content / EDITED
    path.unlink()
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse, just over the size limit
    report = index_folder(content, index)
    assert EDITED in dict(report.problems)
    assert report.removed == 0
    assert EDITED in indexed(index)


def test_full_rebuilds_everything(blog, first_run):
    content, index = blog
    report = index_folder(content, index, full=True)
    assert report.added == report.posts == first_run[2].posts
    assert report.unchanged == report.updated == report.removed == 0
    assert set(indexed(index)) == set(indexed(first_run[1]))


def test_changing_include_drafts_rereads_everything(blog):
    content, index = blog
    report = index_folder(content, index, options=Options(include_drafts=True))
    assert report.unchanged == 0
    assert DRAFT in indexed(index)
    assert report.posts == report.added
    back = index_folder(content, index)
    assert back.unchanged == 0
    assert DRAFT not in indexed(index)


def test_changing_base_url_rereads_everything(blog):
    content, index = blog
    report = index_folder(content, index, options=Options(base_url="https://blog.example.es"))
    assert report.unchanged == 0 and report.added == report.posts
    urls = [fields["url"] for fields in indexed(index).values()]
    assert urls and all(url.startswith("https://blog.example.es/") for url in urls)
    same = index_folder(content, index, options=Options(base_url="https://blog.example.es"))
    assert same.changed == 0


def test_parallel_run_matches_the_serial_one(blog, first_run, monkeypatch):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("the parallel path needs at least two CPUs")
    monkeypatch.setattr(run, "PARALLEL_MIN_FILES", 1)
    content, index = blog
    report = index_folder(content, index, full=True)
    assert report.added == first_run[2].posts
    assert [path for path, _ in report.problems] == [BROKEN]
    serial = indexed(first_run[1])
    parallel = indexed(index)
    assert set(parallel) == set(serial)
    assert {p: f["title"] for p, f in parallel.items()} == {p: f["title"] for p, f in serial.items()}
    # an edit and a deletion in one parallel incremental run
    _append(content / EDITED, f"\nUn {NEW_WORD}.\n")
    (content / DELETED).unlink()
    again = index_folder(content, index)
    assert (again.added, again.updated, again.removed) == (0, 1, 1)
    assert found_paths(index, NEW_WORD) == [EDITED]
    assert DELETED not in indexed(index)


def test_parallel_worker_with_nothing_to_write_leaves_the_others_alone(blog, monkeypatch):
    """A batch of only broken files must not delete the temporary files of the other workers
    (it used to abort the run with FileNotFoundError most of the time)."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("the parallel path needs at least two CPUs")
    monkeypatch.setattr(run, "PARALLEL_MIN_FILES", 1)
    content, index = blog
    broken = content / "_posts" / "2019-03-03-restaurando-un-msx.md"
    for attempt in range(4):
        _append(content / EDITED, f"\nUn {NEW_WORD}{attempt}.\n")
        broken.write_text(f"+++\ntitle = [roto {attempt}\n+++\nx\n", encoding="utf-8")
        report = index_folder(content, index)
        assert (report.added, report.updated, report.removed) == (0, 1, 0)
        assert "_posts/2019-03-03-restaurando-un-msx.md" in dict(report.problems)
    assert found_paths(index, f"{NEW_WORD}3") == [EDITED]


def test_missing_content_dir(tmp_path):
    missing = tmp_path / "no-hay-blog"
    with pytest.raises(ContentDirError) as caught:
        index_folder(missing, tmp_path / "index")
    assert str(missing) in str(caught.value)


@pytest.mark.parametrize("files", [[], ["notas.txt", "foto.jpg"]], ids=["empty", "no-posts"])
def test_content_dir_without_posts(tmp_path, files):
    content = tmp_path / "vacio"
    content.mkdir()
    for name in files:
        (content / name).write_text("x")
    with pytest.raises(ContentDirError) as caught:
        index_folder(content, tmp_path / "index")
    assert str(content) in str(caught.value)
    assert not (tmp_path / "index").exists()


def test_index_path_that_is_a_file(tmp_path, sample_blog):
    target = tmp_path / "indice"
    target.write_text("no soy un índice")
    with pytest.raises(IndexUnavailable) as caught:
        index_folder(sample_blog, target)
    assert str(target) in str(caught.value)
    assert target.read_text() == "no soy un índice"


def test_index_path_that_is_someone_elses_folder_is_never_wiped(tmp_path, sample_blog):
    target = tmp_path / "documentos"
    target.mkdir()
    (target / "tesis.odt").write_text("importante")
    try:
        index_folder(sample_blog, target)
    except IndexUnavailable:
        pass  # refusing is fine; destroying the folder's files is not
    assert (target / "tesis.odt").read_text() == "importante"
    for _ in range(2):  # a --full rebuild must not wipe them either
        try:
            index_folder(sample_blog, target, full=True)
        except IndexUnavailable:
            pass
    assert (target / "tesis.odt").read_text() == "importante"


def test_engine_sees_a_reindex_without_restarting(blog):
    content, index = blog
    engine = Engine(index, refresh_seconds=0.0)
    try:
        assert engine.search(NEW_WORD)["total"] == 0
        _append(content / EDITED, f"\nUn {NEW_WORD}.\n")
        index_folder(content, index)
        assert [hit["path"] for hit in engine.search(NEW_WORD)["results"]] == [EDITED]
    finally:
        engine.close()
