"""The branch board (党务公开栏) and the member pages: the heart of the site.

Only what the branch has published is shown: quarters whose 公示 has started, and the
year-end results once the 综合评定 is recorded. Ledger entries of a quarter not yet
published stay off the site.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sitegen.model.enums import Appellant, Method, Part
from sitegen.model.scheme import Scheme
from sitegen.model.scored import ZERO, BranchYearResult, GradedMember, LedgerLine, MemberResult, Parts, Role
from sitegen.model.site import Branch, Committee, District
from sitegen.render import format as fmt
from sitegen.render.downloads import branch_documents, xlsx_documents
from sitegen.render.html import urls
from sitegen.render.html.common import SiteFacts, change_row, download_links, notice_links
from sitegen.render.html.views import (
    AppealRow,
    BranchView,
    LineRow,
    Link,
    MemberQuarterRow,
    MemberView,
    QuarterView,
    RankTable,
    ScoreCard,
    YearEndView,
)
from sitegen.render.tables import (
    PARTS,
    counts,
    items_table,
    membership_events,
    quarter_others,
    quarter_rows,
    ungraded_rows,
    year_end_rows,
)
from sitegen.rules.membership import last_day, status_on
from sitegen.rules.score import _capped_parts, _clamp_item


def branch_view(
    ctx: SiteFacts,
    district: District,
    committee: Committee,
    branch: Branch,
    result: BranchYearResult,
    names: dict[str, str],
) -> BranchView:
    year = result.year
    path = urls.branch(year, branch.id)
    root = urls.root_of(path)
    page = ctx.page(
        path,
        f"{branch.info.short_name} · {year}年党员积分管理公示",
        ((committee.info.short_name, urls.committee(year, committee.id)),),
    )
    published = [q for q in result.quarters if q.published]
    quarters = tuple(_quarter(result, q.quarter, root, names) for q in reversed(published))
    year_end = _year_end(result, root) if result.year_end_done else None
    if year_end is not None:
        current, current_href = f"{year}年度积分评定结果已公示（{year_end.publicity or '见下文'}）", "#year-end"
    elif quarters:
        current, current_href = (
            f"{quarters[0].title}积分情况公示（公示期 {quarters[0].publicity}）",
            f"#{quarters[0].anchor}",
        )
    else:
        current, current_href = f"{year}年尚未公示季度积分", "#items"
    return BranchView(
        page=page,
        year=year,
        name=branch.info.name,
        committee=Link(committee.info.name, root + urls.committee(year, committee.id)),
        category=branch.category.value,
        leader=branch.info.leader,
        general_branch=branch.info.general_branch,
        current=current,
        current_href=current_href,
        items=items_table(result),
        quarters=quarters,
        year_end=year_end,
        notices=notice_links(branch.notices, year, root, bid=branch.id),
        years=ctx.year_links(path, lambda y: urls.branch(y, branch.id), branch.years)
        if len([y for y in ctx.years if y in branch.years]) > 1
        else (),  # a branch founded this year has no page of last year
        downloads=download_links(ctx, branch_documents(result), root, xlsx_documents(year, [result], branch=branch.id)),
        exempt=tuple(r.member.name for r in result.members if r.role is Role.EXEMPT),
        floating_out=tuple(
            (r.member.name, names.get(r.scored_at, r.scored_at)) for r in result.members if r.role is Role.FLOATING_OUT
        ),
        floating_in=tuple(
            (r.member.name, names.get(r.floating_from, r.floating_from)) for r in result.members if r.floating_from
        ),
        changes=tuple(
            (r.member.name, "；".join(events))
            for r in result.members
            for events in (membership_events(r.member, year),)
            if events
        ),
        change_log=Link("本支部变更记录", root + urls.branch_changes(branch.id)) if ctx.history is not None else None,
    )


def _quarter(result: BranchYearResult, q: int, root: str, names: dict[str, str]) -> QuarterView:
    status = result.quarters[q - 1]
    rows, activists = quarter_rows(result, q, lambda mid: root + urls.member(result.year, result.branch_id, mid))
    # an undecided one is 受理中 (never its reason); who a 群众 is, is never published
    appeals = tuple(
        AppealRow(
            id=a.id,
            about=("群众意见：" if a.by is Appellant.PUBLIC else "") + (f"台账条目 {a.entry}" if a.entry else a.matter),
            filed=fmt.day(a.filed),
            outcome=a.outcome.value if a.outcome else "受理中",
            decided=fmt.day(a.decided),
            correction=a.correction,
        )
        for a in status.appeals
    )
    publicity = status.publicity
    return QuarterView(
        anchor=f"q{q}",
        title=fmt.quarter(result.year, q),
        publicity=fmt.period(publicity),
        scope=publicity.scope if publicity else "",
        contact=publicity.contact if publicity else "",
        confirmed=fmt.day(status.confirmed),
        rows=rows,
        activists=activists,
        appeals=appeals,
        others=quarter_others(result, q, names),
    )


def _year_end(result: BranchYearResult, root: str) -> YearEndView:
    members, activists = year_end_rows(result, lambda mid: root + urls.member(result.year, result.branch_id, mid))
    return YearEndView(
        publicity=fmt.period(result.year_end_publicity),
        assessed=fmt.day(result.assessed),
        members=RankTable("党员年度积分评定结果", members),
        activists=RankTable("入党积极分子（参照积分管理）", activists),
        counts=counts(result.stats),
        ungraded=ungraded_rows(result),
    )


class MemberFacts:
    """What every member page of one branch and year shares, worked out once for the branch
    instead of once per page: the published quarters, how many are ranked in each quarter
    and graded in each role, the scheme's fixed points, the branch's link and crumbs, and
    each ledger line's row (a whole-branch entry reaches every member with the same line)."""

    def __init__(self, committee: Committee, branch: Branch, result: BranchYearResult):
        year = result.year
        self.published = frozenset(result.published_quarters)
        self.ranked: dict[tuple[int, Role | None], int] = {}
        for x in result.members:
            for q, mq in enumerate(x.quarters, start=1):
                key = (q, mq.role)
                self.ranked[key] = self.ranked.get(key, 0) + 1
        self.graded: dict[Role, int] = {}
        for x in result.members:
            if x.graded:
                self.graded[x.role] = self.graded.get(x.role, 0) + 1
        self.fixed = {code: item.points for code, item in result.scheme.items.items() if item.points is not None}
        self.crumbs = (
            (committee.info.short_name, urls.committee(year, committee.id)),
            (branch.info.short_name, urls.branch(year, branch.id)),
        )
        self.branch_href = urls.branch(year, branch.id)
        self.rows: dict[LedgerLine, LineRow] = {}
        self.caps = CapPlan(result.scheme)

    def row(self, line: LedgerLine, items) -> LineRow:
        """The line's row, without what a cap did to it (the same for every member it reached)."""
        row = self.rows.get(line)
        if row is not None:
            return row
        item = items.get(line.item)
        correction = ""
        if line.corrects:
            correction = (f"撤回 {line.corrects} 的记分" if line.reversal else f"更正 {line.corrects}") + (
                f"：{line.reason}" if line.reason else ""
            )
        points = (
            "一票否决"
            if item and item.part is Part.VETO
            else fmt.signed(-line.points if item and item.part is Part.DEDUCTION else line.points)
        )
        row = self.rows[line] = LineRow(
            date=fmt.day(line.date),
            entry=line.entry_id,
            item=f"{line.item} {item.name}" if item else line.item,
            part=PARTS[item.part] if item else "",
            points=points,
            source=line.source.value,
            evidence=line.evidence,
            correction=correction,
            reversal=line.reversal,
            title=line.note or (item.name if item else line.item),
        )
        return row


