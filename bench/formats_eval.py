"""Known-item search on real blogs of every format: simulated queries, the post asked first?

    python bench/formats_eval.py [--formats ../shared/corpus-formats] [--per-blog 40] [--seed 1]

Each site root of the folder (and each WordPress/Blogger export in it) is indexed as a user
would (`index SITE`). For a sample of its posts, a reader's query is simulated the way
known-item studies do (Azzopardi, de Rijke & Balog, SIGIR 2007): three words drawn from the
post, each with a chance proportional to its tf-idf in the blog, typed in lower case without
accents. Prints, per blog, how often the post comes first (Success@1) and MRR@10, for
blogsearch and for SQLite FTS5 (OR of words, bm25) over the same records. The queries are made
anew from any blog, so a blog never seen before is measured the same way.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import DEFAULT_SHARED, Fts5, table  # noqa: E402
from indexer.exports import is_export  # noqa: E402
from indexer.run import index_folder, parse_site  # noqa: E402
from search.engine import Engine  # noqa: E402

WORDS_PER_QUERY = 3
_WORD = re.compile(r"[^\W\d_]{4,}")


def blog_roots(folder: Path) -> list[Path]:
    """The site roots in ``folder``, or the export file a folder holds instead of a site."""
    roots = []
    for entry in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        exports = [f for f in sorted(entry.iterdir()) if f.is_file() and f.suffix == ".xml"
                   and is_export(f)]
        roots.append(exports[0] if exports else entry)
    return roots


def _words(text: str) -> list[str]:
    return [unidecode(w) for w in _WORD.findall(text.lower())]


def simulated_queries(posts: list, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(query, path) for up to ``count`` posts: tf-idf-weighted words of each post."""
    bags = {post.path: Counter(_words(f"{post.title} {post.body}")) for post in posts}
    frequency = Counter(word for bag in bags.values() for word in bag)
    queries = []
    for post in rng.sample(posts, min(count, len(posts))):
        bag = bags[post.path]
        if len(bag) < WORDS_PER_QUERY:
            continue
        words = list(bag)
        weights = [bag[w] * math.log(len(posts) / frequency[w]) for w in words]
        if sum(weights) <= 0:
            continue
        chosen: list[str] = []
        while len(chosen) < WORDS_PER_QUERY:
            word = rng.choices(words, weights)[0]
            if word not in chosen:
                chosen.append(word)
        queries.append((" ".join(chosen), post.path))
    return queries


def _scores(ranks: list[int]) -> tuple[float, float]:
    """(Success@1, MRR@10) of the ranks of the wanted posts (0: not in the top 10)."""
    if not ranks:
        return 0.0, 0.0
    return sum(r == 1 for r in ranks) / len(ranks), sum(1 / r for r in ranks if r) / len(ranks)


def _rank(paths: list[str], wanted: str) -> int:
    return paths.index(wanted) + 1 if wanted in paths else 0


def measure(root: Path, count: int, seed: int) -> dict:
    """Index ``root``, run its simulated queries on blogsearch and on FTS5: the figures."""
    site, parsed = parse_site(root)
    records = [p.post for p in parsed if p.post is not None]
    posts = [p for p in records if p.kind == "post" and p.lang == site.language]
    queries = simulated_queries(posts, count, random.Random(seed))
    fts5 = Fts5(records)
    with tempfile.TemporaryDirectory() as index_dir:
        index_folder(root, index_dir, full=True)
        engine = Engine(index_dir)
        ours = [_rank([hit["path"] for hit in engine.search(
                    query, per_page=10, snippets=False, facets=False)["results"]], path)
                for query, path in queries]
        engine.close()
    theirs = [_rank(fts5.search(query), path) for query, path in queries]
    return {"blog": root.name if root.is_dir() else f"{root.parent.name}/{root.name}",
            "generator": site.generator, "posts": len(posts), "queries": len(queries),
            "ours": _scores(ours), "fts5": _scores(theirs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", type=Path, default=DEFAULT_SHARED / "corpus-formats")
    parser.add_argument("--per-blog", type=int, default=40, help="simulated queries per blog")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = [measure(root, args.per_blog, args.seed) for root in blog_roots(args.formats)]
    queries = sum(r["queries"] for r in rows)

    def overall(engine: str, i: int) -> float:
        return sum(r[engine][i] * r["queries"] for r in rows) / queries

    rows.append({"blog": "all", "generator": "", "posts": sum(r["posts"] for r in rows),
                 "queries": queries, "ours": (overall("ours", 0), overall("ours", 1)),
                 "fts5": (overall("fts5", 0), overall("fts5", 1))})
    print(f"Simulated known-item queries ({WORDS_PER_QUERY} tf-idf words, no accents), "
          f"seed {args.seed}")
    print(table(["blog", "generator", "posts", "queries", "blogsearch S@1", "MRR@10",
                 "FTS5 S@1", "MRR@10"],
                [[r["blog"], r["generator"], r["posts"], r["queries"], *r["ours"], *r["fts5"]]
                 for r in rows], ["", "", "", "", ".3f", ".3f", ".3f", ".3f"]))


if __name__ == "__main__":
    main()
