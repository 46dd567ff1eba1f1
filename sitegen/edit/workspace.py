"""One branch's year as the editor sees it: try a change in memory, check it, save it.

A change is a set of whole-file texts (path relative to the content folder → new text),
made by the text writers in :mod:`sitegen.edit.yamledit`. It is put through the same
`check` as `sitegen check` on a copy of the last scan with those files' bytes replaced —
nothing is written — with the memo `serve` uses, so only the touched branch is checked
again. Problems the change brings (those not there before it) refuse the save; the
effect on each member's points is computed from the two scored results.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sitegen.check import Report, build_day, check
from sitegen.contentlock import content_lock
from sitegen.load import Scan, rescan, scan
from sitegen.load.layout import FileKind, SourceFile
from sitegen.memo import Memo
from sitegen.model.scored import BranchYearResult
from sitegen.model.site import Branch, BranchYear
from sitegen.problems import Problem

_QFILE = re.compile(r"^(ledger|quarters)/q([1-4])\.yaml\Z")
_YEAR_FILES = {"roster.yaml": FileKind.ROSTER, "scheme.yaml": FileKind.PLAN, "year-end.yaml": FileKind.YEAR_END}


class EditorError(Exception):
    """Something the editor cannot do; the message is Chinese and says what to do."""


@dataclass
class Effect:
    """One member's points before → after a change."""

    member: str
    name: str
    quarter: int
    quarter_before: Decimal
    quarter_after: Decimal
    year_before: Decimal
    year_after: Decimal
    rank_before: int | None
    rank_after: int | None
    capped: bool = False  # the item's (or its group's, or the part's) cap took some of the points
    # by category across the committee and the district (sitegen.rules.district, as the site
    # shows them): None until every branch of the pool has published its year end
    committee_before: int | None = None
    committee_after: int | None = None
    district_before: int | None = None
    district_after: int | None = None

    @property
    def cross_ranks(self) -> bool:
        return any(
            x is not None
            for x in (self.committee_before, self.committee_after, self.district_before, self.district_after)
        )


@dataclass
class Trial:
    """A change checked in memory: the problems it brings, and its effect."""

    changes: dict[str, str]
    new_problems: list[Problem]
    report: Report
    effects: list[Effect] = field(default_factory=list)
    scanned: Scan | None = None  # the scan the change was checked as: the state once it is saved

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.new_problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def _key(p: Problem) -> tuple:
    return (p.code, p.pos.file, p.message)


@dataclass(frozen=True)
class Saved:
    """One file as a save wrote it: what another workspace needs to take it in unread."""

    source: SourceFile
    raw: bytes
    digest: str


