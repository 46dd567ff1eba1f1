"""Roster rules: exemptions with all three steps, membership dates that make sense, and
every member scored by exactly one branch at any date (transfers and floating included)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sitegen.memo import NO_MEMO, Memo
from sitegen.model.enums import Direction, Status
from sitegen.model.org import Member
from sitegen.model.site import Branch, District
from sitegen.problems import Problem
from sitegen.rules.membership import Spans, scoring_spans

_NONE: dict[str, Member] = {}  # (never written to: the members at hand of a roster with none)

# the status changes a roster may record within a year (吸收入党, 转正)
TRANSITIONS = {(Status.ACTIVIST, Status.PROBATIONARY), (Status.PROBATIONARY, Status.FULL)}


def check_rosters(
    district: District, memo: Memo = NO_MEMO, unreadable: frozenset[tuple[str, int]] = frozenset()
) -> list[Problem]:
    """Each roster on its own (remembered per branch in `memo`), then what crosses
    branches: a floating member's other branch exists and agrees, nobody scored twice.
    `unreadable`: (branch, year) whose files have errors that kept the year from being
    read; a counterpart missing there is not reported again (its own error says why)."""
    problems: list[Problem] = check_partial_year(district)
    branch_ids = {b.id for b in district.branches()}
    # each roster: (branch id, year, the ids it lists, those of its members at hand by id);
    # a branch taken from the district digest has at hand only the members who may be
    # listed elsewhere too without an error (floating, joined or left)
    rosters: list[tuple[str, int, tuple[str, ...], dict[str, Member]]] = []
    for branch in district.branches():
        digest = memo.digest_of(branch.id)
        if digest is not None:
            problems += digest.roster_problems
            memo.took("roster")
            listed = []
            for yd in digest.years:
                if yd.mobile:
                    rosters.append((branch.id, yd.year, yd.ids, {m.id: m for _, m in yd.mobile}))
                    listed += [(yd.year, m) for _, m in yd.mobile]
                else:
                    rosters.append((branch.id, yd.year, yd.ids, _NONE))
        else:
            own, listed = memo.get(("roster", branch.id), (branch,), lambda: _branch_rosters(branch))
            memo.note(branch.id, "roster", (own, listed))
            problems += own
            by_year: dict[int, dict[str, Member]] = {}
            for year, m in listed:
                by_year.setdefault(year, {})[m.id] = m
            rosters += [(branch.id, year, tuple(members), members) for year, members in by_year.items()]
        for _, m in listed:
            f = m.floating
            if f is not None and f.branch and not f.org and f.branch != branch.id and f.branch not in branch_ids:
                problems.append(
                    Problem(
                        "E303",
                        f"流动党员 {m.name}（{m.id}）所写的支部“{f.branch}”不存在。",
                        f.pos,
                        "写本区支部的编号（支部文件夹名）；区外组织请用 org。",
                    )
                )
    # the ids listed by two rosters or more, or by a floating member naming a branch (set
    # operations over 30,000 ids: only these are then looked at member by member)
    seen: defaultdict[int, set[str]] = defaultdict(set)
    crossing: defaultdict[int, set[str]] = defaultdict(set)
    for _, year, ids, members in rosters:
        before = seen[year]
        if not before.isdisjoint(ids):
            crossing[year].update(before.intersection(ids))
        before.update(ids)
        if members:
            crossing[year].update(mid for mid, m in members.items() if m.floating is not None and m.floating.branch)
    appearances: defaultdict[tuple[int, str], list] = defaultdict(list)  # (year, member id) -> [(branch id, member)]
    for bid, year, ids, members in rosters:
        wanted = crossing.get(year)
        if wanted and not wanted.isdisjoint(ids):
            for mid in wanted.intersection(ids):
                member = members.get(mid) or _listed(district, bid, year, mid)
                appearances[(year, mid)].append((bid, member))
    for (year, mid), where in sorted(appearances.items(), key=lambda pair: pair[0]):
        problems += _one_scoring_branch(year, mid, where, unreadable)
    return problems


def _listed(district: District, bid: str, year: int, mid: str) -> Member:
    """The member `mid` as branch `bid`'s roster of `year` lists them (the first line with
    that id): for a branch taken from the district digest, which keeps only the ids of
    the members who cannot be listed elsewhere without an error, read from the branch."""
    branch = district.branch(bid)
    member = branch.years[year].member(mid) if branch is not None and year in branch.years else None
    assert member is not None, (bid, year, mid)
    return member


def _branch_rosters(branch: Branch) -> tuple[list[Problem], list]:
    """One branch's rosters: their problems, and every (year, member) listed once."""
    problems: list[Problem] = []
    listed = []
    for year, by in branch.years.items():
        seen: set[str] = set()
        for m in by.members:
            if m.id in seen:
                problems.append(
                    Problem(
                        "E301", f"党员编号“{m.id}”在本名册里重复。", m.pos, "每名党员只登记一次；两个人请用不同编号。"
                    )
                )
                continue
            seen.add(m.id)
            listed.append((year, m))
            problems += _exemption(m)
            problems += _floating_fields(m, branch.id)
            problems += membership_dates(m, year)
    return problems, listed


