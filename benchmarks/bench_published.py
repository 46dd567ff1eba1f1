"""How long the published-record check takes on a generated district, cold and cached.

Why: `sitegen check` and `sitegen build` compare every started 公示 with the content as it
was when the 公示 began (sitegen.history.published). A district of a thousand branches
has three thousand published quarters a year. Goal: a few seconds cold, under a second
more than `check --no-history` with the history cache filled.

    python benchmarks/bench_published.py                      # 1,000 branches × 30
    python benchmarks/bench_published.py --branches 100

The repository (benchmarks/data/published-<n>/, git-ignored) has two commits: the district
without its quarter records, then the quarter records (the publications). Each timed run
is a fresh interpreter with its own cache folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "王书记",
        "GIT_AUTHOR_EMAIL": "w@x",
        "GIT_COMMITTER_NAME": "王书记",
        "GIT_COMMITTER_EMAIL": "w@x",
        "GIT_AUTHOR_DATE": "2026-11-21T09:00:00+08:00",
        "GIT_COMMITTER_DATE": "2026-11-21T09:00:00+08:00",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def make(branches: int, members: int) -> Path:
    from tools.synth import generate

    repo = HERE / "data" / f"published-{branches}x{members}"
    if (repo / ".git").is_dir():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    content = repo / "content"
    generate(content, branches=branches, members=members, seed=1, year=2026)
    records = {p: p.read_bytes() for p in content.rglob("quarters/q*.yaml")}
    for p in records:
        p.unlink()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "台账")
    for p, data in records.items():
        p.write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "公示")
    return repo


def timed(repo: Path, cache: Path, history: bool) -> float:
    args = [sys.executable, "-m", "sitegen", "check", "content", "--today", "2026-11-23", "--format", "json"]
    if not history:
        args.append("--no-history")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    out = subprocess.run(args, cwd=repo, capture_output=True, text=True, env=env)
    seconds = time.monotonic() - started
    errors = out.stdout.split('"errors": ', 1)[1].split(",", 1)[0] if '"errors": ' in out.stdout else "?"
    print(f"  {'with history' if history else 'no history  '}: {seconds:6.2f} s, errors {errors}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    args = parser.parse_args()
    repo = make(args.branches, args.members)
    with tempfile.TemporaryDirectory() as cache:
        print(f"{args.branches} branches × {args.members}: cold (empty caches), then warm")
        timed(repo, Path(cache), history=True)
        timed(repo, Path(cache), history=True)
        timed(repo, Path(cache), history=False)


if __name__ == "__main__":
    main()
