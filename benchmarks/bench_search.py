"""The size of the name search's index (search-index.js) on a district of realistic size,
and how long making it takes.

Why: the search box on every page loads the whole index the first time it is used; on a
phone over a slow network it must stay under 1 MB for a district of a thousand branches
of thirty members (issue 15).

    python benchmarks/bench_search.py                       # 1,000 branches × 30 members
    python benchmarks/bench_search.py --branches 200 --members 20

The district is generated into benchmarks/data/ (git-ignored) like bench_check.py does,
and reused while the arguments are unchanged.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()

    from sitegen.check import check
    from sitegen.render.html.search import index_js
    from tools.synth import generate

    dest = HERE / "data" / f"b{args.branches}-m{args.members}-s{args.seed}-{args.year}"
    if not (dest / "site.yaml").exists():
        generate(dest, branches=args.branches, members=args.members, seed=args.seed, year=args.year)
    report = check(dest, cache_dir=None)
    if report.errors:
        raise SystemExit("\n".join(p.format() for p in report.errors[:10]))
    district = report.loaded.district
    assert district is not None
    members = sum(len(r.members) for y in report.years.values() for r in y.branches.values())
    start = time.perf_counter()
    js = index_js(district, report.years)
    seconds = time.perf_counter() - start
    size = len(js.encode("utf-8"))
    packed = len(gzip.compress(js.encode("utf-8"), 9))
    print(f"district: {args.branches} branches × {args.members} members ({members} roster lines)")
    print(
        f"search-index.js: {size:,} bytes ({size / 1024 / 1024:.2f} MB), gzip {packed:,} bytes; made in {seconds:.2f} s"
    )
    print(f"per member: {size / max(members, 1):.1f} bytes")
    if size >= 1024 * 1024:
        raise SystemExit("the index is 1 MB or more")


if __name__ == "__main__":
    main()
