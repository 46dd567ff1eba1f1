"""The change history read from real repositories: authors, merges, corrections, edits."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from decimal import Decimal

from sitegen.history import Kind, history
from sitegen.history.extract import merged_by
from sitegen.history.git import locate, read_log
from tests.history.gitrepo import (
    B1,
    CST,
    MEMBER_CLERK,
    REVIEWER,
    SECRETARY,
    branch_history,
)
from tests.support import MINI


def test_every_entry_has_its_commit_author_and_merge(tmp_path):
    repo = branch_history(tmp_path / "repo")
    h = history(repo.content, cache_dir=None)
    assert h.available and h.prefix == "content/"
    first = {c.entry: c for c in h.changes if c.branch == "b1"}
    e01 = first["E01"]
    assert e01.kind is Kind.ADDED and e01.path == f"{B1}/ledger/q1.yaml" and e01.quarter == 1
    assert e01.commit.author == SECRETARY[0] and e01.merge is None and e01.merger == ""
    assert e01.new_members == ("M1", "M2", "M3")  # 全体 with the roster of that time: not M4 (积极分子), M5, M6

    e06 = first["E06"]
    assert e06.kind is Kind.CORRECTION and e06.corrects == "E02" and "因公请假" in e06.reason
    assert e06.commit.author == SECRETARY[0] and e06.commit.subject == "第一季度汇总审核、申辩 S1 更正和公示"
    assert e06.merge is not None and e06.merger == REVIEWER[0] and "(#1)" in e06.merge.subject
    assert e06.commit.date == datetime(2026, 4, 6, 10, 0, tzinfo=CST)
    assert e06.landed == datetime(2026, 4, 6, 16, 0, tzinfo=CST)
    e07 = first["E07"]
    assert e07.commit.author == MEMBER_CLERK[0] and e07.commit.subject == "登记第二季度台账"
    assert e07.merge is not None and "(#2)" in e07.merge.subject


def test_member_view_newest_first_with_points(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(
        f"{B1}/ledger/q2.yaml",
        "  - id: E09\n    date: 2026-06-01\n    item: A03\n    members: [M1]",
        "  - id: E09\n    date: 2026-06-01\n    item: A03\n    members: [M1]\n    points: 5",
    )
    repo.edit(f"{B1}/ledger/q1.yaml", "    points: 2\n    members: [M1, M4]", "    points: 3\n    members: [M1, M4]")
    repo.commit("E04 志愿服务分值改为 3 分", who=MEMBER_CLERK, when=datetime(2026, 6, 20, 9, 0, tzinfo=CST))
    h = history(repo.content, cache_dir=None)
    changes = h.for_member("b1", 2026, "M1", default_points={"B01": Decimal(2)})
    assert [c.change.entry for c in changes[:2]] == ["E09", "E04"]  # one commit: file order, newest first
    by_entry = {c.change.entry: c for c in changes if c.kind is Kind.CHANGED}
    e04 = by_entry["E04"]
    assert (e04.old_points, e04.points, e04.item) == (Decimal(2), Decimal(3), "A01")
    assert e04.change.fields == ("points",) and "分值 2 → 3" in e04.summary
    assert e04.merge is None and e04.commit.author == MEMBER_CLERK[0]
    # newest first: the direct commit of 20 June, then the merge of 6 June, then the first commit
    assert changes[0].commit.date.month == 6 and changes[-1].change.entry in {"E01", "E02", "E03", "E04", "E05"}
    added = [c for c in changes if c.change.entry == "E07"][0]
    assert added.kind is Kind.ADDED and added.points == Decimal(2)  # from default_points: the entry states none
    assert not any(c.change.entry == "E10" for c in changes)  # E10 is M3's


def test_removed_entry_and_member_taken_off_an_entry(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.edit(f"{B1}/ledger/q2.yaml", "  - id: E11\n    date: 2026-06-03\n    item: A04\n    members: [M2]\n", "")
    repo.edit(f"{B1}/ledger/q2.yaml", "    members: [M1, M2, M3]", "    members: [M1, M3]")
    repo.commit("删去 E11；E06 去掉钱二", who=SECRETARY)
    h = history(repo.content, cache_dir=None)
    m2 = h.for_member("b1", 2026, "M2")
    assert m2[0].kind in (Kind.REMOVED,) and m2[1].kind is Kind.REMOVED
    assert {c.change.entry for c in m2[:2]} == {"E11", "E06"}
    assert all(c.commit.subject == "删去 E11；E06 去掉钱二" for c in m2[:2])
    assert not any(c.change.entry == "E11" for c in h.for_member("b1", 2026, "M1"))
    e06_for_m1 = [c for c in h.for_member("b1", 2026, "M1") if c.change.entry == "E06"][0]
    assert e06_for_m1.kind is Kind.CHANGED and "去掉 M2" in e06_for_m1.summary


def test_recent_changes_grouped_by_branch(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(
        "committees/c1/branches/b2/2026/ledger/q1.yaml",
        "  - id: F03\n    date: 2026-03-20\n    item: B02\n    members: [M7]\n",
    )
    repo.commit("b2 补记 F03", who=("郑书记", "zheng@b2.example.org"), when=datetime(2026, 7, 1, 9, 0, tzinfo=CST))
    recent = history(repo.content, cache_dir=None).recent(3)
    assert [g.branch for g in recent] == ["b2", "b1"]
    assert [c.entry for c in recent[0].changes] == ["F03"] and len(recent[1].changes) == 2
    assert recent[0].changes[0].commit.author == "郑书记"


def test_merge_of_a_pull_request_with_several_commits_and_an_older_base(tmp_path):
    """Commits on a side branch are attributed to themselves, with the merge that brought
    them; main's own commits meanwhile are not."""
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "b1-fix")
    repo.append(f"{B1}/ledger/q2.yaml", "  - id: E12\n    date: 2026-06-10\n    item: B02\n    members: [M2]\n")
    a = repo.commit("补记 E12", who=MEMBER_CLERK)
    repo.edit(f"{B1}/ledger/q2.yaml", "    item: B02\n    members: [M2]\n", "    item: B02\n    members: [M2, M3]\n")
    b = repo.commit("E12 加上孙三", who=MEMBER_CLERK)
    repo.git("checkout", "-q", "main")
    repo.append(
        "committees/c1/branches/b2/2026/ledger/q1.yaml",
        "  - id: F03\n    date: 2026-03-20\n    item: B02\n    members: [M7]\n",
    )
    direct = repo.commit("b2 补记 F03")
    merge = repo.merge("b1-fix", "Merge pull request '补记' (#3) from b1-fix into main")
    h = history(repo.content, cache_dir=None)
    e12 = [c for c in h.changes if c.entry == "E12"]
    assert [(c.kind, c.commit.sha) for c in e12] == [(Kind.ADDED, a), (Kind.CHANGED, b)]
    assert all(c.merge.sha == merge for c in e12)
    f03 = [c for c in h.changes if c.entry == "F03"][0]
    assert f03.commit.sha == direct and f03.merge is None
    owners = merged_by(read_log(locate(repo.content)), merge)
    assert owners[a] == owners[b] == merge and direct not in owners


