"""Body cleaning: Markdown and HTML to text, entities, shortcodes, Liquid, emoji codes, code."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blogsearch.indexer import clean
from blogsearch.indexer.clean import strip_templating


def markdown_to_text(markdown: str) -> tuple[str, str]:
    """(text, code) of a Markdown body."""
    cleaned = clean.markdown_to_text(markdown)
    return cleaned.text, cleaned.code


def html_to_text(markup: str) -> tuple[str, str]:
    """(text, code) of an HTML body."""
    cleaned = clean.html_to_text(markup)
    return cleaned.text, cleaned.code


def test_markdown_markup_is_removed():
    text, code = markdown_to_text("# Título\n\nTexto con **negrita**, *cursiva* y [un enlace](https://a.es).\n"
                                  "\n- uno\n- dos\n\n> una cita\n")
    assert text.splitlines() == ["Título", "Texto con negrita, cursiva y un enlace.", "uno", "dos",
                                 "una cita"]
    assert "https://a.es" not in text and "*" not in text and "#" not in text
    assert code == ""


def test_raw_html_in_markdown_is_stripped():
    text, _ = markdown_to_text('Antes\n\n<div style="color:red"><strong>Aviso:</strong> con '
                               '<acronym title="Network Address Translation">NAT</acronym></div>\n')
    assert "Aviso: con NAT" in text
    assert "<" not in text and "style" not in text and "Network Address" not in text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Despu&eacute;s", "Después"),
        ("it&#8217;s", "it\u2019s"),
        ("&#8220;cita&#8221;", "\u201ccita\u201d"),
        ("&iexcl;Hola!", "¡Hola!"),
        ("pan &amp; vino", "pan & vino"),
        ("30&nbsp;cm", "30 cm"),
        ("&#x41;BC", "ABC"),
    ],
)
def test_entities_are_decoded(source, expected):
    text, _ = markdown_to_text(f"Texto: {source} fin\n")
    assert text == f"Texto: {expected} fin"


def test_entities_inside_html_paragraphs_are_decoded():
    text, _ = markdown_to_text("<p>oto&ntilde;o y <span>fotograf&iacute;a</span></p>\n")
    assert text == "otoño y fotografía"


def test_html_file_body():
    text, code = html_to_text("<h2>Sección</h2><p>Uno &amp; dos</p><ul><li>a</li><li>b</li></ul>"
                              "<pre>print('x')</pre><script>alert(1)</script><style>p{}</style>")
    assert text.splitlines() == ["Sección", "Uno & dos", "a", "b"]
    assert code == "print('x')"


def test_hugo_shortcodes_removed_and_paired_inner_text_kept():
    text, _ = markdown_to_text(
        '{{< figure src="foto.jpg" title="Pie de foto" >}}\n\n'
        "{{% nota %}}Comprueba las **imágenes**.{{% /nota %}}\n\n"
        '{{< cita autor="Ana" >}}Una cita interna{{< /cita >}}\n\n'
        "{{< youtube abc123 >}}\n\nFin.\n"
    )
    assert "Comprueba las imágenes." in text
    assert "Una cita interna" in text
    assert text.endswith("Fin.")
    for leftover in ("{{", "}}", "figure", "foto.jpg", "Pie de foto", "youtube", "abc123", "nota", "autor"):
        assert leftover not in text


def test_liquid_tags_and_output_removed():
    text, _ = markdown_to_text("Ver {% include aviso.html %} la [entrada]({{ site.url }}/otra/) "
                               "de {{ page.author | upcase }} hoy.\n")
    assert text == "Ver la entrada de hoy."


def test_emoji_codes_removed_but_times_kept():
    text, _ = markdown_to_text("Llegamos :smile: a las 10:30:00 y :heart_eyes: salimos a las 12:05.\n")
    assert ":smile:" not in text and ":heart_eyes:" not in text
    assert "10:30:00" in text and "12:05" in text
    assert text.split() == ["Llegamos", "a", "las", "10:30:00", "y", "salimos", "a", "las", "12:05."]


@pytest.mark.parametrize("kept", ["std::vector", "http://a.es:8080/x", "ratio 3:2", "Nota:importante"])
def test_colons_that_are_not_emoji_survive(kept):
    text, _ = markdown_to_text(f"Texto {kept} fin\n")
    assert kept in text


def test_reference_link_definitions_removed():
    text, _ = markdown_to_text('Lee [su blog][1] y [el wiki][wiki].\n\n[1]: https://ejemplo.com/blog\n'
                               '[wiki]: <https://ejemplo.com/wiki> "El wiki"\n')
    assert text == "Lee su blog y el wiki."


def test_fenced_code_goes_to_code_not_body():
    text, code = markdown_to_text("Antes.\n\n```python\nimport sys\nprint(sys.argv)\n```\n\n"
                                  "~~~\necho hola\n~~~\n\nDespués.\n")
    assert text.splitlines() == ["Antes.", "Después."]
    assert "import sys" in code and "print(sys.argv)" in code and "echo hola" in code
    assert "python" not in code


def test_indented_code_goes_to_code():
    text, code = markdown_to_text("Antes.\n\n    sangrado()\n\nDespués.\n")
    assert "sangrado" not in text
    assert code == "sangrado()"


def test_inline_code_stays_in_the_body():
    text, code = markdown_to_text("Usa `nova-manage db sync` siempre.\n")
    assert text == "Usa nova-manage db sync siempre."
    assert code == ""


@pytest.mark.parametrize(
    "block",
    [
        "{% highlight ruby %}\nputs 'hola'\n{% endhighlight %}",
        "{% highlight ruby linenos %}\nputs 'hola'\n{% endhighlight %}",
        "{%- highlight ruby -%}\nputs 'hola'\n{%- endhighlight -%}",
        "{{< highlight ruby >}}\nputs 'hola'\n{{< /highlight >}}",
    ],
    ids=["liquid", "liquid-options", "liquid-trim", "hugo"],
)
def test_highlight_blocks_go_to_code(block):
    text, code = markdown_to_text(f"Antes.\n\n{block}\n\nDespués.\n")
    assert text.splitlines() == ["Antes.", "Después."]
    assert code == "puts 'hola'"


def test_code_content_is_not_unescaped_into_markup():
    text, code = markdown_to_text("```html\n<b>&amp;</b>\n```\n")
    assert code == "<b>&amp;</b>"
    assert text == ""


def test_strip_templating_leaves_plain_markdown_alone():
    source = "# Título\n\nTexto con *énfasis* y 10:30.\n"
    assert strip_templating(source) == source


def test_sample_entities_post(parse_sample):
    post = parse_sample("blog/2013-12-01-escanear-diapositivas.md")
    assert "fotografía durante los setenta" in post.body
    assert "Después de varias pruebas" in post.body
    assert "Revísala siempre." in post.body
    assert "&" not in post.body and "<" not in post.body and "style" not in post.body


def test_sample_wordpress_post(parse_sample):
    post = parse_sample("_posts/2017-02-05-openstack-nova-manage.md")
    assert "Después de crear la red" in post.body
    assert "¡Avisados estáis!" in post.body
    assert "&" not in post.body
    assert "nova-manage db sync" in post.code
    assert "nova-manage db sync" not in post.body


def test_sample_shortcodes_post(parse_sample):
    post = parse_sample("posts/2023/docker-compose-en-casa/index.md")
    assert "Si usas una Raspberry Pi" in post.body
    assert "{{" not in post.body and "figure" not in post.body and "rack-casero" not in post.body
    assert "docker compose pull" in post.code


def test_sample_jekyll_post(parse_sample):
    post = parse_sample("_posts/2021-03-14-primeros-pasos-con-nodejs.md")
    assert "createServer" in post.code
    assert "createServer" not in post.body
    assert "{%" not in post.body and "{{" not in post.body and "site.url" not in post.body
    assert "la entrada sobre entornos virtuales" in post.body


def test_sample_emoji_post(parse_sample):
    post = parse_sample("blog/2014-08-15-camino-de-santiago-primitivo.md")
    assert ":smile:" not in post.body and ":heart:" not in post.body
    assert "mucho más tranquilo." in post.body


def test_sample_reference_links_post(parse_sample):
    post = parse_sample("posts/2022/busquedas-con-python/index.md")
    assert "https://" not in post.body
    assert "[1]" not in post.body
    assert "en la Wikipedia y en el libro de Manning" in post.body


def test_script_in_a_post_body_is_never_kept_as_markup(parse):
    post = parse("---\ntitle: t\n---\n<div><script>alert(1)</script></div>\n\nTexto normal.\n",
                 "x.html")
    assert "alert" not in post.body
    assert post.body == "Texto normal."


@pytest.mark.parametrize(
    "markup",
    ["<script>\nvar contador = 1;\n</script>", "<style>.aviso { color: red; }</style>",
     '<iframe src="https://video.example/x">vídeo incrustado</iframe>'],
    ids=["script", "style", "iframe"],
)
def test_raw_noise_tags_in_markdown_are_dropped(parse, markup):
    post = parse(f"---\ntitle: t\n---\nAntes.\n\n{markup}\n\nDespués.\n")
    assert post.body.splitlines() == ["Antes.", "Después."]


def test_first_heading_is_reported_for_a_missing_title():
    assert clean.markdown_to_text("Intro.\n\n## Primera *parte*\n\n# Segunda\n").heading == "Primera parte"
    assert clean.markdown_to_text("Sin encabezados.\n").heading == ""
    assert clean.html_to_text("<p>x</p><h3>Tres &amp; más</h3><h1>Uno</h1>").heading == "Tres & más"


def test_tables_and_strikethrough_become_text():
    text, _ = markdown_to_text("| Plato | Precio |\n|---|---|\n| Paella | 12 € |\n\n~~tachado~~ vale\n")
    for word in ("Plato", "Precio", "Paella", "12 €", "tachado vale"):
        assert word in text
    assert "|" not in text and "~~" not in text


# The plain definitions the faster regexes of ``clean`` must agree with.
_PLAIN_EMOJI = re.compile(r"(?<![\w:]):(?:[a-z0-9_+\-]*[a-z][a-z0-9_+\-]*|[+\-]1):(?![\w:])")
_PLAIN_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_PLAIN_BLANK_LINES = re.compile(r"\s*\n\s*")
_TRICKY = st.text(alphabet=st.sampled_from(list("ab1:+-_ \t\n\r\x0b\x0c\u00a0\u200b\u2003\u3000\x1c\x85&;é")),
                  max_size=60)


@settings(max_examples=2000, deadline=None)
@given(_TRICKY)
def test_emoji_removal_matches_the_plain_regex(text):
    assert clean._EMOJI.sub("", text) == _PLAIN_EMOJI.sub("", text)


@settings(max_examples=2000, deadline=None)
@given(_TRICKY)
def test_white_space_normalising_matches_the_plain_regexes(text):
    text = text.replace("&", "")  # entities are html.unescape's business, the same either way
    expected = _PLAIN_BLANK_LINES.sub("\n", _PLAIN_SPACES.sub(" ", text)).strip()
    assert clean.normalise(text) == expected


@pytest.mark.parametrize("markup", [
    "<p>Metal Gear <em>Solid</em> mola</p><h2>Otro tema</h2><ul><li>uno</li></ul><table><tr>"
    "<td>celda</td><td>otra</td></tr></table>",
    "<div>" * (clean.MAX_NESTABLE_TAGS + 1) + "<p>Metal Gear <em>Solid</em> mola</p>"
    "<h2>Otro tema</h2><ul><li>uno</li></ul><table><tr><td>celda</td><td>otra</td></tr></table>",
])
def test_blocks_end_in_a_line_break_and_inline_tags_do_not(markup):
    """Snippets and phrases keep blocks apart by the line breaks; however deeply nested."""
    lines = clean.html_to_text(markup).text.split("\n")
    assert lines[-5:] == ["Metal Gear Solid mola", "Otro tema", "uno", "celda", "otra"]
