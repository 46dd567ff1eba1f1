"""The published record holds (SPEC 2.9): a 公示 changes only through corrections.

Checked directly, by comparing what was published with what the content says now:

    publications  every commit reachable from HEAD — on any line of history, under any
                  folder the content has lived in — that gave a quarter record (or a
                  year end) a 公示 that has started by `today`
    reference     the branch year as it stood when that 公示 began: the publishing commit,
                  or, when it was committed ahead of the start day, the last commit of
                  HEAD's first-parent line before that day
    snapshot      every file the branch year is scored from at the reference (the three
                  scheme layers, branch.yaml, roster, ledgers, quarter records, year end),
                  scored with today's rules
    compare       its published table (sitegen.rules.published) with the same table
                  scored from the working tree
    expected      when they differ: the snapshot plus the corrections made since the 公示
                  began (entries with `corrects`, dated on or after its start, not in the
                  snapshot) — the one legitimate way for a published number to move
    attribute     when the working tree differs from that too: each file that differs is
                  put back into the expected state on its own; those that move the table
                  are the cause, named with the file, the line of the record that changed
                  and the members whose published numbers it alters

Comparing content rather than walking commits one by one is what makes it robust: a
roster or scheme edit, a moved or renamed folder, a merge that makes a rewritten
history descend from the published commit again (`git merge -s ours`) — the numbers at
the reference and the numbers now are compared all the same. Ranks across branches are
not part of a branch's table (see sitegen.rules.published).
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from datetime import date, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import NamedTuple, TypeVar

from sitegen.history.blobs import Blobs
from sitegen.history.entries import changed_fields
from sitegen.history.git import NULL, LogCommit, Repo
from sitegen.history.model import describe_fields
from sitegen.load import Loaded
from sitegen.load.assemble import YearFiles, branch_year
from sitegen.load.layout import FileKind
from sitegen.load.parse import Parsed, parse
from sitegen.model.ledger import LedgerFile, QuarterRecord, YearEnd
from sitegen.model.org import BranchInfo, Roster
from sitegen.model.scheme import BranchPlan, CommitteeRules, DistrictScheme
from sitegen.model.scored import BranchYearResult, YearResult
from sitegen.model.site import Branch
from sitegen.problems import Pos, Problem
from sitegen.render.format import points as fmt_points
from sitegen.rules.periods import quarter_name
from sitegen.rules.published import YEAR_END, Row, Table, row_changes, table
from sitegen.rules.scheme import effective_scheme
from sitegen.rules.score import score_branch_year

_RECORD = re.compile(
    r"(?P<prefix>(?:[^/]+/)*?)committees/(?P<c>[^/]+)/branches/(?P<b>[^/]+)/(?P<y>20\d\d)/"
    r"(?:quarters/q(?P<q>[1-4])|year-end)\.yaml"
)

# the files a branch year is scored from: component → (parser kind, path under the content folder)
_YEAR = "committees/{c}/branches/{b}/{y}/"
COMPONENTS: dict[str, tuple[FileKind, str]] = {
    "scheme": (FileKind.SCHEME, "scheme/{y}.yaml"),
    "rules": (FileKind.RULES, "committees/{c}/scheme/{y}.yaml"),
    "branch": (FileKind.BRANCH, "committees/{c}/branches/{b}/branch.yaml"),
    "roster": (FileKind.ROSTER, _YEAR + "roster.yaml"),
    "plan": (FileKind.PLAN, _YEAR + "scheme.yaml"),
    **{f"ledger{q}": (FileKind.LEDGER, _YEAR + f"ledger/q{q}.yaml") for q in (1, 2, 3, 4)},
    **{f"quarter{q}": (FileKind.QUARTER, _YEAR + f"quarters/q{q}.yaml") for q in (1, 2, 3, 4)},
    "year_end": (FileKind.YEAR_END, _YEAR + "year-end.yaml"),
}
_LABELS = {
    "scheme": "全区考核表",
    "rules": "党(工)委细则",
    "branch": "支部信息",
    "roster": "名册",
    "plan": "支部年初设定的积分项目",
    "year_end": "年终评定记录",
    **{f"ledger{q}": f"{quarter_name(q)}台账" for q in (1, 2, 3, 4)},
    **{f"quarter{q}": f"{quarter_name(q)}记录" for q in (1, 2, 3, 4)},
}

State = dict[str, Parsed | None]  # component → parsed file, None when absent
T = TypeVar("T")


def part(state: State, component: str, tp: type[T]) -> T | None:
    """One component of a state as its model type (None: absent)."""
    value = state.get(component)
    return value if isinstance(value, tp) else None


class Publication(NamedTuple):
    """A 公示 that has started: of quarter 1–4 or the year end (YEAR_END) of a branch year,
    published by `commit`, whose content is to be read from `ref` under `prefix`. A named
    tuple: a district's thousands are read from the history cache on every check, which a
    pickle does several times faster than dataclasses."""

    branch: str
    year: int
    quarter: int
    start: date
    commit: str
    ref: str
    prefix: str
    committee: str

    def key(self) -> str:
        return f"{self.ref}:{self.prefix}:{self.committee}:{self.branch}:{self.year}:{self.quarter}:{self.start}"


def period_name(year: int, quarter: int) -> str:
    return f"{year}年度评定结果" if quarter == YEAR_END else f"{year}年{quarter_name(quarter)}积分"


# ------------------------------------------------------------------ finding publications


def publications(
    repo: Repo,
    commits: list[LogCommit],
    blobs: Blobs,
    today: date,
    branches: set[str] | None = None,
    starts: set[date] | None = None,
) -> list[Publication]:
    """Every 公示 started by `today` and the commit to compare with, once each.

    A commit publishes when it gives a record a 公示 it did not have in a parent; a commit
    that changes a 公示 already begun is a re-dating (E1009 at the publication it
    changed), not a publication of its own. `branches`: the district's branch ids now —
    another folder of the repository counts only as a former place of this content (a
    renamed or copied folder: the branch is still here, and this folder was not there
    yet); anything else is another district's copy, e.g. a test fixture or an archive.

    `starts`, when given, gets every 公示 start day compared with `today` (all the list
    reads of it): on any day that falls on the same side of each, the list is the same."""
    records = []
    for c in commits:
        for t in c.touched:
            m = _RECORD.fullmatch(t.path)
            if m is not None and t.new != NULL:
                records.append((c, t, m))
    for kind, quarterly in ((FileKind.QUARTER, True), (FileKind.YEAR_END, False)):
        blobs.load(
            kind, ((sha, t.path) for _, t, m in records if bool(m.group("q")) is quarterly for sha in (t.new, *t.old))
        )
    line = _Lines(commits, repo.head)
    found: dict[tuple, Publication] = {}
    for c, t, m in records:
        kind = FileKind.QUARTER if m.group("q") else FileKind.YEAR_END
        new = blobs.get(kind, t.new)
        if not new:
            continue  # no 公示 (or a version that does not parse: its errors are its own)
        start = date.fromordinal(new[0])
        if starts is not None:
            starts.add(start)
        olds = [blobs.get(kind, old) for old in t.old]
        if start > today or (olds and all(old == new for old in olds)):
            continue  # not started yet, or this commit did not make the publication
        if any(old and date.fromordinal(old[0]) <= _day(c) for old in olds):
            continue  # a 公示 already begun, re-dated: not a publication
        if branches is not None and m.group("prefix") != repo.prefix and m.group("b") not in branches:
            continue
        ref = line.reference(c, start, t.path, lambda sha, kind=kind: blobs.get(kind, sha), new)
        if ref is None:
            continue  # re-scheduled or withdrawn before it began: never published
        quarter = int(m.group("q")) if m.group("q") else YEAR_END
        pub = Publication(m.group("b"), int(m.group("y")), quarter, start, c.sha, ref, m.group("prefix"), m.group("c"))
        key = (pub.branch, pub.year, pub.quarter, pub.commit, pub.start)
        held = found.get(key)
        if held is None or (held.prefix != repo.prefix and pub.prefix == repo.prefix):
            # this content's own publication first: a copy of the same record published by
            # the same commit in another folder (an archive committed with it) is dropped
            # below, and must not take the content's place
            found[key] = pub
    elsewhere = {p.commit for p in found.values() if p.prefix != repo.prefix}
    if elsewhere:
        names = sorted(f"{sha}:{repo.prefix}site.yaml" for sha in elsewhere)
        present = {name for name, got in zip(names, blobs.cat.get_many(names)) if got is not None}
        found = {
            k: p
            for k, p in found.items()
            if p.prefix == repo.prefix or f"{p.commit}:{repo.prefix}site.yaml" not in present
        }
    return list(found.values())


class _Lines:
    """Lines of history, followed forward along first parents (HEAD's main line preferred
    where a commit has several first-parent children)."""

    def __init__(self, commits: list[LogCommit], head: str):
        self.by_sha = {c.sha: c for c in commits}
        self.children: dict[str, list[str]] = {}
        for c in commits:
            if c.parents:
                self.children.setdefault(c.parents[0], []).append(c.sha)
        self.main: set[str] = set()
        sha = head
        while sha in self.by_sha:
            self.main.add(sha)
            parents = self.by_sha[sha].parents
            sha = parents[0] if parents else ""

    def next(self, c: LogCommit) -> LogCommit | None:
        kids = self.children.get(c.sha, [])
        if len(kids) > 1:
            kids = [k for k in kids if k in self.main]
        return self.by_sha[kids[0]] if len(kids) == 1 else None

    def reference(self, c: LogCommit, start: date, path: str, state, published) -> str | None:
        """The commit whose content was on the board when the 公示 began: the publishing
        commit, or — when it was made before the start day — the last commit of its line
        before that day (edits before a 公示 begins are no rewrite). None when the line
        changed the 公示 before it began. Dates that go backwards stop the walk: a commit
        dated before its parent was not made when it says."""
        ref = c
        while True:
            nxt = self.next(ref)
            if nxt is None or _day(nxt) >= start or nxt.committed < ref.committed:
                return ref.sha
            changed = next((t for t in nxt.touched if t.path == path), None)
            if changed is not None and state(changed.new) != published:
                return None
            ref = nxt

    def later(self, sha: str, most: int = 50):
        """The commits after `sha` on its line, nearest first."""
        c = self.by_sha.get(sha)
        for _ in range(most):
            c = self.next(c) if c is not None else None
            if c is None:
                return
            yield c.sha


CHINA = timezone(timedelta(hours=8))


def _day(c: LogCommit) -> date:
    """The day a commit was made, in China (the policy's dates are Beijing time)."""
    return c.committed.astimezone(CHINA).date()


# ------------------------------------------------------------------ snapshots


class Snapshots:
    """Branch years as they were at a commit, parsed with the project's own parser; parses
    kept by blob id, tables by reference (a commit never changes).

    What is read at the published site's commit (`blobs.passing`: a new one with every
    build in CI) is kept apart, in one file that holds what the last run used or made of
    it (:meth:`save`), not in the packs: they would gain a branch's newest files' parses
    and tables with every build, read again by every later check of that branch. What is
    in the packs is used for it all the same (a file unchanged since a publication)."""

    def __init__(self, repo: Repo, blobs: Blobs):
        self.repo = repo
        self.blobs = blobs
        self.passing: frozenset[str] = getattr(blobs, "passing", frozenset())
        self._states: dict[tuple[str, str, str, str, int], State] = {}
        self._scored: dict[tuple[str, str, str, str, int], BranchYearResult | None] = {}
        self._last: dict[str, dict] | None = None  # what the last run kept apart
        self._apart: dict[str, dict] = {name: {} for name in _APART}  # what this run used or made of it

    def _kept(self, name: str, pub: Publication) -> dict:
        """Where `pub`'s new entries of pack `name` go (and are looked up first)."""
        if pub.ref not in self.passing:
            self.blobs.cache.changed(name)
            return self.blobs.cache.pack(name)
        return self._apart[name]

    def _find(self, name: str, pub: Publication, key: str, ref_keyed: bool = False):
        """The entry `key` of pack `name` for `pub` (_NONE when there is none). A name of
        the published site's commit is only ever kept apart."""
        if pub.ref in self.passing:
            apart = self._apart[name]
            if key in apart:
                return apart[key]
            last = self._last_run()[name]
            if key in last:
                apart[key] = last[key]
                return apart[key]
            if ref_keyed:
                return _NONE
        pack = self.blobs.cache.pack(name)
        return pack[key] if key in pack else _NONE

    def _last_run(self) -> dict[str, dict]:
        if self._last is None:
            kept = self.blobs.cache.one("site", _SITE)
            ok = isinstance(kept, dict) and all(isinstance(kept.get(name), dict) for name in _APART)
            self._last = {n: kept[n] for n in _APART} if ok and isinstance(kept, dict) else {n: {} for n in _APART}
        return self._last

    def save(self) -> None:
        """What this run used or made at the published site's commit, for the next run
        (which replaces it): nothing when it read nothing there, nor when it read many
        branches there (the first check against a new site reads them all; the next reads
        the few a commit touched, and a file of every branch's would cost it more to read
        than what it finds in it)."""
        if 0 < len(self._apart["paths"]) <= _APART_MOST * len(COMPONENTS):
            self.blobs.cache.keep_one("site", _SITE, self._apart, keep=1)

    def _where(self, pub: Publication) -> tuple[dict[str, str], list[str], list[str]]:
        """Each component's path, its `commit:path` name, and the blob id there ('' for none)."""
        paths = {name: path.format(c=pub.committee, b=pub.branch, y=pub.year) for name, (_, path) in COMPONENTS.items()}
        names = [f"{pub.ref}:{pub.prefix}{p}" for p in paths.values()]
        found = [self._find("paths", pub, n, ref_keyed=True) for n in names]
        unknown = [n for n, got in zip(names, found) if got is _NONE]
        if unknown:
            where = self._kept("paths", pub)
            for n, got in zip(unknown, self.blobs.cat.get_many(unknown)):
                where[n] = got[0] if got else ""
            found = [where[n] if got is _NONE else got for n, got in zip(names, found)]
        return paths, names, found

    def state(self, pub: Publication) -> State:
        key = (pub.ref, pub.prefix, pub.committee, pub.branch, pub.year)
        if key not in self._states:
            paths, _, blobs = self._where(pub)
            # kept by blob and path (a parse names its file): a branch's files in its own
            # part of the pack, so re-checking one branch reads that part, not the district's
            keys = {c: f"{sha}:{paths[c]}" for c, sha in zip(paths, blobs) if sha}
            got = {c: self._find("parsed", pub, k) for c, k in keys.items()}
            misses = [(c, sha) for c, sha in zip(paths, blobs) if sha and got[c] is _NONE]
            if misses:
                parsed = self._kept("parsed", pub)
                raws = self.blobs.cat.get_many([sha for _, sha in misses])
                for (c, _), raw in zip(misses, raws):
                    got[c] = parsed[keys[c]] = parse(COMPONENTS[c][0], paths[c], raw[1])[0] if raw else None
            self._states[key] = {c: got.get(c) for c in paths}
        return self._states[key]

    def table(self, pub: Publication) -> Table | None:
        """The published table at the reference (None: the branch year cannot be scored there).
        Kept by reference, and by the blobs of the files it is scored from: another commit
        with the same files (e.g. the published site's, which moves with every build) has
        the same table without scoring it again."""
        key = pub.key()
        found = self._find("published", pub, key, ref_keyed=True)
        if found is _NONE:
            _, _, blobs = self._where(pub)
            # (the branch in the fourth place, as in pub.key(): the pack keeps a branch's tables together)
            same = ",".join(blobs) + f":same:{pub.committee}:{pub.branch}:{pub.year}:{pub.quarter}"
            found = self._find("published", pub, same)
            tables = self._kept("published", pub)
            if found is _NONE:
                result = self.scored(pub)
                found = table(result, pub.quarter) if result is not None else None
                tables[same] = found
            elif pub.ref in self.passing:
                self._apart["published"][same] = found  # used: kept for the next run
            tables[key] = found
        return found

    def scored(self, pub: Publication) -> BranchYearResult | None:
        """The branch year scored at the reference, once for all its quarters (a score
        depends on the publication's branch, committee and year only, and the state)."""
        key = (pub.ref, pub.prefix, pub.committee, pub.branch, pub.year)
        if key not in self._scored:
            self._scored[key] = score_state(self.state(pub), pub)
        return self._scored[key]


_APART = ("paths", "parsed", "published")
_SITE = "published-site"  # the file of what is kept apart for the published site's commit
_APART_MOST = 50  # branch years read there, at most, for it to be kept
_NONE = object()


def score_state(state: State, pub: Publication) -> BranchYearResult | None:
    """Score a branch year from its files (a snapshot, or one with some files swapped)."""
    scheme, branch, roster = (
        part(state, "scheme", DistrictScheme),
        part(state, "branch", BranchInfo),
        part(state, "roster", Roster),
    )
    if scheme is None or branch is None or roster is None:
        return None
    plan = part(state, "plan", BranchPlan)
    data = YearFiles(roster=roster, plan=plan, year_end=part(state, "year_end", YearEnd))
    for q in (1, 2, 3, 4):
        ledger, record = part(state, f"ledger{q}", LedgerFile), part(state, f"quarter{q}", QuarterRecord)
        if ledger is not None:
            data.ledger[q] = ledger
        if record is not None:
            data.quarter[q] = record
    by = branch_year(pub.year, data)
    effective, _ = effective_scheme(pub.year, scheme, part(state, "rules", CommitteeRules), plan, branch.category)
    return score_branch_year(pub.branch, pub.committee, branch.category, effective, by, scheme.partial_year)


def current_state(loaded: Loaded, branch: Branch, year: int) -> State:
    """The working tree's files of a branch year, as the snapshot has them."""
    district = loaded.district
    assert district is not None, "only a loaded district has a working tree to compare"
    committee = next(c for c in district.committees if c.id == branch.committee_id)
    by = branch.years[year]
    folder = f"committees/{branch.committee_id}/branches/{branch.id}/{year}/"
    entries = loaded.ledgers.get((branch.committee_id, branch.id, year), [])
    state: State = {
        "scheme": district.schemes.get(year),
        "rules": committee.rules.get(year),
        "branch": branch.info,
        "roster": Roster(members=by.members),
        "plan": by.plan,
        "year_end": by.year_end,
    }
    for q in (1, 2, 3, 4):
        exists = f"{folder}ledger/q{q}.yaml" in loaded.hashes
        state[f"ledger{q}"] = LedgerFile(entries=tuple(e for fq, e in entries if fq == q)) if exists else None
        state[f"quarter{q}"] = by.quarters.get(q)
    return state


# ------------------------------------------------------------------ the check


def check_published(
    loaded: Loaded,
    years: dict[int, YearResult],
    repo: Repo,
    commits: list[LogCommit],
    blobs: Blobs,
    today: date,
    pubs: list[Publication] | None = None,
) -> list[Problem]:
    """E1008/E1009 for every publication (`pubs`, or found here) whose table moved."""
    district = loaded.district
    if district is None:
        return []
    if pubs is None:
        pubs = publications(repo, commits, blobs, today, {b.id for b in district.branches()})
    return [p for found, _ in published_by_branch(loaded, years, repo, commits, blobs, pubs).values() for p in found]


def published_by_branch(
    loaded: Loaded,
    years: dict[int, YearResult],
    repo: Repo,
    commits: list[LogCommit],
    blobs: Blobs,
    pubs: list[Publication],
) -> dict[str, tuple[list[Problem], bool]]:
    """check_published's problems, by branch id (in branch order): each branch's, and
    whether they depend only on its files and its publications (False: a reference that
    could not be scored sent the check to the commits after it, i.e. to the history)."""
    district = loaded.district
    out: dict[str, tuple[list[Problem], bool]] = {}
    if district is None:
        return out
    snapshots = Snapshots(repo, blobs)
    line = _Lines(commits, repo.head)
    for pub in sorted(pubs, key=lambda p: (p.branch, p.year, p.quarter, p.start, p.commit)):
        problems, own = out.setdefault(pub.branch, ([], True))
        branch = district.branch(pub.branch)
        result = years[pub.year].branches.get(pub.branch) if pub.year in years else None
        gone, comparable = _withdrawn(pub, branch, result)
        if gone is not None:
            problems.append(gone)
        if not comparable or branch is None or result is None:  # comparable: both are there
            continue
        then = snapshots.table(pub)
        if then is None:
            # the branch year could not be scored there (a file that did not parse): nothing
            # could be built from it, so what was published is the first version after it that can
            out[pub.branch] = (problems, False)
            for sha in line.later(pub.ref):
                pub = pub._replace(ref=sha)
                then = snapshots.table(pub)
                if then is not None:
                    break
        if then is None:
            continue
        now = table(result, pub.quarter)
        if now == then:
            continue
        problems += _explain(pub, snapshots.state(pub), current_state(loaded, branch, pub.year), now, result, loaded)
    snapshots.save()
    return out


def _withdrawn(pub: Publication, branch: Branch | None, result: BranchYearResult | None) -> tuple[Problem | None, bool]:
    """A published 公示 that is no longer there, or whose start was moved: un-publishing.
    The second value says whether the tables can still be compared."""
    what = period_name(pub.year, pub.quarter)
    since = f"{what}已于 {pub.start} 开始公示（提交 {pub.commit[:7]}）"
    folder = f"committees/{pub.committee}/branches/{pub.branch}/{pub.year}"
    record_file = f"{folder}/year-end.yaml" if pub.quarter == YEAR_END else f"{folder}/quarters/q{pub.quarter}.yaml"
    fix = (
        "已公示的记录不能撤回：恢复原来的公示记录（git show {sha}:{path} 可以看到原样）。"
        "公示的内容有错，在当前季度的台账里写更正条目（corrects 写原条目编号，reason 写理由）。"
    )
    fix = fix.format(sha=pub.commit[:7], path=f"{pub.prefix}{record_file}")
    if branch is None or result is None or pub.year not in branch.years:
        return Problem(
            "E1009",
            f"{since}，现在却找不到支部“{pub.branch}”{pub.year} 年的记录（支部文件夹被删除、移动或改名）。",
            Pos(record_file),
            fix,
        ), False
    by = branch.years[pub.year]
    record: YearEnd | QuarterRecord | None
    if pub.quarter == YEAR_END:
        record = by.year_end
        here = f"committees/{branch.committee_id}/branches/{branch.id}/{pub.year}/year-end.yaml"
    else:
        record = by.quarters.get(pub.quarter)
        here = f"committees/{branch.committee_id}/branches/{branch.id}/{pub.year}/quarters/q{pub.quarter}.yaml"
    publicity = record.publicity if record is not None else None
    if publicity is None:
        return Problem(
            "E1009",
            f"{since}，现在的记录里却没有公示（公示记录被删除或撤回）。",
            record.pos if record is not None else Pos(here),
            fix,
        ), False
    if publicity.start != pub.start:
        return Problem(
            "E1009",
            f"{since}，公示开始日期此后却被改为 {publicity.start}。",
            publicity.pos,
            "已经开始的公示不能改开始日期：改回 " + str(pub.start) + "。公示的内容有错，写更正条目。",
        ), True
    return None, True


def _explain(
    pub: Publication, snapshot: State, current: State, now: Table, result: BranchYearResult, loaded: Loaded
) -> list[Problem]:
    expected = _with_corrections(snapshot, current, pub)
    scored = score_state(expected, pub)
    if scored is None:
        return []
    want = table(scored, pub.quarter)
    if want == now:
        return []  # the difference is the corrections made since: how a published record changes
    names = {r.member.id: r.member.name for r in result.members}
    for r in (score_state(snapshot, pub) or result).members:
        names.setdefault(r.member.id, r.member.name)
    differing = [c for c in COMPONENTS if expected.get(c) != current.get(c)]
    causes = []
    for c in differing:
        trial = dict(expected)
        trial[c] = current[c]
        trial_result = score_state(trial, pub)
        if trial_result is None or table(trial_result, pub.quarter) != want:
            causes.append(c)
    causes = causes or differing
    since = f"{period_name(pub.year, pub.quarter)}已于 {pub.start} 开始公示（提交 {pub.commit[:7]}）"
    effect = describe_tables(want, now, names, pub.quarter)
    problems = []
    folder = f"committees/{result.committee_id}/branches/{result.branch_id}/{pub.year}/"
    for c in causes:
        what, pos, hint = _describe_component(c, expected.get(c), current.get(c), folder)
        problems.append(
            Problem("E1008", f"{since}，此后{_LABELS[c]}的改动（{what}）改变了公示的数字：{effect}。", pos, hint)
        )
    return problems


def _with_corrections(snapshot: State, current: State, pub: Publication) -> State:
    """The snapshot with the corrections made since the 公示 began added where they are now."""
    known = {e.id for q in (1, 2, 3, 4) for e in (part(snapshot, f"ledger{q}", LedgerFile) or LedgerFile()).entries}
    out = dict(snapshot)
    for q in (1, 2, 3, 4):
        ledger = part(current, f"ledger{q}", LedgerFile)
        if ledger is None:
            continue
        new = tuple(e for e in ledger.entries if e.corrects and e.id not in known and e.date >= pub.start)
        if new:
            base = part(snapshot, f"ledger{q}", LedgerFile) or LedgerFile()
            out[f"ledger{q}"] = replace(base, entries=base.entries + new)
    return out


# ------------------------------------------------------------------ words


def describe_tables(before: Table, after: Table, names: dict[str, str], quarter: int, most: int = 5) -> str:
    """The published numbers that differ, member by member, in words."""
    lines = []
    for mid in list(before) + [m for m in after if m not in before]:
        a, b = before.get(mid), after.get(mid)
        if a == b:
            continue
        who = f"{names.get(mid, mid)}（{mid}）"
        if b is None:
            lines.append(f"{who}从公示名单上消失了")
        elif a is None:
            lines.append(f"{who}出现在公示名单上（{_row_text(b)}）")
        else:
            changes = "，".join(f"{label} {_value(x)} → {_value(y)}" for label, x, y in row_changes(a, b, quarter))
            lines.append(f"{who}：{changes}")
    shown = "；".join(lines[:most])
    return shown + (f"；等共 {len(lines)} 人" if len(lines) > most else "")


def _row_text(row: Row) -> str:
    bits = [row.role]
    if row.ytd is not None:
        bits.append(f"累计 {fmt_points(row.total)} 分")
    if row.rank is not None:
        bits.append(f"排名 {row.rank}")
    if row.final_grade or row.grade:
        bits.append(f"等次 {row.final_grade or row.grade}")
    return "，".join(bits)


def _value(v) -> str:
    if v is None:
        return "无"
    if isinstance(v, bool):
        return "有" if v else "无"
    if isinstance(v, Decimal):
        return fmt_points(v)
    if isinstance(v, tuple):
        return "、".join(_value(x) for x in v)
    return str(v)


_KEYED = ("id", "code", "member")


def _describe_component(c: str, old, new, folder: str) -> tuple[str, Pos, str]:
    """What changed in one file, the position of the first changed record, and what to do.
    `folder` is the branch year's folder now; the file is named where it is now."""
    kind, path = COMPONENTS[c]
    year = folder.rstrip("/").rsplit("/", 1)[-1]
    committee = folder.split("/")[1]
    here = Pos(
        folder + path.split("{y}/", 1)[1]
        if "{y}/" in path and path.startswith("committees/{c}/branches")
        else path.format(c=committee, b=folder.split("/")[3], y=year)
    )
    if new is None:
        return "文件被删除", here, "恢复这个文件。已公示的记录只能用更正条目改动。"
    if old is None:
        return "新增了这个文件", here, "删去这个文件，或让它不影响已公示的季度。"
    changes = diff_values(old, new)
    pos = next((p for _, p in changes if p is not None and p.file), None) or here
    what = "；".join(text for text, _ in changes[:4]) + ("；……" if len(changes) > 4 else "")
    return what or "内容改动", pos, _HINTS.get(kind, _HINTS["ledger"])


_HINTS = {
    "roster": "名册的变化要写日期，才不会改变已公示的季度：新加入的党员写 joined（加入日期）和 join（入党/转入/恢复）；"
    "离开的写 left 和 leave，不要删除；身份变化写在 changes 里（日期和新身份），不要直接改 status；"
    "不纳入积分管理从 exempt 的 filed（上级备案）日期起生效。详见 docs/content-format.md 的“名册”。",
    "scheme": "已公示季度所用的考核表不能再改：恢复原样。新的积分项目或分值请从下一年度的考核表起执行。",
    "rules": "已公示季度所用的细则不能再改：恢复原样。新的规定请从下一年度起执行。",
    "plan": "已公示季度所用的年初设定积分项目不能再改：恢复原样。",
    "branch": "支部类别决定适用的积分项目，已公示后不能再改：恢复原样。",
    "quarter": "已公示季度的记录（公示日期、申辩）不能改动：恢复原样。公示的内容有错，写更正条目。",
    "year_end": "已公示的年度评定结果不能改动：恢复原样。确需改正的，报党(工)委同意后，以更正的方式处理并说明理由。",
    "ledger": "已公示的台账不能改动：恢复原样。确需更正的，在当前季度的台账里新增一条更正条目，"
    "写 corrects: 原条目编号 和 reason: 更正理由。",
}


def diff_values(old, new, label: str = "") -> list[tuple[str, Pos | None]]:
    """What differs between two parsed records, in words, each with the position of the
    record it is in (on the new side)."""
    if is_dataclass(old) and is_dataclass(new) and type(old) is type(new):
        out = []
        for f in fields(old):
            if f.name == "pos":
                continue
            a, b = getattr(old, f.name), getattr(new, f.name)
            if a != b:
                out += diff_values(a, b, _join(label, f.name))
        pos = getattr(new, "pos", None)
        return [(text, p or pos) for text, p in out]
    if isinstance(old, tuple) and isinstance(new, tuple) and _keyed(old + new):
        return _diff_keyed(old, new, label)
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in list(old) + [k for k in new if k not in old]:
            if old.get(k) != new.get(k):
                out.append((f"{_join(label, str(k))}：{_show(old.get(k))} → {_show(new.get(k))}", None))
        return out
    return [(f"{label or '值'}：{_show(old)} → {_show(new)}", None)]


def _keyed(items: tuple) -> bool:
    return bool(items) and all(is_dataclass(x) and any(hasattr(x, k) for k in _KEYED) for x in items)


def _key(x) -> str:
    return next(str(getattr(x, k)) for k in _KEYED if hasattr(x, k))


def _diff_keyed(old: tuple, new: tuple, label: str) -> list[tuple[str, Pos | None]]:
    before = {_key(x): x for x in old}
    after = {_key(x): x for x in new}
    out: list[tuple[str, Pos | None]] = []
    for k, x in after.items():
        was = before.get(k)
        if was is None:
            out.append((f"新增 {_name(x)}", getattr(x, "pos", None)))
        elif was != x:
            if hasattr(x, "item") and hasattr(x, "corrects"):  # a ledger entry: say it as the history does
                text = f"条目“{k}”{describe_fields(was, x, changed_fields(was, x))}"
                out.append((text, getattr(x, "pos", None)))
            else:
                out += [(f"{_name(x)}的{text}", p or getattr(x, "pos", None)) for text, p in diff_values(was, x)]
    out += [(f"删除了 {_name(x)}", None) for k, x in before.items() if k not in after]
    return out


def _name(x) -> str:
    key = _key(x)
    name = getattr(x, "name", "")
    if hasattr(x, "item") and hasattr(x, "corrects"):
        return f"条目“{key}”"
    return f"{name}（{key}）" if name and name != key else f"“{key}”"


_FIELD_WORDS = {
    "status": "身份",
    "exempt": "不纳入积分管理",
    "floating": "流动",
    "name": "姓名",
    "points": "分值",
    "cap": "年度上限",
    "min": "最低分值",
    "max": "最高分值",
    "part": "所属部分",
    "applies_to": "适用类别",
    "caps": "分项上限",
    "base": "基础积分",
    "bonus": "贡献加分",
    "method": "计分方法",
    "group": "分组",
    "category": "类别",
    "publicity": "公示",
    "start": "开始日期",
    "end": "结束日期",
    "appeals": "申辩",
    "confirmed": "确认日期",
    "reviewed": "汇总审核日期",
    "feedback": "逐人反馈日期",
    "ratings": "民主测评",
    "final": "综合评定",
    "grade": "等次",
    "joined": "加入日期",
    "left": "离开日期",
    "changes": "身份变化",
    "narrow": "细化",
    "drop": "删除的项目",
    "items": "积分项目",
    "groups": "分组",
    "members": "党员",
}


def _join(label: str, name: str) -> str:
    word = _FIELD_WORDS.get(name, name)
    return f"{label}{word}" if not label else f"{label}的{word}"


def _show(v) -> str:
    if v is None or v == () or v == "":
        return "（无）"
    if isinstance(v, Enum):
        return str(v.value)
    if isinstance(v, Decimal):
        return fmt_points(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple):
        return "、".join(_show(x) for x in v)
    if is_dataclass(v):
        parts = [
            f"{_FIELD_WORDS.get(f.name, f.name)} {_show(getattr(v, f.name))}"
            for f in fields(v)
            if f.name != "pos" and getattr(v, f.name) not in (None, "", ())
        ]
        return "（" + "，".join(parts) + "）"
    return str(v)
