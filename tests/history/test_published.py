"""The published record holds (issue 11): every way a published 公示's numbers could move
without a correction, each in a real git repository, caught with its code, file, line and
the members named — and the legitimate changes that must pass.

The repository is tests/history/gitrepo.branch_history: b1's first quarter published
7–13 April (Q1 table: 赵一 M1, 钱二 M2, 孙三 M3; 李四 M4 积极分子 apart; 周五 exempt;
吴六 floated out), the second quarter's ledger merged in June.
"""

from __future__ import annotations

from datetime import date, datetime

from sitegen.check import check
from tests.history.gitrepo import B1, CST, MEMBER_CLERK, REVIEWER, branch_history
from tests.history.test_frozen import run_cli

ROSTER = f"{B1}/roster.yaml"
PLAN = f"{B1}/scheme.yaml"
Q1_RECORD = f"{B1}/quarters/q1.yaml"
Q1 = f"{B1}/ledger/q1.yaml"
Q2 = f"{B1}/ledger/q2.yaml"
TODAY = date(2026, 6, 30)
NEW_MEMBER = "  - id: M7\n    name: 郑七\n    status: 预备\n"


def history_errors(content, today=TODAY):
    report = check(content, today=today, cache_dir=None, history=True)
    return [p for p in report.errors if p.code.startswith("E10")], report


def test_a_clean_history_passes_and_keeps_the_published_numbers(tmp_path):
    repo = branch_history(tmp_path / "repo")
    found, report = history_errors(repo.content)
    assert found == [] and report.errors == []


def test_a_member_added_without_a_join_date_changes_published_quarters(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(ROSTER, NEW_MEMBER)
    repo.commit("名册新增郑七", when=datetime(2026, 6, 20, 9, 0, tzinfo=CST))
    [p], _ = history_errors(repo.content)
    assert p.code == "E1008" and p.pos.file == ROSTER and p.pos.line == 27  # the `- id: M7` line
    assert "2026年第一季度积分已于 2026-04-07 开始公示" in p.message
    assert "郑七（M7）出现在公示名单上" in p.message and "新增 郑七（M7）" in p.message
    assert "joined" in p.hint


def test_a_status_change_written_over_the_status_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(ROSTER, "    name: 孙三\n    status: 预备", "    name: 孙三\n    status: 积极分子")
    [p], _ = history_errors(repo.content)
    assert p.code == "E1008" and p.pos.file == ROSTER and p.pos.line == 8  # 孙三's entry
    assert "孙三（M3）" in p.message and "身份：预备党员 → 入党积极分子" in p.message
    assert "changes" in p.hint


def test_an_exemption_written_without_its_dates_mattering_is_caught(tmp_path):
    """An exemption whose last step predates the 公示 rewrites it: the member was scored then."""
    repo = branch_history(tmp_path / "repo")
    repo.edit(
        ROSTER,
        "    name: 钱二\n    status: 正式\n",
        "    name: 钱二\n    status: 正式\n    exempt:\n      applied: 2026-01-02\n"
        "      approved: 2026-01-03\n      filed: 2026-01-04\n",
    )
    [p], _ = history_errors(repo.content)
    assert p.code == "E1008" and p.pos.file == ROSTER and "钱二（M2）" in p.message


def test_a_lowered_item_cap_in_the_branch_scheme_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(PLAN, "narrow:\n  - code: B01\n    cap: 2\n")
    [p], _ = history_errors(repo.content)
    assert p.code == "E1008" and p.pos.file == PLAN and p.pos.line == 4  # the narrowing of B01
    assert "支部年初设定的积分项目" in p.message and "赵一（M1）" in p.message


def test_a_changed_item_in_the_district_scheme_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit("scheme/2026.yaml", "    name: 交纳党费\n    points: 3", "    name: 交纳党费\n    points: 4")
    [p], _ = history_errors(repo.content)
    assert p.code == "E1008" and p.pos.file == "scheme/2026.yaml" and p.pos.line == 15  # `- code: B02`
    assert "全区考核表" in p.message and "B02" in p.message and "分值：3 → 4" in p.message


def test_moving_the_publicity_later_to_let_a_correction_in_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1_RECORD, "  start: 2026-04-07\n  end: 2026-04-13", "  start: 2026-04-20\n  end: 2026-04-26")
    repo.append(
        Q2,
        "  - id: E12\n    date: 2026-04-10\n    corrects: E03\n    members: [M1, M3]\n    reason: 核实钱二未交党费。\n",
    )
    found, _ = history_errors(repo.content)
    codes = sorted(p.code for p in found)
    assert codes == ["E1008", "E1009"]
    moved = next(p for p in found if p.code == "E1009")
    assert moved.pos.file == Q1_RECORD and "2026-04-20" in moved.message
    changed = next(p for p in found if p.code == "E1008")
    assert changed.pos.file == Q1_RECORD and "钱二（M2）" in changed.message


