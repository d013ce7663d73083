"""Languages: the site's (Spanish by default), the other one by a link, the browser's only when
the owner says so; catalogs complete and compiled."""

from __future__ import annotations

import fnmatch
import tomllib

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.helpers import ROOT, hrefs, html, make_app, query_of, texts

WEB = ROOT / "web"
CATALOG = WEB / "translations" / "es" / "LC_MESSAGES"


def test_the_site_language_whatever_the_browser_asks(client):
    """Spanish (the default UI_LANGUAGE) for every browser: the page follows the blog."""
    for headers in ({}, {"Accept-Language": "fr-FR,fr;q=0.9"}, {"Accept-Language": "en-US,en;q=0.8"}):
        response = client.get("/buscar?q=busqueda", headers=headers)
        tree = html(response)
        assert tree.css_first("html").attributes["lang"] == "es"
        assert response.headers["Content-Language"] == "es"
        assert "Accept-Language" not in response.headers.get("Vary", "")
        assert "12 de febrero de 2022" in texts(tree, ".hit time")
        assert texts(tree, "a.lang") == ["English"]


def _assert_english(response) -> None:
    tree = html(response)
    assert tree.css_first("html").attributes["lang"] == "en"
    assert response.headers["Content-Language"] == "en"
    assert "February 12, 2022" in texts(tree, ".hit time")
    assert texts(tree, ".count strong")[0].endswith(" results")
    assert tree.css_first("button[type=submit]").text() == "Search"
    assert texts(tree, "a.lang") == ["Español"]


def test_an_english_blog_sets_ui_language(sample_index, tmp_path):
    client = make_app(sample_index, tmp_path, UI_LANGUAGE="en").test_client()
    _assert_english(client.get("/buscar?q=busqueda", headers={"Accept-Language": "es-ES"}))
    assert html(client.get("/buscar?q=busqueda&lang=es")).css_first("html").attributes["lang"] == "es"


def test_the_browser_decides_only_when_the_owner_turns_it_on(sample_index, tmp_path):
    client = make_app(sample_index, tmp_path, UI_LANGUAGE_FROM_BROWSER=True).test_client()
    response = client.get("/buscar?q=busqueda", headers={"Accept-Language": "en-US,en;q=0.8"})
    _assert_english(response)
    assert "Accept-Language" in response.headers["Vary"]
    french = client.get("/buscar?q=busqueda", headers={"Accept-Language": "fr-FR"})
    assert french.headers["Content-Language"] == "es"  # none offered: the site's language


@pytest.mark.parametrize(("config", "name"), [
    ({"UI_LANGUAGE": "fr"}, "UI_LANGUAGE"), ({"LANGUAGES": "es,en"}, "LANGUAGES"),
])
def test_a_bad_language_setting_is_named(sample_index, tmp_path, config, name):
    with pytest.raises(ValueError, match=name):
        make_app(sample_index, tmp_path, **config)


def test_lang_parameter_wins_and_is_carried_along(client):
    tree = html(client.get("/buscar?q=casa&lang=en", headers={"Accept-Language": "es"}))
    assert tree.css_first("html").attributes["lang"] == "en"
    assert tree.css_first("input[name=lang]").attributes["value"] == "en"
    for link in hrefs(tree, ".facet a") + hrefs(tree, ".sort a") + hrefs(tree, ".hit .tags a"):
        assert query_of(link)["lang"] == ["en"]
    spanish = html(client.get("/buscar?q=casa&lang=es", headers={"Accept-Language": "en"}))
    assert spanish.css_first("html").attributes["lang"] == "es"


def test_language_switch_link(client):
    tree = html(client.get("/buscar?q=casa&page=2&per_page=3"))
    switch = tree.css_first("a.lang")
    assert switch.text() == "English" and switch.attributes["hreflang"] == "en"
    args = query_of(switch.attributes["href"])
    assert args == {"q": ["casa"], "page": ["2"], "per_page": ["3"], "lang": ["en"]}
    english = html(client.get(switch.attributes["href"]))
    back = english.css_first("a.lang")
    assert back.text() == "Español" and query_of(back.attributes["href"])["lang"] == ["es"]


def test_english_errors(client):
    response = client.get("/buscar?page=0&lang=en")
    assert texts(html(response), ".error p")[0].startswith("Invalid parameter page:")
    assert client.get("/api/search?page=0&lang=en").json["error"]["message"].startswith(
        "Invalid parameter page: must be between 1 and 1000")


def _catalog():
    with open(CATALOG / "messages.po", "rb") as f:
        return read_po(f, locale="es")


def test_every_text_in_the_code_is_in_the_spanish_catalog():
    methods = [("**.py", "python"), ("**/templates/**.html", "jinja2"),
               ("**/templates/**.xml", "jinja2")]
    found = {
        (message[2][0] if isinstance(message[2], tuple) else message[2])
        for message in extract_from_dir(str(WEB), methods,
                                        keywords={"_": None, "gettext": None,
                                                  "ngettext": (1, 2), "lazy_gettext": None})
    }
    catalog = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _catalog() if m.id}
    assert found, "no messages extracted"
    assert sorted(found - catalog) == [], \
        "run the catalog update described in docs/development.md (Translations)"


def test_the_spanish_catalog_is_complete_and_not_fuzzy():
    for message in _catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"


def test_the_compiled_catalog_matches_the_po_file():
    with open(CATALOG / "messages.mo", "rb") as f:
        compiled = read_mo(f)
    def table(catalog) -> dict:
        def key(value):
            return tuple(value) if isinstance(value, (list, tuple)) else value

        return {key(m.id): key(m.string) for m in catalog if m.id}

    po, mo = table(_catalog()), table(compiled)
    assert len(po) > 50
    assert po == mo, "run `pybabel compile -d web/translations` and commit the .mo"


def test_package_data_ships_templates_static_files_and_catalogs():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["blogsearch.web"]
    needed = [p for folder in ("templates", "static", "translations")
              for p in (WEB / folder).rglob("*") if p.is_file()]
    needed = [p.relative_to(WEB).as_posix() for p in needed if p.suffix != ".pot"]
    assert needed
    missing = [p for p in needed if not any(fnmatch.fnmatch(p, pat) for pat in patterns)]
    assert missing == []


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_page_state_renders_in_both_languages(client, lang):
    for url in ("/", "/buscar?q=casa", "/buscar?q=xqzwvk", "/buscar?q=pna", "/x", "/buscar?page=0",
                "/opensearch.xml"):
        response = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
        assert response.status_code in (200, 400, 404)
        assert response.headers["Content-Language"] == lang

