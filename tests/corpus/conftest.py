"""One index of ../shared/corpus per test session (the corpus tests skip without it)."""

from __future__ import annotations

import pytest

from blogsearch.indexer.run import Report, index_folder
from blogsearch.search.engine import Engine
from tests.helpers import CORPUS


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, object]:
    """(report of a full index run over the corpus, its index folder)."""
    index_dir = tmp_path_factory.mktemp("corpus") / "index"
    return index_folder(CORPUS, index_dir), index_dir


@pytest.fixture(scope="session")
def corpus_engine(corpus_run) -> Engine:
    engine = Engine(corpus_run[1])
    yield engine
    engine.close()
