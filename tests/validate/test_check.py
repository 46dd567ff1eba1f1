"""One planted mistake at a time in a copy of tests/fixtures/mini: the right code, file, line."""

from datetime import date
from pathlib import Path

import pytest

from sitegen.check import check
from tests.support import B1_2026

LEDGER_Q1 = f"{B1_2026}/ledger/q1.yaml"
LEDGER_Q2 = f"{B1_2026}/ledger/q2.yaml"
QUARTER_Q1 = f"{B1_2026}/quarters/q1.yaml"
ROSTER = f"{B1_2026}/roster.yaml"


def plant(root, rel, old, new):
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def errors(root):
    return [p for p in check(root, cache_dir=None).problems if p.is_error]


def one_error(root):
    found = errors(root)
    assert len(found) == 1, "\n".join(p.format() for p in found)
    return found[0]


def test_the_fixture_itself_is_clean(mini):
    assert errors(mini) == []


@pytest.mark.parametrize(
    "rel, old, new, code, line, fragment",
    [
        (LEDGER_Q1, "members: [M1, M4]", "members: [M1, M9]", "E402", 19, "M9"),
        (LEDGER_Q1, "item: A02", "item: A99", "E403", 22, "A99"),
        (LEDGER_Q1, "points: 2\n    members: [M1, M4]", "points: 3\n    members: [M1, M4]", "E405", 18, "1–2"),
        (LEDGER_Q1, "date: 2026-03-20", "date: 2026-04-20", "E406", 21, "第二季度"),
        (LEDGER_Q1, "date: 2026-03-20", "date: 2025-03-20", "E406", 21, "不在 2026 年"),
        (LEDGER_Q1, "members: [M1]", "members: [M1, M5]", "E407", 23, "不纳入积分管理"),
        (LEDGER_Q1, "members: [M1]", "members: [M1, M6]", "E407", 23, "已流出"),
        (LEDGER_Q1, "members: [M1]", "members: [M1, M1]", "E409", 23, "两次"),
        (LEDGER_Q1, "id: E05", "id: E04", "E401", 20, "E04"),
        (LEDGER_Q2, "item: A04", "item: A04\n    points: 2", "E405", 26, "规定的 1"),
        (LEDGER_Q2, "    reason: 经申辩核实，钱二当日因公请假，已补学，补记。\n", "", "E408", 2, "理由"),
        (
            QUARTER_Q1,
            "    outcome: 更正\n    decided: 2026-04-05\n    correction: E06\n",
            "",
            "E501",
            10,
            "未处理的申辩",
        ),
        (QUARTER_Q1, "correction: E06", "correction: E05", "E502", 10, "更正条目"),
        (QUARTER_Q1, "end: 2026-04-13", "end: 2026-04-01", "E503", 13, "早于"),
        (ROSTER, "      filed: 2026-01-08\n", "", "E302", 18, "上级党委备案"),
        (ROSTER, "approved: 2026-01-05", "approved: 2026-01-02", "E302", 18, "顺序"),
        (
            ROSTER,
            "      branch: b2\n",
            "      branch: b2\n  - id: M1\n    name: 重名\n    status: 正式\n",
            "E301",
            27,
            "M1",
        ),
    ],
)
def test_planted_mistake_is_reported_at_its_line(mini, rel, old, new, code, line, fragment):
    plant(mini, rel, old, new)
    p = one_error(mini)
    assert (p.code, p.pos.file, p.pos.line) == (code, rel, line), p.format()
    assert fragment in p.message, p.format()
    assert p.hint


def test_publicity_before_the_quarter_ends(mini):
    plant(mini, QUARTER_Q1, "start: 2026-04-07", "start: 2026-03-30")
    found = {p.code: p for p in errors(mini)}
    assert set(found) == {"E503", "E504"}  # too early, and before the confirmation
    assert found["E503"].pos.line == 13 and "还没结束" in found["E503"].message


def test_floating_to_an_unknown_branch(mini):
    plant(mini, ROSTER, "      branch: b2", "      branch: b9")
    found = errors(mini)
    assert {p.code for p in found} == {"E303"}
    assert any(p.pos.file == ROSTER and p.pos.line == 25 and "b9" in p.message for p in found)


def test_correction_of_an_unknown_entry(mini):
    plant(mini, LEDGER_Q2, "corrects: E02", "corrects: E99")
    found = {p.code: p for p in errors(mini)}
    assert set(found) == {"E408", "E502"}  # and the appeal's correction no longer matches
    assert found["E408"].pos.line == 4 and "E99" in found["E408"].message


