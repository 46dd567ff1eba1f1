"""Time the no-change rebuild (issue 17: under 0.5 s at 1,000 branches), quickly.

    .venv/bin/python benchmarks/bench_nochange.py [--content DIR] [--work DIR] [--runs 5]

Builds the content once into WORK/output (cache in WORK/cache) if that was not done
yet, then runs `python -m sitegen build --no-pdf` again in a fresh process `--runs`
times and prints each run's wall and CPU seconds, then the modules a no-change build
imports (-X importtime) that it should not need. The content defaults to the generated
district in benchmarks/data (generated as bench_build.py does when missing); the work
folder defaults to one under /tmp that is kept, so the first build is paid once.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("jinja2", "weasyprint", "openpyxl", "markdown", "yaml", "fontTools", "PIL")


def run(argv: list[str], env: dict, extra: tuple[str, ...] = ()) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, *extra, "-m", "sitegen", *argv], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--content", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench-nochange"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    content = args.content or ROOT / "benchmarks" / "data" / f"build-{args.branches}x{args.members}"
    if not (content / "site.yaml").is_file():
        sys.path.insert(0, str(ROOT))
        from tools.synth import generate

        shutil.rmtree(content, ignore_errors=True)
        generate(content, branches=args.branches, members=args.members, seed=1, year=2026)
    env = dict(os.environ, XDG_CACHE_HOME=str(args.work / "cache"), PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once, not on every run
    build = ["build", str(content), "-o", str(args.work / "output"), "--no-pdf", "--today", "2026-11-23"]
    wall, cpu, done = run(build, env)
    print(f"settling build: {wall:.2f} s wall, {cpu:.2f} s CPU: {done.stdout.strip()[-200:]}", flush=True)
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
        sys.exit(1)
    walls, cpus = [], []
    for _ in range(args.runs):
        wall, cpu, done = run(build, env)
        walls.append(wall)
        cpus.append(cpu)
        print(f"no-change rebuild: {wall:.3f} s wall, {cpu:.3f} s CPU  {done.stdout.strip()[-80:]}", flush=True)
    walls.sort()
    cpus.sort()
    print(f"median {walls[len(walls) // 2]:.3f} s wall, {cpus[len(cpus) // 2]:.3f} s CPU over {args.runs} runs")
    _, _, done = run(build, env, ("-X", "importtime"))
    imported = {m.group(2).strip() for m in re.finditer(r"\|\s*(\d+)\s*\|\s*(\S+)", done.stderr)}
    heavy = sorted({name.split(".")[0] for name in imported if name.split(".")[0] in HEAVY})
    total = sum(int(m.group(1)) for m in re.finditer(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|\s?(\S)", done.stderr))
    print(f"top-level imports: {total / 1e6:.3f} s cumulative; heavy modules imported: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
