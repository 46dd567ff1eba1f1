"""`sitegen diff` without checkouts gives the report a checkout of each side gives.

The fast path (sitegen.review: head's tree is the content folder itself, base's is head's
with the changed files put back, one memo for both checks, the history checks asked of
the repository with each commit as HEAD) against the way it was done before: two temp
clones, each checked with `check(history=True)`. A real repository with every kind of
change at once — a ledger entry edited in a published quarter and one added, a roster
change, the district scheme and a committee's rules changed, a branch deleted, a new
branch, a notice added — and a pull request on a side branch with main moved on."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import date, datetime

import pytest

from sitegen import load as load_module
from sitegen.check import check
from sitegen.history.git import locate, resolve, run
from sitegen.load import scan, statcache
from sitegen.model.scored import Later, Results
from sitegen.review import as_dict, markdown, review
from sitegen.review.compare import compare
from sitegen.review.trees import changed_files, checked_out, clean_worktree, swapped
from tests.history.gitrepo import CST, Repo
from tools.synth import generate

TODAY = date(2026, 11, 23)
SB1 = "committees/c01/branches/b0001/2026"


def _full(content, base: str, head: str = "HEAD", cache_dir=None):
    """The report as `sitegen diff` made it with two checkouts (merge base as base)."""
    repo = locate(content)
    head_id, base_id = resolve(repo, head), resolve(repo, base)
    old_id = run(repo.top, "merge-base", base_id, head_id).stdout.decode().strip()
    with checked_out(repo, old_id) as old_dir:
        before = check(old_dir, today=TODAY, cache_dir=cache_dir, history=True)
    with checked_out(repo, head_id) as new_dir:
        after = check(new_dir, today=TODAY, cache_dir=cache_dir, history=True)
    changes = changed_files(repo, old_id, head_id)
    return compare(before, after, old_id, head_id, base, head, today=TODAY, changes=changes)


def _district(tmp_path) -> Repo:
    repo = Repo(tmp_path / "repo")
    generate(repo.content, branches=5, members=8, seed=3, year=2026)
    repo.commit("初始内容", when=datetime(2026, 11, 2, 9, 0, tzinfo=CST))  # after the first three 公示 began
    return repo


def _every_kind_of_change(repo: Repo) -> None:
    branches = sorted(p.name for p in (repo.content / "committees/c01/branches").iterdir())
    q1 = f"{SB1}/ledger/q1.yaml"
    text = repo.read(q1)
    repo.write(q1, text.replace("date: 2026-0", "date: 2026-0", 1).replace("item: B03", "item: B04", 1))
    repo.append(f"{SB1}/ledger/q4.yaml", "  - id: 2026-FAST1\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")
    roster = f"{SB1}/roster.yaml"
    repo.write(roster, repo.read(roster).replace("status: 正式", "status: 预备", 1))
    scheme = repo.read("scheme/2026.yaml")
    repo.write("scheme/2026.yaml", scheme.replace("points: 2", "points: 3", 1))
    shutil.rmtree(repo.content / "committees/c01/branches" / branches[-1])
    shutil.copytree(
        repo.content / "committees/c01/branches" / branches[1], repo.content / "committees/c01/branches/bnew"
    )
    repo.write("notices/2026-11-20-通知.md", "---\ntitle: 新通知\ndate: 2026-11-20\n---\n\n正文。\n")


def test_the_fast_path_gives_the_report_of_two_checkouts(tmp_path):
    repo = _district(tmp_path)
    repo.git("checkout", "-q", "-b", "pr")
    _every_kind_of_change(repo)
    repo.commit("各种改动")
    repo.git("checkout", "-q", "main")
    repo.append(f"{SB1}/ledger/q4.yaml", "  - id: 2026-MAIN1\n    date: 2026-11-22\n    item: B03\n    members: 全体\n")
    repo.commit("主线上的改动")
    repo.git("checkout", "-q", "pr")
    r = locate(repo.content)
    assert r is not None and clean_worktree(r, r.head) == repo.content  # the fast path is the one taken

    cache = tmp_path / "cache"
    for cache_dir in (None, cache, cache):  # no cache, then an empty one, then a filled one
        fast = review(repo.content, "main", today=TODAY, cache_dir=cache_dir)
        full = _full(repo.content, "main")
        assert as_dict(fast) == as_dict(full)
        assert markdown(fast) == markdown(full)
    assert fast.branches and fast.schemes and fast.other_files  # every kind of change is in it
    assert fast.history_problems  # the published record was touched: the history checks ran on both sides


def test_a_dirty_tree_or_another_head_is_checked_out(tmp_path):
    repo = _district(tmp_path)
    _every_kind_of_change(repo)
    first = repo.commit("各种改动")
    r = locate(repo.content)
    assert r is not None and clean_worktree(r, first) == repo.content
    repo.append(f"{SB1}/ledger/q4.yaml", "  - id: 2026-DIRTY\n    date: 2026-11-22\n    item: B03\n    members: 全体\n")
    assert clean_worktree(r, first) is None  # modified
    fast = review(repo.content, "HEAD~1", today=TODAY, cache_dir=None)
    assert as_dict(fast) == as_dict(_full(repo.content, "HEAD~1"))
    repo.git("checkout", "--", ".")
    (repo.content / "committees/c01/branches/empty").mkdir()
    assert clean_worktree(r, first) is None  # an empty folder a checkout would not have
    os.rmdir(repo.content / "committees/c01/branches/empty")
    repo.write("untracked.txt", "x")
    assert clean_worktree(r, first) is None
    (repo.content / "untracked.txt").unlink()
    assert clean_worktree(r, first) == repo.content
    second = repo.commit("再改一次")  # empty commit: head is not the first any more
    r = locate(repo.content)
    assert r is not None and r.head == second and clean_worktree(r, first) is None
    fast = review(repo.content, "HEAD~1", first, today=TODAY, cache_dir=None)
    assert as_dict(fast) == as_dict(_full(repo.content, "HEAD~1", first))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_symbolic_link_in_head_takes_a_checkout(tmp_path):
    repo = _district(tmp_path)
    os.symlink("site.yaml", repo.content / "link.yaml")
    repo.commit("链接")
    r = locate(repo.content)
    assert r is not None and clean_worktree(r, r.head) is None
    fast = review(repo.content, "HEAD~1", today=TODAY, cache_dir=None)
    assert as_dict(fast) == as_dict(_full(repo.content, "HEAD~1"))
    assert fast.symlinks


def test_yaml_edits_only_swap_the_changed_files_into_heads_scan(tmp_path):
    """The commonest pull request (ledgers, a roster, a scheme edited): base is head's scan
    with base's bytes of those files, no tree at all — and the same report."""
    repo = _district(tmp_path)
    repo.git("checkout", "-q", "-b", "pr")
    q1 = f"{SB1}/ledger/q1.yaml"
    repo.write(q1, repo.read(q1).replace("item: B03", "item: B04", 1))
    repo.append(f"{SB1}/ledger/q4.yaml", "  - id: 2026-FAST1\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")
    roster = f"{SB1}/roster.yaml"
    repo.write(roster, repo.read(roster).replace("status: 正式", "status: 预备", 1))
    repo.write("scheme/2026.yaml", repo.read("scheme/2026.yaml").replace("points: 2", "points: 3", 1))
    repo.commit("只改 YAML")
    r = locate(repo.content)
    assert r is not None
    base = run(r.top, "merge-base", "main", "HEAD").stdout.decode().strip()
    changes = changed_files(r, base, r.head)
    assert {c.change for c in changes} == {"修改"} and len(changes) == 4
    head_scan = scan(repo.content, restricted=True)
    swapped_scan = swapped(r, base, head_scan, changes)
    assert swapped_scan is not None
    with checked_out(r, base) as old_dir:
        assert swapped_scan.hashes == scan(old_dir, restricted=True).hashes
    for cache_dir in (None, tmp_path / "cache", tmp_path / "cache"):
        fast = review(repo.content, "main", today=TODAY, cache_dir=cache_dir)
        assert as_dict(fast) == as_dict(_full(repo.content, "main"))
    assert fast.history_problems and fast.published and fast.schemes
    # a notice edited is read from the folder too: base gets a tree of its own
    assert swapped(r, base, head_scan, [*changes, replace(changes[0], path="notices/x.md")]) is None
    assert swapped(r, base, head_scan, [*changes, replace(changes[0], path="theme/theme.yaml")]) is None


