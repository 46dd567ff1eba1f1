"""PDFs: the size of each kind, and sitegen's time against plain WeasyPrint on the same documents.

    python benchmarks/bench_pdf.py --demo              # the demo district (content/), as ./run.sh demo builds it
    python benchmarks/bench_pdf.py [--branches 40] [--members 30]
    python benchmarks/bench_pdf.py --demo --jobs 1 2   # worker counts to time (default: 2)

1. raw: the final HTML of every PDF (sitegen's templates, at the `fit` level sitegen
   lays each poster out at) through `weasyprint.HTML(string=…).write_pdf()`, in as many
   forked processes as sitegen's workers (`--jobs`);
2. the first build with PDFs: `build` into an empty folder with no cache (what a fresh
   clone does: load, check, score, every page, spreadsheet and PDF), with the same jobs,
   and its time as a multiple of raw WeasyPrint's (the goal: at most 1.2×); then an
   HTML-only build (`--no-pdf`) with the same jobs, so that the PDF stage alone (the
   difference) can be compared too;
3. a rebuild with nothing changed: how many PDFs were rendered (should be 0);
4. the size of each kind of PDF the build wrote (count, min, median, max) and the total,
   against the total of raw WeasyPrint's PDFs of the same documents.

Raw and sitegen alternate for each `--jobs`; wall and CPU seconds (the process and its
worker processes) are printed, and the load average before and after, since the machine
may be shared.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sitegen.build import build  # noqa: E402
from sitegen.check import check  # noqa: E402
from sitegen.render.pdf.documents import Settings, branch_jobs, site_jobs  # noqa: E402
from sitegen.render.pdf.render import PdfRenderer  # noqa: E402
from sitegen.render.theme import Theme  # noqa: E402
from tools.synth import generate  # noqa: E402

KINDS = (  # file name → kind
    (r"items\.pdf", "积分项目公示 items"),
    (r"q[1-4]\.pdf", "季度公示 q1–q4"),
    (r"year-end\.pdf", "年度公示 year-end"),
    (r"forms\.pdf", "考核表 forms"),
    (r"stats1(-h1)?\.pdf", "统计表（一） stats1"),
    (r"stats2(-h1)?\.pdf", "统计表（二） stats2"),
)


def pdf_html(content: Path) -> list[str]:
    """The HTML of every PDF a build makes, as it is finally laid out."""
    report = check(content, cache_dir=None, restricted=False)
    district, years = report.loaded.district, report.years
    assert district is not None, "the district loads"
    theme = Theme(content)
    renderer = PdfRenderer(theme)
    settings = Settings(district.info.paper.value, "")
    jobs = list(site_jobs(settings, district, years))
    for _year, result in years.items():
        for committee in district.committees:
            for branch in committee.branches:
                if branch.id in result.branches:
                    jobs += branch_jobs(settings, district, committee, branch, result.branches[branch.id])
    return [
        renderer.html(j.template, j.view) if hasattr(j.view, "FIT_ROWS") else theme.text(j.template, v=j.view, fit=0)
        for j in jobs
    ]


T = TypeVar("T")


def cpu() -> float:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def timed_cpu(fn: Callable[[], T]) -> tuple[float, float, T]:
    """Wall seconds, CPU seconds (this process and its workers) and the value."""
    c = cpu()
    wall, value = timed(fn)
    return wall, cpu() - c, value


def _raw_one(html: str) -> int:
    import weasyprint

    return len(weasyprint.HTML(string=html).write_pdf())


def _raw(html: list[str], jobs: int) -> list[int]:
    """Every document through plain weasyprint.HTML(string=…).write_pdf(), in `jobs`
    forked processes (1: in this one); the PDFs' sizes."""
    if jobs == 1:
        return [_raw_one(h) for h in html]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(_raw_one, html, chunksize=1)