def test_conflict_resolution_in_a_merge_is_the_merges_change(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "side")
    repo.edit(
        f"{B1}/ledger/q2.yaml",
        "  - id: E11\n    date: 2026-06-03\n    item: A04\n    members: [M2]\n",
        "  - id: E11\n    date: 2026-06-03\n    item: A04\n    members: [M2]\n    note: 甲\n",
    )
    repo.commit("E11 说明甲")
    repo.git("checkout", "-q", "main")
    repo.edit(
        f"{B1}/ledger/q2.yaml",
        "  - id: E11\n    date: 2026-06-03\n    item: A04\n    members: [M2]\n",
        "  - id: E11\n    date: 2026-06-03\n    item: A04\n    members: [M2]\n    note: 乙\n",
    )
    repo.commit("E11 说明乙")
    repo.tick(None)
    repo.git("merge", "-q", "--no-ff", "side", "-m", "合并", who=REVIEWER, check=False)
    repo.edit(
        f"{B1}/ledger/q2.yaml",
        repo.read(f"{B1}/ledger/q2.yaml")[repo.read(f"{B1}/ledger/q2.yaml").index("<<<<<<<") :],
        "  - id: E11\n    date: 2026-06-03\n    item: A04\n    members: [M2]\n    note: 丙\n",
    )
    merge = repo.commit("合并：E11 说明改为丙", who=REVIEWER)
    h = history(repo.content, cache_dir=None)
    e11 = [c for c in h.changes if c.entry == "E11"]
    assert [c.new.note for c in e11][-1] == "丙" and e11[-1].commit.sha == merge
    assert len(e11) == 4  # added, 甲 (side), 乙 (main), 丙 (the merge)


