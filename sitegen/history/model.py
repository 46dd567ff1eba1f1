"""What the change history is made of: commits, entry changes, and one member's view.

A :class:`Change` is one ledger entry changed by one commit (added, removed, edited, or a
correction added), with who made the commit and which merge (pull request) brought it
to the main line. A :class:`MemberChange` is the same change as it touched one member.
Everything is frozen; pages get these values and format them, nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sitegen.history.entries import FIELD_NAMES, Kind
from sitegen.model.ledger import Entry
from sitegen.render.format import points as fmt_points

if TYPE_CHECKING:
    from sitegen.load.layout import SourceFile

RESTRICTED = "restricted/"
PRIVATE_SUBJECT = "（该提交涉及不公开记录，说明不予显示）"


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author: str
    email: str
    date: datetime  # author date: when the change was written
    committer: str
    committed: datetime  # committer date: when it was committed (for a merge: merged)
    subject: str
    parents: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True, slots=True)
class Change:
    """One ledger entry changed by one commit.

    `old`/`new` are the entry as written before and after (None: absent). `old_members`
    and `new_members` are whom it covered, `全体` expanded with the roster of that time.
    `merge` is the merge commit that brought `commit` to the main line (its author is
    who merged the pull request); None when `commit` was made on the main line itself
    (a direct commit, a fast-forward or a rebase merge: then `commit.committer` is the
    one who put it there).
    """

    kind: Kind
    committee: str
    branch: str
    year: int
    quarter: int  # of the ledger file, ledger/q<N>.yaml
    path: str  # the ledger file, relative to the content folder
    entry: str  # the entry id
    old: Entry | None
    new: Entry | None
    old_members: tuple[str, ...]
    new_members: tuple[str, ...]
    fields: tuple[str, ...]  # CHANGED: the fields that differ, in FIELDS order
    commit: Commit
    merge: Commit | None = None

    @property
    def landed(self) -> datetime:
        """When the change reached the main line."""
        return (self.merge or self.commit).committed

    @property
    def merger(self) -> str:
        """Who merged it into the main line ('' for a direct commit)."""
        return self.merge.author if self.merge else ""

    @property
    def current(self) -> Entry:
        """The entry after the change, or before it when it was removed."""
        entry = self.new if self.new is not None else self.old
        assert entry is not None, "a change has the entry on one side at least"
        return entry

    @property
    def item(self) -> str:
        return self.current.item

    @property
    def corrects(self) -> str:
        return self.current.corrects

    @property
    def reason(self) -> str:
        return self.current.reason

    @property
    def summary(self) -> str:
        """One line in Chinese, e.g. 修改条目“2026-015”：分值 2 → 3。"""
        e = self.current
        head = f"{self.kind.value}“{self.entry}”"
        if self.kind is Kind.CHANGED and self.old is not None and self.new is not None:
            return f"{head}：{describe_fields(self.old, self.new, self.fields)}。"
        if self.kind is Kind.CORRECTION:
            what = "作废" if e.void else describe_entry(e)
            return f"{head}更正“{e.corrects}”（{what}），理由：{e.reason or '未写'}。"
        return f"{head}：{describe_entry(e)}，{len(self.new_members or self.old_members)} 名党员。"

    def for_member(self, member: str, default_points: dict[str, Decimal] | None = None) -> MemberChange | None:
        """This change as it touched `member`; None if it did not. `default_points` maps
        item codes to their fixed points, for entries that do not state `points`."""
        before, after = member in self.old_members, member in self.new_members
        if not before and not after:
            return None
        if self.kind is Kind.CHANGED and before != after:
            kind = Kind.ADDED if after else Kind.REMOVED
        else:
            kind = self.kind
        old = self.old if before else None
        new = self.new if after else None
        return MemberChange(
            member=member,
            kind=kind,
            change=self,
            item=new.item if new is not None else old.item if old is not None else self.item,
            old_item=old.item if old else "",
            points=_points(new, default_points),
            old_points=_points(old, default_points),
        )


def _points(e: Entry | None, defaults: dict[str, Decimal] | None) -> Decimal | None:
    if e is None or e.void:
        return None
    if e.points is not None:
        return e.points
    return (defaults or {}).get(e.item)


@dataclass(frozen=True, slots=True)
class MemberChange:
    """A change as it touched one member: for this member the entry was added, removed,
    changed, or a correction was added. `points`/`old_points` are None when absent, void,
    or not stated in the entry and no fixed points were given for the item."""

    member: str
    kind: Kind
    change: Change
    item: str
    old_item: str
    points: Decimal | None
    old_points: Decimal | None

    @property
    def commit(self) -> Commit:
        return self.change.commit

    @property
    def merge(self) -> Commit | None:
        return self.change.merge

    @property
    def summary(self) -> str:
        c = self.change
        if self.kind is Kind.ADDED:
            return f"记入条目“{c.entry}”：{self.item}{_pp(self.points)}。"
        if self.kind is Kind.REMOVED:
            return f"移出条目“{c.entry}”：{self.old_item or self.item}{_pp(self.old_points)}。"
        return c.summary  # a correction, or a change to an entry that covers the member before and after


def _pp(value: Decimal | None) -> str:
    return f"，{fmt_points(value)} 分" if value is not None else ""


def describe_entry(e: Entry) -> str:
    text = e.item or "（沿用原项目）"
    if e.points is not None:
        text += f"，{fmt_points(e.points)} 分"
    return f"{e.date}，{text}"


def describe_fields(old: Entry, new: Entry, fields: tuple[str, ...]) -> str:
    parts = []
    for f in fields:
        a, b = getattr(old, f), getattr(new, f)
        if f == "points":
            parts.append(
                f"分值 {fmt_points(a) if a is not None else '按项目'} → {fmt_points(b) if b is not None else '按项目'}"
            )
        elif f in ("date", "item", "corrects"):
            parts.append(f"{FIELD_NAMES[f]} {a or '无'} → {b or '无'}")
        elif f == "members":
            added = [m for m in b if m not in a]
            gone = [m for m in a if m not in b]
            bits = []
            if added:
                bits.append("增加 " + "、".join(added))
            if gone:
                bits.append("去掉 " + "、".join(gone))
            parts.append("党员" + ("（" + "；".join(bits) + "）" if bits else "名单改动"))
        elif f == "void":
            parts.append("改为作废" if b else "取消作废")
        else:
            parts.append(f"{FIELD_NAMES[f]}改动")
    return "，".join(parts)


@dataclass(frozen=True, slots=True)
class BranchChanges:
    committee: str
    branch: str
    changes: tuple[Change, ...]  # newest first


@dataclass(frozen=True)
class History:
    """The change history of a content folder's ledgers.

    `available` is False when there is none to show, and `reason` then says why in
    Chinese, and what to do (not a git repository; a shallow clone; git failed).
    Changes are made into objects only when asked for, a branch at a time: a district's
    history has a hundred thousand of them and a page needs a few. What each commit
    changed is held as a summary (`_runs`: how many records of which branch year, in
    order) that answers :meth:`branch_version` for every branch; a branch's records are
    asked of `_source` (the history cache, sitegen.history.extract.Trail) only when its
    changes are wanted.
    """

    available: bool
    reason: str = ""
    shallow: bool = False
    head: str = ""
    prefix: str = ""  # the content folder inside the repository ('' or ending in '/')
    # (commit id, ((branch, year, records), ...)) for every commit that changed an entry, oldest first:
    # its records (path, old row, new row, old members, new members) in runs of one branch year
    _runs: tuple = field(default=(), repr=False)
    _commits: dict = field(default_factory=dict, compare=False, repr=False)  # id → git.LogCommit
    _merged_by: dict = field(default_factory=dict, compare=False, repr=False)  # commit id → merge id
    # (commit id, branch, how many) → that commit's records of the branch, in order
    _source: Callable[[str, str, int], tuple] | None = field(default=None, compare=False, repr=False)
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return sum(n for _, runs in self._runs for _, _, n in runs)

    @property
    def changes(self) -> tuple[Change, ...]:
        """Every change, oldest first (parents before children). Makes them all."""
        if "all" not in self._memo:
            self._memo["all"] = tuple(self._change(r) for r in self._everything())
        return self._memo["all"]

    def for_member(
        self, branch: str, year: int, member: str, default_points: dict[str, Decimal] | None = None
    ) -> tuple[MemberChange, ...]:
        """Every change to `member`'s entries in the branch's ledger of `year`, newest first.
        `default_points`: item code → fixed points (from the year's scheme), used where an
        entry does not state its points."""
        out = []
        mine = [r for r in self._of_branch(branch) if r[2] == year and (member in r[3][3] or member in r[3][4])]
        for r in self._newest(mine):
            change = self._change(r).for_member(member, default_points)
            if change is not None:  # always, as the member is on one side
                out.append(change)
        return tuple(out)

    def branch_version(self, branch: str, year: int) -> str:
        """What the changes of the branch's ledger of `year` are made from, as text: the
        commits that touched it and the merges that landed them. A record is a function of
        its file and its commit (a commit id names its content), so equal texts, equal
        changes on the branch's pages (sitegen.render.run's unit keys): the text names the
        content folder's place in the repository too. From the commits' summaries alone:
        no record is read."""
        versions = self._memo.setdefault("versions", {})
        text = versions.get((branch, year))
        if text is None:
            shas = sorted(self._runs[i][0] for i in self._index()[0].get((branch, year), ()))
            # with the content folder's place in the repository: two content folders of one
            # repository share commits, not changes (their ledgers are other files)
            joined = ",".join(f"{sha}<{self._merged_by.get(sha, '')}" for sha in shas)
            text = versions[(branch, year)] = f"{self.prefix}|{joined}"
        return text

    def recent(self, limit: int = 100) -> tuple[BranchChanges, ...]:
        """The `limit` most recent changes across the district, grouped by branch; the
        branch with the latest change first, each branch's changes newest first."""
        if "newest" not in self._memo:
            self._memo["newest"] = self._newest(self._everything())
        groups: dict[tuple[str, str], list[Change]] = {}
        for r in self._memo["newest"][:limit]:
            c = self._change(r)
            groups.setdefault((c.committee, c.branch), []).append(c)
        return tuple(
            BranchChanges(committee, branch, tuple(changes)) for (committee, branch), changes in groups.items()
        )

    def branch_changes(self, branch: str, keep: Callable[[int, int], bool] | None = None) -> tuple[Change, ...]:
        """Every change to `branch`'s ledgers, of every year, newest first (by when it
        reached the main line). `keep(year, quarter)`: which ledger files count (e.g. only
        the published quarters); the others' changes are never made into objects."""
        picked = []
        for r in self._newest(self._of_branch(branch)):
            sf = self._file(r[3][0])
            if keep is None or keep(sf.year, sf.quarter):
                picked.append(r)
        return tuple(self._change(r) for r in picked)

    # ------------------------------------------------------------------ internals
    #
    # A record as the internals pass it: ((commit's place, place in the commit), commit id,
    # year, (path, old row, new row, old members, new members)). Its place orders it as
    # the whole history's list would.

    def _landed(self, sha: str):
        return self._commits[self._merged_by.get(sha, sha)].committed

    def _index(self) -> tuple[dict[tuple[str, int], list[int]], dict[str, list[int]]]:
        """The places in `_runs` of the commits that changed each (branch, year), and each
        branch (one pass over the summaries, no record read)."""
        if "index" not in self._memo:
            index: dict[tuple[str, int], list[int]] = {}
            by_branch: dict[str, list[int]] = {}
            for i, (_sha, runs) in enumerate(self._runs):
                for branch, year, _n in runs:
                    at = index.setdefault((branch, year), [])
                    if not at or at[-1] != i:
                        at.append(i)
                    at = by_branch.setdefault(branch, [])
                    if not at or at[-1] != i:
                        at.append(i)
            self._memo["index"] = (index, by_branch)
        return self._memo["index"]

    def _of_branch(self, branch: str) -> list[tuple]:
        """The branch's records, oldest first, read from `_source` (once)."""
        made = self._memo.setdefault("branches", {})
        if branch not in made:
            out = []
            for i in self._index()[1].get(branch, ()):
                sha, runs = self._runs[i]
                records = self._records(sha, branch, sum(n for b, _, n in runs if b == branch))
                at = k = 0
                for b, year, n in runs:
                    if b == branch:
                        out += [((i, at + j), sha, year, records[k + j]) for j in range(n)]
                        k += n
                    at += n
            made[branch] = out
        return made[branch]

    def _records(self, sha: str, branch: str, count: int) -> tuple:
        records = self._source(sha, branch, count) if self._source is not None else ()
        if len(records) != count:
            raise RuntimeError(f"history: commit {sha} has {len(records)} records of {branch}, not {count}")
        return records

    def _everything(self) -> list[tuple]:
        """Every record, oldest first (reads every branch's)."""
        out = [r for branch in self._index()[1] for r in self._of_branch(branch)]
        out.sort(key=lambda r: r[0])
        return out

    def _file(self, path: str) -> SourceFile:
        files = self._memo.setdefault("files", {})
        sf = files.get(path)
        if sf is None:
            from sitegen.history.paths import classify

            sf = files[path] = _ledger_file(classify(path), path)
        return sf

    def _newest(self, records: Iterable[tuple]) -> list[tuple]:
        """`records` newest first: by when each one's commit reached the main line, then by
        place in the history (later first)."""
        landed = self._memo.setdefault("landed", {})

        def when(r: tuple):
            at = landed.get(r[1])
            if at is None:
                at = landed[r[1]] = self._landed(r[1])
            return (at, r[0])

        return sorted(records, key=when, reverse=True)

    def _commit(self, sha: str) -> Commit:
        made = self._memo.setdefault("commits", {})
        if sha not in made:
            c = self._commits[sha]
            subject = PRIVATE_SUBJECT if sha in self._private() else c.subject
            made[sha] = Commit(c.sha, c.author, c.email, c.date, c.committer, c.committed, subject, c.parents)
        return made[sha]

    def _private(self) -> set[str]:
        """Commits whose subject is not published: those that changed a file under
        restricted/ (their message likely says why: 谈话, 帮教, an illness), and the
        merges that brought such a commit to the main line."""
        if "private" not in self._memo:
            private = {
                sha
                for sha, c in self._commits.items()
                if any(t.path.startswith(RESTRICTED) for t in getattr(c, "touched", ()))
            }
            private |= {merge for sha, merge in self._merged_by.items() if sha in private}
            self._memo["private"] = private
        return self._memo["private"]

    def _change(self, record: tuple) -> Change:
        made = self._memo.setdefault("changes", {})
        place, sha, _year, (path, old_row, new_row, old_members, new_members) = record
        if place not in made:
            from sitegen.history.entries import from_row, kind_of, row_fields

            sf = self._file(path)
            old = from_row(old_row) if old_row is not None else None
            new = from_row(new_row) if new_row is not None else None
            merge = self._merged_by.get(sha)
            made[place] = Change(
                kind=kind_of(old, new),
                committee=sf.committee,
                branch=sf.branch,
                year=sf.year,
                quarter=sf.quarter,
                path=path,
                entry=new.id if new is not None else old.id if old is not None else "",
                old=old,
                new=new,
                old_members=old_members,
                new_members=new_members,
                fields=row_fields(old_row, new_row) if old is not None and new is not None else (),
                commit=self._commit(sha),
                merge=self._commit(merge) if merge else None,
            )
        return made[place]


def _ledger_file(sf: SourceFile | None, path: str) -> SourceFile:
    """The history records changes to ledger files only (sitegen.history.extract)."""
    if sf is None:
        raise ValueError(f"not a ledger file: {path}")
    return sf
