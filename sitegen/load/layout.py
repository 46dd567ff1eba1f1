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

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

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


def discover(root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every source file under `root`, in a stable order, and misplaced files as problems."""
    files: list[SourceFile] = []
    problems: list[Problem] = []

    def misplaced(rel: str, hint: str) -> None:
        problems.append(Problem("E101", f"“{rel}”不在约定的位置，不会被读取。", Pos(rel), hint))

    def listdir(rel: str) -> list[str]:
        """The names in a folder worth looking at. Symbolic links and anything that is not
        a regular file or a folder (a device, a named pipe, a socket) are reported and left
        out: a link could publish a file from anywhere (restricted/, /etc) and a device
        or pipe would hang or exhaust the reader; none of them is ever opened."""
        names = []
        with os.scandir(root / rel) as entries:
            for entry in entries:
                n = entry.name
                if n.startswith("_") or temporary(n):
                    continue
                if UNSAFE.search(n):
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
                if entry.is_symlink() or not (
                    entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)
                ):
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
        return sorted(names)

    if not is_file(root / "site.yaml"):
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

    if is_dir(root / "scheme"):
        for name in listdir("scheme"):
            m = _YEAR_FILE.match(name)
            if m:
                files.append(SourceFile(FileKind.SCHEME, f"scheme/{name}", year=int(m.group(1))))
            else:
                misplaced(f"scheme/{name}", "考核表文件按年度命名，例如 scheme/2026.yaml。")
    files += _notices(root, "notices", listdir, misplaced, problems)

    if is_dir(root / "committees"):
        for cid in listdir("committees"):
            crel = f"committees/{cid}"
            if not is_dir(root / crel) or not _ID_DIR.match(cid) or len(cid) > MAX_FOLDER_ID:
                misplaced(crel, "committees/ 下每个党(工)委一个文件夹，文件夹名用英文字母和数字（不超过 64 个）。")
                continue
            files += _committee(root, crel, cid, listdir, misplaced, problems)

    for name in listdir("."):
        if name not in _KNOWN_TOP and name not in _IGNORED_TOP:
            misplaced(
                name,
                "内容目录的第一层只放 site.yaml、scheme/、notices/、committees/、restricted/ 和 theme/；"
                "检查文件夹名是否拼错（例如 committees 写成了 committes）。",
            )

    if is_dir(root / "restricted"):
        for bid in listdir("restricted"):
            brel = f"restricted/{bid}"
            if not is_dir(root / brel):
                misplaced(brel, "restricted/ 下每个支部一个文件夹，以支部编号命名。")
                continue
            for name in listdir(brel):
                m = _YEAR_FILE.match(name)
                if m:
                    files.append(SourceFile(FileKind.RESTRICTED, f"{brel}/{name}", branch=bid, year=int(m.group(1))))
                else:
                    misplaced(f"{brel}/{name}", "不公开记录按年度命名，例如 restricted/<支部编号>/2026.yaml。")
    return files, problems


# A notice's file name becomes its page's (<name>.html, and the build's temporary names
# beside it); a file system allows 255 bytes per name, and Chinese characters take 3.
MAX_NOTICE_NAME_BYTES = 200
MAX_FOLDER_ID = 64  # committee and branch folder names are ids, used in every page's path


_Listdir = Callable[[str], list[str]]
_Misplaced = Callable[[str, str], None]


def _notices(
    root: Path,
    rel: str,
    listdir: _Listdir,
    misplaced: _Misplaced,
    problems: list[Problem],
    committee: str = "",
    branch: str = "",
) -> list[SourceFile]:
    out = []
    if is_dir(root / rel):
        for name in listdir(rel):
            if name.endswith(".md") and is_file(root / rel / name):
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
    root: Path, crel: str, cid: str, listdir: _Listdir, misplaced: _Misplaced, problems: list[Problem]
) -> list[SourceFile]:
    out = []
    if is_file(root / crel / "committee.yaml"):
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
    if is_dir(root / crel / "filings"):
        for name in listdir(f"{crel}/filings"):
            m = _YEAR_FILE.match(name)
            if m:
                out.append(SourceFile(FileKind.FILINGS, f"{crel}/filings/{name}", committee=cid, year=int(m.group(1))))
            else:
                misplaced(f"{crel}/filings/{name}", "审核备案记录按年度命名，例如 filings/2026.yaml。")
    if is_dir(root / crel / "scheme"):
        for name in listdir(f"{crel}/scheme"):
            m = _YEAR_FILE.match(name)
            if m:
                out.append(SourceFile(FileKind.RULES, f"{crel}/scheme/{name}", committee=cid, year=int(m.group(1))))
            else:
                misplaced(f"{crel}/scheme/{name}", "细则文件按年度命名，例如 scheme/2026.yaml。")
    out += _notices(root, f"{crel}/notices", listdir, misplaced, problems, committee=cid)
    if is_dir(root / crel / "branches"):
        for bid in listdir(f"{crel}/branches"):
            brel = f"{crel}/branches/{bid}"
            if not is_dir(root / brel) or not _ID_DIR.match(bid) or len(bid) > MAX_FOLDER_ID:
                misplaced(brel, "branches/ 下每个支部一个文件夹，文件夹名即支部编号（英文字母和数字，不超过 64 个）。")
                continue
            out += _branch(root, brel, cid, bid, listdir, misplaced, problems)
    return out


def _branch(
    root: Path, brel: str, cid: str, bid: str, listdir: _Listdir, misplaced: _Misplaced, problems: list[Problem]
) -> list[SourceFile]:
    out = []
    if is_file(root / brel / "branch.yaml"):
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
    out += _notices(root, f"{brel}/notices", listdir, misplaced, problems, committee=cid, branch=bid)
    for name in listdir(brel):
        if name in ("branch.yaml", "notices"):
            continue
        m = _YEAR.match(name)
        if not m or not is_dir(root / brel / name):
            misplaced(f"{brel}/{name}", "支部文件夹里只放 branch.yaml、notices/ 和年度文件夹（如 2026/）。")
            continue
        out += _branch_year(root, f"{brel}/{name}", int(m.group(1)), cid, bid, listdir, misplaced, problems)
    return out


_YEAR_FILES = {"roster.yaml": FileKind.ROSTER, "scheme.yaml": FileKind.PLAN, "year-end.yaml": FileKind.YEAR_END}


def _branch_year(
    root: Path,
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
        elif name in ("ledger", "quarters") and is_dir(root / rel):
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
    if is_file(root / yrel / "roster.yaml") is False:
        problems.append(
            Problem(
                "E102",
                f"“{yrel}”缺少 roster.yaml（本年度党员名册）。",
                Pos(f"{yrel}/roster.yaml"),
                "每个年度文件夹都要有 roster.yaml。",
            )
        )
    return out
