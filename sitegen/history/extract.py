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

from pathlib import Path

from sitegen.history.blobs import Blobs
from sitegen.history.entries import changed_fields, diff_entries, kind_of
from sitegen.history.git import CatFile, GitError, LogCommit, Repo, locate, read_log
from sitegen.history.model import Change, Commit, History
from sitegen.history.paths import classify, roster_path
from sitegen.model.ledger import Entry

NOT_GIT = "内容目录不在 git 仓库里，没有变更记录。把内容目录放进 git 仓库并提交后，就会记录每一次修改。"
SHALLOW = ("内容目录所在的 git 仓库是浅克隆（只取了最近的提交），变更记录会把所有内容算作最后一次提交所加，"
           "所以不生成变更记录。请取完整历史：Gitea/GitHub Actions 的 actions/checkout 写 fetch-depth: 0，"
           "GitLab CI 设 GIT_DEPTH: 0，本地运行 git fetch --unshallow；确实不需要变更记录时用 --no-history。")


def history(content_root: Path | str, *, cache_dir=True, jobs: int | None = None) -> History:
    """The change history of the ledgers under `content_root`. Never raises for a folder
    that is not a repository, a shallow clone or a git failure: History says so."""
    try:
        repo = locate(Path(content_root))
        if repo is None:
            return History(available=False, reason=NOT_GIT)
        if repo.shallow:
            return History(available=False, shallow=True, reason=SHALLOW, prefix=repo.prefix)
        if not repo.head:
            return History(available=True, prefix=repo.prefix)
        commits = read_log(repo)
        with CatFile(repo.top) as cat:
            changes = extract(repo, commits, Blobs(cat, cache_dir, jobs))
    except GitError as exc:
        return History(available=False, reason=f"无法读取变更记录：{exc}")
    return History(available=True, head=repo.head, prefix=repo.prefix, changes=tuple(changes))


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


def _commit(c: LogCommit) -> Commit:
    return Commit(c.sha, c.author, c.email, c.date, c.committer, c.committed, c.subject, c.parents)


def extract(repo: Repo, commits: list[LogCommit], blobs: Blobs) -> list[Change]:
    owner = merged_by(commits, repo.head)
    touched = [(c, t, sf) for c in commits for t in c.touched
               for sf in (classify(t.path),) if sf is not None and sf.kind == "ledger"]
    blobs.load(("ledger", sha, t.path) for _, t, _ in touched for sha in (*t.old, t.new))

    # each commit's ledger files compared by entry id with its parents'
    last_good: dict[str, tuple[Entry, ...]] = {}
    raw: list[tuple[LogCommit, object, list[tuple[Entry | None, Entry | None]]]] = []
    for c, t, sf in touched:
        new = blobs.get("ledger", t.new, t.path)
        olds = [blobs.get("ledger", sha, t.path) for sha in t.old] or [()]
        # a version that does not parse is skipped: later versions compare with the last good one
        olds = [o if o is not None else last_good.get(t.path, ()) for o in olds]
        if new is None:
            continue
        last_good[t.path] = new
        pairs = diff_entries(olds[0], new) if len(olds) == 1 else _merge_pairs(olds, new)
        if pairs:
            raw.append((c, sf, pairs))

    # `全体` means the roster of that time: the commit's for the new state, its (first) parent's for the old
    wanted: dict[str, str] = {}
    for c, sf, pairs in raw:
        rpath = roster_path(sf)
        if any(new is not None and new.everyone for _, new in pairs):
            wanted[f"{c.sha}:{repo.prefix}{rpath}"] = rpath
        if c.parents and any(old is not None and old.everyone for old, _ in pairs):
            wanted[f"{c.parents[0]}:{repo.prefix}{rpath}"] = rpath
    names = list(wanted)
    rosters = dict(zip(names, blobs.at("roster", names, [wanted[n] for n in names])))

    commit_of: dict[str, Commit] = {}

    def as_commit(sha: str, c: LogCommit | None = None) -> Commit:
        if sha not in commit_of:
            commit_of[sha] = _commit(c or by_sha[sha])
        return commit_of[sha]

    by_sha = {c.sha: c for c in commits}
    known: dict[tuple[str, int, str], tuple[str, ...]] = {}  # (branch, year, entry) → members, as last seen
    expanded: dict[tuple[int, tuple[str, ...]], tuple[str, ...]] = {}
    changes: list[Change] = []
    for c, sf, pairs in raw:
        rpath = f"{repo.prefix}{roster_path(sf)}"
        now = rosters.get(f"{c.sha}:{rpath}") or ()
        before = rosters.get(f"{c.parents[0]}:{rpath}") or () if c.parents else ()

        def members(e: Entry | None, roster: tuple[str, ...]) -> tuple[str, ...]:
            if e is None:
                return ()
            if e.everyone:
                key = (id(roster), e.excluding)
                if key not in expanded:
                    skip = set(e.excluding)
                    expanded[key] = tuple(m for m in roster if m not in skip)
                return expanded[key]
            if not e.members and e.corrects:
                return known.get((sf.branch, sf.year, e.corrects), ())
            return e.members

        commit = as_commit(c.sha, c)
        merge = as_commit(owner[c.sha]) if c.sha in owner else None
        for old, new in pairs:
            old_members, new_members = members(old, before), members(new, now)
            eid = (new or old).id
            known[(sf.branch, sf.year, eid)] = new_members
            changes.append(Change(
                kind=kind_of(old, new), committee=sf.committee, branch=sf.branch, year=sf.year, quarter=sf.quarter,
                path=sf.path, entry=eid, old=old, new=new, old_members=old_members, new_members=new_members,
                fields=changed_fields(old, new) if old is not None and new is not None else (),
                commit=commit, merge=merge))
    return changes


def _merge_pairs(parents: list[tuple[Entry, ...]], result: tuple[Entry, ...]):
    """What a merge itself changed: entries whose state differs from every parent's."""
    states = [{e.id: e for e in p} for p in parents]
    after = {e.id: e for e in result}
    ids = list(after) + [i for s in states for i in s if i not in after]
    out = []
    for eid in dict.fromkeys(ids):
        new = after.get(eid)
        if all(s.get(eid) != new for s in states):
            out.append((states[0].get(eid), new))
    return out
