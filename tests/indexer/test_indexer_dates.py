"""Dates: ISO 8601 with/without offset, RFC 2822, bare dates, other keys, Jekyll file names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from blogsearch.indexer.dates import parse_date, published_date, updated_date

PLUS_ONE = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-14T19:05:00+01:00", datetime(2021, 3, 14, 19, 5, tzinfo=PLUS_ONE)),
        ("2021-03-14T18:05:00Z", datetime(2021, 3, 14, 18, 5, tzinfo=UTC)),
        ("2021-03-14 19:05:00 +0100", datetime(2021, 3, 14, 19, 5, tzinfo=PLUS_ONE)),
        ("2021-03-14T19:05:00", datetime(2021, 3, 14, 19, 5, tzinfo=UTC)),
        ("2021-03-14", datetime(2021, 3, 14, tzinfo=UTC)),
        ("Sun, 14 Mar 2021 19:05:00 +0100", datetime(2021, 3, 14, 19, 5, tzinfo=PLUS_ONE)),
        ("Sun, 14 Mar 2021 18:05:00 GMT", datetime(2021, 3, 14, 18, 5, tzinfo=UTC)),
        ("  2021-03-14T19:05:00+01:00  ", datetime(2021, 3, 14, 19, 5, tzinfo=PLUS_ONE)),
        ("2021/3/4", datetime(2021, 3, 4, tzinfo=UTC)),
    ],
)
def test_text_dates_become_the_same_aware_instant(value, expected):
    parsed = parse_date(value)
    assert parsed is not None
    assert parsed.tzinfo is not None and parsed.utcoffset() is not None
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_yaml_and_toml_native_values_become_aware():
    naive = parse_date(datetime(2020, 1, 2, 3, 4, 5))
    bare = parse_date(date(2020, 1, 2))
    aware = parse_date(datetime(2020, 1, 2, 3, 4, 5, tzinfo=PLUS_ONE))
    assert naive == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert bare == datetime(2020, 1, 2, tzinfo=UTC)
    assert aware.utcoffset() == timedelta(hours=1)
    assert all(d.tzinfo is not None for d in (naive, bare, aware))


@pytest.mark.parametrize("value", ["", "   ", "mañana", "2021-13-45", "2021-02-30", None, 2021, 3.5,
                                   ["2021-01-01"], True])
def test_unusable_values_give_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("key", ["date", "published", "date_published", "pubDate", "PUBDATE",
                                 "publishDate", "fecha"])
def test_every_publication_key_is_read(key):
    found = published_date({key: "Tue, 01 Jun 2010 08:00:00 +0000"}, "post.md")
    assert found == datetime(2010, 6, 1, 8, tzinfo=UTC)


def test_date_wins_over_other_keys_and_the_file_name():
    metadata = {"published": "2001-01-01", "date": "2002-02-02", "pubDate": "2003-03-03"}
    assert published_date(metadata, "2004-04-04-post.md") == datetime(2002, 2, 2, tzinfo=UTC)


def test_unusable_date_falls_back_to_the_next_key():
    metadata = {"date": "pronto", "pubDate": "2003-03-03"}
    assert published_date(metadata, "post.md") == datetime(2003, 3, 3, tzinfo=UTC)


def test_jekyll_file_name_prefix_is_the_last_resort():
    assert published_date({}, "2019-06-20-mi-post.md") == datetime(2019, 6, 20, tzinfo=UTC)
    assert published_date({"title": "x"}, "mi-post.md") is None
    assert published_date({}, "2019-02-30-imposible.md") is None
    assert published_date({}, "post-2019-06-20.md") is None


@pytest.mark.parametrize("key", ["lastmod", "updated", "modified", "LastMod"])
def test_update_date_keys(key):
    metadata = {"date": "2020-01-01", key: "2020-02-03T04:05:06+01:00"}
    assert updated_date(metadata) == datetime(2020, 2, 3, 4, 5, 6, tzinfo=PLUS_ONE)
    assert published_date(metadata, "p.md") == datetime(2020, 1, 1, tzinfo=UTC)


def test_no_update_date():
    assert updated_date({"date": "2020-01-01"}) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("date: 2020-01-15", datetime(2020, 1, 15, tzinfo=UTC)),
        ("date: 2014-08-15T09:30:00", datetime(2014, 8, 15, 9, 30, tzinfo=UTC)),
        ("date: 2021-03-14 19:05:00 +0100", datetime(2021, 3, 14, 19, 5, tzinfo=PLUS_ONE)),
        ("date: Sat, 19 May 2012 21:03:44 +0000", datetime(2012, 5, 19, 21, 3, 44, tzinfo=UTC)),
        ("date: 2016-11-12T13:00:00+01:00", datetime(2016, 11, 12, 13, tzinfo=PLUS_ONE)),
        ("published: 2021-02-20T16:00:00+01:00", datetime(2021, 2, 20, 16, tzinfo=PLUS_ONE)),
        ("pubDate: Sun, 05 Feb 2017 18:42:10 +0000", datetime(2017, 2, 5, 18, 42, 10, tzinfo=UTC)),
    ],
)
def test_yaml_header_dates_are_aware(parse, header, expected):
    post = parse(f"---\ntitle: Fechas\n{header}\n---\nTexto.\n")
    assert post.date == expected
    assert post.date.utcoffset() == expected.utcoffset()


def test_toml_and_json_header_dates_are_aware(parse):
    toml = parse("+++\ntitle = 'T'\ndate = 2022-05-01T10:00:00+02:00\n+++\nTexto.\n")
    json = parse('{\n"title": "J",\n"date": "2020-04-10"\n}\nTexto.\n')
    assert toml.date == datetime(2022, 5, 1, 8, tzinfo=UTC)
    assert toml.date.utcoffset() == timedelta(hours=2)
    assert json.date == datetime(2020, 4, 10, tzinfo=UTC)
    assert json.date.tzinfo is not None


def test_lastmod_in_a_post_becomes_updated(parse):
    post = parse("---\ntitle: T\ndate: 2022-11-19\nlastmod: 2022-11-25T21:00:00+01:00\n---\nTexto.\n")
    assert post.date == datetime(2022, 11, 19, tzinfo=UTC)
    assert post.updated == datetime(2022, 11, 25, 21, tzinfo=PLUS_ONE)


def test_jekyll_prefix_in_a_post(parse):
    post = parse("---\ntitle: Sin fecha\n---\nTexto.\n", "_posts/2019-06-20-afilar.md")
    assert post.date == datetime(2019, 6, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rel_path", "expected"),
    [
        ("_posts/2012-05-19-volver-a-monkey-island.md", "2012-05-19T21:03:44+00:00"),
        ("posts/2021/zx-spectrum-basic/index.md", "2021-02-20T16:00:00+01:00"),
        ("_posts/2019-06-20-mi-metodo-para-afilar-cuchillos.md", "2019-06-20T00:00:00+00:00"),
        ("blog/2014-08-15-camino-de-santiago-primitivo.md", "2014-08-15T09:30:00+00:00"),
        ("_posts/2021-03-14-primeros-pasos-con-nodejs.md", "2021-03-14T19:05:00+01:00"),
        ("_posts/2020-01-15-entornos-virtuales-python.md", "2020-01-15T00:00:00+00:00"),
        ("blog/2020-04-10-pan-de-masa-madre.md", "2020-04-10T00:00:00+00:00"),
        ("blog/2022-05-01-mandos-retro-raspberry.md", "2022-05-01T10:00:00+02:00"),
    ],
)
def test_sample_blog_dates(parse_sample, rel_path, expected):
    """The date of each format in examples/README.md, as written in the file."""
    post = parse_sample(rel_path)
    assert post.date.isoformat() == expected


def test_sample_lastmod(parse_sample):
    post = parse_sample("posts/2024/copias-con-restic/index.md")
    assert post.updated.isoformat() == "2024-03-02T12:40:00+01:00"
    assert post.date < post.updated
