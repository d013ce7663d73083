"""Taxonomies, author, description, title fallbacks, drafts and pages that are not posts."""

from __future__ import annotations

import pytest

from blogsearch.indexer import metadata as meta
from blogsearch.indexer.frontmatter_reader import PostError


def _post(parse, header: str, body: str = "Texto del post.", path: str = "post.md"):
    return parse(f"---\n{header}\n---\n{body}\n", path)


# -- taxonomies -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header",
    [
        "tags:\n  - cocina\n  - recetas de cuchara",
        "tags: [cocina, recetas de cuchara]",
        "tags: \"[cocina, 'recetas de cuchara']\"",
        "tags: cocina, recetas de cuchara",
        "etiquetas: [cocina, recetas de cuchara]",
        "fbtags: [cocina]\nbtags: recetas de cuchara",
        "Tags: [cocina]\nETIQUETAS: [recetas de cuchara]",
    ],
    ids=["yaml-list", "flow-list", "flow-list-string", "comma-string", "etiquetas", "suffix-tags",
         "any-case"],
)
def test_tags_from_every_key_and_shape(parse, header):
    assert _post(parse, header).tags == ["cocina", "recetas de cuchara"]


def test_single_string_tag(parse):
    assert _post(parse, "tags: videojuegos").tags == ["videojuegos"]


@pytest.mark.parametrize(("value", "expected"), [("2011", ["2011"]), ("[2011, 2012]", ["2011", "2012"]),
                                                 ("3.5", ["3.5"])])
def test_numeric_tags_become_text(parse, value, expected):
    assert _post(parse, f"tags: {value}").tags == expected


@pytest.mark.parametrize(
    "header",
    [
        "categories: [Cocina, Recetas]",
        "categorias: [Cocina, Recetas]",
        "categorías:\n  - Cocina\n  - Recetas",
        "fbcategories: Cocina, Recetas",
        "wp_categories: [Cocina]\ncategories: Recetas",
    ],
    ids=["categories", "categorias", "categorías", "suffix", "suffix-and-plain"],
)
def test_categories_from_every_key(parse, header):
    assert sorted(_post(parse, header).categories) == ["Cocina", "Recetas"]


def test_tags_and_categories_do_not_mix(parse):
    post = _post(parse, "tags: [pan]\ncategories: [Cocina]")
    assert post.tags == ["pan"]
    assert post.categories == ["Cocina"]


def test_duplicate_tags_across_keys_and_case_are_merged(parse):
    post = _post(parse, "tags: [Docker, linux]\nfbtags: [docker, Redes]")
    assert post.tags == ["Docker", "linux", "Redes"]


def test_empty_and_odd_taxonomy_values_are_ignored(parse):
    post = _post(parse, "tags: [cocina, '', null, {a: 1}, [[y]]]\ncategories: true\nbtags:")
    assert post.tags == ["cocina"]
    assert post.categories == []


def test_hexo_parallel_categories_are_one_item_lists(parse):
    post = _post(parse, "categories:\n  - [economía]\n  - [tecnología]\ntags: [a, [b]]")
    assert post.categories == ["economía", "tecnología"]
    assert post.tags == ["a", "b"]


def test_zola_taxonomies_table(parse):
    post = parse("+++\ntitle = 'x'\n[taxonomies]\ntags = ['vim', 'shell']\ncategories = ['notas']\n+++\nHola")
    assert post.tags == ["vim", "shell"]
    assert post.categories == ["notas"]


def test_entities_and_markup_in_tags_are_cleaned():
    assert meta.as_list(["caf&eacute;", "<b>pan</b>"]) == ["café", "pan"]


@pytest.mark.parametrize(
    ("rel_path", "tags", "categories"),
    [
        ("_posts/2017-02-05-openstack-nova-manage.md", ["OpenStack", "nova-manage", "cloud"], ["Cloud"]),
        ("_posts/2016-11-12-lentejas-estofadas.markdown", ["cocina", "legumbres", "recetas de cuchara"],
         ["Cocina"]),
        ("_posts/2011-12-29-lo-que-jugue-en-2011.md", ["2011"], ["Videojuegos"]),
        ("blog/2015-03-08-la-paciencia-del-jugador.html", ["videojuegos"], ["Videojuegos", "Opinión"]),
        ("posts/2023/docker-compose-en-casa/index.md", ["Docker", "Linux"], ["Sistemas"]),
        ("posts/2023/kubernetes-sin-dolor/index.md", ["Kubernetes", "k3s", "Raspberry Pi"], ["Sistemas"]),
        ("_posts/2018-09-10-aspnet-core-y-csharp.md", ["ASP.NET", "C#", ".NET", "API"], ["Programación"]),
    ],
)
def test_sample_blog_taxonomies(parse_sample, rel_path, tags, categories):
    post = parse_sample(rel_path)
    assert post.tags == tags
    assert post.categories == categories


# -- author, description ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "header",
    ['author: "Lucía Martín"', "autor: Lucía Martín", "authors: [Lucía Martín, Pablo]",
     "author:\n  name: Lucía Martín"],
    ids=["author", "autor", "authors-list", "author-mapping"],
)
def test_author(parse, header):
    assert _post(parse, header).author == "Lucía Martín"


@pytest.mark.parametrize("key", ["description", "summary", "descripción", "resumen"])
def test_description_and_summary(parse, key):
    post = _post(parse, f'{key}: "Una receta de la abuela &amp; sus <em>trucos</em>"')
    assert post.description == "Una receta de la abuela & sus trucos"