def _exemption(m: Member) -> list[Problem]:
    ex = m.exempt
    if ex is None:
        return []
    applied, approved, filed = ex.applied, ex.approved, ex.filed
    steps = [(applied, "本人申请"), (approved, "支部研究同意"), (filed, "上级党委备案")]
    missing = [label for day, label in steps if day is None]
    if applied is None or approved is None or filed is None:
        return [
            Problem(
                "E302",
                f"{m.name}（{m.id}）不纳入积分管理缺少“{'、'.join(missing)}”的日期，手续不全，不能免于积分。",
                ex.pos,
                "三个步骤都要写日期：applied（本人申请）、approved（支部研究同意）、filed（上级党委备案）；"
                "手续未办完前，删去 exempt，照常积分。",
            )
        ]
    if not (applied <= approved <= filed):
        return [
            Problem(
                "E302",
                f"{m.name}（{m.id}）不纳入积分管理的日期顺序不对：应先申请、再支部同意、后上级备案。",
                ex.pos,
                "检查 applied ≤ approved ≤ filed。",
            )
        ]
    return []


def _floating_fields(m: Member, branch_id: str) -> list[Problem]:
    """The floating fields on their own; whether the named branch exists is checked
    across branches (it is never this one, which is flagged here)."""
    f = m.floating
    if f is None:
        return []
    if bool(f.branch) == bool(f.org):
        return [
            Problem(
                "E303",
                f"{m.name}（{m.id}）的流动信息要写 branch（本区支部编号）或 org（区外组织名称）之一。",
                f.pos,
                "流入/流出本区另一支部写 branch: 支部编号；区外组织写 org: 组织名称。",
            )
        ]
    if f.branch == branch_id:
        return [Problem("E303", f"流动党员 {m.name}（{m.id}）不能流入或流出到本支部自己。", f.pos, "检查 branch。")]
    return []


def _one_scoring_branch(
    year: int, mid: str, where: list, unreadable: frozenset[tuple[str, int]] = frozenset()
) -> list[Problem]:
    problems = []
    by_branch = {bid: m for bid, m in where}
    for bid, m in where:
        f = m.floating
        if f is None or not f.branch:
            continue
        other = by_branch.get(f.branch)
        if other is None and (f.branch, year) in unreadable:
            continue  # the other branch's year could not be read: its own error comes first
        expect = Direction.IN if f.direction is Direction.OUT else Direction.OUT
        if (
            other is None
            or other.floating is None
            or other.floating.direction is not expect
            or other.floating.branch != bid
        ):
            problems.append(
                Problem(
                    "E303",
                    f"{m.name}（{m.id}）登记为{f.direction.value}“{f.branch}”，但对方支部 {year} 年名册里没有对应的"
                    f"“{expect.value}”登记。",
                    f.pos,
                    f"在 {f.branch} 的名册里登记同一编号，并写 floating: {{direction: {expect.value}, branch: {bid}}}。",
                )
            )
        elif f.direction is Direction.OUT and other.floating.since != f.since:
            problems.append(
                Problem(
                    "E312",
                    f"{m.name}（{m.id}）在本支部登记的流动起始日期（since: {f.since or '全年'}）与 {f.branch} "
                    f"名册里的（since: {other.floating.since or '全年'}）不一致。",
                    f.pos,
                    "两个支部写同一个 since（流动开始之日），或都不写（全年流动）：流出之前由流出支部积分，之后由流入支部积分。",
                )
            )
    if len(where) > 1:
        problems += _overlaps(year, mid, where)
    return problems