def _as_checked_out(repo: Repo) -> None:
    """The content folder as a checkout gives it: git converts files on checkout (here
    the end of line), which the files the test wrote have not been."""
    for path in sorted(repo.content.rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()
    repo.git("checkout", "--", ".")


def test_files_git_converts_on_checkout_give_the_report_of_two_checkouts(tmp_path):
    """`.gitattributes` asks for CRLF line ends: a checkout's files are not the blobs.
    Base's changed files are read as a checkout has them (swapped and patched alike); a
    pull request that changes the attributes themselves gets a checkout of each side."""
    repo = _district(tmp_path)
    (repo.path / ".gitattributes").write_text("*.yaml text eol=crlf\n*.md text eol=crlf\n", "utf-8")
    repo.commit("行尾用 CRLF")
    _as_checked_out(repo)
    assert b"\r\n" in (repo.content / "site.yaml").read_bytes()
    repo.git("checkout", "-q", "-b", "pr")
    q1 = f"{SB1}/ledger/q1.yaml"
    repo.write(q1, repo.read(q1).replace("item: B03", "item: B04", 1))
    repo.append(f"{SB1}/ledger/q4.yaml", "  - id: 2026-CRLF1\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")
    repo.commit("只改 YAML")
    _as_checked_out(repo)
    r = locate(repo.content)
    assert r is not None and clean_worktree(r, r.head) == repo.content
    base = run(r.top, "merge-base", "main", "HEAD").stdout.decode().strip()
    swapped_scan = swapped(r, base, scan(repo.content, restricted=True), changed_files(r, base, r.head))
    assert swapped_scan is not None
    with checked_out(r, base) as old_dir:
        assert swapped_scan.hashes == scan(old_dir, restricted=True).hashes
        assert swapped_scan.raw[q1] == (old_dir / q1).read_bytes()
    fast = review(repo.content, "main", today=TODAY, cache_dir=None)
    assert as_dict(fast) == as_dict(_full(repo.content, "main")) and fast.history_problems

    _every_kind_of_change(repo)  # a tree for base (patched)
    repo.commit("各种改动")
    _as_checked_out(repo)
    fast = review(repo.content, "main", today=TODAY, cache_dir=None)
    assert as_dict(fast) == as_dict(_full(repo.content, "main"))
    assert markdown(fast) == markdown(_full(repo.content, "main"))

    (repo.path / ".gitattributes").write_text("*.yaml text eol=lf\n", "utf-8")  # the attributes changed
    repo.commit("行尾改回 LF")
    _as_checked_out(repo)
    fast = review(repo.content, "main", today=TODAY, cache_dir=None)
    assert as_dict(fast) == as_dict(_full(repo.content, "main"))


def test_swapping_reads_only_the_changed_files(tmp_path, monkeypatch):
    """Head's scan from the stat cache has read no file: base's, made from it, reads the
    changed files from git and nothing else until a file is asked for."""
    repo = _district(tmp_path)
    q1 = f"{SB1}/ledger/q1.yaml"
    repo.write(q1, repo.read(q1).replace("item: B03", "item: B04", 1))
    repo.commit("改一个文件")
    monkeypatch.setattr(statcache, "SLACK_NS", -(10**12))  # the stat cache may vouch for files just written
    cache = tmp_path / "cache"
    scan(repo.content, restricted=True, cache_dir=cache)
    head = scan(repo.content, restricted=True, cache_dir=cache)
    assert head.read == sum(path.startswith("restricted/") for path in head.hashes)  # never kept in the stat cache
    r = locate(repo.content)
    assert r is not None
    reads: list[str] = []
    real = load_module.read_source
    monkeypatch.setattr(load_module, "read_source", lambda root, path: reads.append(path) or real(root, path))
    base = swapped(r, "HEAD~1", head, changed_files(r, "HEAD~1", "HEAD"))
    assert base is not None and reads == []
    assert base.raw[q1] != head.raw[q1] and reads == [q1]  # head's bytes read when asked for, base's from git
    assert base.raw["site.yaml"] == (repo.content / "site.yaml").read_bytes() and reads == [q1, "site.yaml"]
    assert len(base.raw) == len(head.raw) and set(base.raw) == set(head.raw)


def test_content_at_the_top_of_the_repository(tmp_path):
    """The usual case: the content folder is the repository itself. git's pathspec for
    "everything" must match there too — with `:(top).`, which matches nothing in git 2.39,
    `sitegen diff` listed no changed file (so reported none) and took a modified tree for
    a clean one."""
    repo = Repo(tmp_path / "repo", content="")
    generate(repo.content, branches=3, members=8, seed=3, year=2026)
    repo.commit("初始内容", when=datetime(2026, 11, 2, 9, 0, tzinfo=CST))
    repo.append(f"{SB1}/ledger/q4.yaml", "  - id: 2026-TOP1\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")
    top = locate(repo.content)
    assert top is not None and top.prefix == ""
    assert clean_worktree(top, resolve(top, "HEAD")) is None  # an uncommitted edit: not the commit's tree
    repo.commit("一条")
    top = locate(repo.content)
    assert [c.path for c in changed_files(top, resolve(top, "HEAD~1"), resolve(top, "HEAD"))] == [
        f"{SB1}/ledger/q4.yaml"
    ]
    fast = review(repo.content, "HEAD~1", today=TODAY, cache_dir=tmp_path / "cache")
    assert [(b.branch, [e.entry for e in b.entries]) for b in fast.branches] == [("b0001", ["2026-TOP1"])]
    assert as_dict(fast) == as_dict(_full(repo.content, "HEAD~1"))


def test_unchanged_branches_entries_are_not_read(tmp_path, monkeypatch):
    """Both sides of the comparison hold an unchanged branch's remembered entries and
    score as the same unread values (one memo, the same bundle): they are equal without
    being read — the entries, the members' points and ranks, newcomers, far grades."""
    repo = _district(tmp_path)
    repo.append(f"{SB1}/ledger/q4.yaml", "  - id: 2026-READ1\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")
    repo.commit("一条")
    cache = tmp_path / "cache"
    review(repo.content, "HEAD~1", today=TODAY, cache_dir=cache)  # fills the cache folder
    read: list[tuple[str, str, int]] = []
    real = load_module.Ledgers.__getitem__

    def counting(self, key):
        if isinstance(self._rows.get(key), load_module.Deferred):
            read.append(key)
        return real(self, key)

    scores: list[str] = []
    real_score = Results.__getitem__

    def counting_scores(self, bid):
        if isinstance(self._items.get(bid), Later):
            scores.append(bid)
        return real_score(self, bid)

    monkeypatch.setattr(load_module.Ledgers, "__getitem__", counting)
    monkeypatch.setattr(Results, "__getitem__", counting_scores)
    again = review(repo.content, "HEAD~1", today=TODAY, cache_dir=cache)
    assert [(b.branch, [e.entry for e in b.entries]) for b in again.branches] == [("b0001", ["2026-READ1"])]
    # neither the entries nor the scores of the branches the commit did not touch are read
    assert {branch for _, branch, _ in read} <= {"b0001"}
    assert set(scores) <= {"b0001"}
    assert as_dict(again) == as_dict(_full(repo.content, "HEAD~1"))
