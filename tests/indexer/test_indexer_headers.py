"""Metadata dialects of Markdown and HTML posts: front matter, lenient YAML, Pelican/MultiMarkdown
headers and Pelican's HTML reader (split_metadata)."""

from __future__ import annotations

import pytest

from blogsearch.indexer import metadata as meta
from blogsearch.indexer.dates import published_date
from blogsearch.indexer.discover import POST_SUFFIXES
from blogsearch.indexer.frontmatter_reader import PostError, split_front_matter
from blogsearch.indexer.headers import MetaSplit, split_metadata
from blogsearch.indexer.reading import decode
from tests.helpers import CORPUS, CORPUS_FORMATS

PELICAN = CORPUS_FORMATS / "movimientolibre" / "content"
HEXO = CORPUS_FORMATS / "losnuevosposibles" / "source" / "_posts"
REREAD = "); read as `key: value` lines"


def _yaml_warning(line: int) -> str:
    return f"front matter line {line} is not valid YAML ("


# --- front matter as today -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        ("---\ntitle: Tortilla\ntags: [cocina, huevos]\n---\nLleva patata.\n", "yaml"),
        ("+++\ntitle = 'Tortilla'\ntags = ['cocina', 'huevos']\n+++\nLleva patata.\n", "toml"),
        ('{"title": "Tortilla", "tags": ["cocina", "huevos"]}\nLleva patata.\n', "json"),
    ],
    ids=["yaml", "toml", "json"],
)
def test_front_matter_is_read_as_today(text, dialect):
    split = split_metadata(text, ".md")
    assert (split.metadata, split.body) == split_front_matter(text)
    assert split.dialect == dialect
    assert split.warnings == []


@pytest.mark.parametrize(
    "text",
    [
        "+++\ntitle = 'Bien'\nesto no es toml\n+++\nCuerpo\n",
        '{\n  "title": "Bien",\n  "date": 2020-01-01\n}\nCuerpo\n',
        "+++\ntitle = 'Sin cerrar'\n\nCuerpo\n",
    ],
    ids=["toml", "json", "toml-unclosed"],
)
def test_broken_toml_and_json_are_still_errors(text):
    with pytest.raises(PostError):
        split_metadata(text, ".md")


# --- YAML that does not parse, read as `key: value` lines ------------------------------------------

def test_colon_in_an_unquoted_title():
    text = "---\ntitle: Francia: no hay rescates\ndate: 2020-05-01\n---\n\nEl texto.\n"
    split = split_metadata(text, ".md")
    assert split.metadata == {"title": "Francia: no hay rescates", "date": "2020-05-01"}
    assert split.body.strip() == "El texto."
    assert split.dialect == "key-value"
    [warning] = split.warnings
    assert warning.startswith(_yaml_warning(2)) and warning.endswith(REREAD)


@pytest.mark.parametrize(
    ("header", "line"),
    [
        ("título: Hola\ntitle: `grep` sin miedo\n", 3),
        ("title: Sangría\n\tdate: 2020-05-01\n", 3),
        ("title: Sangría\n date: 2020-05-01\n", 3),
    ],
    ids=["backtick", "tab-indent", "bad-indent"],
)
def test_yaml_errors_name_their_line_and_keep_the_values(header, line):
    split = split_metadata(f"---\n{header}---\nCuerpo\n", ".md")
    assert split.warnings[0].startswith(_yaml_warning(line))
    assert meta.title(split.metadata) in ("`grep` sin miedo", "Sangría")
    assert split.body.strip() == "Cuerpo"


def test_lists_quotes_and_empty_values_of_broken_yaml():
    text = (
        "---\n"
        'title: "Francia: sin rescates"\n'
        "subtitle: Otra: cosa\n"
        "tags:\n"
        "  - economía\n"
        "  - 'paraísos fiscales'\n"
        "categories: [política, \"economía\"]\n"
        "series: [pendiente\n"
        'lugar: "Sevilla\n'
        "aviso: [Vídeo] Charla [2020]\n"
        "description: >\n"
        "  Dos líneas\n"
        "  en una.\n"
        "draft:\n"
        "---\n"
        "Cuerpo\n"
    )
    split = split_metadata(text, ".md")
    assert split.metadata == {
        "title": "Francia: sin rescates",
        "subtitle": "Otra: cosa",
        "tags": ["economía", "paraísos fiscales"],
        "categories": ["política", "economía"],
        "series": ["pendiente"],
        "lugar": "Sevilla",
        "aviso": "[Vídeo] Charla [2020]",
        "description": "Dos líneas en una.",
        "draft": "",
    }
    assert split.warnings[0].startswith(_yaml_warning(3))
    assert meta.tags(split.metadata) == ["economía", "paraísos fiscales"]
    assert not meta.is_draft(split.metadata)


