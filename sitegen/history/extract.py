"""The change history of every ledger, from one `git log` pass and one `git cat-file`.

    log (every commit reachable from HEAD, oldest first, with the blobs it changed)
    → which merge brought each commit to the main line (first-parent walk)
    → every ledger blob parsed once (cache by blob id, misses in bulk, in workers)
    → each commit's ledger files compared by entry id with its parent's
    → `全体` expanded with the roster of that commit (one more cat-file pass)

A merge's own changes come from its combined diff: an entry counts as changed by the
merge only when it differs from its state in every parent (a conflict resolution);
everything else is attributed to the commits that made it, with the merge that
brought them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitegen.history.blobs import Blobs, Cache, logged
from sitegen.history.entries import diff_rows
from sitegen.history.git import (
    CatFile,
    GitError,
    LogCommit,
    Repo,
    locate,
)
from sitegen.history.model import History
from sitegen.history.paths import classify, ledger_path, roster_path
from sitegen.load.layout import FileKind
from sitegen.model.ledger import EVERYONE
from sitegen.rules.membership import everyone_on

NOT_GIT = "内容目录不在 git 仓库里，没有变更记录。把内容目录放进 git 仓库并提交后，就会记录每一次修改。"
SHALLOW = (
    "内容目录所在的 git 仓库是浅克隆（只取了最近的提交），变更记录会把所有内容算作最后一次提交所加，"
    "所以不生成变更记录。请取完整历史：Gitea/GitHub Actions 的 actions/checkout 写 fetch-depth: 0，"
    "GitLab CI 设 GIT_DEPTH: 0，本地运行 git fetch --unshallow；确实不需要变更记录时用 --no-history。"
)


def history(content_root: Path | str, *, cache_dir=True, jobs: int | None = None) -> History:
    """The change history of the ledgers under `content_root`. Never raises for a folder
    that is not a repository, a shallow clone or a git failure: History says so.
    cache_dir: True for the parse cache folder, a folder, or None for no cache."""
    try:
        repo = locate(Path(content_root))
        if repo is None:
            return History(available=False, reason=NOT_GIT)
        if repo.shallow:
            return History(available=False, shallow=True, reason=SHALLOW, prefix=repo.prefix)
        if not repo.head:
            return History(available=True, prefix=repo.prefix)
        commits, roots = logged(repo, cache_dir)
        trail = Trail(repo, Cache.at(cache_dir, roots, repo.prefix), commits, jobs)
        runs = trail.runs()
    except GitError as exc:
        return History(available=False, reason=f"无法读取变更记录：{exc}")
    return History(
        available=True,
        head=repo.head,
        prefix=repo.prefix,
        _runs=runs,
        _commits=trail.by_sha,
        _merged_by=merged_by(commits, repo.head),
        _source=trail.records,
    )


def merged_by(commits: list[LogCommit], head: str) -> dict[str, str]:
    """For each commit that reached the main line through a merge: that merge's id.

    The main line is HEAD's first-parent chain. Walking its merges oldest first, each
    claims what its other parents reach that no earlier merge claimed and that is not
    on the chain — exactly the commits that merge brought (M^1..M^2)."""
    parents = {c.sha: c.parents for c in commits}
    chain: list[str] = []
    sha = head
    while sha in parents:
        chain.append(sha)
        sha = parents[sha][0] if parents[sha] else ""
    on_chain = set(chain)
    owner: dict[str, str] = {}
    for merge in reversed(chain):
        stack = list(parents[merge][1:])
        while stack:
            s = stack.pop()
            if s in on_chain or s in owner or s not in parents:
                continue
            owner[s] = merge
            stack.extend(parents[s])
    return owner


class Trail:
    """What each commit changed, kept in the history cache (a commit never changes) in two
    packs, so that a run that needs one branch's changes reads that branch's part alone:

        runs     commit id → its records as runs of one branch year, in order: ((branch,
                 year, how many), ...); () for a commit that changed no entry. Small:
                 every commit's is read, and answers History.branch_version
        changes  "commit id:branch" → that commit's records of the branch, in order:
                 (path, old row, new row, old members, new members); read a branch's
                 part (sitegen.history.blobs._shard) when its changes are shown

    An entry that is missing or not of its shape (a damaged file) is computed again."""

    def __init__(self, repo: Repo, cache: Cache, commits: list[LogCommit], jobs: int | None = None):
        self.repo, self.cache, self.commits, self.jobs = repo, cache, commits, jobs
        self.by_sha = {c.sha: c for c in commits}
        self.computed = 0  # commits whose changes were computed in this run

    def runs(self) -> tuple:
        """(commit id, runs) of every commit that changed an entry, oldest first; the
        commits not summarised yet computed first."""
        summary = self.cache.pack("runs")
        todo = [c for c in self.commits if not _is_runs(summary.get(c.sha))]
        if todo:
            self._make(todo)
        return tuple((c.sha, summary[c.sha]) for c in self.commits if summary[c.sha])

    def records(self, sha: str, branch: str, count: int) -> tuple:
        """Commit `sha`'s `count` records of `branch`, in order."""
        key = f"{sha}:{branch}"
        found = self.cache.pack("changes").get(key)
        if not _is_records(found, count):
            self._make([self.by_sha[sha]])
            found = self.cache.pack("changes").get(key)
        return found if isinstance(found, tuple) else ()

    def _make(self, commits: list[LogCommit]) -> None:
        work = []
        for c in commits:
            ledgers = [
                (t, sf)
                for t in c.touched
                for sf in (classify(t.path),)
                if sf is not None and sf.kind is FileKind.LEDGER
            ]
            if ledgers:
                work.append((c, ledgers))
        made: dict[str, list] = {}
        if work:
            with CatFile(self.repo.top) as cat:
                made = _compute(self.repo, work, self.by_sha, Blobs(cat, self.cache, self.jobs))
        summary, changes = self.cache.pack("runs"), self.cache.pack("changes")
        for c in commits:
            runs: list[list] = []
            mine: dict[str, list] = {}
            for sf, change in made.get(c.sha, ()):
                if runs and runs[-1][0] == sf.branch and runs[-1][1] == sf.year:
                    runs[-1][2] += 1
                else:
                    runs.append([sf.branch, sf.year, 1])
                mine.setdefault(sf.branch, []).append(change)
            for branch, records in mine.items():
                changes[f"{c.sha}:{branch}"] = tuple(records)
            summary[c.sha] = tuple(tuple(r) for r in runs)
        self.computed += len(commits)
        self.cache.changed("changes")
        self.cache.changed("runs")
        self.cache.save()