class Changes:
    """The files the editor's workspaces saved, in order, shared by every workspace of one
    server: on its next request each workspace takes in what the others saved (another
    branch's secretary, on a shared server) — their points move committee and district
    ranks and floating members — without reading the district again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._log: list[tuple[int, dict[str, Saved]]] = []
        self._readers: dict[int, int] = {}  # workspace -> the last save it took in
        self.seq = 0

    def join(self, reader: object, seen: int) -> None:
        with self._lock:
            self._readers[id(reader)] = seen

    def add(self, files: dict[str, Saved]) -> int:
        with self._lock:
            self.seq += 1
            self._log.append((self.seq, files))
            return self.seq

    def since(self, seq: int, reader: object = None) -> tuple[int, dict[str, Saved]]:
        """(the latest number, the files saved after `seq`, the last save of each winning).
        What every workspace has taken in is forgotten: the log does not grow for ever."""
        with self._lock:
            out: dict[str, Saved] = {}
            for n, files in self._log:
                if n > seq:
                    out.update(files)
            if reader is not None and id(reader) in self._readers:
                self._readers[id(reader)] = self.seq
                oldest = min(self._readers.values())
                self._log = [(n, files) for n, files in self._log if n > oldest]
            return self.seq, out

    def __len__(self) -> int:
        return len(self._log)


def _git_index(root: Path) -> Path | None:
    """The index of the git repository holding `root` (a pull or checkout rewrites it)."""
    for folder in (root, *root.parents):
        if (folder / ".git").is_dir():
            return folder / ".git" / "index"
    return None


def _stamp(path: Path | None) -> tuple[int, int] | None:
    try:
        st = path.stat() if path else None
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size) if st else None


class Workspace:
    """The content folder and one branch in it, for the editor's request threads."""

    def __init__(
        self,
        root: Path,
        branch_id: str,
        year: int | None = None,
        today: date | None = None,
        history: bool = True,
        changes: Changes | None = None,
    ):
        self.root = Path(root).resolve()
        self.changes = changes if changes is not None else Changes()
        self._seen = self.changes.seq
        self._index = _git_index(self.root)
        self._index_stamp = _stamp(self._index)
        self.history = history
        self.today = today
        self.memo = Memo()
        self.lock = threading.RLock()  # one trial or save at a time
        self._scan: Scan | None = None
        self._report: Report | None = None
        self._stats: dict[str, tuple[int, int]] = {}
        self._keys: tuple[Report, Counter] | None = None
        self._pinned = 0  # > 0: inside a request that already looked at the files
        self._looked = False
        self._scan = scan(self.root, restricted=True)
        report = self._report = self._check(self._scan)
        _settle()
        district = report.loaded.district
        branch = district.branch(branch_id) if district else None
        if branch is None:
            raise EditorError(f"内容目录里没有编号为“{branch_id}”的支部。检查 --branch 的写法（支部文件夹的名字）。")
        self.branch_id = branch_id
        self.committee_id = branch.committee_id
        self._stats = self._branch_files()
        if year is None:
            if not branch.years:
                raise EditorError(f"支部“{branch_id}”还没有任何年度文件夹。先建立年度文件夹和 roster.yaml。")
            year = max(branch.years)
        if year not in branch.years:
            raise EditorError(f"支部“{branch_id}”没有 {year} 年的记录（缺少 {year}/roster.yaml）。")
        self.year = year
        self.changes.join(self, self._seen)

    # -- where things are --------------------------------------------------------------

    @property
    def folder(self) -> str:
        return f"committees/{self.committee_id}/branches/{self.branch_id}"

    @property
    def year_folder(self) -> str:
        return f"{self.folder}/{self.year}"

    def ledger_path(self, quarter: int) -> str:
        return f"{self.year_folder}/ledger/q{quarter}.yaml"

    def quarter_path(self, quarter: int) -> str:
        return f"{self.year_folder}/quarters/q{quarter}.yaml"

    @property
    def restricted_path(self) -> str:
        """The branch's private record of the year (appeal reasons, talks): never published."""
        return f"restricted/{self.branch_id}/{self.year}.yaml"

    @property
    def notices_folder(self) -> str:
        """The branch's notices (通知、公告): one Markdown file each, published on its pages."""
        return f"{self.folder}/notices"

    @property
    def scheme_path(self) -> str:
        """The branch's own scheme of the year (年初设定积分项目)."""
        return f"{self.year_folder}/scheme.yaml"

    @property
    def roster_path(self) -> str:
        return f"{self.year_folder}/roster.yaml"

    def owns(self, path: str) -> bool:
        """Whether `path` (relative to the content folder) is one of this branch's files."""
        parts = path.split("/")
        if ".." in parts or path.startswith("/"):
            return False
        return path.startswith(self.folder + "/") or path.startswith(f"restricted/{self.branch_id}/")

    # -- the current state ---------------------------------------------------------------

    def report(self, full: bool = False) -> Report:
        """The check of the files as they are on disk now, on every page. The whole folder
        is scanned at the start, when `full` (the home page) and when the git index changed
        (a pull or checkout); otherwise this branch's files are looked at (their size and
        time) and those that changed are read again, and what the server's other workspaces
        saved since the last request is taken in from them — a district of 1,000 branches
        is not re-read on every request."""
        with self.lock:
            if self._pinned and self._looked and self._report is not None and not full:
                return self._report  # looked at once in this request: a page asks many times
            self._looked = True
            stamp = _stamp(self._index)
            if self._scan is None or self._report is None or full or stamp != self._index_stamp:
                self._index_stamp = stamp
                return self._rescan(None)
            seq, others = self.changes.since(self._seen, self)
            self._seen = seq
            others = {p: f for p, f in others.items() if self._scan.hashes.get(p) != f.digest}
            if others:
                self._scan = _merged(self._scan, others)
                self._report = None
            now = self._branch_files()
            if now != self._stats:
                changed = sorted(p for p in set(now) | set(self._stats) if now.get(p) != self._stats.get(p))
                return self._rescan(changed)
            if self._report is None:
                self._report = self._check(self._scan)
            return self._report

    @contextmanager
    def request(self) -> Iterator[None]:
        """One request: the files are looked at (sizes and times, the others' saves) once,
        at its first question, not at each of the many a page asks."""
        with self.lock:
            self._pinned += 1
            try:
                yield
            finally:
                self._pinned -= 1
                if not self._pinned:
                    self._looked = False

    def _rescan(self, changed: list[str] | None) -> Report:
        scanned = rescan(self._scan, [(p, False) for p in changed]) if self._scan and changed is not None else None
        self._stats = self._branch_files()
        self._scan = scanned or scan(self.root, restricted=True)
        self._report = self._check(self._scan)
        if scanned is None:
            _settle()
        return self._report

    def _branch_files(self) -> dict[str, tuple[int, int]]:
        """This branch's files (its folder and its restricted/ folder): path → (mtime, size)."""
        out: dict[str, tuple[int, int]] = {}
        for top in (self.folder, f"restricted/{self.branch_id}"):
            for folder, _dirs, names in os.walk(self.root / top):
                for name in names:
                    full = Path(folder) / name
                    try:
                        st = full.lstat()
                    except OSError:
                        continue
                    out[full.relative_to(self.root).as_posix()] = (st.st_mtime_ns, st.st_size)
        return out

    def branch(self, report: Report | None = None) -> Branch:
        report = report or self.report()
        district = report.loaded.district
        found = district.branch(self.branch_id) if district else None
        if found is None:
            raise EditorError("支部的文件有错误，暂时读不出来。运行 sitegen check 查看并改正。")
        return found

    def branch_year(self, report: Report | None = None) -> BranchYear:
        by = self.branch(report).years.get(self.year)
        if by is None:
            raise EditorError(f"{self.year} 年的名册读不出来。运行 sitegen check 查看并改正。")
        return by

    def result(self, report: Report | None = None) -> BranchYearResult | None:
        report = report or self.report()
        yr = report.years.get(self.year)
        return yr.branches.get(self.branch_id) if yr else None

    def text(self, path: str) -> str | None:
        """A file's text as it is on disk (None: no such file yet)."""
        full = self.root / path
        if not full.is_file():
            return None
        return full.read_bytes().decode("utf-8")

    # -- trying and saving -----------------------------------------------------------------

    def _check(self, scanned: Scan, root: Path | None = None) -> Report:
        today = build_day(self.today)
        report = check(
            root or self.root,
            today=today,
            cache_dir=False,
            restricted=True,
            scanned=scanned,
            memo=self.memo,
        )
        if self.history:
            # what git history shows (E10xx: a published quarter's numbers changed), asked of the
            # real folder's repository with the checked version's model, as `sitegen check` does
            from sitegen.history.frozen import check_history

            loaded = dataclasses.replace(report.loaded, root=self.root)
            found = check_history(loaded, today, None, False, report.years)
            report.problems = sorted(dict.fromkeys(report.problems + found), key=Problem.sort_key)
        return report

    def trial(self, changes: dict[str, str]) -> Trial:
        """`changes` checked as if saved, without writing anything."""
        for path in changes:
            if not self.owns(path):
                raise EditorError(f"“{path}”不是本支部的文件，不能修改。")
        with self.lock:
            before = self.report()
            assert self._scan is not None
            base = self._scan
            sources = list(base.sources)
            known = {sf.path for sf in sources}
            raw = dict(base.raw)
            hashes = dict(base.hashes)
            for path, text in changes.items():
                data = text.encode("utf-8")
                if path not in known:
                    sources.append(self._source(path))
                raw[path] = data
                hashes[path] = hashlib.sha256(data).hexdigest()
            scanned = Scan(self.root, sources, list(base.problems), raw, hashes)
            if any(path.endswith(".md") for path in changes):
                # the one check that reads a file from the folder rather than the scan's bytes
                # (where a notice's date line is, for W801/W802) is given a folder with the new text
                with tempfile.TemporaryDirectory(prefix="sitegen-edit-") as tmp:
                    shadow = _shadow(self.root, Path(tmp), changes)
                    after = self._check(Scan(shadow, sources, list(base.problems), raw, hashes), shadow)
                after.loaded = dataclasses.replace(after.loaded, root=self.root)
            else:
                # every other check reads the bytes of the scan (Loaded.raw, the Locator): the
                # change is in them, and nothing on disk is looked at — no folder to make
                after = self._check(scanned)
        old = self._baseline(before)
        new = []
        for p in after.problems:
            if old[_key(p)] > 0:
                old[_key(p)] -= 1
            else:
                new.append(p)
        trial = Trial(changes, new, after, scanned=scanned)
        trial.effects = self._effects(before, after)
        return trial

    def _baseline(self, before: Report) -> Counter:
        """The problems of the current state, counted by what they say (not by line: an
        insertion moves the lines below it); kept while the state is the same."""
        if self._keys is None or self._keys[0] is not before:
            self._keys = (before, Counter(_key(p) for p in before.problems))
        return Counter(self._keys[1])

    def _source(self, path: str) -> SourceFile:
        if path == self.restricted_path:
            return SourceFile(FileKind.RESTRICTED, path, branch=self.branch_id, year=self.year)
        if (
            path.startswith(self.notices_folder + "/")
            and path.endswith(".md")
            and path.count("/") == self.notices_folder.count("/") + 1
        ):
            return SourceFile(FileKind.NOTICE, path, committee=self.committee_id, branch=self.branch_id)
        keys = {"committee": self.committee_id, "branch": self.branch_id, "year": self.year}
        rest = path[len(self.year_folder) + 1 :] if path.startswith(self.year_folder + "/") else ""
        m = _QFILE.match(rest)
        if m:
            kind = FileKind.LEDGER if m.group(1) == "ledger" else FileKind.QUARTER
            return SourceFile(kind, path, quarter=int(m.group(2)), **keys)  # type: ignore[arg-type]
        if rest in _YEAR_FILES:
            return SourceFile(_YEAR_FILES[rest], path, **keys)  # type: ignore[arg-type]
        raise EditorError(f"编辑器不会新建“{path}”这样的文件。")

    def save(self, trial: Trial) -> None:
        """Write a checked change: each file atomically, and only if it is still as it was
        when the change was made from it."""
        if not trial.ok:
            raise EditorError("这次修改有错误，没有保存。")
        # a change's files are written together, under the content folder's lock: a build
        # or check reading the folder meanwhile (it holds the lock shared) sees all of them
        # or none, and nothing else writes between the check below and the writes
        with self.lock, content_lock(self.root, exclusive=True):
            assert self._scan is not None
            for path in trial.changes:
                full = self.root / path
                on_disk = hashlib.sha256(full.read_bytes()).hexdigest() if full.is_file() else None
                if on_disk != self._scan.hashes.get(path):
                    raise EditorError(f"“{path}”在编辑期间被别的程序改过了，没有保存。请重新打开表单再填一次。")
            for path, text in trial.changes.items():
                atomic_write(self.root / path, text.encode("utf-8"))
            # what was checked is now what is on disk: the next request starts from it
            self._scan, self._report = trial.scanned, trial.report
            self._stats = self._branch_files()
            assert trial.scanned is not None
            sources = {sf.path: sf for sf in trial.scanned.sources}
            saved = {
                path: Saved(sources[path], trial.scanned.raw[path], trial.scanned.hashes[path])
                for path in trial.changes
            }
            seq = self.changes.add(saved)
            if self._seen == seq - 1:  # nobody else saved in between: this one is taken in already
                self._seen = seq

    # -- the effect ------------------------------------------------------------------------

    def _effects(self, before: Report, after: Report) -> list[Effect]:
        old, new = self.result(before), self.result(after)
        if old is None or new is None:
            return []
        effects = []
        olds = {r.member.id: r for r in old.members}
        for r in new.members:
            was = olds.get(r.member.id)
            if was is None or not r.quarters or not was.quarters:
                continue
            if was.lines == r.lines:
                continue
            changed = [ln for ln in r.lines if ln not in was.lines]
            q = changed[-1].quarter if changed else 4
            recorded = sum((ln.points for ln in changed if not ln.reversal), Decimal(0))
            qb, qa = _quarter_sum(was.quarters[q - 1].points), _quarter_sum(r.quarters[q - 1].points)
            yb = was.quarters[-1].total
            ya = r.quarters[-1].total
            effects.append(
                Effect(
                    r.member.id,
                    r.member.name,
                    q,
                    qb,
                    qa,
                    yb,
                    ya,
                    was.quarters[q - 1].rank,
                    r.quarters[q - 1].rank,
                    capped=abs(qa - qb) < recorded,
                    committee_before=getattr(was, "rank_committee", None),
                    committee_after=getattr(r, "rank_committee", None),
                    district_before=getattr(was, "rank_district", None),
                    district_after=getattr(r, "rank_district", None),
                )
            )
        return effects


