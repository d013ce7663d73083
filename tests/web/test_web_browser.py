"""In a real browser (Debian's Chromium via Playwright) against the app served over HTTP."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from blogsearch.web.searchlog import read_report
from tests.helpers import make_app, running

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says why these tests cannot run
    expect = None

pytestmark = pytest.mark.browser

WATCH = """
window.__xss = undefined;
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    e => window.__violations.push(e.violatedDirective));
for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = () => { window.__xss = "dialog:" + name; };
}
"""


def hits(page) -> list[str]:
    return [t.strip() for t in page.locator(".hit h2").all_inner_texts()]


def assert_clean(page) -> None:
    """No script ran, no CSP violation, no JavaScript error, no dialog."""
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__violations") == []
    assert page.errors == [] and page.dialogs == []


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH)
    return page


def test_type_a_query_and_see_results(watched, live_server):
    page = watched
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Busca en el blog"
    page.fill("#q", "busqueda")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/buscar\?q=busqueda"))
    assert "Cómo mejoré las búsquedas de mi blog con Python" in hits(page)
    assert "12 de febrero de 2022" in page.locator(".hit time").all_inner_texts()
    assert re.fullmatch(r"\d+ resultados", page.locator(".count strong").inner_text())
    assert page.locator(".hit h2 mark").first.inner_text().lower().startswith("búsqueda")
    assert_clean(page)


def test_click_a_facet_then_remove_it(watched, live_server):
    page = watched
    page.goto(live_server + "/buscar?q=casa")
    total = len(hits(page))
    facet = page.locator(".facet a", has_text="Linux").first
    count = int(facet.locator(".n").inner_text())
    facet.click()
    page.wait_for_url(re.compile(r"tag=linux"))
    assert len(hits(page)) == count < total
    chip = page.locator(".chips a")
    assert "Linux" in chip.inner_text()
    chip.click()
    page.wait_for_url(lambda url: "tag=" not in url)
    assert len(hits(page)) == total
    assert_clean(page)


def test_paginate(watched, live_server):
    page = watched
    page.goto(live_server + "/buscar?q=casa&per_page=3")
    first = hits(page)
    page.get_by_role("link", name=re.compile("Siguiente")).click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".pages [aria-current=page]").inner_text() == "2"
    assert set(first).isdisjoint(hits(page))
    page.get_by_role("link", name=re.compile("Anterior")).click()
    page.wait_for_url(lambda url: not re.search(r"[?&]page=", url))
    assert hits(page) == first
    assert_clean(page)


def test_sort_by_date(watched, live_server):
    page = watched
    page.goto(live_server + "/buscar?q=casa")
    page.get_by_role("link", name="Más recientes").click()
    page.wait_for_url(re.compile(r"sort=date"))
    dates = page.locator(".hit time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True)


def test_results_as_you_type_keep_the_address_in_step(watched, live_server):
    page = watched
    page.goto(live_server + "/")
    page.locator("#q").press_sequentially("masa mad", delay=30)
    page.wait_for_url(re.compile(r"/buscar\?q=masa\+mad$"))
    page.locator(".hit").first.wait_for()
    live = hits(page)
    assert "Pan de masa madre para principiantes" in live
    assert re.fullmatch(r"\d+ resultados?", page.locator(".count strong").inner_text())
    assert page.title().startswith("masa mad · ")
    assert page.locator("form[role=search] [role=status]").inner_text().startswith(
        "Resultados actualizados")
    page.reload()  # the server draws the same page for the same address
    assert hits(page) == live and page.locator("#q").input_value() == "masa mad"
    page.go_back()
    page.wait_for_url(live_server + "/")
    assert page.locator("h1").inner_text() == "Busca en el blog"
    assert_clean(page)


def shown(page) -> dict[str, list[str]]:
    """What a results page shows a reader (all but the time taken), to compare two drawings."""
    parts = {name: page.locator(selector).all_inner_texts() for name, selector in {
        "count": ".count strong", "sort": ".sort", "lines": ".correction, .didyoumean, .notice",
        "chips": ".chips", "hits": ".hit", "facets": ".facet", "pages": ".pages", "none": ".noresults",
    }.items()}
    parts["links"] = page.locator("main a").evaluate_all("links => links.map(a => a.href)")
    return {name: [" ".join(text.split()) for text in texts] for name, texts in parts.items()}


@pytest.mark.parametrize(("server", "typed"), [
    ("live_server", "casa"), ("live_server", "pna horno"), ("live_server", "xqzwvk"),
    ("live_server", "casa tag:linux"), ("live_server", "xqzwvk -tag:linux"),
    ("hugo_server", "guadarrama idioma:todos"), ("hugo_server", "bola mapa viento"),
    ("hugo_server", "montaña idioma:en"),
])
def test_results_as_you_type_show_what_the_server_shows(watched, request, server, typed):
    page = watched
    base = request.getfixturevalue(server)
    page.route("https://hugo.ejemplo.es/**", lambda route: route.fulfill(status=404))
    page.goto(base + "/")
    page.locator("#q").press_sequentially(typed, delay=20)
    page.wait_for_url(re.compile(r"/buscar\?q="))
    page.locator("main:not([aria-busy]) .summary, main:not([aria-busy]) .noresults").first.wait_for()
    expect(page.locator("#q")).to_have_value(typed)
    live = shown(page)
    page.reload()
    assert shown(page) == live
    assert_clean(page)


def test_only_the_search_the_reader_stops_on_is_logged(browser, sample_index, tmp_path):
    app = make_app(sample_index, tmp_path)
    log = app.extensions["blogsearch"].search_log
    page = browser.new_context(locale="es-ES").new_page()
    with running(app) as url:
        page.goto(url + "/")
        page.locator("#q").press_sequentially("masa madre", delay=400)  # each prefix is drawn
        page.wait_for_url(re.compile(r"q=masa\+madre$"))
        with page.expect_response(lambda r: "per_page=1" in r.url, timeout=10_000):
            pass  # asked again once the reader stays on the results (answered: logged)
        log.flush()
        report = read_report(tmp_path / "searches.sqlite3", days=1)
    assert report["searches"] == 1
    assert [(row["query"], row["results"] > 0) for row in report["top_queries"]] == [("masa madre", True)]
    page.context.close()


def test_back_returns_to_the_previous_search(watched, live_server):
    page = watched
    page.goto(live_server + "/buscar?q=docker")
    before = hits(page)
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("lentejas", delay=30)
    page.wait_for_url(re.compile(r"q=lentejas"))
    page.locator(".hit", has_text="entejas").first.wait_for()
    page.go_back()
    page.wait_for_url(re.compile(r"q=docker$"))
    expect(page.locator("#q")).to_have_value("docker")
    page.locator("main:not([aria-busy])").wait_for()
    assert hits(page) == before
    assert_clean(page)


def test_results_as_you_type_with_the_keyboard(watched, live_server):
    page = watched
    page.goto(live_server + "/")
    box = page.locator("#q")
    box.press_sequentially("casa", delay=30)
    page.wait_for_url(re.compile(r"q=casa"))
    page.locator(".hit").first.wait_for()
    titles = page.locator(".hit h2 a")
    box.press("ArrowDown")
    assert titles.nth(0).evaluate("a => a === document.activeElement")
    page.keyboard.press("ArrowDown")
    assert titles.nth(1).evaluate("a => a === document.activeElement")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # above the first result: back in the box
    assert box.evaluate("i => i === document.activeElement")
    box.press("ArrowDown")
    page.keyboard.press("Escape")
    assert box.evaluate("i => i === document.activeElement")
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    assert box.evaluate("i => i === document.activeElement")
    box.press("ArrowDown")
    href = titles.nth(0).get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    assert_clean(page)


def test_enter_searches_as_a_plain_form(watched, live_server):
    page = watched
    page.goto(live_server + "/")
    page.locator("#q").press_sequentially("masa madre", delay=20)
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/buscar\?q=masa\+madre"))
    assert hits(page)
    assert_clean(page)


def test_a_typo_as_you_type(watched, live_server):
    page = watched
    page.goto(live_server + "/")
    page.locator("#q").press_sequentially("pna", delay=30)
    correction = page.locator(".correction")
    correction.wait_for()
    assert correction.inner_text() == "Mostrando resultados de pan. Buscar únicamente «pna»."
    assert page.locator(".didyoumean, .notice").count() == 0
    correction.get_by_role("link", name="pna").click()
    page.wait_for_url(re.compile(r"q=%22pna%22"))
    assert page.locator(".noresults").count() == 1 and page.locator(".didyoumean").count() == 1
    assert_clean(page)


IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30"/></svg>'
POST_PAGE = "<!doctype html><title>post</title><p>…</p><h2 id=\"viento\">El viento del norte</h2>"


def test_deep_links_and_thumbnails(watched, hugo_server):
    """A result lists its matching sections, each opening the post at that heading, and the
    post's picture; the blog's own pages are stood in for by the browser's router."""
    page = watched
    asked = []

    def blog(route):
        asked.append(route.request.url)
        if route.request.url.endswith(".svg"):
            route.fulfill(status=200, content_type="image/svg+xml", body=IMAGE)
        else:
            route.fulfill(status=200, content_type="text/html", body=POST_PAGE)

    page.route("https://hugo.ejemplo.es/**", blog)
    page.goto(hugo_server + "/")
    page.locator("#q").press_sequentially("viento", delay=30)
    section = page.locator(".hit .sections a").first
    section.wait_for()
    assert section.inner_text() == "El viento del norte"
    thumb = page.locator(".hit img.thumb")
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") == 40
    assert thumb.get_attribute("src").endswith("/mapa.svg")
    section.click()
    page.wait_for_url(re.compile(r"^https://hugo\.ejemplo\.es/2023/04/.*/#viento$"))
    assert page.evaluate("document.getElementById(location.hash.slice(1)).textContent") == \
        "El viento del norte"
    assert asked[-1].endswith("/") and page.errors == []


