"""What one search may cost, so that no reader's query stalls the others.

Two limits, both said on the results page when they cut anything:

- **Prefixes share one expansion budget.** ``contenedor*`` stands for its most frequent
  ``PREFIX_EXPANSION`` words, but a query with many prefixes shares ``MAX_EXPANSIONS`` words
  among them (24 prefixes of two letters once meant 3,000 postings lists and over a second).
- **Time.** Scoring stops adding further words and expansions once a search has used
  ``SEARCH_SECONDS`` of its thread's CPU time (not wall time: a busy machine, or other
  threads holding the interpreter, never cut an ordinary search); every group of the query
  still gets its first word, so the results are those of a narrower search, not an empty one.

One costly search (over ``COSTLY_CLAUSES`` clauses, or over ``COSTLY_FEATURES`` prefixes or
phrases) runs at a time in a process; another costly one meanwhile is refused at once
(``SearchBusy``: the web answers 429 with ``Retry-After``), as nginx's ``limit_conn`` refuses
what is over its limit. A burst of costly queries then holds one thread, not all of them, and
cheap searches (a few words, a phrase or two, a prefix or two) keep their speed; readers never
write queries that costly. Per-client rates belong to the reverse proxy.
"""

from __future__ import annotations

import threading
import time

PREFIX_EXPANSION = 64  # words one prefix stands for, when it is alone
MAX_EXPANSIONS = 256  # words all the prefixes of one query stand for together
SEARCH_SECONDS = 0.3
COSTLY_CLAUSES = 16  # a reader's question in words ("cómo recibo un guid en el body…") stays under
COSTLY_FEATURES = 2
RETRY_SECONDS = 1


class Budget:
    """The limits of one search, and whether they cut anything."""

    def __init__(self, seconds: float | None = None, expansions: int = MAX_EXPANSIONS) -> None:
        self.seconds = SEARCH_SECONDS if seconds is None else seconds
        self.expansions = expansions
        self.deadline = time.thread_time() + self.seconds
        self.cut = False  # scoring stopped early
        self.shared = False  # prefixes got fewer words than PREFIX_EXPANSION each

    def per_prefix(self, prefixes: int) -> int:
        """How many words each of ``prefixes`` prefix clauses may stand for."""
        return min(PREFIX_EXPANSION, max(1, self.expansions // max(1, prefixes)))

    def exhausted(self) -> bool:
        """True (and remembered) once the search has used its CPU time."""
        if not self.cut and time.thread_time() > self.deadline:
            self.cut = True
        return self.cut


class SearchBusy(Exception):
    """A costly search arrived while another one runs; try again in ``RETRY_SECONDS``."""


class CostlySearches:
    """Lets one costly search at a time run; others meanwhile are refused."""

    def __init__(self) -> None:
        self._slot = threading.Lock()

    def admit(self, clauses: int, features: int) -> bool:
        """Whether a search of ``clauses`` clauses, ``features`` of them prefixes or phrases,
        is costly and now holds the slot (then the caller must ``release`` it); raises
        SearchBusy when it is costly and another costly search holds the slot."""
        if clauses <= COSTLY_CLAUSES and features <= COSTLY_FEATURES:
            return False
        if self._slot.acquire(blocking=False):
            return True
        raise SearchBusy(f"another costly search is running; try again in {RETRY_SECONDS} s")

    def release(self) -> None:
        self._slot.release()
