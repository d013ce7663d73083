"""Bytes → text: UTF-8 (with or without BOM), cp1252 fallback, NUL bytes, binary files."""

from __future__ import annotations

import pytest

from blogsearch.indexer.frontmatter_reader import PostError
from blogsearch.indexer.reading import decode

POST = "---\ntitle: Café con “comillas”\ntags: [España]\n---\nOtoño en Jaén… 45 €\n"


def test_utf8_without_warnings(parse_file):
    parsed = parse_file(POST.encode("utf-8"))
    assert parsed.warnings == []
    assert parsed.post.title == "Café con “comillas”"
    assert parsed.post.body == "Otoño en Jaén… 45 €"


def test_utf8_bom_is_dropped_and_front_matter_still_found(parse_file):
    parsed = parse_file(b"\xef\xbb\xbf" + POST.encode("utf-8"))
    assert parsed.warnings == []
    assert parsed.post.title == "Café con “comillas”"
    assert parsed.post.tags == ["España"]
    assert "\ufeff" not in parsed.post.body


def test_cp1252_fallback_with_a_warning(parse_file):
    parsed = parse_file(POST.encode("cp1252"))
    assert parsed.post.title == "Café con “comillas”"
    assert parsed.post.body == "Otoño en Jaén… 45 €"
    assert len(parsed.warnings) == 1
    assert "UTF-8" in parsed.warnings[0] and "cp1252" in parsed.warnings[0]


def test_bytes_not_in_cp1252_still_decode():
    text, warnings = decode("Año ".encode("cp1252") + b"\x81\x8d")
    assert text.startswith("Año ")
    assert warnings and "UTF-8" in warnings[0]


def test_crlf_line_endings_become_lf(parse):
    post = parse(POST.replace("\n", "\r\n").encode("utf-8"))
    assert post.title == "Café con “comillas”"
    assert "\r" not in post.body


def test_nul_bytes_are_stripped_with_a_warning(parse_file):
    raw = POST.replace("Jaén", "Ja\x00\x00én").encode("utf-8")
    parsed = parse_file(raw)
    assert parsed.post.body == "Otoño en Jaén… 45 €"
    assert len(parsed.warnings) == 1
    assert "2 NUL" in parsed.warnings[0]


@pytest.mark.parametrize(
    "raw",
    [bytes(range(256)) * 8, b"\x89PNG\r\n\x1a\n" + b"\x00" * 200 + b"IHDR" * 10,
     b"\x01\x02\x03\x04\x05\x06\x07\x08" * 10],
    ids=["all-bytes", "png", "control-chars"],
)
def test_binary_files_are_rejected(parse_file, raw):
    with pytest.raises(PostError, match="binary"):
        parse_file(raw, "imagen.md")


def test_sample_cp1252_file(sample_blog, parse_file):
    rel = "blog/2019-11-02-texto-en-cp1252.md"
    parsed = parse_file((sample_blog / rel).read_bytes(), rel)
    post = parsed.post
    assert any("cp1252" in w for w in parsed.warnings)
    assert post.author == "Lucía Martín"
    assert "Jaén" in post.tags
    assert "45 €" in post.body
    assert "Merece muchísimo la pena!" in post.body
    assert "…" in post.body  # byte 0x85 is an ellipsis in cp1252, not NEL as in Latin-1
    assert "\x85" not in post.body
