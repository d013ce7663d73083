"""In a real browser (Debian's Chromium via Playwright) against the app served over HTTP."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

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


def test_autocomplete_with_the_keyboard(watched, live_server):
    page = watched
    page.goto(live_server + "/")
    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("masa mad", delay=30)
    options = page.locator("#q-suggestions [role=option]")
    options.first.wait_for()
    assert page.locator("#q-suggestions").get_attribute("role") == "listbox"
    assert box.get_attribute("aria-expanded") == "true"
    assert options.first.inner_text() == "Pan de masa madre para principiantes"
    box.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    assert box.get_attribute("aria-activedescendant") == first_id
    assert options.first.get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert page.locator("#q-suggestions").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "masa mad"
    box.press("ArrowDown")  # reopens the list
    options.first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/blog/pan-de-masa-madre/$"))
    assert_clean(page)


def test_enter_without_a_chosen_suggestion_searches(watched, live_server):
    page = watched
    page.goto(live_server + "/")
    page.locator("#q").press_sequentially("masa madre", delay=20)
    page.locator("#q-suggestions [role=option]").first.wait_for()
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/buscar\?q=masa\+madre"))
    assert hits(page)


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
    page.locator("#q").press_sequentially("tortilla de la", delay=20)
    options = page.locator("#q-suggestions [role=option]")
    options.first.wait_for()
    assert any("<script>" in t for t in options.all_inner_texts())
    assert page.locator("#q-suggestions img, #q-suggestions script").count() == 0
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
