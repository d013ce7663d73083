"""The Spanish analysis chain, defined once and used for indexing, queries and snippets.

Each word the tokenizer finds goes through the same small steps, composed in ``word_terms``:

1. ``ASP.NET``, ``C#``, ``IPv6``, ``nova-manage``, ``10.0.0.0/8`` stay whole and also give
   their parts (``asp``, ``net``), so both spellings find them;
2. lowercase, then accent folding with unidecode (``Búsquedas`` → ``busquedas``);
3. Spanish (and the commonest English) stopwords dropped;
4. Snowball stemming (PyStemmer: C speed, any word of any language is safe), Spanish:
   ``búsqueda``, ``busquedas`` and ``BÚSQUEDA`` all become ``busqued``; English for the words
   wordfreq's lists say are English and not Spanish (``wordlists.py``), so ``solid`` stays
   ``solid`` instead of becoming ``sol`` and ``emulators`` meets ``emuladores`` at ``emul``;
5. a word written with accents or ``ñ`` also gives its unfolded stem (``año``), so ranking can
   put ``año`` above ``ano`` when the reader typed the accent. Folded terms are pure ASCII,
   so the two never collide.

The result of a word is cached, and ``SpanishAnalyzer`` runs the steps in one pass over the
text: Whoosh calls it for every field of every post, so it must be fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import Stemmer
from unidecode import unidecode
from whoosh.analysis import Analyzer, Token
from whoosh.formats import Positions

from .whoosh_internals.positions_format import encode_positions
from .wordlists import english_stem, is_english

# A word, optionally joined to more words by . - / (ASP.NET, nova-manage, 10.0.0.0/8),
# optionally ending in # or + (C#, C++, F#).
TOKEN_PATTERN = re.compile(r"\w+(?:[.\-/]\w+)*[#+]*")
_PART = re.compile(r"[^\W_]+")

SPANISH_STOPWORDS = frozenset(
    """
    a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante
    e el ella ellas ellos en entre era erais eran eras eres es esa esas ese eso esos esta estaba
    estado estais estamos estan estar estas este esto estos estoy fue fueron fui fuimos ha habeis
    haber habia habian han has hasta hay he la las le les lo los me mi mis mucho muchos muy nada
    ni no nos nosotros o os otra otras otro otros para pero poco por porque que quien quienes se
    sea sean ser si sido sin sobre sois somos son soy su sus suya suyo tambien tanto te tenemos
    tener tengo ti tiene tienen toda todas todo todos tu tus un una uno unos vosotros y ya yo
    the of and to in is it that for on with as are was be this by an or at from
    """.split()
)

_stemmer = Stemmer.Stemmer("spanish")


def fold(text: str) -> str:
    """Lowercase ASCII form of ``text``: accents removed, other scripts transliterated."""
    if text.isascii():
        return text.lower()
    return unidecode(text).replace(" ", "").lower()


def stem(word: str) -> str:
    """Snowball stem of a lowercase word, English for English words, else Spanish; numbers
    and mixed tokens are kept whole.

    Snowball leaves some plurals alone (short words like ``años``, English ones like
    ``viewmodels``); when it changes nothing, a final ``-s`` is dropped and the rest stemmed.
    """
    if not word.isalpha():
        return word
    if is_english(word):
        return english_stem(word)
    stemmed = _stemmer.stemWord(word)
    if stemmed == word and len(word) > 3 and word[-1] == "s" and word[-2] != "s":
        return _stemmer.stemWord(word[:-1])
    return stemmed


def is_stopword(word: str) -> bool:
    """True for a Spanish or common English stopword, in any case, with or without accents."""
    return fold(word) in SPANISH_STOPWORDS


@lru_cache(maxsize=300_000)
def word_terms(word: str) -> tuple[str, ...]:
    """Index terms of one token as the tokenizer found it; empty for a stopword."""
    lower = word.lower()
    folded = fold(lower) or lower  # letters unidecode cannot transliterate stay as they are
    if folded in SPANISH_STOPWORDS:
        return ()
    if not lower.isalnum():  # a compound: ASP.NET, C#, nova-manage, 10.0.0.0/8
        parts = [
            term
            for part in _PART.findall(lower)
            if part != lower
            for term in word_terms(part)
        ]
        return tuple(dict.fromkeys([folded, *parts]))
    terms = [stem(folded)]
    if folded != lower:
        exact = stem(lower)
        if exact != terms[0]:
            terms.append(exact)
    return tuple(terms)


def accented_term(word: str) -> str | None:
    """The unfolded term of ``word`` when it carries accents or ``ñ`` (else None)."""
    lower = word.lower()
    if lower.isascii() or not lower.isalnum() or fold(lower) in SPANISH_STOPWORDS:
        return None
    return stem(lower)


def analyze(text: str) -> list[str]:
    """Folded index terms of ``text`` in order (the unfolded accent variants left out)."""
    out = []
    for match in TOKEN_PATTERN.finditer(text):
        out.extend(t for t in word_terms(match.group()) if t.isascii())
    return out


def phrase_terms(text: str) -> list[tuple[str, int]]:
    """(main term, position) of each non-stopword word of ``text``; positions count the
    stopwords too, as the index does."""
    found = []
    for pos, word in enumerate(TOKEN_PATTERN.findall(text)):
        terms = word_terms(word)
        if terms:
            found.append((terms[0], pos))
    return found


SECTION_GAP = 100  # positions left between sections, so phrases never span two of them
# Positions left between two blocks of a section (paragraphs, headings, list items, table
# cells: a line break in the cleaned text), so a phrase or a proximity bonus never joins the
# last word of one to the first of the next.
BLOCK_GAP = 20


class WeightedText(str):
    """Text made of ``(text, weight)`` sections; a str so Whoosh hands it to the analyser."""

    sections: list[tuple[str, float]]

    def __new__(cls, sections: list[tuple[str, float]]) -> WeightedText:
        obj = super().__new__(cls, "\n".join(text for text, _ in sections))
        obj.sections = sections
        return obj


class SpanishAnalyzer(Analyzer):
    """Whoosh analyser running the whole Spanish chain in one pass (see module docstring).

    Besides a string it takes a ``WeightedText``: every token of a section
    carries its weight as boost, so one field holds title, tags, body... each with its own
    weight, and BM25 sees their weighted term frequencies (BM25F).
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpanishAnalyzer)

    def __hash__(self) -> int:
        return hash(SpanishAnalyzer)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            for term in word_terms(value):
                token.text = term
                token.boost = 1.0
                token.stopped = False
                yield token
            return
        sections = getattr(value, "sections", None) or [(value, 1.0)]
        pos = start_pos
        for text, weight in sections:
            cursor = -1  # where the previous token ended; -1 before the first
            for match in TOKEN_PATTERN.finditer(text):
                if cursor >= 0 and text.find("\n", cursor, match.start()) != -1:
                    pos += BLOCK_GAP
                cursor = match.end()
                for term in word_terms(match.group()):
                    token.text = term
                    token.boost = weight
                    token.stopped = False
                    if positions:
                        token.pos = pos
                    if chars:
                        token.startchar = start_char + match.start()
                        token.endchar = start_char + match.end()
                    yield token
                pos += 1
            pos += SECTION_GAP