def test_keys_of_broken_yaml_are_lower_cased():
    split = split_metadata("---\nTitle: Uno: dos\nDate: 2021-01-02\n---\nCuerpo\n", ".md")
    assert split.metadata == {"title": "Uno: dos", "date": "2021-01-02"}


def test_lines_that_are_not_pairs_are_named_and_skipped():
    text = "---\n\ntitle: A: b\n\nesto sobra\ndate: 2020-01-01\n---\nCuerpo\n"
    split = split_metadata(text, ".md")
    assert split.metadata == {"title": "A: b", "date": "2020-01-01"}
    assert split.warnings[0].startswith(_yaml_warning(3))  # the blank line after `---` is counted
    assert split.warnings[1] == "front matter line 5 is not a `key: value` line; ignored"


def test_unclosed_flow_list_names_the_line_where_it_opened():
    text = "---\ntitle: Bien\ntags: [a, b\nauthor: Ana\n---\nCuerpo\n"
    split = split_metadata(text, ".md")
    assert split.metadata == {"title": "Bien", "tags": ["a", "b"], "author": "Ana"}
    assert split.warnings[0].startswith(_yaml_warning(4))
    assert "at line 3" in split.warnings[0]


def test_yaml_that_is_not_a_mapping_loses_no_post():
    split = split_metadata("---\nsolo una cadena\n---\nCuerpo\n", ".md")
    assert split.metadata == {}
    assert split.body.strip() == "Cuerpo"
    assert split.warnings[0] == ("front matter line 2 is not valid YAML (not a mapping of keys to values"
                                 + REREAD)


def test_sample_broken_file_is_read(sample_blog):
    text = (sample_blog / "broken" / "yaml-roto.md").read_text(encoding="utf-8")
    split = split_metadata(text, ".md")
    assert split.dialect == "key-value"
    assert "line 3" in split.warnings[0]  # examples/README.md: the quotes left open are on line 3
    assert meta.title(split.metadata) == "Un archivo con la cabecera rota"
    assert meta.tags(split.metadata) == ["pruebas", "roto"]
    assert meta.categories(split.metadata) == ["Pruebas"]


# --- `---` blocks of Python-Markdown meta (Pelican) ------------------------------------------------

def test_fence_never_closed_ends_at_the_first_blank_line():
    text = "---\nTitle: Sin cierre\nDate: 2020-01-01 10:00\nTags: a, b\n\nEl cuerpo sí llega.\n"
    split = split_metadata(text, ".md")
    assert split.metadata == {"title": "Sin cierre", "date": "2020-01-01 10:00", "tags": "a, b"}
    assert split.body == "El cuerpo sí llega.\n"
    assert split.dialect == "key-value"
    assert split.warnings == []


def test_fence_never_closed_without_pairs_is_still_an_error():
    with pytest.raises(PostError, match="YAML front matter is never closed"):
        split_metadata("---\nHola, esto no es una cabecera.\n\nTexto.\n", ".md")


def test_block_closed_by_dots():
    text = "---\nTitle: Puntos: suspensivos\nDate: 2020-01-01\n...\nCuerpo\n\n---\n\nMás cuerpo\n"
    split = split_metadata(text, ".md")
    assert split.metadata == {"title": "Puntos: suspensivos", "date": "2020-01-01"}
    assert split.body == "Cuerpo\n\n---\n\nMás cuerpo\n"


def test_valid_yaml_closed_by_dots_keeps_its_types():
    split = split_metadata("---\ntitle: Puntos\ntags: [a, b]\n...\nCuerpo\n", ".md")
    assert split.metadata == {"title": "Puntos", "tags": ["a", "b"]}
    assert split.dialect == "yaml"


