"""`sitegen diff`: the review report for three real pull requests — one entry, a whole
quarter, a scheme change — and one that brings a new error."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from sitegen.check import check
from sitegen.history.entries import Kind
from sitegen.review import as_dict, markdown, review
from tests.history.gitrepo import B1, MEMBER_CLERK, Repo, branch_history
from tests.history.test_frozen import run_cli
from tools.synth import generate

TODAY = date(2026, 11, 23)
SB1 = "committees/c01/branches/b0001/2026"


def test_one_entry(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "b1-e09")
    repo.edit(
        f"{B1}/ledger/q2.yaml",
        "  - id: E09\n    date: 2026-06-01\n    item: A03\n    members: [M1]",
        "  - id: E09\n    date: 2026-06-01\n    item: A03\n    members: [M1, M2]",
    )
    repo.commit("E09 钱二也获市级表彰", who=MEMBER_CLERK)
    r = review(repo.content, "main", today=TODAY, cache_dir=None)

    [b] = r.branches
    assert b.branch == "b1" and b.name == "甲支部"
    [e] = b.entries
    assert (e.kind, e.entry, e.quarter, e.fields, e.published) == (Kind.CHANGED, "E09", 2, ("members",), False)
    [m] = b.members
    assert (m.member, m.name) == ("M2", "钱二")
    assert m.quarters == ((2, m.quarters[0][1]),) and m.quarters[0][1].old == Decimal(3)
    assert m.total.old == Decimal(10) and m.total.new == Decimal(15)
    assert r.new_problems == () and not r.schemes

    text = markdown(r)
    assert text.index("**概要**") < text.index("### 甲支部（b1）") < text.index("<details")
    assert "台账条目：新增 0 条，更正 0 条，修改 1 条，删除 0 条" in text
    assert (
        "| 2026年第二季度 | E09 | 修改 | 2026-06-01 | A03 | 赵一、钱二 | 5（按项目） | 党员 赵一 → 赵一、钱二 |" in text
    )
    assert "| 钱二（M2） | 第二季度 3 → 8 | 10 → 15 |" in text
    assert "<details open><summary>台账条目（1 条）</summary>" in text  # short lists start open
    assert "没有新问题" in text
    assert "- 已公示的记录：没有改动" in text and "改动了已公示的记录" not in text  # a Q2 entry: Q1 alone is published
    assert r.published == () and r.history_checked and not r.theme_files

    data = json.loads(json.dumps(as_dict(r), ensure_ascii=False))
    assert data["summary"]["entries"] == {"added": 0, "corrections": 0, "changed": 1, "removed": 0}
    assert data["summary"]["new_history_errors"] == 0 and data["published_changes"] == []
    assert data["branches"][0]["members"][0]["total"] == {"old": 10, "new": 15}


def synth_repo(path: Path) -> Repo:
    repo = Repo(path)
    generate(repo.content, branches=3, members=14, seed=3, year=2026)
    return repo


def test_a_whole_quarter(tmp_path):
    repo = synth_repo(tmp_path / "repo")
    q3 = {rel: repo.read(rel) for rel in (f"{SB1}/ledger/q3.yaml", f"{SB1}/quarters/q3.yaml")}
    shutil.move(repo.content / f"{SB1}/ledger/q4.yaml", tmp_path / "q4.yaml")
    for rel in q3:
        (repo.content / rel).unlink()
    repo.commit("全区 2026 年数据（b0001 第三季度未报）")
    repo.git("checkout", "-q", "-b", "b0001-2026q3")
    for rel, text in q3.items():
        repo.write(rel, text)
    repo.commit("b0001 第三季度台账、汇总审核和公示")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)
    head = check(repo.content, today=TODAY, cache_dir=None)

    [b] = r.branches
    added = sum(1 for line in q3[f"{SB1}/ledger/q3.yaml"].splitlines() if line.startswith("  - id:"))
    assert b.counts[Kind.ADDED] + b.counts[Kind.CORRECTION] == added > 20
    assert all(e.quarter == 3 for e in b.entries)
    results = {m.member.id: m for m in head.years[2026].branches["b0001"].members}
    assert len(b.members) > 10
    for m in b.members:
        if m.total:
            assert m.total.new == results[m.member].total
    assert b.files == ((f"{SB1}/quarters/q3.yaml", "新增"),)

    text = markdown(r)
    assert text.index("**概要**") < text.index("<details")
    assert f"<details><summary>台账条目（{added} 条）</summary>" in text  # long lists start folded
    assert f"<details><summary>党员积分和排名变化（{len(b.members)} 名）</summary>" in text
    assert f"新增 {b.counts[Kind.ADDED]} 条" in text
    assert r.new_problems == ()
    short = markdown(r, max_chars=3000)  # a host with a small comment limit: tables cut, saying so
    assert len(short) <= 3000 and "完整内容见 `sitegen diff --format json`" in short and "**概要**" in short


def test_a_scheme_change(tmp_path):
    repo = synth_repo(tmp_path / "repo")
    repo.commit("全区 2026 年数据")
    repo.git("checkout", "-q", "-b", "scheme-2026")
    repo.edit(
        "scheme/2026.yaml",
        "    name: 按时参加“三会一课”\n    points: 1.5",
        "    name: 按时参加“三会一课”\n    points: 2",
    )
    repo.edit(
        "scheme/2026.yaml",
        "items:\n",
        "items:\n  - code: B99\n    part: 基础积分\n    name: 参加党史学习教育\n    points: 1\n",
    )
    repo.commit("考核表：三会一课每次 2 分；新增党史学习教育", who=("区委组织部", "zzb@example.org"))
    r = review(repo.content, "main", today=TODAY, cache_dir=None)

    [layer] = [s for s in r.schemes if s.path == "scheme/2026.yaml"]
    assert layer.layer == "全区考核表（2026年）"
    details = [c.detail for c in layer.changes]
    assert "修改项目 B01：分值 1.5 → 2" in details
    assert "新增项目 B99 （参加党史学习教育，基础积分，1 分）" in details
    assert not any(b.entries for b in r.branches)  # no ledger entry changed...
    assert any(m.total for b in r.branches for m in b.members)  # ...but points did
    text = markdown(r)
    assert "### 积分项目变化" in text and "修改项目 B01：分值 1.5 → 2" in text
    data = as_dict(r)
    assert data["summary"]["scheme_changes"] == 2


def test_new_error_is_listed_first_and_the_cli_prints_markdown_and_json(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "bad")
    repo.append(f"{B1}/ledger/q2.yaml", "  - id: E12\n    date: 2026-06-10\n    item: B02\n    members: [M9]\n")
    repo.commit("E12")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)
    [p] = r.new_problems
    assert p.code == "E402" and p.pos.file == f"{B1}/ledger/q2.yaml"
    text = markdown(r)
    assert "❗ **本次修改带来 1 个错误，合并前必须改正。**" in text
    assert text.index("### 新出现的问题（1）") < text.index("### 甲支部（b1）")

    out = run_cli("diff", "main", "HEAD", "-C", "content", "--today", "2026-11-23", "--no-cache", cwd=repo.path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("## 积分变更审核报告") and "E402" in out.stdout
    out = run_cli("diff", "main", "-C", "content", "--format", "json", "--no-cache", cwd=repo.path)
    assert json.loads(out.stdout)["summary"]["new_errors"] == 1

    out = run_cli("diff", "no-such-branch", "-C", "content", cwd=repo.path)
    assert out.returncode == 2 and "找不到提交或分支“no-such-branch”" in out.stderr and "Traceback" not in out.stderr


def test_compares_from_the_merge_base(tmp_path):
    """main moved on after the branch was made: its changes are not this pull request's."""
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "pr")
    repo.append(f"{B1}/ledger/q2.yaml", "  - id: E12\n    date: 2026-06-10\n    item: B02\n    members: [M2]\n")
    repo.commit("E12")
    repo.git("checkout", "-q", "main")
    repo.append(
        "committees/c1/branches/b2/2026/ledger/q1.yaml",
        "  - id: F03\n    date: 2026-03-20\n    item: B02\n    members: [M7]\n",
    )
    repo.commit("F03")
    r = review(repo.content, "main", "pr", today=TODAY, cache_dir=None)
    assert [(b.branch, [e.entry for e in b.entries]) for b in r.branches] == [("b1", ["E12"])]


def test_not_a_repository(tmp_path):
    from tests.support import MINI

    shutil.copytree(MINI, tmp_path / "c")
    out = run_cli("diff", "main", "-C", "c", cwd=tmp_path)
    assert out.returncode == 2 and "不在 git 仓库里" in out.stderr
