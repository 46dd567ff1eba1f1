"""PDF stage throughput: raw WeasyPrint vs sitegen's PDF stage, on the same HTML.

    python benchmarks/bench_pdf.py [--branches 40] [--members 30]

1. raw: the HTML of every PDF (rendered by sitegen's templates) through
   weasyprint.HTML(string=...).write_pdf() one after another in one process;
2. sitegen's build with PDFs, jobs=1 and jobs=2, minus an HTML-only build of the same
   content (so only the PDF stage is compared);
3. a rebuild with nothing changed: how many PDFs were rendered (should be 0).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sitegen.build import build  # noqa: E402
from sitegen.check import check  # noqa: E402
from sitegen.render.pdf.documents import Settings, branch_jobs, site_jobs  # noqa: E402
from sitegen.render.theme import Theme  # noqa: E402
from tools.synth import generate  # noqa: E402


def pdf_html(content: Path) -> list[str]:
    report = check(content, cache_dir=None, restricted=False)
    district, years = report.loaded.district, report.years
    theme = Theme(content)
    settings = Settings("A4", "数据版本：基准测试")
    jobs = list(site_jobs(settings, district, years))
    for _year, result in years.items():
        for committee in district.committees:
            for branch in committee.branches:
                if branch.id in result.branches:
                    jobs += branch_jobs(settings, district, committee, branch, result.branches[branch.id])
    return [theme.env.get_template(j.template).render(v=j.view) for j in jobs]


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--branches", type=int, default=40)
    parser.add_argument("--members", type=int, default=30)
    args = parser.parse_args()
    import weasyprint

    data = Path(__file__).parent / "data" / f"pdf-{args.branches}x{args.members}"
    if not (data / "site.yaml").is_file():
        shutil.rmtree(data, ignore_errors=True)
        generate(data, branches=args.branches, members=args.members, seed=1, year=2026)
    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-pdf-"))
    # outside any git repository, so the data version (and with it every file's inputs) stays put
    shutil.copytree(data, work / "content")
    data = work / "content"
    try:
        html = pdf_html(data)
        raw, _ = timed(lambda: [weasyprint.HTML(string=h).write_pdf() for h in html])
        n = len(html)
        html_only, _ = timed(lambda: build(data, work / "html", quiet=True, jobs=1, cache_dir=None, pdf=False))
        rows = [("raw WeasyPrint, 1 process", raw)]
        for jobs in (1, 2):
            seconds, result = timed(lambda: build(data, work / f"pdf{jobs}", quiet=True, jobs=jobs, cache_dir=None))
            assert result.ok
            rows.append((f"sitegen PDF stage, jobs={jobs}", seconds - html_only))
        again, result = timed(lambda: build(data, work / "pdf2", quiet=True, jobs=2, cache_dir=None))
        print(f"district: {args.branches} branches x {args.members} members; {n} PDFs")
        print(f"{'run':<30}{'seconds':>9}{'PDFs/s':>9}{'vs raw':>9}")
        for name, seconds in rows:
            print(f"{name:<30}{seconds:>9.1f}{n / seconds:>9.2f}{raw / seconds:>8.2f}x")
        print(f"{'no-change rebuild':<30}{again:>9.2f}   PDFs rendered: {result.rendered}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