def test_item_not_for_this_category(mini):
    plant(mini, "committees/c1/branches/b2/2026/ledger/q1.yaml", "item: B02", "item: A04")
    p = one_error(mini)
    assert p.code == "E404" and "不适用于社区党员" in p.message and p.pos.line == 4


def test_floating_member_scored_by_two_branches(mini):
    plant(
        mini,
        "committees/c1/branches/b2/2026/roster.yaml",
        "    floating:\n      direction: 流入\n      branch: b1\n",
        "",
    )
    found = errors(mini)
    assert {p.code for p in found} == {"E303"} or "E304" in {p.code for p in found}
    plant(mini, ROSTER, "    floating:\n      direction: 流出\n      branch: b2\n", "")
    p = one_error(mini)
    assert p.code == "E304" and "b1、b2" in p.message and p.pos.file.endswith("b2/2026/roster.yaml")


def test_floating_out_without_counterpart(mini):
    plant(mini, "committees/c1/branches/b2/2026/roster.yaml", "direction: 流入", "direction: 流出")
    found = errors(mini)
    assert found and all(p.code == "E303" for p in found)
    assert any("没有对应的“流入”" in p.message for p in found)


B1_RATED = "evaluated: 2026-12-20\nratings:\n  M1: 合格\n  M2: 合格\n  M3: 合格\n"
B2_RATED = "evaluated: 2026-12-20\nratings:\n  M6: 合格\n  M7: 合格\n"


def test_final_grade_needs_reason_and_veto_forces_fail(mini):
    (mini / "committees/c1/branches/b1/2026/year-end.yaml").write_text(
        "assessed: 2027-01-05\nfinal:\n  - member: M1\n    grade: 合格\n" + B1_RATED, "utf-8"
    )
    p = one_error(mini)
    assert (p.code, p.pos.line) == ("E601", 3) and "没有写理由" in p.message
    (mini / "committees/c1/branches/b2/2026/year-end.yaml").write_text(
        "assessed: 2027-01-05\nfinal:\n  - member: M7\n    grade: 合格\n    reason: 表现好\n" + B2_RATED, "utf-8"
    )
    codes = sorted(p.code for p in errors(mini))
    assert codes == ["E601", "E602"]


def test_year_end_needs_every_rating_and_its_date(mini):
    """E605: every 正式/预备党员 graded has a 民主测评 result (积极分子 are not rated), with its date."""
    (mini / "committees/c1/branches/b1/2026/year-end.yaml").write_text(
        "assessed: 2027-01-05\nratings:\n  M1: 合格\n", "utf-8"
    )
    found = errors(mini)
    assert [p.code for p in found] == ["E605", "E605"]
    dates, names = sorted(found, key=lambda p: "evaluated" not in p.message)
    assert "evaluated" in dates.message and dates.pos.line == 1
    assert names.pos.line == 3 and "钱二（M2）、孙三（M3）" in names.message and "李四" not in names.message


def test_a_far_or_contrary_final_grade_needs_a_substantive_reason(mini):
    """E606: two grades away from the score's grade, or above 不合格 against a 不合格 测评."""
    ye = mini / "committees/c1/branches/b1/2026/year-end.yaml"
    # M1 scores 17 (不合格): 良好 is two steps up
    ye.write_text(
        "assessed: 2027-01-05\nfinal:\n  - member: M1\n    grade: 良好\n    reason: 表现好\n" + B1_RATED, "utf-8"
    )
    p = one_error(mini)
    assert (p.code, p.pos.line) == ("E606", 5) and "相差 2 个等次" in p.message and "至少 15 个字" in p.hint
    ye.write_text(
        "assessed: 2027-01-05\nfinal:\n  - member: M1\n    grade: 良好\n"
        "    reason: 上半年因公外派援疆，按规定请假未参加支部组织生活，在当地临时党支部表现突出受到表彰。\n" + B1_RATED,
        "utf-8",
    )
    assert errors(mini) == []
    # one step up is ordinary, but not against a 不合格 测评
    ye.write_text(
        "assessed: 2027-01-05\nfinal:\n  - member: M1\n    grade: 合格\n    reason: 表现较好\n"
        + B1_RATED.replace("M1: 合格", "M1: 不合格"),
        "utf-8",
    )
    p = one_error(mini)
    assert p.code == "E606" and "民主测评为不合格" in p.message and "赵一（M1）" in p.message


