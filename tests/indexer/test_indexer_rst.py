"""reStructuredText posts: Nikola comment metadata (reST, Markdown, ``.meta``), Pelican docinfo,
lenient directives and roles, and never an exception."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from docutils.core import Publisher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogsearch.indexer.clean import html_to_text
from blogsearch.indexer.rst import (
    LINE_LENGTH_LIMIT,
    RstDocument,
    nikola_comment_metadata,
    read_rst,
    sidecar_metadata,
)
from tests.helpers import CORPUS_FORMATS

LECOVI = CORPUS_FORMATS / "lecovi"

NIKOLA_POST = """.. title: Cómo hacer pan casero
.. slug: pan-casero
.. date: 2014-04-01 19:36:11 UTC-03:00
.. tags: cocina,pan
.. category: recetas
.. link:
.. description:
.. type: text

La masa madre necesita tiempo.
"""

PELICAN_POST = """Mi título
#########

:date: 2014-5-21 10:42
:tags: python, pelican
:category: notas

Texto.
"""


def _text(doc: RstDocument) -> str:
    return html_to_text(doc.html).text


def _code(doc: RstDocument) -> str:
    return html_to_text(doc.html).code


# --- Nikola comment metadata ---------------------------------------------------------------


def test_nikola_comment_metadata_reads_the_top_lines_and_returns_the_rest():
    metadata, rest = nikola_comment_metadata(NIKOLA_POST)
    assert metadata == {
        "title": "Cómo hacer pan casero", "slug": "pan-casero", "date": "2014-04-01 19:36:11 UTC-03:00",
        "tags": "cocina,pan", "category": "recetas", "link": "", "description": "", "type": "text",
    }
    assert rest == "\nLa masa madre necesita tiempo.\n"


def test_nikola_comment_metadata_lowercases_keys_and_strips_values():
    metadata, _ = nikola_comment_metadata(".. Title:   Pan   \n.. HideTitle: true\n\nTexto.\n")
    assert metadata == {"title": "Pan", "hidetitle": "true"}


def test_nikola_comment_metadata_joins_indented_continuation_lines():
    metadata, rest = nikola_comment_metadata(".. description: Una descripción\n   en dos líneas\n\nTexto.\n")
    assert metadata == {"description": "Una descripción en dos líneas"}
    assert rest.strip() == "Texto."


@pytest.mark.parametrize("text", [
    ".. image:: foto.jpg\n\nTexto.\n",
    ".. _enlace: https://example.org\n\nTexto.\n",
    ".. TEASER_END\n\nTexto.\n",
    "Título\n======\n\n.. title: no está arriba\n",
    "",
])
def test_text_without_nikola_metadata_comes_back_unchanged(text):
    assert nikola_comment_metadata(text) == ({}, text)


def test_nikola_metadata_in_an_html_comment_markdown_form():
    text = f"""<!--
.. title: Instalar Vagrant
.. slug: instalar-vagrant
.. date: 2018-02-08 13:56:35 UTC-03:00
.. link:{" "}
-->

Les cuento cómo instalarlo.
"""
    metadata, rest = nikola_comment_metadata(text)
    assert metadata == {"title": "Instalar Vagrant", "slug": "instalar-vagrant",
                        "date": "2018-02-08 13:56:35 UTC-03:00", "link": ""}
    assert rest == "Les cuento cómo instalarlo.\n"


@pytest.mark.parametrize("text", [
    "<!-- un comentario cualquiera -->\n\nTexto.\n",
    "<!--\n.. title: sin cerrar\n\nTexto.\n",
])
def test_html_comments_without_nikola_metadata_are_left_alone(text):
    assert nikola_comment_metadata(text) == ({}, text)


def test_sidecar_meta_file_with_comment_lines():
    text = ".. title: Pan casero\n.. slug: pan-casero\n.. tags:\n.. date: 2013/09/15 19:52:05\n"
    assert sidecar_metadata(text) == {"title": "Pan casero", "slug": "pan-casero", "tags": "",
                                      "date": "2013/09/15 19:52:05"}


def test_old_sidecar_meta_file_with_bare_lines_in_order():
    text = "Pan casero\npan-casero\n2012/09/15 19:52:05\ncocina, pan\n\nMasa madre y paciencia\ntext\n"
    assert sidecar_metadata(text) == {
        "title": "Pan casero", "slug": "pan-casero", "date": "2012/09/15 19:52:05",
        "tags": "cocina, pan", "link": "", "description": "Masa madre y paciencia", "type": "text",
    }
    assert sidecar_metadata("Solo el título\n") == {"title": "Solo el título"}


# --- metadata and title -----------------------------------------------------------------------


def test_pelican_docinfo_and_document_title():
    doc = read_rst(PELICAN_POST)
    assert doc.title == "Mi título"
    assert doc.metadata == {"title": "Mi título", "date": "2014-5-21 10:42", "tags": "python, pelican",
                            "category": "notas"}
    assert _text(doc) == "Texto."
    assert doc.warnings == []


def test_pelican_fields_of_every_kind_are_read_lower_cased():
    doc = read_rst("""Notas de viaje
