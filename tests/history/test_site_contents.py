"""The published site's folder ids, derived from the last ones and the paths the commits
since touched, are git's own: a build in CI (the last build's commit the published site)
asks git only for the folders a commit changed, and never keeps a stale id.

Each branch's history check is kept under a key that holds what it is read from at the
published site's commit (`frozen._contents`); a stale id there would give a branch the
problems of an earlier run. Every step below compares the derived ids with git's answer
for all names, and counts the names asked.
"""

from __future__ import annotations

import pickle
from datetime import date, datetime

import sitegen.history.frozen as frozen
from sitegen.check import check
from sitegen.history.blobs import Cache, logged
from sitegen.history.git import CatFile, locate, object_ids
from sitegen.history.published import Publication
from tests.history.gitrepo import CST, Repo

TODAY = date(2026, 11, 23)
FOLDERS = [("c01", f"b000{n}") for n in range(1, 6)] + [("c01", "b0009")]  # b0009: added later


def _synth(tmp_path) -> Repo:
    from tools.synth import generate

    repo = Repo(tmp_path / "repo")
    generate(repo.content, branches=5, members=6, seed=3, year=2026)
    repo.commit("初始内容", when=datetime(2026, 11, 2, 9, 0, tzinfo=CST))
    return repo


def _entry(n: int) -> str:
    return f"  - id: 2026-SITE{n:02d}\n    date: 2026-11-21\n    item: B03\n    members: 全体\n"


Q4 = "committees/c01/branches/b0001/2026/ledger/q4.yaml"


def _ci_build(repo: Repo, out, cache, n: int):
    """Entry `n` committed (none for n = 0), then built as CI builds: the last build's
    commit (in `out`) the published site. Returns the build's result, which must be ok."""
    from sitegen.build import build

    if n:
        repo.append(Q4, _entry(n))
        repo.commit(f"第 {n} 条", when=datetime(2026, 11, 21, 9 + n, 0, tzinfo=CST))
    result = build(repo.content, out, quiet=True, pdf=False, today=TODAY, cache_dir=cache)
    assert result.ok, [p.format() for p in result.problems]
    return result


class _Asking:
    """`_contents` as check_history calls it (the history cache, the commits, one reader),
    and the names it asked git for, against git's answer for every name."""

    def __init__(self, repo: Repo, cache, monkeypatch):
        self.repo, self.cache = repo, cache
        self.asked: list[str] = []
        real = CatFile.ids

        def spy(cat, names):
            self.asked += names
            return real(cat, names)

        monkeypatch.setattr(CatFile, "ids", spy)

    def at_head(self) -> list[str]:
        """The names asked for the published site at HEAD (short: `commit:` cut)."""
        where = locate(self.repo.content)
        assert where is not None
        pubs = [
            Publication(b, 2026, 1, date(2026, 4, 1), "0" * 39 + "1", where.head, where.prefix, c) for c, b in FOLDERS
        ]
        commits, roots = logged(where, self.cache, prefix="")
        self.asked.clear()
        with CatFile(where.top) as cat:
            kept = frozen._contents(where, pubs, Cache.at(self.cache, roots, where.prefix), commits, cat)
        asked = [name.split(":", 1)[1] for name in self.asked]
        fresh = frozen._contents(where, pubs)  # git's answer for every name (`object_ids`), nothing kept
        assert kept == fresh
        return sorted(asked)


