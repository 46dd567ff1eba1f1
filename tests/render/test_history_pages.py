"""The audit trail on the site: member pages list the changes to their points with who,
which commit and which merge; 变更记录 lists them by branch; shallow clones are refused."""

from __future__ import annotations

import os
import shutil
import subprocess

from sitegen.build import build
from tests.render.helpers import build_ok, soup, table_rows
from tests.support import MINI

LEDGER = "committees/c1/branches/b1/2026/ledger/q1.yaml"


def git(repo, *args, who="张书记", when="2026-04-20T10:00:00+08:00"):
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME=who,
        GIT_AUTHOR_EMAIL="a@example.org",
        GIT_COMMITTER_NAME=who,
        GIT_COMMITTER_EMAIL="a@example.org",
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
    )
    return subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True, text=True).stdout


def test_member_page_and_changes_page(tmp_path):
    repo = tmp_path / "content"
    shutil.copytree(MINI, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "初始数据", when="2026-04-01T09:00:00+08:00")
    git(repo, "checkout", "-q", "-b", "b1-q1")
    ledger = repo / LEDGER
    ledger.write_text(
        ledger.read_text("utf-8").replace("points: 2\n    members: [M1, M4]", "points: 1\n    members: [M1, M4]"),
        "utf-8",
    )
    git(repo, "commit", "-qam", "更正志愿服务分值", who="李组织委员", when="2026-04-02T09:00:00+08:00")
    git(repo, "checkout", "-q", "main")
    git(
        repo,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "合并请求 #7：甲支部一季度台账",
        "b1-q1",
        who="王审核",
        when="2026-04-03T09:00:00+08:00",
    )
    out = tmp_path / "out"
    build_ok(repo, out, history=True)
    page = soup(out / "2026/b/b1/m/M1.html")
    rows = table_rows(page.find("table", class_="changes"))
    edit = next(r for r in rows if r[2] == "更正志愿服务分值")
    assert edit[1] == "李组织委员" and "王审核 合并" in edit[4] and "E04" in edit[5] and "2 → 1" in edit[5]
    assert edit[0] == "2026年4月3日"  # when it reached the main line
    changes = soup(out / "changes.html").get_text()
    assert "更正志愿服务分值" in changes and "甲支部" in changes
    assert "E07" not in changes  # Q2 is not published: its entries stay off the site


def test_not_a_repository_says_so(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out, history=True)
    assert "不在 git 仓库里" in soup(out / "2026/b/b1/m/M1.html").get_text()


def test_shallow_clone_refused_unless_asked(tmp_path):
    origin = tmp_path / "origin"
    shutil.copytree(MINI, origin)
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "一")
    (origin / "notices/2026-01-01-hello.md").write_text("---\ntitle: 通知\ndate: 2026-01-01\n---\n二\n", "utf-8")
    git(origin, "commit", "-qam", "二")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    result = build(clone, tmp_path / "out", quiet=True, cache_dir=None, pdf=False)
    assert not result.ok and result.problems[0].code == "E1001" and "fetch-depth: 0" in result.problems[0].hint
    assert not (tmp_path / "out").exists()
    without = build(clone, tmp_path / "out", quiet=True, cache_dir=None, pdf=False, history=False)
    assert without.ok
    assert "未包含变更记录" in soup(tmp_path / "out/2026/b/b1/m/M1.html").get_text()


def test_history_turned_on_re_renders_the_pages_that_show_it(tmp_path):
    """A build with --no-history, then one with history, into the same folder: every page
    equals a fresh build with history (the change history is part of every unit's inputs)."""
    from tests.render.helpers import tree_digest

    repo = tmp_path / "content"
    shutil.copytree(MINI, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "初始数据")
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(repo, out, history=False)
    build_ok(repo, out, history=True)
    build_ok(repo, fresh, history=True)
    assert tree_digest(out) == tree_digest(fresh)


def test_uncommitted_changes_ignore_editor_files(tmp_path):
    from sitegen import provenance

    repo = tmp_path / "content"
    shutil.copytree(MINI, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "初始数据")
    (repo / "site.yaml~").write_text("备份", "utf-8")
    (repo / "notices" / ".2026-01-01-x.md.swp").write_bytes(b"\0")
    assert not provenance.read(repo).dirty  # an editor's backup and swap file are not changes
    (repo / "notices" / "2026-01-01-x.md").write_text("---\ntitle: 通知\ndate: 2026-01-01\n---\n正文\n", "utf-8")
    assert provenance.read(repo).dirty
