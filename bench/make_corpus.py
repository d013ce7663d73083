"""A deterministic synthetic Spanish blog of N posts, recombined from ../shared/corpus at run time.

    python bench/make_corpus.py N OUT [--seed 1] [--source ../shared/corpus]

Reads the real posts (front matter and text), then writes N Markdown posts under
``OUT/content/posts/YYYY/``: YAML front matter (title, date, author, tags, categories,
sometimes a description) and a body of paragraphs whose sentences are drawn from the real
posts, with the real posts' length distribution, some headings, bold words, links, lists and
fenced code. Titles are halves of two real titles; tags and categories are drawn with their
real frequencies. The same N, seed and source give the same files, byte for byte; nothing of
the source is stored in the repository. OUT must be empty or missing.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SUFFIXES = (".md", ".markdown", ".html", ".htm")

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}", re.DOTALL)
_TAG = re.compile(r"<[^>]{0,400}>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REFDEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_MARKUP = re.compile(r"[*_`#>|~]+")
_URL = re.compile(r"https?://\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[¿¡\"«(A-ZÁÉÍÓÚÑ0-9])")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # YAML refuses them
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Pools:
    """What the synthetic posts are made of, in a stable order."""

    sentences: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # one entry per use: real frequencies
    categories: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    shapes: list[list[int]] = field(default_factory=list)  # sentences per paragraph, per post


def _files(source: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(SUFFIXES) and not name.startswith(("_", ".")):
                found.append(Path(dirpath) / name)
    return found


def _front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            try:
                data = yaml.load(text[3:end], Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                data = None
            return (data if isinstance(data, dict) else {}), text[end + 4:]
    return {}, text


def _values(value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if str(v).strip() and not isinstance(v, dict | list)]


def _plain(text: str) -> str:
    text = _SHORTCODE.sub(" ", text)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _REFDEF.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _URL.sub(" ", text)
    return _CONTROL.sub("", _MARKUP.sub("", text))


def read_pools(source: Path) -> Pools:
    """Sentences, titles, taxonomies, authors, code blocks and post shapes of the real blog."""
    pools = Pools()
    seen_sentences: dict[str, None] = {}
    for path in _files(source):
        text = path.read_bytes().replace(b"\x00", b"").decode("utf-8", errors="replace")
        meta, body = _front_matter(text)
        title = str(meta.get("title") or "").strip()
        if title:
            pools.titles.append(_SPACES.sub(" ", _CONTROL.sub("", title)))
        for key, value in meta.items():
            key = str(key).lower()
            if key.endswith("tags"):
                pools.tags.extend(_values(value))
            elif key.endswith("categories"):
                pools.categories.extend(_values(value))
            elif key == "author":
                pools.authors.extend(_values(value))
        pools.code.extend(block.strip("\n") for block in _FENCE.findall(body)
                          if 20 < len(block) < 2000)
        body = _FENCE.sub(" ", body)
        shape = []
        for paragraph in re.split(r"\n\s*\n", _plain(body)):
            paragraph = _SPACES.sub(" ", paragraph).strip()
            sentences = [s for s in _SENTENCE_END.split(paragraph)
                         if 4 <= len(s.split()) <= 80 and sum(c.isalpha() for c in s) > len(s) / 2]
            if sentences:
                shape.append(len(sentences))
                for sentence in sentences:
                    seen_sentences.setdefault(sentence)
        if shape:
            pools.shapes.append(shape[:60])
    pools.sentences = list(seen_sentences)
    if not pools.sentences or not pools.titles:
        sys.exit(f"{source}: found no posts to sample from")
    pools.categories = pools.categories or ["General"]
    pools.authors = pools.authors or ["Anónimo"]
    return pools


def _slug(title: str, number: int) -> str:
    from unicodedata import normalize

    ascii_title = normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = _SLUG.sub("-", ascii_title).strip("-")[:60].strip("-")
    return f"{words or 'post'}-{number}"


def _title(rng: random.Random, pools: Pools) -> str:
    first, second = rng.choice(pools.titles).split(), rng.choice(pools.titles).split()
    if len(first) < 2 or len(second) < 2:
        return " ".join(first + second)
    return " ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2:])


def _decorate(rng: random.Random, sentence: str) -> str:
    """Markdown a writer would add: a bold word or a link, now and then."""
    words = sentence.split(" ")
    roll = rng.random()
    if roll < 0.08 and len(words) > 3:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    elif roll < 0.14 and len(words) > 3:
        i = rng.randrange(len(words) - 1)
        slug = _SLUG.sub("-", words[i].lower()).strip("-") or "enlace"
        words[i] = f"[{words[i]} {words[i + 1]}](https://example.com/{slug}/)"
        del words[i + 1]
    return " ".join(words)


def make_post(rng: random.Random, pools: Pools, number: int) -> tuple[str, str]:
    """(relative path, file text) of synthetic post ``number``."""
    title = _title(rng, pools)
    year = rng.randint(2005, 2024)
    date = (f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+01:00")
    tags = list(dict.fromkeys(rng.choice(pools.tags) for _ in range(rng.randint(0, 4))
                              if pools.tags))
    categories = list(dict.fromkeys(rng.choice(pools.categories)
                                    for _ in range(rng.choice((1, 1, 1, 2)))))
    front = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"date: {date}",
        f"author: {json.dumps(rng.choice(pools.authors), ensure_ascii=False)}",
        f"tags: {json.dumps(tags, ensure_ascii=False)}",
        f"categories: {json.dumps(categories, ensure_ascii=False)}",
    ]
    if rng.random() < 0.3:
        front.append(f"description: {json.dumps(rng.choice(pools.sentences), ensure_ascii=False)}")
    front.append("---")
    paragraphs = []
    for count in rng.choice(pools.shapes):
        roll = rng.random()
        if roll < 0.06:
            heading = rng.choice(pools.sentences).rstrip(".!?…")
            paragraphs.append("## " + " ".join(heading.split()[:8]))
        elif roll < 0.10:
            paragraphs.append("\n".join(f"- {rng.choice(pools.sentences)}"
                                        for _ in range(max(2, count))))
            continue
        elif roll < 0.13 and pools.code:
            paragraphs.append(f"```\n{rng.choice(pools.code)}\n```")
        paragraphs.append(" ".join(_decorate(rng, rng.choice(pools.sentences))
                                   for _ in range(count)))
    text = "\n".join(front) + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return f"content/posts/{year}/{_slug(title, number)}.md", text


def generate(n: int, out: Path, seed: int, source: Path) -> tuple[int, int]:
    """Write ``n`` posts under ``out``: (files, bytes)."""
    pools = read_pools(source)
    rng = random.Random(seed)
    total = 0
    made: set[Path] = set()
    for number in range(1, n + 1):
        rel, text = make_post(rng, pools, number)
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return n, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of posts")
    parser.add_argument("out", type=Path, help="output folder (created; must be empty)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()
    if args.n < 1:
        parser.error("N must be at least 1")
    if not args.source.is_dir():
        parser.error(f"{args.source}: source corpus not found")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out}: exists and is not empty")
    started = time.perf_counter()
    files, size = generate(args.n, args.out, args.seed, args.source)
    print(f"{files} posts, {size / 1e6:.1f} MB in {args.out} "
          f"(seed {args.seed}, {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
