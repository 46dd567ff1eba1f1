"""Commit subjects of commits that touch restricted/ are not published (issue 12, item 2):
the member page and changes.html show that the subject is withheld, for the commit and
for the merge that brought it; other commits keep theirs."""

from __future__ import annotations

import shutil

from sitegen.history.model import PRIVATE_SUBJECT
from tests.render.helpers import build_ok, soup
from tests.render.test_history_pages import LEDGER, git
from tests.support import MINI

SECRET = "M3谈话后病情加重"


def test_subjects_of_commits_touching_restricted_are_withheld(tmp_path):
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
    restricted = repo / "restricted/b1/2026.yaml"
    restricted.write_text(restricted.read_text("utf-8").replace("提醒按时参加组织生活", "再次提醒"), "utf-8")
    git(repo, "commit", "-qam", SECRET, who="李组织委员", when="2026-04-02T09:00:00+08:00")
    git(repo, "checkout", "-q", "main")
    git(
        repo, "merge", "-q", "--no-ff", "-m", f"合并：{SECRET}", "b1-q1", who="王审核", when="2026-04-03T09:00:00+08:00"
    )
    out = tmp_path / "out"
    build_ok(repo, out, history=True)
    page = soup(out / "2026/b/b1/m/M1.html").get_text()
    changes = soup(out / "changes.html").get_text()
    for text in (page, changes):
        assert SECRET not in text and PRIVATE_SUBJECT in text and "李组织委员" in text
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".js"):
            assert SECRET not in path.read_text("utf-8"), path


def test_other_subjects_are_shown(tmp_path):
    repo = tmp_path / "content"
    shutil.copytree(MINI, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "初始数据", when="2026-04-01T09:00:00+08:00")
    ledger = repo / LEDGER
    ledger.write_text(ledger.read_text("utf-8").replace("points: 2\n", "points: 1\n"), "utf-8")
    git(repo, "commit", "-qam", "更正志愿服务分值", when="2026-04-02T09:00:00+08:00")
    out = tmp_path / "out"
    build_ok(repo, out, history=True)
    assert "更正志愿服务分值" in soup(out / "changes.html").get_text()
