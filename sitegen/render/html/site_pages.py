"""Every page of the site, as (template, view) jobs, built from the scored model.

Pages per year: the district home, one page per committee, per branch, per scored
member, per category ranking and per notice; plus the site home (the latest year)
and the archive. Nothing here renders; `theme.py` does.
"""

from __future__ import annotations

from collections.abc import Iterator

from sitegen.model.enums import Category
from sitegen.model.ledger import Notice
from sitegen.model.scored import BranchYearResult, GradedMember, Role, ScoreSummary, YearResult, light
from sitegen.model.site import Branch, Committee, District
from sitegen.render import format as fmt
from sitegen.render.downloads import committee_documents, district_documents, xlsx_documents
from sitegen.render.html import urls
from sitegen.render.html.branch_pages import MemberFacts, branch_view, member_view
from sitegen.render.html.change_pages import (
    HeadOf,
    branch_unit_changes_jobs,
    change_log_jobs,
    committee_change_log_jobs,
)
from sitegen.render.html.common import (
    SiteFacts,
    counts,
    dashboard,
    download_links,
    notice_links,
    progress,
    screen_links,
)
from sitegen.render.html.search import search_jobs
from sitegen.render.html.urls import BranchUnit, SitePart, SiteUnit, Unit
from sitegen.render.html.views import (
    ArchiveView,
    CommitteeView,
    HomeView,
    Link,
    NoticeView,
    RankingView,
    RankRow,
    RankTable,
    StatsRow,
)
from sitegen.render.jobs import RenderJob


def _job(template: str, view) -> RenderJob:
    return RenderJob(template, view, view.page.path)


def units(district: District, years: dict[int, YearResult], history: bool = False) -> list[Unit]:
    """The site split into independent units of work: above the branches, each year's
    district pages and each committee's year (the largest first), the archive, the search
    index and the change log's indexes (`history`: one per committee too); then one unit
    per branch and year (its board, notices and member pages). Units can be rendered in
    any order, in any process."""
    out: list[Unit] = []
    for year, result in sorted(years.items()):
        out.append(urls.district_unit(year))
        for committee in district.committees:
            if any(b.id in result.branches for b in committee.branches):
                out.append(urls.committee_unit(year, committee.id))
    out += [urls.ARCHIVE, urls.SEARCH, urls.CHANGES]
    if history:
        for committee in district.committees:
            if any(b.id in result.branches for result in years.values() for b in committee.branches):
                out.append(urls.committee_changes_unit(committee.id))
    for year, result in sorted(years.items()):
        for committee in district.committees:
            for branch in committee.branches:
                if branch.id in result.branches:
                    out.append(BranchUnit(year, committee.id, branch.id))
    return out


def unit_jobs(
    ctx: SiteFacts,
    district: District,
    years: dict[int, YearResult],
    unit: Unit,
    heads: HeadOf | None = None,
    shown: tuple[tuple, ...] | None = None,
) -> Iterator[RenderJob]:
    """The unit's (template, view) jobs. `heads`: where changes.html and the committees'
    change indexes take each branch's latest changes from (change_pages.change_log_jobs);
    `shown`: the search index's entries, when already made (search.entries)."""
    if isinstance(unit, SiteUnit):
        yield from _site_jobs(ctx, district, years, unit, heads, shown)
        return
    year = unit.year
    committee, branch = _unit_branch(district, unit.committee, unit.branch)
    bres = years[year].branches[branch.id]
    names = district.short_names()
    yield _job("branch.html", branch_view(ctx, district, committee, branch, bres, names))
    yield from _notice_jobs(
        ctx, branch.notices, year, branch.info.name, urls.branch(year, branch.id), committee.id, branch.id
    )
    facts = MemberFacts(committee, branch, bres)  # what the branch's member pages share
    for r in bres.members:
        if r.listed:  # scored here in some quarter of the year
            yield _job("member.html", member_view(ctx, committee, branch, bres, r, facts))
    yield from branch_unit_changes_jobs(ctx, committee, branch, years, year)  # with its latest year's unit


def _unit_branch(district: District, committee_id: str, branch_id: str) -> tuple[Committee, Branch]:
    """A branch unit's committee and branch (indexed lookups: not a walk over the district
    for each of its units)."""
    committee, branch = district.committee(committee_id), district.branch(branch_id)
    assert committee is not None and branch is not None and branch.committee_id == committee.id, (
        f"no branch {committee_id}/{branch_id}"
    )
    return committee, branch


