"""Per-search limits: prefixes share their expansions, scoring stops on time and says so, and
a costly search is refused while another one runs; cheap searches are never limited."""

from __future__ import annotations

import threading

import pytest

from blogsearch.search import budget as budget_module
from blogsearch.search.budget import MAX_EXPANSIONS, PREFIX_EXPANSION, Budget, CostlySearches, SearchBusy
from tests.helpers import message_codes

MANY_PREFIXES = " ".join(f"{letters}*" for letters in
                         "co pr de re in ma pa ca se es di tr su po an ba fa ga la me ne sa ta va"
                         .split())


def test_prefixes_share_one_expansion_budget(engine):
    found = engine.search(MANY_PREFIXES)
    (message,) = [m for m in found["messages"] if m["code"] == "prefixes"]
    assert message["params"]["limit"] == MAX_EXPANSIONS // 24
    assert found["total"] > 0
    assert "prefixes" not in message_codes(engine.search("contenedor*"))  # one prefix: its 64 words


def test_a_budget_shares_expansions_and_runs_out():
    assert Budget().per_prefix(1) == PREFIX_EXPANSION
    assert Budget().per_prefix(24) == MAX_EXPANSIONS // 24
    spent = Budget(seconds=0.0)
    assert spent.exhausted() and spent.cut


def test_scoring_stops_when_the_time_is_used_and_says_so(engine, monkeypatch):
    monkeypatch.setattr(budget_module, "SEARCH_SECONDS", 0.0)
    found = engine.search("docker imagenes contenedor*")
    assert "budget" in message_codes(found)
    assert found["total"] > 0  # every group still searched its first word
    again = engine.search("docker imagenes contenedor*")
    assert "budget" in message_codes(again)  # a cut result is not kept in the cache


def test_a_costly_search_is_refused_while_another_runs(engine):
    slot = engine.costly
    assert slot.admit(24, 24) is True  # another costly search holds the slot
    try:
        with pytest.raises(SearchBusy):
            engine.search(MANY_PREFIXES)
        assert engine.search("docker")["total"] > 0  # cheap ones are never refused
        assert engine.search('"masa madre" pan*')["total"] >= 0
    finally:
        slot.release()
    assert engine.search(MANY_PREFIXES)["total"] > 0


def test_only_one_costly_search_at_a_time():
    slot = CostlySearches()
    admitted, refused = [], []

    def costly() -> None:
        try:
            admitted.append(slot.admit(20, 0))
        except SearchBusy:
            refused.append(True)

    threads = [threading.Thread(target=costly) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert admitted == [True] and len(refused) == 7
    assert slot.admit(3, 1) is False  # not costly: no slot needed
    assert slot.admit(12, 2) is False  # a reader's long question with two phrases is not costly