def test_year_end_dated_before_the_fourth_quarter(mini):
    """A year-end file copied from last year keeps last year's dates: caught."""
    (mini / "committees/c1/branches/b1/2026/year-end.yaml").write_text(
        "evaluated: 2026-12-17\nassessed: 2026-01-05\nratings:\n  M1: 合格\n  M2: 合格\n  M3: 合格\n", "utf-8"
    )
    p = one_error(mini)
    assert (p.code, p.pos.line) == ("E604", 2) and "2026-01-05" in p.message and "复制" in p.hint


def test_scheme_layer_may_not_raise_a_cap_or_drop_a_veto(mini):
    (mini / "committees/c1/branches/b1/2026/scheme.yaml").write_text(
        "announced: 2026-01-20\nposted: 2026-01-21\ncaps:\n  base: 70\ndrop: [V01]\nnarrow:\n  - code: A01\n    max: 5\n",
        "utf-8",
    )
    found = errors(mini)
    assert sorted(p.code for p in found) == ["E204", "E205", "E206"]
    by_code = {p.code: p for p in found}
    assert by_code["E204"].pos.line == 4 and "60" in by_code["E204"].message
    assert "1–2" in by_code["E205"].message  # the committee already narrowed A01 to 1–2


def test_misplaced_file(mini):
    (mini / f"{B1_2026}/ledger/Q5.yaml").write_text("entries: []\n", "utf-8")
    p = one_error(mini)
    assert p.code == "E101" and p.pos.file.endswith("ledger/Q5.yaml") and "q1.yaml" in p.hint


def test_screen_settings(mini):
    (mini / "site.yaml").write_text(
        (mini / "site.yaml").read_text("utf-8") + "screen:\n  interval: 2\n  hours: 7点半到21点\n", "utf-8"
    )
    found = errors(mini)
    assert [(p.code, p.pos.file, p.pos.line) for p in found] == [("E013", "site.yaml", 4), ("E013", "site.yaml", 5)]
    assert "07:30-21:30" in found[1].hint


def test_screen_interval_not_endless(mini):
    (mini / "site.yaml").write_text(
        (mini / "site.yaml").read_text("utf-8") + "screen:\n  interval: 99999999999\n", "utf-8"
    )
    [p] = errors(mini)
    assert (p.code, p.pos.line) == ("E013", 4) and "600" in p.hint


def test_misspelled_top_level_folder(mini):
    (mini / "committees").rename(mini / "committes")
    found = errors(mini)
    assert any(p.code == "E101" and p.pos.file == "committes" and "拼错" in p.hint for p in found)


def test_appeal_ids_unique_across_the_year(mini):
    (mini / f"{B1_2026}/quarters/q2.yaml").write_text(
        "appeals:\n  - id: S1\n    member: M1\n    filed: 2026-07-02\n    matter: 询问\n"
        "    outcome: 维持\n    decided: 2026-07-03\n",
        "utf-8",
    )
    p = one_error(mini)
    assert (p.code, p.pos.file, p.pos.line) == ("E502", f"{B1_2026}/quarters/q2.yaml", 2) and "S1" in p.message


def test_fourth_quarter_due_with_the_year_end(mini):
    report = check(mini, cache_dir=None, today=date(2027, 1, 11))
    q4 = [p for p in report.warnings if p.code == "W102" and p.pos.file.endswith("b1/2026/quarters/q4.yaml")]
    assert q4 and "2027-01-10 已过" in q4[0].message


def test_restricted_record_for_unknown_member(mini):
    plant(mini, "restricted/b1/2026.yaml", "  M5:", "  M8:")
    found = errors(mini)
    assert [p.code for p in found] == ["E701"] and "M8" not in found[0].message  # restricted: never the value


def test_every_problem_reported_in_one_run(mini):
    plant(mini, LEDGER_Q1, "members: [M1, M4]", "members: [M1, M9]")
    plant(mini, ROSTER, "      branch: b2\n", "      branch: b2\n  - id: M1\n    name: 重名\n    status: 正式\n")
    plant(mini, "notices/2026-01-01-hello.md", "date: 2026-01-01", "date: 2026-13-01")
    codes = sorted(p.code for p in errors(mini))
    assert codes == ["E011", "E301", "E402"]


