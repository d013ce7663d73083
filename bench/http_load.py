"""HTTP load: the real ``blogsearch serve`` driven by 16 concurrent clients on 127.0.0.1.

    python bench/http_load.py [--corpus ../shared/corpus | --index DIR] [--workers 1]
                              [--threads 4] [--replicas 1] [--clients 16] [--requests 2000]
                              [--per-page N] [--first-time] [--cache-hits] [--only ENDPOINT]
                              [--no-log]

Indexes the corpus into a temporary folder (or serves ``--index``, read-only: the search log
goes to a temporary file), starts ``--replicas`` servers over that one index, each
``blogsearch serve --workers W --threads T`` on its own port, and sends ``--requests`` GETs
per endpoint from ``--clients`` keep-alive connections (coroutines of one asyncio loop),
spread evenly over the replicas (as a round-robin proxy would). Bounded: it stops by itself
after the fixed number of requests. The queries are the ../shared/eval queries plus the mix
of ``bench/query_latency.py``, each asked as a reader's browser asks (first page, default
page size), in turn. The servers' result cache is off unless ``--cache-hits``: every request
is searched. Each query is asked once before the timed run (the engine's caches hold its
words' postings, as in a server that has been up a while); ``--first-time`` warms up with 40
queries only. ``/healthz`` (no search) is the baseline in the same run.

Per endpoint: req/s, p50/p95/p99/max latency (client side: queueing included), errors
(non-200, a failed connection or no answer in 30 s), the CPU time per request of the server
processes and of this client process (they share the machine's cores), and the peak RSS of
the largest server process (a worker). Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    CLI,
    DEFAULT_SHARED,
    RssSampler,
    Server,
    cli_env,
    cpu_seconds,
    http_run,
    load_records,
    loadavg,
    process_tree,
    quantiles,
    rss_parts,
    table,
    tree_rss,
)
from bench.query_latency import load_eval, query_mix  # noqa: E402

MB = 1024 * 1024


def endpoints(queries: list[str], prefixes: list[str], per_page: int | None) -> dict[str, list[str]]:
    """Paths per endpoint: each query (or prefix) as a reader's browser asks for it."""
    page = f"&per_page={per_page}" if per_page else ""
    return {
        "/healthz (baseline)": ["/healthz"],
        "/api/search": [f"/api/search?q={quote(q)}{page}" for q in queries],
        "/buscar (HTML page)": [f"/buscar?q={quote(q)}{page}" for q in queries],
        "/api/suggest": [f"/api/suggest?q={quote(p)}" for p in prefixes],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_SHARED / "corpus")
    parser.add_argument("--index", type=Path, help="serve this existing index of the corpus")
    parser.add_argument("--eval", type=Path, default=DEFAULT_SHARED / "eval")
    parser.add_argument("--workers", type=int, default=1, help="worker processes per server")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--replicas", type=int, default=1, help="servers, each on its own port")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-log", action="store_true", help="serve without the search log")
    parser.add_argument("--only", action="append", help="endpoints whose name contains this")
    parser.add_argument("--per-page", type=int, help="results per search page (default: the "
                        "app's, 10)")
    parser.add_argument("--first-time", action="store_true",
                        help="warm the servers up with 40 queries only: most queries are new to "
                             "them when measured (their words are read from the index then)")
    parser.add_argument("--cache-hits", action="store_true",
                        help="keep the servers' result cache on (the queries come round again, "
                             "so it answers many); by default it is off and every request searches")
    args = parser.parse_args()

    posts = load_records(args.corpus, sample=2000)
    mix = query_mix(posts, random.Random(args.seed), per_kind=20)
    queries = load_eval(args.eval) + [q for kind, qs in mix.items() if kind != "suggest"
                                      for q in qs]
    random.Random(args.seed).shuffle(queries)
    prefixes = query_mix(posts, random.Random(args.seed + 1), per_kind=80)["suggest"]
    paths_by_endpoint = endpoints(queries, prefixes, args.per_page)
    if args.only:
        paths_by_endpoint = {k: v for k, v in paths_by_endpoint.items()
                             if any(o in k for o in args.only) or "healthz" in k}

    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "index"
            subprocess.run([*CLI, "index", str(args.corpus), "--index", str(index), "-q"],
                           check=True, capture_output=True, env=cli_env(), cwd=ROOT)
        settings = Path(tmp) / "settings.py"
        settings.write_text(f"SEARCH_LOG_PATH = {str(Path(tmp) / 'searches.sqlite3')!r}\n"
                            + ("" if args.cache_hits else "RESULT_CACHE_SIZE = 0\n"))
        extra = ["--no-log"] if args.no_log else []
        with ExitStack() as stack:
            servers = [stack.enter_context(Server(index, Path(tmp) / f"server{i}.log", args.workers,
                                                  args.threads, extra,
                                                  {"BLOGSEARCH_SETTINGS": str(settings)}))
                       for i in range(args.replicas)]
            warm = 40 if args.first_time else None
            for server in servers:  # open the index, build facet tables, read the words' postings
                for paths in paths_by_endpoint.values():
                    http_run(server.port, paths[:warm], len(paths[:warm]), 1)
            idle_rss = sum(tree_rss(s.pid) for s in servers)
            print(f"{args.requests} requests per endpoint from {args.clients} clients; "
                  f"{args.replicas} server(s) × {args.workers} worker process(es) × "
                  f"{args.threads} thread(s); "
                  f"{len(queries)} queries in turn, {args.per_page or 'default'} results per page, "
                  f"result cache {'on' if args.cache_hits else 'off: every request searches'}, "
                  + ("most queries new to the servers; " if args.first_time
                     else "each query asked once before; ")
                  + f"index {index}; search log "
                  f"{'off' if args.no_log else 'on'}; server RSS after warm-up "
                  f"{idle_rss / MB:.0f} MB\n", flush=True)
            rows = []
            for name, paths in paths_by_endpoint.items():
                load = loadavg()
                samplers = [RssSampler(s.pid, 0.05) for s in servers]
                for sampler in samplers:
                    sampler.__enter__()
                kinds: dict[str, int] = {}
                server_cpu = sum(cpu_seconds(s.pid) for s in servers)
                client_cpu = sum(os.times()[:2])
                latencies, wall, errors = http_run([s.port for s in servers], paths,
                                                   args.requests, args.clients, kinds)
                server_cpu = sum(cpu_seconds(s.pid) for s in servers) - server_cpu
                client_cpu = sum(os.times()[:2]) - client_cpu
                for sampler in samplers:
                    sampler.__exit__(None, None, None)
                q = quantiles(latencies)
                peak = max(s.largest for s in samplers)
                rows.append([name, len(latencies) / wall, q["p50"], q["p95"], q["p99"], q["max"],
                             errors, 1000 * server_cpu / len(latencies),
                             1000 * client_cpu / len(latencies), peak / MB, load])
                print(f"  {name}: {len(latencies) / wall:.0f} req/s, p99 {q['p99']:.1f} ms, "
                      f"{errors} errors", flush=True)
                for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1])[:5]:
                    print(f"    {count}× {kind[:160]}")
            parts = [rss_parts(pid) for s in servers for pid in process_tree(s.pid)]
    print()
    print(table(["endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors",
                 "server CPU ms / req", "client CPU ms / req", "peak RSS MB / process",
                 "load at start"], rows,
                ["", ".0f", ".1f", ".1f", ".1f", ".1f", "d", ".2f", ".2f", ".0f", ""]))
    print("\nserver memory at the end, per process: "
          + ", ".join(f"{a / MB:.0f} MB private (anonymous) + {f / MB:.0f} MB mapped files"
                      for a, f in parts))
    print(f"load average at end {loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
