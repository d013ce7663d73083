"""In-process query latency: Engine.search (snippets and facets on) against bare Whoosh and FTS5.

    python bench/query_latency.py [--corpus ../shared/corpus] [--index DIR] [--eval DIR]
                                  [--repeat 3] [--seed 1] [--cold 5]

Builds a blogsearch index of the corpus in a temporary folder (or uses ``--index``, an index of
that corpus), then times ``Engine.search(q)`` (page 1, 10 per page, snippets and facets on, as
the page and the API ask) for the ../shared/eval queries and a mix drawn from the corpus with
``--seed``: one word, many words, a phrase, a word plus a filter (tag, year), sorted by date,
typos, prefixes, and search-as-you-type (``Engine.suggest`` on the first letters of a title).
Warm: one engine, every query run once first, then ``--repeat`` timed rounds. Cold: a fresh
Python process opens the index and times its first search (``--cold`` processes; the files
are in the OS cache, Python's are not).

Baselines in the same process, on the same cleaned records and the same query texts: bare
Whoosh (StandardAnalyzer, title and body, top 10, no snippets, no facets) and SQLite FTS5
(OR of the words, bm25, top 10 with FTS5's snippet() and a count). Ratios are blogsearch's
p50 over the baseline's.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    DEFAULT_SHARED,
    BareWhoosh,
    Fts5,
    load_records,
    loadavg,
    quantiles,
    rss_bytes,
    rss_parts,
    table,
)

MB = 1024 * 1024
PER_KIND = 40
_WORD = re.compile(r"[^\W\d_]{4,}")
COLD_SCRIPT = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from blogsearch.search.engine import Engine
queries = json.loads(sys.argv[3])
started = time.perf_counter()
engine = Engine(sys.argv[2])
engine.search(queries[0])
first = time.perf_counter() - started
started = time.perf_counter()
engine.search(queries[1])
second = time.perf_counter() - started
print(json.dumps([first * 1000, second * 1000]))
"""


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1:]  # a letter left out
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # two letters swapped
    return word[:i] + rng.choice("aeioursnlt") + word[i + 1:]  # a wrong letter


def query_mix(posts: list, rng: random.Random, per_kind: int = PER_KIND) -> dict[str, list[str]]:
    """Queries of each kind, drawn from the corpus's own titles, bodies and taxonomies."""
    titles = [p.title for p in posts if len(_WORD.findall(p.title)) >= 2]
    bodies = [p.body for p in posts if len(p.body) > 400]
    tagged = [p for p in posts if p.tags]
    dated = [p for p in posts if p.date]

    def title_word() -> str:
        return rng.choice(_WORD.findall(rng.choice(titles)))

    def body_words(n: int) -> list[str]:
        body = rng.choice(bodies)
        words = body.split()
        start = rng.randrange(max(1, len(words) - n))
        return [w.strip(".,;:()[]¿?¡!\"'«»") for w in words[start:start + n]]

    mix: dict[str, list[str]] = {k: [] for k in (
        "one word", "many words", "phrase", "word + tag", "word + year", "sort=date",
        "typo", "prefix", "suggest")}
    for _ in range(per_kind):
        mix["one word"].append(title_word())
        mix["many words"].append(" ".join(w for w in body_words(rng.randint(4, 8)) if w))
        mix["phrase"].append('"' + " ".join(body_words(rng.randint(2, 3))) + '"')
        post = rng.choice(tagged) if tagged else rng.choice(posts)
        tag = rng.choice(post.tags) if post.tags else "x"
        tag = f'"{tag}"' if " " in tag else tag
        mix["word + tag"].append(f"{rng.choice(_WORD.findall(post.title) or ['blog'])} tag:{tag}")
        year_post = rng.choice(dated) if dated else rng.choice(posts)
        year = year_post.date.year if year_post.date else 2011
        mix["word + year"].append(f"{title_word()} año:{year}")
        mix["sort=date"].append(title_word())
        long_words = [w for w in _WORD.findall(rng.choice(titles)) if len(w) >= 6]
        mix["typo"].append(_typo(rng, (long_words or ["programacion"])[0].lower()))
        word = title_word()
        mix["prefix"].append(word[: rng.randint(3, min(5, len(word)))] + "*")
        title = rng.choice(titles)
        mix["suggest"].append(title[: rng.randint(3, min(12, len(title)))])
    return mix