def test_deadline_warnings(mini):
    report = check(mini, cache_dir=None, today=date(2026, 7, 20))
    warnings = [(p.code, p.pos.file) for p in report.warnings]
    assert ("W101", "committees/c1/branches/b2/2026/scheme.yaml") in warnings
    assert ("W102", "committees/c1/branches/b1/2026/quarters/q2.yaml") in warnings  # due 2026-07-30: near
    near = next(p for p in report.warnings if p.code == "W102" and "b1" in p.pos.file)
    assert "还有 10 天" in near.message
    late = check(mini, cache_dir=None, today=date(2027, 1, 11))
    assert any(p.code == "W103" and "已过" in p.message for p in late.warnings)


def test_notices_that_will_not_show_as_expected(mini):
    (mini / "notices/2026-03-01-old.md").write_text("---\ntitle: 旧通知\ndate: 2024-03-01\n---\n正文\n", "utf-8")
    (mini / "notices/2026-04-01-typo.md").write_text("---\ntitle: 学习通知\ndate: 2026-04-10\n---\n正文\n", "utf-8")
    found = [p for p in check(mini, cache_dir=None).problems if p.code.startswith("W8")]
    assert [(p.code, p.pos.file, p.pos.line) for p in found] == [
        ("W801", "notices/2026-03-01-old.md", 3),
        ("W802", "notices/2026-04-01-typo.md", 3),
    ]
    assert "2024" in found[0].message and "不会显示" in found[0].message
    assert not errors(mini)  # warnings: the site still builds


QUARTER_B1_Q1 = "committees/c1/branches/b1/2026/quarters/q1.yaml"
PENDING = "  - id: S2\n    by: 群众\n    matter: 对志愿服务积分有疑问\n    filed: 2026-04-09\n"


def test_an_objection_during_the_publicity_blocks_nothing(mini):
    """Issue 14: raised during the 公示 (by a 群众, anonymous), it is 受理中: no error, no
    block; once the 公示 has ended it is a warning with its deadline."""
    path = mini / QUARTER_B1_Q1
    text = path.read_text("utf-8")
    path.write_text(text.replace("confirmed:", PENDING + "confirmed:"), "utf-8")
    report = check(mini, today=date(2026, 4, 10), cache_dir=None)
    assert report.errors == [] and not [p for p in report.warnings if p.code == "W501"]
    report = check(mini, today=date(2026, 4, 20), cache_dir=None)
    [w] = [p for p in report.warnings if p.code == "W501"]
    assert w.pos.file == QUARTER_B1_Q1 and "群众意见“S2”" in w.message and "2026-04-28 前处理" in w.message
    report = check(mini, today=date(2026, 5, 1), cache_dir=None)
    [w] = [p for p in report.warnings if p.code == "W501"]
    assert "期限 2026-04-28 已过" in w.message


def test_an_appeal_raised_before_the_publicity_must_be_decided_first(mini):
    path = mini / QUARTER_B1_Q1
    text = path.read_text("utf-8")
    path.write_text(text.replace("confirmed:", PENDING.replace("2026-04-09", "2026-04-05") + "confirmed:"), "utf-8")
    p = one_error(mini)
    assert p.code == "E501" and "S2" in p.message


def test_a_member_appeal_names_the_member(mini):
    path = mini / QUARTER_B1_Q1
    text = path.read_text("utf-8")
    path.write_text(text.replace("confirmed:", PENDING.replace("    by: 群众\n", "") + "confirmed:"), "utf-8")
    p = one_error(mini)
    assert p.code == "E502" and "member" in p.message and "by: 群众" in p.hint


def test_publicity_needs_every_step_before_it_and_reporting_after(mini):
    path = mini / QUARTER_B1_Q1
    text = path.read_text("utf-8")
    path.write_text(text.replace("reviewed: 2026-04-01\n", "").replace("feedback: 2026-04-02\n", ""), "utf-8")
    p = one_error(mini)
    assert p.code == "E504" and "汇总审核、逐人反馈" in p.message
    path.write_text(text + "reported: 2026-04-06\n", "utf-8")
    p = one_error(mini)
    assert p.code == "E504" and "报上级备案" in p.message