def _overlaps(year: int, mid: str, where: list) -> list[Problem]:
    """E304: two branches score the member on the same day. A transfer (转出 here, 转入
    there) or floating with `since` is legal when the days do not overlap."""
    spans = [(bid, m, scoring_spans(m)) for bid, m in where]
    problems = []
    for i, (bid, m, mine) in enumerate(spans):
        for other_bid, _other, theirs in spans[:i]:
            both = _first_shared_day(mine, theirs, year)
            if both is None:
                continue
            problems.append(
                Problem(
                    "E304",
                    f"{m.name}（{m.id}）在 {year} 年同时出现在 {other_bid}、{bid} 的名册里，{both} 起两个支部都为其积分，"
                    f"会被重复积分。",
                    m.pos,
                    "一名党员在任何一天只由一个支部积分：组织关系转接时，转出支部写 left 和 leave: 转出，转入支部写 joined "
                    "（不早于转出日期）和 join: 转入；流动党员在流出支部写 floating: {direction: 流出, branch: 流入支部}；"
                    "其他情况请删去多余的登记或改用不同编号。",
                )
            )
            break
    return problems


def _first_shared_day(a: Spans, b: Spans, year: int) -> date | None:
    for a0, a1 in a:
        for b0, b1 in b:
            start, end = max(a0, b0), min(a1, b1)
            if start < end:
                return date.fromordinal(max(start, date(year, 1, 1).toordinal()))
    return None


def membership_dates(m: Member, year: int) -> list[Problem]:
    """The roster line's dates on their own: inside the year, joined before left, each
    with how it happened, status changes in order, real and allowed."""
    problems = _dates_in_year(m, year)
    problems += _kinds(m)
    if m.joined is not None and m.left is not None and not m.joined < m.left:
        problems.append(
            Problem(
                "E307",
                f"{m.name}（{m.id}）的加入日期 {m.joined} 不早于离开日期 {m.left}。",
                m.pos,
                "joined 写加入本支部之日，left 写离开本支部之日（离开当天起不再在本支部积分），joined 应早于 left。",
            )
        )
    problems += _changes(m)
    return problems


def _dates_in_year(m: Member, year: int) -> list[Problem]:
    dated = [("joined", "加入日期", m.joined, m.pos), ("left", "离开日期", m.left, m.pos)]
    dated += [("changes", "身份变化日期", c.date, c.pos) for c in m.changes]
    out = [
        Problem(
            "E305",
            f"{m.name}（{m.id}）的{label} {day} 不在 {year} 年内。",
            pos,
            f"名册按年度记录：{year} 年名册里的日期都在 {year} 年内；以前就在本支部的，不写 joined，"
            f"状态写 1 月 1 日的身份。",
        )
        for _key, label, day, pos in dated
        if day is not None and day.year != year
    ]
    f = m.floating
    if f is not None and f.since is not None and f.since.year > year:
        out.append(
            Problem(
                "E305",
                f"{m.name}（{m.id}）的流动起始日期 {f.since} 晚于 {year} 年。",
                f.pos,
                f"{year} 年还没有开始流动的，{year} 年名册里不写 floating。",
            )
        )
    return out