def test_the_site_folders_ids_are_derived_from_the_last_ones_and_equal_gits(tmp_path, monkeypatch):
    repo = _synth(tmp_path)
    ask = _Asking(repo, tmp_path / "cache", monkeypatch)
    branch = "content/committees/c01/branches/"
    everything = ask.at_head()
    assert len(everything) == 8  # six branch folders (one not there yet), two scheme folders
    assert ask.at_head() == []  # kept
    repo.append(Q4, _entry(1))
    repo.commit("一条")
    assert ask.at_head() == [branch + "b0001"]
    # the district's scheme, the committee's (created), a branch's branch.yaml
    repo.append("scheme/2026.yaml", "\n")
    repo.commit("考核表")
    assert ask.at_head() == ["content/scheme"]
    repo.write("committees/c01/scheme/2026.yaml", "year: 2026\n")
    repo.commit("细则")
    assert ask.at_head() == ["content/committees/c01/scheme"]
    repo.append("committees/c01/branches/b0002/branch.yaml", "\n")
    repo.commit("支部信息")
    assert ask.at_head() == [branch + "b0002"]
    # outside the content folder, or nothing at all: nothing asked
    (repo.path / "README.md").write_text("说明\n", "utf-8")
    repo.commit("说明")
    repo.commit("空提交")
    assert ask.at_head() == []
    # two commits since the last site: both branches'
    repo.append(Q4, _entry(2))
    repo.commit("两条之一")
    repo.append("committees/c01/branches/b0004/2026/ledger/q4.yaml", _entry(3))
    repo.commit("两条之二")
    assert ask.at_head() == [branch + "b0001", branch + "b0004"]
    # a folder removed, one added, one replaced by a file of the same name
    repo.git("rm", "-q", "-r", "content/committees/c01/branches/b0003")
    repo.commit("删除支部")
    assert ask.at_head() == [branch + "b0003"]
    repo.git("mv", "content/committees/c01/branches/b0005", "content/committees/c01/branches/b0009")
    repo.commit("改名")
    assert ask.at_head() == [branch + "b0005", branch + "b0009"]
    repo.write("committees/c01/branches/b0003", "一个文件\n")
    repo.commit("同名文件")
    assert ask.at_head() == [branch + "b0003"]
    # a change made and undone since: asked (its id is git's all the same)
    repo.append(Q4, _entry(4))
    repo.commit("加")
    repo.git("revert", "--no-edit", "HEAD")
    assert ask.at_head() == [branch + "b0001"]


def test_the_site_folders_ids_are_derived_from_those_at_the_publications_reference(tmp_path, monkeypatch):
    """The ids kept of what the publications read at their own reference (`_origin_ids`)
    stand for a site kept there: the first site after it asks git only for what the
    commits since touched, and has git's ids."""
    repo = _synth(tmp_path)
    cache = tmp_path / "cache"
    ask = _Asking(repo, cache, monkeypatch)

    def pubs(where) -> list[Publication]:
        return [
            Publication(b, 2026, 1, date(2026, 4, 1), "0" * 39 + "1", where.head, where.prefix, c) for c, b in FOLDERS
        ]

    then = locate(repo.content)
    assert then is not None
    names = sorted({n for p in pubs(then) for n in frozen._names(p)})
    found = object_ids(then, names)
    known = {n: found.get(n, "") for n in names}  # as _origin_ids keeps them ('' where none)
    repo.append(Q4, _entry(1))
    repo.commit("一条")
    repo.write("committees/c01/scheme/2026.yaml", "year: 2026\n")
    repo.commit("细则")
    where = locate(repo.content)
    assert where is not None
    commits, roots = logged(where, cache, prefix="")
    ask.asked.clear()
    with CatFile(where.top) as cat:
        kept = frozen._contents(where, pubs(where), Cache.at(cache, roots, where.prefix), commits, cat, known)
    assert kept == frozen._contents(where, pubs(where))
    branch = "content/committees/c01/branches/"
    assert sorted(n.split(":", 1)[1] for n in ask.asked) == [branch + "b0001", "content/committees/c01/scheme"]


def test_after_a_merge_every_folder_is_asked_again(tmp_path, monkeypatch):
    """A merge's combined diff lists only what differs from every parent: nothing is
    derived across one."""
    repo = _synth(tmp_path)
    ask = _Asking(repo, tmp_path / "cache", monkeypatch)
    ask.at_head()
    repo.git("checkout", "-q", "-b", "pr")
    repo.append("committees/c01/branches/b0002/2026/ledger/q4.yaml", _entry(1))
    repo.commit("分支上的一条")
    repo.git("checkout", "-q", "main")
    repo.append("committees/c01/branches/b0001/2026/ledger/q4.yaml", _entry(2))
    repo.commit("主线上的一条")
    assert ask.at_head() == ["content/committees/c01/branches/b0001"]
    repo.merge("pr", "合并")
    assert len(ask.at_head()) == 8
    repo.append("committees/c01/branches/b0001/2026/ledger/q4.yaml", _entry(3))
    repo.commit("合并后的一条")
    assert ask.at_head() == ["content/committees/c01/branches/b0001"]


