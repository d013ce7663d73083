"""more_like_this() and suggest() (search as you type)."""

from __future__ import annotations

import pytest

DOCKER = "posts/2023/docker-compose-en-casa/index.md"
KUBERNETES = "posts/2023/kubernetes-sin-dolor/index.md"


@pytest.fixture(scope="module")
def topics(make_engine, post):
    cocina = "Receta de cocina con aceite de oliva, ajo, cebolla y pimentón en la sartén."
    redes = "Configurar el router, el cortafuegos y las direcciones de la red de casa."
    return make_engine({
        "cocina-1.md": post("Lentejas con chorizo", f"{cocina} Las lentejas necesitan tiempo."),
        "cocina-2.md": post("Garbanzos con espinacas", f"{cocina} Los garbanzos, en remojo."),
        "cocina-3.md": post("Pisto manchego", f"{cocina} Calabacín y tomate."),
        "redes-1.md": post("IPv6 en casa", f"{redes} Con IPv6 cada aparato tiene dirección pública."),
        "redes-2.md": post("Una VPN casera", f"{redes} WireGuard une las dos redes."),
    })


def test_more_like_this_returns_posts_on_the_same_topic(topics):
    related = topics.more_like_this("cocina-1.md", limit=2)
    assert {item["path"] for item in related} == {"cocina-2.md", "cocina-3.md"}
    related = topics.more_like_this("redes-1.md", limit=1)
    assert [item["path"] for item in related] == ["redes-2.md"]


def test_more_like_this_never_returns_the_post_itself(topics):
    for path in ("cocina-1.md", "redes-2.md"):
        assert path not in {item["path"] for item in topics.more_like_this(path, limit=10)}


def test_more_like_this_items(engine):
    related = engine.more_like_this(DOCKER)
    assert 1 <= len(related) <= 5
    for item in related:
        assert {"title", "url", "path", "date"} <= set(item)
        assert item["path"] != DOCKER


def test_more_like_this_on_the_sample_blog(engine):
    related = [item["path"] for item in engine.more_like_this(KUBERNETES, limit=5)]
    assert related
    assert DOCKER in related or "posts/2023/resumen-del-ano-2023/index.md" in related


@pytest.mark.parametrize("limit", [1, 3])
def test_more_like_this_limit(engine, limit):
    assert len(engine.more_like_this(DOCKER, limit=limit)) <= limit


@pytest.mark.parametrize("path", ["no/existe.md", "", "posts/_index.md", "broken/toml-roto.md",
                                  "blog/2024-01-20-primeras-impresiones-rust.md"])
def test_more_like_this_unknown_path(engine, path):
    with pytest.raises(ValueError, match="path"):
        engine.more_like_this(path)


@pytest.mark.parametrize(("typed", "expected"), [("kube", KUBERNETES), ("Kubern", KUBERNETES),
                                                 ("lentej", "_posts/2016-11-12-lentejas-estofadas.markdown"),
                                                 ("docker comp", DOCKER),
                                                 ("búsq", "posts/2022/busquedas-con-python/index.md"),
                                                 ("ipv", "posts/2020/ipv6-en-casa/index.md"),
                                                 ("nova-ma", "_posts/2017-02-05-openstack-nova-manage.md")])
def test_suggest_completes_the_last_word(engine, typed, expected):
    suggestions = engine.suggest(typed)
    assert suggestions and suggestions[0]["path"] == expected
    assert {"title", "title_html", "url", "path"} <= set(suggestions[0])


def test_suggest_highlights_the_completed_word(engine):
    first = engine.suggest("lentej")[0]
    assert "<mark>Lentejas</mark>" in first["title_html"]


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_suggest_limit(engine, limit):
    assert engine.search("co*")["total"] > 3
    assert len(engine.suggest("co", limit=limit)) == limit


@pytest.mark.parametrize("typed", ["", "   ", "😀", "-", '"', "OR", "x" * 5000])
def test_suggest_with_nothing_usable_returns_a_list(engine, typed):
    assert isinstance(engine.suggest(typed), list)


def test_suggest_with_blank_text_is_empty(engine):
    assert engine.suggest("") == [] and engine.suggest("   ") == []
