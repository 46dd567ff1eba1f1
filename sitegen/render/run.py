"""Rendering every output file, in parallel worker processes when it pays.

Units of work (one per branch and year, plus the site level) are independent, so they
are spread over forked workers that inherit the scored model instead of receiving it
pickled; each worker renders its units straight into the staging folder and returns the
manifest entries it made. Each unit yields HTML pages and, unless disabled, PDFs; the
result is the same files whatever the number of workers.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from sitegen import __version__, installed
from sitegen.load.cache import sitegen_fingerprint
from sitegen.memo import branch_scopes
from sitegen.model.scored import YearResult, light
from sitegen.model.site import Branch, District
from sitegen.render.html.site_pages import unit_jobs as html_jobs
from sitegen.render.html.site_pages import units
from sitegen.render.html.urls import BranchUnit, Owner, Scope, ScopeKind, SitePart, SiteUnit, Unit, unit_of
from sitegen.render.jobs import JobKind, RenderJob
from sitegen.render.markdown import render as render_markdown
from sitegen.render.pieces import Pieces
from sitegen.render.versions import DataVersions
from sitegen.write import Output

if TYPE_CHECKING:
    from sitegen.build import Prepared
    from sitegen.render.pdf.documents import Settings
    from sitegen.render.pdf.render import PdfRenderer
    from sitegen.render.xlsx.report import Report

PARALLEL_FROM = 64  # units of HTML only; below this, starting workers costs more than it saves

# what _render_units gives for its units: their files' inputs keys, which unit made which
# files, the files rendered anew, and the aggregates' parts made (by kind, then name)
Rendered = tuple[dict[str, str], dict[str, list], list[str], dict[str, dict[str, tuple[str, object]]]]

_STATE: tuple[Site, Output] | None = None  # set before forking; workers read it


class Pdf:
    """PDF output settings for a run: the document settings and the fonts' fingerprint."""

    def __init__(self, settings: Settings, fonts_fingerprint: str):
        from sitegen.render.pdf.render import PdfRenderer  # WeasyPrint loads only when PDFs are made

        self.settings = settings
        self.fonts = fonts_fingerprint
        self.renderer_class = PdfRenderer


@dataclass(frozen=True)
class XlsxView:
    """A 统计表 spreadsheet: which form, and the report it shows (every cell's data).
    `digest`: the report hashed part by part (its heading, period, scope, 统计表（一）
    rows and date, and each branch's rows of 统计表（二）, each branch's hash kept with its
    rows: sitegen.render.pieces), so that the file's key of a district's thirty thousand
    rows is not their repr made again; equal digests, equal reports."""

    form: int
    report: Report
    digest: str = ""

    def __repr__(self) -> str:
        if self.digest:
            return f"XlsxView(form={self.form!r}, digest={self.digest!r})"
        return f"XlsxView(form={self.form!r}, report={self.report!r})"