def load_eval(eval_dir: Path) -> list[str]:
    path = eval_dir / "queries.tsv"
    if not path.exists():
        return []
    return [line.split("\t", 1)[1].strip() for line in path.read_text("utf-8").splitlines()
            if "\t" in line]


def _time(fn, queries: list[str], repeat: int
          ) -> tuple[list[float], list[float], list[float], int]:
    """Latencies (ms) of ``repeat`` rounds over ``queries`` after a first round, the latencies
    of that first round (caches see each query for the first time) and its CPU times (ms of
    this thread: what the search costs, whatever else the machine runs), and its errors."""
    errors = 0
    first, first_cpu = [], []
    for q in queries:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            fn(q)
        except Exception:
            errors += 1
        first.append((time.perf_counter() - started) * 1000)
        first_cpu.append((time.thread_time() - cpu) * 1000)
    times = []
    for _ in range(repeat):
        for q in queries:
            started = time.perf_counter()
            try:
                fn(q)
            except Exception:
                pass
            times.append((time.perf_counter() - started) * 1000)
    return times, first, first_cpu, errors


def blogsearch_fns(engine) -> dict:
    search = engine.search
    return {
        "sort=date": lambda q: search(q, sort="date"),
        "suggest": lambda q: engine.suggest(q),
        "*": lambda q: search(q),
    }