def kind_of(path: Path) -> str:
    return next((kind for pattern, kind in KINDS if re.fullmatch(pattern, path.name)), "other")


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--branches", type=int, default=40)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--demo", action="store_true", help="the demo district (content/) instead of a generated one")
    parser.add_argument("--jobs", type=int, nargs="+", default=[2], help="worker counts to time (default: 2)")
    args = parser.parse_args()

    if args.demo:
        data = Path(__file__).resolve().parents[1] / "content"
    else:
        data = Path(__file__).parent / "data" / f"pdf-{args.branches}x{args.members}"
        if not (data / "site.yaml").is_file():
            shutil.rmtree(data, ignore_errors=True)
            generate(data, branches=args.branches, members=args.members, seed=1, year=2026)
    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-pdf-"))
    # outside any git repository, so the data version (and with it every file's inputs) stays put
    shutil.copytree(data, work / "content", ignore=shutil.ignore_patterns(".sitegen-cache"))
    data = work / "content"
    try:
        print(f"load average (1/5/15 min) at the start: {load()}")
        html = pdf_html(data)
        n = len(html)
        rows = []
        raw_bytes = 0
        for jobs in args.jobs:
            # the same documents through WeasyPrint alone, in as many processes as sitegen's workers
            raw, raw_cpu, sizes = timed_cpu(lambda: _raw(html, jobs))
            raw_bytes = sum(sizes)
            seconds, build_cpu, result = timed_cpu(
                lambda: build(data, work / f"pdf{jobs}", quiet=True, jobs=jobs, cache_dir=None)
            )
            assert result.ok
            html_only, _ = timed(
                lambda: build(data, work / f"html{jobs}", quiet=True, jobs=jobs, cache_dir=None, pdf=False)
            )
            rows.append((jobs, raw, seconds, html_only, raw_cpu, build_cpu))
        last = work / f"pdf{args.jobs[-1]}"
        again, result = timed(lambda: build(data, last, quiet=True, jobs=args.jobs[-1], cache_dir=None))
        what = "demo (content/)" if args.demo else f"{args.branches} branches x {args.members} members"
        print(f"district: {what}; {n} PDFs; load average at the end: {load()}")
        print()
        print("wall seconds:")
        print(
            f"{'jobs':>4}{'raw WeasyPrint':>16}{'first build':>13}{'ratio':>8}{'HTML only':>11}{'PDF stage':>11}{'ratio':>8}"
        )
        for jobs, raw, seconds, html_only, _, _ in rows:
            stage = seconds - html_only
            print(
                f"{jobs:>4}{raw:>15.1f}s{seconds:>12.1f}s{seconds / raw:>7.2f}x"
                f"{html_only:>10.1f}s{stage:>10.1f}s{stage / raw:>7.2f}x"
            )
        print("CPU seconds (the process and its workers; less moved by other work on the machine):")
        for jobs, _, _, _, raw_cpu, build_cpu in rows:
            print(f"{jobs:>4}{raw_cpu:>15.1f}s{build_cpu:>12.1f}s{build_cpu / raw_cpu:>7.2f}x")
        print(
            f"no-change rebuild: {again:.2f} s, PDFs rendered: {sum(p.endswith('.pdf') for p in result.rendered_files)}"
        )
        print()
        by_kind: dict[str, list[int]] = {}
        for pdf in sorted(last.rglob("*.pdf")):
            by_kind.setdefault(kind_of(pdf), []).append(pdf.stat().st_size)
        print(f"{'kind':<22}{'files':>6}{'min KB':>9}{'median KB':>11}{'max KB':>9}")
        for _, kind in KINDS:
            sizes = by_kind.get(kind, [])
            if sizes:
                print(
                    f"{kind:<22}{len(sizes):>6}{min(sizes) / 1e3:>9.1f}"
                    f"{statistics.median(sizes) / 1e3:>11.1f}{max(sizes) / 1e3:>9.1f}"
                )
        total = sum(sum(v) for v in by_kind.values())
        print(f"all PDFs: {total / 1e6:.2f} MB (raw WeasyPrint, same documents: {raw_bytes / 1e6:.2f} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