class Site:
    """One version's output as work to do: its units, each unit's jobs, each file's inputs
    key and how to render it. `render_site` renders all of it; `sitegen serve` renders
    the files it is asked for.

    A file's inputs key is the hash of what it is made from and nothing else: its view
    (the frozen view model its template is given, or the report a spreadsheet shows), the
    template, the theme's (and for PDFs the fonts') fingerprint and sitegen's version. A
    file whose view is unchanged is not rendered again, whatever else changed."""

    def __init__(self, prepared: Prepared):
        self.ctx, self.district, self.years = prepared.ctx, prepared.district, prepared.years
        self.theme, self.pdf, self.screen = prepared.inputs.theme, prepared.pdf_run, prepared.screen
        self.ctx.markdown = self._notice_html
        if self.screen is not None:
            self.screen.plain = self._notice_plain
        ctx, district, years, theme = self.ctx, self.district, self.years, self.theme
        self.versions = ctx.versions or DataVersions(years)
        self.fingerprint = theme.fingerprint()
        self._renderer: PdfRenderer | None = None
        committee_of = {b.id: c.id for c in district.committees for b in c.branches}
        self._committee_of = {
            (year, bid): committee_of[bid]
            for year, result in years.items()
            for bid in result.branches
            if bid in committee_of
        }

        self._hashes = prepared.inputs.scanned.hashes
        self._loaded = prepared.report.loaded
        self._scopes: dict[str, str] | None = None  # made when a unit key is first asked for (not by serve)
        self._base: str | None = None
        self._shown: tuple[tuple, ...] | None = None  # the search index's entries, once made
        self._above_hash: str | None = None
        self._pieces: dict[str, Pieces] = {}  # the aggregates' per-branch parts, by kind
        self._cache = prepared.cache
        self._branch_keys: dict[BranchUnit, str | None] = {}
        self._published: dict[str, list[str]] = {}  # _published_versions, by branch
        self._parts: dict[tuple[int, str], str | None] = {}  # _aggregate_part, by year and branch

    def units(self) -> list[Unit]:
        return units(self.district, self.years, history=self.ctx.history is not None)

    def unit_key(self, unit: Unit) -> str | None:
        """A unit's inputs, decided without building any of its views. Equal keys, equal
        files: the unit is linked from the last build unseen. None (a branch without a
        scope, or an aggregate over one): its views are built and compared file by file."""
        if isinstance(unit, SiteUnit):
            return self._site_key(unit)
        if unit not in self._branch_keys:
            self._branch_keys[unit] = self._branch_key(unit)
        return self._branch_keys[unit]

    def _branch_key(self, unit: BranchUnit) -> str | None:
        """A branch unit's inputs: the hash of its branch's files and of those above it
        (sitegen.memo.branch_scopes: the scored result is a function of them), what the
        build's date and the other branches change in its scored results (the quarters'
        公示 shown — the summary's `procedure`, read without its quarters —, the ranks
        across branches, in every year: the lobby screen shows
        earlier years), the commits behind its change history (of every year, for the unit
        of the branch's latest year, which makes its change log), and what every unit
        shares (:meth:`_shared`)."""
        if self._scopes is None:
            # the check's (made from the same files' hashes), else made here
            loaded = self._loaded
            self._scopes = loaded.scopes() if loaded.hashes is self._hashes else branch_scopes(self._hashes)
        scope = self._scopes.get(unit.branch)
        if scope is None:
            return None
        h = hashlib.sha256(f"{self._shared()}\0{unit.id}\0{scope}\0".encode())
        for year, result in sorted(self.years.items()):
            if unit.branch not in result.branches:
                continue
            # from the summary when the result is not read (the members' order and ids
            # are the branch's files': in the scope)
            bres = light(result.branches, unit.branch)
            h.update(f"{year}\0{bres.committee_id}\0{bres.procedure}\0{bres.ranks!r}\0".encode())
        history = self.ctx.history
        if history is not None:
            h.update(history.branch_version(unit.branch, unit.year).encode())
            if unit.year == max(y for y, result in self.years.items() if unit.branch in result.branches):
                # the unit of the branch's board also makes its change log: every year's changes
                for year in sorted(self.years):
                    h.update(f"\0{year}:{history.branch_version(unit.branch, year)}".encode())
        return h.hexdigest()[:32]

    def _site_key(self, unit: SiteUnit) -> str | None:
        """An aggregate's inputs: what every unit shares, every content file above the
        branches (site.yaml, scheme/, notices/, each committee's own files), the site's
        years and the build's date, and what it shows of each branch it covers
        (:meth:`_aggregate_part`) — its year's (a district's or a committee's year; the
        latest year's, which also makes the lobby screen, every year's) or every year's
        (the archive). Equal parts, equal aggregates; an edit of one branch changes the
        aggregates only when it changes what they show of it (an entry in a quarter not
        yet published does not), and never another committee's. Two aggregates are keyed
        on less, exactly what they show: the search index on its entries
        (search.entries), the change log's indexes on each branch's changes to published
        quarters (:meth:`_changes_key`)."""
        if unit.part in (SitePart.CHANGES, SitePart.COMMITTEE_CHANGES):
            return self._changes_key(unit)
        if unit.part is SitePart.SEARCH:
            return self._search_key(unit)
        h = hashlib.sha256(
            f"{self._shared()}\0{unit.id}\0{self._above()}\0{sorted(self.years)}\0{self.ctx.today}\0".encode()
        )
        latest = max(self.years, default=None)
        for year, result in sorted(self.years.items()):
            # a district's or committee's year; the latest's also makes the lobby screen,
            # whose honour roll is of the latest year with every year end published: all years
            if unit.part in (SitePart.DISTRICT, SitePart.COMMITTEE) and year != unit.year and unit.year != latest:
                continue
            for committee in self.district.committees:
                if unit.part is SitePart.COMMITTEE and committee.id != unit.committee:
                    continue
                for branch in committee.branches:
                    if branch.id not in result.branches:
                        continue
                    part = self._aggregate_part(year, committee.id, branch)
                    if part is None:
                        return None
                    h.update(f"{year}/{committee.id}/{branch.id}={part}\0".encode())
        return h.hexdigest()[:32]

    def _aggregate_part(self, year: int, cid: str, branch: Branch) -> str | None:
        """What the aggregates (the district's and committees' pages, rankings, 统计表,
        screens, PDFs; the archive) show of one branch's year, hashed: kept between builds
        under the branch unit's key (a function of the branch's files, those above, the
        date and the ranks), made again only when that changes — and then often the same,
        since an entry in a quarter not yet published changes nothing an aggregate shows.

        What they show is read from the score summary's fields (sitegen.render.versions,
        html.common.progress, html.site_pages, xlsx.report: the quarters' procedure and
        公示, the year end, the scheme, the ranks, the counts — the grades only once final:
        render.tables.counts, xlsx.report.roster_counts) and the branch's own record
        (names, years); the members' rows of each 统计表（二） once its period is
        published (the half year's after the first two quarters' 公示, the year's after
        the year end's); and, once the year end is published, each member's year as the
        rankings and the honour roll show it."""
        asked = (year, branch.id)
        if asked not in self._parts:  # several aggregates show each branch: asked once a build
            key = self.unit_key(BranchUnit(year, cid, branch.id))
            self._parts[asked] = (
                None
                if key is None
                else self._kept("aggregate-parts").get(
                    f"{year}/{branch.id}", key, lambda: self._make_aggregate_part(year, cid, branch)
                )
            )
        return self._parts[asked]

    def _make_aggregate_part(self, year: int, cid: str, branch: Branch) -> str:
        from sitegen.render.xlsx import PERIODS
        from sitegen.render.xlsx.report import Scope as SheetScope
        from sitegen.render.xlsx.report import available, branch_rows

        branches = self.years[year].branches
        bres = light(branches, branch.id)
        s = bres.stats
        shown = (
            repr(branch.info),
            sorted(branch.years),
            bres.branch_id,
            bres.committee_id,
            bres.year,
            bres.category,
            bres.scheme,
            bres.quarters,
            bres.year_end_done,
            bres.assessed,
            bres.year_end_publicity,
            bres.ranks,
            bres.failed,
            (s.total, s.participants, s.exempt, s.activists, s.ungraded, s.final, s.grades if s.final else None),
        )
        h = hashlib.sha256(repr(shown).encode())
        periods = [period for period in PERIODS if available(bres, period)]
        if periods:
            full = branches[branch.id]
            names = self.district.short_names()
            for period in periods:
                for scope in (SheetScope("committee", cid), SheetScope("district")):
                    h.update(repr(tuple(branch_rows(full, branch, period, scope, names))).encode())
            if bres.year_end_done:  # the rankings and the honour roll: each member's year
                h.update(
                    repr(
                        tuple(
                            (
                                r.member,
                                r.role,
                                r.category,
                                getattr(r, "total", None),
                                getattr(r, "grade", None),
                                r.final_grade,
                                r.final_reason,
                                r.rating,
                                r.rank,
                                r.rank_committee,
                                r.rank_district,
                                r.vetoed,
                                r.ungraded,
                            )
                            for r in full.members
                        )
                    ).encode()
                )
        return h.hexdigest()[:32]

    def _changes_key(self, unit: SiteUnit) -> str:
        """The change log's index (changes.html) or a committee's change index: what they
        show of a branch is a function of its changes to published quarters — the commits
        behind each year's changes (History.branch_version) and the quarters published in
        each year — and of which years it has a board in; with every branch of the
        committees shown, in their order, the content files above the branches (the
        committees' names), the site's years, and for changes.html its footer (the
        repository's commit). Not the branches' whole keys: an edit of an unpublished
        quarter leaves them alone."""
        versions = self.ctx.versions
        note = versions.changes_note if versions is not None and unit.part is SitePart.CHANGES else ""
        h = hashlib.sha256(f"{self._shared()}\0{unit.id}\0{self._above()}\0{sorted(self.years)}\0{note}\0".encode())
        for committee in self.district.committees:
            if unit.part is SitePart.COMMITTEE_CHANGES and committee.id != unit.committee:
                continue
            h.update(f"c:{committee.id}\0".encode())
            for branch in committee.branches:
                h.update(f"b:{branch.id}\0".encode())
                for shown in self._published_versions(branch.id):
                    h.update(f"{shown}\0".encode())
        return h.hexdigest()[:32]

    def _search_key(self, unit: SiteUnit) -> str:
        """The search index is a function of what it shows of each branch (search.entries),
        in the district's order: keyed on each branch's part, hashed — the hash kept under
        the key of the branch's latest year's unit (`pieces/search-digests/`), so that after
        an edit only the edited branch's part is looked at (the parts themselves are read
        only when the index is made again, :meth:`_search_entries`)."""
        from sitegen.render.html.search import latest_years

        digests = self._kept("search-digests")
        h = hashlib.sha256(f"{self._shared()}\0{unit.id}\0".encode())
        latest = latest_years(self.years)
        for branch in self.district.branches():
            year = latest.get(branch.id)
            if year is None:
                continue
            key = self.unit_key(BranchUnit(year, self._committee_of[(year, branch.id)], branch.id))
            if key is None:  # a branch without a scope: every part as it is now
                shown = repr(self._search_entries())
                return hashlib.sha256(f"{self._shared()}\0{unit.id}\0{shown}".encode()).hexdigest()[:32]
            digest = digests.get(branch.id, key, partial(self._search_digest, branch, year, key))
            h.update(f"{branch.id}={digest}\0".encode())
        return h.hexdigest()[:32]

    def _search_digest(self, branch: Branch, year: int, key: str) -> str:
        return hashlib.sha256(repr(self._search_part(branch, year, key)).encode()).hexdigest()

    def _search_part(self, branch: Branch, year: int, key: str) -> tuple:
        """What the search index shows of a branch (search.branch_entry), kept under the key
        of its latest year's unit (which covers its files, its short name and sitegen's
        code): an unchanged branch's result is not read."""
        from sitegen.render.html.search import branch_entry

        return self._kept("search-entries").get(
            branch.id, key, lambda: branch_entry(branch, year, self.years[year].branches[branch.id])
        )

    def _search_entries(self) -> tuple[tuple, ...]:
        """What the search index shows (search.entries), made once, when the index is made
        (its unit's key changed)."""
        if self._shown is None:
            from sitegen.render.html.search import entries

            def kept(branch: Branch, year: int, make: Callable[[], tuple]) -> tuple:
                key = self.unit_key(BranchUnit(year, self._committee_of[(year, branch.id)], branch.id))
                return self._search_part(branch, year, key) if key is not None else make()

            self._shown = entries(self.district, self.years, kept)
        return self._shown

    def _published_versions(self, bid: str) -> list[str]:
        """What the change log shows of a branch depends on, year by year: the quarters
        published and the commits behind its changes (History.branch_version). Made once
        a build (changes.html and the committee's change index both ask)."""
        if bid not in self._published:
            history = self.ctx.history
            self._published[bid] = [
                f"{year}:{sorted(light(result.branches, bid).published_quarters)}:"
                f"{history.branch_version(bid, year) if history is not None else ''}"
                for year, result in sorted(self.years.items())
                if bid in result.branches
            ]
        return self._published[bid]

    def _above(self) -> str:
        """The hash of every content file above the branches: site.yaml, scheme/, notices/,
        each committee's own files (restricted/ never reaches a page)."""
        if self._above_hash is None:
            h = hashlib.sha256()
            for path in sorted(self._hashes):
                parts = path.split("/")
                if parts[0] == "restricted" or (parts[0] == "committees" and len(parts) > 4 and parts[2] == "branches"):
                    continue
                h.update(f"{path}\0{self._hashes[path]}\0".encode())
            self._above_hash = h.hexdigest()
        return self._above_hash

    def _shared(self) -> str:
        """What every branch unit's files depend on besides its branch: sitegen's code and
        version, the theme, the PDF settings and fonts, the site's name and years, whether
        it shows the change history, and every branch's short name (a member who moved
        names the other branch)."""
        if self._base is None:
            ctx, pdf = self.ctx, self.pdf
            parts = (
                __version__,
                _code_fingerprint(),
                installed.libraries(),
                self.fingerprint,
                repr(pdf.settings) + pdf.fonts if pdf is not None else "no-pdf",
                "screen" if self.screen is not None else "no-screen",
                ctx.site_name,
                repr(ctx.years),
                repr(ctx.extra_css),
                repr(ctx.pdf),
                "history" if ctx.history is not None else "no-history",
                ctx.history_note,
                repr(sorted(self.district.short_names().items())),
            )
            self._base = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        return self._base

    def jobs(self, unit: Unit) -> Iterator[RenderJob]:
        ctx, district, years, pdf, screen = self.ctx, self.district, self.years, self.pdf, self.screen
        shown = self._search_entries() if isinstance(unit, SiteUnit) and unit.part is SitePart.SEARCH else None
        yield from html_jobs(ctx, district, years, unit, self._changes_head, shown)
        latest = max(years, default=None)
        if screen is not None:
            from sitegen.render.screen.pages import branch_screen_jobs, committee_screen_jobs, district_screen_jobs

            if isinstance(unit, BranchUnit):
                yield from branch_screen_jobs(screen, district, years, unit)
            elif unit.year == latest and unit.part is SitePart.DISTRICT:
                yield from district_screen_jobs(screen, district, years, ctx.today)
            elif unit.year == latest and unit.part is SitePart.COMMITTEE:
                yield from committee_screen_jobs(screen, district, years, unit.committee, ctx.today)
        yield from _xlsx_jobs(district, years, unit, self.versions, self._rows_of)
        if pdf is None:
            return
        from sitegen.render.pdf import documents

        if isinstance(unit, SiteUnit):
            if unit.year in years and unit.part is SitePart.DISTRICT:
                yield from documents.district_stats_jobs(pdf.settings, district, years[unit.year], self._rows_of)
            elif unit.year in years and unit.part is SitePart.COMMITTEE:
                yield from documents.committee_stats_jobs(
                    pdf.settings, district, years[unit.year], unit.committee, self._rows_of
                )
        else:
            committee, branch = district.committee(unit.committee), district.branch(unit.branch)
            assert committee is not None and branch is not None, f"no branch {unit.committee}/{unit.branch}"
            yield from documents.branch_jobs(
                pdf.settings, district, committee, branch, years[unit.year].branches[unit.branch]
            )

    def _rows_of(self, year: int, period: str, scope_kind: str) -> Callable:
        """A report's rows of one branch (xlsx.report.RowsOf), with their hash: kept between
        builds under the branch unit's key (which covers everything a branch's row shows:
        its files, those above it, the ranks across branches, sitegen's code), for the
        period and the kind of report (a committee's or the district's category rank).
        Collects each branch's hash in `digests`, in the report's order."""
        pieces = self._kept(f"report-rows-{scope_kind}")
        digests: list[str] = []

        def rows_of(branch, make):
            def made() -> tuple[tuple, str]:
                rows = make()
                return rows, hashlib.sha256(repr(rows).encode()).hexdigest()

            key = self.unit_key(BranchUnit(year, branch.committee_id, branch.id))
            rows, digest = pieces.get(f"{year}/{period}/{branch.id}", key, made) if key is not None else made()
            digests.append(digest)
            return rows

        rows_of.digests = digests  # type: ignore[attr-defined]
        return rows_of

    def _changes_head(self, branch, make):
        """A branch's ChangesHead for changes.html and its committee's change index, kept
        between builds under the key of what it is made from: the branch's published
        quarters and the commits behind its changes in each year (as :meth:`_changes_key`),
        and sitegen's code."""
        assert self.ctx.history is not None, "changes only with a history"
        parts = [
            __version__,
            _code_fingerprint(),
            installed.libraries(),
            branch.id,
            *self._published_versions(branch.id),
        ]
        key = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
        pieces = self._kept("changes-heads")
        return pieces.get(branch.id, key, make)

    def _notice_html(self, text: str) -> str:
        """A notice's Markdown as sanitized HTML (sitegen.render.markdown), for its page and
        the lobby screens, kept by the text's hash under the code's and the libraries'
        fingerprints: a build that looks at a notice need not load the Markdown renderer."""
        key = f"{__version__}\0{_code_fingerprint()}\0{installed.libraries()}"
        name = hashlib.sha256(text.encode()).hexdigest()
        return self._kept("notice-html").get(name, key, partial(render_markdown, text))

    def _notice_plain(self, text: str) -> str:
        from sitegen.render.screen.pages import plain_of

        return plain_of(self._notice_html(text))

    def _kept(self, kind: str) -> Pieces:
        """The aggregates' per-branch parts of `kind` (sitegen.render.pieces), one store per kind."""
        pieces = self._pieces.get(kind)
        if pieces is None:
            pieces = self._pieces[kind] = Pieces(self._cache, kind)
        return pieces

    def save_pieces(self) -> None:
        for pieces in self._pieces.values():
            pieces.save()

    def drain_pieces(self) -> dict[str, dict[str, tuple[str, object]]]:
        """The parts made in this process since the last drain, by kind."""
        return {kind: made for kind, pieces in self._pieces.items() if (made := pieces.drain())}

    def absorb_pieces(self, parts: dict[str, dict[str, tuple[str, object]]]) -> None:
        for kind, made in parts.items():
            self._kept(kind).absorb(made)

    def file_key(self, job: RenderJob) -> str:
        """A file's inputs: its view (which carries everything it shows), the template, the
        theme's fingerprint (and the fonts', for a PDF) and sitegen's version."""
        fonts = self.pdf.fonts if job.kind is JobKind.PDF and self.pdf is not None else ""
        return hashlib.sha256(
            f"{__version__}\0{installed.libraries()}\0{self.fingerprint}\0{job.kind.value}\0{fonts}\0{job.template}\0"
            f"{job.view!r}".encode()
        ).hexdigest()[:32]

    def render(self, job: RenderJob) -> bytes:
        if job.kind is JobKind.PDF:
            if self._renderer is None:
                assert self.pdf is not None, "a PDF job without PDF settings"
                self._renderer = self.pdf.renderer_class(self.theme)
            return self._renderer.render(job.template, job.view)
        if job.kind is JobKind.XLSX:
            from sitegen.render.xlsx import stats_one, stats_two

            assert isinstance(job.view, XlsxView)
            return (stats_one if job.view.form == 1 else stats_two).xlsx_bytes(job.view.report)
        return self.theme.render(job.template, job.view)

    def unit_of(self, path: str) -> Unit | Owner:
        """The unit that makes `path` (urls.unit_of, over this version's branches)."""
        return unit_of(path, self._committee_of, self.years)


