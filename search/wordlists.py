"""What wordfreq's word lists for English and Spanish tell about a word: whether to stem it
as English, and whether it is a real word at all.

Spanish blogs are full of English words (``Metal Gear Solid``, ``emulator``, ``tools``) that
the Spanish stemmer cuts as if they were Spanish: ``solid`` becomes ``sol``, the stem of
``sol`` and ``solo``. A word is stemmed as English when it is clearly an English word and not
a Spanish one: common enough in English to be sure of it, rare in Spanish, and markedly more
frequent in English than in Spanish. Words spelled the same in both languages and common in
Spanish (``real``, ``final``, ``come``) stay Spanish.

A word found in either list often enough (``docker``, ``terraform``, ``rust``) is a real word,
not a typo: spelling correction only undoes Spanish slips in it, never turns it into another
word (``docker`` into ``decker``). Typos themselves turn up in the lists too, but rarely.
"""

from __future__ import annotations

import gzip
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

import msgpack
import Stemmer
import wordfreq

ENGLISH_FLOOR = 2.0  # Zipf frequency (log10 per billion words) an English word needs at least
SPANISH_CEILING = 4.0  # a word this common in Spanish is Spanish, whatever English says
MARGIN = 1.0  # English must be ten times as frequent as Spanish
KNOWN_WORD = 1.8  # a word this frequent in either language is a real word (typos stay below)

_english = Stemmer.Stemmer("english")


def zipf_buckets(language: str) -> Iterator[list[str]]:
    """wordfreq's large list for ``language``: words by frequency, bucket ``i`` at ``-i``
    centibels (Zipf ``9 - i / 100``). Streamed bucket by bucket from its file (the format
    ``wordfreq.read_cBpack`` reads), so the whole list is never in memory at once."""
    path = wordfreq.available_languages("large")[language]
    with gzip.open(path, "rb") as packed:
        unpacker = msgpack.Unpacker(packed, raw=False)
        count = unpacker.read_array_header()
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB":
            yield from wordfreq.read_cBpack(path)  # another format: wordfreq says what is wrong
            return
        for _ in range(count - 1):
            yield unpacker.unpack()


@lru_cache(maxsize=1)
def read_lists() -> tuple[array, array]:
    """Sorted hashes of the words to stem as English (only those whose English and Spanish
    stems differ: for the others the choice changes nothing) and of the real words. Read once
    per process, in under a second; kept as two arrays of a couple of megabytes (the words
    themselves, as Python strings, would take ten times the room)."""
    floor = round((9 - min(ENGLISH_FLOOR, KNOWN_WORD)) * 100)
    # Stemmers without a cache: a cache would keep strings of the lists alive, and with them
    # much of the memory the lists took while being read.
    english_stemmer, spanish_stemmer = Stemmer.Stemmer("english", 0), Stemmer.Stemmer("spanish", 0)
    english: dict[int, float] = {}
    known = array("q")
    for index, bucket in enumerate(islice(zipf_buckets("en"), floor + 1)):
        zipf = 9 - index / 100
        for word in bucket:
            if zipf >= KNOWN_WORD:
                known.append(hash(word))
            if (zipf >= ENGLISH_FLOOR and word.isascii() and word.isalpha()
                    and english_stemmer.stemWord(word) != spanish_stemmer.stemWord(word)):
                english[hash(word)] = zipf
    for index, bucket in enumerate(zipf_buckets("es")):
        zipf = 9 - index / 100
        for word in bucket:
            key = hash(word)
            if zipf >= KNOWN_WORD:
                known.append(key)
            found = english.get(key)
            if found is not None and (zipf >= SPANISH_CEILING or found < zipf + MARGIN):
                del english[key]
    return array("q", sorted(english)), array("q", sorted(known))


def load_wordlists() -> None:
    """Read the word lists now (else the first word looked up reads them)."""
    read_lists()


def _holds(hashes: array, word: str) -> bool:
    key = hash(word)
    at = bisect_left(hashes, key)
    return at < len(hashes) and hashes[at] == key


def is_english(word: str) -> bool:
    """True when ``word`` (lowercase) is to be stemmed as English."""
    return _holds(read_lists()[0], word)


def is_known_word(word: str) -> bool:
    """True when ``word`` (lowercase, as typed) is a real English or Spanish word."""
    return _holds(read_lists()[1], word)


def english_stem(word: str) -> str:
    """English Snowball stem of a lowercase word (``emulators`` → ``emul``)."""
    return _english.stemWord(word)
