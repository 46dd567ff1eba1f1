"""Rendering every output file, in parallel worker processes when it pays.

Units of work (one per branch and year, plus the site level) are independent, so they
are spread over forked workers that inherit the scored model instead of receiving it
pickled; each worker renders its units straight into the staging folder and returns the
manifest entries it made. Each unit yields HTML pages and, unless disabled, PDFs; the
result is the same files whatever the number of workers.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
from collections.abc import Callable, Iterator

from sitegen import __version__
from sitegen.model.scored import YearResult
from sitegen.model.site import District
from sitegen.render.html.common import Context
from sitegen.render.html.site_pages import unit_jobs as html_jobs
from sitegen.render.html.site_pages import units
from sitegen.render.inputs import unit_id, unit_keys
from sitegen.render.jobs import RenderJob
from sitegen.render.theme import Theme
from sitegen.write import Output

PARALLEL_FROM = 64  # units of HTML only; below this, starting workers costs more than it saves

_STATE: tuple | None = None  # set before forking; workers read it


class Pdf:
    """PDF output settings for a run: the document settings and the fonts' fingerprint."""

    def __init__(self, settings, fonts_fingerprint: str):
        from sitegen.render.pdf.render import PdfRenderer  # WeasyPrint loads only when PDFs are made

        self.settings = settings
        self.fonts = fonts_fingerprint
        self.renderer_class = PdfRenderer


class Site:
    """One version's output as work to do: its units, each unit's jobs, each file's inputs
    key and how to render it. `render_site` renders all of it; `sitegen serve` renders
    the files it is asked for."""

    def __init__(
        self,
        ctx: Context,
        district: District,
        years: dict[int, YearResult],
        theme: Theme,
        hashes: dict[str, str],
        pdf: Pdf | None = None,
        screen=None,
    ):
        self.ctx, self.district, self.years, self.theme, self.pdf, self.screen = (
            ctx,
            district,
            years,
            theme,
            pdf,
            screen,
        )
        self.fingerprint = theme.fingerprint()
        # what every page shows or links to: with or without PDFs, with or without the change history
        site_digest = hashlib.sha256(
            repr(
                (
                    __version__,
                    self.fingerprint,
                    ctx.site_name,
                    ctx.provenance,
                    ctx.years,
                    ctx.extra_css,
                    pdf and (pdf.settings.paper, pdf.fonts),
                    ctx.history is not None,
                    ctx.history_note,
                )
            ).encode()
        ).hexdigest()
        self.keys = unit_keys(district, years, hashes, site_digest)
        self._renderer = None
        self._committee_of = {b.id: c.id for c in district.committees for b in c.branches}

    def units(self) -> list[tuple]:
        return units(self.district, self.years)

    def jobs(self, unit: tuple) -> Iterator[RenderJob]:
        ctx, district, years, pdf, screen = self.ctx, self.district, self.years, self.pdf, self.screen
        yield from html_jobs(ctx, district, years, unit)
        if screen is not None:
            from sitegen.render.screen.pages import branch_screen_jobs, screen_jobs

            if unit[0] == "site":
                yield from screen_jobs(screen, district, years, ctx.today)
            else:
                yield from branch_screen_jobs(screen, district, years, unit)
        yield from _xlsx_jobs(district, years, unit, self.keys)
        if pdf is None:
            return
        from sitegen.render.pdf import documents

        if unit[0] == "site":
            yield from documents.site_jobs(pdf.settings, district, years)
        else:
            _, year, cid, bid = unit
            committee = next(c for c in district.committees if c.id == cid)
            branch = next(b for b in committee.branches if b.id == bid)
            yield from documents.branch_jobs(pdf.settings, district, committee, branch, years[year].branches[bid])

    def file_key(self, job: RenderJob) -> str:
        """A file's inputs: its view (which carries the data it shows), or, for a spreadsheet,
        the inputs of its unit plus what it is and the date it is stamped with."""
        extra = self.pdf.fonts if job.kind == "pdf" else ""
        inputs = f"{job.view!r}\0{job.key}\0{self.ctx.report_date}" if job.key else repr(job.view)
        return hashlib.sha256(
            f"{__version__}\0{self.fingerprint}\0{extra}\0{job.template}\0{inputs}".encode()
        ).hexdigest()[:32]

    def render(self, job: RenderJob) -> bytes:
        if job.kind == "pdf":
            if self._renderer is None:
                self._renderer = self.pdf.renderer_class(self.theme)
            return self._renderer.render(job.template, job.view)
        if job.kind == "xlsx":
            return _render_xlsx(self.district, self.years, job.view, self.ctx.report_date)
        return self.theme.render(job.template, job.view)

    def unit_of(self, path: str) -> tuple | None:
        """The unit that makes `path` (None if it belongs to no unit: theme assets and
        build-info.json). Paths below a branch, its spreadsheets and PDFs belong to that
        branch's unit of the year; its lobby screen to the latest year's."""
        parts = path.split("/")
        year = int(parts[0]) if parts[0].isascii() and parts[0].isdigit() else None
        bid = ""
        if year is not None and len(parts) >= 4 and parts[1] == "b":
            bid = parts[2]  # <year>/b/<bid>/…: board, members, notices
        elif year is not None and len(parts) == 5 and parts[1] == "pdf" and parts[2] == "b":
            bid = parts[3]  # <year>/pdf/b/<bid>/<document>.pdf
        elif year is not None and len(parts) == 4 and parts[1] == "xlsx" and parts[2] == "b":
            bid = _XLSX_NAME.sub("", parts[3])  # <year>/xlsx/b/<bid>-stats1-year.xlsx
        elif len(parts) == 3 and parts[0] == "screen" and parts[1] == "b" and parts[2].endswith(".html"):
            year, bid = max(self.years, default=None), parts[2][:-5]
        elif parts[0] == "assets" or path == "build-info.json":
            return None
        if bid:
            cid = self._committee_of.get(bid)
            if cid is None or year not in self.years or bid not in self.years[year].branches:
                return ("none",)  # a branch or year that does not exist: no unit makes it
            return ("branch", year, cid, bid)
        return ("site",)


