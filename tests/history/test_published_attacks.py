"""Adversarial tests of the published record (issue 11, SPEC 2.9).

Each test builds a real git repository (tests/history/gitrepo.py) and asserts the correct
behaviour: a published number moved without a correction must be an error (E1002–E1004,
E1008, E1009); a legitimate change must pass. Tests marked xfail(strict=True) document a
bug that is present now.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone

import pytest

from sitegen.check import check
from tests.history.gitrepo import B1, CST, MEMBER_CLERK, REVIEWER, Repo, branch_history
from tests.support import MINI

ROSTER = f"{B1}/roster.yaml"
Q1_RECORD = f"{B1}/quarters/q1.yaml"
Q1 = f"{B1}/ledger/q1.yaml"
Q2 = f"{B1}/ledger/q2.yaml"
YEAR_END = f"{B1}/year-end.yaml"
TODAY = date(2026, 6, 30)
E04 = ("    points: 2\n    members: [M1, M4]", "    points: 1\n    members: [M1, M4]")


def history_errors(content, today=TODAY, cache_dir=None):
    report = check(content, today=today, cache_dir=cache_dir, history=True)
    return [p for p in report.errors if p.code.startswith("E10")], report


def codes(content, today=TODAY, cache_dir=None):
    found, report = history_errors(content, today, cache_dir)
    return sorted(p.code for p in report.errors)


def at(*args):
    return datetime(*args, tzinfo=CST)


def mainline_history(path) -> Repo:
    """Q1's ledger and its 公示 record (start 7 April) committed straight on main on 6 April,
    no pull request: the only publication is on HEAD's first-parent line."""
    repo = Repo(path)
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    q2 = repo.read(Q2)
    repo.write(Q2, q2[: q2.index("  - id: E07")])
    repo.commit("第一季度台账、审核和公示", when=at(2026, 4, 6, 10, 0))
    return repo


# ------------------------------------------------------------------ bugs: published numbers moved silently


def test_copying_the_content_folder_and_editing_the_copy_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    shutil.copytree(repo.content, repo.path / "data")
    repo.content = repo.path / "data"
    repo.edit(Q1, *E04)
    repo.commit("新目录", who=MEMBER_CLERK, when=at(2026, 6, 20, 9, 0))
    assert "E1002" in codes(repo.content)


def test_moving_the_content_folder_leaving_a_stub_site_yaml_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("mv", "content", "data")
    (repo.path / "content").mkdir()
    (repo.path / "content" / "site.yaml").write_text("name: 旧目录\n", "utf-8")
    repo.content = repo.path / "data"
    repo.edit(Q1, *E04)
    repo.commit("整理目录", who=MEMBER_CLERK, when=at(2026, 6, 20, 9, 0))
    assert "E1002" in codes(repo.content)


@pytest.mark.xfail(
    strict=True,
    reason="known limit: without --published-info, commit dates decide when a 公示 began; a forged date before the start is believed (with it, caught: test_published.py)",
)
def test_a_commit_back_dated_before_the_start_cannot_rewrite_the_quarter(tmp_path):
    repo = mainline_history(tmp_path / "repo")
    repo.edit(Q1, *E04)
    # made in June, its dates set to 6 April (GIT_COMMITTER_DATE, or rebase --committer-date-is-author-date)
    repo.commit("改 E04", when=at(2026, 4, 6, 18, 0))
    assert "E1002" in codes(repo.content)


def test_an_edit_committed_on_the_start_day_in_utc_is_caught(tmp_path):
    repo = mainline_history(tmp_path / "repo")
    repo.edit(Q1, *E04)
    # 7 April 07:30 in Beijing, committed by a server or CI runner whose clock is in UTC
    repo.commit("改 E04", when=at(2026, 4, 7, 7, 30).astimezone(timezone.utc))
    assert "E1002" in codes(repo.content)


def test_a_roster_broken_just_before_the_start_does_not_unfreeze_the_quarter(tmp_path):
    repo = mainline_history(tmp_path / "repo")
    good = repo.read(ROSTER)
    repo.write(ROSTER, good.replace("  - id: M2", "\t- id: M2"))
    repo.commit("名册（格式出错）", when=at(2026, 4, 6, 17, 0))
    repo.write(ROSTER, good)
    repo.commit("修正名册格式", when=at(2026, 4, 7, 9, 0))
    assert codes(repo.content) == []
    repo.append(ROSTER, "  - id: M8\n    name: 郑八\n    status: 正式\n")
    repo.commit("名册新增郑八", when=at(2026, 6, 20, 9, 0))
    assert "E1008" in codes(repo.content)


