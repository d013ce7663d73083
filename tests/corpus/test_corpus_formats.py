"""The real blogs of ../shared/corpus-formats, read from their site roots, against the facts
their SOURCES.md gives: post counts, titles, dates and published URLs (read from its tables at
test time, so no text of those blogs is copied here)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from blogsearch.indexer.run import index_folder, parse_site
from tests.helpers import CORPUS_FORMATS

pytestmark = pytest.mark.corpus

SOURCES = CORPUS_FORMATS / "SOURCES.md"
ROW = re.compile(r"^\|\s*`(?P<url>/[^`]*)`\s*\|\s*`(?P<second>[^`]*)`[^|]*\|\s*(?P<title>[^|]+?)\s*\|"
                 r"\s*(?P<date>[^|]+?)\s*\|\s*$")


@cache
def _sections() -> dict[str, str]:
    """SOURCES.md's text per blog folder (from its ``## N. `folder/` `` heading to the next)."""
    if not SOURCES.is_file():
        pytest.skip(f"{SOURCES} not found: corpus-formats tests SKIPPED")
    text = SOURCES.read_text(encoding="utf-8")
    parts = re.split(r"^## \d+\. `([^`/]+)/`.*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@cache
def _summary(folder: str) -> str:
    """The 'posts (real, published)' cell of the blog's row in the summary table."""
    text = SOURCES.read_text(encoding="utf-8")
    row = re.search(rf"^\| `{folder}/` \|(.*)$", text, flags=re.MULTILINE)
    assert row, folder
    return row.group(1).split("|")[2].strip()


def _blogs() -> list[str]:
    return ["movimientolibre", "lecovi", "devlog", "losnuevosposibles", "pinguinitorawr"]


def _root(folder: str) -> Path:
    if folder == "pinguinitorawr":
        return CORPUS_FORMATS / folder / "wordpress.xml"
    return CORPUS_FORMATS / folder


@cache
def _parsed(folder: str):
    site, parsed = parse_site(_root(folder))
    return site, [p.post for p in parsed if p.post is not None], parsed


@pytest.mark.parametrize("folder", _blogs())
def test_real_post_count_pages_and_drafts(folder):
    site, posts, parsed = _parsed(folder)
    summary = _summary(folder)
    expected_posts = int(re.match(r"\d+", summary).group())
    main = [p for p in posts if p.kind == "post" and p.lang == site.language]
    assert len(main) == expected_posts, summary
    pages = re.search(r"(\d+) pages", summary)
    if pages:
        assert sum(1 for p in posts if p.kind == "page") == int(pages.group(1)), summary
    drafts = re.search(r"\+(\d+) drafts", summary)
    if drafts:
        assert sum(1 for p in parsed if p.skipped == "draft") == int(drafts.group(1)), summary
    translations = re.search(r"\+(\d+) \w+ translations", summary)
    if translations:
        assert sum(1 for p in posts if p.lang != site.language) == int(translations.group(1))
        # Each translation pairs with exactly one post in the main language (one text).
        by_key: dict[str, set[str]] = {}
        for post in posts:
            by_key.setdefault(post.translation_key, set()).add(post.lang)
        foreign = [p for p in posts if p.lang != site.language]
        assert all(by_key[p.translation_key] == {site.language, p.lang} for p in foreign)


def _rows(folder: str) -> list[re.Match]:
    rows = [m for line in _sections()[folder].splitlines() if (m := ROW.match(line))]
    return rows


@pytest.mark.parametrize("folder", ["movimientolibre", "lecovi", "devlog", "pinguinitorawr"])
def test_titles_dates_and_published_urls_of_the_sources_table(folder):
    site, posts, _ = _parsed(folder)
    rows = _rows(folder)
    assert len(rows) >= 10, f"no table rows read for {folder}"
    by_path = {p.path: p for p in posts}
    by_url = {urlsplit(p.url).path: p for p in posts}
    for row in rows:
        if folder == "pinguinitorawr":  # the table's second column is the WXR <link> path
            post = by_url.get(row["second"])
        else:
            post = by_path.get(row["second"])
            assert post is not None, f"{row['second']} not indexed"
            assert urlsplit(post.url).path == row["url"], post.path
            assert post.url.startswith(("https://", "http://")), post.url
        assert post is not None, row.group(0)
        assert post.title == row["title"].strip(), post.path
        written = row["date"].strip()
        assert post.date is not None, post.path
        assert post.date.strftime("%Y-%m-%d") == written[:10], post.path
        if len(written) >= 16:
            assert post.date.strftime("%H:%M") == written[11:16], post.path


def test_hexo_permalinks_follow_the_rule_with_the_file_slug():
    site, posts, _ = _parsed("losnuevosposibles")
    assert site.generator == "hexo"
    for post in (p for p in posts if p.kind == "post"):
        name = post.path.rsplit("/", 1)[-1].removesuffix(".md")
        assert post.url == f"https://losnuevosposibles.es/{post.date:%Y/%m/%d}/{name}/", post.path


@pytest.mark.parametrize("folder", _blogs())
def test_spanish_blogs_are_searched_in_spanish_whatever_the_config_left(folder):
    site, posts, _ = _parsed(folder)  # every blog here is Spanish (some configs say en)
    assert site.language == "es", site.language_note
    assert sum(p.lang == "es" for p in posts) >= len(posts) / 2  # devlog: half are translations


@pytest.mark.parametrize("folder", _blogs())
def test_no_post_is_lost_to_a_metadata_error(folder, tmp_path):
    report = index_folder(_root(folder), tmp_path / "index", dry_run=True)
    assert report.problems == []
    assert not (tmp_path / "index").exists()
    _, posts, _ = _parsed(folder)
    assert all(p.title and p.date for p in posts if p.kind == "post"), folder


# Heading ids and pictures: (folder, the rule its config chooses, the shape of a made id, at
# least this many posts with section links, at least this many with a picture).
HEADING_IDS = [
    ("devlog", "zola", r"[a-z0-9]+(-[a-z0-9]+)*", 60, 0),
    ("movimientolibre", "toc", r"[a-z0-9_-]+", 60, 100),  # Python-Markdown's toc; Preview pictures
    ("losnuevosposibles", "hexo", r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", 1, 0),
    ("lecovi", "none", r"[a-z0-9]+(-[a-z0-9]+)*", 40, 0),  # reST: docutils' ids; Markdown: none
    ("pinguinitorawr", None, r".+", 0, 1),  # a featured image
]


@pytest.mark.parametrize(("folder", "rule", "shape", "linked", "pictured"), HEADING_IDS)
def test_heading_ids_and_pictures(folder, rule, shape, linked, pictured):
    site, posts, _ = _parsed(folder)
    assert site.settings.get("heading_ids") == rule
    with_sections = [post for post in posts if post.headings]
    assert len(with_sections) >= linked
    for post in with_sections:
        anchors = [anchor for _, anchor, _ in post.headings]
        assert len(set(anchors)) == len(anchors), post.path  # repeats are numbered
        for text, anchor, offset in post.headings:
            assert post.body[offset:].startswith(text), post.path
            assert re.fullmatch(shape, anchor), (post.path, anchor)
    pictures = [post.image for post in posts if post.image]
    assert len(pictures) >= pictured
    base = urlsplit(site.base_url).netloc
    assert all(urlsplit(url).scheme == "https" and (base in url or "wordpress" in url) for url in pictures)