_XLSX_NAME = re.compile(r"-stats[12]-[a-z0-9]+\.xlsx$")


def render_site(
    ctx: Context,
    district: District,
    years: dict[int, YearResult],
    theme: Theme,
    out: Output,
    jobs: int,
    tick: Callable[[int], None],
    hashes: dict[str, str],
    pdf: Pdf | None = None,
    screen=None,
) -> tuple[int, int]:
    """Render every file into `out`. Returns (files, rendered); the rest were reused."""
    global _STATE
    site = Site(ctx, district, years, theme, hashes, pdf, screen)
    work = site.units()
    if pdf is not None:
        site._renderer = pdf.renderer_class(theme)  # made once, before forking, not in every worker
    _STATE = (site, out)
    files = rendered = 0
    parallel = (
        jobs > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and (len(work) >= PARALLEL_FROM or (pdf is not None and len(work) > 1))
    )
    pool = None
    try:
        if not parallel:
            results = map(_render_units, ([unit] for unit in work))
        else:
            pool = multiprocessing.get_context("fork").Pool(jobs)
            results = pool.imap_unordered(
                _render_units, ([unit] for unit in work), chunksize=max(1, len(work) // (jobs * 16))
            )
        for manifest, made_units, n_files, n_rendered in results:
            out.manifest.update(manifest)
            out.units.update(made_units)
            files += n_files
            rendered += n_rendered
            tick(files)
        if parallel:
            pool.close()
            pool.join()
        return files, rendered
    except BaseException:
        if pool is not None:  # a worker failed (a full disk…): stop the others now, they hold the output's lock too
            pool.terminate()
            pool.join()
        raise
    finally:
        _STATE = None


def _xlsx_jobs(district: District, years: dict[int, YearResult], unit: tuple, keys: dict) -> Iterator[RenderJob]:
    """统计表 spreadsheets: a branch's with its unit (its inputs are the unit's), the
    committees' and the district's with the site (they depend on every branch)."""
    from sitegen.render.downloads import xlsx_documents

    if unit[0] == "site":
        for year, result in sorted(years.items()):
            mine_keys = {}
            for committee in district.committees:
                mine = [result.branches[b.id] for b in committee.branches if b.id in result.branches]
                # a committee's 统计表 are made from its own branches only: their units' inputs
                mine_keys[committee.id] = _digest(
                    keys.get(("branch", year, committee.id, r.branch_id), "") for r in mine
                )
                for doc in xlsx_documents(year, mine, committee=committee.id):
                    yield RenderJob(
                        "xlsx", (year, doc.kind, "committee", committee.id), doc.path, "xlsx", mine_keys[committee.id]
                    )
            whole = _digest(mine_keys[c.id] for c in district.committees)
            for doc in xlsx_documents(year, list(result.branches.values())):
                yield RenderJob("xlsx", (year, doc.kind, "district", ""), doc.path, "xlsx", whole)
        return
    _, year, cid, bid = unit
    for doc in xlsx_documents(year, [years[year].branches[bid]], branch=bid):
        yield RenderJob("xlsx", (year, doc.kind, "branch", bid), doc.path, "xlsx", keys.get(unit, ""))


def _digest(parts) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _render_xlsx(district: District, years: dict[int, YearResult], spec: tuple, report_date) -> bytes:
    from sitegen.render.xlsx import DISTRICT, Scope, stats_bytes

    year, kind, scope_kind, scope_id = spec
    form, period = int(kind[4]), kind.split("-", 1)[1]
    scope = DISTRICT if scope_kind == "district" else Scope(scope_kind, scope_id)
    return stats_bytes(district, years[year], form, period, scope, report_date)


def _render_units(chunk: list[tuple]) -> tuple[dict[str, str], dict[str, list], int, int]:
    site, out = _STATE
    manifest: dict[str, str] = {}
    made_units: dict[str, list] = {}
    files = rendered = 0
    for unit in chunk:
        name, key = unit_id(unit), site.keys.get(unit)
        reused = out.reuse_unit(name, key) if key else None
        if reused is not None:
            manifest.update(reused)
            made_units[name] = [key, sorted(reused)]
            files += len(reused)
            continue
        made: list[str] = []
        for job in site.jobs(unit):
            file_key = site.file_key(job)
            if not out.reuse(job.path, file_key):
                out.write(job.path, site.render(job))
                rendered += 1
            manifest[job.path] = file_key
            made.append(job.path)
            files += 1
        if key:
            made_units[name] = [key, sorted(made)]
    return manifest, made_units, files, rendered
