"""提交审核: a new branch with the change, pushed to origin; main and the checkout untouched."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from sitegen.edit.accounts import add_account
from sitegen.edit.gitops import remote_links, web_url
from sitegen.edit.server import Editor
from tests.edit.support import content_repository, errors, git, running, snapshot
from tests.support import B1_2026, MINI

TODAY = date(2026, 12, 5)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A content repository (content/ inside it) with one commit, and a bare origin."""
    return content_repository(tmp_path, monkeypatch, lambda content: shutil.copytree(MINI, content))


def record(c, token):
    status, body = c.post(
        "/entry",
        {
            "csrf": token,
            "date": "2026-07-02",
            "item": "A01",
            "members": ["M1", "M4"],
            "points": "2",
            "note": "义务植树",
        },
    )
    assert status == 200, errors(body)


def test_submit_commits_to_a_new_branch_and_pushes(repo):
    work, origin = repo
    main_before = git(work, "rev-parse", "main")
    with running(Editor(work / "content", "b1", today=TODAY)) as c:
        token = c.csrf()
        record(c, token)
        status, home = c.get("/")
        assert f"content/{B1_2026}/ledger/q3.yaml" not in home and f"{B1_2026}/ledger/q3.yaml" in home
        status, body = c.post("/submit", {"csrf": token})
    assert status == 200, body
    branches = git(origin, "branch", "--list", "edit/*").split()
    assert len(branches) == 1 and branches[0].startswith("edit/b1-")
    name = branches[0]
    assert git(work, "rev-parse", "main") == main_before == git(origin, "rev-parse", "main")
    assert git(work, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(origin, "rev-parse", f"{name}^") == main_before
    assert git(origin, "diff", "--name-only", f"main...{name}") == f"content/{B1_2026}/ledger/q3.yaml"
    message = git(origin, "log", "-1", "--format=%s", name)
    assert message.startswith("甲支部 2026年：登记活动 E12：2026-07-02 A01，2人")
    assert "审核报告" in body or "台账" in body  # the `sitegen diff` report of the change
    assert "E12" in body


def test_submit_as_the_logged_in_person(repo, tmp_path):
    work, origin = repo
    accounts = tmp_path / "accounts.json"  # outside the content repository
    add_account(accounts, "wang", "correct horse", "b1", "王书记", "wang@b1.example.org")
    with running(Editor(work / "content", None, today=TODAY, accounts=accounts)) as c:
        token = c.csrf("/login")
        status, _ = c.post("/login", {"csrf": token, "user": "wang", "password": "correct horse"})
        assert status == 303
        token = c.csrf()
        record(c, token)
        status, body = c.post("/submit", {"csrf": token})
    assert status == 200, body
    name = git(origin, "branch", "--list", "edit/*").split()[0]
    assert git(origin, "log", "-1", "--format=%an <%ae>|%cn", name) == "王书记 <wang@b1.example.org>|王书记"


def test_nothing_to_submit(repo):
    work, _ = repo
    with running(Editor(work / "content", "b1", today=TODAY)) as c:
        status, body = c.post("/submit", {"csrf": c.csrf()})
    assert status == 409 and "没有尚未提交的修改" in body


@pytest.mark.parametrize(
    ("url", "web"),
    [
        ("https://git.example.org/dangwu/content.git", "https://git.example.org/dangwu/content"),
        ("http://10.1.2.3:3000/dangwu/content", "http://10.1.2.3:3000/dangwu/content"),
        ("git@git.example.org:dangwu/content.git", "https://git.example.org/dangwu/content"),
        ("ssh://git@git.example.org:2222/dangwu/content.git", "https://git.example.org/dangwu/content"),
        ("/srv/git/content.git", ""),
    ],
)
def test_web_url_from_remote(url, web):
    assert web_url(url) == web


def test_compare_links():
    links = dict(remote_links("https://git.example.org/dw/c.git", "edit/b1-20261205-101010", "main"))
    assert links["Gitea"] == "https://git.example.org/dw/c/compare/main...edit%2Fb1-20261205-101010"
    assert links["GitLab"].startswith("https://git.example.org/dw/c/-/merge_requests/new?")
    assert "source_branch%5D=edit%2Fb1-20261205-101010" in links["GitLab"]


def test_an_entry_in_a_published_quarter_is_refused(repo):
    """Q1 is published (公示 from 7 April): a new activity dated in it would change the
    published numbers — `sitegen check` refuses that from git history, and so does the editor."""
    work, _ = repo
    content = work / "content"
    before = snapshot(content)
    with running(Editor(content, "b1", today=TODAY)) as c:
        status, body = c.post("/entry", {"csrf": c.csrf(), "date": "2026-02-01", "item": "B02", "members": ["M1"]})
    assert status == 422, body
    assert any("E10" in e for e in errors(body)), errors(body)
    assert snapshot(content) == before


def test_a_published_entry_is_corrected_by_a_correction_entry(repo):
    """The correction form writes a new entry naming the one it corrects; the published
    quarter's file is not touched, and `sitegen check` with history finds nothing new."""
    from sitegen.check import check

    work, _ = repo
    content = work / "content"
    before = snapshot(content)
    old = sorted((p.code, p.pos.file, p.message) for p in check(content, today=TODAY, history=True).errors)
    with running(Editor(content, "b1", today=TODAY)) as c:
        token = c.csrf("/correct")
        fields = {"csrf": token, "corrects": "E03", "date": "2026-12-01", "members": ["M1", "M2", "M3"]}
        status, body = c.post("/correct", fields)
        assert status == 422 and "请写更正的理由" in " ".join(errors(body))
        assert snapshot(content) == before
        status, body = c.post("/correct", {**fields, "reason": "李四当日未参加，误记，予以更正。"})
        assert status == 200, errors(body)
    after = snapshot(content)
    assert {k for k in after if after[k] != before.get(k)} == {f"{B1_2026}/ledger/q4.yaml"}
    q4 = after[f"{B1_2026}/ledger/q4.yaml"].decode()
    assert "    corrects: E03\n" in q4 and "    members: [M1, M2, M3]\n" in q4 and "    reason: 李四当日未参加" in q4
    new = sorted((p.code, p.pos.file, p.message) for p in check(content, today=TODAY, history=True).errors)
    assert new == old


def test_a_submitted_change_is_not_submitted_twice(repo):
    work, origin = repo
    with running(Editor(work / "content", "b1", today=TODAY)) as c:
        token = c.csrf()
        record(c, token)
        assert c.post("/submit", {"csrf": token})[0] == 200
        home = c.get("/")[1]
        assert "已提交审核、等待合并的修改" in home and '尚未提交审核的修改</h2>\n<p class="hint">没有。' in home
        status, body = c.post("/submit", {"csrf": token})
        assert status == 409 and "已经提交审核" in body
        status, body = c.post("/entry", {"csrf": token, "date": "2026-07-09", "item": "B02", "members": ["M2"]})
        assert status == 200, errors(body)
        assert c.post("/submit", {"csrf": token})[0] == 200
    branches = git(origin, "branch", "--list", "edit/*").split()
    assert len(branches) == 2
    # the second branch has both activities: it replaces the first pull request
    # (told apart by content, not by commit time: both may be made within one second)
    texts = [git(origin, "show", f"{b}:content/{B1_2026}/ledger/q3.yaml") for b in branches]
    first, second = sorted(texts, key=lambda t: "id: E13" in t)
    assert "id: E12" in first and "id: E13" not in first
    assert "id: E12" in second and "id: E13" in second