def test_deleting_a_published_quarter_record_is_refused(tmp_path):
    repo = branch_history(tmp_path / "repo")
    (repo.content / Q1_RECORD).unlink()
    found, _ = history_errors(repo.content)
    assert [p.code for p in found] == ["E1009"] and found[0].pos.file == Q1_RECORD
    assert "撤回" in found[0].message


def test_removing_the_publicity_is_refused(tmp_path):
    repo = branch_history(tmp_path / "repo")
    text = repo.read(Q1_RECORD)
    repo.write(Q1_RECORD, text[: text.index("publicity:")])
    found, _ = history_errors(repo.content)
    assert [p.code for p in found] == ["E1009"]


def test_renaming_the_content_folder_with_an_edit_in_the_same_commit(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("mv", "content", "data")
    repo.content = repo.path / "data"
    repo.edit(Q1, "    points: 2\n    members: [M1, M4]", "    points: 3\n    members: [M1, M4]")
    repo.commit("整理目录", who=MEMBER_CLERK)
    found, _ = history_errors(repo.content)
    assert [p.code for p in found] == ["E1002"] and found[0].pos.file == Q1 and found[0].pos.line == 18


def test_renaming_a_branch_folder_withdraws_its_published_quarters(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("mv", "content/committees/c1/branches/b1", "content/committees/c1/branches/b9")
    repo.commit("支部改名", who=MEMBER_CLERK)
    found, _ = history_errors(repo.content)
    assert "E1009" in [p.code for p in found]
    assert any("b1" in p.message and "改名" in p.message for p in found)


def test_a_rewrite_merged_back_with_ours_strategy_is_caught(tmp_path):
    """History reset to before the publication, a closed entry changed, the published
    commit merged back with `-s ours` so that it is an ancestor again."""
    repo = branch_history(tmp_path / "repo")
    published = repo.git("rev-parse", "HEAD")
    first = repo.git("rev-list", "--max-parents=0", "HEAD")
    repo.git("checkout", "-q", "-b", "rewrite", first)
    repo.edit(Q1, "    points: 2\n    members: [M1, M4]", "    points: 3\n    members: [M1, M4]")
    repo.commit("改 E04", when=datetime(2026, 6, 25, 9, 0, tzinfo=CST))
    repo.git("merge", "-q", "-s", "ours", "-m", "合并", published, who=REVIEWER)
    repo.git("branch", "-f", "main", "HEAD")
    repo.git("checkout", "-q", "main")
    found, _ = history_errors(repo.content)
    assert "E1002" in [p.code for p in found]
    [p] = [p for p in found if p.code == "E1002"]
    assert p.pos.file == Q1 and "E04" in p.message


def test_a_correction_made_after_the_publicity_passes_and_keeps_the_quarter(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(
        Q2,
        "  - id: E12\n    date: 2026-06-10\n    corrects: E03\n    members: [M1, M3]\n"
        "    reason: 经核实钱二三月未交党费。\n",
    )
    repo.commit("更正 E03", who=MEMBER_CLERK, when=datetime(2026, 6, 10, 9, 0, tzinfo=CST))
    found, report = history_errors(repo.content)
    assert found == [] and report.errors == []
    b1 = report.years[2026].branches["b1"]
    m2 = b1.result("M2")
    assert m2.quarters[0].ytd.base == 7  # Q1 as published: B01 4 (with E06) + B02 3
    assert m2.quarters[1].points.base == -1  # Q2: E07, E08 (B01 4 → 6 at its cap: +2), E12 takes back B02's 3


def test_new_entries_in_the_open_quarter_pass(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(Q2, "  - id: E12\n    date: 2026-06-15\n    item: B02\n    members: 全体\n")
    found, report = history_errors(repo.content)
    assert found == [] and report.errors == []


def test_build_refuses_what_check_refuses_and_keeps_the_last_site(tmp_path):
    repo = branch_history(tmp_path / "repo")
    out_dir = tmp_path / "site"
    first = run_cli(
        "build",
        "repo/content",
        "-o",
        str(out_dir),
        "--no-pdf",
        "--no-cache",
        "--today",
        "2026-06-30",
        "-q",
        cwd=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    repo.edit(Q1, "    points: 2\n    members: [M1, M4]", "    points: 3\n    members: [M1, M4]")
    repo.commit("改 E04", who=MEMBER_CLERK)
    out = run_cli(
        "build", "repo/content", "-o", str(out_dir), "--no-pdf", "--no-cache", "--today", "2026-06-30", cwd=tmp_path
    )
    assert out.returncode == 1 and f"{Q1}:18:13: 错误[E1002]" in out.stderr and "Traceback" not in out.stderr
    assert {p: p.read_bytes() for p in out_dir.rglob("*") if p.is_file()} == before


def test_a_published_info_that_does_not_exist_is_an_error(tmp_path):
    branch_history(tmp_path / "repo")
    out = run_cli(
        "check",
        "repo/content",
        "--today",
        "2026-06-30",
        "--no-cache",
        "--published-info",
        str(tmp_path / "missing" / "build-info.json"),
        cwd=tmp_path,
    )
    assert out.returncode == 1 and "错误[E1007]" in out.stdout and "Traceback" not in out.stderr
    out = run_cli(
        "build",
        "repo/content",
        "-o",
        str(tmp_path / "site"),
        "--no-pdf",
        "--no-cache",
        "--published-info",
        str(tmp_path / "nowhere.json"),
        cwd=tmp_path,
    )
    assert out.returncode == 1 and "E1007" in out.stderr


YEAR_END = f"{B1}/year-end.yaml"


def test_a_published_year_end_changes_only_through_corrections(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.write(
        YEAR_END,
        "evaluated: 2026-12-20\nratings:\n  M1: 优秀\n  M2: 合格\n  M3: 合格\n"
        "assessed: 2027-01-05\npublicity:\n  start: 2027-01-06\n  end: 2027-01-10\n",
    )
    repo.commit("年度评定和公示", when=datetime(2027, 1, 5, 17, 0, tzinfo=CST))
    today = date(2027, 1, 20)
    assert history_errors(repo.content, today)[0] == []
    repo.edit(YEAR_END, "  M2: 合格", "  M2: 优秀")
    [p], _ = history_errors(repo.content, today)
    assert p.code == "E1008" and p.pos.file == YEAR_END and "2026年度评定结果" in p.message
    assert "钱二（M2）" in p.message and "民主测评 合格 → 优秀" in p.message


def test_the_published_site_is_a_reference_that_forged_dates_cannot_move(tmp_path):
    """The live site's build-info.json names its commit and the day it was built: a later
    commit whose dates are set to before the 公示 began is still compared with it."""
    import json

    repo = branch_history(tmp_path / "repo")
    published = repo.git("rev-parse", "HEAD")
    info = tmp_path / "site" / "build-info.json"
    info.parent.mkdir()
    info.write_text(
        json.dumps(
            {"content": {"git": True, "commit": published, "uncommitted_changes": False}, "as_of": "2026-06-10"}
        ),
        "utf-8",
    )
    repo.edit(Q1, "    points: 2\n    members: [M1, M4]", "    points: 3\n    members: [M1, M4]")
    repo.commit("改 E04", when=datetime(2026, 4, 6, 12, 0, tzinfo=CST))  # dated before the 公示 began
    report = check(repo.content, today=TODAY, cache_dir=None, history=True, published_info=info)
    assert "E1002" in [p.code for p in report.errors]
