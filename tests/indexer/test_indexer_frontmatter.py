"""Front matter: YAML ``---``, TOML ``+++``, JSON ``{``; unclosed and malformed headers."""

from __future__ import annotations

import re

import pytest

from blogsearch.indexer.frontmatter_reader import (
    FrontMatterError,
    PostError,
    find_front_matter,
    load_front_matter,
    split_front_matter,
)


def _line_of(text: str, needle: str) -> int:
    """1-based line number of the first line of ``text`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def _error_lines(message: str) -> list[int]:
    return [int(n) for n in re.findall(r"line (\d+)", message)]


def _error(text: str) -> str:
    """The message of the PostError that splitting ``text`` raises."""
    with pytest.raises(PostError) as caught:
        split_front_matter(text)
    return str(caught.value)


YAML_POST = """---
title: "Tortilla de patatas"
date: 2020-05-03T10:00:00+02:00
tags: [cocina, huevos]
---

La tortilla lleva patata y huevo.
"""
TOML_POST = """+++
title = "Tortilla de patatas"
date = 2020-05-03T10:00:00+02:00
tags = ["cocina", "huevos"]
+++

La tortilla lleva patata y huevo.
"""
JSON_POST = """{
  "title": "Tortilla de patatas",
  "date": "2020-05-03T10:00:00+02:00",
  "tags": ["cocina", "huevos"]
}