# ------------------------------------------------------------------ bugs: false alarms


def test_a_fix_on_the_publishing_branch_before_the_start_passes(tmp_path):
    repo = branch_history(tmp_path / "pre")  # only to read the files
    q1_record, q2 = repo.read(Q1_RECORD), repo.read(Q2)
    repo = Repo(tmp_path / "repo")
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    (repo.content / Q1_RECORD).unlink()
    (repo.content / Q2).unlink()
    repo.commit("第一季度台账", when=at(2026, 3, 31, 17, 0))
    repo.git("checkout", "-q", "-b", "b1-q1")
    repo.write(Q1_RECORD, q1_record)
    repo.write(Q2, q2[: q2.index("  - id: E07")])
    repo.commit("第一季度审核和公示", when=at(2026, 4, 6, 10, 0))
    repo.edit(Q1, *E04)  # review comment: E04 was 3 hours, fixed before the 公示 begins
    repo.commit("按审核意见改 E04", when=at(2026, 4, 6, 11, 0))
    repo.merge("b1-q1", "Merge pull request '第一季度公示' (#1)", when=at(2026, 4, 6, 16, 0))
    assert codes(repo.content) == []


def test_a_start_date_changed_and_put_back_passes(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1_RECORD, "  start: 2026-04-07", "  start: 2026-04-08")
    repo.commit("改公示日期", who=MEMBER_CLERK, when=at(2026, 6, 20, 9, 0))
    assert "E1009" in codes(repo.content)
    repo.git("revert", "--no-edit", "HEAD", who=REVIEWER, when=at(2026, 6, 21, 9, 0))
    assert codes(repo.content) == []


PARTIAL0 = "partial_year:\n  months: 0\n"
LATE = "  - id: M8\n    name: 郑八\n    status: 正式\n    joined: 2026-09-01\n    join: 转入\n"


def _year_end_published_with_partial_year(tmp_path):
    """A district grading everyone (partial_year months 0), a member transferred in in
    September, the year end published in January."""
    repo = branch_history(tmp_path / "repo")
    repo.append("scheme/2026.yaml", PARTIAL0)
    repo.append(ROSTER, LATE)
    repo.commit("年内加入也评定；郑八转入", when=at(2026, 9, 1, 9, 0))
    repo.write(
        YEAR_END,
        "evaluated: 2026-12-20\nratings:\n  M1: 优秀\n  M2: 合格\n  M3: 合格\n  M8: 合格\n"
        "assessed: 2027-01-05\npublicity:\n  start: 2027-01-06\n  end: 2027-01-10\n",
    )
    repo.commit("年度评定和公示", when=at(2027, 1, 5, 17, 0))
    return repo


def test_partial_year_setting_alone_passes(tmp_path):
    repo = _year_end_published_with_partial_year(tmp_path)
    assert codes(repo.content, date(2027, 1, 20)) == []


def test_a_name_typo_fixed_after_the_year_end_with_partial_year_passes(tmp_path):
    repo = _year_end_published_with_partial_year(tmp_path)
    repo.edit(ROSTER, "    name: 郑八", "    name: 郑捌")
    repo.commit("改正姓名", when=at(2027, 1, 15, 9, 0))
    assert codes(repo.content, date(2027, 1, 20)) == []


@pytest.mark.xfail(
    strict=True,
    reason="known limit: a 公示 record that does not parse publishes nothing; the first version that does is what is frozen",
)
def test_a_publicity_record_that_did_not_parse_then_is_still_frozen_by_its_start(tmp_path):
    repo = Repo(tmp_path / "repo")
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    q2 = repo.read(Q2)
    repo.write(Q2, q2[: q2.index("  - id: E07")])
    good = repo.read(Q1_RECORD)
    repo.write(Q1_RECORD, good.replace("  scope:", "\tscope:"))  # a tab: the file does not parse
    repo.commit("第一季度台账、审核和公示", when=at(2026, 4, 6, 10, 0))
    repo.write(Q1_RECORD, good)
    repo.edit(Q1, *E04)
    repo.commit("修正季度记录格式；改 E04", who=MEMBER_CLERK, when=at(2026, 6, 20, 9, 0))
    assert "E1002" in codes(repo.content)


