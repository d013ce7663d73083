"""WordPress WXR and Blogger Atom exports: entries, dates, taxonomies, comments, refused files."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from blogsearch.indexer.clean import html_to_text
from blogsearch.indexer.exports import Export, ExportEntry, ExportError, is_export, read_export
from tests.helpers import CORPUS_FORMATS, SAMPLE_EXPORTS

PINGUINITO = CORPUS_FORMATS / "pinguinitorawr" / "wordpress.xml"
PLUS_ONE = timezone(timedelta(hours=1))
PLUS_TWO = timezone(timedelta(hours=2))

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
<title>Prueba</title>
<link>https://prueba.example.es/</link>
"""
BLOGGER_2018 = """<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
  <id>tag:blogger.com,1999:blog-777</id>
  <title>Cuaderno nuevo</title>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-11</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author><name>Inés</name><blogger:type>BLOGGER</blogger:type></author>
    <title>Geranios en el balcón</title>
    <content type='html'>&lt;p&gt;Riego cada dos días.&lt;/p&gt;</content>
    <blogger:metaDescription>Cómo riego los geranios</blogger:metaDescription>
    <published>2020-05-03T21:30:00Z</published>
    <updated>2020-05-04T08:00:00Z</updated>
    <category scheme='tag:blogger.com,1999:blog-777' term='plantas'/>
    <blogger:filename>/2020/05/geranios-en-el-balcon.html</blogger:filename>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-12</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>DRAFT</blogger:status>
    <title>Sin terminar</title>
    <content type='html'>Pendiente.</content>
    <published>2020-06-01T10:00:00Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-13</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>SOFT_TRASHED</blogger:status>
    <title>A la papelera</title>
    <content type='html'>Nada.</content>
    <published>2020-06-02T10:00:00Z</published>
    <blogger:filename>/2020/06/a-la-papelera.html</blogger:filename>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-14</id>
    <blogger:type>PAGE</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <title>Contacto</title>
    <content type='html'>Escríbeme.</content>
    <published>2020-01-01T10:00:00Z</published>
    <blogger:filename>/p/contacto.html</blogger:filename>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-15</id>
    <blogger:parent>tag:blogger.com,1999:blog-777.post-11</blogger:parent>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author><name>Rosa</name><blogger:type>ANONYMOUS</blogger:type></author>
    <content type='html'>Los míos se secaron en agosto.</content>
    <published>2020-05-05T10:00:00Z</published>
  </entry>
</feed>
"""


def write(tmp_path: Path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def wxr(items: str, doctype: str = "", version: str = "1.2") -> str:
    return WXR_HEAD.format(doctype=doctype, version=version) + items + "</channel>\n</rss>\n"


def by_id(export: Export) -> dict[str, ExportEntry]:
    return {entry.id: entry for entry in export.entries}


@pytest.fixture(scope="module")
def wordpress() -> Export:
    return read_export(SAMPLE_EXPORTS / "wordpress.xml")


@pytest.fixture(scope="module")
def blogger() -> Export:
    return read_export(SAMPLE_EXPORTS / "blogger.xml")


# Sniffing ----------------------------------------------------------------------------------------


def test_samples_are_sniffed_by_platform():
    assert is_export(SAMPLE_EXPORTS / "wordpress.xml") == "wordpress"
    assert is_export(SAMPLE_EXPORTS / "blogger.xml") == "blogger"


@pytest.mark.parametrize(
    "text",
    [
        # A blog's ordinary RSS feed: no wp: namespace.
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>'
        "<item><title>Hola</title><link>https://b.example/hola/</link></item></channel></rss>",
        # An ordinary Atom feed.
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Otro</title>'
        "<entry><id>urn:x</id><title>Entrada</title></entry></feed>",
        '<?xml version="1.0"?><config><opcion nombre="a">1</opcion></config>',
        "esto no es XML",
    ],
)
def test_other_files_are_not_exports(tmp_path, text):
    path = write(tmp_path, text, "feed.xml")
    assert is_export(path) == ""
    with pytest.raises(ExportError, match="feed.xml: not a WordPress"):
        read_export(path)


def test_missing_file_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match="nada.xml: cannot be read"):
        read_export(tmp_path / "nada.xml")