def _site_jobs(
    ctx: SiteFacts,
    district: District,
    years: dict[int, YearResult],
    unit: SiteUnit,
    heads: HeadOf | None = None,
    shown: tuple[tuple, ...] | None = None,
) -> Iterator[RenderJob]:
    part = unit.part
    if part is SitePart.DISTRICT:
        result = years.get(unit.year)
        if result is None:
            return
        year = unit.year
        yield _job("home.html", home_view(ctx, district, result, urls.year_home(year)))
        if year == max(years):
            yield _job("home.html", home_view(ctx, district, result, urls.home()))
        for category in Category:
            yield _job("ranking.html", ranking_view(ctx, district, result, category))
        yield from _notice_jobs(ctx, district.notices, year, district.info.organization, urls.year_home(year), "")
    elif part is SitePart.COMMITTEE:
        result = years.get(unit.year)
        committee = district.committee(unit.committee)
        if result is None or committee is None:
            return
        branch_results = [light(result.branches, b.id) for b in committee.branches if b.id in result.branches]
        if not branch_results:
            return
        yield _job("committee.html", committee_view(ctx, district, committee, result, branch_results))
        yield from _notice_jobs(
            ctx,
            committee.notices,
            unit.year,
            committee.info.name,
            urls.committee(unit.year, committee.id),
            committee.id,
        )
    elif part is SitePart.ARCHIVE:
        yield _job("archive.html", archive_view(ctx, district, years))
    elif part is SitePart.SEARCH:
        yield from search_jobs(district, years, shown)
    elif part is SitePart.CHANGES:
        yield from change_log_jobs(ctx, district, years, heads)
    elif part is SitePart.COMMITTEE_CHANGES:
        committee = district.committee(unit.committee)
        if committee is not None:
            yield from committee_change_log_jobs(ctx, district, years, committee, heads)


def filed_by(committee, year: int, branch_id: str) -> dict | None:
    """The committee's 审核备案 of a branch's quarters (quarter → date), if it keeps that record."""
    record = committee.filings.get(year)
    if record is None:
        return None
    return {f.quarter: f.filed for f in record.filings if f.branch == branch_id}


def home_view(ctx: SiteFacts, district: District, result: YearResult, path: str) -> HomeView:
    year = result.year
    root = urls.root_of(path)
    title = f"{district.info.name}党员积分管理公示（{year}年）"
    shown = [light(result.branches, bid) for bid in result.branches]  # an unchanged branch's result is not read
    page = ctx.page(path, title, () if path == urls.home() else ((f"{year}年", urls.year_home(year)),))
    committees = []
    for committee in district.committees:
        rows = dashboard(
            [
                progress(
                    light(result.branches, b.id), b.info.short_name, root, ctx.today, filed_by(committee, year, b.id)
                )
                for b in committee.branches
                if b.id in result.branches
            ]
        )
        if rows:
            committees.append(
                (
                    Link(committee.info.name, root + urls.committee(year, committee.id)),
                    counts(result.committees[committee.id]),
                    rows,
                )
            )
    rankings = tuple(Link(f"{c.value}党员", root + urls.rankings(year, urls.CATEGORY_SLUGS[c.value])) for c in Category)
    return HomeView(
        page=page,
        year=year,
        district=district.info.name,
        organization=district.info.organization,
        committees=tuple(committees),
        counts=counts(result.district),
        rankings=rankings,
        notices=notice_links(district.notices, year, root),
        downloads=download_links(
            ctx,
            district_documents(year, shown),
            root,
            xlsx_documents(year, shown),
        ),
        years=ctx.year_links(path, urls.year_home) if len(ctx.years) > 1 else (),
        screens=screen_links(district, result, root) if year == max(ctx.years, default=year) else (),
    )


