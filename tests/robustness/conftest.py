"""Fixtures for the robustness tests and the figures printed at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.robustness.synthetic import FIGURES, synthetic_blog

SYNTHETIC_POSTS = 300


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if FIGURES:
        figures = ", ".join(f"{name}={value}" for name, value in sorted(FIGURES.items()))
        terminalreporter.write_sep("-", f"robustness figures: {figures}")


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(content, index, {path: marker}): 300 generated posts indexed once by the real CLI.
    Tests copy both folders before changing anything."""
    root = tmp_path_factory.mktemp("synthetic")
    content = root / "content"
    posts = synthetic_blog(content, SYNTHETIC_POSTS)
    index = root / "index"
    result = run_cli("index", str(content), "--index", str(index), "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{SYNTHETIC_POSTS} posts indexed"), result.stdout
    return content, index, posts


