"""Deep links and thumbnails on the page and in the JSON API."""

from __future__ import annotations

from tests.helpers import html, texts

POST = "https://hugo.ejemplo.es/2023/04/ruta-por-guadarrama-el-d%C3%ADa-de-la-niebla/"


def _post_url(url: str) -> str:
    return url.replace("día", "d%C3%ADa")


def test_a_result_links_to_the_sections_that_match(hugo_client):
    tree = html(hugo_client.get("/buscar?q=viento"))
    hit = tree.css_first(".hit")
    links = hit.css(".sections a")
    assert texts(hit, ".sections a") == ["El viento del norte"]
    assert _post_url(links[0].attributes["href"]) == POST + "#viento"  # the {#viento} id wins
    assert links[0].css_first("mark").text() == "viento"


def test_sections_come_in_the_posts_order_at_most_three(hugo_client):
    data = hugo_client.get("/api/search?q=bola+mapa+viento+niebla").json
    sections = data["results"][0]["sections"]
    assert [s["title"] for s in sections] == [
        "La subida a la Bola del Mundo", "El viento del norte", "Mapa de la ruta"]
    assert [_post_url(s["url"]) for s in sections] == [
        POST + "#la-subida-a-la-bola-del-mundo", POST + "#viento", POST + "#mapa-de-la-ruta"]


def test_a_thumbnail_from_the_posts_image_metadata(hugo_client):
    tree = html(hugo_client.get("/buscar?q=guadarrama"))
    image = tree.css_first(".hit img.thumb")
    assert _post_url(image.attributes["src"]) == POST + "mapa.svg"
    assert image.attributes["alt"] == ""  # the title beside it says what it is
    data = hugo_client.get("/api/search?q=guadarrama").json
    assert _post_url(data["results"][0]["image"]) == POST + "mapa.svg"
    others = hugo_client.get("/api/search?q=centeno").json["results"]
    assert others and all(hit["image"] is None and hit["sections"] == [] for hit in others)


def test_the_api_schema_describes_sections_and_image(client):
    hit = client.get("/api/openapi.json").json["components"]["schemas"]["Hit"]["properties"]
    assert set(hit["sections"]["items"]["properties"]) == {"title", "title_html", "url"}
    assert hit["image"]["type"] == ["string", "null"]