==============

:Date: 2020-01-02
:author: Ana Pérez
:authors: Ana; Luis
:slug: notas-de-viaje
:summary: Un *resumen* breve.
:lang: es
:status: draft
:category:

Cuerpo del texto.
""")
    assert doc.metadata == {"title": "Notas de viaje", "date": "2020-01-02", "author": "Ana Pérez",
                            "authors": "Ana, Luis", "slug": "notas-de-viaje",
                            "summary": "Un resumen breve.", "lang": "es", "status": "draft",
                            "category": ""}
    assert "resumen" not in _text(doc) and "Ana" not in _text(doc)


def test_field_list_without_document_title():
    doc = read_rst(":title: Sin encabezado\n:date: 2021-03-04\n\nTexto.\n")
    assert doc.title == "Sin encabezado"
    assert doc.metadata["date"] == "2021-03-04"
    assert _text(doc) == "Texto."


def test_nikola_post():
    doc = read_rst(NIKOLA_POST)
    assert doc.title == "Cómo hacer pan casero"
    assert doc.metadata["date"] == "2014-04-01 19:36:11 UTC-03:00"
    assert doc.metadata["link"] == ""
    assert _text(doc) == "La masa madre necesita tiempo."
    assert "title" not in doc.html and "slug" not in doc.html


def test_explicit_title_wins_and_the_promoted_heading_stays_in_the_body():
    doc = read_rst(""".. title: La historia de Linux

Veinte años de Linux
--------------------

Un documental.
""")
    assert doc.title == "La historia de Linux"
    assert _text(doc) == "Veinte años de Linux\nUn documental."


def test_heading_equal_to_the_explicit_title_is_not_repeated():
    doc = read_rst(".. title: Pan casero\n\nPan  casero\n===========\n\nTexto.\n")
    assert doc.title == "Pan casero"
    assert _text(doc) == "Texto."


def test_empty_explicit_title_falls_back_to_the_document_title():
    doc = read_rst(".. title:\n.. slug: pan\n\nPan casero\n==========\n\nTexto.\n")
    assert doc.title == "Pan casero" and doc.metadata["title"] == "Pan casero"


def test_subtitle_stays_in_the_body():
    doc = read_rst("Título\n======\n\nSubtítulo\n---------\n\nTexto.\n")
    assert doc.title == "Título"
    assert _text(doc) == "Subtítulo\nTexto."


def test_no_title_at_all():
    doc = read_rst("Solo un párrafo.\n")
    assert doc.title == "" and doc.metadata == {}
    assert _text(doc) == "Solo un párrafo."


# --- lenient directives and roles ---------------------------------------------------------------


def test_unknown_embed_directives_keep_only_their_caption():
    doc = read_rst("""Antes.

.. youtube:: 5ocq6_3-nEw

.. media:: https://vimeo.com/12345

.. thumbnail:: /images/playa.jpg

   La playa al *atardecer*.

.. class:: text-center

   .. youtube:: abc

Después.
""")
    assert _text(doc) == "Antes.\nLa playa al atardecer.\nDespués."
    assert "5ocq6" not in doc.html and "vimeo" not in doc.html and "playa.jpg" not in doc.html
    assert doc.warnings == []


@pytest.mark.parametrize("directive", ["code-block:: python", "sourcecode:: python", "code:: python",
                                       "listing:: hola.py python", "ipython::"])
def test_code_directives_become_pre_even_with_sphinx_options(directive):
    doc = read_rst(f"""Un ejemplo:

