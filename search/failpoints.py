"""Named points where crash tests can kill an index run (``BLOGSEARCH_CRASH_AT=name``).

Nothing happens unless that environment variable names the point; the crash tests set it to
prove the index survives a ``kill -9`` at each stage of a run.
"""

from __future__ import annotations

import os
import signal

ENV = "BLOGSEARCH_CRASH_AT"
POINTS = ("parsed", "writing", "committed", "switching")


def crash_point(name: str) -> None:
    """Kill this process with SIGKILL if ``$BLOGSEARCH_CRASH_AT`` is ``name``."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