def test_not_a_repository_and_an_empty_one(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    h = history(content, cache_dir=None)
    assert not h.available and "不在 git 仓库" in h.reason and h.changes == ()
    subprocess.run(["git", "init", "-q", str(content)], check=True)
    h = history(content, cache_dir=None)
    assert h.available and h.changes == ()


def test_content_folder_at_the_repository_root(tmp_path):
    repo = branch_history(tmp_path / "repo", content="")
    h = history(repo.content, cache_dir=None)
    assert h.prefix == "" and {c.path for c in h.changes} == {
        f"{B1}/ledger/q1.yaml",
        f"{B1}/ledger/q2.yaml",
        "committees/c1/branches/b2/2026/ledger/q1.yaml",
    }


def test_files_outside_the_content_folder_are_ignored(tmp_path):
    repo = branch_history(tmp_path / "repo")
    other = tmp_path / "repo" / "archive" / B1 / "ledger"
    other.mkdir(parents=True)
    (other / "q3.yaml").write_text(
        "entries:\n  - id: X1\n    date: 2026-07-01\n    item: B01\n    members: [M1]\n", "utf-8"
    )
    repo.commit("归档")
    assert not any(c.entry == "X1" for c in history(repo.content, cache_dir=None).changes)


def test_a_version_that_does_not_parse_is_skipped(tmp_path):
    repo = branch_history(tmp_path / "repo")
    good = repo.read(f"{B1}/ledger/q2.yaml")
    repo.write(f"{B1}/ledger/q2.yaml", good.replace("  - id: E07", "\t- id: E07"))
    repo.commit("坏的缩进")
    repo.write(f"{B1}/ledger/q2.yaml", good.replace("    item: D01", "    item: B02"))
    fixed = repo.commit("修好缩进，E10 改项目")
    h = history(repo.content, cache_dir=None)
    last = [c for c in h.changes if c.commit.sha == fixed]
    assert [(c.entry, c.fields) for c in last] == [("E10", ("item",))]


def test_parsed_blobs_are_cached_by_blob_id(tmp_path, monkeypatch):
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    first = history(repo.content, cache_dir=cache)
    assert any(cache.rglob("*"))

    def no_parsing(args):
        raise AssertionError(f"parsed again: {args[:2]}")

    monkeypatch.setattr("sitegen.history.blobs._parse_reduced", no_parsing)
    again = history(repo.content, cache_dir=cache)
    assert [c.summary for c in again.changes] == [c.summary for c in first.changes]


def test_a_new_commit_after_a_cached_run(tmp_path):
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    before = history(repo.content, cache_dir=cache)
    repo.edit(
        f"{B1}/ledger/q2.yaml",
        "    item: A04\n    members: [M2]",
        "    item: A04\n    members: [M2]\n    note: 补充说明",
    )
    sha = repo.commit("E11 补充说明", who=MEMBER_CLERK)
    after = history(repo.content, cache_dir=cache)
    assert len(after) == len(before) + 1
    [last] = [c for c in after.changes if c.commit.sha == sha]
    assert (last.entry, last.fields, last.kind) == ("E11", ("note",), Kind.CHANGED)
    assert [c.summary for c in after.changes[:-1]] == [c.summary for c in before.changes]
