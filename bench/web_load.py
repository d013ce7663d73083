"""Latency of the search page and the JSON API under a short local load.

    python bench/web_load.py [--requests 500] [--clients 8] [--workers 1] [--threads 4]

Indexes examples/blog into a temporary folder, starts the real ``blogsearch serve --workers W
--threads T`` on a free local port, and sends ``--requests`` GETs per endpoint from ``--clients``
(one keep-alive connection each), rotating through realistic queries. ``/healthz``
(no search) is the baseline in the same run. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import CLI, Server, cli_env, http_run  # noqa: E402

QUERIES = ["casa", "busqueda", "pan de masa madre", "docker linux", "raspberry pi", "fotos",
           "viaje tag:senderismo", "python -node", "año:2023", "kubernets", "cocina", "ipv6",
           '"masa madre"', "program*", "xqzwvk", "camino primitivo"]
ENDPOINTS = {
    "healthz (baseline)": lambda q: "/healthz",
    "page /buscar": lambda q: "/buscar?q=" + quote(q),
    "page /buscar p2 + facet": lambda q: "/buscar?q=" + quote(q) + "&page=2&per_page=3&year=2023",
    "api /api/search": lambda q: "/api/search?q=" + quote(q),
    "api /api/suggest": lambda q: "/api/suggest?q=" + quote(q[:4]),
}


def run(port: int, path_for, requests: int, clients: int) -> tuple[list[float], float, int]:
    """(latencies in ms, wall seconds, non-200 count) for ``requests`` GETs."""
    return http_run(port, [path_for(q) for q in QUERIES], requests, clients)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        subprocess.run([*CLI, "index", str(ROOT / "examples" / "blog"), "--index", str(index),
                        "-q"], check=True, capture_output=True, env=cli_env(), cwd=ROOT)
        with Server(index, Path(tmp) / "server.log", args.workers, args.threads) as server:
            port = server.port
            for path_for in ENDPOINTS.values():  # warm up: open the index, build facet tables
                run(port, path_for, 2 * len(QUERIES), 1)
            print(f"{args.requests} requests per endpoint, {args.clients} clients, "
                  f"{args.workers} worker(s) × {args.threads} thread(s), sample blog (29 posts)\n")
            print(f"{'endpoint':<26}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
                  f"{'max ms':>9}{'non-200':>9}")
            for name, path_for in ENDPOINTS.items():
                lat, wall, errors = run(port, path_for, args.requests, args.clients)
                q = statistics.quantiles(lat, n=100)
                print(f"{name:<26}{len(lat) / wall:>8.0f}{q[49]:>9.1f}{q[94]:>9.1f}"
                      f"{q[98]:>9.1f}{max(lat):>9.1f}{errors:>9}")


if __name__ == "__main__":
    main()
