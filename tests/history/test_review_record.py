"""`sitegen diff` shows what a reviewer must see about the published record: history
errors (E10xx) counted and listed first, every published number a change would alter,
a newcomer's quarters, theme and symlink changes, quarter-record changes — each in a real
git repository made in a temp folder (tests/history/gitrepo.py)."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal

from sitegen.review import as_dict, markdown, review
from tests.history.gitrepo import B1, REVIEWER, branch_history

TODAY = date(2026, 11, 23)
Q1_START = date(2026, 4, 7)


def published_rows(r):
    return {(c.branch, c.quarter, c.member, c.what): (c.old, c.new) for c in r.published}


def test_an_edited_closed_entry_is_a_counted_history_error_and_names_the_numbers_it_moves(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "fix-e04")
    repo.edit(f"{B1}/ledger/q1.yaml", "    item: A01\n    points: 2\n", "    item: A01\n    points: 3\n")
    repo.commit("E04 改为 3 分")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)

    codes = [(p.code, p.pos.file) for p in r.history_problems]
    assert ("E1002", f"{B1}/ledger/q1.yaml") in codes
    assert r.new_history_errors == len([p for p in r.history_problems if p.is_error]) >= 1
    assert r.new_errors >= r.new_history_errors  # counted in the totals

    rows = published_rows(r)
    assert rows[("b1", 1, "M1", "本季度贡献加分")] == (Decimal(6), Decimal(7))
    assert rows[("b1", 1, "M1", "累计总分")][1] - rows[("b1", 1, "M1", "累计总分")][0] == 1
    assert rows[("b1", 1, "M4", "本季度贡献加分")] == (Decimal(2), Decimal(3))
    assert {c.start for c in r.published} == {Q1_START}
    assert not any(c.member in ("M2", "M3") and c.what.startswith("本季度") for c in r.published)

    text = markdown(r)
    top = text.index("### ⚠ 改动了已公示的记录")
    assert top < text.index("### 甲支部（b1）")
    problem = next(p for p in r.history_problems if p.code == "E1002")
    assert f"`{problem.pos}` 错误[E1002]" in text[top : text.index("### 甲支部（b1）")]
    assert "| 甲支部（b1） | 2026年第一季度（2026-04-07 起公示） | 赵一（M1） | 本季度贡献加分 | 6 | 7 |" in text
    assert f"其中 {r.new_history_errors} 个是已公示记录的历史检查错误" in text
    assert "⚠ 已公示的记录：" in text
    assert "### 新出现的问题" not in text or "E1002" not in text[text.index("### 新出现的问题") :]
    short = markdown(r, max_chars=3500)  # a host with a small comment limit: the section is kept, shortened
    assert len(short) <= 3500 and "### ⚠ 改动了已公示的记录" in short and "E1002" in short

    data = json.loads(json.dumps(as_dict(r), ensure_ascii=False))
    assert data["summary"]["new_history_errors"] == r.new_history_errors
    assert data["summary"]["published_numbers_changed"] == len(r.published)
    assert {"branch": "b1", "quarter": 1, "member": "M4", "what": "本季度贡献加分", "old": 2, "new": 3}.items() <= next(
        c for c in data["published_changes"] if c["member"] == "M4" and c["what"] == "本季度贡献加分"
    ).items()
    assert any(p["code"] == "E1002" and p["line"] > 0 for p in data["history_problems"])


def test_a_correction_after_the_publicity_leaves_the_record_alone(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "correct-e04")
    repo.append(
        f"{B1}/ledger/q2.yaml",
        "  - id: E12\n    date: 2026-06-10\n    corrects: E04\n    points: 3\n    reason: 核对服务时长，应为 3 分。\n",
    )
    repo.commit("更正 E04")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)
    assert r.published == () and r.history_problems == () and not r.breaks_record
    [b] = r.branches
    assert [e.entry for e in b.entries] == ["E12"]
    text = markdown(r)
    assert "改动了已公示的记录" not in text and "- 已公示的记录：没有改动" in text


def test_a_newcomer_shows_their_quarters_and_the_published_tables_they_join(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "m7")
    repo.edit(f"{B1}/roster.yaml", "  - id: M5\n", "  - id: M9\n    name: 郑九\n    status: 预备\n  - id: M5\n")
    repo.commit("名册：郑九 11 月转入")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)

    [b] = r.branches
    [n] = b.newcomers
    assert (n.member, n.name, n.year) == ("M9", "郑九", 2026)
    q1, q2, *_ = n.quarters
    assert q1.published and not q2.published
    assert q1.listed and q1.points is not None and sum(q1.points) > 0  # 全体 since January: the bug to see
    assert rows_for(r, "M9") == {(1, "列出"): (False, True)}

    text = markdown(r)
    assert "<summary>新增党员的各季度积分（1 名）</summary>" in text
    row = next(line for line in text.splitlines() if line.startswith("| 郑九（M9） | 参加积分管理 |"))
    assert "⚠ " in row.split("|")[3] and "（已公示）" in row.split("|")[3]
    assert "（已公示）" not in row.split("|")[4]  # Q2 not yet published
    assert "| 甲支部（b1） | 2026年第一季度（2026-04-07 起公示） | 郑九（M9） | 列出 | 未列出 | 列出 |" in text
    data = as_dict(r)
    [nc] = data["branches"][0]["newcomers"]
    assert nc["member"] == "M9" and nc["quarters"][0]["published"] is True and nc["quarters"][0]["points"]["base"] > 0


def rows_for(r, member):
    return {(c.quarter, c.what): (c.old, c.new) for c in r.published if c.member == member}


def test_theme_files_and_symlinks_are_listed_for_review_as_code(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "theme")
    repo.write("theme/templates/base.html", "{% extends 'default/base.html' %}\n")
    repo.write("theme/assets/extra.css", "body { color: #333; }\n")
    os.symlink("/etc/hostname", repo.content / "theme/assets/logo.png")
    repo.commit("自定义主题")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)

    assert [(c.path, c.change, c.kind) for c in r.theme_files] == [
        ("theme/assets/extra.css", "新增", "文件"),
        ("theme/assets/logo.png", "新增", "符号链接"),
        ("theme/templates/base.html", "新增", "文件"),
    ]
    assert [c.path for c in r.symlinks] == ["theme/assets/logo.png"]
    assert r.other_files == ()  # listed once, in the theme section

    text = markdown(r)
    section = text[text.index("### ⚠ 主题、模板和资源文件") :]
    assert "模板可以改变每一页显示的内容" in section and "像审查程序代码一样逐行审查" in section
    assert "- `theme/templates/base.html`：新增" in section
    assert "- `theme/assets/logo.png`：新增（符号链接）" in section
    assert "符号链接和子模块不是内容" in section
    assert "⚠ 主题、模板和资源：3 个文件改动，1 个符号链接或子模块，须逐行审查" in text
    data = as_dict(r)
    assert data["summary"]["theme_files_changed"] == 3 and data["symlinks"][0]["new_mode"] == "120000"


def test_quarter_record_changes_are_summarised_without_appeal_reasons(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "b1-q2-record")
    repo.write(
        f"{B1}/quarters/q2.yaml",
        "reviewed: 2026-07-02\nfeedback: 2026-07-03\nappeals:\n"
        "  - id: S2\n    member: M1\n    entry: E09\n    filed: 2026-07-04\n    outcome: 维持\n"
        "    decided: 2026-07-05\n  - id: S3\n    member: M3\n    entry: E10\n    filed: 2026-07-05\n"
        "confirmed: 2026-07-06\n",
    )
    repo.append("restricted/b1/2026.yaml", "")
    restricted = repo.read("restricted/b1/2026.yaml")
    repo.write(
        "restricted/b1/2026.yaml",
        restricted.replace(
            "  S1: 本人当日因公出差，已向支部请假。\n",
            "  S1: 本人当日因公出差，已向支部请假。\n  S2: 机密理由甲乙丙\n  S3: 机密理由丁戊己\n",
        ),
    )
    repo.commit("第二季度汇总审核、申辩", who=REVIEWER)
    r = review(repo.content, "main", today=TODAY, cache_dir=None)

    [b] = r.branches
    rows = {(c.quarter, c.what, c.appeal): (c.old, c.new) for c in b.records}
    assert rows[(2, "季度记录", "")] == ("", "有")
    assert rows[(2, "汇总审核", "")] == ("", "2026-07-02")
    assert rows[(2, "确认", "")] == ("", "2026-07-06")
    assert rows[(2, "申辩（新增并已决定）", "S2")] == (
        "",
        "赵一（M1） 2026-07-04 提出，涉及条目 E09，2026-07-05 决定维持",
    )
    assert rows[(2, "申辩（新增）", "S3")] == ("", "孙三（M3） 2026-07-05 提出，涉及条目 E10，尚未决定")

    text = markdown(r)
    assert "<summary>季度记录变化（" in text
    assert (
        "| 2026年第二季度 | 申辩（新增并已决定） S2 | 无 | 赵一（M1） 2026-07-04 提出，涉及条目 E09，2026-07-05 决定维持 |"
        in text
    )
    dumped = json.dumps(as_dict(r), ensure_ascii=False)
    for secret in ("机密理由", "因公出差"):
        assert secret not in text and secret not in dumped


def test_a_redated_publicity_and_a_decided_appeal(tmp_path):
    """Changing a published quarter's 公示 dates is listed as a record change and, since the
    quarter had started, stands out at the top (E1009 from the history checks)."""
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "redate")
    repo.edit(f"{B1}/quarters/q1.yaml", "  end: 2026-04-13\n", "  end: 2026-04-20\n")
    repo.commit("延长第一季度公示")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)
    [b] = r.branches
    assert [(c.quarter, c.what, c.old, c.new) for c in b.records] == [
        (1, "公示", "2026-04-07 至 2026-04-13", "2026-04-07 至 2026-04-20")
    ]
    text = markdown(r)
    assert "| 2026年第一季度 | 公示 | 2026-04-07 至 2026-04-13 | 2026-04-07 至 2026-04-20 |" in text


def test_withdrawing_a_started_publicity_stands_out(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "withdraw")
    (repo.content / f"{B1}/quarters/q1.yaml").unlink()
    repo.commit("删除第一季度记录")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)
    assert r.breaks_record
    [c] = [c for c in r.published if c.what == "公示开始日期"]
    assert (c.quarter, c.member, c.old, c.new) == (1, "", Q1_START, None)
    text = markdown(r)
    assert "| 甲支部（b1） | 2026年第一季度（2026-04-07 起公示） | — | 公示开始日期 | 2026-04-07 | 撤回 |" in text
    [b] = r.branches
    assert (1, "季度记录", "有", "") in [(x.quarter, x.what, x.old, x.new) for x in b.records]
    [withdrawn] = [c for c in json.loads(json.dumps(as_dict(r)))["published_changes"] if c["what"] == "公示开始日期"]
    assert (withdrawn["old"], withdrawn["new"], withdrawn["member"]) == ("2026-04-07", None, "")


def test_the_published_year_end_table_is_compared_too(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.write(
        f"{B1}/year-end.yaml",
        "evaluated: 2026-12-16\nratings:\n  M1: 优秀\n  M2: 合格\n  M3: 合格\n"
        "assessed: 2027-01-05\npublicity:\n  start: 2027-01-05\n  end: 2027-01-09\n  scope: 支部党务公开栏\n",
    )
    repo.commit("年终综合评定和公示")
    repo.git("checkout", "-q", "-b", "rating")
    repo.edit(f"{B1}/year-end.yaml", "  M1: 优秀\n", "  M1: 合格\n")
    repo.edit(f"{B1}/year-end.yaml", "  end: 2027-01-09\n", "  end: 2027-01-12\n")
    repo.commit("改民主测评")
    r = review(repo.content, "main", today=date(2027, 1, 20), cache_dir=None)
    rows = published_rows(r)
    assert rows[("b1", 5, "M1", "民主测评")] == ("优秀", "合格")
    [c] = [c for c in r.published if c.member == "M1"]
    assert c.start == date(2027, 1, 5)
    text = markdown(r)
    assert "| 甲支部（b1） | 2026年年终评定（2027-01-05 起公示） | 赵一（M1） | 民主测评 | 优秀 | 合格 |" in text
    [b] = r.branches
    assert [(x.quarter, x.what) for x in b.records] == [(5, "公示")]
    assert "| 2026年年终评定 | 公示 | 2027-01-05 至 2027-01-09 | 2027-01-05 至 2027-01-12 |" in text
    assert as_dict(r)["published_changes"][0]["quarter"] == "year_end"


def test_a_scheme_change_names_every_published_number_it_moves(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "scheme")
    repo.edit("scheme/2026.yaml", "    name: 参加组织生活\n    points: 2\n", "    name: 参加组织生活\n    points: 1\n")
    repo.commit("考核表：参加组织生活每次 1 分", who=REVIEWER)
    r = review(repo.content, "main", today=TODAY, cache_dir=None)
    rows = published_rows(r)
    # B01 twice in Q1 (E01 全体; E02 全体 but 钱二, whom the appeal's E06 put back) plus B02's 3: 7 → 5
    for mid in ("M1", "M2", "M3"):
        assert rows[("b1", 1, mid, "本季度基础积分")] == (Decimal(7), Decimal(5)), mid
    # 全体 is the scored members: not the 积极分子 李四, nor the exempt and the floated out
    assert not any(c.member in ("M4", "M5", "M6") for c in r.published)
    assert any(p.code.startswith("E10") for p in r.history_problems)  # the history checks say so too
    assert "### ⚠ 改动了已公示的记录" in markdown(r)


def test_a_history_error_already_on_main_is_not_this_pull_requests(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(f"{B1}/ledger/q1.yaml", "    item: A01\n    points: 2\n", "    item: A01\n    points: 1\n")
    repo.commit("（直接改了主分支上已公示的条目）")
    repo.git("checkout", "-q", "-b", "q2-entry")
    repo.append(f"{B1}/ledger/q2.yaml", "  - id: E12\n    date: 2026-06-10\n    item: B02\n    members: [M2]\n")
    repo.commit("E12")
    r = review(repo.content, "main", today=TODAY, cache_dir=None)
    assert r.history_problems == () and r.published == () and not r.breaks_record
    assert r.head_errors >= 1  # still there, and said to be old
    assert "都是原来就有的" in markdown(r)


def test_a_shallow_clone_still_compares_the_published_numbers_and_says_history_was_not_checked(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "fix-e04")
    repo.edit(f"{B1}/ledger/q1.yaml", "    item: A01\n    points: 2\n", "    item: A01\n    points: 1\n")
    repo.commit("E04 改为 1 分")
    repo.git(
        "clone",
        "-q",
        "--depth",
        "2",
        "--no-single-branch",
        "--branch",
        "fix-e04",
        f"file://{repo.path}",
        str(tmp_path / "shallow"),
    )
    shallow = tmp_path / "shallow"
    repo.git("-C", str(shallow), "branch", "-q", "main", "origin/main")
    r = review(shallow / "content", "main", today=TODAY, cache_dir=None)
    assert not r.history_checked and r.history_problems == ()
    assert rows_for(r, "M1")[(1, "本季度贡献加分")] == (Decimal(6), Decimal(5))
    text = markdown(r)
    assert "- ⚠ 仓库是浅克隆，没有做历史检查（E10xx）" in text
    assert "### ⚠ 改动了已公示的记录" in text
    assert as_dict(r)["summary"]["history_checked"] is False
