"""How `sitegen check` and `sitegen build --no-pdf` grow with the district (issue 17).

    python benchmarks/bench_growth.py                          # 100, 300, 1,000 and 3,000 branches
    python benchmarks/bench_growth.py --branches 100 300 1000  # fewer sizes
    python benchmarks/bench_growth.py --members 30 --jobs 2

For each size it generates the district (tools/synth.py, 30 members a branch, 2026 with
Q1–Q3 published) into benchmarks/data/ (reused while the generator and the arguments are
the same), then runs, each in a fresh `sitegen` process with an empty cache folder of its
own:

- `check` cold (every file parsed) and `check` warm (the same again: parse cache and
  remembered results);
- `build --no-pdf --no-history` into an empty output folder (the parse cache warm) and the
  no-change rebuild.

Wall seconds, CPU seconds (user and system, of the child and its workers) and peak memory
(resource.getrusage in the sitegen process, of itself and of its workers: the largest
resident set among them) for each, in a
table; "linear" means the seconds per branch stay about the same as the district grows.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-23"  # three days after the generated district's snapshot: no deadline warning


def district(branches: int, members: int) -> Path:
    from tools.synth import code_hash, generate

    dest = HERE / "data" / f"growth-{branches}x{members}"
    stamp = dest / ".generated"
    h = code_hash()
    h.update(f"{branches} {members} 1 2026".encode())
    want = h.hexdigest()[:16]
    if not (stamp.is_file() and stamp.read_text().strip() == want):
        shutil.rmtree(dest, ignore_errors=True)
        generate(dest, branches=branches, members=members, seed=1, year=2026)
        stamp.write_text(want + "\n")
    return dest


# runs sitegen's CLI, then writes its own peak resident set and its children's (the
# render and parse workers) to stderr's last line
_LAUNCH = (
    "import resource, sys\n"
    "from sitegen.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "peak = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "print(f'PEAK-KB {peak}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def sitegen(args: list[str], cache: Path) -> tuple[float, float, float, float, int]:
    """Run `sitegen ARGS` in a child process: (wall s, user and system CPU s of it and its
    workers, peak MB of the largest of them, exit code)."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCH, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    err = done.stderr.decode(errors="replace")
    peak = next((int(line.split()[1]) for line in reversed(err.splitlines()) if line.startswith("PEAK-KB ")), 0)
    if done.returncode != 0:
        print(err[-2000:], file=sys.stderr)
    return wall, user, system, peak / 1024, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--branches", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    rows = []
    for n in args.branches:
        content = district(n, args.members)
        work = Path(tempfile.mkdtemp(prefix=f"sitegen-growth-{n}-"))
        try:
            cache, out = work / "cache", work / "output"
            common = ["--today", TODAY, "--jobs", str(args.jobs)]
            runs = [
                ("check cold", ["check", str(content), *common]),
                ("check warm", ["check", str(content), *common]),
                ("build --no-pdf", ["build", str(content), "-o", str(out), "-q", "--no-pdf", "--no-history", *common]),
                (
                    "no-change rebuild",
                    ["build", str(content), "-o", str(out), "-q", "--no-pdf", "--no-history", *common],
                ),
            ]
            for name, argv in runs:
                wall, user, system, peak, code = sitegen(argv, cache)
                rows.append((n, name, wall, user, system, peak, code))
                print(
                    f"{n:>6} {name:<20} {wall:8.1f} s wall {user:8.1f} + {system:6.1f} s CPU {peak:7.0f} MB  exit {code}",
                    flush=True,
                )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    print(
        f"\n{args.members} members a branch, jobs={args.jobs}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    # user and system time apart: the system time (files made, memory pages copied after the
    # render workers fork) varies much more with what else the machine is doing
    print(
        "| branches | run | wall s | CPU s (user + system) | CPU ms per branch | user ms per branch | peak MB |\n"
        "|---|---|---|---|---|---|---|"
    )
    for n, name, wall, user, system, peak, code in rows:
        flag = "" if code == 0 else f" (exit {code})"
        cpu = user + system
        print(
            f"| {n:,} | {name}{flag} | {wall:.1f} | {cpu:.1f} ({user:.1f} + {system:.1f}) | {cpu * 1000 / n:.1f} | "
            f"{user * 1000 / n:.1f} | {peak:.0f} |"
        )


if __name__ == "__main__":
    main()
