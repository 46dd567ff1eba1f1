"""变更记录: the change log's pages, from the content repository's history.

Three levels, none of which grows with one branch's import or with the district's size
beyond its own part. changes.html is the index: one row per committee (its branches, its
changes and the day of its latest) and the latest few changes across the district (a few
per branch at most, so one branch's bulk import cannot fill it). Each committee has its own
change index, changes/c/<id>/: its branches with their counts, and its latest few changes.
Each branch has its own log, changes/b/<id>/: every year's changes to its published
quarters, grouped by quarter, CHANGES_PER_PAGE rows a page. A committee's or a branch's
page holds only its own changes and names its own latest change in the footer (not the
repository's commit), so a commit of one branch re-renders that branch's log, its
committee's index and changes.html, nothing else. Only quarters whose 公示 has begun are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from sitegen.history.model import Change
from sitegen.model.scored import YearResult, light
from sitegen.model.site import Branch, Committee, District
from sitegen.render import format as fmt
from sitegen.render.html import urls
from sitegen.render.html.common import SiteFacts, change_row
from sitegen.render.html.views import (
    BranchChangesView,
    ChangeCommittee,
    ChangeCount,
    ChangeQuarter,
    ChangeRow,
    ChangesView,
    CommitteeChangesView,
    Link,
)
from sitegen.render.jobs import RenderJob


def change_log_jobs(
    ctx: SiteFacts, district: District, years: dict[int, YearResult], heads: HeadOf | None = None
) -> Iterator[RenderJob]:
    """changes.html (its own unit: it shows every committee). `heads(branch, make)`: a
    branch's ChangesHead, `make()` or the same kept from an earlier build
    (sitegen.render.pieces, by Site)."""
    by_branch: dict[str, Sequence[Change]] = {}
    if ctx.history is not None:
        for branch in district.branches():

            def make(branch: Branch = branch) -> ChangesHead:
                return ChangesHead.of(_branch_published(ctx, branch, years))

            by_branch[branch.id] = heads(branch, make) if heads is not None else make()
    yield RenderJob("changes.html", changes_view(ctx, district, years, by_branch), urls.changes())


@dataclass(frozen=True)
class ChangesHead(Sequence[Change]):
    """What the change log's indexes show of a branch's changes to published quarters:
    how many, and the newest LATEST_PER_BRANCH (newest first). Read like the tuple of all
    of them: its length is the count, its items and slices the newest ones'."""

    total: int
    newest: tuple[Change, ...]

    @classmethod
    def of(cls, changes: tuple[Change, ...]) -> ChangesHead:
        return cls(len(changes), changes[:LATEST_PER_BRANCH])

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            assert index.start is None and (index.stop or 0) <= LATEST_PER_BRANCH, "only the newest are kept"
        return self.newest[index]


HeadOf = Callable[[Branch, Callable[[], ChangesHead]], ChangesHead]


def committee_change_log_jobs(
    ctx: SiteFacts, district: District, years: dict[int, YearResult], committee: Committee, heads: HeadOf | None = None
) -> Iterator[RenderJob]:
    """One committee's change index, with a history only (its own unit: it shows that
    committee's branches alone). Each branch's own change log is made with its branch's
    latest year's unit (:func:`branch_unit_changes_jobs`). `heads`: as for changes.html
    (it shows the same of each branch: the count and the newest few)."""
    if ctx.history is None:
        return
    by_branch: dict[str, Sequence[Change]] = {}
    for branch in committee.branches:

        def make(branch: Branch = branch) -> ChangesHead:
            return ChangesHead.of(_branch_published(ctx, branch, years))

        by_branch[branch.id] = heads(branch, make) if heads is not None else make()
    yield from _committee_changes_jobs(ctx, years, by_branch, committee)


def branch_unit_changes_jobs(
    ctx: SiteFacts, committee: Committee, branch: Branch, years: dict[int, YearResult], year: int
) -> Iterator[RenderJob]:
    """The branch's change log, with its unit of `year` when that is the year of its board
    (its latest year; :func:`_board`) and the build has a history."""
    if ctx.history is None:
        return
    board = _board(branch, years)
    if board is None or board != urls.branch(year, branch.id):
        return
    yield from _branch_change_pages(ctx, committee, branch, board, _branch_published(ctx, branch, years))


CHANGES_PER_PAGE = 100  # rows on one page of a branch's change log
LATEST_CHANGES = 30  # the latest changes on the change log's index…
LATEST_PER_BRANCH = 3  # …of which one branch's at most: a bulk import does not fill it