def _settle() -> None:
    """After the whole district was read: its million objects live as long as the editor,
    so the collector is told to leave them be (gc.freeze). Otherwise every so often a full
    collection walks them all — seconds, inside whichever save happens to trigger it.
    What was frozen before is thawed first, so a district read again is not kept twice."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _merged(base: Scan, files: dict[str, Saved]) -> Scan:
    """`base` with the files another workspace saved: their new bytes, and new files added."""
    sources = list(base.sources)
    known = {sf.path for sf in sources}
    raw, hashes = dict(base.raw), dict(base.hashes)
    for path, f in files.items():
        if path not in known:
            sources.append(f.source)
        raw[path] = f.raw
        hashes[path] = f.digest
    return Scan(base.root, sources, list(base.problems), raw, hashes)


def _shadow(root: Path, tmp: Path, changes: dict[str, str]) -> Path:
    """A folder that reads like `root` with `changes` saved: the folders on the way to a
    changed file are real, holding copies of their files and links to their other folders;
    everything else is a link into `root`. Only the notices' date-line lookup of `check`
    reads a file from the folder instead of the scan's bytes: a notice's change needs it."""
    shadow = tmp / "content"
    real: set[str] = {""}
    for path in changes:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            real.add("/".join(parts[:i]))
    for rel in sorted(real):
        here = shadow / rel if rel else shadow
        here.mkdir(parents=True, exist_ok=True)
        src = root / rel if rel else root
        if not src.is_dir():
            continue
        for child in os.scandir(src):
            child_rel = f"{rel}/{child.name}" if rel else child.name
            if child_rel in real:
                continue
            if child.is_dir(follow_symlinks=False):
                os.symlink(child.path, here / child.name, target_is_directory=True)
            elif child.is_file(follow_symlinks=False):
                (here / child.name).write_bytes(Path(child.path).read_bytes())
    for path, text in changes.items():
        (shadow / path).write_bytes(text.encode("utf-8"))
    return shadow


def _quarter_sum(p) -> Decimal:
    return p.base + p.bonus - p.deduction


def atomic_write(path: Path, data: bytes) -> None:
    """Write next to the file and rename over it: a reader sees the old bytes or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".sitegen-edit-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