def test_a_failing_member_needs_a_talk_and_a_helper_on_record(mini):
    """W602 (check only: restricted/): every member graded 不合格 has a 谈话 and a 帮教人
    recorded within 30 days of the 综合评定; the warning never quotes the record."""
    (mini / "committees/c1/branches/b1/2026/year-end.yaml").write_text(
        "assessed: 2027-01-05\n" + B1_RATED, "utf-8"
    )  # everyone in the mini scores under 60
    warned = [p for p in check(mini, today=date(2027, 2, 10), cache_dir=None).warnings if p.code == "W602"]
    assert sorted(p.message.split("（")[0] for p in warned) == ["赵一", "钱二"]  # 孙三 M3 has both on record
    assert all(p.pos.file == "restricted/b1/2026.yaml" and "期限 2027-02-04 已过" in p.message for p in warned)
    assert not any("张书记" in p.message or "谈心" in p.message for p in warned)
    # not yet near the deadline: nothing to say
    assert not [p for p in check(mini, today=date(2027, 1, 6), cache_dir=None).warnings if p.code == "W602"]
    # the build never reads restricted/, so never warns
    assert not [
        p for p in check(mini, today=date(2027, 2, 10), cache_dir=None, restricted=False).warnings if p.code == "W602"
    ]


def test_ranks_across_branches_wait_for_the_whole_pool(mini):
    """Issue 14: no rank across branches anywhere until every branch of the pool has its
    year end — then the same ranks everywhere."""
    b2 = mini / "committees/c1/branches/b2/branch.yaml"
    b2.write_text(b2.read_text("utf-8").replace("category: 社区", "category: 机关"), "utf-8")  # one pool
    (mini / "committees/c1/branches/b1/2026/year-end.yaml").write_text("assessed: 2027-01-05\n" + B1_RATED, "utf-8")
    report = check(mini, today=date(2027, 1, 20), cache_dir=None)
    b1 = report.years[2026].branches["b1"]
    assert b1.year_end_done and all(r.rank_committee is None and r.rank_district is None for r in b1.members)
    (mini / "committees/c1/branches/b2/2026/year-end.yaml").write_text("assessed: 2027-01-06\n" + B2_RATED, "utf-8")
    report = check(mini, today=date(2027, 1, 20), cache_dir=None)
    ranked = [r for b in report.years[2026].branches.values() for r in b.members if r.rank_district is not None]
    assert ranked and all(r.rank_committee is not None for r in ranked)
    totals = sorted((r.rank_district, -r.total) for r in ranked)
    assert [t for _, t in totals] == sorted(t for _, t in totals)  # ranks follow the totals across branches


def test_the_scores_own_grade_against_a_failing_rating_needs_a_reason_too(tmp_path):
    """E606 also when the final grade keeps the score's grade (合格 or better) while the
    民主测评 says 不合格: that is 综合分析研判 too, and its reason is published with it."""
    import shutil

    from sitegen.model.enums import Grade
    from sitegen.model.scored import GradedMember

    content = tmp_path / "content"
    demo = Path(__file__).parents[2] / "content"
    shutil.copytree(demo / "committees/jyw", content / "committees/jyw")
    for top in ("site.yaml", "scheme"):
        src = demo / top
        (shutil.copytree if src.is_dir() else shutil.copy)(src, content / top)
    ye = content / "committees/jyw/branches/dyzx/2025/year-end.yaml"
    base = ye.read_text("utf-8").replace("  M0402: 合格\n", "  M0402: 不合格\n")
    graded = check(content, today=date(2026, 2, 1), history=False).years[2025].branches["dyzx"]
    score = next(m for m in graded.members if m.member.id == "M0402")
    assert isinstance(score, GradedMember) and score.grade is not Grade.FAIL
    final = f"final:\n  - member: M0402\n    grade: {score.grade.value}\n    reason: {{reason}}\n"
    ye.write_text(base + final.format(reason="表现较好"), "utf-8")
    found = [p for p in check(content, today=date(2026, 2, 1), history=False).problems if p.code == "E606"]
    assert len(found) == 1 and "民主测评为不合格" in found[0].message and "M0402" in found[0].message
    reason = "测评前因家中变故长期请假，群众不了解其在社区防汛中连续值守的表现，支部委员会研判维持合格。"
    ye.write_text(base + final.format(reason=reason), "utf-8")
    report = check(content, today=date(2026, 2, 1), history=False)
    assert [p.format() for p in report.problems if p.is_error] == []
    member = next(m for m in report.years[2025].branches["dyzx"].members if m.member.id == "M0402")
    assert member.final_grade is score.grade and member.final_reason == reason
