"""``wrk``, the C load generator, for the bench scripts: found or installed, run, read.

wrk is a benchmark-only tool (Debian/Ubuntu package ``wrk``, Homebrew ``wrk``), never a
dependency of blogsearch. ``ensure_wrk`` finds it on ``PATH``; as root on a system with
``apt-get`` it installs the package, otherwise it exits with the command to run.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk_rotate.lua"
INSTALL_HELP = ("wrk is needed (a C load generator, benchmark only): install it with "
                "`sudo apt-get install wrk` (Debian, Ubuntu) or `brew install wrk` (macOS), "
                "then run this again")


def ensure_wrk() -> str:
    """The path of ``wrk``; installed with apt-get when running as root, else a clear exit."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("wrk not found: installing the Debian package (apt-get install -y wrk)", flush=True)
        install = subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True)
        if install.returncode:
            subprocess.run(["apt-get", "update"], capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True)
        found = shutil.which("wrk")
        if found:
            return found
    sys.exit(INSTALL_HELP)


@dataclass
class WrkResult:
    """One wrk run: requests, seconds, errors and latency percentiles (ms), and wrk's CPU."""

    requests: int
    seconds: float
    errors: int
    error_kinds: dict[str, int]
    latency_ms: dict[str, float]
    client_cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(wrk: str, port: int, paths: Sequence[str], paths_file: Path, threads: int,
            connections: int, seconds: int) -> WrkResult:
    """``wrk`` for ``seconds`` with ``connections`` keep-alive connections on ``threads``
    threads against 127.0.0.1:``port``, each request the next of ``paths`` in turn."""
    paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(SCRIPT), f"http://127.0.0.1:{port}", "--", str(paths_file), str(threads)],
        capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        sys.exit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(lines[-1])
    kinds = {kind: data[kind] for kind in ("connect", "read", "write", "status", "timeout")
             if data[kind]}
    return WrkResult(
        requests=data["requests"], seconds=data["duration_us"] / 1e6,
        errors=sum(kinds.values()), error_kinds=kinds,
        latency_ms={key: data[key] / 1000 for key in ("p50", "p90", "p95", "p99", "max")},
        client_cpu_seconds=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    )
