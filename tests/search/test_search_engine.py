"""The Engine around the searches: missing indexes, stats, posts without a date."""

from __future__ import annotations

import pytest

from blogsearch.search.engine import Engine
from blogsearch.search.store import IndexUnavailable


def test_missing_index_is_reported_with_its_path(tmp_path):
    missing = tmp_path / "no-hay-indice"
    engine = Engine(missing)
    with pytest.raises(IndexUnavailable) as caught:
        engine.search("docker")
    assert str(missing) in str(caught.value)
    with pytest.raises(IndexUnavailable):
        engine.stats()


def test_stats(engine, sample_index):
    stats = engine.stats()
    every = engine.search("idioma:todos", per_page=1)  # a filter alone lists every post
    assert stats["posts"] == every["total"] > 20
    assert stats["content_dir"].endswith("blog")
    assert stats["last_indexed"][:2] == "20"


@pytest.fixture(scope="module")
def undated(make_engine, post):
    return make_engine({
        "a-sin-fecha.md": post("Sin fecha", "Sopa de ajo."),
        "b-2020.md": post("Con fecha", "Sopa de cebolla.", date="2020-01-01"),
        "c-2021.md": post("Otra", "Sopa castellana.", date="2021-06-01T10:00:00+02:00"),
    })


def test_undated_posts_are_found_with_no_date(undated):
    found = {hit["path"]: hit for hit in undated.search("sopa")["results"]}
    assert set(found) == {"a-sin-fecha.md", "b-2020.md", "c-2021.md"}
    assert found["a-sin-fecha.md"]["date"] is None
    years = {item["value"]: item["count"] for item in undated.search("sopa")["facets"]["year"]}
    assert years == {"2020": 1, "2021": 1}


def test_undated_posts_are_not_oldest(undated, ranked):
    assert ranked(undated.search("sopa", sort="date_asc"))[:2] == ["b-2020.md", "c-2021.md"]


def test_undated_posts_are_not_newest(undated, ranked):
    assert ranked(undated.search("sopa", sort="date"))[:2] == ["c-2021.md", "b-2020.md"]


def test_date_filters_leave_undated_posts_out(undated, ranked):
    assert ranked(undated.search("sopa fecha:1900..2100", sort="date_asc")) == ["b-2020.md", "c-2021.md"]


def test_warm_reads_shared_data_before_the_first_search(sample_index):
    engine = Engine(sample_index)
    try:
        engine.warm()
        version = engine.current_version()
        assert version.facets is not None and version.stamps is not None
        assert version.vocabulary
        found = engine.search("docker")
        assert found["total"] > 0 and found["facets"]["tag"]
        assert engine.current_version() is version  # the warmed version serves the search
    finally:
        engine.close()


def test_decoded_posts_are_kept_within_their_budget(sample_index, monkeypatch):
    import blogsearch.search.version

    reference = Engine(sample_index, result_cache=0)
    engine = Engine(sample_index, result_cache=0)
    try:
        expected = reference.search("docker")["results"]
        monkeypatch.setattr(blogsearch.search.version, "POST_CACHE_CHARS", 6000)
        for query in ("docker", "pan", "python", "docker"):
            found = engine.search(query)["results"]
            found[0]["tags"].append("cambiado")  # a caller changing its copy changes no cache
            version = engine.current_version()
            assert 0 < version.post_chars <= 6000 or len(version.posts) == 1
            assert version.post_chars == sum(chars for _, chars in version.posts.values())
        found = engine.search("docker")["results"]
        assert found == expected
    finally:
        engine.close()
        reference.close()


def _count_computed(monkeypatch) -> list:
    """A list that grows by one each time an engine computes a search (rather than reading
    its cache)."""
    import blogsearch.search.engine

    computed = []
    real = blogsearch.search.engine.parse_query
    monkeypatch.setattr(blogsearch.search.engine, "parse_query",
                        lambda text: computed.append(text) or real(text))
    return computed


def test_a_search_asked_twice_is_cached_and_callers_get_copies(sample_index, monkeypatch):
    import blogsearch.search.version

    engine = Engine(sample_index)
    computed = _count_computed(monkeypatch)
    try:
        first = engine.search("docker")
        assert engine.current_version().results == {}  # asked once: noted, not kept
        second = engine.search("docker")
        assert len(computed) == 2 and len(engine.current_version().results) == 1
        second["results"][0]["tags"].append("cambiado")
        third = engine.search("docker")
        assert len(computed) == 2  # from the cache
        assert third["results"] == first["results"]
        monkeypatch.setattr(blogsearch.search.version, "ASKED_SIZE", 2)
        for query in ("pan", "python", "casa"):
            engine.search(query)
        assert [key[0] for key in engine.current_version().asked] == ["python", "casa"]
    finally:
        engine.close()


def test_the_result_cache_can_be_turned_off(sample_index, monkeypatch):
    engine = Engine(sample_index, result_cache=0)
    computed = _count_computed(monkeypatch)
    try:
        for _ in range(3):
            assert engine.search("docker")["total"] > 0
        assert len(computed) == 3 and engine.current_version().results == {}
    finally:
        engine.close()


def test_a_commit_landing_while_the_index_opens_is_read_again(sample_index, monkeypatch):
    from whoosh import index as whoosh_index

    real_open = whoosh_index.open_dir
    calls = []

    def racing_open(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the table of contents just listed was replaced by a commit
            raise FileNotFoundError("_posts_1.toc")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(whoosh_index, "open_dir", racing_open)
    engine = Engine(sample_index)
    try:
        assert engine.search("docker")["total"] > 0 and len(calls) >= 2
    finally:
        engine.close()


def test_a_file_of_the_index_gone_for_good_is_a_damaged_index(sample_index, monkeypatch):
    from whoosh import index as whoosh_index

    def missing(*args, **kwargs):
        raise FileNotFoundError("_posts_1.seg")

    monkeypatch.setattr(whoosh_index, "open_dir", missing)
    with pytest.raises(IndexUnavailable, match="damaged"):
        Engine(sample_index).search("docker")


def test_the_damage_check_during_a_commit_reads_the_new_table_of_contents(sample_index, monkeypatch):
    from blogsearch.search import store
    from blogsearch.search.whoosh_internals import toc

    generation = store.generation_dir(sample_index)
    manifest = store.load_manifest(generation)
    assert manifest is not None and manifest.files
    real_read = toc.TOC.read
    calls = []

    def racing_read(storage, name, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the table of contents listed was replaced by a commit
            raise FileNotFoundError("_posts_1.toc")
        return real_read(storage, name, *args, **kwargs)

    monkeypatch.setattr(toc.TOC, "read", staticmethod(racing_read))
    assert store.damage(generation, manifest) is None and len(calls) >= 2
