"""Rendering the whole site, in parallel worker processes when it is large.

Units of work (one per branch and year, plus the site level) are independent, so they
are spread over forked workers that inherit the scored model instead of receiving it
pickled; each worker renders its units straight into the staging folder and returns the
manifest entries it made. The result is the same files, whatever the number of workers.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable

from sitegen import __version__
from sitegen.model.scored import YearResult
from sitegen.model.site import District
from sitegen.render.html.common import Context
from sitegen.render.inputs import unit_id, unit_keys
from sitegen.render.html.site_pages import unit_jobs, units
from sitegen.render.theme import Theme
from sitegen.write import Output

PARALLEL_FROM = 64  # units; below this, starting workers costs more than it saves

_STATE: tuple | None = None  # set before forking; workers read it


def render_site(ctx: Context, district: District, years: dict[int, YearResult], theme: Theme, out: Output,
                jobs: int, tick: Callable[[int], None], hashes: dict[str, str]) -> tuple[int, int]:
    """Render every page into `out`. Returns (pages, rendered); the rest were reused."""
    global _STATE
    work = units(district, years)
    fingerprint = theme.fingerprint()
    site_digest = hashlib.sha256(repr((__version__, fingerprint, ctx.site_name, ctx.provenance, ctx.years,
                                       ctx.extra_css)).encode()).hexdigest()
    keys = unit_keys(district, years, hashes, site_digest)
    _STATE = (ctx, district, years, theme, out, fingerprint, keys)
    pages = rendered = 0
    try:
        if jobs <= 1 or len(work) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
            for unit in work:
                manifest, made_units, n_pages, n_rendered = _render_units([unit])
                out.manifest.update(manifest)
                out.units.update(made_units)
                pages += n_pages
                rendered += n_rendered
                tick(pages)
            return pages, rendered
        chunks = [work[i::jobs * 8] for i in range(jobs * 8)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for manifest, made_units, n_pages, n_rendered in pool.imap_unordered(_render_units, chunks):
                out.manifest.update(manifest)
                out.units.update(made_units)
                pages += n_pages
                rendered += n_rendered
                tick(pages)
        return pages, rendered
    finally:
        _STATE = None


def _render_units(chunk: list[tuple]) -> tuple[dict[str, str], dict[str, list], int, int]:
    ctx, district, years, theme, out, fingerprint, keys = _STATE
    manifest: dict[str, str] = {}
    made_units: dict[str, list] = {}
    pages = rendered = 0
    for unit in chunk:
        name, key = unit_id(unit), keys.get(unit)
        reused = out.reuse_unit(name, key) if key else None
        if reused is not None:
            manifest.update(reused)
            made_units[name] = [key, sorted(reused)]
            pages += len(reused)
            continue
        made: list[str] = []
        for job in unit_jobs(ctx, district, years, unit):
            path = job.view.page.path
            page_key = hashlib.sha256(f"{__version__}\0{fingerprint}\0{job.template}\0{job.view!r}".encode()).hexdigest()[:32]
            if not out.reuse(path, page_key):
                out.write(path, theme.render(job.template, job.view))
                rendered += 1
            manifest[path] = page_key
            made.append(path)
            pages += 1
        if key:
            made_units[name] = [key, sorted(made)]
    return manifest, made_units, pages, rendered