def _is_runs(value: object) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(r, tuple) and len(r) == 3 and isinstance(r[0], str) and isinstance(r[1], int) and type(r[2]) is int
        for r in value
    )


def _is_records(value: object, count: int) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == count
        and all(isinstance(r, tuple) and len(r) == 5 and isinstance(r[0], str) for r in value)
    )


def _compute(repo: Repo, work, by_sha: dict[str, LogCommit], blobs: Blobs) -> dict[str, list]:
    """For each commit of `work` that changed an entry: (its ledger file, (path, old row,
    new row, old members, new members)) for each change, in order."""
    blobs.load(FileKind.LEDGER, ((sha, t.path) for _, ledgers in work for t, _ in ledgers for sha in (*t.old, t.new)))

    # each file compared by entry id with its version in the parent(s)
    diffs = []
    for c, ledgers in work:
        for t, sf in ledgers:
            new = blobs.get(FileKind.LEDGER, t.new, t.path)
            if new is None:
                continue  # a version that does not parse changes nothing; the next good one is compared with the last good one
            olds = [blobs.get(FileKind.LEDGER, sha, t.path) for sha in t.old] or [()]
            olds = [
                o if o is not None else _last_good(by_sha, c.parents[k], t.path, blobs, repo.prefix)
                for k, o in enumerate(olds)
            ]
            pairs = diff_rows(olds[0], new) if len(olds) == 1 else _merge_pairs(olds, new)
            if pairs:
                diffs.append((c, sf, olds[0], new, pairs))

    # who the entries covered: `全体` with the roster of that commit (its parent's for the old
    # state); a correction that names no members, its target's (looked up in that commit's ledger)
    rosters: dict[str, str] = {}
    others: dict[str, str] = {}
    for c, sf, old_rows, new_rows, pairs in diffs:
        sides = [(c.sha, new_rows, [n for _, n in pairs if n is not None])]
        if c.parents:
            sides.append((c.parents[0], old_rows, [o for o, _ in pairs if o is not None]))
        for sha, rows, changed in sides:
            if any(r[2] == EVERYONE_ROW or (not r[2] and r[8]) for r in changed):
                rpath = roster_path(sf)
                rosters[f"{sha}:{repo.prefix}{rpath}"] = rpath
            ids = {r[0] for r in rows}
            if any(not r[2] and r[8] and r[8] not in ids for r in changed):
                for q in (1, 2, 3, 4):
                    if q != sf.quarter:
                        lpath = ledger_path(sf.committee, sf.branch, sf.year, q)
                        others[f"{sha}:{repo.prefix}{lpath}"] = lpath
    roster_at = dict(zip(rosters, blobs.at(FileKind.ROSTER, list(rosters), list(rosters.values()))))
    ledger_at = dict(zip(others, blobs.at(FileKind.LEDGER, list(others), list(others.values()))))

    expanded: dict[tuple, tuple[str, ...]] = {}
    out: dict[str, list] = {}
    for c, sf, old_rows, new_rows, pairs in diffs:
        rpath = f"{repo.prefix}{roster_path(sf)}"
        parent = c.parents[0] if c.parents else ""
        new_ctx = (roster_at.get(f"{c.sha}:{rpath}", ()), {r[0]: r for r in new_rows}, (c.sha, sf))
        old_ctx = (roster_at.get(f"{parent}:{rpath}", ()) if parent else (), {r[0]: r for r in old_rows}, (parent, sf))
        changes = out.setdefault(c.sha, [])
        for old, new in pairs:
            record = (
                sf.path,
                old,
                new,
                _members(old, old_ctx, ledger_at, repo, expanded),
                _members(new, new_ctx, ledger_at, repo, expanded),
            )
            changes.append((sf, record))
    return out


