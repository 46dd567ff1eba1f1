"""Scheme sanity: an item group holds items of one part (E209), checked on the folded
scheme so that an item of a lower layer joining a group of an upper one is caught."""

from __future__ import annotations

from decimal import Decimal as D

from sitegen.model.enums import Category, Part
from sitegen.model.scheme import BranchPlan, Caps, CommitteeRules, DistrictScheme
from sitegen.problems import Pos
from sitegen.rules.scheme import effective_scheme
from tests.rules.helpers import group, item


def district(*items, groups=()):
    return DistrictScheme(title="考核表", caps=Caps(base=D(60), bonus=D(40)), items=tuple(items), groups=tuple(groups))


def at(it, file, line):
    from dataclasses import replace

    return replace(it, pos=Pos(file, line, 5))


def codes(problems):
    return [(p.code, p.pos.file, p.pos.line) for p in problems]


def test_one_part_per_group_is_fine():
    d = district(
        item("A1", Part.BONUS, points=10, group="G"),
        item("A2", Part.BONUS, points=8, group="G"),
        groups=[group("G", 12)],
    )
    _, problems = effective_scheme(2026, d, None, None, Category.GOVERNMENT)
    assert problems == []


def test_mixed_parts_in_one_layer_is_e209_at_the_offending_item():
    d = district(
        at(item("A1", Part.BONUS, points=10, group="G"), "scheme/2026.yaml", 5),
        at(item("B1", Part.BASE, points=2, group="G"), "scheme/2026.yaml", 11),
        groups=[group("G", 12)],
    )
    _, problems = effective_scheme(2026, d, None, None, Category.GOVERNMENT)
    assert codes(problems) == [("E209", "scheme/2026.yaml", 11)]
    [p] = problems
    assert "“B1”属于基础积分" in p.message and "“A1”等项目属于贡献加分" in p.message and "B1" in p.hint


def test_a_lower_layer_item_joining_an_upper_group_is_checked_on_the_folded_scheme():
    d = district(at(item("A1", Part.BONUS, points=10, group="G"), "scheme/2026.yaml", 5), groups=[group("G", 12)])
    rules = CommitteeRules(
        items=(at(item("D9", Part.DEDUCTION, points=3, group="G"), "committees/c1/scheme/2026.yaml", 7),)
    )
    plan = BranchPlan(
        items=(
            at(item("B9", Part.BASE, points=1, group="G"), "committees/c1/branches/b1/2026/scheme.yaml", 9),
            at(item("A9", Part.BONUS, points=1, group="G"), "committees/c1/branches/b1/2026/scheme.yaml", 14),
        )
    )
    _, problems = effective_scheme(2026, d, rules, plan, Category.GOVERNMENT)
    assert codes(problems) == [
        ("E209", "committees/c1/scheme/2026.yaml", 7),
        ("E209", "committees/c1/branches/b1/2026/scheme.yaml", 9),
    ]


def test_a_group_defined_below_used_by_items_of_two_parts():
    d = district(at(item("A1", Part.BONUS, points=10), "scheme/2026.yaml", 5))
    plan = BranchPlan(
        groups=(group("H", 5),),
        items=(
            at(item("A8", Part.BONUS, points=1, group="H"), "committees/c1/branches/b1/2026/scheme.yaml", 6),
            at(item("B8", Part.BASE, points=1, group="H"), "committees/c1/branches/b1/2026/scheme.yaml", 12),
        ),
    )
    _, problems = effective_scheme(2026, d, None, plan, Category.GOVERNMENT)
    assert codes(problems) == [("E209", "committees/c1/branches/b1/2026/scheme.yaml", 12)]


def test_the_check_runs_on_a_real_content_folder(tmp_path):
    """Through `check`: a branch adds a 基础积分 item to the district's 表彰 group (G1, 贡献加分)."""
    import shutil

    from sitegen.check import check
    from tests.support import MINI

    shutil.copytree(MINI, tmp_path / "c")
    rel = "committees/c1/branches/b1/2026/scheme.yaml"
    path = tmp_path / "c" / rel
    path.write_text(
        path.read_text("utf-8") + "items:\n  - code: B09\n    part: 基础积分\n    name: 学习标兵\n"
        "    points: 1\n    group: G1\n",
        "utf-8",
    )
    report = check(tmp_path / "c", cache_dir=None)
    found = [p for p in report.errors if p.code == "E209"]
    assert [(p.pos.file, p.pos.line) for p in found] == [(rel, 4)]
    assert "G1 获得表彰" in found[0].message and "“A02”等项目属于贡献加分" in found[0].message


def test_a_mixed_group_in_the_district_scheme_is_reported_once_not_per_branch(tmp_path):
    import shutil

    from sitegen.check import check
    from tests.support import MINI

    shutil.copytree(MINI, tmp_path / "c")
    path = tmp_path / "c/scheme/2026.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("    name: 交纳党费\n    points: 3\n", "    name: 交纳党费\n    points: 3\n    group: G1\n"),
        "utf-8",
    )
    report = check(tmp_path / "c", cache_dir=None)
    found = [p for p in report.errors if p.code == "E209"]
    assert [(p.pos.file, p.pos.line) for p in found] == [("scheme/2026.yaml", 15)]
    assert "“B02”属于基础积分" in found[0].message and "“A02”等项目属于贡献加分" in found[0].message
