"""The change history's cache read a branch at a time (issue 17): after a commit that
touches one branch, every branch's version comes from the commits' small summaries, the
changed branch's own records alone are read, and what is shown equals a fresh read.
A damaged cache file is computed again, never trusted."""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime
from pathlib import Path

import pytest

import sitegen.history.blobs as blobs
from sitegen.check import check
from sitegen.history import history
from sitegen.history.blobs import _shard
from tests.history.gitrepo import B1, CST, branch_history

B2 = "committees/c1/branches/b2/2026"
ENTRY = "  - id: E{n:02d}\n    date: 2026-06-0{n}\n    item: A03\n    members: [M1]\n"
ENTRY_B2 = "  - id: F{n:02d}\n    date: 2026-03-0{n}\n    item: B02\n    members: [M7]\n"


def _versions(h) -> dict:
    return {(b, y): h.branch_version(b, y) for b in ("b1", "b2") for y in (2025, 2026)}


def _everything(h) -> tuple:
    """What the pages show of a history, in every way they ask for it."""
    return (
        len(h),
        h.changes,
        _versions(h),
        {b: h.branch_changes(b) for b in ("b1", "b2")},
        {m: h.for_member("b1", 2026, m) for m in ("M1", "M2", "M4")},
        h.for_member("b2", 2026, "M7"),
        h.recent(5),
    )


@pytest.fixture
def read(monkeypatch):
    """The cache files read in this test (by name), and the records they held."""
    seen: list[tuple[str, int]] = []
    original = blobs._load

    def spy(path: Path):
        found = original(path)
        seen.append((path.name, sum(len(v) for v in found.values() if isinstance(v, tuple))))
        return found

    monkeypatch.setattr(blobs, "_load", spy)
    return seen


def _fresh_process(monkeypatch) -> None:
    """As a new `sitegen` process: nothing of the cache held in memory."""
    monkeypatch.setattr(blobs, "_SHARED", {})
    monkeypatch.setattr(blobs, "_LOGS", {})


def test_a_commit_to_one_branch_reads_that_branch_alone(tmp_path, monkeypatch, read):
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    before = history(repo.content, cache_dir=cache)
    old = _versions(before)
    assert old[("b1", 2026)] and old[("b2", 2026)]  # both have changes from the first commit
    _everything(before)

    repo.append(f"{B1}/ledger/q2.yaml", ENTRY.format(n=8))
    head = repo.commit("补记 E08", when=datetime(2026, 6, 21, 9, 0, tzinfo=CST))
    _fresh_process(monkeypatch)
    read.clear()
    after = history(repo.content, cache_dir=cache)
    new = _versions(after)
    assert new[("b1", 2026)] != old[("b1", 2026)] and head in new[("b1", 2026)]
    assert {k: v for k, v in new.items() if k != ("b1", 2026)} == {k: v for k, v in old.items() if k != ("b1", 2026)}
    # every version answered from the summaries and the log; of the records and parsed
    # ledgers, b1's part alone read (to compute the new commit's changes and add them)
    names = [name for name, _ in read]
    assert [n for n in names if n.startswith("changes-")] == [f"changes-{_shard('changes', 'x:b1')}.pickle"]
    assert [n for n in names if n.startswith("ledger-")] == [f"ledger-{_shard('ledger', 'x:b1')}.pickle"]
    b2 = _shard("changes", "x:b2")
    assert not [n for n in names if n.endswith(f"-{b2}.pickle")]  # nothing of b2's

    _fresh_process(monkeypatch)
    after = history(repo.content, cache_dir=cache)
    assert _versions(after) == new
    read.clear()
    b1 = after.branch_changes("b1")
    part = f"changes-{_shard('changes', 'x:b1')}"
    # b1's part, not b2's: its file, and the one the commit's records were added in beside it
    assert [n for n, _ in read] == [f"{part}.pickle", *(n for n, _ in read if n.startswith(f"{part}+"))]
    assert len(read) == 2
    assert b1[0].entry == "E08" and b1[0].commit.sha == head
    read.clear()
    assert after.for_member("b1", 2026, "M1")[0].change.entry == "E08"
    assert read == []  # read once

    fresh = history(repo.content, cache_dir=None)
    assert _everything(after) == _everything(fresh)


def test_the_same_head_reads_no_record_for_the_versions(tmp_path, monkeypatch, read):
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    _everything(history(repo.content, cache_dir=cache))
    repo.append(f"{B1}/ledger/q2.yaml", ENTRY.format(n=8))  # not committed: the history is HEAD's
    _fresh_process(monkeypatch)
    read.clear()
    h = history(repo.content, cache_dir=cache)
    _versions(h)
    names = [name for name, _ in read]
    assert names and all(n.startswith(("runs-", "log-")) for n in names), names
    held = sum(n for name, n in read if name.startswith("runs-"))
    assert 0 < held <= 10  # a summary per commit, not the records


def _damage(folder: Path, how: str, packs: tuple[str, ...] = ("runs", "changes")) -> int:
    files = [path for pack in packs for path in sorted(folder.rglob(f"{pack}-*.pickle"))]
    for path in files:
        if how == "truncated":
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
        elif how == "garbage":
            path.write_bytes(b"\x80\x05not a pickle")
        else:  # well formed, of the wrong shape: every entry a string, or one record too few
            found = pickle.loads(path.read_bytes())
            wrong = {k: (v[:-1] if path.name.startswith("changes-") else "x") for k, v in found.items()}
            path.write_bytes(pickle.dumps(wrong))
    return len(files)


