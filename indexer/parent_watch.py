"""Worker processes end when the index run that started them dies, however it dies.

On Linux the kernel sends the worker SIGKILL the moment its parent ends (``PR_SET_PDEATHSIG``);
elsewhere a daemon thread notices within ``POLL_SECONDS`` that the worker was re-parented.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when ``parent_pid`` (its parent) ends; call first in a worker."""
    if not _kernel_kills_orphans():
        threading.Thread(target=_watch, args=(parent_pid,), daemon=True,
                         name="parent-watch").start()
    if os.getppid() != parent_pid:  # the parent died before the watch began
        os._exit(1)


def _kernel_kills_orphans() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    os._exit(1)
