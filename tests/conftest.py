"""Shared test settings: where ../shared is, and a loud notice when corpus tests cannot run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from blogsearch.indexer.run import index_folder
from blogsearch.search.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BLOGSEARCH_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"
SAMPLE_BLOG = ROOT / "examples" / "blog"
CORPUS_MISSING = f"../shared not found at {SHARED}: corpus tests SKIPPED"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CORPUS.is_dir():
        return
    skip = pytest.mark.skip(reason=CORPUS_MISSING)
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if not CORPUS.is_dir():
        terminalreporter.write_sep("!", CORPUS_MISSING, red=True, bold=True)


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/blog indexed once for the whole session (never modified by tests)."""
    index_dir = tmp_path_factory.mktemp("sample") / "index"
    report = index_folder(SAMPLE_BLOG, index_dir)
    assert report.posts > 20, report
    return index_dir


@pytest.fixture(scope="session")
def sample_engine(sample_index: Path) -> Iterator[Engine]:
    """An Engine over the sample blog."""
    engine = Engine(sample_index)
    yield engine
    engine.close()