def member_view(
    ctx: SiteFacts,
    committee: Committee,
    branch: Branch,
    result: BranchYearResult,
    r: MemberResult,
    facts: MemberFacts | None = None,
) -> MemberView:
    """A member's page. `facts`: the branch's MemberFacts, shared by its member pages
    (made here when not given)."""
    if facts is None:
        facts = MemberFacts(committee, branch, result)
    year = result.year
    path = urls.member(year, branch.id, r.member.id)
    root = urls.root_of(path)
    page = ctx.page(path, f"{r.member.name} · {year}年积分", facts.crumbs)
    published = facts.published
    quarters = tuple(
        MemberQuarterRow(
            quarter=fmt.QUARTER_NAMES[mq.quarter],
            points=(fmt.points(mq.points.base), fmt.points(mq.points.bonus), fmt.points(mq.points.deduction)),
            ytd=(fmt.points(mq.ytd.base), fmt.points(mq.ytd.bonus), fmt.points(mq.ytd.deduction)),
            total=fmt.points(mq.total),
            rank=str(mq.rank) if mq.rank else "—",
        )
        for mq in r.quarters
        if mq.quarter in published and mq.role in (Role.SCORED, Role.ACTIVIST)
    )
    items = result.scheme.items
    remarks = cap_remarks(result.scheme, r.lines, facts.caps)
    lines = []
    for index, line in enumerate(r.lines):
        if line.quarter not in published:
            continue
        row = facts.row(line, items)
        remark = remarks.get(index)
        if remark is not None:
            row = replace(row, remark=remark[0], uncounted=remark[1])
        lines.append(row)
    annual: tuple[tuple[str, str], ...] = ()
    if result.year_end_done and isinstance(r, GradedMember):
        annual = (
            ("年度积分", fmt.points(r.total)),
            ("积分等次", r.grade.value if r.grade else "—"),
            ("民主测评", r.rating.value if r.rating else "—"),
            (
                "评定等次",
                (r.final_grade.value if r.final_grade else "—") + (f"（{r.final_reason}）" if r.final_reason else ""),
            ),
            ("支部排名", str(r.rank)),
        )
        if r.rank_committee:
            annual += (("党(工)委同类排名", str(r.rank_committee)), ("全区同类排名", str(r.rank_district)))
        if r.vetoed:
            annual += (("说明", "有一票否决事项，评定为不合格"),)
    changes = ()
    if ctx.history is not None:
        changes = tuple(
            change_row(mc.change, mc.summary)
            for mc in ctx.history.for_member(branch.id, year, r.member.id, facts.fixed)
            if mc.change.quarter in published
        )  # unpublished quarters stay off the site
    role_note = r.role.value
    if r.floating_from:
        role_note += "（流动党员，由本支部积分）"
    if r.member.left is not None:
        role_note = "已离开本支部"
    status = status_on(r.member, last_day(r.member, year))  # at year end, or when they left
    return MemberView(
        page=page,
        year=year,
        name=r.member.name,
        status=status.value,
        branch=Link(branch.info.name, root + facts.branch_href),
        role_note=role_note,
        quarters=quarters,
        lines=tuple(lines),
        annual=annual,
        vetoed=r.vetoed and result.year_end_done,
        changes=changes,
        history_note=ctx.history_note,
        card=_card(result, r, facts),
        membership=membership_events(r.member, year),
        ungraded=r.ungraded,
    )


