"""Time `sitegen build` of the generated 1,000-branch district.

    python benchmarks/bench_build.py [--branches 1000] [--members 30] [--jobs 2]
    python benchmarks/bench_build.py --edits [--runs 3]   # issue 17's must-show, in a git repository

Prints, for a full build into an empty output folder (parse cache warm, so it measures
rendering), a no-change rebuild, and a rebuild after one ledger file changed: pages
written, seconds, ms per page, the branch years scored anew (the others are remembered
from the last run in the cache folder) and peak memory (this process and its workers).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sitegen.build import build  # noqa: E402
from tools.synth import generate  # noqa: E402


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


EDITS_DOC = """--edits: the district in a git repository, each command a fresh `sitegen` process (as
CI and a secretary run it), after a first build that fills the cache folder and output/:

- no-change rebuild: `sitegen build --no-pdf` with nothing changed;
- edit, clean tree: one entry appended to one branch's open-quarter ledger in a clean
  tree, then `build --no-pdf` (the tree becomes dirty);
- edit, dirty tree: one more entry in the same file (already dirty), then `build`;
- after the commit: that edit committed, then `build`;
- committed, as CI builds: one more entry, committed, then `build` — the last build was of
  the previous commit, clean (what CI does on every merge: the published site it checks
  against moved with it);
- check after an edit: one more entry, then `sitegen check`;
- diff of one file: that edit committed, then `sitegen diff HEAD~1`.

Each is run --runs times; the table gives the median and the range of wall seconds and of
CPU seconds (the process and its workers), the files rendered anew (from the build's
summary) and the load average when the runs ended."""


def _run(argv: list[str], env: dict) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sitegen", *argv], env=env, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    if done.returncode not in (0,):
        raise SystemExit(f"sitegen {' '.join(argv)} failed ({done.returncode}):\n{text[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), text


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=基准", "-c", "user.email=bench@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def edits(args) -> None:
    import re

    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-edits-"))
    try:
        repo = work / "content"
        t = time.perf_counter()
        generate(repo, branches=args.branches, members=args.members, seed=1, year=2026)
        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "初始内容")
        print(f"generated {args.branches} branches in a git repository in {time.perf_counter() - t:.1f} s", flush=True)
        # sitegen as installed: its compiled modules kept between runs (pip compiles them when
        # it installs a package; an editable install under PYTHONDONTWRITEBYTECODE would
        # compile every module again in each run), in the work folder, not the repository
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(XDG_CACHE_HOME=str(work / "cache"), PYTHONPYCACHEPREFIX=str(work / "pycache"))
        out = work / "output"
        today = ["--today", "2026-11-23", "--jobs", str(args.jobs)]
        build = ["build", str(repo), "-o", str(out), "--no-pdf", *today]
        wall, cpu, _ = _run(build, env)
        print(f"first build: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
        ledger = sorted(repo.glob("committees/*/branches/*/2026/ledger/q4.yaml"))[0]
        counter = [0]

        def edit() -> None:
            counter[0] += 1
            with open(ledger, "a", encoding="utf-8") as f:
                f.write(f"  - id: 2026-BENCH{counter[0]:03d}\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")

        def commit() -> None:
            _git(repo, "commit", "-q", "-a", "-m", f"基准：第 {counter[0]} 条")

        rows: dict[str, list[tuple[float, float, str]]] = {}

        def timed(name: str, argv: list[str]) -> None:
            wall, cpu, text = _run(argv, env)
            found = re.search(r"重新生成 (\d+)", text)
            rendered = found.group(1) if found else ("0" if "已是最新" in text else "—")
            rows.setdefault(name, []).append((wall, cpu, rendered))
            print(f"  {name:<24} {wall:7.2f} s wall {cpu:7.2f} s CPU  rendered {rendered}", flush=True)

        _run(build, env)  # settle: the first build's history cache written
        for _ in range(args.runs):
            timed("no-change rebuild", build)
            edit()
            timed("edit, clean tree", build)
            edit()
            timed("edit, dirty tree", build)
            commit()
            timed("after the commit", build)
            edit()
            commit()
            timed("committed, as CI builds", build)
            edit()
            timed("check after an edit", ["check", str(repo), *today])
            commit()
            timed("diff of one file", ["diff", "HEAD~1", "-C", str(repo), *today])
            _run(build, env)  # the next round starts from a built, clean tree
        load = os.getloadavg()
        print(f"\n{args.branches} branches x {args.members} members, jobs={args.jobs}, {args.runs} runs each")
        print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print("| run | wall s, median (range) | CPU s, median (range) | files rendered |\n|---|---|---|---|")
        for name, got in rows.items():
            walls, cpus = [w for w, _, _ in got], [c for _, c, _ in got]
            print(
                f"| {name} | {statistics.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f}) | "
                f"{statistics.median(cpus):.2f} ({min(cpus):.2f}–{max(cpus):.2f}) | {' / '.join(r for _, _, r in got)} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, epilog=EDITS_DOC, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--edits", action="store_true", help="issue 17's one-edit timings, in a git repository")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.edits:
        edits(args)
        return

    data = Path(__file__).parent / "data" / f"build-{args.branches}x{args.members}"
    if not (data / "site.yaml").is_file():
        shutil.rmtree(data, ignore_errors=True)
        t = time.perf_counter()
        generate(data, branches=args.branches, members=args.members, seed=1, year=2026)
        print(f"generated {data} in {time.perf_counter() - t:.1f} s")
    cache = Path(tempfile.mkdtemp(prefix="sitegen-bench-cache-"))
    out = Path(tempfile.mkdtemp(prefix="sitegen-bench-out-")) / "output"
    try:
        build(data, out, quiet=True, jobs=args.jobs, cache_dir=cache)  # warms the parse cache
        shutil.rmtree(out)
        rows = []
        t = time.perf_counter()
        full = build(data, out, quiet=True, jobs=args.jobs, cache_dir=cache)
        rows.append(("full build", full, time.perf_counter() - t))
        t = time.perf_counter()
        same = build(data, out, quiet=True, jobs=args.jobs, cache_dir=cache)
        rows.append(("no-change rebuild", same, time.perf_counter() - t))
        ledger = sorted(data.glob("committees/*/branches/*/2026/ledger/q1.yaml"))[0]
        original = ledger.read_bytes()
        try:
            # a real edit: one more activity for the whole branch, as a secretary would add it
            ledger.write_bytes(
                original + "  - id: BENCH-001\n    date: 2026-03-31\n    item: B03\n    members: 全体\n".encode()
            )
            t = time.perf_counter()
            one = build(data, out, quiet=True, jobs=args.jobs, cache_dir=cache)
            rows.append(("one file changed", one, time.perf_counter() - t))
        finally:
            ledger.write_bytes(original)
        print(f"district: {args.branches} branches x {args.members} members, jobs={args.jobs}")
        print(f"{'run':<20}{'pages':>8}{'rendered':>10}{'seconds':>10}{'ms/page':>10}{'scored':>8}")
        for name, result, seconds in rows:
            assert result.ok, result.problems[:3]
            per = seconds * 1000 / max(result.rendered, 1) if result.rendered else 0.0
            scored = result.computed.get("score", 0)  # branch years scored anew; the rest remembered
            print(f"{name:<20}{result.pages:>8}{result.rendered:>10}{seconds:>10.2f}{per:>10.2f}{scored:>8}")
        print(f"peak memory: {peak_mb():.0f} MB")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