def test_builds_as_ci_makes_them_find_what_a_fresh_check_finds(tmp_path, monkeypatch):
    """Builds at one commit after another, each with the last build's commit as its
    published site (its folder ids derived): a published entry edited in a commit after
    the site is E1002 as without the cache; a history rewritten under the site is E1005."""

    repo = _synth(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    info = out / "build-info.json"
    for n in range(3):
        _ci_build(repo, out, cache, n)
    asked: list[int] = []
    real = CatFile.ids
    monkeypatch.setattr(CatFile, "ids", lambda cat, names: asked.append(len(names)) or real(cat, names))

    def same_as_fresh() -> list[str]:
        asked.clear()
        kept = check(repo.content, today=TODAY, cache_dir=cache, history=True, published_info=info)
        fresh = check(repo.content, today=TODAY, cache_dir=None, history=True, published_info=info)
        assert [p.format() for p in kept.problems] == [p.format() for p in fresh.problems]
        return sorted({p.code for p in kept.problems})

    # the site (the last build's commit) read from the one before it and the folder its commit touched
    assert same_as_fresh() == [] and asked[0] == 1
    q1 = "committees/c01/branches/b0002/2026/ledger/q1.yaml"
    repo.write(q1, repo.read(q1).replace("item: B03", "item: B04", 1))
    repo.commit("改了已公示的条目", when=datetime(2026, 11, 22, 9, 0, tzinfo=CST))
    assert "E1002" in same_as_fresh()
    repo.git("reset", "-q", "--hard", "HEAD~2")  # under the published site: history rewritten
    repo.append(Q4, _entry(9))
    repo.commit("改写后的提交", when=datetime(2026, 11, 22, 10, 0, tzinfo=CST))
    assert "E1005" in same_as_fresh()


def test_the_edited_branch_is_scored_once_at_the_published_sites_commit(tmp_path, monkeypatch):
    """The branch a commit touched is scored at the published site's commit once for all
    its published quarters (a score is of the branch year), and the publications of a
    HEAD whose commits since an earlier one touch no 公示 record are not written again."""
    import sitegen.history.published as published

    repo = _synth(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    scored: list[tuple[str, int, int]] = []
    real = published.score_state

    def spy(state, pub):
        scored.append((pub.branch, pub.year, pub.quarter))
        return real(state, pub)

    monkeypatch.setattr(published, "score_state", spy)
    for n in range(4):
        scored.clear()
        _ci_build(repo, out, cache, n)
    # the site's commit is the last build's: b0001 changed there, its three published quarters' table
    assert [(b, y) for b, y, _ in scored] == [("b0001", 2026)]
    kept = list(cache.rglob("publications-*.pickle"))
    assert len(kept) == 1  # the first build's; the three commits since touched no 公示 record
    info = out / "build-info.json"
    fresh = check(repo.content, today=TODAY, cache_dir=None, history=True, published_info=info)
    again = check(repo.content, today=TODAY, cache_dir=cache, history=True, published_info=info)
    assert [p.format() for p in again.problems] == [p.format() for p in fresh.problems]


def _entries(cache, pack: str) -> set[str]:
    found: set[str] = set()
    for path in cache.rglob(f"{pack}-*.pickle"):
        found |= set(pickle.loads(path.read_bytes()))
    return found


def test_what_is_read_at_the_published_sites_commit_is_kept_apart(tmp_path):
    """The published site's commit is a new one with every build: the parses and tables
    read there are kept in one file of what the last run used, not added to the packs a
    later check of the branch reads (which grew with every build)."""

    repo = _synth(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    kept: list[tuple[set[str], set[str]]] = []
    for n in range(6):
        _ci_build(repo, out, cache, n)
        kept.append((_entries(cache, "parsed"), _entries(cache, "published")))
    # the packs hold still from the third build on (the site a later commit than the publications')
    assert kept[2] == kept[3] == kept[4] == kept[5]
    (site,) = cache.rglob("site-*.pickle")
    apart = pickle.loads(site.read_bytes())
    (held,) = apart.values()
    assert held["published"] and all(":b0001:" in key for key in held["published"])  # the edited branch's alone
    info = out / "build-info.json"
    fresh = check(repo.content, today=TODAY, cache_dir=None, history=True, published_info=info)
    again = check(repo.content, today=TODAY, cache_dir=cache, history=True, published_info=info)
    assert [p.format() for p in again.problems] == [p.format() for p in fresh.problems]


def test_what_many_branches_read_at_the_site_is_not_kept(tmp_path, monkeypatch):
    """The first check against a new published site where every branch is not as its
    publications read it reads every branch there: that is not kept (the next build reads
    the one a commit touched); what a build of one branch read is."""
    import sitegen.history.published as published

    monkeypatch.setattr(published, "_APART_MOST", 2)
    repo = _synth(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    files = []
    for n in range(4):
        if n == 1:  # the first commit touches every branch (committed with b0001's entry)
            for b in ("b0002", "b0003", "b0004", "b0005"):
                repo.append(Q4.replace("b0001", b), _entry(50))
        _ci_build(repo, out, cache, n)
        files.append(list(cache.rglob("site-*.pickle")))
    # no site; the site is the publishing commit itself; every branch read at a later one; b0001's
    assert files[:3] == [[], [], []] and len(files[3]) == 1
