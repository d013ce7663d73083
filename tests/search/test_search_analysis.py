"""The Spanish analysis chain: folding, stemming, stopwords, compound tokens, any script."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blogsearch.search.analysis import (
    SpanishAnalyzer,
    WeightedText,
    accented_term,
    analyze,
    fold,
    is_stopword,
    word_terms,
)


@pytest.mark.parametrize("variant", ["búsqueda", "busqueda", "busquedas", "búsquedas", "BÚSQUEDA",
                                     "Búsquedas", "BUSQUEDAS"])
def test_inflections_case_and_accents_give_the_same_term(variant):
    assert analyze(variant) == analyze("búsqueda")
    assert len(analyze(variant)) == 1


def test_different_words_stay_different():
    assert analyze("casa") != analyze("cosa")
    assert analyze("pan") != analyze("paz")


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("ASP.NET", ["asp", "net"]),
        ("nova-manage", analyze("nova") + analyze("manage")),
        ("10.0.0.0/8", ["10", "0", "8"]),
        ("C#", ["c"]),
    ],
)
def test_compound_tokens_are_kept_whole_and_give_their_parts(token, parts):
    terms = analyze(token)
    assert terms[0] == token.lower()
    assert set(parts) <= set(terms)


@pytest.mark.parametrize("token", ["IPv6", "ipv6", "IPV6"])
def test_letters_and_digits_stay_one_token(token):
    assert analyze(token) == ["ipv6"]


@pytest.mark.parametrize("text", ["Uso C# a diario", "C# y F#"])
def test_sharp_is_part_of_the_token(text):
    assert "c#" in analyze(text)
    assert analyze("C") != analyze("C#")


def test_compound_token_inside_a_sentence():
    terms = analyze("Instalé ASP.NET, C# y nova-manage en la red 10.0.0.0/8.")
    for whole in ("asp.net", "c#", "nova-manage", "10.0.0.0/8"):
        assert whole in terms


@pytest.mark.parametrize("word", ["el", "La", "de", "LOS", "y", "también", "TAMBIÉN", "the", "and", "Él"])
def test_stopwords_are_dropped(word):
    assert is_stopword(word)
    assert analyze(word) == []
    assert word_terms(word) == ()


def test_stopwords_dropped_in_running_text():
    assert analyze("el pan de la abuela") == analyze("pan abuela")


def test_argue_does_not_crash():
    assert analyze("argue") and all(analyze("argue"))
    assert analyze("They argue about it") == [t for w in ("They", "argue", "about") for t in analyze(w)]


@pytest.mark.parametrize(
    "text",
    ["😀🎉 emoji", "東京で寿司を食べた", "مرحبا بالعالم", "Привет мир", "שלום עולם", "नमस्ते",
     "ñandú pingüino", "x" * 10_000, "a\u0301 combinada", "cero\u200banchura", "\x00\x01\x02",
     "ﬁ ligadura", "𝕏𝕪𝕫", "١٢٣ ٤٥٦", "" , "   "],
)
def test_any_script_never_crashes_and_gives_strings(text):
    terms = analyze(text)
    assert all(isinstance(term, str) and term.isascii() for term in terms)
    analyzer = SpanishAnalyzer()
    tokens_out = [token.text for token in analyzer(text, positions=True, chars=True)]
    assert set(terms) <= set(tokens_out)


def test_very_long_token_is_kept():
    word = "supercalifragilistico" * 100
    assert len(analyze(word)) == 1
    assert analyze(word)[0].startswith("supercalifragilistico")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_crashes(text):
    for term in analyze(text):
        assert isinstance(term, str)


@pytest.mark.parametrize(("word", "folded", "exact"), [("año", "ano", "año"), ("Años", "ano", "año"),
                                                       ("Ñandú", "nandu", "ñandu")])
def test_accented_words_also_give_the_unfolded_term(word, folded, exact):
    terms = word_terms(word)
    assert terms[0] == folded
    assert exact in terms
    assert accented_term(word) == exact
    assert analyze(word) == [folded]  # analyze() leaves the unfolded variant out


@pytest.mark.parametrize("word", ["ano", "casa", "IPv6", "ASP.NET", "el", "año-nuevo"])
def test_unaccented_or_compound_words_have_no_accent_term(word):
    assert accented_term(word) is None


def test_fold():
    assert fold("Búsqueda ÁÉÍÓÚ ñ Ü") == "busquedaaeiounu"
    assert fold("plain") == "plain"


def test_weighted_sections_carry_their_weight_and_never_form_phrases():
    value = WeightedText([("Gazpacho andaluz", 5.0), ("receta fría", 1.0)])
    assert str(value) == "Gazpacho andaluz\nreceta fría"
    found = [(t.text, t.boost, t.pos) for t in SpanishAnalyzer()(value, positions=True)]
    boosts = {text: boost for text, boost, _ in found}
    assert boosts[analyze("gazpacho")[0]] == 5.0
    assert boosts[analyze("receta")[0]] == 1.0
    positions = {text: pos for text, _, pos in found}
    # the last word of one section and the first of the next are far apart
    assert positions[analyze("receta")[0]] - positions[analyze("andaluz")[0]] > 10


@pytest.mark.parametrize("word", ["Ͱ", "ɂ", "𠀀", "ϴ"])
def test_no_word_gives_an_empty_term(word):
    assert word_terms(word)
    assert "" not in word_terms(word)


def test_untransliterable_letters_do_not_collide(make_engine, post):
    search = make_engine({"a.md": post("Letras raras", "Una letra Ͱ suelta."),
                          "b.md": post("Otras letras", "Una letra ɂ suelta.")})
    assert [hit["path"] for hit in search.search("Ͱ")["results"]] == ["a.md"]
    assert [hit["path"] for hit in search.search("ɂ")["results"]] == ["b.md"]