def test_description_wins_over_summary(parse):
    post = _post(parse, "summary: El resumen\ndescription: La descripción")
    assert post.description == "La descripción"


def test_no_author_or_description(parse):
    post = _post(parse, "title: Solo título")
    assert post.author == ""
    assert post.description == ""


# -- title ----------------------------------------------------------------------------------
def test_title_from_front_matter_with_entities_decoded(parse):
    assert _post(parse, 'title: "Caf&eacute; <em>solo</em>"').title == "Café solo"


def test_spanish_title_key(parse):
    assert _post(parse, "titulo: Lentejas estofadas").title == "Lentejas estofadas"


def test_numeric_title(parse):
    assert _post(parse, "title: 1984").title == "1984"


def test_title_from_first_markdown_heading(parse):
    post = _post(parse, "date: 2020-01-01", "Intro sin título.\n\n## Primera *sección*\n\n# Otra")
    assert post.title == "Primera sección"


def test_title_from_first_html_heading(parse):
    post = parse("---\ndate: 2020-01-01\n---\n<p>Intro</p><h1>Título &amp; <em>HTML</em></h1>",
                 "pagina.html")
    assert post.title == "Título & HTML"


def test_empty_title_falls_back_to_heading(parse):
    assert _post(parse, 'title: ""', "# Del cuerpo\n\nTexto").title == "Del cuerpo"


@pytest.mark.parametrize(
    ("rel_path", "expected"),
    [
        ("notas/mi-primer-post.md", "Mi primer post"),
        ("_posts/2015-06-07-hola_mundo.md", "Hola mundo"),
        ("posts/2020/mi-bundle/index.md", "Mi bundle"),
        ("pagina.html", "Pagina"),
    ],
)
def test_title_from_file_name(parse, rel_path, expected):
    assert parse("Texto sin ningún encabezado.\n", rel_path).title == expected


def test_indented_code_is_not_a_heading(parse):
    post = parse("Intro.\n\n    # esto es código\n\n## Verdadero título\n", "x.md")
    assert post.title == "Verdadero título"


def test_comment_in_fenced_code_is_not_the_title(parse):
    post = parse("```bash\n# instalar dependencias\napt install curl\n```\n\n# Notas de instalación\n",
                 "notas.md")
    assert post.title == "Notas de instalación"


def test_setext_heading_is_a_heading(parse):
    post = parse("Notas de instalación\n====================\n\nTexto.\n", "notas.md")
    assert post.title == "Notas de instalación"


# -- drafts, section pages, repository documents ----------------------------------------------
@pytest.mark.parametrize("header", ["draft: true", "draft: 'true'", "draft: yes", "borrador: sí",
                                    "published: false"])
def test_drafts_are_skipped(parse_file, header):
    parsed = parse_file(f"---\ntitle: Borrador\n{header}\n---\nTexto.\n")
    assert parsed.post is None
    assert parsed.skipped == "draft"


@pytest.mark.parametrize("header", ["draft: true", "published: false"])
def test_drafts_are_indexed_with_include_drafts(parse_file, header):
    parsed = parse_file(f"---\ntitle: Borrador\n{header}\n---\nTexto.\n", include_drafts=True)
    assert parsed.post is not None and parsed.post.title == "Borrador"


@pytest.mark.parametrize("header", ["draft: false", "draft: 'no'", "published: true"])
def test_non_drafts_are_indexed(parse_file, header):
    assert parse_file(f"---\ntitle: Publicado\n{header}\n---\nTexto.\n").post is not None


def test_sample_draft(sample_blog, parse_file):
    rel = "blog/2024-01-20-primeras-impresiones-rust.md"
    raw = (sample_blog / rel).read_bytes()
    assert parse_file(raw, rel).skipped == "draft"
    assert parse_file(raw, rel, include_drafts=True).post.tags == ["Rust", "programación"]


@pytest.mark.parametrize("rel_path", ["posts/_index.md", "_index.markdown", "a/b/_index.html"])
def test_section_pages_are_skipped_even_with_drafts(parse_file, rel_path):
    parsed = parse_file("---\ntitle: Artículos\n---\nTodas las entradas.\n", rel_path,
                        include_drafts=True)
    assert parsed.post is None
    assert "_index" in parsed.skipped


@pytest.mark.parametrize("rel_path", ["README.md", "docs/readme.markdown", "LICENSE.md", "CHANGELOG.md",
                                      "CONTRIBUTING.md"])
def test_repository_documents_without_front_matter_are_skipped(parse_file, rel_path):
    parsed = parse_file("# Mi blog\n\nCómo compilar el sitio.\n", rel_path)
    assert parsed.post is None
    assert "front matter" in parsed.skipped


def test_readme_with_front_matter_is_a_post(parse_file):
    parsed = parse_file("---\ntitle: Léeme\n---\nUn post llamado README.\n", "README.md")
    assert parsed.post is not None and parsed.post.title == "Léeme"


def test_post_named_like_a_document_but_longer_is_a_post(parse_file):
    assert parse_file("# Mi readme favorito\n\nTexto.\n", "readme-favorito.md").post is not None


@pytest.mark.parametrize("content", ["", "   \n\n", "<!-- solo un comentario -->\n"])
def test_empty_files_are_errors(parse_file, content):
    with pytest.raises(PostError, match="empty"):
        parse_file(content)
