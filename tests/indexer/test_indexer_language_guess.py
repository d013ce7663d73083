"""The main language read from the posts when the config's is a leftover default."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogsearch.indexer.language_guess import with_language_of_posts, written_in
from blogsearch.indexer.run import index_folder, parse_site
from blogsearch.indexer.sites import Site

SPANISH = ("Ayer por la tarde salimos a caminar por el monte con los niños. Hacía mucho frío, "
           "pero el cielo estaba tan limpio que se veían las montañas nevadas desde el pueblo. "
           "Cuando volvimos a casa preparamos una sopa caliente y nos quedamos hablando hasta "
           "muy tarde de todo lo que habíamos visto durante el día.")
ENGLISH = ("Yesterday afternoon we went for a walk in the hills with the children. It was very "
           "cold, but the sky was so clear that we could see the snowy mountains from the village. "
           "When we got back home we made a hot soup and stayed up talking until late about "
           "everything we had seen during the day.")
CATALAN = ("Ahir a la tarda vam sortir a caminar per la muntanya amb els nens. Feia molt de fred, "
           "però el cel estava tan net que es veien les muntanyes nevades des del poble. Quan vam "
           "tornar a casa vam preparar una sopa calenta i ens vam quedar parlant fins molt tard de "
           "tot el que havíem vist durant el dia.")
CODE_AND_MARKUP = ('<p><i>Foto</i> by <a href="https://example.com/the/best/of/you">you</a></p> '
                   "`for item in the list: print(item) and return it`")


@pytest.mark.parametrize("text, language", [(SPANISH, "es"), (ENGLISH, "en"), (CATALAN, "ca")])
def test_posts_clearly_in_one_language(text, language):
    assert written_in([text] * 6, ["es", "en", "ca", "pt", "fr", "it"]) == language


def test_markup_links_and_code_do_not_vote_english():
    assert written_in([SPANISH + CODE_AND_MARKUP * 3] * 6, ["es", "en"]) == "es"


@pytest.mark.parametrize("texts", [
    [SPANISH] * 3 + [ENGLISH] * 3,   # no clear majority
    [SPANISH] * 4,                   # too few posts to say
    ["Hola. Qué tal."] * 20,         # too little prose in each
])
def test_no_guess_without_a_clear_majority_of_enough_prose(texts):
    assert written_in(texts, ["es", "en"]) == ""


def test_a_leftover_default_gives_way_to_the_posts_language():
    site = Site(generator="hugo", root=".", config_files=["hugo.toml"], language="en", languages=["en"])
    read = with_language_of_posts(site, [SPANISH] * 8)
    assert (read.language, read.config_language) == ("es", "en")
    assert read.language_note == "read from the posts; the hugo config says en"


def test_a_multilingual_config_is_trusted():
    site = Site(generator="zola", root=".", config_files=["config.toml"], language="en",
                languages=["en", "es"])
    assert with_language_of_posts(site, [SPANISH] * 8) is site


def _hugo_site(root: Path, config: str) -> None:
    (root / "hugo.toml").write_text(config, encoding="utf-8")
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    for n in range(6):
        (posts / f"paseo-{n}.md").write_text(f"---\ntitle: Paseo {n}\ndate: 2024-01-0{n + 1}\n---\n"
                                             f"{SPANISH}\n", encoding="utf-8")


def test_hugo_default_language_left_as_english_keeps_its_urls(tmp_path):
    _hugo_site(tmp_path, 'baseURL = "https://paseos.example/"\nlanguageCode = "en-us"\n')
    site, parsed = parse_site(tmp_path)
    assert site.language == "es" and "hugo config says en" in site.language_note
    post = next(p.post for p in parsed if p.post.path.endswith("paseo-1.md"))
    assert post.lang == "es"
    assert post.url == "https://paseos.example/posts/paseo-1/"  # no /es/: Hugo's default language


def test_the_report_says_where_the_language_came_from(tmp_path):
    _hugo_site(tmp_path, 'baseURL = "https://paseos.example/"\n')
    report = index_folder(tmp_path, tmp_path / "index", dry_run=True)
    assert report.site.language == "es" and report.languages() == {"es": 6}
