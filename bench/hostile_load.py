"""A cheap search's latency while 16 clients send the costliest queries the parser allows.

    python bench/hostile_load.py [--corpus ../shared/corpus | --index DIR] [--workers N]
                                 [--threads 4] [--heavy-clients 16] [--requests 200]
                                 [--honor-retry-after]

Serves the corpus's index with the real ``blogsearch serve`` (result cache off: every request
searches) and measures one client asking a one-word search ``--requests`` times, first alone,
then while ``--heavy-clients`` keep-alive clients send, without pause, queries of 24 clauses
(the most the parser keeps): 24 two-letter prefixes, 24 misspelt words, 24 two-word phrases.
Prints a table: the cheap search's p50/p95/p99/max in both runs, and the heavy queries'
count, median latency and errors. ``--honor-retry-after``: the heavy clients wait the second
a 429 asks for, as polite clients do and as a proxy's per-client rate limit makes the others.
Only 127.0.0.1 is contacted; it stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    CLI,
    DEFAULT_SHARED,
    Server,
    _get,
    cli_env,
    loadavg,
    quantiles,
    table,
)

CHEAP = ["docker", "python", "cocina", "receta", "servidor", "linux", "imagen", "viaje"]
PREFIXES = "co pr de re in ma pa ca se es di tr su po an ba fa ga la me ne sa ta va".split()
MISSPELT = ("contenedorez servidr pogramacion imagenez dockr kubernets aplicasion funsion "
            "variabel claze objeto metodo interfas paquete modulo libreria framwork cliente "
            "servisio basedatos consulta indise tabla columna").split()
PHRASES = ["casa nueva", "primer paso", "base datos", "linea comandos", "mismo tiempo",
           "gran parte", "buena idea", "nueva version", "punto vista", "codigo fuente",
           "cada vez", "otra parte", "todo caso", "poco tiempo", "mucho tiempo", "dia siguiente",
           "misma forma", "nuevo proyecto", "mejor forma", "primera vez", "ultima version",
           "sistema operativo", "red social", "linea codigo"]
HEAVY = [" ".join(f"{p}*" for p in PREFIXES), " ".join(MISSPELT),
         " ".join(f'"{p}"' for p in PHRASES)]


async def _cheap_client(port: int, requests: int) -> list[float]:
    latencies = []
    connection = await asyncio.open_connection("127.0.0.1", port)
    for n in range(requests):
        started = time.perf_counter()
        status = await _get(*connection, port, f"/api/search?q={quote(CHEAP[n % len(CHEAP)])}")
        latencies.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
        await asyncio.sleep(0.01)
    connection[1].close()
    return latencies


async def _heavy_client(port: int, number: int, stop: asyncio.Event, record: list,
                        polite: bool) -> None:
    connection = None
    n = number
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection = connection or await asyncio.open_connection("127.0.0.1", port)
            status = await asyncio.wait_for(
                _get(*connection, port, f"/api/search?q={quote(HEAVY[n % len(HEAVY)])}"), 30)
            record.append(((time.perf_counter() - started) * 1000, status))
            if polite and status == 429:
                await asyncio.sleep(1)  # the Retry-After the server sends
        except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError) as exc:
            record.append(((time.perf_counter() - started) * 1000, type(exc).__name__))
            connection = None
        n += 1
    if connection:
        connection[1].close()


async def _under_load(port: int, requests: int, clients: int, polite: bool
                      ) -> tuple[list[float], list]:
    stop = asyncio.Event()
    record: list = []
    heavy = [asyncio.create_task(_heavy_client(port, i, stop, record, polite))
             for i in range(clients)]
    await asyncio.sleep(2)  # the heavy clients are under way
    cheap = await _cheap_client(port, requests)
    stop.set()
    await asyncio.gather(*heavy)
    return cheap, record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_SHARED / "corpus")
    parser.add_argument("--index", type=Path, help="serve this existing index")
    parser.add_argument("--workers", type=int, default=None,
                        help="serve's --workers (default: serve's own, one per core)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--heavy-clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=200, help="cheap searches per run")
    parser.add_argument("--honor-retry-after", action="store_true",
                        help="heavy clients wait a second after a 429")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "index"
            subprocess.run([*CLI, "index", str(args.corpus), "--index", str(index), "-q"],
                           check=True, capture_output=True, env=cli_env(), cwd=ROOT)
        settings = Path(tmp) / "settings.py"
        settings.write_text("RESULT_CACHE_SIZE = 0\n")
        server = Server(index, Path(tmp) / "server.log", args.workers, args.threads, ["--no-log"],
                        {"BLOGSEARCH_SETTINGS": str(settings)})
        with server:
            start_load = loadavg()
            alone = asyncio.run(_cheap_client(server.port, args.requests))
            cheap, heavy = asyncio.run(_under_load(server.port, args.requests, args.heavy_clients,
                                                   args.honor_retry_after))
    rows = []
    for name, values in (("cheap search, alone", alone),
                         (f"cheap search, {args.heavy_clients} heavy clients", cheap)):
        q = quantiles(values)
        rows.append((name, len(values), q["p50"], q["p95"], q["p99"], q["max"]))
    q = quantiles(ms for ms, _ in heavy)
    rows.append(("heavy queries (24 clauses)", len(heavy), q["p50"], q["p95"], q["p99"], q["max"]))
    print(table(["requests", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows,
                ["", "d", ".1f", ".1f", ".1f", ".1f"]))
    errors = [status for _, status in heavy if status != 200]
    print(f"\nheavy errors: {len(errors)} {sorted(set(map(str, errors)))}; "
          f"{args.workers or 'default'} worker(s) × {args.threads} thread(s); load at start {start_load}, "
          f"at end {loadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
