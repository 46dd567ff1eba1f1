"""How long `sitegen check` takes on a district of realistic size: cold, warm, and warm
after one ledger file was edited.

Why: a district has about a thousand branches of thirty members; CI runs `sitegen check`
on every pull request, and a secretary runs it before committing. It must stay well under
half a minute on a two-core runner, and a second run (parse cache filled) must be faster.

    python benchmarks/bench_check.py                       # 1,000 branches × 30 members
    python benchmarks/bench_check.py --branches 200 --members 20
    python benchmarks/bench_check.py --profile             # also: where the time goes

The district is generated once into benchmarks/data/ (git-ignored) and reused while the
generator and the arguments are unchanged. Each timed run is a fresh Python process, so
peak RSS is that run's own (plus its worker processes'), and imports are not counted.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def district_dir(args) -> Path:
    return HERE / "data" / f"b{args.branches}-m{args.members}-s{args.seed}-{args.year}"


def fingerprint(args) -> str:
    """What the generated tree depends on: the generator's code and the arguments."""
    from tools.synth import code_hash

    h = code_hash()
    h.update(f"{args.branches} {args.members} {args.seed} {args.year}".encode())
    return h.hexdigest()[:16]


def ensure_district(args) -> tuple[Path, float | None]:
    """Generate the district unless an identical one is already there. The stamp file
    starts with a dot, so the loader never sees it."""
    from tools.synth import generate

    dest = district_dir(args)
    stamp = dest / ".generated"
    want = fingerprint(args)
    if stamp.is_file() and stamp.read_text().strip() == want:
        return dest, None
    shutil.rmtree(dest, ignore_errors=True)
    started = time.perf_counter()
    generate(dest, branches=args.branches, members=args.members, seed=args.seed, year=args.year)
    elapsed = time.perf_counter() - started
    stamp.write_text(want + "\n")
    return dest, elapsed


def run_once(content: Path, cache: Path, jobs: int, today: date, profile: str | None) -> dict:
    """One `check` in this process; what the parent needs, as a dict."""
    from sitegen.check import check

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = check(content, today=today, cache_dir=cache, jobs=jobs)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    district = report.loaded.district
    branches = list(district.branches()) if district else []
    years = [by for b in branches for by in b.years.values()]
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = {
        "seconds": seconds,
        "files": report.loaded.files,
        "cache_hits": report.loaded.cache_hits,
        "branches": len(branches),
        "members": sum(len(by.members) for by in years),
        "entries": sum(len(by.entries) for by in years),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "first_problems": [p.format() for p in report.problems[:5]],
        "scored": report.computed.get("score", 0),  # branch years scored (the rest remembered)
        "rss_self_mb": self_kb / 1024,
        "rss_children_mb": children_kb / 1024,
    }
    if profiler:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).sort_stats(profile)
        stats.print_stats(30)
        out["profile"] = text.getvalue()
    return out