def cold_runs(index: Path, queries: list[str], count: int) -> list[tuple[float, float]]:
    out = []
    for i in range(count):
        pair = [queries[(2 * i) % len(queries)], queries[(2 * i + 1) % len(queries)]]
        done = subprocess.run([sys.executable, "-c", COLD_SCRIPT, str(ROOT), str(index),
                               json.dumps(pair)], capture_output=True, check=True, cwd=ROOT)
        out.append(tuple(json.loads(done.stdout)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_SHARED / "corpus")
    parser.add_argument("--index", type=Path, help="an existing blogsearch index of the corpus")
    parser.add_argument("--eval", type=Path, default=DEFAULT_SHARED / "eval")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold", type=int, default=5, help="cold-start processes")
    parser.add_argument("--no-baselines", action="store_true",
                        help="blogsearch only (the query mix then comes from 3,000 posts)")
    args = parser.parse_args()

    from blogsearch.indexer.run import index_folder
    from blogsearch.search.engine import Engine

    print(f"query latency; corpus {args.corpus}; load average at start {loadavg()}")
    with tempfile.TemporaryDirectory(prefix="bench-query-") as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "index"
            report = index_folder(args.corpus, index)
            print(f"indexed {report.posts} posts in {report.seconds:.1f} s")
        started = time.perf_counter()
        # The baselines need every record; the query mix alone is drawn from a sample.
        posts = load_records(args.corpus, sample=None if not args.no_baselines else 3000)
        print(f"{len(posts)} records parsed for the query mix and the baselines in "
              f"{time.perf_counter() - started:.1f} s")
        sets = {}
        evals = load_eval(args.eval)
        if evals:
            sets["eval queries"] = evals
        sets.update(query_mix(posts, random.Random(args.seed)))

        # Time the searching, not the result cache (it would answer every timed round after
        # the first); cache hits get their own row below.
        rss_before = _rss()
        anon_before = rss_parts(os.getpid())[0]
        engine = Engine(index, result_cache=0)
        engine.warm()  # as `blogsearch serve` does before it listens (web/served.py),
        gc.freeze()  # and then puts what it read out of the garbage collector's sight
        fns = blogsearch_fns(engine)
        results: dict[str, dict[str, list[float]]] = {"blogsearch": {}}
        first_round: dict[str, list[float]] = {}
        first_cpu: dict[str, list[float]] = {}
        load = loadavg()
        for kind, queries in sets.items():
            fn = fns.get(kind, fns["*"])
            results["blogsearch"][kind], first_round[kind], first_cpu[kind], errors = _time(
                fn, queries, args.repeat)
            if errors:
                print(f"  blogsearch: {errors} errors in {kind}")
        engine_rss = _rss() - rss_before
        engine_anon = rss_parts(os.getpid())[0] - anon_before
        print(f"blogsearch warm runs done (load at start {load}, now {loadavg()}); "
              f"engine and caches add {engine_rss / MB:.0f} MB RSS, of which {engine_anon / MB:.0f} MB "
              f"private, the rest mapped index files (process {_rss() / MB:.0f} MB)")
        sample = engine.search(sets["one word"][0])
        print(f"  e.g. {sets['one word'][0]!r}: {sample['total']} results, "
              f"{len(sample['results'])} snippets, "
              f"{sum(len(v) for v in sample['facets'].values())} facet values")
        engine.close()
        engine = Engine(index)
        hits = [q for qs in list(sets.values())[:4] for q in qs]
        results["blogsearch"]["(result cache hits)"], _, _, _ = _time(engine.search, hits, args.repeat)
        engine.close()

        if not args.no_baselines:
            bare_dir = Path(tmp) / "bare"
            bare_dir.mkdir()
            started = time.perf_counter()
            baselines = {"bare Whoosh": BareWhoosh(posts, str(bare_dir)).search,
                         "FTS5": Fts5(posts).search_snippets}
            print(f"baselines built in {time.perf_counter() - started:.1f} s; load {loadavg()}")
            for name, fn in baselines.items():
                results[name] = {}
                for kind, queries in sets.items():
                    results[name][kind], _, _, errors = _time(fn, queries, args.repeat)
                    if errors:
                        print(f"  {name}: {errors} errors in {kind}")

        cold = cold_runs(index, sets["one word"], args.cold) if args.cold else []

    engines = list(results)
    rows = []
    everything: dict[str, list[float]] = {name: [] for name in engines}
    for kind, queries in sets.items():
        row = [kind, f"{len(queries)}×{args.repeat}"]
        ours = quantiles(results["blogsearch"][kind])
        row += [ours["p50"], ours["p95"], ours["p99"]]
        for name in engines[1:]:
            theirs = quantiles(results[name][kind])
            row += [theirs["p50"], ours["p50"] / theirs["p50"] if theirs["p50"] else 0.0]
        rows.append(row)
        for name in engines:
            everything[name].extend(results[name][kind])
    ours = quantiles(everything["blogsearch"])
    row = ["all", str(len(everything["blogsearch"])), ours["p50"], ours["p95"], ours["p99"]]
    for name in engines[1:]:
        theirs = quantiles(everything[name])
        row += [theirs["p50"], ours["p50"] / theirs["p50"]]
    rows.append(row)
    hits = results["blogsearch"].get("(result cache hits)")
    if hits:
        q = quantiles(hits)
        rows.append(["result cache hits (not in all)", str(len(hits)), q["p50"], q["p95"], q["p99"]]
                    + ["", ""] * (len(engines) - 1))
    headers = ["queries", "runs", "p50 ms", "p95 ms", "p99 ms"]
    formats = ["", "", ".2f", ".2f", ".2f"]
    for name in engines[1:]:
        headers += [f"{name} p50 ms", f"× {name}"]
        formats += [".2f", ".1f"]
    print(f"\nwarm, in-process, page 1 of 10, snippets and facets on, no result cache; "
          f"load at end {loadavg()}\n")
    print(table(headers, rows, formats))
    def first_row(name: str, kinds: list[str]) -> list:
        wall = quantiles(t for kind in kinds for t in first_round[kind])
        cpu = quantiles(t for kind in kinds for t in first_cpu[kind])
        runs = sum(len(first_round[kind]) for kind in kinds)
        return [name, str(runs), wall["p50"], wall["p95"], wall["p99"], cpu["p50"], cpu["p99"]]

    first_rows = [first_row(kind, [kind]) for kind in first_round]
    first_rows.append(first_row("all searches (not suggest)",
                                [kind for kind in first_round if kind != "suggest"]))
    first_rows.append(first_row("all", list(first_round)))
    print(f"\nfirst round, blogsearch (each query asked for the first time in this process: its "
          f"terms' postings are read from the index unless an earlier query read them); CPU is "
          f"this thread's time, which other work on the machine stretches less; load now "
          f"{loadavg()}\n")
    print(table(["queries", "runs", "p50 ms", "p95 ms", "p99 ms", "CPU p50 ms", "CPU p99 ms"],
                first_rows, ["", "", ".2f", ".2f", ".2f", ".2f", ".2f"]))
    if cold:
        firsts = [c[0] for c in cold]
        seconds = [c[1] for c in cold]
        print(f"\ncold (fresh process: open the index + first search), {len(cold)} runs: "
              f"median {sorted(firsts)[len(firsts) // 2]:.0f} ms, max {max(firsts):.0f} ms; "
              f"second search median {sorted(seconds)[len(seconds) // 2]:.1f} ms")
    return 0


def _rss() -> int:
    return rss_bytes(os.getpid())


if __name__ == "__main__":
    sys.exit(main())