def render_site(site: Site, out: Output, jobs: int, tick: Callable[[int], None]) -> RenderStats:
    """Render every file of `site` into `out`, reusing each file whose inputs key equals
    the last build's. Returns what was made and what was rendered (the rest was reused)."""
    global _STATE
    stats = RenderStats()
    work: list[tuple[Unit, str | None]] = []
    for unit in site.units():
        key = site.unit_key(unit)
        reused = out.reuse_unit(unit.id, key) if key is not None else None
        if reused is None:
            work.append((unit, key))
            continue
        out.manifest.update(reused)
        out.units[unit.id] = [key, sorted(reused)]
        stats.files += len(reused)
        stats.units_reused += 1
    tick(stats.files)
    # the scored model is only read from here on: the collector need not walk it again in
    # each collection, and forked workers do not copy its memory pages to mark it (left
    # frozen if the process had frozen objects of its own: unfreeze would undo that too)
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    if site.pdf is not None:
        site._renderer = site.pdf.renderer_class(site.theme)  # made once, before forking, not in every worker
    site.drain_pieces()  # (the parts the keys made are this process's to save: not the workers' to hand back)
    _STATE = (site, out)
    parallel = jobs > 1 and (len(work) >= PARALLEL_FROM or (site.pdf is not None and len(work) > 1)) and _can_fork()
    pool = None
    try:
        if not parallel:
            results: Iterator[Rendered] = map(_render_units, ([item] for item in work))
        else:
            # the spreadsheet writer (openpyxl and what it imports) loaded once, before forking,
            # rather than by each worker at its first spreadsheet
            import multiprocessing

            from sitegen.render.xlsx import stats_one, stats_two  # noqa: F401

            pool = multiprocessing.get_context("fork").Pool(jobs)
            results = pool.imap_unordered(
                _render_units, ([item] for item in work), chunksize=max(1, len(work) // (jobs * 16))
            )
        for manifest, made_units, rendered, parts in results:
            if pool is not None:  # (made in this process, they are in its stores already)
                site.absorb_pieces(parts)
            # (a file a forked worker reused is kept though this process never saw the
            # worker's `reuse`: Output.commit keeps every listed file nothing wrote)
            out.manifest.update(manifest)
            out.units.update(made_units)
            stats.files += len(manifest)
            stats.rendered += rendered
            tick(stats.files)
        if pool is not None:
            pool.close()
            pool.join()
        site.save_pieces()
        stats.rendered.sort()
        return stats
    except BaseException:
        if pool is not None:  # a worker failed (a full disk…): stop the others now, they hold the output's lock too
            pool.terminate()
            pool.join()
        raise
    finally:
        _STATE = None
        if not frozen_before:
            gc.unfreeze()


def _can_fork() -> bool:
    """Whether render workers can be forked (multiprocessing imported only to ask: a
    build after an edit renders a few units in this process and never does)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


@dataclass
class RenderStats:
    files: int = 0  # files made (rendered or reused)
    rendered: list[str] = field(default_factory=list)  # the paths rendered anew, sorted
    units_reused: int = 0  # units whose key equals the last build's: linked, their views never built


def _code_fingerprint() -> str:
    """A hash of sitegen's code (every module: the views, the rules, the loader), for the
    unit keys: a changed view builder changes every unit's key."""
    return sitegen_fingerprint()


def _xlsx_jobs(
    district: District, years: dict[int, YearResult], unit: Unit, versions: DataVersions, rows_of=None
) -> Iterator[RenderJob]:
    """统计表 spreadsheets: a branch's with its unit, a committee's with the unit of its
    year, the district's with its year's unit. Each job's view is the report the workbook
    shows, dated with the data version of its scope (never the clock, nor a commit).
    `rows_of(year, period, scope kind)`: where the committees' and the district's rows
    of 统计表（二） come from, branch by branch (Site._rows_of)."""
    from sitegen.render.downloads import xlsx_documents

    if isinstance(unit, SiteUnit):
        result = years.get(unit.year)
        if result is None:
            return
        year = unit.year
        if unit.part is SitePart.COMMITTEE:
            committee = district.committee(unit.committee)
            if committee is None:
                return
            mine = [light(result.branches, b.id) for b in committee.branches if b.id in result.branches]
            scope = Scope(ScopeKind.COMMITTEE, year, committee.id)
            for doc in xlsx_documents(year, mine, committee=committee.id):
                yield from _xlsx_job(district, result, doc, "committee", committee.id, versions.day(scope), rows_of)
        elif unit.part is SitePart.DISTRICT:
            day = versions.day(Scope(ScopeKind.YEAR, year))
            for doc in xlsx_documents(year, [light(result.branches, bid) for bid in result.branches]):
                yield from _xlsx_job(district, result, doc, "district", "", day, rows_of)
        return
    result = years[unit.year]
    day = versions.day(Scope(ScopeKind.BRANCH, unit.year, unit.branch))
    for doc in xlsx_documents(unit.year, [result.branches[unit.branch]], branch=unit.branch):
        yield from _xlsx_job(district, result, doc, "branch", unit.branch, day)


def _xlsx_job(
    district: District, result: YearResult, doc, scope_kind: str, scope_id: str, day, rows_of=None
) -> Iterator[RenderJob]:
    from sitegen.render.xlsx import DISTRICT
    from sitegen.render.xlsx.report import Scope as SheetScope
    from sitegen.render.xlsx.report import build_report

    form, period = int(doc.kind[4]), doc.kind.split("-", 1)[1]
    scope = DISTRICT if scope_kind == "district" else SheetScope(scope_kind, scope_id)
    branch_rows = rows_of(result.year, period, scope_kind) if rows_of is not None and form == 2 else None
    report = build_report(district, result, period, scope, form, day, branch_rows)
    if report is None:
        return
    digest = ""
    if branch_rows is not None:
        # the report part by part: all but the rows of 统计表（二）, then each branch's rows' hash
        rest = repr((report.heading, report.period, report.scope, report.stats_rows, report.stamp))
        digest = hashlib.sha256("\0".join([rest, *branch_rows.digests]).encode()).hexdigest()
    yield RenderJob("xlsx", XlsxView(form, report, digest), doc.path, JobKind.XLSX)


def _render_units(chunk: list[tuple[Unit, str | None]]) -> Rendered:
    assert _STATE is not None
    site, out = _STATE
    manifest: dict[str, str] = {}
    made_units: dict[str, list] = {}
    rendered: list[str] = []
    for unit, unit_key in chunk:
        made: list[str] = []
        for job in site.jobs(unit):
            file_key = site.file_key(job)
            if not out.reuse(job.path, file_key):
                out.write(job.path, site.render(job))
                rendered.append(job.path)
            manifest[job.path] = file_key
            made.append(job.path)
        made_units[unit.id] = [unit_key or "", sorted(made)]  # which unit made which files, from which inputs
    # the aggregates' parts these units made, for the main process to save once at the end
    # (a forked worker's would be lost with it; every shard written after every unit that
    # touched it made a full build's saving grow with the square of the district)
    return manifest, made_units, rendered, site.drain_pieces()