@pytest.mark.parametrize("packs", [("runs", "changes"), ("runs",), ("changes",)])
@pytest.mark.parametrize("how", ["truncated", "garbage", "wrong shape"])
def test_a_damaged_cache_file_is_computed_again(tmp_path, monkeypatch, how, packs):
    repo = branch_history(tmp_path / "repo")
    repo.append(f"{B2}/ledger/q1.yaml", ENTRY_B2.format(n=9))
    repo.commit("补记 F09")
    cache = tmp_path / "cache"
    fresh = _everything(history(repo.content, cache_dir=None))
    assert _everything(history(repo.content, cache_dir=cache)) == fresh
    assert _damage(cache, how, packs) >= 2
    _fresh_process(monkeypatch)
    assert _everything(history(repo.content, cache_dir=cache)) == fresh
    _fresh_process(monkeypatch)
    assert _everything(history(repo.content, cache_dir=cache)) == fresh  # and written again whole


def test_records_damaged_after_the_summaries_were_read(tmp_path, monkeypatch):
    """A branch's records are read late (when its pages are made): damaged by then, they
    are computed again from git."""
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    fresh = _everything(history(repo.content, cache_dir=None))
    history(repo.content, cache_dir=cache)
    _fresh_process(monkeypatch)
    h = history(repo.content, cache_dir=cache)
    _damage(cache, "garbage")
    assert _everything(h) == fresh


def test_a_rewritten_history_shows_the_new_commits_and_is_still_refused(tmp_path, monkeypatch):
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    published = repo.git("rev-parse", "HEAD")
    info = tmp_path / "site" / "build-info.json"
    info.parent.mkdir()
    info.write_text(json.dumps({"content": {"git": True, "commit": published}}), "utf-8")
    today = date(2026, 6, 30)
    assert not [p for p in check(repo.content, today=today, cache_dir=cache, history=True, published_info=info).errors]
    _everything(history(repo.content, cache_dir=cache))

    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.append(f"{B2}/ledger/q1.yaml", ENTRY_B2.format(n=9))
    repo.commit("重写")
    _fresh_process(monkeypatch)
    h = history(repo.content, cache_dir=cache)
    assert _everything(h) == _everything(history(repo.content, cache_dir=None))
    assert "E07" not in {c.entry for c in h.branch_changes("b1")}  # the dropped merge's changes are gone
    report = check(repo.content, today=today, cache_dir=cache, history=True, published_info=info)
    assert "E1005" in [p.code for p in report.errors]


Q2_RECORD = """reviewed: 2026-07-01
feedback: 2026-07-02
confirmed: 2026-07-04
publicity:
  start: 2026-07-07
  end: 2026-07-13
  scope: 支部党务公开栏
"""


def _publications(content, cache) -> tuple[list, list, int]:
    """(the publications as the checks find them through the cache, as computed afresh,
    how many times they were computed)."""
    from sitegen.history import frozen
    from sitegen.history.blobs import Blobs, Cache, logged
    from sitegen.history.git import CatFile, locate
    from sitegen.history.published import publications

    repo = locate(content)
    assert repo is not None
    commits, roots = logged(repo, cache, prefix="")
    today, branches = date(2026, 7, 20), {"b1", "b2"}
    made: list[int] = []

    def counted(*args):
        made.append(1)
        return publications(*args)

    with CatFile(repo.top) as cat:
        original, frozen.publications = frozen.publications, counted
        try:
            got, texts = frozen._publications(
                repo, commits, Blobs(cat, Cache.at(cache, roots, repo.prefix)), today, branches
            )
        finally:
            frozen.publications = original
        fresh = publications(repo, commits, Blobs(cat, Cache(None)), today, branches)
    assert texts == frozen._idents(got)
    return sorted(got), sorted(fresh), len(made)


def test_a_new_head_keeps_the_publications_only_when_they_cannot_have_moved(tmp_path, monkeypatch):
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    repo.write(f"{B1}/quarters/q2.yaml", Q2_RECORD)
    published = repo.commit("第二季度公示", when=datetime(2026, 7, 5, 9, 0, tzinfo=CST))
    got, fresh, made = _publications(repo.content, cache)
    assert got == fresh and made == 1
    [q2] = [p for p in got if p.quarter == 2 and p.branch == "b1"]
    assert q2.ref == published  # the last commit of its line: HEAD

    # a commit before the 公示 began extends its line: the reference moves with it
    repo.append(f"{B2}/ledger/q1.yaml", ENTRY_B2.format(n=9))
    later = repo.commit("补记 F09", when=datetime(2026, 7, 6, 9, 0, tzinfo=CST))
    got, fresh, made = _publications(repo.content, cache)
    assert got == fresh and made == 1
    assert [p.ref for p in got if p.quarter == 2 and p.branch == "b1"] == [later]

    # commits after it began, touching no 公示 record: the same publications, not computed again
    repo.append(f"{B2}/ledger/q1.yaml", ENTRY_B2.format(n=8))
    repo.commit("补记 F08", when=datetime(2026, 7, 8, 9, 0, tzinfo=CST))
    repo.append(f"{B1}/ledger/q2.yaml", ENTRY.format(n=8))
    repo.commit("补记 E08", when=datetime(2026, 7, 9, 9, 0, tzinfo=CST))
    got, fresh, made = _publications(repo.content, cache)
    assert got == fresh and made == 0

    # a commit that touches a 公示 record: computed again
    repo.edit(f"{B1}/quarters/q2.yaml", "end: 2026-07-13", "end: 2026-07-14")
    repo.commit("公示延期", when=datetime(2026, 7, 10, 9, 0, tzinfo=CST))
    got, fresh, made = _publications(repo.content, cache)
    assert got == fresh and made == 1
