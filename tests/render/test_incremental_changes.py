"""The change log rebuilt incrementally: each branch's change-log pages and each committee's
change index are keyed on their own view, so a commit of branch A re-renders A's change log,
A's committee's index and changes.html (which counts every committee), never branch B's log
nor another committee's index. A real git repository holding the demo district."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from tests.history.gitrepo import CST
from tests.render.changes_demo import CLERK, build_with_history, demo_repo
from tests.render.helpers import tree_digest
from tests.support import ROOT

pytestmark = pytest.mark.slow  # three builds of the demo district with its history

KJY = "committees/qsjd/branches/kjy/2026"
NEW_ENTRY = """  - id: 2026-900
    date: 2026-09-29
    item: B04
    members: [M0812]
    note: 补登：入党积极分子参加第三季度集中学习
"""


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {rel for rel in after if before.get(rel) != after[rel]} | (before.keys() - after.keys())


def test_a_branch_commit_rerenders_its_own_change_log_only(tmp_path):
    # the district imported, but 科技园's third quarter not yet published: its 公示 is to begin
    # on 24 November (the last build was on the 23rd, the next on the 25th, TODAY)
    repo = demo_repo(tmp_path / "repo", without=(f"{KJY}/quarters/q3.yaml",))
    out = tmp_path / "out"
    build_with_history(repo.content, out, today=date(2026, 11, 23))
    before = tree_digest(out)
    assert "2026年第三季度" not in (out / "changes/b/kjy/index.html").read_text("utf-8")

    # one more entry in its third quarter's ledger, then the quarter's 公示: two commits of one branch
    repo.append(f"{KJY}/ledger/q3.yaml", NEW_ENTRY)
    repo.commit("科技园企业联合支部第三季度补登", who=CLERK, when=datetime(2026, 11, 21, 9, 0, tzinfo=CST))
    record = (ROOT / "content" / KJY / "quarters/q3.yaml").read_text("utf-8")
    for old, new in (("start: 2026-10-16", "start: 2026-11-24"), ("end: 2026-10-22", "end: 2026-11-30")):
        assert old in record
        record = record.replace(old, new)
    repo.write(f"{KJY}/quarters/q3.yaml", re.sub(r"(?m)^reported: .*\n", "", record))
    repo.commit("科技园企业联合支部第三季度公示", who=CLERK, when=datetime(2026, 11, 22, 9, 0, tzinfo=CST))
    again = build_with_history(repo.content, out)
    after = tree_digest(out)
    rendered = set(again.rendered_files)

    logs = {rel for rel in rendered if rel.startswith("changes/")}
    assert "changes/b/kjy/index.html" in logs and "changes.html" in rendered
    assert "changes/c/qsjd/index.html" in logs  # its committee's index: kjy's count and latest changed
    assert {rel.split("/")[2] for rel in logs if rel.startswith("changes/b/")} == {"kjy"}, sorted(logs)
    assert {rel for rel in logs if rel.startswith("changes/c/")} == {"changes/c/qsjd/index.html"}, sorted(logs)
    assert {rel for rel in changed(before, after) if rel.startswith("changes/")} <= logs
    assert "科技园企业联合支部" in (out / "changes/c/qsjd/index.html").read_text("utf-8")
    assert before["changes/c/qsjd/index.html"] != after["changes/c/qsjd/index.html"]
    first = (out / "changes/b/kjy/index.html").read_text("utf-8")
    assert "2026年第三季度" in first and "补登：入党积极分子参加第三季度集中学习" not in first  # notes are the board's
    assert "2026-900" in first
    # another branch's change log and another committee's index are byte for byte what they were
    others = [r for r in before if r.startswith("changes/") and not r.startswith(("changes/b/kjy/", "changes/c/qsjd/"))]
    assert "changes/c/jyw/index.html" in others and len(others) > 10
    for rel in others:
        assert after[rel] == before[rel], rel

    # the same as a build from scratch
    fresh = tmp_path / "fresh"
    build_with_history(repo.content, fresh)
    assert {k: v for k, v in after.items() if not k.startswith(".")} == {
        k: v for k, v in tree_digest(fresh).items() if not k.startswith(".")
    }


def test_a_commit_to_a_quarter_not_published_leaves_every_branch_log_alone(tmp_path):
    repo = demo_repo(tmp_path / "repo")
    out = tmp_path / "out"
    build_with_history(repo.content, out)
    repo.append(f"{KJY}/ledger/q4.yaml", NEW_ENTRY.replace("2026-09-29", "2026-11-21").replace("900", "901"))
    repo.commit("科技园企业联合支部第四季度登记", who=CLERK, when=datetime(2026, 11, 21, 9, 0, tzinfo=CST))
    again = build_with_history(repo.content, out)
    rendered = set(again.rendered_files)
    assert "changes.html" in rendered  # it names the commit it goes up to
    assert not {rel for rel in rendered if rel.startswith("changes/")}, sorted(rendered)


def test_a_commit_to_an_earlier_year_rerenders_the_branch_change_log(tmp_path):
    """A branch's change log is made with its latest year's unit, and lists every year's
    changes: commits to its 2025 ledger alone change the log, so that unit is made again
    (its key covers every year's history), and the site equals a build from scratch."""
    repo = demo_repo(tmp_path / "repo")
    out = tmp_path / "out"
    cache = tmp_path / "cache"  # changes.html's per-branch parts are kept there: made again under a new key
    build_with_history(repo.content, out, cache=cache)
    before = tree_digest(out)
    path = "committees/jyw/branches/dyzx/2025/ledger/q1.yaml"
    text = (repo.content / path).read_text("utf-8")
    assert "入党积极分子完成第一季度学习任务" in text
    # changed and changed back (a published quarter's file is as it was): its files' hashes,
    # and so its branch's scope, are the same, but its history has two more changes
    repo.write(path, text.replace("入党积极分子完成第一季度学习任务", "入党积极分子完成第一季度的学习任务"))
    repo.commit("第一支部改动 2025 年第一季度备注", who=CLERK, when=datetime(2026, 11, 21, 9, 0, tzinfo=CST))
    repo.write(path, text)
    repo.commit("第一支部撤回改动", who=CLERK, when=datetime(2026, 11, 21, 10, 0, tzinfo=CST))
    again = build_with_history(repo.content, out, cache=cache)
    after = tree_digest(out)
    assert "changes/b/dyzx/index.html" in set(again.rendered_files)
    assert after["changes/b/dyzx/index.html"] != before["changes/b/dyzx/index.html"]
    fresh = tmp_path / "fresh"
    build_with_history(repo.content, fresh)
    assert {k: v for k, v in after.items() if not k.startswith(".")} == {
        k: v for k, v in tree_digest(fresh).items() if not k.startswith(".")
    }
