"""Folding the scheme layers into one branch's effective scheme (policy 四(二)1).

A lower layer (committee 细则, branch 年初设定) may add items and groups, fix points
within a range, narrow a range, lower an item's cap, restrict the categories an item
applies to, lower a part cap, and drop an item that is not 一票否决. It may not raise a
cap, widen a range, or drop a 一票否决 item.

An item group (shared cap) holds items of one part only. The scorer adds a group's
capped sum to one part; a group mixing 基础积分 and 贡献加分 would have no right part, so
the folded scheme refuses it (E209). Items of any layer may join a group defined in
another, so this is checked on the folded scheme, not file by file.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from sitegen.model.enums import Category, Part
from sitegen.model.scheme import BranchPlan, Caps, CommitteeRules, DistrictScheme, Group, Item, Narrowing, Scheme
from sitegen.problems import Problem


def effective_scheme(
    year: int,
    district: DistrictScheme,
    committee: CommitteeRules | None,
    plan: BranchPlan | None,
    category: Category,
) -> tuple[Scheme, list[Problem]]:
    problems: list[Problem] = []
    items: dict[str, Item] = {}
    groups: dict[str, Group] = {}
    caps = district.caps
    _add(district.groups, district.items, items, groups, problems)
    for layer in (committee, plan):
        if layer is None:
            continue
        caps = _lower_caps(caps, layer.caps, problems)
        _add(layer.groups, layer.items, items, groups, problems)
        for n in layer.narrow:
            parent = items.get(n.code)
            if parent is None:
                problems.append(
                    Problem(
                        "E203",
                        f"要细化的积分项目“{n.code}”在上级考核表里不存在。",
                        n.pos,
                        "检查项目编号；新增项目请写在 items 里。",
                    )
                )
                continue
            items[n.code] = _narrow(parent, n, problems)
        for code in layer.drop:
            parent = items.get(code)
            if parent is None:
                problems.append(Problem("E203", f"要删除的积分项目“{code}”不存在。", layer.pos, "检查项目编号。"))
            elif parent.part is Part.VETO:
                problems.append(
                    Problem(
                        "E206",
                        f"“{code} {parent.name}”是一票否决项目，下级不得删除。",
                        layer.pos,
                        "从 drop 中去掉这个编号。",
                    )
                )
            else:
                del items[code]
    for item in items.values():
        _check_item(item, groups, problems)
    problems += _mixed_groups(items, groups)
    applicable = {c: i for c, i in items.items() if i.applies(category)}
    other = {c: i for c, i in items.items() if not i.applies(category)}
    scheme = Scheme(
        year=year,
        title=district.title,
        method=district.method,
        caps=caps,
        items=applicable,
        groups=groups,
        announced=plan.announced if plan else None,
        posted=plan.posted if plan else None,
        inapplicable=other,
    )
    return scheme, problems


def _add(
    new_groups: tuple[Group, ...],
    new_items: tuple[Item, ...],
    items: dict[str, Item],
    groups: dict[str, Group],
    problems: list[Problem],
) -> None:
    for g in new_groups:
        if g.code in groups:
            problems.append(Problem("E201", f"分组编号“{g.code}”重复。", g.pos, "每个分组用不同的编号。"))
        else:
            groups[g.code] = g
    for item in new_items:
        if item.code in items:
            problems.append(
                Problem(
                    "E201",
                    f"积分项目编号“{item.code}”重复（上级或本文件已有）。",
                    item.pos,
                    "新增项目换一个编号；要调整上级项目请写在 narrow 里。",
                )
            )
        else:
            items[item.code] = item


def _lower_caps(caps: Caps, lower: Caps | None, problems: list[Problem]) -> Caps:
    if lower is None:
        return caps
    out = caps
    for part, name in (("base", "基础积分"), ("bonus", "贡献加分")):
        parent, value = getattr(caps, part), getattr(lower, part)
        if value is None:
            continue
        if parent is not None and value > parent:
            problems.append(
                Problem(
                    "E204",
                    f"{name}上限 {value} 高于上级规定的 {parent}。",
                    lower.pos,
                    f"下级只能降低分项上限：改为不超过 {parent}，或删除这一行。",
                )
            )
            continue
        out = replace(out, **{part: value})
    return out


def _narrow(parent: Item, n: Narrowing, problems: list[Problem]) -> Item:
    lo, hi = _range(parent)
    changes: dict[str, Any] = {}
    if n.points is not None:
        if parent.part is Part.VETO or not (lo <= n.points <= hi):
            problems.append(
                Problem(
                    "E205",
                    f"“{parent.code}”的分值 {n.points} 超出上级范围 {_show(lo, hi)}。",
                    n.pos,
                    f"在 {_show(lo, hi)} 之内取值。",
                )
            )
        else:
            changes.update(points=n.points, min=None, max=None)
    if n.min is not None or n.max is not None:
        new_lo = n.min if n.min is not None else lo
        new_hi = n.max if n.max is not None else hi
        if parent.points is not None or not (lo <= new_lo <= new_hi <= hi):
            problems.append(
                Problem(
                    "E205",
                    f"“{parent.code}”的范围 {_show(new_lo, new_hi)} 超出上级范围 {_show(lo, hi)}。",
                    n.pos,
                    f"只能在 {_show(lo, hi)} 之内缩小范围。",
                )
            )
        elif n.points is None:
            changes.update(min=new_lo, max=new_hi)
    if n.cap is not None:
        if parent.cap is not None and n.cap > parent.cap:
            problems.append(
                Problem(
                    "E205",
                    f"“{parent.code}”的年度上限 {n.cap} 高于上级的 {parent.cap}。",
                    n.pos,
                    f"只能降低上限：改为不超过 {parent.cap}。",
                )
            )
        else:
            changes["cap"] = n.cap
    if n.applies_to:
        widened = [c for c in n.applies_to if not parent.applies(c)]
        if widened:
            problems.append(
                Problem(
                    "E205",
                    f"“{parent.code}”上级不适用于{'、'.join(map(str, widened))}党员，下级不能扩大。",
                    n.pos,
                    "applies_to 只能从上级的范围里选。",
                )
            )
        else:
            changes["applies_to"] = n.applies_to
    return replace(parent, **changes) if changes else parent


def _range(item: Item) -> tuple[Decimal, Decimal]:
    if item.points is not None:
        return item.points, item.points
    if item.min is not None and item.max is not None:
        return item.min, item.max
    return Decimal(0), Decimal(0)


def _show(lo: Decimal, hi: Decimal) -> str:
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _mixed_groups(items: dict[str, Item], groups: dict[str, Group]) -> list[Problem]:
    """Items whose part differs from their group's, each at its own line: the group's
    points must land in one part. A group's part is the one most of its items have (on a
    tie, the first item's in scheme order: district, committee, branch), so the error
    points at the item that was added to the wrong group, not at the group's others."""
    members: dict[str, list[Item]] = {}
    for item in items.values():
        if item.group and item.group in groups:  # an unknown group is E203
            members.setdefault(item.group, []).append(item)
    problems = []
    for code, grouped in members.items():
        counts: dict[Part, int] = {}
        for item in grouped:
            counts[item.part] = counts.get(item.part, 0) + 1
        part = max(counts, key=lambda p: counts[p])  # dicts keep order: ties go to the first seen
        leader = next(item for item in grouped if item.part is part)
        group = groups[code]
        for item in grouped:
            if item.part is not part:
                problems.append(
                    Problem(
                        "E209",
                        f"积分项目“{item.code}”属于{item.part.value}，但同一分组“{group.code} {group.name}”里的"
                        f"“{leader.code}”等项目属于{part.value}：一个分组只能放同一分项的项目。",
                        item.pos,
                        f"把“{item.code}”移出分组“{group.code}”，或为{item.part.value}另建一个分组。",
                    )
                )
    return problems


