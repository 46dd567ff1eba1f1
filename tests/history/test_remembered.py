"""What the history checks remember between runs (in the history cache) is never stale.

- the log: commits read before are not read again; the list is what a full `git log`
  gives, after new commits, merges and a rewritten history alike;
- each branch's published-record checks: found again when nothing they depend on
  changed, computed again after a change to the branch, to the scheme above it, or to
  the commit history (a rewrite that leaves the working tree as it was).
"""

from __future__ import annotations

from datetime import date, datetime

import sitegen.history.frozen as frozen
import sitegen.history.git as git
from sitegen.check import check
from sitegen.history.blobs import logged
from sitegen.history.git import locate, read_log
from tests.history.gitrepo import B1, CST, branch_history

TODAY = date(2026, 6, 30)
ROSTER = f"{B1}/roster.yaml"
Q1 = f"{B1}/ledger/q1.yaml"


def _same_log(content, cache) -> None:
    repo = locate(content)
    assert repo is not None
    for prefix in ("", repo.prefix):
        full = read_log(repo if prefix == repo.prefix else type(repo)(repo.top, prefix, repo.shallow, repo.head))
        kept, roots = logged(repo, cache, prefix=prefix)
        assert kept == full and roots == [c.sha for c in full if not c.parents]


def test_the_log_is_read_once_and_stays_exact(tmp_path, monkeypatch):
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    _same_log(repo.content, cache)
    read: list[int] = []
    original = git._log_of

    def spy(top, shas):
        read.append(len(shas))
        return original(top, shas)

    monkeypatch.setattr(git, "_log_of", spy)
    _same_log(repo.content, cache)
    assert read == []  # every commit known
    repo.append(Q1, "")
    repo.commit("空提交", when=datetime(2026, 6, 21, 9, 0, tzinfo=CST))
    _same_log(repo.content, cache)
    assert read == [1, 1] or read == [1]  # only the new commit (once per prefix at most)
    # history rewritten: back two commits, and a different one on top
    repo.git("reset", "-q", "--hard", "HEAD~2")
    repo.append(ROSTER, "")
    repo.commit("改写后的提交", when=datetime(2026, 6, 22, 9, 0, tzinfo=CST))
    read.clear()
    _same_log(repo.content, cache)
    assert read and all(n == 1 for n in read)


def _checks(content, cache, monkeypatch, today: date = TODAY) -> tuple[list, list[str]]:
    """The history problems of `check` on `today`, and the branches whose published-record
    checks were computed (not found remembered)."""
    computed: list[str] = []
    original = frozen.published_by_branch

    def spy(loaded, years, repo, commits, blobs, pubs):
        computed.extend(sorted({p.branch for p in pubs}))
        return original(loaded, years, repo, commits, blobs, pubs)

    monkeypatch.setattr(frozen, "published_by_branch", spy)
    report = check(content, today=today, cache_dir=cache, history=True)
    monkeypatch.setattr(frozen, "published_by_branch", original)
    return [p for p in report.problems if p.code.startswith("E10")], computed


def test_a_branch_is_checked_again_only_when_what_it_depends_on_changed(tmp_path, monkeypatch):
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    assert _checks(repo.content, cache, monkeypatch) == ([], ["b1"])
    assert _checks(repo.content, cache, monkeypatch) == ([], [])  # remembered

    # the branch: a published member's status written over
    roster = repo.read(ROSTER)
    repo.edit(ROSTER, "    name: 孙三\n    status: 预备", "    name: 孙三\n    status: 积极分子")
    found, computed = _checks(repo.content, cache, monkeypatch)
    assert [p.code for p in found] == ["E1008"] and computed == ["b1"]
    assert _checks(repo.content, cache, monkeypatch) == (found, [])  # the problem is remembered too
    repo.write(ROSTER, roster)
    assert _checks(repo.content, cache, monkeypatch) == ([], [])  # the earlier state is still known

    # the scheme above it
    scheme = repo.read("scheme/2026.yaml")
    repo.edit("scheme/2026.yaml", "    name: 交纳党费\n    points: 3", "    name: 交纳党费\n    points: 4")
    found, computed = _checks(repo.content, cache, monkeypatch)
    assert [(p.code, p.pos.file) for p in found] == [("E1008", "scheme/2026.yaml")] and computed == ["b1"]
    repo.write("scheme/2026.yaml", scheme)
    assert _checks(repo.content, cache, monkeypatch) == ([], [])


