"""HTTP load: the real ``blogsearch serve`` beside Datasette + SQLite FTS5, driven by ``wrk``.

    python bench/http_load.py [--corpus ../shared/corpus | --index DIR] [--workers W]
                              [--threads T] [--connections 16] [--wrk-threads 2]
                              [--duration 20] [--rounds 4] [--warmup 5] [--only NAME]
                              [--cache-hits] [--no-log] [--no-datasette]

Indexes the corpus into a temporary folder (or serves ``--index``, an index of that corpus,
read-only: the search log goes to a temporary file) and starts one ``blogsearch serve`` as a
user starts it: its default workers (one per core) and threads unless ``--workers`` or
``--threads`` say otherwise, its result cache off (every request searches) unless
``--cache-hits``. Beside it, the baseline: Datasette serving the same cleaned posts from an
SQLite FTS5 table (the OR of the query's words, bm25, top 10 with snippets and the count,
as JSON; ``bench/datasette_fts5.py``).

Each endpoint gets ``--warmup`` seconds of load, then ``--duration`` seconds measured, both
from ``wrk`` (a C load generator: its own cost stays out of the figures; the script installs
it as root on Debian, or says how): ``--connections`` keep-alive connections on
``--wrk-threads`` threads, each request the next query of one fixed list (the
../shared/eval queries and the mix of ``bench/query_latency.py``, shuffled with ``--seed``)
as a reader's browser asks it (first page, default size). The warm-up asks every query
several times, so every worker has seen it. The measured time is split into ``--rounds``
rounds in which the endpoints take turns, so that a change in the machine's other work falls
on all of them alike. ``/healthz`` (no search) is the floor.

Per endpoint: req/s over all rounds, the median of the rounds' p50/p90/p99 latencies and the
largest (wrk's, queueing included), errors (connection errors, non-2xx/3xx answers, timeouts
after 10 s), the server's CPU per request (all its processes) and wrk's, the 1-minute load at
the rounds' starts, and req/s as a multiple of Datasette's. Then each blogsearch worker's
memory. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from statistics import median
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    CLI,
    DEFAULT_SHARED,
    LocalServer,
    RssSampler,
    Server,
    cli_env,
    cpu_seconds,
    load_records,
    loadavg,
    process_tree,
    rss_parts,
    table,
)
from bench.datasette_fts5 import datasette_paths, datasette_server, find_datasette  # noqa: E402
from bench.query_latency import load_eval, query_mix  # noqa: E402
from bench.wrk import ensure_wrk, run_wrk  # noqa: E402

MB = 1024 * 1024
DATASETTE = "Datasette + FTS5, JSON (baseline)"


def search_queries(posts: list, eval_dir: Path, seed: int) -> list[str]:
    """The fixed query list: the eval queries and 20 of each kind of the mix, shuffled."""
    mix = query_mix(posts, random.Random(seed), per_kind=20)
    queries = load_eval(eval_dir) + [q for kind, qs in mix.items() if kind != "suggest"
                                     for q in qs]
    random.Random(seed).shuffle(queries)
    return queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_SHARED / "corpus")
    parser.add_argument("--index", type=Path, help="serve this existing index of the corpus")
    parser.add_argument("--eval", type=Path, default=DEFAULT_SHARED / "eval")
    parser.add_argument("--workers", type=int, help="serve's --workers (default: serve's own)")
    parser.add_argument("--threads", type=int, help="serve's --threads (default: serve's own)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per endpoint")
    parser.add_argument("--rounds", type=int, default=4,
                        help="the duration split into rounds, the endpoints taking turns")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before each")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", action="append", help="endpoints whose name contains this")
    parser.add_argument("--cache-hits", action="store_true",
                        help="keep blogsearch's result cache on (the queries come round again, "
                             "so it answers most); by default it is off and every request searches")
    parser.add_argument("--no-log", action="store_true", help="serve without the search log")
    parser.add_argument("--no-datasette", action="store_true", help="skip the baseline")
    args = parser.parse_args()

    wrk = ensure_wrk()
    datasette = None if args.no_datasette else find_datasette()
    # The query mix comes from the same sample of posts in every run; Datasette serves them all.
    queries = search_queries(load_records(args.corpus, sample=2000), args.eval, args.seed)
    posts = load_records(args.corpus) if datasette else []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        index = args.index
        if index is None:
            index = tmp / "index"
            subprocess.run([*CLI, "index", str(args.corpus), "--index", str(index), "-q"],
                           check=True, capture_output=True, env=cli_env(), cwd=ROOT)
        settings = tmp / "settings.py"
        settings.write_text(f"SEARCH_LOG_PATH = {str(tmp / 'searches.sqlite3')!r}\n"
                            + ("" if args.cache_hits else "RESULT_CACHE_SIZE = 0\n"))
        server = stack.enter_context(Server(
            index, tmp / "serve.log", args.workers, args.threads,
            ["--no-log"] if args.no_log else [], {"BLOGSEARCH_SETTINGS": str(settings)}))
        targets: list[tuple[str, LocalServer, list[str]]] = [
            ("blogsearch /healthz (no search)", server, ["/healthz"]),
            ("blogsearch /api/search", server, [f"/api/search?q={quote(q)}" for q in queries]),
            ("blogsearch /buscar (HTML page)", server, [f"/buscar?q={quote(q)}" for q in queries]),
        ]
        if datasette:
            baseline = stack.enter_context(datasette_server(datasette, posts, tmp))
            targets.append((DATASETTE, baseline, datasette_paths(queries)))
        if args.only:
            targets = [t for t in targets if any(o in t[0] for o in args.only)]

        first_line = (tmp / "serve.log").read_text(errors="replace").splitlines()[0]
        print(f"{args.corpus}; {len(queries)} queries in turn; "
              f"wrk {args.wrk_threads} threads, {args.connections} connections, "
              f"{args.warmup} s warm-up + {args.duration} s per endpoint in {args.rounds} "
              f"interleaved rounds; blogsearch result "
              f"cache {'on' if args.cache_hits else 'off: every request searches'}, search log "
              f"{'off' if args.no_log else 'on'}\n{first_line}\n", flush=True)
        paths_file = tmp / "paths.txt"
        for _, target, paths in targets:  # every worker sees every query several times
            run_wrk(wrk, target.port, paths, paths_file, args.wrk_threads, args.connections,
                    args.warmup)
        # Interleaved rounds: a change in what else the machine runs falls on every endpoint
        # alike, so the ratios compare like with like.
        seconds = max(1, round(args.duration / args.rounds))
        measured: dict[str, list] = {name: [] for name, _, _ in targets}
        for round_number in range(1, args.rounds + 1):
            for name, target, paths in targets:
                load = loadavg()
                cpu_before = cpu_seconds(target.pid)
                with RssSampler(target.pid, 0.1) as sampler:
                    result = run_wrk(wrk, target.port, paths, paths_file, args.wrk_threads,
                                     args.connections, seconds)
                measured[name].append((result, cpu_seconds(target.pid) - cpu_before,
                                       sampler.largest, load))
                kinds = ", ".join(f"{n} {kind}" for kind, n in result.error_kinds.items())
                print(f"  round {round_number}, {name}: {result.rate:.0f} req/s, p99 "
                      f"{result.latency_ms['p99']:.1f} ms"
                      + (f", errors: {kinds}" if kinds else "") + f"  (load {load})", flush=True)
        rows, rates = [], {}
        for name, runs in measured.items():
            results = [run[0] for run in runs]
            count = max(sum(r.requests for r in results), 1)
            rates[name] = sum(r.requests for r in results) / sum(r.seconds for r in results)
            loads = sorted(float(run[3].split()[0]) for run in runs)
            rows.append([name, rates[name]]
                        + [median(r.latency_ms[key] for r in results)
                           for key in ("p50", "p90", "p99")]
                        + [max(r.latency_ms["max"] for r in results),
                           sum(r.errors for r in results),
                           1000 * sum(run[1] for run in runs) / count,
                           1000 * sum(r.client_cpu_seconds for r in results) / count,
                           max(run[2] for run in runs) / MB, f"{loads[0]:.2f}–{loads[-1]:.2f}"])
        workers = process_tree(server.pid)[1:]
        memory = [rss_parts(pid) for pid in workers]
        supervisor = rss_parts(server.pid)

    base = rates.get(DATASETTE)
    for row in rows:
        compared = base and row[0] != DATASETTE and "healthz" not in row[0]
        row.insert(2, f"{row[1] / base:.2f}×" if compared else "")
    print()
    print(f"{args.rounds} rounds of {seconds} s per endpoint, interleaved; req/s over all rounds, "
          f"latencies the median of the rounds' (max: the largest)\n")
    print(table(["endpoint", "req/s", "× Datasette", "p50 ms", "p90 ms", "p99 ms", "max ms",
                 "errors", "server CPU ms / req", "wrk CPU ms / req", "largest process MB",
                 "1-min load"], rows,
                ["", ".0f", "", ".1f", ".1f", ".1f", ".1f", "d", ".2f", ".3f", ".0f", ""]))
    print(f"\nblogsearch memory after the run: {len(workers)} worker(s), each "
          + ", ".join(f"{(a + f) / MB:.0f} MB resident ({a / MB:.0f} MB private, "
                      f"{f / MB:.0f} MB mapped index and libraries)" for a, f in memory)
          + f"; granian's supervisor {sum(supervisor) / MB:.0f} MB")
    print(f"load average at end {loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
