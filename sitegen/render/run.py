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


def render_site(ctx: Context, district: District, years: dict[int, YearResult], theme: Theme, out: Output,
                jobs: int, tick: Callable[[int], None], hashes: dict[str, str], pdf: Pdf | None = None,
                screen=None) -> tuple[int, int]:
    """Render every file into `out`. Returns (files, rendered); the rest were reused."""
    global _STATE
    work = units(district, years)
    fingerprint = theme.fingerprint()
    site_digest = hashlib.sha256(repr((__version__, fingerprint, ctx.site_name, ctx.provenance, ctx.years,
                                       ctx.extra_css, pdf and (pdf.settings.paper, pdf.fonts))).encode()).hexdigest()
    keys = unit_keys(district, years, hashes, site_digest)
    renderer = pdf.renderer_class(theme) if pdf else None
    _STATE = (ctx, district, years, theme, out, fingerprint, keys, pdf, renderer, screen)
    files = rendered = 0
    parallel = jobs > 1 and "fork" in multiprocessing.get_all_start_methods() and (
        len(work) >= PARALLEL_FROM or (pdf is not None and len(work) > 1))
    try:
        if not parallel:
            results = map(_render_units, ([unit] for unit in work))
        else:
            pool = multiprocessing.get_context("fork").Pool(jobs)
            results = pool.imap_unordered(_render_units, ([unit] for unit in work), chunksize=max(1, len(work) // (jobs * 16)))
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
    finally:
        _STATE = None


def _jobs(unit: tuple) -> Iterator[RenderJob]:
    ctx, district, years, theme, out, fingerprint, keys, pdf, renderer, screen = _STATE
    yield from html_jobs(ctx, district, years, unit)
    if screen is not None:
        from sitegen.render.screen.pages import branch_screen_jobs, screen_jobs

        if unit[0] == "site":
            yield from screen_jobs(screen, district, years)
        else:
            yield from branch_screen_jobs(screen, district, years, unit)
    yield from _xlsx_jobs(district, years, unit, keys)
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
                mine_keys[committee.id] = _digest(keys.get(("branch", year, committee.id, r.branch_id), "") for r in mine)
                for doc in xlsx_documents(year, mine, committee=committee.id):
                    yield RenderJob("xlsx", (year, doc.kind, "committee", committee.id), doc.path, "xlsx",
                                    mine_keys[committee.id])
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
    ctx, district, years, theme, out, fingerprint, keys, pdf, renderer, screen = _STATE
    manifest: dict[str, str] = {}
    made_units: dict[str, list] = {}
    files = rendered = 0
    for unit in chunk:
        name, key = unit_id(unit), keys.get(unit)
        reused = out.reuse_unit(name, key) if key else None
        if reused is not None:
            manifest.update(reused)
            made_units[name] = [key, sorted(reused)]
            files += len(reused)
            continue
        made: list[str] = []
        for job in _jobs(unit):
            extra = pdf.fonts if job.kind == "pdf" else ""
            # a file's inputs: its view (which carries the data it shows), or, for a spreadsheet,
            # the inputs of its unit plus what it is and the date it is stamped with
            inputs = f"{job.view!r}\0{job.key}\0{ctx.report_date}" if job.key else repr(job.view)
            file_key = hashlib.sha256(
                f"{__version__}\0{fingerprint}\0{extra}\0{job.template}\0{inputs}".encode()).hexdigest()[:32]
            if not out.reuse(job.path, file_key):
                if job.kind == "pdf":
                    data = renderer.render(job.template, job.view)
                elif job.kind == "xlsx":
                    data = _render_xlsx(district, years, job.view, ctx.report_date)
                else:
                    data = theme.render(job.template, job.view)
                out.write(job.path, data)
                rendered += 1
            manifest[job.path] = file_key
            made.append(job.path)
            files += 1
        if key:
            made_units[name] = [key, sorted(made)]
    return manifest, made_units, files, rendered