La tortilla lleva patata y huevo.
"""


@pytest.mark.parametrize("text", [YAML_POST, TOML_POST, JSON_POST], ids=["yaml", "toml", "json"])
def test_each_format_gives_metadata_and_body(text):
    metadata, body = split_front_matter(text)
    assert metadata["title"] == "Tortilla de patatas"
    assert list(metadata["tags"]) == ["cocina", "huevos"]
    assert body.strip() == "La tortilla lleva patata y huevo."


@pytest.mark.parametrize("text", [YAML_POST, TOML_POST, JSON_POST], ids=["yaml", "toml", "json"])
def test_each_format_parses_to_the_same_post(parse, text):
    post = parse(text)
    assert post.title == "Tortilla de patatas"
    assert post.tags == ["cocina", "huevos"]
    assert post.date is not None and post.date.isoformat() == "2020-05-03T10:00:00+02:00"
    assert post.body == "La tortilla lleva patata y huevo."
    assert "title" not in post.body and "+++" not in post.body


def test_no_front_matter_keeps_the_whole_text_as_body():
    text = "Solo texto, sin cabecera.\n\nOtro párrafo."
    assert split_front_matter(text) == ({}, text)


def test_horizontal_rule_in_body_is_not_a_second_header(parse):
    post = parse("---\ntitle: Regla\n---\nAntes de la raya.\n\n---\n\nDespués de la raya.\n")
    assert "Antes de la raya." in post.body
    assert "Después de la raya." in post.body


def test_empty_yaml_header_gives_empty_metadata(parse):
    post = parse("---\n---\nTexto del post.\n", "sin-titulo.md")
    assert post.body == "Texto del post."
    assert post.title == "Sin titulo"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("---\ntitle: Sin cerrar\ndate: 2020-01-01\n\nEl cuerpo nunca llega.\n", "YAML"),
        ("+++\ntitle = 'Sin cerrar'\n\nEl cuerpo nunca llega.\n", "TOML"),
    ],
    ids=["yaml", "toml"],
)
def test_unclosed_front_matter_is_an_error(text, kind):
    with pytest.raises(PostError, match=rf"{kind} front matter is never closed"):
        split_front_matter(text)


def test_unclosed_json_front_matter_is_an_error_with_its_line():
    text = '{\n  "title": "Sin cerrar"\n\nEl cuerpo nunca llega.\n'
    message = _error(text)
    assert "JSON" in message
    assert _error_lines(message) == [_line_of(text, "El cuerpo")]


def test_malformed_yaml_reports_the_line_of_the_file():
    text = "---\ntitle: Bien\ntags: [a, b\nauthor: Ana\n---\nCuerpo\n"
    message = _error(text)
    assert "YAML" in message
    lines = _error_lines(message)
    # the problem is found on the line after the unclosed list, which opened on the tags line
    assert _line_of(text, "author:") in lines
    assert _line_of(text, "tags:") in lines


def test_yaml_error_lines_count_blank_lines_after_the_fence():
    text = "---\n\ntitle: Bien\ntags: [a, b\nauthor: Ana\n---\nCuerpo\n"
    with pytest.raises(FrontMatterError) as caught:
        split_front_matter(text)
    assert caught.value.line == _line_of(text, "author:")
    assert f"at line {_line_of(text, 'tags:')}" in caught.value.problem


@pytest.mark.parametrize(
    ("text", "kind"),
    [(YAML_POST, "YAML"), (TOML_POST, "TOML"), (JSON_POST, "JSON")],
    ids=["yaml", "toml", "json"],
)
def test_found_front_matter_is_cut_before_it_is_parsed(text, kind):
    found = find_front_matter(text)
    assert found.kind == kind
    assert found.first_line == 1
    assert found.body.strip() == "La tortilla lleva patata y huevo."
    assert (load_front_matter(found), found.body) == split_front_matter(text)


def test_no_front_matter_is_none():
    assert find_front_matter("Solo texto, sin cabecera.") is None


def test_malformed_toml_reports_the_line_of_the_file():
    text = "+++\ntitle = 'Bien'\nesto no es toml\ndate = 2020-01-01\n+++\nCuerpo\n"
    message = _error(text)
    assert "TOML" in message
    assert _error_lines(message) == [_line_of(text, "esto no es toml")]


def test_malformed_json_reports_the_line_of_the_file():
    text = '{\n  "title": "Bien",\n  "date": 2020-01-01\n}\nCuerpo\n'
    message = _error(text)
    assert "JSON" in message
    assert _error_lines(message) == [_line_of(text, '"date"')]


def test_sample_broken_file_names_the_unclosed_quote_line(sample_blog):
    text = (sample_blog / "broken" / "yaml-roto.md").read_text(encoding="utf-8")
    message = _error(text)
    # examples/README.md: the quotes left open are on line 3 (the date)
    assert _line_of(text, "date:") == 3
    assert 3 in _error_lines(message)


@pytest.mark.parametrize(
    "text",
    ["---\n- uno\n- dos\n---\nCuerpo\n", "---\nsolo una cadena\n---\nCuerpo\n"],
    ids=["list", "scalar"],
)
def test_front_matter_that_is_not_a_mapping_is_an_error(text):
    with pytest.raises(PostError, match="not a mapping"):
        split_front_matter(text)


def test_impossible_yaml_date_is_a_warning_not_a_lost_post(parse_file):
    parsed = parse_file("---\ntitle: Fecha imposible\ndate: 2021-02-30\n---\nCuerpo\n",
                        "_posts/2021-03-01-imposible.md")
    assert parsed.post is not None and parsed.post.title == "Fecha imposible"
    assert parsed.post.date.isoformat() == "2021-03-01T00:00:00+00:00"  # from the file name
    assert len(parsed.warnings) == 1
    assert "date" in parsed.warnings[0] and "2021-02-30" in parsed.warnings[0]


def test_valid_dates_give_no_warning(parse_file):
    parsed = parse_file("---\ntitle: T\ndate: 2021-02-28\nlastmod: 2021-03-01T10:00:00+01:00\n---\nx\n")
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "text",
    ['{"title": "Tortilla de patatas", "tags": ["cocina"]}\n\nLa tortilla lleva huevo.\n',
     '{ "title": "Tortilla de patatas",\n  "tags": ["cocina"] }\nLa tortilla lleva huevo.\n'],
    ids=["one-line", "brace-not-alone"],
)
def test_json_front_matter_not_on_its_own_lines(parse, text):
    post = parse(text)
    assert post.title == "Tortilla de patatas"
    assert post.tags == ["cocina"]
    assert post.body == "La tortilla lleva huevo."


@pytest.mark.parametrize(
    "text",
    ['{{< figure src="portada.jpg" >}}\n\nTexto del post.\n', "{% include aviso.html %}\n\nTexto del post.\n",
     "{Nota} Texto del post.\n"],
    ids=["hugo-shortcode", "liquid-tag", "brace"],
)
def test_body_starting_with_a_brace_is_not_front_matter(parse, text):
    assert "Texto del post." in parse(text, "sin-cabecera.md").body
