"""Known-item search on real blogs of every format: is the post asked for first?

    python bench/formats_eval.py [--formats ../shared/corpus-formats] [--per-blog 40] [--seed 1]
                                 [--queries bench/formats_queries.tsv]

Two query sets. Written: ``formats_queries.tsv`` (blog, query, path), ten queries per blog
written by reading the posts, as a reader who remembers one would type them (no accents, other
word forms, English words, a few typos), never checked against any engine.

Simulated: each site root of the folder (and each WordPress/Blogger export in it) is indexed
as a user would (`index SITE`); for a sample of its posts, a reader's query is simulated the way
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
from blogsearch.indexer.exports import is_export  # noqa: E402
from blogsearch.indexer.run import index_folder, parse_site  # noqa: E402
from blogsearch.search.engine import Engine  # noqa: E402

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


def written_queries(path: Path) -> dict[str, list[tuple[str, str]]]:
    """{blog: [(query, path)]} from a ``blog<TAB>query<TAB>path`` file with a header line."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            blog, query, wanted = line.split("\t")
            found.setdefault(blog, []).append((query, wanted))
    return found


def blog_name(root: Path) -> str:
    return root.name if root.is_dir() else f"{root.parent.name}/{root.name}"


def measure(root: Path, count: int, seed: int, written: list[tuple[str, str]]) -> dict:
    """Index ``root``, run its simulated and written queries on blogsearch and on FTS5."""
    site, parsed = parse_site(root)
    records = [p.post for p in parsed if p.post is not None]
    posts = [p for p in records if p.kind == "post" and p.lang == site.language]
    sets = {"simulated": simulated_queries(posts, count, random.Random(seed)), "written": written}
    fts5 = Fts5(records)
    row = {"blog": blog_name(root), "generator": site.generator, "posts": len(posts)}
    with tempfile.TemporaryDirectory() as index_dir:
        index_folder(root, index_dir, full=True)
        engine = Engine(index_dir)
        for name, queries in sets.items():
            ours = [_rank([hit["path"] for hit in engine.search(
                        query, per_page=10, snippets=False, facets=False)["results"]], path)
                    for query, path in queries]
            theirs = [_rank(fts5.search(query), path) for query, path in queries]
            row[name] = {"queries": len(queries), "ours": _scores(ours), "fts5": _scores(theirs),
                         "missed": [(q, r) for (q, _), r in zip(queries, ours, strict=True) if r != 1]}
        engine.close()
    return row


def _print(rows: list[dict], name: str, title: str) -> None:
    queries = sum(r[name]["queries"] for r in rows)
    if not queries:
        return

    def overall(engine: str, i: int) -> float:
        return sum(r[name][engine][i] * r[name]["queries"] for r in rows) / queries

    lines = [[r["blog"], r["generator"], r["posts"], r[name]["queries"], *r[name]["ours"],
              *r[name]["fts5"]] for r in rows if r[name]["queries"]]
    lines.append(["all", "", sum(r["posts"] for r in rows), queries, overall("ours", 0),
                  overall("ours", 1), overall("fts5", 0), overall("fts5", 1)])
    print(f"\n{title}")
    print(table(["blog", "generator", "posts", "queries", "blogsearch S@1", "MRR@10",
                 "FTS5 S@1", "MRR@10"], lines, ["", "", "", "", ".3f", ".3f", ".3f", ".3f"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", type=Path, default=DEFAULT_SHARED / "corpus-formats")
    parser.add_argument("--per-blog", type=int, default=40, help="simulated queries per blog")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=Path, default=Path(__file__).with_name("formats_queries.tsv"),
                        help="written queries (blog, query, path); none when the file is absent")
    args = parser.parse_args()
    written = written_queries(args.queries) if args.queries.is_file() else {}
    rows = [measure(root, args.per_blog, args.seed, written.get(blog_name(root), []))
            for root in blog_roots(args.formats)]
    _print(rows, "written", f"Written known-item queries ({args.queries.name})")
    _print(rows, "simulated", f"Simulated known-item queries ({WORDS_PER_QUERY} tf-idf words, "
                              f"no accents), seed {args.seed}")
    missed = [(r["blog"], q, rank) for r in rows for q, rank in r["written"]["missed"]]
    if missed:
        print("\nWritten queries whose post is not first (rank, 0 = not in the top 10):")
        for blog, query, rank in missed:
            print(f"  {blog}: {query!r} {rank}")


if __name__ == "__main__":
    main()
