"""What one search may cost, so that no reader's query stalls the others.

Two limits, both said on the results page when they cut anything:

- **Prefixes share one expansion budget.** ``contenedor*`` stands for its most frequent
  ``PREFIX_EXPANSION`` words, but a query with many prefixes shares ``MAX_EXPANSIONS`` words
  among them (24 prefixes of two letters once meant 3,000 postings lists and over a second).
- **Time.** Scoring stops adding further words and expansions once a search has run for
  ``SEARCH_SECONDS``; every group of the query still gets its first word, so the results are
  those of a narrower search, not an empty one.

While one costly search runs in a process, another costly one gets the ``BUSY_`` limits,
which are smaller: a burst of costly queries cannot take every thread for long, and cheap
searches (one or a few words) keep their speed.
"""

from __future__ import annotations

import threading
import time

PREFIX_EXPANSION = 64  # words one prefix stands for, when it is alone
MAX_EXPANSIONS = 256  # words all the prefixes of one query stand for together
SEARCH_SECONDS = 0.3
BUSY_MAX_EXPANSIONS = 48
BUSY_SEARCH_SECONDS = 0.05
COSTLY_CLAUSES = 8  # a search of more words than this (or with a prefix or phrase) is costly


class Budget:
    """The limits of one search, and whether they cut anything."""

    def __init__(self, seconds: float = SEARCH_SECONDS, expansions: int = MAX_EXPANSIONS) -> None:
        self.seconds = seconds
        self.expansions = expansions
        self.deadline = time.perf_counter() + seconds
        self.cut = False  # scoring stopped early
        self.shared = False  # prefixes got fewer words than PREFIX_EXPANSION each

    def per_prefix(self, prefixes: int) -> int:
        """How many words each of ``prefixes`` prefix clauses may stand for."""
        return min(PREFIX_EXPANSION, max(1, self.expansions // max(1, prefixes)))

    def exhausted(self) -> bool:
        """True (and remembered) once the search has used its time."""
        if not self.cut and time.perf_counter() > self.deadline:
            self.cut = True
        return self.cut


class CostlySearches:
    """Lets one costly search at a time run with the full budget; others meanwhile get the
    busy budget."""

    def __init__(self) -> None:
        self._slot = threading.Lock()

    def budget(self, costly: bool) -> tuple[Budget, bool]:
        """(budget, whether the caller holds the slot and must ``release`` it)."""
        if not costly:
            return Budget(), False
        if self._slot.acquire(blocking=False):
            return Budget(), True
        return Budget(BUSY_SEARCH_SECONDS, BUSY_MAX_EXPANSIONS), False

    def release(self) -> None:
        self._slot.release()