def test_thumbnails_and_sections_fit_a_360px_phone(browser, hugo_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-ES",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.route("https://hugo.ejemplo.es/**",
               lambda route: route.fulfill(status=200, content_type="image/svg+xml", body=IMAGE))
    page.goto(hugo_server + "/buscar?q=bola+mapa+viento")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    thumb = page.locator(".hit img.thumb").bounding_box()
    title = page.locator(".hit h2 a").bounding_box()  # its lines wrap beside the picture
    assert thumb["x"] + thumb["width"] <= 360 and title["x"] + title["width"] <= thumb["x"]
    assert page.locator(".hit .sections li").count() == 3
    context.close()


def test_deep_links_on_the_page_without_javascript(browser, hugo_server):
    context = browser.new_context(java_script_enabled=False, locale="es-ES")
    page = context.new_page()
    page.goto(hugo_server + "/buscar?q=bola+mapa")
    links = page.locator(".hit .sections a")
    assert links.all_inner_texts() == ["La subida a la Bola del Mundo", "Mapa de la ruta"]
    assert links.first.get_attribute("href").endswith("/#la-subida-a-la-bola-del-mundo")
    context.close()


def test_the_page_speaks_the_blogs_language_not_the_browsers(browser, live_server):
    context = browser.new_context(locale="en-US")  # the browser asks for English
    page = context.new_page()
    page.goto(live_server + "/buscar?q=busqueda")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "12 de febrero de 2022" in page.locator(".hit time").all_inner_texts()
    page.get_by_role("link", name="English").click()  # the visible link to the other language
    page.wait_for_url(re.compile(r"lang=en"))
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("busqueda", delay=20)  # results as you type, in English
    page.wait_for_url(re.compile(r"q=busqueda&lang=en$"))
    page.locator("main:not([aria-busy]) .hit").first.wait_for()
    assert re.fullmatch(r"\d+ results?", page.locator(".count strong").inner_text())
    assert "February 12, 2022" in page.locator(".hit time").all_inner_texts()
    context.close()


