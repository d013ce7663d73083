"""What ``pip install .`` installs: one top-level package, ``blogsearch``, with its data files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.helpers import ROOT

LAYERS = ("search", "indexer", "web", "cli")
LEFT_OUT = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", ".venv")


@pytest.mark.slow
def test_the_wheel_holds_only_the_blogsearch_package_and_its_data(tmp_path):
    source = tmp_path / "source"  # a clean copy: no build/ left over from an earlier build
    shutil.copytree(ROOT, source, ignore=LEFT_OUT)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--quiet",
                    "--wheel-dir", str(tmp_path)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("blogsearch-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"blogsearch", wheel.name.split("-py3")[0]
                                                      + ".dist-info"}
    modules = {name for name in names if name.endswith(".py")}
    sources = {f"blogsearch/{p.relative_to(ROOT).as_posix()}" for layer in LAYERS
               for p in (ROOT / layer).rglob("*.py") if "__pycache__" not in p.parts}
    assert modules == sources
    data = [p.relative_to(ROOT).as_posix() for folder in ("templates", "static", "translations")
            for p in (ROOT / "web" / folder).rglob("*") if p.is_file() and p.suffix not in (".pot", ".po")]
    assert data and {f"blogsearch/{p}" for p in data} <= set(names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "blogsearch = blogsearch.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_no_layer_is_importable_under_its_bare_name_once_installed(tmp_path):
    """Outside the repository only ``blogsearch.*`` imports: no top-level ``search`` or ``web``
    that another distribution could shadow or be shadowed by."""
    code = ("import importlib.util as u, sys; import blogsearch.cli.main, blogsearch.web.app; "
            "print([n for n in ('search', 'indexer', 'web', 'cli') if u.find_spec(n) or n in sys.modules])")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_import_of_the_project_goes_through_blogsearch():
    """In the checkout, ``pytest``'s path would still let ``import search`` work: no file may
    rely on it (it would break once installed, and load a module twice under two names)."""
    bare = re.compile(r"^\s*(?:from|import)\s+(?:search|indexer|web|cli)(?:\.|\s|$)", re.M)
    found = [f"{path.relative_to(ROOT)}:{source[:match.start()].count(chr(10)) + 1}"
             for folder in (*LAYERS, "tests", "bench", "docs", "scripts")
             for path in (ROOT / folder).rglob("*.py")
             for source in [path.read_text(encoding="utf-8")]
             for match in bare.finditer(source)]
    assert found == []
