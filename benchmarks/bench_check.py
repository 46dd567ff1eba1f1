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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time sitegen check on a generated district.")
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for parsing (default 2)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each run")
    parser.add_argument("--sort", default="cumulative", help="profile sort key (cumulative, tottime, …)")
    parser.add_argument("--_once", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # The generated district stands on 20 November; check it as of a few days later.
    today = date(args.year, 11, 23)

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