.. {directive}
   :linenos:
   :emphasize-lines: 2

   def saludo():
       return "hola"

Fin.
""")
    assert _code(doc) == 'def saludo():\n    return "hola"'
    assert _text(doc) == "Un ejemplo:\nFin."


def test_listing_without_content_leaves_nothing():
    doc = read_rst("Código:\n\n.. listing:: hola.py python\n\nFin.\n")
    assert _text(doc) == "Código:\nFin." and _code(doc) == ""


def test_unknown_directives_keep_argument_and_content_as_text():
    doc = read_rst("""Intro.

.. accordion::

   Primera sección del acordeón.

.. versionadded:: 2.0

   El parámetro *modo*.

.. toctree::
   :maxdepth: 2

   instalacion

.. TEASER_END

.. note::

   Una nota conocida.
""")
    text = _text(doc)
    assert "Primera sección del acordeón." in text
    assert "2.0\nEl parámetro modo." in text
    assert "instalacion" in text
    assert "TEASER_END" not in text
    assert "Una nota conocida." in text
    assert doc.warnings == []


def test_unknown_roles_keep_their_text():
    doc = read_rst("Pulsa :kbd:`Ctrl+C`, mira :doc:`la guía <guia/instalar>` y :ref:`otra-seccion`; "
                   "también `español`:sphinx:term:.\n")
    assert _text(doc) == "Pulsa Ctrl+C, mira la guía y otra-seccion; también español."
    assert doc.warnings == []


def test_raw_html_substitution():
    doc = read_rst("Hola |autor|.\n\n.. |autor| raw:: html\n\n   <a href=\"/ana\">Ana</a>\n")
    assert _text(doc) == "Hola Ana."


def test_missing_include_is_a_warning_not_a_failure():
    doc = read_rst("Antes.\n\n.. include:: no-existe.rst\n\nDespués.\n")
    assert _text(doc) == "Antes.\nDespués."
    assert doc.warnings == ['line 3: "include" directive disabled.']


def test_rejected_directive_keeps_its_text():
    doc = read_rst("""Tabla:

.. list-table::
   :header-rows: 1

   * - ciudad
   * Madrid

.. image:: foto.png
   :widht: 40
""")
    text = _text(doc)
    assert "ciudad" in text and "Madrid" in text
    assert "foto.png" not in text and ":header-rows:" not in text
    assert [w.split(":")[0] for w in doc.warnings] == ["line 3", "line 9"]


def test_bad_indentation_and_broken_markup_degrade_with_line_numbers():
    doc = read_rst(""".. title: Mal sangrado
.. date: 2020-01-01

Un párrafo
de dos líneas
    que se sangra de repente
y vuelve.