def _check_item(item: Item, groups: dict[str, Group], problems: list[Problem]) -> None:
    if item.part is Part.VETO:
        if item.points is not None or item.min is not None or item.max is not None or item.cap is not None:
            problems.append(
                Problem(
                    "E202",
                    f"一票否决项目“{item.code}”不设分值和上限。",
                    item.pos,
                    "删除 points、min、max、cap；记入台账即判定为不合格。",
                )
            )
        return
    fixed = item.points is not None
    ranged = item.min is not None or item.max is not None
    if fixed == ranged:
        problems.append(
            Problem(
                "E202",
                f"积分项目“{item.code}”要么写固定分值 points，要么写范围 min 和 max。",
                item.pos,
                "例如 points: 2，或 min: 1 和 max: 5。",
            )
        )
        return
    if ranged and (item.min is None or item.max is None or item.min > item.max):
        problems.append(
            Problem(
                "E202",
                f"积分项目“{item.code}”的范围不对：min 和 max 都要写，且 min 不大于 max。",
                item.pos,
                "例如 min: 1、max: 5。",
            )
        )
        return
    lo, hi = _range(item)
    if lo <= 0:
        problems.append(
            Problem(
                "E202",
                f"积分项目“{item.code}”的分值应大于 0。",
                item.pos,
                "扣分项目也写正数，它属于违规扣分，会自动扣减。",
            )
        )
    if item.cap is not None and item.cap < hi:
        problems.append(
            Problem(
                "E202",
                f"积分项目“{item.code}”的年度上限 {item.cap} 小于单次分值 {hi}。",
                item.pos,
                "上限应不小于单次分值。",
            )
        )
    if item.group and item.group not in groups:
        problems.append(
            Problem(
                "E203",
                f"积分项目“{item.code}”所属分组“{item.group}”不存在。",
                item.pos,
                "在 groups 里定义这个分组，或改正分组编号。",
            )
        )