def test_rule_in_the_body_does_not_close_a_pelican_header():
    text = "---\nTitle: Regla: horizontal\nDate: 2020-01-01\n\nAntes de la raya.\n\n---\n\nDespués.\n"
    split = split_metadata(text, ".md")
    assert split.metadata == {"title": "Regla: horizontal", "date": "2020-01-01"}
    assert split.body == "Antes de la raya.\n\n---\n\nDespués.\n"
    assert split.warnings == []


# --- unfenced Pelican / MultiMarkdown headers ------------------------------------------------------

def test_pelican_header():
    text = ("Title: Podar: guía básica\nSlug:podar\nTags: jardín, poda\nDate: 2020-09-13 10:00\n"
            "Summary: Cómo y cuándo podar;\n    con una segunda línea.\n\n\nCuando llega el otoño...\n")
    split = split_metadata(text, ".md")
    assert split.metadata == {
        "title": "Podar: guía básica",
        "slug": "podar",
        "tags": "jardín, poda",
        "date": "2020-09-13 10:00",
        "summary": "Cómo y cuándo podar; con una segunda línea.",
    }
    assert split.body.strip() == "Cuando llega el otoño..."
    assert split.dialect == "key-value"
    assert meta.tags(split.metadata) == ["jardín", "poda"]
    assert published_date(split.metadata, "podar.md").isoformat() == "2020-09-13T10:00:00+00:00"


def test_multimarkdown_keys_with_spaces_and_a_header_alone():
    split = split_metadata("Title: Sólo cabecera\nBase Header Level: 2\nAuthor: Ana", ".markdown")
    assert split.metadata == {"title": "Sólo cabecera", "base header level": "2", "author": "Ana"}
    assert split.body == ""


def test_first_pelican_definition_wins():
    split = split_metadata("Title: Primero\nTitle: Segundo\n\nCuerpo\n", ".md")
    assert split.metadata == {"title": "Primero"}


@pytest.mark.parametrize(
    "text",
    [
        "Nota: hoy escribo desde el tren.\nY el paisaje es precioso.\n",
        "Nota: hoy escribo desde el tren.\n\nY el paisaje es precioso.\n",
        "Title: parece cabecera\nhttps://example.com/enlace\n\nTexto.\n",
        "Title: parece cabecera\npero sigue la prosa sin línea en blanco.\n",
        "https://example.com/enlace\n\nTexto.\n",
        "    Title: código indentado\n\nTexto.\n",
    ],
    ids=["colon-then-prose", "unknown-key", "url-line", "prose-line", "url-first", "indented"],
)
def test_body_with_a_colon_on_its_first_line_is_not_a_header(text):
    assert split_metadata(text, ".md") == MetaSplit({}, text, "none")


def test_html_files_have_no_unfenced_header():
    text = "Title: No es cabecera\n\n<p>Texto</p>\n"
    assert split_metadata(text, ".html").metadata == {}


def test_nikola_comment_is_left_for_the_rst_reader():
    text = "<!--\n.. title: Instalar\n.. slug: instalar\n-->\n\nTexto.\n"
    split = split_metadata(text, ".md")
    assert (split.metadata, split.body, split.dialect) == ({}, text, "none")


# --- HTML posts (Pelican's HTML reader) ------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="es">
    <head>
        <meta charset="utf-8">
        <title>Sol &amp; sombra</title>
        <meta name="Date" content="2019-04-18 14:32" />
        <meta name="tags" content="verano, playa" />
        <meta name="author" content="Ana" />
        <meta name="author" content="Luis" />
        <style>body { color: red; }</style>
    </head>
    <body class="post">
        <h3>Bajo la sombrilla</h3>
        <p>Hace calor.</p>
    </body>