def _branch_published(ctx: SiteFacts, branch: Branch, years: dict[int, YearResult]) -> tuple[Change, ...]:
    """The branch's changes to its published quarters (every year), newest first."""
    assert ctx.history is not None, "changes only with a history"

    def published(year: int, quarter: int, bid: str = branch.id) -> bool:
        branches = years[year].branches if year in years else {}
        return bid in branches and quarter in light(branches, bid).published_quarters

    return ctx.history.branch_changes(branch.id, published)


def _board(branch: Branch, years: dict[int, YearResult]) -> str | None:
    """The branch's board of its latest year (None: it has none)."""
    mine = [year for year, result in years.items() if branch.id in result.branches]
    return urls.branch(max(mine), branch.id) if mine else None


def _committee_board(committee: Committee, years: dict[int, YearResult]) -> tuple[int, str] | None:
    """The committee's page of its latest year, with the year (None: it has none)."""
    mine = [year for year, result in years.items() if any(b.id in result.branches for b in committee.branches)]
    return (max(mine), urls.committee(max(mine), committee.id)) if mine else None


def _latest(changes: list[tuple[Change, int, Link]]) -> tuple[ChangeRow, ...]:
    """The latest LATEST_CHANGES of (change, branch order, branch link), each branch's
    first LATEST_PER_BRANCH at most (a branch's changes come newest first)."""
    taken: dict[int, int] = {}
    pool = []
    for c, order, link in changes:
        n = taken.get(order, 0)
        if n < LATEST_PER_BRANCH:
            taken[order] = n + 1
            pool.append((c.landed, -order, -n, c, link))
    pool.sort(key=lambda t: t[:3], reverse=True)
    return tuple(change_row(c, c.summary, link) for *_, c, link in pool[:LATEST_CHANGES])


@dataclass(frozen=True)
class _CommitteeChanges:
    """A committee's branches that have a board, with their counts (links relative to the
    page), each one's latest few changes, and the committee's newest change."""

    rows: tuple[ChangeCount, ...]
    latest: tuple[tuple[Change, int, Link], ...]  # (change, the branch's order, its link)
    newest: Change | None

    @property
    def count(self) -> int:
        return sum(r.count for r in self.rows)


def _committee_changes(
    committee: Committee, years: dict[int, YearResult], by_branch: Mapping[str, Sequence[Change]], root: str
) -> _CommitteeChanges:
    rows = []
    latest: list[tuple[Change, int, Link]] = []
    firsts: list[Change] = []
    for order, branch in enumerate(committee.branches):
        if _board(branch, years) is None:
            continue
        changes = by_branch.get(branch.id, ())
        link = Link(branch.info.short_name, root + urls.branch_changes(branch.id))
        rows.append(ChangeCount(link, len(changes), fmt.day(changes[0].landed.date()) if changes else ""))
        latest.extend((c, order, link) for c in changes[:LATEST_PER_BRANCH])
        firsts.extend(changes[:1])
    newest = max(firsts, key=lambda c: c.landed, default=None)
    return _CommitteeChanges(tuple(rows), tuple(latest), newest)


def changes_view(
    ctx: SiteFacts,
    district: District,
    years: dict[int, YearResult],
    by_branch: Mapping[str, Sequence[Change]],
) -> ChangesView:
    """变更记录: one row per committee with its branches' and changes' counts (each links
    to its own change index), and the latest changes across the district, bounded."""
    path = urls.changes()
    committees = []
    latest: list[tuple[Change, int, Link]] = []
    offset = 0  # a branch's order across the district
    for committee in district.committees:
        mine = _committee_changes(committee, years, by_branch, "")
        latest.extend((c, offset + order, link) for c, order, link in mine.latest)
        offset += len(committee.branches)
        if mine.rows and by_branch:
            committees.append(
                ChangeCommittee(
                    committee=Link(committee.info.name, urls.committee_changes(committee.id)),
                    branches=len(mine.rows),
                    count=mine.count,
                    latest=fmt.day(mine.newest.landed.date()) if mine.newest else "",
                )
            )
    note = ctx.history_note or (
        "按党(工)委列出支部数、修改条数和最近一次修改，点击党(工)委名称查看其各支部；"
        "每个支部的修改按季度分组、分页列出，每条记录写明修改人、提交说明、合并请求和合并人。"
        "未公示季度的修改不在此列。"
    )
    return ChangesView(
        page=ctx.page(path, "变更记录"),
        note=note,
        committees=tuple(committees),
        latest=_latest(latest),
        per_branch=LATEST_PER_BRANCH,
    )


