"""An exported trailing ``## Comments`` / ``## Comentarios`` section goes to the comments field."""

from __future__ import annotations

from blogsearch.indexer.comments import split_comments

ENGLISH = """Texto del post sobre la Albufera.

## Comments

### Comment by María López on 2021-05-03 10:12:00 +0000
¡Qué fotos! Terminamos comiendo una **paella** en El Palmar.

### Comment by Juan Pérez on Tue, 04 May 2021 08:00:00 +0000
Muy buen consejo lo de la obturación.
"""

SPANISH = """Texto del post sobre OpenStack.

## Comentarios

### Comentario de Pablo Ruiz el 2017-02-06 11:20:00 +0100
Muy &uacute;til, gracias.

### Comentario de lucia el 2017-02-06 19:03:00 +0100
De nada, Pablo.
"""


def test_english_export_is_split_off():
    body, comments = split_comments(ENGLISH)
    assert body == "Texto del post sobre la Albufera."
    assert [name for name, _ in comments] == ["María López", "Juan Pérez"]
    assert "paella" in comments[0][1]
    assert comments[1][1] == "Muy buen consejo lo de la obturación."


def test_spanish_export_is_split_off():
    body, comments = split_comments(SPANISH)
    assert body == "Texto del post sobre OpenStack."
    assert [name for name, _ in comments] == ["Pablo Ruiz", "lucia"]
    assert comments[1][1] == "De nada, Pablo."


def test_comments_field_holds_names_and_clean_text(parse):
    post = parse(f"---\ntitle: Albufera\n---\n{ENGLISH}")
    assert post.body == "Texto del post sobre la Albufera."
    assert "María López" in post.comments and "Juan Pérez" in post.comments
    assert "paella" in post.comments and "**" not in post.comments
    assert "paella" not in post.body and "María" not in post.body and "Comments" not in post.body


def test_spanish_comments_field_has_entities_decoded(parse):
    post = parse(f"---\ntitle: OpenStack\n---\n{SPANISH}")
    assert "Muy útil, gracias." in post.comments
    assert "Pablo Ruiz" in post.comments
    assert "Comentarios" not in post.body and "útil" not in post.body


def test_empty_trailing_comments_heading_is_dropped():
    body, comments = split_comments("Texto.\n\n## Comments\n\n")
    assert body == "Texto."
    assert comments == []


def test_comments_heading_with_prose_stays_in_the_body(parse):
    text = "Intro.\n\n## Comments\n\nEn esta sección explico cómo moderar comentarios.\n"
    assert split_comments(text) == (text, [])
    post = parse(f"---\ntitle: Moderar\n---\n{text}")
    assert "cómo moderar comentarios" in post.body
    assert post.comments == ""


def test_comments_heading_in_the_middle_stays_in_the_body(parse):
    text = "## Comentarios\n\nCómo gestionarlos en WordPress.\n\n## Conclusión\n\nAsí de fácil.\n"
    post = parse(f"---\ntitle: Gestionar\n---\n{text}")
    assert "Cómo gestionarlos en WordPress." in post.body
    assert "Así de fácil." in post.body
    assert post.comments == ""


def test_only_the_last_comments_heading_is_the_export():
    text = "## Comments\n\nUna sección normal.\n\n" + ENGLISH.split("\n", 1)[1]
    body, comments = split_comments(text)
    assert "Una sección normal." in body
    assert len(comments) == 2


def test_no_comments_section():
    text = "Texto sin comentarios.\n\n## Otra sección\n\nMás.\n"
    assert split_comments(text) == (text, [])


def test_sample_english_comments(parse_sample):
    post = parse_sample("posts/2021/albufera-al-atardecer/index.md")
    assert "paella" in post.comments and "María López" in post.comments and "Juan Pérez" in post.comments
    assert "paella" not in post.body
    assert post.body.endswith("Pocas cosas tan cerca de una ciudad dan tanta paz.")


def test_sample_spanish_comments(parse_sample):
    post = parse_sample("_posts/2017-02-05-openstack-nova-manage.md")
    assert "Pablo Ruiz" in post.comments
    assert "¿Sabes si sigue existiendo en las versiones nuevas?" in post.comments
    assert "Pablo" not in post.body
    assert post.body.endswith("¡Avisados estáis!")


def test_section_after_the_comments_stays_in_the_body(parse):
    post = parse("---\ntitle: t\n---\nIntro del post.\n\n## Comments\n\n"
                 "### Comment by Ana on 2020-01-01\nHola.\n\n## Conclusión\n\nTexto final del artículo.\n")
    assert "Texto final del artículo." in post.body
    assert "Texto final" not in post.comments
