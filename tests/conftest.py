"""Session-wide test settings: corpus tests skip loudly without ../shared, and examples/blog is
indexed once, shared read-only by every test that needs its index (checked after each one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from blogsearch.search.engine import Engine
from tests.helpers import CORPUS, SAMPLE_BLOG, SHARED, build_index, copy_tree

CORPUS_MISSING = f"../shared not found at {SHARED}: corpus tests SKIPPED"
# (the shared sample index, its listing when built)
SAMPLE_INDEX = pytest.StashKey[tuple[Path, dict[str, tuple[int, int]]]]()


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


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below ``folder``: relative path → (size, modification time in ns)."""
    listing = {}
    for path in folder.rglob("*"):
        stat = path.lstat()
        listing[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns)
    return listing


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Path:
    """examples/blog indexed once for the whole session, shared READ-ONLY: a test that writes
    into an index folder (``serve``'s search log beside it, an edited manifest, a re-index)
    takes ``sample_index_copy``. Each test using it fails if it left it changed."""
    index_dir = build_index(SAMPLE_BLOG, tmp_path_factory.mktemp("sample") / "index")
    pytestconfig.stash[SAMPLE_INDEX] = (index_dir, _listing(index_dir))
    return index_dir


@pytest.fixture
def sample_index_copy(sample_index: Path, tmp_path: Path) -> Path:
    """A private copy of the sample index, for a test that writes into it."""
    return copy_tree(sample_index, tmp_path / "sample-index")


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Once a test using the shared sample index is torn down, the index must be as built."""
    if "sample_index" not in getattr(item, "fixturenames", ()) or SAMPLE_INDEX not in item.config.stash:
        return
    index_dir, built = item.config.stash[SAMPLE_INDEX]
    now = _listing(index_dir)
    if now != built:
        item.config.stash[SAMPLE_INDEX] = (index_dir, now)  # blame this test only
        changed = sorted(name for name in built.keys() | now.keys() if built.get(name) != now.get(name))
        pytest.fail(f"{item.nodeid} changed the shared sample index ({', '.join(changed)}): "
                    "a test that writes into it takes sample_index_copy", pytrace=False)


@pytest.fixture(scope="session")
def sample_engine(sample_index: Path) -> Iterator[Engine]:
    """An Engine over the sample blog."""
    engine = Engine(sample_index)
    yield engine
    engine.close()