def test_a_rewritten_history_is_checked_again_with_the_same_working_tree(tmp_path, monkeypatch):
    """The same files now, a different past: the Q1 ledger was published with E01 on A02
    (a history rewritten so), so today's A01 is an edit of a published entry."""
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    assert _checks(repo.content, cache, monkeypatch) == ([], ["b1"])
    now = {p: repo.read(p) for p in (Q1,)}
    first = repo.git("rev-list", "--max-parents=0", "HEAD")
    files = repo.git("ls-tree", "-r", "--name-only", "HEAD").split("\n")
    snapshot = {f: (repo.path / f).read_bytes() for f in files}
    repo.git("reset", "-q", "--hard", first)
    for f, data in snapshot.items():  # the final content, with E01 otherwise in the published commit
        (repo.path / f).parent.mkdir(parents=True, exist_ok=True)
        (repo.path / f).write_bytes(data)
    text = now[Q1]
    assert "item: A01" in text
    repo.write(Q1, text.replace("item: A01", "item: A02", 1))
    repo.commit("第一季度公示（改写）", when=datetime(2026, 4, 6, 10, 0, tzinfo=CST))
    repo.write(Q1, text)
    repo.commit("改回", when=datetime(2026, 6, 10, 10, 0, tzinfo=CST))
    assert repo.read(Q1) == now[Q1]
    found, computed = _checks(repo.content, cache, monkeypatch)
    assert computed == ["b1"] and [p.code for p in found] == ["E1002"]
    fresh = check(repo.content, today=TODAY, cache_dir=None, history=True)
    assert found == [p for p in fresh.problems if p.code.startswith("E10")]


def test_a_commit_writes_few_pack_files_and_a_broken_one_is_only_slower(tmp_path, monkeypatch):
    """Packs are kept in 16 files by key: a commit rewrites those that gained entries; a
    file cut short (a crash, a full disk) loses its entries, never the result."""
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    fresh = check(repo.content, today=TODAY, cache_dir=None, history=True).problems
    assert check(repo.content, today=TODAY, cache_dir=cache, history=True).problems == fresh
    files = {p: p.stat().st_mtime_ns for p in cache.rglob("*.pickle")}
    assert any(p.name.startswith("ledger-") for p in files)
    repo.append(f"{B1}/ledger/q2.yaml", "  - id: E99\n    date: 2026-06-21\n    item: B01\n    members: 全体\n")
    repo.commit("再记一条", when=datetime(2026, 6, 21, 9, 0, tzinfo=CST))
    repo.edit(ROSTER, "    name: 孙三\n    status: 预备", "    name: 孙三\n    status: 积极分子")
    fresh = check(repo.content, today=TODAY, cache_dir=None, history=True).problems
    assert [p.code for p in fresh if p.code.startswith("E10")] == ["E1008"]
    assert check(repo.content, today=TODAY, cache_dir=cache, history=True).problems == fresh
    rewritten = [p for p, t in files.items() if p.exists() and p.stat().st_mtime_ns != t]
    assert rewritten and len(rewritten) < len(files) / 2, rewritten
    for p in cache.rglob("*-*.pickle"):
        p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])  # every sharded file cut short
    assert check(repo.content, today=TODAY, cache_dir=cache, history=True).problems == fresh


def _synth_repo(tmp_path):
    """Five branches whose first three quarters' 公示 began before the commit."""
    from tests.history.gitrepo import Repo
    from tools.synth import generate

    repo = Repo(tmp_path / "repo")
    generate(repo.content, branches=5, members=6, seed=3, year=2026)
    repo.commit("初始内容", when=datetime(2026, 11, 2, 9, 0, tzinfo=CST))
    return repo


SYNTH_TODAY = date(2026, 11, 23)
SYNTH_Q4 = "committees/c01/branches/b0001/2026/ledger/q4.yaml"


def _entry(n: int) -> str:
    return f"  - id: 2026-REM{n:02d}\n    date: 2026-11-21\n    item: B03\n    members: 全体\n"


def _spy(monkeypatch) -> list[list[str]]:
    """The branches whose published-record checks were computed, per call."""
    computed: list[list[str]] = []
    original = frozen.published_by_branch

    def spy(loaded, years, repo, commits, blobs, pubs):
        computed.append(sorted({p.branch for p in pubs}))
        return original(loaded, years, repo, commits, blobs, pubs)

    monkeypatch.setattr(frozen, "published_by_branch", spy)
    return computed


