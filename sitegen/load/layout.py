"""Where each kind of file lives in a content folder.

    site.yaml                                   the district
    scheme/<year>.yaml                          district standard scheme (考核表)
    notices/*.md                                district notices
    committees/<c>/committee.yaml               a 党(工)委
    committees/<c>/filings/<year>.yaml          its 审核备案 of the branches' quarterly reports
    committees/<c>/scheme/<year>.yaml           its 细则 (optional)
    committees/<c>/notices/*.md
    committees/<c>/branches/<b>/branch.yaml     a 党支部
    committees/<c>/branches/<b>/notices/*.md
    committees/<c>/branches/<b>/<year>/roster.yaml
    committees/<c>/branches/<b>/<year>/scheme.yaml        年初设定积分项目
    committees/<c>/branches/<b>/<year>/ledger/q1..q4.yaml 台账, by quarter of the date
    committees/<c>/branches/<b>/<year>/quarters/q1..q4.yaml 季度审核、申辩、公示
    committees/<c>/branches/<b>/<year>/year-end.yaml       民主测评、综合评定
    restricted/<b>/<year>.yaml                  谈话、帮教、督促提醒 and other private data

A pull request for one branch's quarter touches files under that branch's folder (and
its restricted file) only, so two branches' changes can never conflict.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

from sitegen.problems import UNSAFE, Pos, Problem, visible

_YEAR = re.compile(r"^(20\d\d)\Z")
_YEAR_FILE = re.compile(r"^(20\d\d)\.yaml\Z")
_QUARTER_FILE = re.compile(r"^q([1-4])\.yaml\Z")
_ID_DIR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
# Top-level names: those the model reads, and those that belong to the content
# repository but not to the model (hidden files such as .git are skipped anyway).
_KNOWN_TOP = {"site.yaml", "scheme", "notices", "committees", "restricted", "theme"}
_IGNORED_TOP = {"README.md", "README", "README.txt", "LICENSE", "CHANGELOG.md"}


# What Windows Explorer and macOS Finder leave in every folder they show (thumbnails,
# folder settings, resource forks): never content, wherever they are.
_SYSTEM_FILES = {
    "thumbs.db",
    "ehthumbs.db",
    "ehthumbs_vista.db",
    "desktop.ini",
    ".ds_store",
    "icon\r",
    ".localized",
    "$recycle.bin",
    "system volume information",
}


def system_file(name: str) -> bool:
    """Files an operating system leaves behind (`Thumbs.db`, `desktop.ini`, `.DS_Store`,
    macOS's `._x`): ignored everywhere, like editors' temporary files."""
    return name.lower() in _SYSTEM_FILES or name.startswith("._")


def is_file(path: Path) -> bool:
    """A regular file, itself (a symbolic link to one is not: links are never followed)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    """A folder, itself (a symbolic link to one is not)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def temporary(name: str) -> bool:
    """Hidden files, editors' temporary files (`.x.swp`, `x~`, `x.tmp`) and what operating
    systems leave behind (`system_file`): not content, not part of a theme, and saving them
    is not a change anybody means (serve ignores them)."""
    return name.startswith((".", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp")) or system_file(name)


class FileKind(StrEnum):
    """What a content file holds (by where it is: see the module's table). Each kind parses
    to one model type (`sitegen.load.parse`)."""

    SITE = "site"  # site.yaml: DistrictInfo
    SCHEME = "scheme"  # scheme/<year>.yaml: DistrictScheme
    COMMITTEE = "committee"  # committee.yaml: CommitteeInfo
    RULES = "rules"  # a committee's scheme/<year>.yaml: CommitteeRules
    FILINGS = "filings"  # a committee's filings/<year>.yaml: Filings
    BRANCH = "branch"  # branch.yaml: BranchInfo
    ROSTER = "roster"  # <year>/roster.yaml: Roster
    PLAN = "plan"  # <year>/scheme.yaml: BranchPlan
    LEDGER = "ledger"  # <year>/ledger/q<n>.yaml: LedgerFile
    QUARTER = "quarter"  # <year>/quarters/q<n>.yaml: QuarterRecord
    YEAR_END = "year_end"  # <year>/year-end.yaml: YearEnd
    NOTICE = "notice"  # notices/*.md: Notice
    RESTRICTED = "restricted"  # restricted/<b>/<year>.yaml: RestrictedYear


@dataclass(frozen=True, slots=True)
class SourceFile:
    kind: FileKind
    path: str  # relative to the content folder, with '/'
    committee: str = ""
    branch: str = ""
    year: int = 0
    quarter: int = 0


def facts(st: os.stat_result) -> tuple[int, ...]:
    """A folder's status as the layout cache compares it (sitegen.load.layoutcache)."""
    return (st.st_mode, st.st_size, st.st_nlink, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


_OK, _SKIP, _UNSAFE = 0, 1, 2
_NAMES: dict[str, int] = {}  # a name's verdict (the same few names recur in every branch's folders)


def _verdict(name: str) -> int:
    if name.startswith("_") or temporary(name):
        return _SKIP
    return _UNSAFE if UNSAFE.search(name) else _OK


class _Folders:
    """Each folder of a content tree listed once (os.scandir: the type of every entry
    comes with the listing, no stat per entry), for `discover`: which names it holds,
    which of them are files or folders (never through a symbolic link), and the
    problems its listing found (reported each time the folder is listed, as before)."""

    def __init__(self, root: Path, layout: Any = None):
        self.root = root
        self._base = os.fspath(root)
        self._prefix = os.path.join(self._base, "")
        self._flat: dict[str, os.DirEntry] = {}  # every entry listed so far, by its path below the root
        self._listed: dict[str, tuple[list[str], dict[str, os.DirEntry], list[Problem]]] = {}
        # the layout cache (sitegen.load.layoutcache.LayoutCache), or None: then each
        # folder's status is taken before it is listed, and the folders listed, in order
        self.layout = layout
        self.recording = False  # within a unit's walk, with a layout cache
        self.order: list[tuple[str, Any]] = []
        self.failed = 0  # folders that could not be listed (a unit with one is not kept)

    def _list(self, rel: str) -> tuple[list[str], dict[str, os.DirEntry], list[Problem]]:
        found = self._listed.get(rel)
        if found is not None:
            return found
        names: list[str] = []
        entries: dict[str, os.DirEntry] = {}
        problems: list[Problem] = []
        flat, prefix = self._flat, "" if rel == "." else rel + "/"
        where = self._base if rel == "." else os.path.join(self._base, rel)
        try:
            if self.recording:  # its status before its listing: any change after it is seen next time
                self.order.append((rel, facts(os.lstat(where))))
            listing = os.scandir(where)
        except OSError:
            self.failed += 1
            raise
        with listing:
            for entry in listing:
                n = entry.name
                entries[n] = entry
                flat[prefix + n] = entry
                verdict = _NAMES.get(n)
                if verdict is None:
                    if len(_NAMES) > 100_000:
                        _NAMES.clear()
                    verdict = _NAMES[n] = _verdict(n)
                if verdict == _SKIP:
                    continue
                if verdict == _UNSAFE:
                    path = visible(n if rel == "." else f"{rel}/{n}")
                    problems.append(
                        Problem(
                            "E018",
                            f"“{path}”的名称里有看不见的控制字符或格式字符，不会被读取。",
                            Pos(path),
                            "重新命名这个文件或文件夹，只用看得见的文字。",
                        )
                    )
                    continue
                if not (entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)):
                    # a symbolic link (to anything), a device, a pipe or a socket
                    if rel == "." and n == "theme":
                        continue  # the theme's own checks report it (E963), with the theme's other files
                    path = n if rel == "." else f"{rel}/{n}"
                    what = "符号链接（快捷方式）" if entry.is_symlink() else "特殊文件（设备、管道或套接字）"
                    problems.append(
                        Problem(
                            "E104",
                            f"“{path}”是{what}，不是普通文件或文件夹，不会被读取。",
                            Pos(path),
                            "内容目录里只放普通文件和文件夹：删除它，把真正的文件复制到这里。",
                        )
                    )
                    continue
                names.append(n)
        found = self._listed[rel] = (sorted(names), entries, problems)
        return found

    def entry(self, rel: str) -> os.DirEntry | None:
        """The listing's entry for `rel` (a path below the root), None if its folder has no
        such name; OSError if the folder cannot be listed."""
        found = self._flat.get(rel)
        if found is not None:
            return found
        parent, _, name = rel.rpartition("/")
        return self._list(parent or ".")[1].get(name)

    def is_file(self, rel: str) -> bool:
        """A regular file, itself (as layout.is_file)."""
        try:
            entry = self.entry(rel)
        except OSError:
            return is_file(self.root / rel)
        return entry is not None and entry.is_file(follow_symlinks=False)

    def is_dir(self, rel: str) -> bool:
        """A folder, itself (as layout.is_dir)."""
        try:
            entry = self.entry(rel)
        except OSError:
            return is_dir(self.root / rel)
        return entry is not None and entry.is_dir(follow_symlinks=False)

    def stat(self, rel: str) -> os.stat_result | None:
        """The file's own status (lstat), from its listing entry (one lstat, kept), or (a
        file of a unit taken from the layout cache: its folder not listed) an lstat."""
        try:
            entry = self._flat.get(rel)
            return entry.stat(follow_symlinks=False) if entry is not None else os.lstat(self._prefix + rel)
        except OSError:
            return None

    def restricted_key(self, bids: list[str]) -> str | None:
        """With a layout cache: one hash of the name and status (lstat, taken before any
        of them is listed) of each folder in restricted/ (`bids`: its names), or None when
        one of them changed in the two seconds before this scan began (racy) or cannot be
        looked at. Nothing else of restricted/ goes into it, nor into the cache."""
        layout = self.layout
        if layout is None:
            return None
        h = hashlib.sha256()
        stamp = layout.stamp
        for bid in bids:
            rel = f"restricted/{bid}"
            entry = self._flat.get(rel)
            if entry is None or not entry.is_dir(follow_symlinks=False):
                continue  # (reported by the listing of restricted/ itself, every run)
            try:
                found = facts(os.lstat(self._prefix + rel))
            except OSError:
                return None
            if found[3] >= stamp or found[4] >= stamp:
                return None
            h.update(os.fsencode(bid) + b"\0" + repr(found).encode() + b"\n")
        return h.hexdigest()

    def unit(self, rel: str, walk: Callable[[], list[SourceFile]], problems: list[Problem]) -> list[SourceFile]:
        """The source files of folder `rel` as `walk` finds them (adding its problems to
        `problems`), or as it found them last time, from the layout cache, if no folder it
        listed has changed since (sitegen.load.layoutcache)."""
        layout = self.layout
        if layout is None:
            return walk()
        kept = layout.take(rel)
        if kept is not None:
            problems += kept[1]
            return kept[0]
        before, listed, failed = len(problems), len(self.order), self.failed
        self.recording = True
        try:
            files = walk()
        finally:
            self.recording = False
        if self.failed == failed:
            layout.put(rel, self.order[listed:], files, problems[before:])
        return files


def discover(
    root: Path, stats: dict[str, os.stat_result] | None = None, layout: Any = None, *, restricted: bool = True
) -> tuple[list[SourceFile], list[Problem]]:
    """Every source file under `root`, in a stable order, and misplaced files as problems.
    `stats`, if given, receives each source file's own status (lstat, links not followed),
    taken while listing: the scan's stat cache compares it with the last run's. `layout`
    (a sitegen.load.layoutcache.LayoutCache): a branch folder none of whose folders changed
    since the last scan is not listed again, its files and problems taken from there.
    `restricted=False` (the restricted records are not wanted: a build): with a layout
    cache, restricted/'s folders are not listed when every one of them is as it was when
    their listing last found nothing to report (LayoutCache.quiet_restricted) — their
    records would be left out, and there is nothing else to find; the problems are the same."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    folders = _Folders(root, layout)

    def misplaced(rel: str, hint: str) -> None:
        problems.append(Problem("E101", f"“{rel}”不在约定的位置，不会被读取。", Pos(rel), hint))

    def listdir(rel: str) -> list[str]:
        """The names in a folder worth looking at. Symbolic links and anything that is not
        a regular file or a folder (a device, a named pipe, a socket) are reported and left
        out: a link could publish a file from anywhere (restricted/, /etc) and a device
        or pipe would hang or exhaust the reader; none of them is ever opened."""
        names, _, found = folders._list(rel)
        problems.extend(found)
        return list(names)

    files += _discover(folders, listdir, misplaced, problems, restricted)
    if stats is not None:
        # (not the restricted records': never in the stat cache, the scan reads them each time)
        private, stat = FileKind.RESTRICTED, folders.stat
        for sf in files:
            if sf.kind is not private:
                st = stat(sf.path)
                if st is not None:
                    stats[sf.path] = st
    return files, problems


def _discover(
    folders: _Folders, listdir: _Listdir, misplaced: _Misplaced, problems: list[Problem], wanted: bool = True
) -> list[SourceFile]:
    files: list[SourceFile] = []
    is_file, is_dir = folders.is_file, folders.is_dir

    if not is_file("site.yaml"):
        problems.append(
            Problem(
                "E102",
                "缺少 site.yaml（全区基本信息）。",
                Pos("site.yaml"),
                "在内容目录根部建立 site.yaml，写明 name 和 organization。",
            )
        )
    else:
        files.append(SourceFile(FileKind.SITE, "site.yaml"))

    if is_dir("scheme"):
        for name in listdir("scheme"):
            m = _YEAR_FILE.match(name)
            if m:
                files.append(SourceFile(FileKind.SCHEME, f"scheme/{name}", year=int(m.group(1))))
            else:
                misplaced(f"scheme/{name}", "考核表文件按年度命名，例如 scheme/2026.yaml。")
    files += _notices(folders, "notices", listdir, misplaced, problems)

    if is_dir("committees"):
        for cid in listdir("committees"):
            crel = f"committees/{cid}"
            if not is_dir(crel) or not _ID_DIR.match(cid) or len(cid) > MAX_FOLDER_ID:
                misplaced(crel, "committees/ 下每个党(工)委一个文件夹，文件夹名用英文字母和数字（不超过 64 个）。")
                continue
            files += _committee(folders, crel, cid, listdir, misplaced, problems)

    for name in listdir("."):
        if name not in _KNOWN_TOP and name not in _IGNORED_TOP:
            misplaced(
                name,
                "内容目录的第一层只放 site.yaml、scheme/、notices/、committees/、restricted/ 和 theme/；"
                "检查文件夹名是否拼错（例如 committees 写成了 committes）。",
            )

    if is_dir("restricted"):
        bids = listdir("restricted")
        layout = folders.layout
        key = folders.restricted_key(bids)
        quiet = not wanted and key is not None and layout.quiet_restricted(key)
        reported = False  # a problem found in one of its folders
        for bid in bids:
            brel = f"restricted/{bid}"
            if not is_dir(brel):
                misplaced(brel, "restricted/ 下每个支部一个文件夹，以支部编号命名。")
                continue
            if quiet:
                continue  # as it was when nothing was found in it: its records are not wanted
            before = len(problems)
            for name in listdir(brel):
                m = _YEAR_FILE.match(name)
                if m:
                    files.append(SourceFile(FileKind.RESTRICTED, f"{brel}/{name}", branch=bid, year=int(m.group(1))))
                else:
                    misplaced(f"{brel}/{name}", "不公开记录按年度命名，例如 restricted/<支部编号>/2026.yaml。")
            reported = reported or len(problems) > before
        if layout is not None:
            layout.restricted(key if quiet or not reported else None)
    return files


# A notice's file name becomes its page's (<name>.html, and the build's temporary names
# beside it); a file system allows 255 bytes per name, and Chinese characters take 3.
MAX_NOTICE_NAME_BYTES = 200
MAX_FOLDER_ID = 64  # committee and branch folder names are ids, used in every page's path


_Listdir = Callable[[str], list[str]]
_Misplaced = Callable[[str, str], None]


def _notices(
    folders: _Folders,
    rel: str,
    listdir: _Listdir,
    misplaced: _Misplaced,
    problems: list[Problem],
    committee: str = "",
    branch: str = "",
) -> list[SourceFile]:
    out = []
    if folders.is_dir(rel):
        for name in listdir(rel):
            if name.endswith(".md") and folders.is_file(f"{rel}/{name}"):
                if len(name.encode("utf-8")) > MAX_NOTICE_NAME_BYTES:
                    problems.append(
                        Problem(
                            "E022",
                            f"通知的文件名太长（{len(name.encode('utf-8'))} 字节，最多 {MAX_NOTICE_NAME_BYTES} 字节，"
                            f"约 {MAX_NOTICE_NAME_BYTES // 3} 个汉字），生成网页时无法用作文件名。",
                            Pos(f"{rel}/{name}"),
                            "把文件名改短，例如 2026-04-10-学习安排.md；完整的标题写在文件头的 title 里。",
                        )
                    )
                    continue
                out.append(SourceFile(FileKind.NOTICE, f"{rel}/{name}", committee=committee, branch=branch))
            else:
                misplaced(f"{rel}/{name}", "通知是 .md 文件，直接放在 notices/ 文件夹里。")
    return out


def _committee(
    folders: _Folders, crel: str, cid: str, listdir: _Listdir, misplaced: _Misplaced, problems: list[Problem]
) -> list[SourceFile]:
    out = []
    if folders.is_file(f"{crel}/committee.yaml"):
        out.append(SourceFile(FileKind.COMMITTEE, f"{crel}/committee.yaml", committee=cid))
    else:
        problems.append(
            Problem(
                "E102",
                f"党(工)委文件夹“{crel}”里缺少 committee.yaml。",
                Pos(f"{crel}/committee.yaml"),
                "建立 committee.yaml，写明 name 和 short_name。",
            )
        )
    for name in listdir(crel):
        if name in ("committee.yaml", "branches", "notices", "scheme", "filings"):
            continue
        misplaced(f"{crel}/{name}", "党(工)委文件夹里只放 committee.yaml、scheme/、filings/、notices/ 和 branches/。")
    if folders.is_dir(f"{crel}/filings"):
        for name in listdir(f"{crel}/filings"):
            m = _YEAR_FILE.match(name)
            if m:
                out.append(SourceFile(FileKind.FILINGS, f"{crel}/filings/{name}", committee=cid, year=int(m.group(1))))
            else:
                misplaced(f"{crel}/filings/{name}", "审核备案记录按年度命名，例如 filings/2026.yaml。")
    if folders.is_dir(f"{crel}/scheme"):
        for name in listdir(f"{crel}/scheme"):
            m = _YEAR_FILE.match(name)
            if m:
                out.append(SourceFile(FileKind.RULES, f"{crel}/scheme/{name}", committee=cid, year=int(m.group(1))))
            else:
                misplaced(f"{crel}/scheme/{name}", "细则文件按年度命名，例如 scheme/2026.yaml。")
    out += _notices(folders, f"{crel}/notices", listdir, misplaced, problems, committee=cid)
    if folders.is_dir(f"{crel}/branches"):
        for bid in listdir(f"{crel}/branches"):
            brel = f"{crel}/branches/{bid}"
            if not folders.is_dir(brel) or not _ID_DIR.match(bid) or len(bid) > MAX_FOLDER_ID:
                misplaced(brel, "branches/ 下每个支部一个文件夹，文件夹名即支部编号（英文字母和数字，不超过 64 个）。")
                continue
            walk = partial(_branch, folders, brel, cid, bid, listdir, misplaced, problems)
            out += folders.unit(brel, walk, problems)
    return out


def _branch(
    folders: _Folders, brel: str, cid: str, bid: str, listdir: _Listdir, misplaced: _Misplaced, problems: list[Problem]
) -> list[SourceFile]:
    out = []
    if folders.is_file(f"{brel}/branch.yaml"):
        out.append(SourceFile(FileKind.BRANCH, f"{brel}/branch.yaml", committee=cid, branch=bid))
    else:
        problems.append(
            Problem(
                "E102",
                f"支部文件夹“{brel}”里缺少 branch.yaml。",
                Pos(f"{brel}/branch.yaml"),
                "建立 branch.yaml，写明 name、short_name、category 和 leader。",
            )
        )
    out += _notices(folders, f"{brel}/notices", listdir, misplaced, problems, committee=cid, branch=bid)
    for name in listdir(brel):
        if name in ("branch.yaml", "notices"):
            continue
        m = _YEAR.match(name)
        if not m or not folders.is_dir(f"{brel}/{name}"):
            misplaced(f"{brel}/{name}", "支部文件夹里只放 branch.yaml、notices/ 和年度文件夹（如 2026/）。")
            continue
        out += _branch_year(folders, f"{brel}/{name}", int(m.group(1)), cid, bid, listdir, misplaced, problems)
    return out


_YEAR_FILES = {"roster.yaml": FileKind.ROSTER, "scheme.yaml": FileKind.PLAN, "year-end.yaml": FileKind.YEAR_END}


def _branch_year(
    folders: _Folders,
    yrel: str,
    year: int,
    cid: str,
    bid: str,
    listdir: _Listdir,
    misplaced: _Misplaced,
    problems: list[Problem],
) -> list[SourceFile]:
    out = []
    for name in listdir(yrel):
        rel = f"{yrel}/{name}"
        if name in _YEAR_FILES:
            out.append(SourceFile(_YEAR_FILES[name], rel, committee=cid, branch=bid, year=year))
        elif name in ("ledger", "quarters") and folders.is_dir(rel):
            kind = FileKind.LEDGER if name == "ledger" else FileKind.QUARTER
            for qname in listdir(rel):
                m = _QUARTER_FILE.match(qname)
                if m:
                    out.append(
                        SourceFile(
                            kind, f"{rel}/{qname}", committee=cid, branch=bid, year=year, quarter=int(m.group(1))
                        )
                    )
                else:
                    misplaced(f"{rel}/{qname}", f"{name}/ 里的文件按季度命名：q1.yaml、q2.yaml、q3.yaml、q4.yaml。")
        else:
            misplaced(rel, "年度文件夹里只放 roster.yaml、scheme.yaml、ledger/、quarters/ 和 year-end.yaml。")
    if folders.is_file(f"{yrel}/roster.yaml") is False:
        problems.append(
            Problem(
                "E102",
                f"“{yrel}”缺少 roster.yaml（本年度党员名册）。",
                Pos(f"{yrel}/roster.yaml"),
                "每个年度文件夹都要有 roster.yaml。",
            )
        )
    return out