def _card(result: BranchYearResult, r: MemberResult, facts: MemberFacts) -> ScoreCard | None:
    """The year so far: the latest published quarter's running total, or the year's result
    once the year end is published."""
    published = facts.published
    shown = [mq for mq in r.quarters if mq.quarter in published and mq.role in (Role.SCORED, Role.ACTIVIST)]
    if not shown:
        return None
    last = shown[-1]

    def ranked(q: int, role) -> int:
        return facts.ranked.get((q, role), 0)

    def place(rank: int | None, of: int) -> str:
        return f"第 {rank} 名（共 {of} 人）" if rank else "—"

    quarters = tuple(
        (fmt.QUARTER_NAMES[mq.quarter], fmt.points(mq.total), place(mq.rank, ranked(mq.quarter, mq.role)))
        for mq in shown
    )
    activist = last.role is Role.ACTIVIST
    rank_label = "支部排名（入党积极分子）" if activist else "支部排名"
    parts = (
        ("基础积分", fmt.points(last.ytd.base)),
        ("贡献加分", fmt.points(last.ytd.bonus)),
        ("违规扣分", fmt.points(last.ytd.deduction)),
    )
    if result.year_end_done and isinstance(r, GradedMember):
        of = facts.graded.get(r.role, 0)
        grade = (r.final_grade or r.grade).value
        return ScoreCard("年度积分", fmt.points(r.total), parts, place(r.rank, of), rank_label, grade, quarters)
    label = f"截至{fmt.QUARTER_NAMES[last.quarter]}累计积分"
    return ScoreCard(
        label,
        fmt.points(last.total),
        parts,
        place(last.rank, ranked(last.quarter, last.role)),
        rank_label,
        "",
        quarters,
    )


def cap_remarks(
    scheme: Scheme, lines: tuple[LedgerLine, ...], plan: CapPlan | None = None
) -> dict[int, tuple[str, bool]]:
    """line index → (what a cap did to it, in words; whether nothing of it counted), for the
    lines a cap cut. Replays the member's lines in date order through the rules engine's
    caps (item, group, part: `rules.score._capped_parts`); with 四季度平均 the caps hold per
    quarter. The replay is kept up to date line by line (`_Caps`), not worked out again
    from all the sums for every line. `plan`: the scheme's CapPlan, when the caller has it."""
    if plan is None:
        plan = CapPlan(scheme)
    if not plan.exact:  # a group with items of different parts: the engine's own replay
        return _cap_remarks_replay(scheme, lines)
    per_quarter = plan.per_quarter
    out: dict[int, tuple[str, bool]] = {}
    caps = _Caps(plan)
    quarter = 0
    items = scheme.items
    if per_quarter:
        order = sorted(range(len(lines)), key=lambda i: (lines[i].quarter, lines[i].date))
    else:
        order = sorted(range(len(lines)), key=lambda i: lines[i].date)
    for index in order:
        line = lines[index]
        item = items.get(line.item)
        if item is None or item.part is Part.VETO:
            continue
        if per_quarter and line.quarter != quarter:
            caps, quarter = _Caps(plan), line.quarter
        points = line.points
        own, got = caps.add(item, points)
        if points <= 0 or line.reversal or got >= points:
            continue
        out[index] = _remark(scheme, item, plan.span, own < points, max(got, ZERO))
    return out


