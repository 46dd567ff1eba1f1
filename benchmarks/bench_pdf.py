"""PDF stage throughput: raw WeasyPrint vs sitegen's PDF stage, on the same HTML.

    python benchmarks/bench_pdf.py [--branches 40] [--members 30]
    python benchmarks/bench_pdf.py --demo          # the demo district (content/), as ./run.sh demo builds it

1. raw: the HTML of every PDF (rendered by sitegen's templates) through
   weasyprint.HTML(string=...).write_pdf(), in one process and in as many forked
   processes as sitegen's workers (`--jobs`);
2. sitegen's build with PDFs, for each `--jobs`, minus an HTML-only build of the same
   content with the same jobs (so only the PDF stage is compared), and its time as a
   multiple of raw WeasyPrint's on the same number of processes (the goal: at most 1.2×);
3. a rebuild with nothing changed: how many PDFs were rendered (should be 0).

It also prints the PDFs' total size and the mean per PDF (all of them are rendered by
the same templates, so the size is what the fonts and the layout make it).
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
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
from sitegen.render.theme import Theme  # noqa: E402
from tools.synth import generate  # noqa: E402


def pdf_html(content: Path) -> list[str]:
    report = check(content, cache_dir=None, restricted=False)
    district, years = report.loaded.district, report.years
    assert district is not None, "the district loads"
    theme = Theme(content)
    settings = Settings("A4", "数据版本：基准测试")
    jobs = list(site_jobs(settings, district, years))
    for _year, result in years.items():
        for committee in district.committees:
            for branch in committee.branches:
                if branch.id in result.branches:
                    jobs += branch_jobs(settings, district, committee, branch, result.branches[branch.id])
    return [theme.env.get_template(j.template).render(v=j.view) for j in jobs]


T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--branches", type=int, default=40)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--demo", action="store_true", help="the demo district (content/) instead of a generated one")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to time (default: 1 2)")
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
        html = pdf_html(data)
        n = len(html)
        rows = []
        raw_bytes = 0
        for jobs in args.jobs:
            # the same documents through WeasyPrint alone, in as many processes as sitegen's workers
            raw, sizes = timed(lambda: _raw(html, jobs))
            raw_bytes = sum(sizes)
            rows.append((f"raw WeasyPrint, {jobs} process{'es' if jobs > 1 else ''}", raw, raw))
            html_only, _ = timed(
                lambda: build(data, work / f"html{jobs}", quiet=True, jobs=jobs, cache_dir=None, pdf=False)
            )
            seconds, result = timed(lambda: build(data, work / f"pdf{jobs}", quiet=True, jobs=jobs, cache_dir=None))
            assert result.ok
            rows.append((f"sitegen PDF stage, jobs={jobs}", seconds - html_only, raw))
        last = work / f"pdf{args.jobs[-1]}"
        again, result = timed(lambda: build(data, last, quiet=True, jobs=args.jobs[-1], cache_dir=None))
        sizes = [p.stat().st_size for p in last.rglob("*.pdf")]
        what = "demo (content/)" if args.demo else f"{args.branches} branches x {args.members} members"
        print(f"district: {what}; {n} PDFs")
        print(
            f"PDF bytes: built {sum(sizes) / 1e6:.1f} MB in {len(sizes)} files, mean {sum(sizes) / max(len(sizes), 1) / 1e3:.0f} KB;"
            f" raw WeasyPrint {raw_bytes / 1e6:.1f} MB"
        )
        print(f"{'run':<30}{'seconds':>9}{'PDFs/s':>9}{'time / raw':>12}")
        for name, seconds, raw in rows:
            print(f"{name:<30}{seconds:>9.1f}{n / seconds:>9.2f}{seconds / raw:>11.2f}x")
        print(f"{'no-change rebuild':<30}{again:>9.2f}   PDFs rendered: {result.rendered}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
