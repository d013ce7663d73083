"""Index speed: full index, no-op re-index and one edited post, against bare Whoosh and FTS5.

    python bench/index_speed.py [--corpus DIR ...] [--no-baselines] [--keep DIR]

For each corpus (default ../shared/corpus), on a temporary copy of it (the original is never
written): ``blogsearch index COPY --index IDX -q`` as a subprocess, three times: from scratch,
again with nothing changed, and after appending a paragraph to one post. Wall time of the
whole command (Python start-up included), posts/s, index size against the raw files and the
cleaned text, and the peak RSS of the command's process tree (parent and worker processes,
sampled every 20 ms).

Baselines, each in a process of its own in the same run, on the cleaned records blogsearch
indexes (parsed by blogsearch's own parser in that process, timed apart): bare Whoosh
(StandardAnalyzer, title and body, one writer) and SQLite FTS5 (unicode61, title, tags, body,
on disk); and for the edit, one document replaced and committed. Ratios are blogsearch's time
over the baseline's. Prints the load average at each step: other work on the machine skews
every figure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    CLI,
    DEFAULT_SHARED,
    BareWhoosh,
    Fts5,
    cli_env,
    dir_bytes,
    load_records,
    loadavg,
    run_measured,
    self_peak_rss,
    table,
)

MB = 1024 * 1024
EDIT_MARK = "zqxeditado"


def _post_files(corpus: Path) -> list[Path]:
    from blogsearch.indexer.discover import find_posts

    return [Path(found.abs_path) for found in find_posts(corpus)]


def _edit_one(corpus: Path) -> Path:
    """Append a paragraph to the middle post file of ``corpus`` (a copy); returns its path."""
    files = [p for p in _post_files(corpus) if not p.name.startswith("_")]
    target = files[len(files) // 2]
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(f"\n\nPárrafo añadido por el banco de pruebas: {EDIT_MARK}.\n")
    return target


def blogsearch_runs(corpus: Path, work: Path) -> dict:
    """The three CLI runs on a copy of ``corpus``; figures by step."""
    copy = work / "content"
    shutil.copytree(corpus, copy, symlinks=True)
    index = work / "index"
    command = [*CLI, "index", str(copy), "--index", str(index), "-q"]
    out: dict = {}
    for step in ("full", "no-op", "edit"):
        if step == "edit":
            _edit_one(copy)
        load = loadavg()
        done, seconds, peak = run_measured(command, env=cli_env(), cwd=ROOT)
        summary = done.stdout.decode().strip().splitlines()[-1]
        out[step] = {"seconds": seconds, "rss": peak, "load": load, "summary": summary}
        print(f"  blogsearch {step:<6} {seconds:7.2f} s  peak RSS {peak / MB:6.0f} MB  "
              f"load {load}  | {summary}", flush=True)
    check = subprocess.run([*CLI, "query", EDIT_MARK, "--index", str(index), "--json"],
                           env=cli_env(), cwd=ROOT, capture_output=True, check=True)
    found = json.loads(check.stdout)["total"]
    if found != 1:
        sys.exit(f"the edited post is not found after re-indexing ({found} results)")
    out["index_bytes"] = dir_bytes(index) - sum(
        f.stat().st_size for f in index.glob("searches.sqlite3*"))
    return out


def baseline_worker(corpus: Path, work: Path, engine: str) -> dict:
    """In a process of its own: parse the records, build the baseline index, edit one post."""
    started = time.perf_counter()
    posts = load_records(corpus)
    parse_seconds = time.perf_counter() - started
    edited = posts[len(posts) // 2]
    edited.body += f"\n\nPárrafo añadido por el banco de pruebas: {EDIT_MARK}."
    started = time.perf_counter()
    if engine == "whoosh":
        target = work / "bare-whoosh"
        target.mkdir()
        bare = BareWhoosh(posts, str(target))
        build = time.perf_counter() - started
        bare.close()
        started = time.perf_counter()
        writer = bare.ix.writer()
        writer.update_document(path=edited.path, title=edited.title, body=edited.body)
        writer.commit()
        edit = time.perf_counter() - started
    else:
        target = work / "fts5.sqlite3"
        fts = Fts5(posts, str(target))
        build = time.perf_counter() - started
        started = time.perf_counter()
        fts.db.execute("DELETE FROM posts WHERE path = ?", (edited.path,))
        fts.db.execute("INSERT INTO posts VALUES (?, ?, ?, ?)",
                       (edited.path, edited.title, " ".join(edited.tags + edited.categories),
                        edited.body))
        fts.db.commit()
        edit = time.perf_counter() - started
        fts.db.close()
    return {"posts": len(posts), "parse": parse_seconds, "build": build, "edit": edit,
            "bytes": dir_bytes(target), "rss": self_peak_rss(),
            "text_bytes": sum(len((p.title + p.body + p.code + p.comments).encode()) for p in posts)}


def run_baseline(corpus: Path, work: Path, engine: str) -> dict:
    load = loadavg()
    done = subprocess.run(
        [sys.executable, __file__, "--baseline-worker", engine, "--corpus", str(corpus),
         "--work", str(work)], capture_output=True, check=True, cwd=ROOT, env=cli_env())
    result = json.loads(done.stdout.decode().strip().splitlines()[-1])
    result["load"] = load
    print(f"  {engine:<10} parse {result['parse']:6.2f} s  index {result['build']:6.2f} s  "
          f"edit {result['edit'] * 1000:6.1f} ms  load {load}", flush=True)
    return result


def bench_corpus(corpus: Path, baselines: bool, keep: Path | None) -> None:
    raw_files = _post_files(corpus)
    raw_bytes = sum(p.stat().st_size for p in raw_files)
    print(f"\n## {corpus} ({len(raw_files)} files, {raw_bytes / MB:.1f} MB raw)\n", flush=True)
    tmp = tempfile.mkdtemp(prefix="bench-index-", dir=keep)
    if keep is not None:
        print(f"work folder (kept): {tmp}", flush=True)
    try:
        work = Path(tmp)
        ours = blogsearch_runs(corpus, work)
        base = {}
        if baselines:
            for engine in ("whoosh", "fts5"):
                base[engine] = run_baseline(corpus, work, engine)
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    posts = int(ours["full"]["summary"].split()[0])
    text_bytes = base["whoosh"]["text_bytes"] if base else 0
    full = ours["full"]["seconds"]
    rows = [
        ["blogsearch full (CLI, parse+clean+index)", full, posts / full,
         ours["index_bytes"] / MB, ours["index_bytes"] / raw_bytes, ours["full"]["rss"] / MB,
         ours["full"]["load"]],
        ["blogsearch no-op re-index (CLI)", ours["no-op"]["seconds"], posts / ours["no-op"]["seconds"],
         "", "", ours["no-op"]["rss"] / MB, ours["no-op"]["load"]],
        ["blogsearch one edited post (CLI)", ours["edit"]["seconds"], "", "", "",
         ours["edit"]["rss"] / MB, ours["edit"]["load"]],
    ]
    names = {"whoosh": "bare Whoosh", "fts5": "SQLite FTS5"}
    for engine, r in base.items():
        rows.append([f"{names[engine]} index (records given)", r["build"], r["posts"] / r["build"],
                     r["bytes"] / MB, r["bytes"] / raw_bytes, r["rss"] / MB, r["load"]])
        rows.append([f"{names[engine]} parse+clean+index", r["parse"] + r["build"],
                     r["posts"] / (r["parse"] + r["build"]), "", "", "", ""])
        rows.append([f"{names[engine]} one edited post", r["edit"], "", "", "", "", ""])
    print()
    print(table(["what", "seconds", "posts/s", "index MB", "index/raw", "peak RSS MB", "load"],
                rows,
                ["", ".3f", ".0f", ".1f", ".2f", ".0f", ""]))
    if text_bytes:
        print(f"\nraw files {raw_bytes / MB:.1f} MB; cleaned text (title, body, code, comments) "
              f"{text_bytes / MB:.1f} MB; blogsearch index / cleaned text "
              f"{ours['index_bytes'] / text_bytes:.2f}")
    if base:
        w, f = base["whoosh"], base["fts5"]
        print("\nratios (blogsearch / baseline; below 1 = blogsearch faster):")
        print(f"  full index vs bare Whoosh index only:        {full / w['build']:.2f}  (target ≤ 0.70)")
        print(f"  full index vs bare Whoosh parse+clean+index: {full / (w['parse'] + w['build']):.2f}")
        print(f"  full index vs FTS5 index only:               {full / f['build']:.2f}")
        print(f"  full index vs FTS5 parse+clean+index:        {full / (f['parse'] + f['build']):.2f}")
        print(f"  edited post vs bare Whoosh update+commit:    {ours['edit']['seconds'] / w['edit']:.1f}")
        print(f"  edited post vs FTS5 delete+insert+commit:    {ours['edit']['seconds'] / f['edit']:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, action="append",
                        help="content folder (repeatable); default ../shared/corpus")
    parser.add_argument("--no-baselines", action="store_true", help="only blogsearch")
    parser.add_argument("--keep", type=Path, help="make the work folders here and keep them")
    parser.add_argument("--baseline-worker", choices=["whoosh", "fts5"], help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_worker:
        print(json.dumps(baseline_worker(args.corpus[0], args.work, args.baseline_worker)))
        return 0
    corpora = args.corpus or [DEFAULT_SHARED / "corpus"]
    for corpus in corpora:
        if not corpus.is_dir():
            parser.error(f"{corpus}: not a folder")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print(f"index speed; load average at start {loadavg()}; {sys.executable}")
    for corpus in corpora:
        bench_corpus(corpus.resolve(), not args.no_baselines, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