def _committee_changes_jobs(
    ctx: SiteFacts, years: dict[int, YearResult], by_branch: Mapping[str, Sequence[Change]], committee: Committee
) -> Iterator[RenderJob]:
    """The committee's change index: its branches with their counts and its latest
    changes. Its view holds that committee's branches alone, so a change in another
    committee leaves it as it was."""
    path = urls.committee_changes(committee.id)
    root = urls.root_of(path)
    mine = _committee_changes(committee, years, by_branch, root)
    if not mine.rows:
        return
    if mine.newest is not None:
        commit = mine.newest.merge or mine.newest.commit
        provenance = (
            f"本页数据：截至{fmt.day(mine.newest.landed.date())}的提交 {commit.short}"
            "（所列支部最近一次已公示季度的修改）。"
        )
    else:
        provenance = "本页数据：所列支部尚无已公示季度的修改记录。"
    page = replace(
        ctx.page(path, f"{committee.info.short_name} · 变更记录", (("变更记录", urls.changes()),)),
        provenance=provenance,
    )
    board = _committee_board(committee, years)
    yield RenderJob(
        "committee-changes.html",
        CommitteeChangesView(
            page=page,
            name=committee.info.name,
            board=Link(f"{board[0]}年党员积分管理", root + board[1]) if board is not None else None,
            count=mine.count,
            note="各支部的修改条数和最近一次修改；点击支部名称查看该支部按季度分组的全部修改。"
            "未公示季度的修改不在此列。",
            branches=mine.rows,
            latest=_latest(list(mine.latest)),
            per_branch=LATEST_PER_BRANCH,
        ),
        path,
    )


def _branch_change_pages(
    ctx: SiteFacts, committee: Committee, branch: Branch, board: str, changes: tuple[Change, ...]
) -> Iterator[RenderJob]:
    ordered = sorted(changes, key=lambda c: (c.year, c.quarter), reverse=True)  # stable: newest first within
    chunks = [ordered[i : i + CHANGES_PER_PAGE] for i in range(0, len(ordered), CHANGES_PER_PAGE)] or [[]]
    count = len(chunks)
    paths = [urls.branch_changes(branch.id, n) for n in range(1, count + 1)]
    name = branch.info.short_name
    if changes:
        newest = changes[0]
        commit = newest.merge or newest.commit
        provenance = (
            f"本页数据：截至{fmt.day(newest.landed.date())}的提交 {commit.short}（本支部最近一次已公示季度的修改）。"
        )
    else:
        provenance = "本页数据：本支部尚无已公示季度的修改记录。"
    # every quarter, with the page it starts on and how many changes it has
    starts: dict[tuple[int, int], int] = {}
    sizes: dict[tuple[int, int], int] = {}
    for n, chunk in enumerate(chunks):
        for c in chunk:
            starts.setdefault((c.year, c.quarter), n)
            sizes[(c.year, c.quarter)] = sizes.get((c.year, c.quarter), 0) + 1
    for n, chunk in enumerate(chunks):
        path = paths[n]
        crumbs = (("变更记录", urls.changes()), (committee.info.short_name, urls.committee_changes(committee.id)))
        page = replace(ctx.page(path, f"{name} · 变更记录", crumbs), provenance=provenance)

        def here(target: int, anchor: str = "", n: int = n) -> str:
            return (paths[target].rsplit("/", 1)[1] if target != n or not anchor else "") + anchor

        contents = tuple(
            (Link(_quarter_title(key), here(start, f"#{_quarter_anchor(key)}")), sizes[key])
            for key, start in starts.items()
        )
        groups = []
        for key, rows in _by_quarter(chunk):
            groups.append(
                ChangeQuarter(
                    title=_quarter_title(key),
                    anchor=_quarter_anchor(key),
                    rows=tuple(change_row(c, c.summary) for c in rows),
                    continued=starts[key] < n,
                )
            )
        yield RenderJob(
            "branch-changes.html",
            BranchChangesView(
                page=page,
                name=branch.info.name,
                board=Link(f"{name}公示栏", page.root + board),
                committee=committee.info.name,
                total=len(changes),
                note="按季度分组，最近的季度在前；每季度内最近的修改在前。未公示季度的修改不在此列。"
                if changes
                else "暂无已公示季度的修改记录。",
                quarters=tuple(groups),
                contents=contents,
                number=n + 1,
                pages=count,
                prev=Link("上一页", here(n - 1)) if n > 0 else None,
                next=Link("下一页", here(n + 1)) if n + 1 < count else None,
            ),
            path,
        )


def _by_quarter(chunk: list[Change]) -> list[tuple[tuple[int, int], list[Change]]]:
    groups: list[tuple[tuple[int, int], list[Change]]] = []
    for c in chunk:
        key = (c.year, c.quarter)
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(c)
    return groups


def _quarter_title(key: tuple[int, int]) -> str:
    return fmt.quarter(*key)


def _quarter_anchor(key: tuple[int, int]) -> str:
    return f"y{key[0]}q{key[1]}"
