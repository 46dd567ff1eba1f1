"""Time `sitegen build` of the generated 1,000-branch district.

    python benchmarks/bench_build.py [--branches 1000] [--members 30] [--jobs 2]

Prints, for a full build into an empty output folder (parse cache warm, so it measures
rendering), a no-change rebuild, and a rebuild after one ledger file changed: pages
written, seconds, ms per page, the branch years scored anew (the others are remembered
from the last run in the cache folder) and peak memory (this process and its workers).
"""

from __future__ import annotations

import argparse
import resource
import shutil
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

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