def term_positions(value: str) -> dict[str, list]:
    """Every term of ``value`` (a str or WeightedText) with ``[positions, summed weight]``;
    blocks (lines) of a section ``BLOCK_GAP`` positions apart.

    The same tokens, positions and weights as ``SpanishAnalyzer`` yields, computed in one tight
    loop: indexing spends most of its time here.
    """
    found: dict[str, list] = {}
    get = found.get
    pos = 0
    for text, weight in getattr(value, "sections", None) or [(value, 1.0)]:
        gap = 0  # BLOCK_GAP once a block of this section had words
        for line in text.split("\n"):
            words = TOKEN_PATTERN.findall(line)
            if not words:
                continue
            pos += gap
            gap = BLOCK_GAP
            for word in words:
                for term in word_terms(word):
                    entry = get(term)
                    if entry is None:
                        found[term] = [[pos], weight]
                    else:
                        entry[0].append(pos)
                        entry[1] += weight
                pos += 1
        pos += SECTION_GAP
    return found


class SpanishPositions(Positions):
    """Whoosh's positions format, fed by ``term_positions`` instead of token by token."""

    # The same bytes as ``Positions.encode``: the count, then the pickled gaps.
    encode = staticmethod(encode_positions)

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        for term, (positions, weight) in term_positions(value).items():
            yield term, len(positions), weight * boost, self.encode(positions)


def spanish_analyzer() -> SpanishAnalyzer:
    """The analyser of every searchable text field."""
    return SpanishAnalyzer()


def facet_key(value: str) -> str:
    """The key a facet value is counted and filtered by (case and accents ignored)."""
    key = fold(value).strip() or value.strip().lower()  # 🎉 has no ASCII form: keep it
    return key.replace(",", " ")
