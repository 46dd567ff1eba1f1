"""A shared server: each branch's workspace takes in what the others saved — on any page
it shows, not only the home page — without reading the district again; a git pull (the
index changes) makes it read everything again."""

from __future__ import annotations

import subprocess

import pytest

from sitegen.edit import workspace
from sitegen.edit.server import Editor
from tests.edit.support import Client, errors, running
from tests.edit.test_accounts import accounts, login  # noqa: F401  (the fixture)
from tests.edit.test_forms import TODAY

B1_Q3 = "committees/c1/branches/b1/2026/ledger/q3.yaml"


def entries_seen_by(editor, branch):
    report = editor.desk(branch).ws._report
    assert report is not None
    return [e.id for e in report.loaded.district.branch("b1").years[2026].entries]


@pytest.fixture
def scans(monkeypatch):
    """Counts the whole-folder scans of the workspaces."""
    done = []
    real = workspace.scan

    def counted(*args, **kwargs):
        done.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace, "scan", counted)
    return done


def test_a_save_in_one_session_is_seen_on_any_page_of_another(mini, accounts, scans):  # noqa: F811
    editor = Editor(mini, None, accounts=accounts, today=TODAY, history=False)
    with running(editor) as wang:
        li = Client(wang.base)
        assert login(wang, "wang", "b1-password")[0] == 303
        assert login(li, "li", "b2-password")[0] == 303
        assert li.get("/entry")[0] == 200  # li's workspace (b2) is made and checked
        assert wang.get("/entry")[0] == 200
        before = entries_seen_by(editor, "b2")
        scans.clear()
        status, body = wang.post(
            "/entry",
            {"csrf": wang.csrf(), "date": "2026-07-02", "item": "A01", "members": ["M1"], "points": "2"},
        )
        assert status == 200, errors(body)
        assert entries_seen_by(editor, "b2") == before  # not yet: li has not asked for a page
        for page in ("/roster", "/quarter", "/entry", "/correct"):
            assert li.get(page)[0] == 200
        after = entries_seen_by(editor, "b2")
        assert after == [*before, "E12"]
        assert scans == []  # taken in from wang's save: the district was not read again
        # the same file saved again by wang: li takes in the last version
        status, body = wang.post(
            "/entry",
            {"csrf": wang.csrf(), "date": "2026-07-03", "item": "A01", "members": ["M2"], "points": "1"},
        )
        assert status == 200, errors(body)
        assert li.get("/year-end")[0] == 200
        assert entries_seen_by(editor, "b2") == [*before, "E12", "E13"]
        ws = editor.desk("b2").ws
        assert ws._scan is not None and ws._scan.raw[B1_Q3] == (mini / B1_Q3).read_bytes()
        assert scans == []
        # once both workspaces have taken the saves in, the server forgets them
        assert len(editor.changes) > 0
        assert wang.get("/roster")[0] == 200 and li.get("/roster")[0] == 200
        assert len(editor.changes) == 0


def test_a_git_pull_is_seen_on_the_next_page(tmp_path, mini, scans):
    git = ["git", "-c", "user.name=a", "-c", "user.email=a@example.org"]
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "初始内容"]):
        subprocess.run([*git, *cmd], cwd=mini, check=True, capture_output=True)
    editor = Editor(mini, "b2", today=TODAY, history=False)
    with running(editor) as c:
        assert c.get("/entry")[0] == 200
        before = entries_seen_by(editor, "b2")
        scans.clear()
        # what a pull of someone else's merged change does: another branch's file and the index
        text = (mini / "committees/c1/branches/b1/2026/ledger/q2.yaml").read_text("utf-8")
        (mini / "committees/c1/branches/b1/2026/ledger/q2.yaml").write_text(
            text + "  - id: E99\n    date: 2026-06-20\n    item: B01\n    members: [M1]\n", "utf-8"
        )
        subprocess.run([*git, "commit", "-qam", "合并"], cwd=mini, check=True, capture_output=True)
        assert c.get("/quarter")[0] == 200
        assert entries_seen_by(editor, "b2") == [*before, "E99"]
        assert len(scans) == 1
        assert c.get("/roster")[0] == 200
        assert len(scans) == 1  # nothing changed since


def test_a_page_looks_at_the_files_once(mini):
    """A page asks the workspace many questions (the roster, the items, each one's room):
    the branch's files are looked at once per request, and again at the next request."""
    editor = Editor(mini, "b1", today=TODAY, history=False)
    ws = editor.desk("b1").ws
    looked = []
    real = ws._branch_files

    def counted():
        looked.append(1)
        return real()

    ws._branch_files = counted  # type: ignore[method-assign]
    with running(editor) as c:
        for n, page in enumerate(("/entry", "/quarter", "/api/item?code=A01"), start=1):
            assert c.get(page)[0] == 200
            assert len(looked) == n, page
        # a file of the branch changed on disk: the next page sees it
        roster = mini / "committees/c1/branches/b1/2026/roster.yaml"
        roster.write_text(roster.read_text("utf-8") + "  - id: M7\n    name: 郑七\n    status: 正式\n", "utf-8")
        status, body = c.get("/roster")
        assert status == 200 and "郑七" in body