def timed_run(content: Path, cache: Path, args, label: str) -> dict:
    """Run one check in a fresh interpreter and read its figures back."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--_once",
        str(content),
        "--_cache",
        str(cache),
        "--jobs",
        str(args.jobs),
        "--year",
        str(args.year),
    ]
    if args.profile:
        cmd += ["--profile", "--sort", args.sort]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{label} run failed:\n{done.stderr}")
    return json.loads(done.stdout)


EDITS_DOC = """--edits: issue 17's `check` after one edit. The district in a git repository (as
benchmarks/bench_build.py --edits makes it), a cache folder of its own (XDG_CACHE_HOME),
one `sitegen check --today <year>-11-23 --jobs N` to warm it; then --runs times: one
entry appended to the first branch's open-quarter (Q4) ledger, and `sitegen check` again
in a fresh process (history on, as CI runs it), timed (wall, and CPU of the process and
its children). Also the branch bundles the last run opened (from a cProfile of it, which
--profile prints), and the load average."""


def edits(args) -> int:
    import os
    import statistics

    from tools.synth import generate

    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-check-edits-"))
    try:
        repo = work / "content"
        generate(repo, branches=args.branches, members=args.members, seed=args.seed, year=args.year)
        for git in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "初始内容"]):
            subprocess.run(
                ["git", "-c", "user.name=基准", "-c", "user.email=bench@example.org", *git],
                cwd=repo,
                check=True,
                capture_output=True,
            )
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
        argv = [sys.executable, "-m", "sitegen", "check", str(repo), "--today", f"{args.year}-11-23"]
        argv += ["--jobs", str(args.jobs)]

        def run(extra: list[str] | None = None) -> tuple[float, float]:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run([argv[0], *(extra or []), *argv[1:]], env=env, capture_output=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                sys.exit(f"check failed:\n{done.stdout.decode()[-2000:]}{done.stderr.decode()[-2000:]}")
            return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

        wall, cpu = run()
        print(f"warm-up: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
        ledger = sorted(repo.glob(f"committees/*/branches/*/{args.year}/ledger/q4.yaml"))[0]
        rows = []
        for n in range(args.runs):
            with open(ledger, "a", encoding="utf-8") as f:
                f.write(
                    f"  - id: {args.year}-CHECK{n:03d}\n    date: {args.year}-11-21\n    item: B03\n    members: 全体\n"
                )
            rows.append(run())
            print(f"  edit → check {rows[-1][0]:6.2f} s wall {rows[-1][1]:6.2f} s CPU", flush=True)
        load = os.getloadavg()
        walls, cpus = [w for w, _ in rows], [c for _, c in rows]
        print(f"\n{args.branches} branches x {args.members} members, jobs={args.jobs}, {args.runs} runs")
        print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print(
            f"edit → check: wall {statistics.median(walls):.2f} s ({min(walls):.2f}–{max(walls):.2f}), "
            f"CPU {statistics.median(cpus):.2f} s ({min(cpus):.2f}–{max(cpus):.2f})"
        )
        if args.profile:
            with open(ledger, "a", encoding="utf-8") as f:
                f.write(f"  - id: {args.year}-CHECKP\n    date: {args.year}-11-21\n    item: B03\n    members: 全体\n")
            out = work / "check.prof"
            run(["-m", "cProfile", "-o", str(out)])
            stats = pstats.Stats(str(out))
            opened = sum(n for (file, _, name), (n, *_) in stats.stats.items() if name == "_read_layered")  # type: ignore[attr-defined]
            print(
                f"branch bundles looked up by the profiled run (the edited branch's, not there yet, and any other opened): {opened}"
            )
            stats.sort_stats(args.sort).print_stats(25)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Time sitegen check on a generated district.",
        epilog=EDITS_DOC,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for parsing (default 2)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each run")
    parser.add_argument("--sort", default="cumulative", help="profile sort key (cumulative, tottime, …)")
    parser.add_argument("--edits", action="store_true", help="issue 17: check after one edit, in a git repository")
    parser.add_argument("--runs", type=int, default=5, help="--edits: how many edits (default 5)")
    parser.add_argument("--_once", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # The generated district stands on 20 November; check it as of a few days later.
    today = date(args.year, 11, 23)

    if args.edits:
        return edits(args)
    if args._once:
        result = run_once(args._once, args._cache, args.jobs, today, args.sort if args.profile else None)
        print(json.dumps(result, ensure_ascii=False))
        return 0

    content, generated = ensure_district(args)
    if generated is not None:
        print(f"generated {content.relative_to(ROOT)} in {generated:.1f} s")
    else:
        print(f"reusing {content.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-cache-") as tmp:
        cache = Path(tmp)
        cold = timed_run(content, cache, args, "cold")
        warm = timed_run(content, cache, args, "warm")
        ledger = sorted(content.glob(f"committees/*/branches/*/{args.year}/ledger/q1.yaml"))[0]
        original = ledger.read_bytes()
        try:
            # one more activity for a whole branch, as a secretary adds it
            ledger.write_bytes(
                original
                + f"  - id: BENCH-001\n    date: {args.year}-03-31\n    item: B03\n    members: 全体\n".encode()
            )
            edited = timed_run(content, cache, args, "one file edited")
        finally:
            ledger.write_bytes(original)

    print(f"files      {cold['files']:>9,}")
    print(f"branches   {cold['branches']:>9,}")
    print(f"members    {cold['members']:>9,}   (roster lines)")
    print(f"entries    {cold['entries']:>9,}   (ledger entries)")
    print(f"jobs       {args.jobs:>9}")
    for label, r in (("cold", cold), ("warm", warm), ("one edit", edited)):
        print(
            f"{label:<10} {r['seconds']:>9.2f} s  (cache hits {r['cache_hits']:,}; "
            f"branch years scored {r['scored']:,}; "
            f"peak RSS {r['rss_self_mb']:.0f} MB, workers {r['rss_children_mb']:.0f} MB)"
        )
    print(f"problems   {cold['errors']} errors, {cold['warnings']} warnings")
    for line in cold["first_problems"]:
        print("  " + line.replace("\n", "\n  "))
    if args.profile:
        for label, r in (("cold", cold), ("warm", warm)):
            print(f"\n===== profile: {label} (main process only) =====")
            print(r["profile"])
    return 1 if cold["errors"] or warm["errors"] or edited["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