def test_after_a_commit_the_build_checks_only_the_branch_it_touched(tmp_path, monkeypatch):
    """The build takes the last build's build-info.json as the published site: its commit
    moves with every build, but each branch's check is keyed by the folders it is read
    from there, so a commit touching one branch checks that branch again, no other — from
    the first build whose published site is a later commit than the one every 公示 is read
    from (the benchmark's CI row: a branch whose folders there are those of its
    publications' own reference is checked as without the site; that first build checked
    all 1,000 branches again, 6 s)."""
    from sitegen.build import build

    repo = _synth_repo(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    asked: list[int] = []  # the ids of folders asked of git, by build
    real = git.CatFile.ids
    monkeypatch.setattr(git.CatFile, "ids", lambda cat, names: asked.append(len(names)) or real(cat, names))

    def built() -> tuple[list[str], int]:
        computed = _spy(monkeypatch)
        asked.clear()
        result = build(repo.content, out, quiet=True, pdf=False, today=SYNTH_TODAY, cache_dir=cache)
        assert result.ok, [p.format() for p in result.problems]
        return sorted({b for call in computed for b in call}), sum(asked)

    everyone, first = built()
    assert len(everyone) == 5
    after = []
    for n in (1, 2, 3, 4):
        repo.append(SYNTH_Q4, _entry(n))
        repo.commit(f"第 {n} 条", when=datetime(2026, 11, 21, 9 + n, 0, tzinfo=CST))
        after.append(built())
    # the published site (the last build's) is the first commit until the second build, a
    # later one from then on; every 公示 is read from the first commit
    assert [branches for branches, _ in after] == [["b0001"]] * 4
    # the first build, which finds the publications, asks for the folders they read at the
    # first commit (5 branches' and the schemes': kept for good); each build against a
    # later site for the one branch folder the commit since touched (the others' derived)
    assert first == 7 and [n for _, n in after] == [0, 1, 1, 1]
    # the same answer as a check that remembers nothing, with the same published site
    info = out / "build-info.json"
    fresh = check(repo.content, today=SYNTH_TODAY, cache_dir=None, history=True, published_info=info)
    kept = check(repo.content, today=SYNTH_TODAY, cache_dir=cache, history=True, published_info=info)
    assert fresh.problems == kept.problems
    # what each branch is read from at the published site's commit, asked of git once
    asked: list[int] = []
    real = git.CatFile.ids
    monkeypatch.setattr(git.CatFile, "ids", lambda cat, names: asked.append(len(names)) or real(cat, names))
    again = check(repo.content, today=SYNTH_TODAY, cache_dir=cache, history=True, published_info=info)
    assert asked == [] and again.problems == fresh.problems


def test_a_branch_changed_since_its_publications_is_checked_against_the_site(tmp_path, monkeypatch):
    """A branch whose folder at the published site's commit is not what its publications
    read at their own reference is checked against the site: it is left out only where
    the site reads the very same folders."""
    from sitegen.build import build

    repo = _synth_repo(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    q4_b2 = SYNTH_Q4.replace("b0001", "b0002")

    def built() -> list[str]:
        computed = _spy(monkeypatch)
        result = build(repo.content, out, quiet=True, pdf=False, today=SYNTH_TODAY, cache_dir=cache)
        assert result.ok, [p.format() for p in result.problems]
        return sorted({b for call in computed for b in call})

    assert len(built()) == 5
    repo.append(SYNTH_Q4, _entry(1))
    repo.append(q4_b2, _entry(2))
    repo.commit("两个支部", when=datetime(2026, 11, 21, 10, 0, tzinfo=CST))
    assert built() == ["b0001", "b0002"]  # the site is the first commit: no reference of its own
    repo.append(SYNTH_Q4, _entry(3))
    repo.commit("一个支部", when=datetime(2026, 11, 21, 11, 0, tzinfo=CST))
    # b0002's folder at the site (the second commit) is not its publications' (the first)
    assert built() == ["b0001", "b0002"]
    repo.append(SYNTH_Q4, _entry(4))
    repo.commit("又一条", when=datetime(2026, 11, 21, 12, 0, tzinfo=CST))
    assert built() == ["b0001"]


def test_a_site_reference_left_out_changes_no_problem(tmp_path, monkeypatch):
    """Published entries and numbers changed after the published site was built, in a
    branch whose folders there are its publications' (left out) and in one whose are not:
    the problems are those of a check that checks every site reference, remembered or not."""
    from sitegen.build import build

    repo = _synth_repo(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    q1 = "committees/c01/branches/{}/2026/ledger/q1.yaml"
    assert build(repo.content, out, quiet=True, pdf=False, today=SYNTH_TODAY, cache_dir=cache).ok
    repo.append(SYNTH_Q4.replace("b0001", "b0003"), _entry(1))
    repo.commit("b0003 的一条", when=datetime(2026, 11, 21, 10, 0, tzinfo=CST))
    assert build(repo.content, out, quiet=True, pdf=False, today=SYNTH_TODAY, cache_dir=cache).ok
    for bid in ("b0002", "b0003"):  # b0002 left out at the site, b0003 not
        repo.write(q1.format(bid), repo.read(q1.format(bid)).replace("item: B03", "item: B04", 1))
    info = out / "build-info.json"
    kept = check(repo.content, today=SYNTH_TODAY, cache_dir=cache, history=True, published_info=info)
    fresh = check(repo.content, today=SYNTH_TODAY, cache_dir=None, history=True, published_info=info)
    left: list[int] = []
    real = frozen._same_as_origin
    monkeypatch.setattr(
        frozen, "_same_as_origin", lambda *a: left.append(len({p.branch for p in real(*a)})) or frozenset()
    )
    every = check(repo.content, today=SYNTH_TODAY, cache_dir=None, history=True, published_info=info)
    assert left == [4]  # branches left out at the site: all but b0003
    codes = sorted(p.code for p in every.problems if p.code.startswith("E10"))
    assert (
        codes
        and set(codes) == {"E1002"}
        and {p.pos.file for p in every.problems if p.code == "E1002"}
        == {
            q1.format("b0002"),
            q1.format("b0003"),
        }
    )
    assert kept.problems == fresh.problems == every.problems


def test_a_site_reference_left_out_is_checked_where_the_publication_could_not_be_scored(tmp_path, monkeypatch):
    """Where a publication's branch year cannot be scored at its reference (a roster that
    does not parse), its check goes on to the commits after it — and a site reference left
    out would go on from its own commit: it is checked after all, never kept, and the
    problems are those of a check that checks every site reference."""
    import json

    from tests.history.gitrepo import Repo
    from tools.synth import generate

    repo = Repo(tmp_path / "repo")
    generate(repo.content, branches=5, members=6, seed=3, year=2026)
    roster = "committees/c01/branches/b0002/2026/roster.yaml"
    good = repo.read(roster)
    repo.write(roster, "members: [\n")
    repo.commit("初始内容（名册写坏了）", when=datetime(2026, 11, 2, 9, 0, tzinfo=CST))
    repo.append(SYNTH_Q4, _entry(1))
    site = repo.commit("一条", when=datetime(2026, 11, 3, 9, 0, tzinfo=CST))
    repo.write(roster, good)  # mended in the working tree
    info = tmp_path / "build-info.json"
    content = {"git": True, "commit": site, "uncommitted_changes": False}
    info.write_text(json.dumps({"content": content, "as_of": SYNTH_TODAY.isoformat()}), "utf-8")
    cache = tmp_path / "cache"
    calls: list[list[str]] = []
    original = frozen.published_by_branch

    def spy(loaded, years, repo, commits, blobs, pubs):
        calls.append(sorted(f"{p.branch}@{p.ref[:7]}" for p in pubs if p.branch == "b0002"))
        return original(loaded, years, repo, commits, blobs, pubs)

    monkeypatch.setattr(frozen, "published_by_branch", spy)
    kept = check(repo.content, today=SYNTH_TODAY, cache_dir=cache, history=True, published_info=info)
    # b0002's publications alone, then again with its site references (left out at first)
    assert len(calls) == 2 and calls[0] and set(calls[1]) == set(calls[0]) | {f"b0002@{site[:7]}"}
    calls.clear()
    again = check(repo.content, today=SYNTH_TODAY, cache_dir=cache, history=True, published_info=info)
    assert len(calls) == 2  # not kept: checked again the same way
    fresh = check(repo.content, today=SYNTH_TODAY, cache_dir=None, history=True, published_info=info)
    monkeypatch.setattr(frozen, "_same_as_origin", lambda *a: frozenset())
    every = check(repo.content, today=SYNTH_TODAY, cache_dir=None, history=True, published_info=info)
    assert kept.problems == again.problems == fresh.problems == every.problems


def test_a_published_entry_edited_after_the_site_was_built_is_found_through_the_site(tmp_path, monkeypatch):
    """The remembered answer for the published site's reference is not stale: a published
    entry edited (and committed) after a build is E1002 at once, as without the cache."""
    from sitegen.build import build

    repo = _synth_repo(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(repo.content, out, quiet=True, pdf=False, today=SYNTH_TODAY, cache_dir=cache).ok
    q1 = "committees/c01/branches/b0002/2026/ledger/q1.yaml"
    repo.write(q1, repo.read(q1).replace("item: B03", "item: B04", 1))
    repo.commit("改了已公示的条目", when=datetime(2026, 11, 22, 9, 0, tzinfo=CST))
    info = out / "build-info.json"
    computed = _spy(monkeypatch)
    kept = check(repo.content, today=SYNTH_TODAY, cache_dir=cache, history=True, published_info=info)
    assert sorted({b for call in computed for b in call}) == ["b0002"]
    fresh = check(repo.content, today=SYNTH_TODAY, cache_dir=None, history=True, published_info=info)
    assert "E1002" in [p.code for p in kept.problems] and kept.problems == fresh.problems


def test_diff_of_a_one_branch_commit_checks_that_branch_only(tmp_path, monkeypatch):
    """`sitegen diff HEAD~1` after a build: both sides' published-record checks are found
    remembered but for the branch the commit touched."""
    from sitegen.build import build
    from sitegen.review import review

    repo = _synth_repo(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(repo.content, out, quiet=True, pdf=False, today=SYNTH_TODAY, cache_dir=cache).ok
    assert not check(repo.content, today=SYNTH_TODAY, cache_dir=cache, history=True).problems
    repo.append(SYNTH_Q4, _entry(1))
    repo.commit("一条", when=datetime(2026, 11, 22, 9, 0, tzinfo=CST))
    computed = _spy(monkeypatch)
    review(repo.content, "HEAD~1", today=SYNTH_TODAY, cache_dir=cache)
    assert [b for call in computed for b in call] == ["b0001"]  # head's side; base's is the check's


def test_the_publications_are_found_again_only_for_the_same_head_and_days(tmp_path, monkeypatch):
    """Which 公示 have started, and the commit each is compared with, is remembered under
    HEAD and the branch ids, for the days on the same side of every 公示 start: a
    rewritten history or a day across a start finds them again from git (a new commit
    that touches no 公示 record keeps its parent's: see test_trail) — and the problems are
    a fresh run's."""
    repo = branch_history(tmp_path / "repo")
    cache = tmp_path / "cache"
    found: list[int] = []
    real = frozen.publications

    def spy(*args, **kwargs):
        pubs = real(*args, **kwargs)
        found.append(len(pubs))
        return pubs

    monkeypatch.setattr(frozen, "publications", spy)

    def same_as_fresh(today=TODAY) -> None:
        kept = check(repo.content, today=today, cache_dir=cache, history=True)
        fresh = check(repo.content, today=today, cache_dir=None, history=True)
        assert [p.format() for p in kept.problems] == [p.format() for p in fresh.problems]

    same_as_fresh()
    assert len(found) == 2 and found[0] > 0  # with the cache, and the fresh run
    same_as_fresh()
    assert len(found) == 3  # only the fresh run's: remembered
    same_as_fresh(date(2026, 7, 1))
    assert len(found) == 4  # another day, after the same 公示 starts (b1's Q1: 7 April): remembered
    same_as_fresh(date(2026, 4, 7))
    assert len(found) == 5  # its first day: still
    same_as_fresh(date(2026, 4, 6))
    assert len(found) == 7 and found[-1] == found[-2] == 0  # the day before it began: found again
    same_as_fresh(date(2026, 4, 1))
    assert len(found) == 8  # (remembered for the days before it)
    same_as_fresh(date(2026, 7, 1))
    assert len(found) == 10 and found[-1] == found[-2] > 0  # after it again: the newest kept is the day's
    repo.append(Q1, "")
    repo.commit("空提交", when=datetime(2026, 6, 21, 9, 0, tzinfo=CST))
    same_as_fresh()
    assert len(found) == 11  # a new HEAD, by a commit that touches no 公示 record: its parent's kept
    repo.git("reset", "-q", "--hard", "HEAD~2")
    repo.append(ROSTER, "")
    repo.commit("改写后的提交", when=datetime(2026, 6, 22, 9, 0, tzinfo=CST))
    same_as_fresh()
    assert len(found) == 13 and found[-1] == found[-2]  # a rewritten history: found again, as fresh