</html>
"""


def test_html_document_metadata_and_body():
    split = split_metadata(HTML_PAGE, ".html")
    assert split.metadata == {"title": "Sol & sombra", "date": "2019-04-18 14:32", "tags": "verano, playa",
                              "author": ["Ana", "Luis"]}
    assert split.dialect == "html-meta"
    assert split.body.strip().startswith("<h3>Bajo la sombrilla</h3>")
    assert split.body.strip().endswith("<p>Hace calor.</p>")
    for leaked in ("<title>", "<meta", "color: red", "</body>", "</html>"):
        assert leaked not in split.body
    assert meta.tags(split.metadata) == ["verano", "playa"]
    assert meta.author(split.metadata) == "Ana"


def test_html_document_without_body_tag():
    text = "<html><head><title>Sin body</title></head>\n<p>Texto.</p>\n</html>\n"
    split = split_metadata(text, ".htm")
    assert split.metadata == {"title": "Sin body"}
    assert "<title>" not in split.body and "<p>Texto.</p>" in split.body


def test_front_matter_wins_over_the_head():
    text = "---\ntitle: De la cabecera YAML\n---\n<html><head><title>Del head</title>" \
           '<meta name="slug" content="del-head"></head><body><p>Hola</p></body></html>\n'
    split = split_metadata(text, ".html")
    assert split.metadata == {"title": "De la cabecera YAML", "slug": "del-head"}
    assert split.body == "<p>Hola</p>"
    assert split.dialect == "yaml"


def test_html_fragment_with_front_matter_is_read_as_today():
    text = "---\ntitle: Fragmento\n---\n<p>Texto con <b>negrita</b>.</p>\n"
    split = split_metadata(text, ".html")
    assert (split.metadata, split.body) == split_front_matter(text)


def test_html_fragment_without_metadata_is_all_body():
    text = "<h1>Título</h1>\n<p>Texto sobre <code>&lt;head&gt;</code>.</p>\n"
    assert split_metadata(text, ".html") == MetaSplit({}, text, "none")


# --- real blogs (../shared/corpus-formats and ../shared/corpus) ------------------------------------

def _require(folder):
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")


@pytest.mark.corpus
def test_pelican_posts_give_title_date_and_slug():
    _require(PELICAN)
    sections = ("apuntes", "articulos", "presentaciones")
    posts = [path for section in sections for path in (PELICAN / section).rglob("*.md")]
    assert len(posts) == 140
    for path in posts:
        split = split_metadata(path.read_text(encoding="utf-8"), ".md")
        assert split.dialect == "key-value" and split.warnings == [], path
        assert meta.title(split.metadata) and split.metadata.get("slug"), path
        assert published_date(split.metadata, path.name) is not None, path
        assert not split.body.lstrip().startswith(("Title:", "Date:", "Category:")), path


@pytest.mark.corpus
def test_pelican_html_page_and_readme():
    _require(PELICAN)
    page = split_metadata((PELICAN / "portafolio/soluciones/soluciones.html").read_text(encoding="utf-8"),
                          ".html")
    assert page.dialect == "html-meta"
    assert {"title", "slug", "summary", "category", "date", "modified"} <= page.metadata.keys()
    assert "<head" not in page.body and "<title" not in page.body and "<meta" not in page.body
    readme = split_metadata((PELICAN / "README.md").read_text(encoding="utf-8"), ".md")
    assert (readme.metadata, readme.dialect) == ({}, "none")


@pytest.mark.corpus
def test_hexo_posts():
    _require(HEXO)
    posts = sorted(HEXO.glob("*.md"))
    assert posts
    for path in posts:
        text = path.read_text(encoding="utf-8")
        split = split_metadata(text, ".md")
        assert split.dialect == "yaml" and split.warnings == [], path
        assert (split.metadata, split.body) == split_front_matter(text), path
        title = meta.title(split.metadata)
        assert title and title[0] not in "\"'", path


@pytest.mark.corpus
def test_hugo_corpus_reads_as_today():
    files = [p for p in sorted(CORPUS.glob("*/content/**/*")) if p.suffix.lower() in POST_SUFFIXES]
    assert len(files) >= 1618
    changed = []
    for path in files:
        text, _ = decode(path.read_bytes())
        split = split_metadata(text, path.suffix.lower())  # never raises
        try:
            today = split_front_matter(text)
        except PostError:
            continue
        if (split.metadata, split.body) != today:
            changed.append(str(path))
    assert changed == []
