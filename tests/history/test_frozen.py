"""`sitegen check` with history: closed quarters frozen, rewritten history and shallow
clones caught, each with the file and line of the offending entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime

from sitegen.check import check
from tests.history.gitrepo import B1, CST, MEMBER_CLERK, branch_history
from tests.support import ROOT

Q1 = f"{B1}/ledger/q1.yaml"
AFTER_PUBLICITY = date(2026, 6, 30)  # Q1's 公示 ran 7–13 April


def history_errors(content, today=AFTER_PUBLICITY, **kw):
    report = check(content, today=today, cache_dir=None, history=True, **kw)
    return [p for p in report.errors if p.code.startswith("E10")], report


def test_untouched_history_is_clean(tmp_path):
    repo = branch_history(tmp_path / "repo")
    found, report = history_errors(repo.content)
    assert found == [] and report.errors == []


def test_edit_of_a_closed_quarter_is_caught_at_the_entry(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1, "    points: 2\n    members: [M1, M4]", "    points: 3\n    members: [M1, M4]")
    [p], _ = history_errors(repo.content)
    assert p.code == "E1002" and p.pos.file == Q1 and p.pos.line == 18  # the `points:` line of E04
    assert "E04" in p.message and "分值 2 → 3" in p.message and "2026-04-07 开始公示" in p.message
    assert "corrects" in p.hint and "reason" in p.hint
    # the same edit committed (and even merged) is caught just the same
    repo.commit("改 E04 分值", who=MEMBER_CLERK)
    [p], _ = history_errors(repo.content)
    assert p.code == "E1002" and p.pos.line == 18


def test_the_quarter_is_frozen_from_the_first_day_of_its_publicity(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1, "    points: 2\n    members: [M1, M4]", "    points: 3\n    members: [M1, M4]")
    assert history_errors(repo.content, today=date(2026, 4, 6))[0] == []  # 公示 not begun: still open
    [p], _ = history_errors(repo.content, today=date(2026, 4, 7))  # its first day: frozen
    assert p.code == "E1002"


def test_removed_entry_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1, "  - id: E05\n    date: 2026-03-20\n    item: A02\n    members: [M1]\n", "")
    [p], _ = history_errors(repo.content)
    assert p.code == "E1003" and p.pos.file == Q1 and "E05" in p.message


def test_back_dated_entry_or_correction_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(Q1, "  - id: E12\n    date: 2026-03-28\n    item: B02\n    members: [M2]\n")
    repo.commit("补记三月的 E12", who=MEMBER_CLERK, when=datetime(2026, 6, 20, 9, 0, tzinfo=CST))
    [p], report = history_errors(repo.content)
    assert p.code == "E1004" and p.pos.file == Q1 and p.pos.line == 24 and "E12" in p.message
    assert "当前季度" in p.hint

    repo.edit(
        Q1,
        "  - id: E12\n    date: 2026-03-28\n    item: B02\n    members: [M2]\n",
        "  - id: E12\n    date: 2026-03-28\n    corrects: E03\n    members: [M1, M3, M4]\n"
        "    reason: 经核实钱二当日未参加主题党日。\n",
    )
    [p], report = history_errors(repo.content)  # a correction back-dated into the published quarter
    assert p.code == "E1004" and p.pos.line == 24 and "更正条目“E12”" in p.message and "日期写更正当天" in p.hint


def test_deleted_ledger_file_of_a_closed_quarter(tmp_path):
    repo = branch_history(tmp_path / "repo")
    (repo.content / Q1).unlink()
    found, _ = history_errors(repo.content)
    assert [p.code for p in found] == ["E1003"] and "删除" in found[0].message


def test_force_push_rewrite_is_caught(tmp_path):
    repo = branch_history(tmp_path / "repo")
    published = repo.git("rev-parse", "HEAD")
    info = tmp_path / "site" / "build-info.json"
    info.parent.mkdir()
    info.write_text(json.dumps({"content": {"git": True, "commit": published}}), "utf-8")
    assert history_errors(repo.content, published_info=info)[0] == []

    # someone resets main to before the published merge and force-pushes a new commit
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.append(
        "committees/c1/branches/b2/2026/ledger/q1.yaml",
        "  - id: F09\n    date: 2026-03-02\n    item: B02\n    members: [M7]\n",
    )
    repo.commit("重写")
    found, _ = history_errors(repo.content, published_info=info)
    assert [p.code for p in found if p.code == "E1005"] == ["E1005"]
    [p] = [p for p in found if p.code == "E1005"]
    assert published[:7] in p.message and "reflog" in p.hint and p.pos.file == ""
    assert p.format().startswith("错误[E1005]")


def test_published_commit_unknown_to_the_clone_counts_as_rewritten(tmp_path):
    repo = branch_history(tmp_path / "repo")
    info = tmp_path / "build-info.json"
    info.write_text(json.dumps({"content": {"git": True, "commit": "1234567" + "0" * 33}}), "utf-8")
    found, _ = history_errors(repo.content, published_info=info)
    assert [p.code for p in found] == ["E1005"]


def run_cli(*args, cwd):
    """`python -m sitegen` run from another folder (the repository under test)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_shallow_clone_is_refused_with_what_to_do(tmp_path):
    repo = branch_history(tmp_path / "repo")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True, capture_output=True
    )
    out = run_cli("check", "clone/content", "--today", "2026-06-30", "--no-cache", cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "错误[E1001]" in out.stdout and "浅克隆" in out.stdout
    assert "fetch-depth: 0" in out.stdout and "GIT_DEPTH: 0" in out.stdout and "--no-history" in out.stdout
    assert "Traceback" not in out.stderr

    out = run_cli("check", "clone/content", "--today", "2026-06-30", "--no-cache", "--no-history", cwd=tmp_path)
    assert out.returncode == 0, out.stdout

    from sitegen.history import history

    h = history(clone / "content", cache_dir=None)
    assert not h.available and h.shallow and "fetch-depth: 0" in h.reason and h.changes == ()


def test_cli_reports_closed_quarter_edit_with_file_line(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(Q1, "    points: 2\n    members: [M1, M4]", "    points: 3\n    members: [M1, M4]")
    out = run_cli("check", "repo/content", "--today", "2026-06-30", "--no-cache", cwd=tmp_path)
    assert out.returncode == 1
    assert f"{Q1}:18:13: 错误[E1002]" in out.stdout


def test_an_unreadable_roster_is_one_error_not_a_cascade(tmp_path):
    """A roster that does not parse takes its branch's year with it; what only says that
    year is missing (the published record not found, the restricted records without a
    roster, the other branch's floating member without a counterpart) is not reported
    on top of the roster's own error."""
    repo = branch_history(tmp_path / "repo")
    roster = repo.content / B1 / "roster.yaml"
    roster.write_text(roster.read_text("utf-8").replace("    name: 赵一", "    name: [赵一", 1), "utf-8")
    report = check(repo.content, today=AFTER_PUBLICITY, cache_dir=None, history=True)
    assert [(p.code, p.pos.file) for p in report.errors] == [("E006", f"{B1}/roster.yaml")]