# ------------------------------------------------------------------ caught: guards against regressions


def test_mainline_publication_an_edit_in_june_is_caught(tmp_path):
    repo = mainline_history(tmp_path / "repo")
    assert codes(repo.content) == []
    repo.edit(Q1, *E04)
    repo.commit("改 E04", when=at(2026, 6, 20, 9, 0))
    assert "E1002" in codes(repo.content)


def test_a_side_branch_forked_before_the_publication_that_edits_q1_is_caught_when_merged(tmp_path):
    repo = branch_history(tmp_path / "repo")
    first = repo.git("rev-list", "--max-parents=0", "HEAD")
    repo.git("checkout", "-q", "-b", "old-fix", first)
    repo.edit(Q1, *E04)
    repo.commit("改 E04（三月底的分支）", when=at(2026, 4, 2, 9, 0))
    repo.git("checkout", "-q", "main")
    repo.merge("old-fix", "Merge branch 'old-fix'", when=at(2026, 6, 20, 9, 0))
    assert "E1002" in codes(repo.content)


def test_a_status_written_over_from_preparatory_to_full_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(ROSTER, "    name: 孙三\n    status: 预备", "    name: 孙三\n    status: 正式")
    repo.commit("孙三转正", when=at(2026, 6, 20, 9, 0))
    assert "E1008" in codes(repo.content)


def test_a_left_date_before_the_publication_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(
        ROSTER,
        "    name: 赵一\n    status: 正式\n",
        "    name: 赵一\n    status: 正式\n    left: 2026-02-01\n    leave: 转出\n",
    )
    repo.commit("赵一转出", when=at(2026, 6, 20, 9, 0))
    assert "E1008" in codes(repo.content)


def test_an_excluding_changed_on_a_published_entry_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1, "    excluding: [M2]", "    excluding: [M3]")
    repo.commit("改 E02", when=at(2026, 6, 20, 9, 0))
    assert "E1002" in codes(repo.content)


def test_the_committee_rules_layer_changed_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append("committees/c1/scheme/2026.yaml", "  - code: B01\n    cap: 2\n")
    repo.commit("细则收紧", when=at(2026, 6, 20, 9, 0))
    assert "E1008" in codes(repo.content)


def test_an_entry_moved_to_the_open_quarter_file_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1, "  - id: E05\n    date: 2026-03-20\n    item: A02\n    members: [M1]\n", "")
    repo.append(Q2, "  - id: E05\n    date: 2026-04-20\n    item: A02\n    members: [M1]\n")
    repo.commit("E05 挪到第二季度", when=at(2026, 6, 20, 9, 0))
    assert "E1003" in codes(repo.content)


# ------------------------------------------------------------------ legitimate: must pass