# WordPress ---------------------------------------------------------------------------------------


def test_wordpress_channel(wordpress):
    assert wordpress.generator == "wordpress"
    assert wordpress.title == "Cuaderno de la sierra"
    assert wordpress.base_url == "https://cuadernodelasierra.example.es"
    assert wordpress.language == "es"  # <language>es-ES</language>


def test_wordpress_posts_and_pages_of_any_status_attachments_skipped(wordpress):
    kinds = Counter((entry.kind, entry.status) for entry in wordpress.entries)
    assert kinds == {("post", "publish"): 3, ("post", "draft"): 1, ("page", "publish"): 1}
    assert wordpress.skipped == {"attachment": 1}


def test_wordpress_date_is_local_time_with_the_offset_of_that_day(wordpress):
    entries = by_id(wordpress)
    # 00:40 in Madrid (summer time) is still the 28th in UTC: the blog shows the 29th.
    night = entries["11"].date
    assert night == datetime(2023, 10, 29, 0, 40, tzinfo=PLUS_TWO)
    assert night.utcoffset() == timedelta(hours=2)
    assert night.date().day == 29 and "/2023/10/29/" in entries["11"].url
    # Modified after the change to winter time the same morning.
    assert entries["11"].updated == datetime(2023, 10, 29, 9, 15, tzinfo=PLUS_ONE)
    assert entries["11"].updated.utcoffset() == timedelta(hours=1)
    assert entries["12"].date == datetime(2024, 1, 15, 19, 5, tzinfo=PLUS_ONE)
    assert entries["13"].updated is None  # no wp:post_modified


def test_wordpress_draft_without_gmt_date_has_no_date(wordpress):
    draft = by_id(wordpress)["14"]
    assert draft.status == "draft"
    assert draft.date is None
    assert draft.slug == ""
    assert draft.url.endswith("?p=14")


def test_wordpress_categories_and_tags_are_display_names(wordpress):
    entries = by_id(wordpress)
    assert entries["11"].categories == ["Montaña"]
    assert entries["11"].tags == ["otoño", "niebla"]
    # Entities decoded; post_format is neither a category nor a tag.
    assert entries["12"].categories == ["Cocina & campo"]
    assert entries["12"].tags == ["pan"]


def test_wordpress_only_approved_comments_not_pingbacks(wordpress):
    entries = by_id(wordpress)
    assert entries["11"].comments == [
        ("Marta", "Yo subí la semana pasada y el hayedo ya estaba rojizo. ¡Qué envidia de cumbre!")
    ]
    assert entries["12"].comments == []


def test_wordpress_titles_urls_slugs_authors(wordpress):
    entries = by_id(wordpress)
    mochila = entries["13"]
    assert mochila.title == "Qué llevar en la mochila: lista & consejos"
    assert mochila.slug == "mochila-de-montaña"
    assert mochila.url == "https://cuadernodelasierra.example.es/2024/07/02/mochila-de-monta%c3%b1a/"
    assert mochila.author == "pablo"  # no wp:author for this login: the login itself
    assert entries["11"].author == "Lucía Ferrer"
    assert entries["11"].excerpt == "Una mañana gris en la Najarra."
    assert entries["2"].kind == "page" and entries["2"].url.endswith("/sobre-mi/")


def test_featured_images_and_blogger_thumbnails(wordpress, blogger):
    entries = by_id(wordpress)
    assert entries["11"].image == \
        "https://cuadernodelasierra.example.es/wp-content/uploads/2023/10/najarra-cumbre.jpg"
    assert entries["12"].image == ""  # no featured image
    caleta = by_id(blogger)["1001"]  # media:thumbnail, asked at 320 px instead of 72
    assert caleta.image == "https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvX/s320/caleta.jpg"
    assert all(entry.image == "" for entry in blogger.entries if entry.id != "1001")


