"""Roster rules: exemptions with all three steps, floating members scored by exactly one branch."""

from __future__ import annotations

from collections import defaultdict

from sitegen.memo import NO_MEMO, Memo
from sitegen.model.enums import Direction
from sitegen.model.site import Branch, District
from sitegen.problems import Problem


def check_rosters(district: District, memo: Memo = NO_MEMO) -> list[Problem]:
    """Each roster on its own (remembered per branch in `memo`), then what crosses
    branches: a floating member's other branch exists and agrees, nobody scored twice."""
    problems: list[Problem] = []
    branch_ids = {b.id for b in district.branches()}
    # (year, member id) -> [(branch id, member)]
    appearances: dict[tuple[int, str], list] = defaultdict(list)
    for branch in district.branches():
        own, listed = memo.get(("roster", branch.id), (branch,), lambda: _branch_rosters(branch))
        problems += own
        for year, m in listed:
            appearances[(year, m.id)].append((branch.id, m))
            f = m.floating
            if f is not None and f.branch and not f.org and f.branch != branch.id and f.branch not in branch_ids:
                problems.append(Problem("E303", f"流动党员 {m.name}（{m.id}）所写的支部“{f.branch}”不存在。", f.pos,
                                        "写本区支部的编号（支部文件夹名）；区外组织请用 org。"))
    crossing = [(key, where) for key, where in appearances.items()
                if len(where) > 1 or any(m.floating is not None and m.floating.branch for _, m in where)]
    for (year, mid), where in sorted(crossing, key=lambda pair: pair[0]):
        problems += _one_scoring_branch(year, mid, where)
    return problems


def _branch_rosters(branch: Branch) -> tuple[list[Problem], list]:
    """One branch's rosters: their problems, and every (year, member) listed once."""
    problems: list[Problem] = []
    listed = []
    for year, by in branch.years.items():
        seen: set[str] = set()
        for m in by.members:
            if m.id in seen:
                problems.append(Problem("E301", f"党员编号“{m.id}”在本名册里重复。", m.pos,
                                        "每名党员只登记一次；两个人请用不同编号。"))
                continue
            seen.add(m.id)
            listed.append((year, m))
            problems += _exemption(m)
            problems += _floating_fields(m, branch.id)
    return problems, listed


def _exemption(m) -> list[Problem]:
    ex = m.exempt
    if ex is None:
        return []
    steps = [("applied", "本人申请"), ("approved", "支部研究同意"), ("filed", "上级党委备案")]
    missing = [label for key, label in steps if getattr(ex, key) is None]
    if missing:
        return [Problem("E302", f"{m.name}（{m.id}）不纳入积分管理缺少“{'、'.join(missing)}”的日期，手续不全，不能免于积分。",
                        ex.pos, "三个步骤都要写日期：applied（本人申请）、approved（支部研究同意）、filed（上级党委备案）；"
                                "手续未办完前，删去 exempt，照常积分。")]
    if not (ex.applied <= ex.approved <= ex.filed):
        return [Problem("E302", f"{m.name}（{m.id}）不纳入积分管理的日期顺序不对：应先申请、再支部同意、后上级备案。",
                        ex.pos, "检查 applied ≤ approved ≤ filed。")]
    return []


def _floating_fields(m, branch_id: str) -> list[Problem]:
    """The floating fields on their own; whether the named branch exists is checked
    across branches (it is never this one, which is flagged here)."""
    f = m.floating
    if f is None:
        return []
    if bool(f.branch) == bool(f.org):
        return [Problem("E303", f"{m.name}（{m.id}）的流动信息要写 branch（本区支部编号）或 org（区外组织名称）之一。",
                        f.pos, "流入/流出本区另一支部写 branch: 支部编号；区外组织写 org: 组织名称。")]
    if f.branch == branch_id:
        return [Problem("E303", f"流动党员 {m.name}（{m.id}）不能流入或流出到本支部自己。", f.pos, "检查 branch。")]
    return []


def _one_scoring_branch(year: int, mid: str, where: list) -> list[Problem]:
    problems = []
    by_branch = {bid: m for bid, m in where}
    for bid, m in where:
        f = m.floating
        if f is None or not f.branch:
            continue
        other = by_branch.get(f.branch)
        expect = Direction.IN if f.direction is Direction.OUT else Direction.OUT
        if other is None or other.floating is None or other.floating.direction is not expect \
                or other.floating.branch != bid:
            problems.append(Problem(
                "E303", f"{m.name}（{m.id}）登记为{f.direction.value}“{f.branch}”，但对方支部 {year} 年名册里没有对应的"
                        f"“{expect.value}”登记。", f.pos,
                f"在 {f.branch} 的名册里登记同一编号，并写 floating: {{direction: {expect.value}, branch: {bid}}}。"))
    if len(where) > 1:
        scoring = [bid for bid, m in where
                   if not (m.floating is not None and m.floating.direction is Direction.OUT)]
        if len(scoring) > 1:
            for bid, m in where[1:]:
                problems.append(Problem(
                    "E304", f"{m.name}（{m.id}）在 {year} 年同时出现在 {'、'.join(b for b, _ in where)} 的名册里，"
                            f"会被重复积分。", m.pos,
                    "一名党员一年只由一个支部积分：流动党员在流出支部写 floating: {direction: 流出, branch: 流入支部}；"
                    "其他情况请删去多余的登记或改用不同编号。"))
    return problems
