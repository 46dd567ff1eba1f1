"""各季度积分管理情况 (issue 14): the June and December reports upward, read back with
openpyxl and compared with the rules engine, from what was published on the report date."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from sitegen.check import check
from tests.support import ROOT, sitegen_cli


def report(content, out, half=1):
    proc = sitegen_cli("report", content, "--year", 2026, "--half", half, "-o", out)
    assert proc.returncode == 0, proc.stderr
    return {p.name: load_workbook(p) for p in out.glob("*.xlsx")}


def rows(ws, first=6):
    return [r for r in ws.iter_rows(min_row=first, values_only=True) if r[0] and not str(r[0]).startswith("说明")]


def test_the_june_report_from_what_was_published_by_30_june(mini, tmp_path):
    books = report(mini, tmp_path / "out")
    assert sorted(books) == [
        "测试区-2026年上半年各季度积分管理情况.xlsx",
        "第一工委-2026年上半年各季度积分管理情况.xlsx",
    ]
    district = books["测试区-2026年上半年各季度积分管理情况.xlsx"]
    steps = {(r[1], r[2]): r for r in rows(district["各支部"])}
    b1q1 = steps[("甲支部", "第一季度")]
    # 汇总审核 4-1, 反馈 4-2, 确认 4-6, 公示 4-7–13; 3 members listed; the appeal S1 upheld; E06 counts in Q1
    assert b1q1[3:13] == ("4月1日", "4月2日", "4月6日", "4月7日–4月13日", None, 3, 1, 1, 0, 1)
    assert steps[("乙支部", "第一季度")][-1] == "未公示（逾期 61 天）"  # due 30 April
    assert steps[("甲支部", "第二季度")][6] == "未公示" and steps[("甲支部", "第二季度")][-1] == "未公示（7月30日前）"
    assert "填表人" in district["各支部"]["A3"].value or any("填表人" in str(c.value) for c in district["各支部"][3])

    # every member's numbers are the rules engine's, as of the report date
    engine = check(mini, today=date(2026, 6, 30), cache_dir=None).years[2026].branches["b1"]
    members = {r[2]: r for r in rows(district["党员积分"])}
    for r in engine.members:
        mq = r.quarters[0]
        if mq.role is None or r.role.value not in ("参加积分管理", "入党积极分子（参照积分）"):
            assert r.member.name not in members
            continue
        row = members[r.member.name]
        assert row[4] == mq.points.base + mq.points.bonus - mq.points.deduction  # 第一季度
        assert row[5] is None  # 第二季度: not published by 30 June
        assert row[6:11] == (mq.ytd.base, mq.ytd.bonus, mq.ytd.deduction, mq.total, mq.rank)


def test_the_december_report_has_every_quarter_published_by_then(mini, tmp_path):
    q2 = mini / "committees/c1/branches/b1/2026/quarters/q2.yaml"
    q2.write_text(
        "reviewed: 2026-07-01\nfeedback: 2026-07-02\nconfirmed: 2026-07-06\n"
        "publicity:\n  start: 2026-07-07\n  end: 2026-07-13\nreported: 2026-07-14\n",
        "utf-8",
    )
    books = report(mini, tmp_path / "out", half=2)
    ws = books["第一工委-2026年下半年各季度积分管理情况.xlsx"]["各支部"]
    steps = {(r[0], r[1]): r for r in rows(ws)}
    assert steps[("甲支部", "第二季度")][5:7] == ("7月7日–7月13日", "7月14日")
    assert steps[("甲支部", "第三季度")][-1] == "未公示（逾期 62 天）"  # due 30 October
    assert ("甲支部", "第四季度") in steps  # the fourth quarter ended on 31 December


def test_district_stats_two_carries_the_category_rank(tmp_path):
    """Issue 14: 统计表（二） of the district (and of a committee) has the 分类排名, the engine's
    rank by category across the district (the committee), the same as the ranking pages."""
    CONTENT = ROOT / "content"

    proc = sitegen_cli("stats", CONTENT, "--year", 2025, "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    engine = check(CONTENT, today=date(2026, 11, 23), cache_dir=None).years[2025]
    ranks = {
        r.member.name: r.rank_district
        for b in engine.branches.values()
        for r in b.members
        if r.rank_district is not None
    }
    assert ranks
    for name in ("district-stats2-year.xlsx",):
        ws = load_workbook(tmp_path / name).active
        heads = [c.value for c in ws[4]]
        col = heads.index("分类排名")
        name_col = heads.index("姓名")
        found = {r[name_col]: r[col] for r in ws.iter_rows(min_row=6, values_only=True) if r[name_col] in ranks}
        assert found and all(found[n] == ranks[n] for n in found)