def test_wordpress_bodies_without_p_get_paragraphs_except_in_pre(wordpress):
    entry = by_id(wordpress)["11"]
    assert "<p>A mitad de camino paramos junto a la fuente.<br>\nEl agua" in entry.html
    assert "<pre>\nPuerto - fuente     1 h 10 min\n\nfuente - cumbre     0 h 55 min\n</pre>" in entry.html
    lines = html_to_text(entry.html).text.split("\n")
    assert "Salimos del puerto de Canencia cuando todavía no se veían ni las botas. La niebla se quedó " \
           "pegada a los robles durante toda la mañana." in lines
    assert "El agua estaba helada y nadie quiso mojarse las manos." in lines


def test_wordpress_block_editor_body_is_left_as_is(wordpress):
    html = by_id(wordpress)["12"].html
    assert html.startswith("<!-- wp:paragraph -->\n<p>Con el frío de enero")
    assert "<br>" not in html


def test_wordpress_list_body_gets_no_breaks_between_items(wordpress):
    html = by_id(wordpress)["13"].html
    assert "<ul>\n<li>Agua" in html and "</li>\n<li>" in html
    assert "<br>" not in html


def test_wxr_1_0_and_untyped_categories(tmp_path):
    items = """
<item><title>Viejo</title><link>https://prueba.example.es/?p=3</link>
<dc:creator>Antonio</dc:creator>
<category><![CDATA[Historia]]></category>
<content:encoded><![CDATA[<p>Texto.</p>]]></content:encoded>
<wp:post_id>3</wp:post_id><wp:post_date>2008-02-10 12:00:00</wp:post_date>
<wp:post_date_gmt>2008-02-10 11:00:00</wp:post_date_gmt>
<wp:post_name>viejo</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item>
<item><title>Con dominios</title><link>https://prueba.example.es/?p=4</link>
<category><![CDATA[Historia]]></category>
<category><![CDATA[etiqueta]]></category>
<category domain="category" nicename="historia"><![CDATA[Historia]]></category>
<category domain="tag" nicename="etiqueta"><![CDATA[etiqueta]]></category>
<wp:post_id>4</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item>
<item><title>Menú</title><wp:post_id>5</wp:post_id><wp:post_type>nav_menu_item</wp:post_type></item>
"""
    export = read_export(write(tmp_path, wxr(items, version="1.0")))
    entries = by_id(export)
    assert entries["3"].categories == ["Historia"] and entries["3"].tags == []
    assert entries["3"].author == "Antonio"
    assert entries["3"].date == datetime(2008, 2, 10, 12, tzinfo=PLUS_ONE)
    assert entries["4"].categories == ["Historia"] and entries["4"].tags == ["etiqueta"]
    assert entries["4"].date is None and entries["4"].title == "Con dominios"
    assert export.skipped == {"nav_menu_item": 1}
    assert export.language == ""


def test_polylang_language_is_the_entry_language(tmp_path):
    items = """
<item><title>Hello</title><wp:post_id>8</wp:post_id><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="language" nicename="en"><![CDATA[English]]></category></item>
"""
    assert read_export(write(tmp_path, wxr(items))).entries[0].lang == "en"


# Refused and broken files ------------------------------------------------------------------------