EVERYONE_ROW = (EVERYONE,)


def _members(row: tuple | None, ctx, ledger_at: dict, repo: Repo, expanded: dict, depth: int = 0) -> tuple[str, ...]:
    if row is None:
        return ()
    members = row[2]
    roster, siblings, (sha, sf) = ctx
    if members == EVERYONE_ROW:
        key = (id(roster), row[1], row[11])
        if key not in expanded:  # 全体 as of the entry's date, as the loader expands it
            skip = set(row[11])
            expanded[key] = tuple(m for m in everyone_on(roster, date.fromordinal(row[1])) if m not in skip)
        return expanded[key]
    if not members and row[8] and depth < 10:
        target = siblings.get(row[8])
        if target is None and sha:
            for q in (1, 2, 3, 4):
                rows = ledger_at.get(f"{sha}:{repo.prefix}{ledger_path(sf.committee, sf.branch, sf.year, q)}") or ()
                target = next((r for r in rows if r[0] == row[8]), None)
                if target is not None:
                    break
        return _members(target, ctx, ledger_at, repo, expanded, depth + 1)
    return members


def _last_good(by_sha: dict[str, LogCommit], sha: str, path: str, blobs: Blobs, prefix: str) -> tuple:
    """The file as it was in the nearest first-parent ancestor where it parses (rare: only
    after a commit that broke the file)."""
    while sha in by_sha:
        rows = blobs.at(FileKind.LEDGER, [f"{sha}:{prefix}{path}"], [path])[0]
        if rows is not None:
            return rows
        parents = by_sha[sha].parents
        sha = parents[0] if parents else ""
    return ()


def _merge_pairs(parents: list[tuple], result: tuple):
    """What a merge itself changed: entries whose state differs from every parent's."""
    states = [{r[0]: r for r in p} for p in parents]
    after = {r[0]: r for r in result}
    ids = list(after) + [i for s in states for i in s if i not in after]
    out = []
    for eid in dict.fromkeys(ids):
        new = after.get(eid)
        if all(s.get(eid) != new for s in states):
            out.append((states[0].get(eid), new))
    return out