def committee_view(
    ctx: SiteFacts,
    district: District,
    committee,
    result: YearResult,
    branch_results: list[BranchYearResult | ScoreSummary],
) -> CommitteeView:
    """The committee's page. `branch_results`: each branch's result, or its summary when
    not read; the ranks read the results once every branch of a category has its year end."""
    year = result.year
    path = urls.committee(year, committee.id)
    root = urls.root_of(path)
    page = ctx.page(path, f"{committee.info.short_name} · {year}年党员积分管理", ())
    short = {b.id: b.info.short_name for b in committee.branches}
    stats = tuple(
        StatsRow(name=short[r.branch_id], href=root + urls.branch(year, r.branch_id), counts=counts(r.stats))
        for r in branch_results
    )
    tables = []
    for category in Category:
        pool = [r for r in branch_results if r.category is category]
        if not pool:
            continue
        final = all(r.year_end_done for r in pool)
        rows = _ranked(_read(result, pool), root, short, lambda m: m.rank_committee) if final else ()
        tables.append(RankTable(f"{category.value}党员排名", rows, urls.CATEGORY_SLUGS[category.value]))
    return CommitteeView(
        page=page,
        year=year,
        name=committee.info.name,
        leader=committee.info.leader,
        progress=dashboard(
            [
                progress(r, short[r.branch_id], root, ctx.today, filed_by(committee, year, r.branch_id))
                for r in branch_results
            ]
        ),
        stats=stats,
        total=counts(result.committees[committee.id]),
        rankings=tuple(tables),
        notices=notice_links(committee.notices, year, root, cid=committee.id),
        downloads=download_links(
            ctx,
            committee_documents(year, committee.id, branch_results),
            root,
            xlsx_documents(year, branch_results, committee=committee.id),
        ),
        years=ctx.year_links(path, lambda y: urls.committee(y, committee.id)) if len(ctx.years) > 1 else (),
        change_log=Link("本党(工)委变更记录", root + urls.committee_changes(committee.id))
        if ctx.history is not None
        else None,
    )


def ranking_view(ctx: SiteFacts, district: District, result: YearResult, category: Category) -> RankingView:
    year = result.year
    slug = urls.CATEGORY_SLUGS[category.value]
    path = urls.rankings(year, slug)
    root = urls.root_of(path)
    page = ctx.page(path, f"{year}年全区{category.value}党员积分排名", ((f"{year}年", urls.year_home(year)),))
    pool = [r for bid in result.branches if (r := light(result.branches, bid)).category is category]
    final = bool(pool) and all(r.year_end_done for r in pool)
    names = district.short_names()
    rows = _ranked(_read(result, pool), root, names, lambda m: m.rank_district) if final else ()
    others = tuple(
        Link(f"{c.value}党员", root + urls.rankings(year, urls.CATEGORY_SLUGS[c.value]))
        for c in Category
        if c is not category
    )
    return RankingView(
        page=page,
        year=year,
        category=category.value,
        others=others,
        table=RankTable(f"{category.value}党员", rows),
        final=final,
    )


def _read(result: YearResult, pool: list[BranchYearResult | ScoreSummary]) -> list[BranchYearResult]:
    """The results of the branches in `pool` (read if they were not)."""
    return [result.branches[r.branch_id] for r in pool]


def _ranked(pool: list[BranchYearResult], root: str, names: dict[str, str], rank_of) -> tuple[RankRow, ...]:
    members = [
        (rank_of(m), names.get(r.branch_id, r.branch_id), m.member.id, r, m)
        for r in pool
        for m in r.members
        if m.role is Role.SCORED and isinstance(m, GradedMember)
    ]
    members.sort(key=lambda t: (t[0], t[1], t[2]))
    return tuple(
        RankRow(
            rank=str(rank),
            name=m.member.name,
            href=root + urls.member(r.year, r.branch_id, m.member.id),
            detail=branch,
            total=fmt.points(m.total),
            grade=m.grade.value if m.grade else "",
            final=m.final_grade.value if m.final_grade else "",
            vetoed=m.vetoed,
        )
        for rank, branch, _, r, m in members
    )


def archive_view(ctx: SiteFacts, district: District, years: dict[int, YearResult]) -> ArchiveView:
    path = urls.archive()
    rows = []
    for year, result in sorted(years.items(), reverse=True):
        done = sum(1 for bid in result.branches if light(result.branches, bid).year_end_done)
        rows.append(
            (Link(f"{year}年", urls.year_home(year)), f"{len(result.branches)} 个支部，{done} 个已完成年度评定")
        )
    return ArchiveView(page=ctx.page(path, "历年党员积分管理公示"), years=tuple(rows))


def _notice_jobs(
    ctx: SiteFacts, notices: tuple[Notice, ...], year: int, issuer: str, back: str, cid: str, bid: str = ""
) -> Iterator[RenderJob]:
    for n in notices:
        if n.date.year != year:
            continue
        path = urls.notice(year, n.slug, cid, bid)
        root = urls.root_of(path)
        yield _job(
            "notice.html",
            NoticeView(
                page=ctx.page(path, n.title),
                title=n.title,
                date=fmt.day(n.date),
                issuer=issuer,
                body=ctx.markdown(n.body),
                back=Link("返回", root + back),
            ),
        )