BILLION_LAUGHS = """<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
BOMB_ITEM = "<item><title>&lol9;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type></item>\n"


def test_billion_laughs_is_refused_without_expanding(tmp_path):
    path = write(tmp_path, wxr(BOMB_ITEM, doctype=BILLION_LAUGHS), "bomba.xml")
    assert is_export(path) == "wordpress"
    started = time.monotonic()
    with pytest.raises(ExportError, match=r"bomba\.xml: refused: .*DTD.*billion laughs"):
        read_export(path)
    assert time.monotonic() - started < 1


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secreto.txt"
    secret.write_text("clave-que-no-debe-salir", encoding="utf-8")
    doctype = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    item = "<item><title>&xxe;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type></item>\n"
    path = write(tmp_path, wxr(item, doctype=doctype), "externa.xml")
    with pytest.raises(ExportError, match=r"externa\.xml: refused") as raised:
        read_export(path)
    assert "clave-que-no-debe-salir" not in str(raised.value)


def test_blogger_with_a_dtd_is_refused(tmp_path):
    text = BLOGGER_2018.replace("<feed ", BILLION_LAUGHS.replace("rss", "feed") + "<feed ", 1)
    with pytest.raises(ExportError, match="refused"):
        read_export(write(tmp_path, text))


def test_malformed_xml_names_the_file_and_line(tmp_path):
    items = "<item><title>Bien</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type></item>\n" \
            "<item><title>Mal</titulo></item>\n"
    text = wxr(items)
    line = text.split("\n").index("<item><title>Mal</titulo></item>") + 1
    expected = rf"roto\.xml: malformed XML at line {line}, column \d+: mismatched tag"
    with pytest.raises(ExportError, match=expected):
        read_export(write(tmp_path, text, "roto.xml"))


def test_truncated_export_is_malformed(tmp_path):
    text = (SAMPLE_EXPORTS / "wordpress.xml").read_text(encoding="utf-8")
    with pytest.raises(ExportError, match="cortado.xml: malformed XML at line"):
        read_export(write(tmp_path, text[: len(text) // 2], "cortado.xml"))


# Blogger -----------------------------------------------------------------------------------------


def test_blogger_feed(blogger):
    assert blogger.generator == "blogger"
    assert blogger.title == "Apuntes de la Caleta"
    assert blogger.base_url == "https://apuntesdelacaleta.blogspot.com"
    assert blogger.language == "es"  # settings BLOG_LOCALE es_ES
    assert blogger.skipped == {"settings": 2, "template": 1}


def test_blogger_posts_pages_and_drafts(blogger):
    kinds = Counter((entry.kind, entry.status) for entry in blogger.entries)
    assert kinds == {("post", "publish"): 3, ("post", "draft"): 1, ("page", "publish"): 1}
    entries = by_id(blogger)
    assert entries["1004"].status == "draft" and entries["1004"].url == "" and entries["1004"].slug == ""
    page = entries["2001"]
    assert page.kind == "page" and page.slug == "quien-escribe" and page.title == "Quién escribe"


def test_blogger_post_fields(blogger):
    post = by_id(blogger)["1001"]
    assert post.title == "La Caleta al amanecer"
    assert post.url == "https://apuntesdelacaleta.blogspot.com/2022/08/la-caleta-al-amanecer.html"
    assert post.slug == "la-caleta-al-amanecer"
    assert post.tags == ["fotografía", "Cádiz"] and post.categories == []
    assert post.author == "Carmen Ruiz"
    assert post.html.startswith("<div>A las siete la playa")
    assert post.date == datetime(2022, 8, 14, 7, 10, tzinfo=PLUS_TWO)
    assert post.updated == datetime(2022, 8, 15, 9, 0, tzinfo=PLUS_TWO)


def test_blogger_date_keeps_its_offset_and_local_day(blogger):
    night = by_id(blogger)["1003"].date
    assert night.utcoffset() == timedelta(hours=1)
    assert night.date().day == 19  # 23:20 UTC on the 18th


def test_blogger_comments_are_attached_to_their_posts(blogger):
    entries = by_id(blogger)
    assert entries["1001"].comments == [("Javi", "Qué foto tan bonita del castillo, ¡parece un cuadro!")]
    assert [name for name, _ in entries["1003"].comments] == ["Anónimo"]
    assert entries["1002"].comments == []
    assert sum(len(entry.comments) for entry in blogger.entries) == 2


def test_blogger_2018_takeout_format(tmp_path):
    export = read_export(write(tmp_path, BLOGGER_2018, "feed.atom"))
    assert export.generator == "blogger" and export.title == "Cuaderno nuevo"
    entries = by_id(export)
    assert {key: (entry.kind, entry.status) for key, entry in entries.items()} == {
        "11": ("post", "publish"), "12": ("post", "draft"),
        "13": ("post", "trash"), "14": ("page", "publish"),
    }
    post = entries["11"]
    # No blog address in this format: the URL is the path on the blog.
    assert post.url == "/2020/05/geranios-en-el-balcon.html" and post.slug == "geranios-en-el-balcon"
    assert post.tags == ["plantas"] and post.author == "Inés"
    assert post.excerpt == "Cómo riego los geranios"
    assert post.html == "<p>Riego cada dos días.</p>"
    assert post.date == datetime(2020, 5, 3, 21, 30, tzinfo=UTC)
    assert post.comments == [("Rosa", "Los míos se secaron en agosto.")]
    assert entries["14"].slug == "contacto"
    assert export.skipped == {}


def test_blogger_2018_with_a_blog_address_gets_full_urls(tmp_path):
    text = BLOGGER_2018.replace(
        "<title>Cuaderno nuevo</title>",
        "<title>Cuaderno nuevo</title><link rel='alternate' type='text/html' href='https://cuaderno.example/'/>",
    )
    post = by_id(read_export(write(tmp_path, text)))["11"]
    assert post.url == "https://cuaderno.example/2020/05/geranios-en-el-balcon.html"


def test_blogger_comment_on_a_missing_post_is_counted(tmp_path):
    text = BLOGGER_2018.replace("blog-777.post-11</blogger:parent>", "blog-777.post-99</blogger:parent>")
    export = read_export(write(tmp_path, text))
    assert export.skipped == {"comment": 1}
    assert all(entry.comments == [] for entry in export.entries)


# A real WordPress.com export (../shared, read only) ----------------------------------------------


@pytest.mark.corpus
def test_real_wordpress_com_export():
    if not PINGUINITO.is_file():
        pytest.skip(f"{PINGUINITO} not found")
    export = read_export(PINGUINITO)
    assert export.title == "Pingüinito RAwr"
    assert export.base_url == "https://pinguinitorawr.wordpress.com"
    assert export.language == "en"
    assert Counter((entry.kind, entry.status) for entry in export.entries) == {
        ("post", "publish"): 22, ("post", "draft"): 24, ("page", "publish"): 3,
    }
    assert export.skipped == {"attachment": 7, "nav_menu_item": 3}
    assert sum(len(entry.comments) for entry in export.entries) == 11
    published = [entry for entry in export.entries if entry.kind == "post" and entry.status == "publish"]
    for entry in published:
        # The permalink carries the local day; the date must be on that day, at UTC-7.
        assert f"/{entry.date:%Y/%m/%d}/" in entry.url, (entry.url, entry.date)
        assert entry.date.utcoffset() == timedelta(hours=-7)
    playa = next(entry for entry in published if entry.slug == "playa")
    assert playa.url == "https://pinguinitorawr.wordpress.com/2012/03/07/playa/"
    assert playa.title == "Playa del jamás."
    assert playa.date == datetime(2012, 3, 7, 16, 41, 7, tzinfo=timezone(timedelta(hours=-7)))
    assert playa.categories == ["Blog", "Yo"]
    assert playa.author == "PingüinitoRawr"
    assert playa.html.startswith("<p>Caminar por ésta playa")
    assert "" in {entry.title for entry in export.entries if entry.status == "draft"}
    assert any("creative commons" in entry.tags for entry in export.entries)
    assert "Tú" in {category for entry in export.entries for category in entry.categories}


def test_a_password_protected_post_is_found_by_its_title_only(tmp_path):
    from blogsearch.indexer.run import parse_site

    text = (SAMPLE_EXPORTS / "wordpress.xml").read_text(encoding="utf-8")
    locked = text.replace("<wp:post_password><![CDATA[]]></wp:post_password>",
                          "<wp:post_password><![CDATA[secreto]]></wp:post_password>", 1)
    export = tmp_path / "wordpress.xml"
    export.write_text(locked, encoding="utf-8")
    _, parsed = parse_site(export)
    post = next(p for p in parsed if p.post and p.post.title == "Subida a la Najarra con niebla")
    assert (post.post.body, post.post.comments, post.post.description) == ("", "", "")
    assert post.warnings == ["password-protected: only its title is indexed"]
    others = [p.post for p in parsed if p.post and p is not post]
    assert others and all(p.body for p in others if p.kind == "post")