def _remark(scheme: Scheme, item, span: str, own_cut: bool, got: Decimal) -> tuple[str, bool]:
    group = scheme.groups.get(item.group) if item.group else None
    if item.cap is not None and own_cut:
        cap = f"本项{span}上限 {fmt.points(item.cap)} 分"
    elif group is not None:
        cap = f"“{group.name}”各项{span}合计上限 {fmt.points(group.cap)} 分"
    else:
        part_cap = scheme.part_cap(item.part)
        cap = f"{PARTS[item.part]}{span}上限 {fmt.points(part_cap)} 分" if part_cap is not None else "已达上限"
    if got == 0:
        return (cap.replace("上限", "已达上限", 1) + "，本次不计分", True)
    return (f"{cap}，本次计 {fmt.points(got)} 分", False)


class CapPlan:
    """A scheme's caps as `_Caps` uses them, worked out once per scheme: each part's cap
    (`rules.score._capped_parts` caps 基础积分 and 贡献加分 only), each group's, and whether
    every group's items are of one part (`exact`: what the engine's sum per group assumes;
    otherwise cap_remarks replays the engine itself)."""

    def __init__(self, scheme: Scheme):
        self.per_quarter = scheme.method is Method.QUARTER_MEAN
        self.span = "本季度" if self.per_quarter else "全年"
        self.part_caps = {Part.BASE: scheme.part_cap(Part.BASE), Part.BONUS: scheme.part_cap(Part.BONUS)}
        self.group_caps = {code: group.cap for code, group in scheme.groups.items()}
        parts: dict[str, set] = {}
        for item in scheme.items.values():
            if item.group:
                parts.setdefault(item.group, set()).add(item.part)
        self.exact = all(len(p) == 1 for p in parts.values())


class _Caps:
    """The capped parts of a member's sums so far, as `rules.score._capped_parts` works them
    out (each item within its own cap, then its group's, then the part's), kept up to date
    one line at a time."""

    def __init__(self, plan: CapPlan):
        self.plan = plan
        self.sums: dict[str, Decimal] = {}  # item code -> raw sum
        self.parts = {Part.BASE: ZERO, Part.BONUS: ZERO, Part.DEDUCTION: ZERO}  # before the part caps
        self.groups: dict[str, Decimal] = {}  # group code -> its clamped items' sum

    def add(self, item, points: Decimal) -> tuple[Decimal, Decimal]:
        """Adds a line's points to its item: (how much the item's own cap let through, how
        much the line's part grew after every cap)."""
        old = self.sums.get(item.code, ZERO)
        new = old + points
        self.sums[item.code] = new
        own = _clamp_item(item, new) - _clamp_item(item, old)
        if not own:
            return own, own
        grown = own
        if item.group:
            before = self.groups.get(item.group, ZERO)
            after = before + own
            self.groups[item.group] = after
            cap = self.plan.group_caps.get(item.group)
            if cap is not None:
                grown = min(after, cap) - min(before, cap)
        part = item.part
        value = self.parts[part]
        self.parts[part] = value + grown
        cap = self.plan.part_caps.get(part)
        if cap is not None:
            grown = min(value + grown, cap) - min(value, cap)
        return own, grown


def _cap_remarks_replay(scheme: Scheme, lines: tuple[LedgerLine, ...]) -> dict[int, tuple[str, bool]]:
    """cap_remarks by the rules engine's `_capped_parts` itself, worked out again for each
    line: for schemes whose groups mix parts (which `_Caps` does not model)."""
    per_quarter = scheme.method is Method.QUARTER_MEAN
    span = "本季度" if per_quarter else "全年"
    out: dict[int, tuple[str, bool]] = {}
    sums: dict[str, Decimal] = {}
    quarter = 0
    for index in sorted(range(len(lines)), key=lambda i: (lines[i].quarter if per_quarter else 0, lines[i].date)):
        line = lines[index]
        item = scheme.items.get(line.item)
        if item is None or item.part is Part.VETO:
            continue
        if per_quarter and line.quarter != quarter:
            sums, quarter = {}, line.quarter
        before = dict(sums)
        sums[line.item] = sums.get(line.item, ZERO) + line.points
        if line.points <= 0 or line.reversal:
            continue
        got = _part_of(_capped_parts(scheme, sums, False), item.part) - _part_of(
            _capped_parts(scheme, before, False), item.part
        )
        if got >= line.points:
            continue
        own = _clamp_item(item, sums[line.item]) - _clamp_item(item, before.get(line.item, ZERO))
        out[index] = _remark(scheme, item, span, own < line.points, max(got, ZERO))
    return out


def _part_of(parts: Parts, part: Part) -> Decimal:
    return {Part.BASE: parts.base, Part.BONUS: parts.bonus, Part.DEDUCTION: parts.deduction}[part]