@pytest.mark.parametrize(("settings", "locale", "language"), [
    ({"UI_LANGUAGE": "en"}, "es-ES", "en"),
    ({"UI_LANGUAGE_FROM_BROWSER": True}, "en-US", "en"),
    ({"UI_LANGUAGE_FROM_BROWSER": True}, "fr-FR", "es"),
])
def test_the_language_settings(browser, sample_index, tmp_path, settings, locale, language):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    with running(make_app(sample_index, tmp_path, **settings)) as url:
        page.goto(url + "/buscar?q=casa")
        assert page.locator("html").get_attribute("lang") == language
        other = {"es": "English", "en": "Español"}[language]
        assert page.locator("a.lang").inner_text() == other
    context.close()


def test_switch_to_english(watched, live_server):
    page = watched
    page.goto(live_server + "/buscar?q=busqueda")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert re.fullmatch(r"\d+ results", page.locator(".count strong").inner_text())
    assert "February 12, 2022" in page.locator(".hit time").all_inner_texts()
    page.fill("#q", "casa")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=casa"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert_clean(page)


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="es-ES")
    page = context.new_page()
    page.goto(live_server + "/")
    page.fill("#q", "pan")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=pan"))
    assert "Pan de masa madre para principiantes" in hits(page)
    assert page.locator("#q").get_attribute("role") is None
    context.close()