def _kinds(m: Member) -> list[Problem]:
    out = []
    if (m.joined is None) != (m.join is None):
        out.append(
            Problem(
                "E306",
                f"{m.name}（{m.id}）的 joined 和 join 要一起写。",
                m.pos,
                "年内加入本支部的，写 joined: 加入日期 和 join: 入党、转入 或 恢复；年初就在本支部的，两项都不写。",
            )
        )
    if (m.left is None) != (m.leave is None):
        out.append(
            Problem(
                "E306",
                f"{m.name}（{m.id}）的 left 和 leave 要一起写。",
                m.pos,
                "年内离开本支部的，写 left: 离开日期 和 leave: 转出、出党 或 去世；年底仍在本支部的，两项都不写。",
            )
        )
    return out


def _changes(m: Member) -> list[Problem]:
    out = []
    status = m.status
    previous: date | None = None
    for c in m.changes:
        if previous is not None and c.date <= previous:
            out.append(
                Problem(
                    "E308",
                    f"{m.name}（{m.id}）的身份变化没有按日期先后排列（{c.date} 不晚于 {previous}）。",
                    c.pos,
                    "changes 里每一项按日期从早到晚写，同一天只写一次。",
                )
            )
        if (m.joined is not None and c.date < m.joined) or (m.left is not None and c.date >= m.left):
            out.append(
                Problem(
                    "E309",
                    f"{m.name}（{m.id}）的身份变化日期 {c.date} 不在其在本支部的期间内。",
                    c.pos,
                    "身份变化要在加入（joined）之后、离开（left）之前；加入时的身份直接写在 status 里。",
                )
            )
        if c.status is status:
            out.append(
                Problem(
                    "E310",
                    f"{m.name}（{m.id}）{c.date} 的身份“{c.status.value}”与之前相同，不是变化。",
                    c.pos,
                    "删去这一项；status 写 1 月 1 日（或加入时）的身份，changes 只写此后的变化。",
                )
            )
        elif (status, c.status) not in TRANSITIONS:
            out.append(
                Problem(
                    "E311",
                    f"{m.name}（{m.id}）的身份不能从“{status.value}”变为“{c.status.value}”（{c.date}）。",
                    c.pos,
                    "年内的身份变化只有两种：入党积极分子 → 预备党员（吸收入党），预备党员 → 正式党员（转正）。"
                    "预备期延长不写变化；取消预备党员资格写 left 和 leave: 出党；其他情况请检查 status。",
                )
            )
        status = c.status
        previous = c.date
    return out


def check_partial_year(district: District) -> list[Problem]:
    """The district scheme's own settings (scheme/<year>.yaml): its part caps, `partial_year`
    and `reminders`."""
    out = []
    for year, scheme in district.schemes.items():
        caps = scheme.caps
        if caps.base is None or caps.bonus is None or caps.base + caps.bonus != 100:
            shown = (
                "、".join(
                    f"{name} {value}"
                    for name, value in (("基础积分", caps.base), ("贡献加分", caps.bonus))
                    if value is not None
                )
                or "没有写"
            )
            out.append(
                Problem(
                    "E212",
                    f"{year} 年全区考核表的分项上限（{shown}）不是百分制：基础积分和贡献加分的上限都要写，"
                    "合计 100 分。",
                    caps.pos or scheme.pos,
                    "例如 caps: {base: 60, bonus: 40}。合计超过 100 时，扣分会被 100 分的封顶“吃掉”；"
                    "不足 100 时，谁也拿不到优秀。",
                )
            )
        months = scheme.partial_year.months
        if not 0 <= months <= 12:
            out.append(
                Problem(
                    "E210",
                    f"{year} 年考核表的 partial_year.months 是 {months}，应在 0 到 12 之间。",
                    scheme.partial_year.pos,
                    "写年内加入的党员至少要在本支部多少个月才参加年度评定，例如 months: 6；写 0 表示都按实际积分评定。",
                )
            )
        pace = scheme.reminders.pace
        if not 0 < pace <= 100:
            out.append(
                Problem(
                    "E211",
                    f"{year} 年考核表的 reminders.pace 是 {pace}，应大于 0、不超过 100。",
                    scheme.reminders.pos,
                    "写全年积分的进度线（百分制），例如 pace: 60：到某季度年初至今积分低于 60 × 已过季度数 ÷ 4 的，"
                    "列入督促提醒名单。",
                )
            )
    return out
