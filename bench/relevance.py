"""Relevance on ../shared/eval: blogsearch against SQLite FTS5 and bare Whoosh, same records.

    python bench/relevance.py [--corpus ../shared/corpus] [--eval ../shared/eval] [--index DIR]
                              [--set NAME=VALUE ...] [--sweep NAME=V1,V2,...]

Prints MRR@10, nDCG@10, Success@1 and Success@10 for each engine, then every query whose
first relevant post is not at rank 1 in blogsearch, with what came first. ``--set`` searches
with other ranking parameters (``search/ranking.py``; ``--set all_terms_factor=3``), and
``--sweep`` adds a blogsearch row per value of one parameter.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import BareWhoosh, Fts5, load_records  # noqa: E402
from blogsearch.indexer.run import index_folder  # noqa: E402
from blogsearch.search.engine import Engine  # noqa: E402
from blogsearch.search.ranking import DEFAULT_RANKING, Ranking  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
# The query-time parameters (the parts' weights are written into the index).
TUNABLE = {f.name: type(getattr(DEFAULT_RANKING, f.name)) for f in dataclasses.fields(Ranking)}


def ranking_value(text: str) -> tuple[str, list[float | int]]:
    """``NAME=V1,V2`` as (name, [values]), typed as the parameter's default; argparse error
    naming the parameter otherwise."""
    name, _, values = text.partition("=")
    if name not in TUNABLE or not values:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with NAME one of {', '.join(TUNABLE)}")
    try:
        return name, [TUNABLE[name](value) for value in values.split(",")]
    except ValueError:
        kind = "whole number" if TUNABLE[name] is int else "number"
        raise argparse.ArgumentTypeError(f"{name}: not a {kind}: {values}") from None


def load_eval(eval_dir: Path) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """(queries by id, {qid: {path: relevance}}) from queries.tsv and TREC qrels.txt."""
    queries = {}
    for line in (eval_dir / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, text = line.split("\t", 1)
            queries[qid] = text.strip()
    qrels: dict[str, dict[str, int]] = {}
    for line in (eval_dir / "qrels.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4 and int(parts[3]) > 0:
            qrels.setdefault(parts[0], {})[parts[2]] = int(parts[3])
    return queries, qrels


def metrics(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    """MRR@10, nDCG@10, Success@1, Success@10 of one ranked list of paths."""
    top = ranked[:10]
    rr = next((1 / (i + 1) for i, p in enumerate(top) if p in relevant), 0.0)
    dcg = sum(relevant.get(p, 0) / math.log2(i + 2) for i, p in enumerate(top))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    return {
        "MRR@10": rr,
        "nDCG@10": dcg / idcg if idcg else 0.0,
        "Success@1": 1.0 if top[:1] and top[0] in relevant else 0.0,
        "Success@10": 1.0 if any(p in relevant for p in top) else 0.0,
    }


def evaluate(name: str, search, queries, qrels) -> tuple[dict[str, float], dict[str, list[str]]]:
    totals = {"MRR@10": 0.0, "nDCG@10": 0.0, "Success@1": 0.0, "Success@10": 0.0}
    runs = {}
    started = time.perf_counter()
    judged = [qid for qid in queries if qid in qrels]
    for qid in judged:
        ranked = search(queries[qid])
        runs[qid] = ranked
        for key, value in metrics(ranked, qrels[qid]).items():
            totals[key] += value
    result = {k: v / len(judged) for k, v in totals.items()}
    result["ms/query"] = (time.perf_counter() - started) * 1000 / len(judged)
    return result, runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_SHARED / "corpus")
    parser.add_argument("--eval", type=Path, default=DEFAULT_SHARED / "eval")
    parser.add_argument("--index", type=Path, help="reuse/update this blogsearch index")
    parser.add_argument("--set", type=ranking_value, action="append", default=[], metavar="NAME=VALUE",
                        help="a ranking parameter for every blogsearch row")
    parser.add_argument("--sweep", type=ranking_value, metavar="NAME=V1,V2,...",
                        help="one more blogsearch row per value of this ranking parameter")
    args = parser.parse_args()
    if any(len(values) > 1 for _, values in args.set):
        parser.error("--set takes one value (NAME=VALUE); --sweep takes several")
    try:  # every ranking checked before the index is built
        ranking = dataclasses.replace(DEFAULT_RANKING, **{name: values[0] for name, values in args.set})
        sweep = [dataclasses.replace(ranking, **{args.sweep[0]: value}) for value in args.sweep[1]] \
            if args.sweep else []
    except ValueError as exc:
        parser.error(str(exc))
    if not args.corpus.is_dir() or not (args.eval / "qrels.txt").exists():
        print(f"corpus or eval set missing: {args.corpus}, {args.eval}", file=sys.stderr)
        return 2
    queries, qrels = load_eval(args.eval)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index or Path(tmp) / "blogsearch"
        report = index_folder(args.corpus, index_dir)
        print(f"blogsearch index: {report.posts} posts, {report.seconds:.1f} s")
        engines = {"blogsearch": _blogsearch(index_dir, ranking)}
        for value, swept in zip(args.sweep[1] if args.sweep else [], sweep, strict=True):
            engines[f"  {args.sweep[0]}={value}"] = _blogsearch(index_dir, swept)
        posts = load_records(args.corpus)
        bare_dir = Path(tmp) / "bare"
        bare_dir.mkdir()
        engines["SQLite FTS5 (OR)"] = Fts5(posts).search
        engines["bare Whoosh (AND)"] = BareWhoosh(posts, str(bare_dir)).search
        table, runs = {}, {}
        for name, search in engines.items():
            table[name], runs[name] = evaluate(name, search, queries, qrels)
    columns = ["MRR@10", "nDCG@10", "Success@1", "Success@10", "ms/query"]
    changed = {f.name: getattr(ranking, f.name) for f in dataclasses.fields(Ranking)
               if getattr(ranking, f.name) != getattr(DEFAULT_RANKING, f.name)}
    print(f"\n{len(runs['blogsearch'])} judged queries from {args.eval}; blogsearch ranking: "
          + (", ".join(f"{k}={v}" for k, v in changed.items()) or "the defaults") + "\n")
    print(f"| {'engine':<24} | " + " | ".join(f"{c:>10}" for c in columns) + " |")
    print("|" + "-" * 26 + "|" + "|".join("-" * 12 for _ in columns) + "|")
    for name, row in table.items():
        print(f"| {name:<24} | " + " | ".join(f"{row[c]:>10.3f}" for c in columns) + " |")
    print("\nQueries whose first relevant post is not at rank 1 (blogsearch):")
    for qid, ranked in runs["blogsearch"].items():
        relevant = qrels[qid]
        if ranked[:1] and ranked[0] in relevant:
            continue
        rank = next((i + 1 for i, p in enumerate(ranked) if p in relevant), None)
        first = ranked[0] if ranked else "(nothing)"
        print(f"  {qid} {queries[qid]!r}: relevant at {rank or '>10'}; first: {first}")
    return 0


def _blogsearch(index_dir: Path, ranking: Ranking):
    """blogsearch's top ten paths for a query, searching with ``ranking``."""
    engine = Engine(index_dir, ranking=ranking)
    engine.warm()  # as `blogsearch serve` does: ms/query times searching, not first reads
    return lambda q: [r["path"] for r in engine.search(q, per_page=10, facets=False)["results"]]


if __name__ == "__main__":
    sys.exit(main())