@pytest.mark.parametrize("path", ["/", "/buscar?q=casa", "/buscar?q=xqzwvk+tag:nada"])
def test_readable_on_a_360px_phone(browser, live_server, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-ES",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("#q").bounding_box()
    button = page.get_by_role("button", name="Buscar").bounding_box()
    assert box["width"] >= 180 and button["x"] + button["width"] <= 360
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 16
    context.close()


def test_payloads_in_titles_never_execute(watched, xss_server):
    page = watched
    page.goto(xss_server + "/buscar?q=tortilla")
    titles = hits(page)
    assert '<script>window.__xss="title-script"</script> Tortilla de la abuela' in titles
    assert any(t.startswith("<img src=x onerror=") for t in titles)
    assert page.locator("main img, main script").count() == 0
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("tortilla de la", delay=20)  # drawn by search.js
    page.wait_for_url(re.compile(r"q=tortilla\+de\+la$"))
    page.locator("main:not([aria-busy]) .hit").first.wait_for()
    assert any("<script>" in t for t in hits(page))
    assert page.locator("main img, main script").count() == 0
    assert_clean(page)


@pytest.mark.parametrize("payload", [
    "<script>window.__xss='q-script'</script>",
    "\"><img src=x onerror=\"window.__xss='q-onerror'\">",
    "'><svg onload=window.__xss='q-svg'>",
])
def test_payloads_in_the_query_never_execute(watched, live_server, payload):
    page = watched
    page.goto(live_server + "/buscar?q=" + quote(payload))
    assert page.locator("#q").input_value() == payload
    assert page.locator("main img, main svg, main script").count() == 0
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially(payload[:30], delay=5)
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert_clean(page)


def test_the_watch_would_see_a_script_run(watched):
    """The detector itself works: on a page without our CSP, injected markup sets the flag."""
    page = watched
    page.set_content("<p id=x></p>")
    page.evaluate("document.getElementById('x').innerHTML = '<img src=x onerror=window.__xss=1>'")
    page.wait_for_function("window.__xss === 1")
