"""``blogsearch watch``: a saved, added, moved or deleted post is searchable (or gone) within 2 s.

A Watcher runs in a thread on a copy of examples/blog with a few extra posts; each change is
observed through ``Engine.search`` on a new Engine (a running Engine misses incremental
deletions, a bug tested in test_reindex_under_load.py). The command itself runs in a process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

import blogsearch.indexer.watch
from blogsearch.cli.watch_command import watch
from blogsearch.indexer.watch import Watcher, is_post_name
from blogsearch.search.layout import index_lock
from tests.helpers import (
    CLI,
    SAMPLE_BLOG,
    SAMPLE_EXPORTS,
    copy_tree,
    found_paths,
    post_text,
    wait_until,
    write_file,
)
from tests.robustness.synthetic import FIGURES

VISIBLE_WITHIN = 2.0
EXTRA = {f"extra/vigia-{n}.md": f"vigia000{n}" for n in range(1, 4)}


@dataclass
class Watched:
    content: Path
    index: Path
    watcher: Watcher
    lines: list[tuple[str, bool]] = field(default_factory=list)

    def write(self, rel: str, word: str, title: str = "Entrada vigilada") -> Path:
        return write_file(self.content / rel, post_text(title, f"Texto de la entrada con {word}."))

    def latency(self, word: str, expected: list[str]) -> float:
        """Seconds until searching ``word`` gives ``expected``; fails after VISIBLE_WITHIN."""
        start = time.monotonic()
        seen = wait_until(lambda: found_paths(self.index, word) == expected, timeout=5)
        assert seen is not None, (word, found_paths(self.index, word), self.lines[-5:])
        took = time.monotonic() - start
        FIGURES["watch_max_latency_ms"] = max(FIGURES["watch_max_latency_ms"], round(took * 1000))
        assert took < VISIBLE_WITHIN, f"{word}: {took:.2f} s"
        return took

    def settle(self, quiet: float = 1.5) -> int:
        """Wait until no run has started for ``quiet`` seconds; return the number of runs."""
        count = len(self.watcher.runs)
        while True:
            time.sleep(quiet)
            if len(self.watcher.runs) == count:
                return count
            count = len(self.watcher.runs)


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Watched]:
    """A Watcher (default debounce) running in a thread over a copy of the sample blog."""
    content = copy_tree(SAMPLE_BLOG, tmp_path / "blog")
    for rel, word in EXTRA.items():
        write_file(content / rel, post_text("Entrada vigilada", f"Texto con {word}."))
    state = Watched(content, tmp_path / "index", None)  # type: ignore[arg-type]
    state.watcher = Watcher(content, state.index,
                            echo=lambda text, err: state.lines.append((text, err)))
    thread = threading.Thread(target=state.watcher.run, daemon=True)
    thread.start()
    assert wait_until(lambda: state.watcher.runs, timeout=30) is not None
    assert state.watcher.runs[0].report is not None, state.lines
    state.settle(quiet=0.8)
    yield state
    state.watcher.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_first_run_indexes_the_folder_and_prints_a_summary(watched):
    first = watched.watcher.runs[0].report
    assert first.added == first.posts >= 30
    summaries = [text for text, err in watched.lines if not err]
    assert f" {first.posts} posts: {first.added} added, 0 updated" in summaries[0]
    assert any(err and "broken/toml-roto.md" in text for text, err in watched.lines)


def test_saved_post_is_searchable(watched):
    rel, _ = next(iter(EXTRA.items()))
    runs = len(watched.watcher.runs)
    watched.write(rel, "zarzamora0001")
    watched.latency("zarzamora0001", [rel])
    assert found_paths(watched.index, EXTRA[rel]) == []  # the old text is gone
    # The new text is searchable as soon as the run publishes it, a moment before the run is listed.
    assert wait_until(lambda: len(watched.watcher.runs) > runs, timeout=5) is not None
    assert watched.watcher.runs[runs].report.updated == 1
    assert " 1 updated" in [text for text, err in watched.lines if not err][-1]


def test_added_post_is_searchable(watched):
    watched.write("nuevo/articulo.md", "anadido0001")
    watched.latency("anadido0001", ["nuevo/articulo.md"])


def test_moved_post_is_found_at_its_new_path(watched):
    rel, word = list(EXTRA.items())[1]
    (watched.content / "movidos").mkdir()
    os.rename(watched.content / rel, watched.content / "movidos" / "vigia.md")
    watched.latency(word, ["movidos/vigia.md"])


def test_moved_folder_of_posts_is_found_at_its_new_path(watched):
    os.rename(watched.content / "extra", watched.content / "otra-carpeta")
    rel, word = list(EXTRA.items())[0]
    watched.latency(word, ["otra-carpeta/" + rel.removeprefix("extra/")])


def test_deleted_post_is_gone(watched):
    rel, word = list(EXTRA.items())[2]
    (watched.content / rel).unlink()
    watched.latency(word, [])


def test_burst_of_saves_is_one_run(watched):
    rel, _ = next(iter(EXTRA.items()))
    before = len(watched.watcher.runs)
    for n in range(20):
        watched.write(rel, f"rafaga{n:04d}")
        time.sleep(0.03)
    watched.latency("rafaga0019", [rel])
    assert watched.settle() == before + 1, [r.changed for r in watched.watcher.runs[before:]]
    assert found_paths(watched.index, "rafaga0010") == []


def test_editor_temporary_files_do_not_trigger_runs(watched):
    posts = watched.content / "extra"
    before = len(watched.watcher.runs)
    for name in (".#vigia-1.md", "vigia-1.md~", ".vigia-1.md.swp", "#vigia-1.md#", "4913",
                 "vigia-1.md.tmp", ".goutputstream-ABC123"):
        (posts / name).write_text("---\ntitle: temporal\n---\ntemporal0001\n", encoding="utf-8")
        (posts / name).unlink()
    (watched.content / ".git").mkdir()
    (watched.content / ".git" / "oculto.md").write_text("oculto0001", encoding="utf-8")
    (watched.content / "node_modules").mkdir()
    (watched.content / "node_modules" / "leeme.md").write_text("modulo0001", encoding="utf-8")
    assert watched.settle() == before
    assert found_paths(watched.index, "oculto0001") == []


def test_vim_style_save_is_seen(watched):
    """vim writes 4913, renames the post to a backup, writes it anew, deletes the backup."""
    rel, _ = next(iter(EXTRA.items()))
    post = watched.content / rel
    probe = post.parent / "4913"
    probe.write_text("")
    probe.unlink()
    os.rename(post, post.with_name(post.name + "~"))
    watched.write(rel, "guardado0001")
    post.with_name(post.name + "~").unlink()
    watched.latency("guardado0001", [rel])


def test_is_post_name():
    assert is_post_name("entrada.md") and is_post_name("Entrada.HTML")
    for name in (".#entrada.md", "entrada.md~", ".entrada.md.swp", "#entrada.md#", "4913",
                 ".entrada.md", "entrada.tmp"):
        assert not is_post_name(name), name


def test_a_run_that_raises_is_reported_and_watching_goes_on(watched, monkeypatch):
    real = blogsearch.indexer.watch.index_folder
    calls = []

    def fails_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("disco lleno (simulado)")
        return real(*args, **kwargs)

    monkeypatch.setattr(blogsearch.indexer.watch, "index_folder", fails_once)
    rel, _ = next(iter(EXTRA.items()))
    watched.write(rel, "fallo0001")
    assert wait_until(lambda: calls, timeout=5) is not None
    assert wait_until(lambda: any("disco lleno" in t for t, _ in watched.lines), timeout=5) is not None
    error = next(text for text, err in watched.lines if "disco lleno" in text)
    assert "error: disco lleno (simulado) (still watching)" in error
    watched.write(rel, "arreglado0001")
    watched.latency("arreglado0001", [rel])


def test_busy_index_waits_and_retries(watched):
    rel, _ = next(iter(EXTRA.items()))
    with index_lock(watched.index):
        watched.write(rel, "ocupado0001")
        assert wait_until(lambda: any("another `blogsearch index` is running" in t
                                      for t, _ in watched.lines), timeout=5) is not None
        assert found_paths(watched.index, "ocupado0001") == []
    watched.latency("ocupado0001", [rel])


def test_command_rejects_a_missing_folder(tmp_path):
    result = CliRunner().invoke(watch, [str(tmp_path / "none"), "--index", str(tmp_path / "i")])
    assert result.exit_code == 1
    assert "content folder not found" in result.output


def test_command_rejects_a_foreign_index_folder(tmp_path):
    foreign = tmp_path / "documentos"
    foreign.mkdir()
    (foreign / "tesis.odt").write_text("mía")
    result = CliRunner().invoke(watch, [str(SAMPLE_BLOG), "--index", str(foreign)])
    assert result.exit_code == 1
    assert "not a blogsearch index" in result.output
    assert (foreign / "tesis.odt").exists()


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_command_watches_until_interrupted(tmp_path, stop_signal):
    content = copy_tree(SAMPLE_BLOG, tmp_path / "blog")
    index = tmp_path / "index"
    out = tmp_path / "watch.out"
    with out.open("wb") as sink:
        process = subprocess.Popen([*CLI, "watch", str(content), "--index", str(index)],
                                   stdout=sink, stderr=subprocess.STDOUT)
    try:
        assert wait_until(lambda: " posts: " in out.read_text(), timeout=30) is not None
        (content / "nuevo.md").write_text(post_text("Nueva", "proceso0001"), encoding="utf-8")
        assert wait_until(lambda: found_paths(index, "proceso0001") == ["nuevo.md"],
                          timeout=VISIBLE_WITHIN) is not None, out.read_text()
        # The run commits, then reports: wait for its line before stopping the watcher.
        assert wait_until(lambda: out.read_text().count(" posts: ") == 2, timeout=10) is not None
        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = out.read_text()
    assert "stopped watching" in text and "Traceback" not in text
    assert text.count(" posts: ") == 2, text


def test_an_export_file_is_watched_and_reindexed_when_replaced(tmp_path):
    export = tmp_path / "exports" / "wordpress.xml"
    export.parent.mkdir()
    original = (SAMPLE_EXPORTS / "wordpress.xml").read_text(encoding="utf-8")
    export.write_text(original, encoding="utf-8")
    (tmp_path / "exports" / "notas.md").write_text("no es parte de la exportación", encoding="utf-8")
    index = tmp_path / "index"
    lines: list[tuple[str, bool]] = []
    watcher = Watcher(export, index, echo=lambda text, err: lines.append((text, err)))
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: watcher.runs, timeout=30) is not None
        assert found_paths(index, "Lozoya"), lines
        time.sleep(0.5)
        (tmp_path / "exports" / "otra.md").write_text("otra nota", encoding="utf-8")  # not watched
        export.write_text(original.replace("Lozoya", "Jarama"), encoding="utf-8")
        assert wait_until(lambda: found_paths(index, "Jarama"), timeout=10) is not None, lines
        assert found_paths(index, "Lozoya") == []
        assert all(str(export) in " ".join(run.changed) for run in watcher.runs[1:])
    finally:
        watcher.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_watch_command_refuses_a_file_that_is_no_export(tmp_path):
    plain = tmp_path / "notas.txt"
    plain.write_text("hola", encoding="utf-8")
    result = CliRunner().invoke(watch, [str(plain), "--index", str(tmp_path / "index")])
    assert result.exit_code == 1
    assert "not a folder, nor a WordPress or Blogger export" in result.output