def test_a_correction_of_a_correction_after_the_publicity_passes(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(
        Q2,
        "  - id: E12\n    date: 2026-06-10\n    corrects: E06\n    members: [M1, M2]\n"
        "    reason: 复核申辩，孙三当日未参加。\n",
    )
    repo.commit("更正 E06", who=MEMBER_CLERK, when=at(2026, 6, 10, 9, 0))
    assert codes(repo.content) == []


def test_a_name_typo_and_comments_in_published_files_pass(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(ROSTER, "    name: 钱二", "    name: 钱贰")
    repo.write(Q1, "# 第一季度台账\n" + repo.read(Q1).replace("    item: B02\n", "    item: B02   # 党费\n"))
    repo.edit(Q1_RECORD, "reviewed: 2026-04-01", "# 审核\nreviewed: 2026-04-01")
    repo.commit("改正姓名，加注释", when=at(2026, 6, 20, 9, 0))
    assert codes(repo.content) == []


def test_joining_and_exemption_after_the_quarter_pass(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(
        ROSTER,
        "    name: 钱二\n    status: 正式\n",
        "    name: 钱二\n    status: 正式\n    exempt:\n      applied: 2026-06-04\n"
        "      approved: 2026-06-08\n      filed: 2026-06-10\n",
    )
    repo.edit(
        ROSTER,
        "    name: 孙三\n    status: 预备\n",
        "    name: 孙三\n    status: 预备\n    changes:\n      - date: 2026-05-01\n        status: 正式\n",
    )
    repo.append(ROSTER, "  - id: M8\n    name: 郑八\n    status: 正式\n    joined: 2026-05-01\n    join: 转入\n")
    repo.commit("名册变化", who=MEMBER_CLERK, when=at(2026, 6, 20, 9, 0))
    assert codes(repo.content) == []


def test_edits_before_a_start_that_has_not_come_pass(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1, *E04)
    repo.commit("改 E04", when=at(2026, 4, 6, 20, 0))
    assert codes(repo.content, today=date(2026, 4, 6)) == []


def test_the_end_and_scope_of_a_started_publicity_edited_passes(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(
        Q1_RECORD, "  end: 2026-04-13\n  scope: 支部党务公开栏", "  end: 2026-04-14\n  scope: 支部党务公开栏、微信群"
    )
    repo.commit("补记公示范围", when=at(2026, 6, 20, 9, 0))
    assert codes(repo.content) == []


def test_an_octopus_and_criss_cross_merge_of_innocent_branches_pass(tmp_path):
    repo = branch_history(tmp_path / "repo")
    base = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "a", base)
    repo.append(Q2, "  - id: E12\n    date: 2026-06-15\n    item: B02\n    members: 全体\n")
    repo.commit("E12", when=at(2026, 6, 15, 9, 0))
    repo.git("checkout", "-q", "-b", "b", base)
    repo.edit(ROSTER, "    name: 钱二", "    name: 钱贰")
    repo.commit("改名", when=at(2026, 6, 15, 10, 0))
    repo.git("checkout", "-q", "-b", "c", base)
    repo.write("notices/2026-06-16-note.md", repo.read("notices/2026-01-01-hello.md"))
    repo.commit("通知", when=at(2026, 6, 16, 9, 0))
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "a", "b", "c", "-m", "octopus", who=REVIEWER, when=at(2026, 6, 17, 9, 0))
    assert codes(repo.content) == []
    # criss-cross: x and y each merge the other's tip
    repo.git("checkout", "-q", "-b", "x")
    repo.append(Q2, "  - id: E13\n    date: 2026-06-18\n    item: B01\n    members: [M1]\n")
    repo.commit("E13", when=at(2026, 6, 18, 9, 0))
    repo.git("checkout", "-q", "-b", "y", "main")
    repo.edit(ROSTER, "    name: 赵一", "    name: 赵壹")
    repo.commit("改名", when=at(2026, 6, 18, 10, 0))
    x, y = repo.git("rev-parse", "x"), repo.git("rev-parse", "y")
    repo.git("merge", "-q", "--no-ff", x, "-m", "x into y", when=at(2026, 6, 18, 11, 0))
    repo.git("checkout", "-q", "x")
    repo.git("merge", "-q", "--no-ff", y, "-m", "y into x", when=at(2026, 6, 18, 12, 0))
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "x", "y", "-m", "both", when=at(2026, 6, 18, 13, 0), check=False)
    repo.git("merge", "-q", "--no-ff", "y", "-m", "y", when=at(2026, 6, 18, 14, 0), check=False)
    assert codes(repo.content) == []


def test_the_history_cache_follows_each_change(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = branch_history(tmp_path / "repo")
    assert codes(repo.content, cache_dir=True) == []
    repo.edit(Q1, *E04)
    assert "E1002" in codes(repo.content, cache_dir=True)  # uncommitted
    repo.commit("改 E04", when=at(2026, 6, 20, 9, 0))
    assert "E1002" in codes(repo.content, cache_dir=True)
    repo.git("revert", "--no-edit", "HEAD", when=at(2026, 6, 21, 9, 0))
    assert codes(repo.content, cache_dir=True) == []
    repo.append(ROSTER, "  - id: M8\n    name: 郑八\n    status: 正式\n")
    assert "E1008" in codes(repo.content, cache_dir=True)
    assert "E1008" in codes(repo.content, cache_dir=True)  # second run, all from the cache


def test_a_correction_of_a_correction_naming_its_item_passes_and_keeps_q1(tmp_path):
    repo = branch_history(tmp_path / "repo")
    before = history_errors(repo.content)[1].years[2026].branches["b1"].result("M3").quarters[0]
    repo.append(
        Q2,
        "  - id: E12\n    date: 2026-06-10\n    corrects: E06\n    item: B01\n    members: [M1, M2]\n"
        "    reason: 复核申辩，孙三当日未参加。\n",
    )
    repo.commit("更正 E06", who=MEMBER_CLERK, when=at(2026, 6, 10, 9, 0))
    found, report = history_errors(repo.content)
    assert found == [] and report.errors == []
    assert report.years[2026].branches["b1"].result("M3").quarters[0] == before


Q4 = f"{B1}/ledger/q4.yaml"
Q4_RECORD = f"{B1}/quarters/q4.yaml"


def _q4_published(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.write(Q4, "entries:\n  - id: E20\n    date: 2026-11-10\n    item: B02\n    members: 全体\n")
    repo.commit("第四季度台账", when=at(2026, 11, 10, 9, 0))
    repo.write(
        Q4_RECORD,
        "reviewed: 2027-01-04\nfeedback: 2027-01-05\nconfirmed: 2027-01-06\n"
        "publicity:\n  start: 2027-01-07\n  end: 2027-01-13\n",
    )
    repo.write(
        YEAR_END,
        "evaluated: 2026-12-20\nratings:\n  M1: 优秀\n  M2: 合格\n  M3: 合格\n"
        "assessed: 2027-01-06\npublicity:\n  start: 2027-01-07\n  end: 2027-01-13\n",
    )
    repo.commit("第四季度和年度公示", when=at(2027, 1, 6, 17, 0))
    return repo


def test_a_fourth_quarter_correction_made_in_january_passes(tmp_path):
    repo = _q4_published(tmp_path)
    assert codes(repo.content, date(2027, 1, 20)) == []
    repo.append(
        Q4,
        "  - id: E21\n    date: 2027-01-15\n    corrects: E20\n    members: [M1, M3]\n"
        "    reason: 经核实钱二十一月未交党费。\n",
    )
    repo.commit("更正 E20", when=at(2027, 1, 15, 9, 0))
    assert codes(repo.content, date(2027, 1, 20)) == []


def test_a_fourth_quarter_correction_backdated_before_its_start_is_caught(tmp_path):
    repo = _q4_published(tmp_path)
    repo.append(
        Q4,
        "  - id: E21\n    date: 2027-01-05\n    corrects: E20\n    members: [M1, M3]\n"
        "    reason: 经核实钱二十一月未交党费。\n",
    )
    repo.commit("更正 E20（倒填）", when=at(2027, 1, 15, 9, 0))
    assert "E1004" in codes(repo.content, date(2027, 1, 20))


def test_a_final_grade_override_after_the_year_end_publicity_is_caught(tmp_path):
    repo = _q4_published(tmp_path)
    repo.edit(
        YEAR_END, "  M3: 合格\n", "  M3: 合格\nfinal:\n  - member: M3\n    grade: 优秀\n    reason: 党委研究决定。\n"
    )
    repo.commit("改评定", when=at(2027, 1, 15, 9, 0))
    assert "E1008" in codes(repo.content, date(2027, 1, 20))


def test_moving_the_content_folder_away_and_back_passes(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("mv", "content", "data")
    repo.commit("改目录名", when=at(2026, 6, 20, 9, 0))
    assert codes(repo.path / "data") == []
    repo.git("mv", "data", "content")
    repo.commit("改回来", when=at(2026, 6, 21, 9, 0))
    assert codes(repo.content) == []


def test_a_member_id_changed_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.write(ROSTER, repo.read(ROSTER).replace("M3", "M9"))
    for rel in (Q1, Q2):
        repo.write(rel, repo.read(rel).replace("M3", "M9"))
    repo.commit("改编号", when=at(2026, 6, 20, 9, 0))
    found = codes(repo.content)
    assert "E1002" in found and "E1008" in found


@pytest.mark.xfail(
    strict=True,
    reason="known limit: a 公示 recorded in git after it began freezes the content from the day it is recorded",
)
def test_an_edit_between_the_start_and_a_late_recorded_publicity_is_caught(tmp_path):
    repo = Repo(tmp_path / "repo")
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    q1_record, q2 = repo.read(Q1_RECORD), repo.read(Q2)
    (repo.content / Q1_RECORD).unlink()
    repo.write(Q2, q2[: q2.index("  - id: E07")])
    repo.commit("第一季度台账", when=at(2026, 4, 6, 10, 0))
    repo.edit(Q1, *E04)  # 8 April: the table has been on the board since the 7th
    repo.commit("改 E04", who=MEMBER_CLERK, when=at(2026, 4, 8, 9, 0))
    repo.write(Q1_RECORD, q1_record)  # the 公示 of 7–13 April, recorded on the 10th
    repo.commit("补记第一季度公示", when=at(2026, 4, 10, 9, 0))
    assert "E1002" in codes(repo.content)


def test_moving_a_branch_to_a_committee_with_other_rules_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.write("committees/c2/committee.yaml", repo.read("committees/c1/committee.yaml").replace("第一", "第二"))
    repo.write("committees/c2/scheme/2026.yaml", "narrow:\n  - code: A01\n    max: 2\n  - code: B01\n    cap: 2\n")
    (repo.content / "committees/c2/branches").mkdir(parents=True)
    repo.git("mv", "content/committees/c1/branches/b1", "content/committees/c2/branches/b1")
    repo.commit("甲支部划归第二工委", when=at(2026, 6, 20, 9, 0))
    found, report = history_errors(repo.content)
    assert "E1008" in [p.code for p in found], [(p.code, p.message) for p in report.errors]


def test_moving_a_branch_to_a_committee_with_the_same_rules_passes(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.write("committees/c2/committee.yaml", repo.read("committees/c1/committee.yaml").replace("第一", "第二"))
    repo.write("committees/c2/scheme/2026.yaml", repo.read("committees/c1/scheme/2026.yaml"))
    (repo.content / "committees/c2/branches").mkdir(parents=True)
    repo.git("mv", "content/committees/c1/branches/b1", "content/committees/c2/branches/b1")
    repo.commit("甲支部划归第二工委", when=at(2026, 6, 20, 9, 0))
    found, report = history_errors(repo.content)
    assert [(p.code, p.message) for p in report.errors] == []


@pytest.mark.xfail(
    strict=True,
    reason="known limit: a 公示 pull request is compared as it was made; rebase it on main before its start to include fixes made there",
)
def test_a_fix_on_main_before_the_start_while_the_publishing_branch_is_open_passes(tmp_path):
    repo = branch_history(tmp_path / "pre")  # only to read the files
    q1_record, q2 = repo.read(Q1_RECORD), repo.read(Q2)
    repo = Repo(tmp_path / "repo")
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    (repo.content / Q1_RECORD).unlink()
    (repo.content / Q2).unlink()
    repo.commit("第一季度台账", when=at(2026, 3, 31, 17, 0))
    repo.git("checkout", "-q", "-b", "b1-q1")
    repo.write(Q1_RECORD, q1_record)
    repo.write(Q2, q2[: q2.index("  - id: E07")])
    repo.commit("第一季度审核和公示", when=at(2026, 4, 6, 10, 0))
    repo.git("checkout", "-q", "main")
    repo.edit(Q1, *E04)  # 李委员 fixes E04 on main the same morning, before the 公示 begins
    repo.commit("改 E04", who=MEMBER_CLERK, when=at(2026, 4, 6, 11, 0))
    repo.merge("b1-q1", "Merge pull request '第一季度公示' (#1)", when=at(2026, 4, 6, 16, 0))
    assert codes(repo.content) == []


def test_a_correction_backdated_before_the_start_in_the_open_quarter_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(
        Q2,
        "  - id: E12\n    date: 2026-04-06\n    corrects: E03\n    members: [M1, M3]\n    reason: 核实钱二未交党费。\n",
    )
    repo.commit("更正 E03（倒填到公示前）", when=at(2026, 6, 20, 9, 0))
    assert "E1008" in codes(repo.content)


def test_an_appeal_recorded_during_the_publicity_passes(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(
        Q1_RECORD,
        "    correction: E06\n",
        "    correction: E06\n  - id: S2\n    member: M3\n    entry: E03\n"
        "    filed: 2026-04-09\n    outcome: 维持\n    decided: 2026-04-11\n",
    )
    repo.commit("公示期间的申辩", when=at(2026, 4, 11, 17, 0))
    found, report = history_errors(repo.content)
    assert [(p.code, p.message) for p in report.errors] == []


def test_an_appeal_upheld_during_the_publicity_with_its_correction_passes(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(
        Q1_RECORD,
        "    correction: E06\n",
        "    correction: E06\n  - id: S2\n    member: M3\n    entry: E03\n"
        "    filed: 2026-04-09\n    outcome: 更正\n    decided: 2026-04-10\n"
        "    correction: E12\n",
    )
    repo.append(
        Q2,
        "  - id: E12\n    date: 2026-04-10\n    corrects: E03\n    members: [M1, M2, M4]\n"
        "    reason: 申辩成立：孙三三月的党费由钱二代交，记错了人。\n",
    )
    repo.commit("申辩 S2 成立，更正 E03", when=at(2026, 4, 10, 17, 0))
    found, report = history_errors(repo.content)
    assert [(p.code, p.message) for p in report.errors] == []


def test_a_q4_entry_added_after_the_year_end_publicity_is_caught(tmp_path):
    repo = _q4_published(tmp_path)
    repo.append(Q4, "  - id: E21\n    date: 2026-12-20\n    item: A02\n    members: [M3]\n")
    repo.commit("补记 E21", when=at(2027, 1, 15, 9, 0))
    assert "E1004" in codes(repo.content, date(2027, 1, 20))  # E1008 on the same file is folded into it


def test_a_q3_entry_added_after_the_year_end_publicity_is_caught(tmp_path):
    repo = _q4_published(tmp_path)
    repo.write(
        f"{B1}/ledger/q3.yaml", "entries:\n  - id: E21\n    date: 2026-08-20\n    item: A02\n    members: [M3]\n"
    )
    repo.commit("补记 E21", when=at(2027, 1, 15, 9, 0))
    assert "E1008" in codes(repo.content, date(2027, 1, 20))


def test_a_transfer_to_another_branch_after_the_quarter_passes(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(
        ROSTER,
        "    name: 赵一\n    status: 正式\n",
        "    name: 赵一\n    status: 正式\n    left: 2026-06-20\n    leave: 转出\n",
    )
    repo.append(
        "committees/c1/branches/b2/2026/roster.yaml",
        "  - id: M1\n    name: 赵一\n    status: 正式\n    joined: 2026-06-20\n    join: 转入\n",
    )
    repo.commit("赵一转到乙支部", when=at(2026, 6, 20, 9, 0))
    found, report = history_errors(repo.content)
    assert [(p.code, p.message) for p in report.errors] == []


def test_an_item_no_published_quarter_used_may_change(tmp_path):
    """The policy lets the scheme be adjusted during the year (二(三)); what may not move is a
    published number: A03 is used in the second quarter only, not yet published."""
    repo = branch_history(tmp_path / "repo")
    repo.edit("scheme/2026.yaml", "    name: 市级表彰\n    points: 5", "    name: 市级表彰\n    points: 6")
    repo.commit("市级表彰改为6分", when=at(2026, 6, 20, 9, 0))
    assert not [c for c in codes(repo.content) if c.startswith("E10")]


def test_a_start_date_changed_before_the_publicity_began_passes(tmp_path):
    repo = Repo(tmp_path / "repo")
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    q2 = repo.read(Q2)
    repo.write(Q2, q2[: q2.index("  - id: E07")])
    repo.edit(Q1_RECORD, "  start: 2026-04-07\n  end: 2026-04-13", "  start: 2026-04-10\n  end: 2026-04-16")
    repo.commit("第一季度审核和公示（定于4月10日）", when=at(2026, 4, 3, 10, 0))
    repo.edit(Q1_RECORD, "  start: 2026-04-10\n  end: 2026-04-16", "  start: 2026-04-07\n  end: 2026-04-13")
    repo.commit("公示提前到4月7日", when=at(2026, 4, 6, 10, 0))  # before either day
    assert codes(repo.content, date(2026, 4, 8)) == []
    assert codes(repo.content) == []