*énfasis sin cierre y un `enlace roto`_.
""")
    text = _text(doc)
    for words in ("Un párrafo", "que se sangra de repente", "y vuelve.", "*énfasis sin cierre",
                  "enlace roto."):
        assert words in text
    assert "`" not in text
    assert doc.warnings == ["line 6: Unexpected indentation.",
                            "line 7: Block quote ends without a blank line; unexpected unindent.",
                            "line 9: Inline emphasis start-string without end-string.",
                            'line 9: Unknown target name: "enlace roto".']


def test_table_of_contents_is_not_indexed_twice():
    doc = read_rst(".. contents:: Índice\n\nUno\n===\n\nTexto uno.\n\nDos\n===\n\nTexto dos.\n")
    assert _text(doc) == "Uno\nTexto uno.\nDos\nTexto dos."


def test_docutils_never_writes_to_stderr(capsys):
    read_rst("Texto con *error\n\n.. include:: falta.rst\n\n.. image:: x.png\n   :scale: 50\n")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# --- pathological input --------------------------------------------------------------------------


def test_very_long_line_is_read_as_plain_text():
    doc = read_rst(".. title: Larga\n\n" + "palabra " * (LINE_LENGTH_LIMIT // 8 + 1) + "\n\nFin <b>.\n")
    assert doc.title == "Larga"
    assert doc.html.endswith("<p>Fin &lt;b&gt;.</p>\n")
    assert doc.warnings == [f"reStructuredText not parsed (line 3 is longer than {LINE_LENGTH_LIMIT} "
                            "characters); indexed as plain text"]


def test_deep_indentation_is_read_as_plain_text_quickly():
    start = time.perf_counter()
    doc = read_rst("".join(" " * depth + "texto\n\n" for depth in range(2000)))
    assert time.perf_counter() - start < 2
    assert _text(doc).count("texto") == 2000
    assert "indentation levels" in doc.warnings[0]


def test_deep_nesting_on_one_line_does_not_raise():
    doc = read_rst("- " * 2000 + "elemento\n")
    assert "elemento" in _text(doc)


def test_docutils_crash_falls_back_to_plain_text(monkeypatch):
    def boom(self, *args, **kwargs):
        raise RuntimeError("fallo interno")

    monkeypatch.setattr(Publisher, "publish", boom)
    doc = read_rst(NIKOLA_POST)
    assert doc.title == "Cómo hacer pan casero"
    assert _text(doc) == "La masa madre necesita tiempo."
    assert doc.warnings == [
        "reStructuredText not parsed (RuntimeError: fallo interno); indexed as plain text"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "texto", " ", "\n", "\n\n", "   ", "\t", "*", "**", "`", "``", "_", "|", ":", "::", "..", ".. ",
    "-", "=", "#", "+", "1.", "[1]", "<", ">", "&", ":kbd:`", ":raro:", ".. youtube:: ", ".. note::",
    ".. code-block:: python\n", ".. |s| raw:: html\n", ".. title: ", "<!--", "-->", "ñandú", "\x00",
]), max_size=60).map("".join))
def test_read_rst_never_raises(text):
    doc = read_rst(text)
    assert isinstance(doc.html, str) and isinstance(doc.title, str)


def test_threads_give_the_same_results():
    texts = [f".. title: Post {n}\n\nTexto {n} con :rol{n}:`x` y\n\n"
             f".. directiva{n}:: arg {n}\n\n   Cuerpo {n}.\n" for n in range(40)]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(read_rst, texts))
    assert parallel == [read_rst(text) for text in texts]
    assert _text(parallel[7]) == "Texto 7 con x y\narg 7\nCuerpo 7."


# --- the real Nikola blog ---------------------------------------------------------------------------

needs_lecovi = pytest.mark.skipif(not LECOVI.is_dir(), reason=f"{LECOVI} not found")


@pytest.mark.corpus
@needs_lecovi
def test_every_lecovi_post_has_title_date_and_text():
    paths = sorted((LECOVI / "posts").glob("*.rst"))
    assert len(paths) == 57
    start = time.perf_counter()
    docs = {path.name: read_rst(path.read_text(encoding="utf-8")) for path in paths}
    assert time.perf_counter() - start < 5
    for name, doc in docs.items():
        assert doc.title, name
        assert doc.metadata.get("date"), name
        assert not any("not parsed" in warning for warning in doc.warnings), name
    assert docs["la-historia-de-linux.rst"].title == "La historia de Linux"
    assert docs["codigo-abierto-o-software-libre.rst"].metadata["date"] == "2013-03-20 10:12:00 UTC-03:00"
    assert "nikola" in docs["empezando-con-nikola.rst"].metadata["tags"]


@pytest.mark.corpus
@needs_lecovi
def test_every_lecovi_page_parses():
    for path in sorted((LECOVI / "stories").glob("*")):
        doc = read_rst(path.read_text(encoding="utf-8"))
        assert doc.title, path.name
        assert doc.metadata.get("date"), path.name
        assert not any("not parsed" in warning for warning in doc.warnings), path.name


@pytest.mark.corpus
@needs_lecovi
def test_lecovi_markdown_post_metadata():
    metadata, rest = nikola_comment_metadata((LECOVI / "posts" / "instalar-vagrant.md").read_text("utf-8"))
    assert metadata["title"] == "Instalar Vagrant"
    assert metadata["date"] == "2018-02-08 13:56:35 UTC-03:00"
    assert metadata["link"] == ""
    assert not rest.lstrip().startswith(("<!--", "-->", ".."))
