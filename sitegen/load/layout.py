"""Where each kind of file lives in a content folder.

    site.yaml                                   the district
    scheme/<year>.yaml                          district standard scheme (考核表)
    notices/*.md                                district notices
    committees/<c>/committee.yaml               a 党(工)委
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
from dataclasses import dataclass
from pathlib import Path

from sitegen.problems import Pos, Problem

_YEAR = re.compile(r"^(20\d\d)$")
_YEAR_FILE = re.compile(r"^(20\d\d)\.yaml$")
_QUARTER_FILE = re.compile(r"^q([1-4])\.yaml$")
_ID_DIR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Top-level names: those the model reads, and those that belong to the content
# repository but not to the model (hidden files such as .git are skipped anyway).
_KNOWN_TOP = {"site.yaml", "scheme", "notices", "committees", "restricted", "theme"}
_IGNORED_TOP = {"README.md", "README", "README.txt", "LICENSE", "CHANGELOG.md"}


def temporary(name: str) -> bool:
    """Hidden files and editors' temporary files (`.x.swp`, `x~`, `x.tmp`): not content,
    not part of a theme, and saving them is not a change anybody means (serve ignores them)."""
    return name.startswith((".", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


@dataclass(frozen=True, slots=True)
class SourceFile:
    kind: str  # site, scheme, committee, rules, branch, roster, plan, ledger, quarter, year_end, notice, restricted
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
        return sorted(n for n in os.listdir(root / rel) if not n.startswith("_") and not temporary(n))

    if not (root / "site.yaml").is_file():
        problems.append(Problem("E102", "缺少 site.yaml（全区基本信息）。", Pos("site.yaml"),
                                "在内容目录根部建立 site.yaml，写明 name 和 organization。"))
    else:
        files.append(SourceFile("site", "site.yaml"))

    if (root / "scheme").is_dir():
        for name in listdir("scheme"):
            m = _YEAR_FILE.match(name)
            if m:
                files.append(SourceFile("scheme", f"scheme/{name}", year=int(m.group(1))))
            else:
                misplaced(f"scheme/{name}", "考核表文件按年度命名，例如 scheme/2026.yaml。")
    files += _notices(root, "notices", listdir, misplaced)

    if (root / "committees").is_dir():
        for cid in listdir("committees"):
            crel = f"committees/{cid}"
            if not (root / crel).is_dir() or not _ID_DIR.match(cid):
                misplaced(crel, "committees/ 下每个党(工)委一个文件夹，文件夹名用英文字母和数字。")
                continue
            files += _committee(root, crel, cid, listdir, misplaced, problems)

    for name in listdir("."):
        if name not in _KNOWN_TOP and name not in _IGNORED_TOP:
            misplaced(name, "内容目录的第一层只放 site.yaml、scheme/、notices/、committees/、restricted/ 和 theme/；"
                            "检查文件夹名是否拼错（例如 committees 写成了 committes）。")

    if (root / "restricted").is_dir():
        for bid in listdir("restricted"):
            brel = f"restricted/{bid}"
            if not (root / brel).is_dir():
                misplaced(brel, "restricted/ 下每个支部一个文件夹，以支部编号命名。")
                continue
            for name in listdir(brel):
                m = _YEAR_FILE.match(name)
                if m:
                    files.append(SourceFile("restricted", f"{brel}/{name}", branch=bid, year=int(m.group(1))))
                else:
                    misplaced(f"{brel}/{name}", "不公开记录按年度命名，例如 restricted/<支部编号>/2026.yaml。")
    return files, problems


def _notices(root, rel, listdir, misplaced, **keys) -> list[SourceFile]:
    out = []
    if (root / rel).is_dir():
        for name in listdir(rel):
            if name.endswith(".md") and (root / rel / name).is_file():
                out.append(SourceFile("notice", f"{rel}/{name}", **keys))
            else:
                misplaced(f"{rel}/{name}", "通知是 .md 文件，直接放在 notices/ 文件夹里。")
    return out


def _committee(root, crel, cid, listdir, misplaced, problems) -> list[SourceFile]:
    out = []
    if (root / crel / "committee.yaml").is_file():
        out.append(SourceFile("committee", f"{crel}/committee.yaml", committee=cid))
    else:
        problems.append(Problem("E102", f"党(工)委文件夹“{crel}”里缺少 committee.yaml。",
                                Pos(f"{crel}/committee.yaml"), "建立 committee.yaml，写明 name 和 short_name。"))
    for name in listdir(crel):
        if name in ("committee.yaml", "branches", "notices", "scheme"):
            continue
        misplaced(f"{crel}/{name}", "党(工)委文件夹里只放 committee.yaml、scheme/、notices/ 和 branches/。")
    if (root / crel / "scheme").is_dir():
        for name in listdir(f"{crel}/scheme"):
            m = _YEAR_FILE.match(name)
            if m:
                out.append(SourceFile("rules", f"{crel}/scheme/{name}", committee=cid, year=int(m.group(1))))
            else:
                misplaced(f"{crel}/scheme/{name}", "细则文件按年度命名，例如 scheme/2026.yaml。")
    out += _notices(root, f"{crel}/notices", listdir, misplaced, committee=cid)
    if (root / crel / "branches").is_dir():
        for bid in listdir(f"{crel}/branches"):
            brel = f"{crel}/branches/{bid}"
            if not (root / brel).is_dir() or not _ID_DIR.match(bid):
                misplaced(brel, "branches/ 下每个支部一个文件夹，文件夹名即支部编号（英文字母和数字）。")
                continue
            out += _branch(root, brel, cid, bid, listdir, misplaced, problems)
    return out


def _branch(root, brel, cid, bid, listdir, misplaced, problems) -> list[SourceFile]:
    out = []
    keys = {"committee": cid, "branch": bid}
    if (root / brel / "branch.yaml").is_file():
        out.append(SourceFile("branch", f"{brel}/branch.yaml", **keys))
    else:
        problems.append(Problem("E102", f"支部文件夹“{brel}”里缺少 branch.yaml。", Pos(f"{brel}/branch.yaml"),
                                "建立 branch.yaml，写明 name、short_name、category 和 leader。"))
    out += _notices(root, f"{brel}/notices", listdir, misplaced, **keys)
    for name in listdir(brel):
        if name in ("branch.yaml", "notices"):
            continue
        m = _YEAR.match(name)
        if not m or not (root / brel / name).is_dir():
            misplaced(f"{brel}/{name}", "支部文件夹里只放 branch.yaml、notices/ 和年度文件夹（如 2026/）。")
            continue
        out += _branch_year(root, f"{brel}/{name}", int(m.group(1)), keys, listdir, misplaced, problems)
    return out


_YEAR_FILES = {"roster.yaml": "roster", "scheme.yaml": "plan", "year-end.yaml": "year_end"}


def _branch_year(root, yrel, year, keys, listdir, misplaced, problems) -> list[SourceFile]:
    out = []
    for name in listdir(yrel):
        rel = f"{yrel}/{name}"
        if name in _YEAR_FILES:
            out.append(SourceFile(_YEAR_FILES[name], rel, year=year, **keys))
        elif name in ("ledger", "quarters") and (root / rel).is_dir():
            kind = "ledger" if name == "ledger" else "quarter"
            for qname in listdir(rel):
                m = _QUARTER_FILE.match(qname)
                if m:
                    out.append(SourceFile(kind, f"{rel}/{qname}", year=year, quarter=int(m.group(1)), **keys))
                else:
                    misplaced(f"{rel}/{qname}", f"{name}/ 里的文件按季度命名：q1.yaml、q2.yaml、q3.yaml、q4.yaml。")
        else:
            misplaced(rel, "年度文件夹里只放 roster.yaml、scheme.yaml、ledger/、quarters/ 和 year-end.yaml。")
    if (root / yrel / "roster.yaml").is_file() is False:
        problems.append(Problem("E102", f"“{yrel}”缺少 roster.yaml（本年度党员名册）。", Pos(f"{yrel}/roster.yaml"),
                                "每个年度文件夹都要有 roster.yaml。"))
    return out
