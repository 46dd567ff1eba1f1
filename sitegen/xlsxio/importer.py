"""`import_ledger`: a filled template into the branch's ledger YAML, all or nothing.

    load the content (public files only) → read the sheet → rows to model entries,
    each cell read and checked → ids for rows without one → the ledger rules of
    `check` (sitegen.validate.ledger) over the ledger with them, each problem at its
    cell → the new text of each quarter file →
    the same `check` as `sitegen check`, on a copy of the branch with the new text:
    any error it reports that the copy did not have before rejects the file → write
    every changed quarter file (each replaced atomically).

Nothing is written unless every step passed. Existing entries are never changed: new
ones are appended to ledger/q1..q4.yaml by the quarter of their date (a correction
dated in January of the next year goes to q4, as the ledger rules allow).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen.check import check
from sitegen.load import load
from sitegen.model.ledger import Entry
from sitegen.problems import Pos, Problem
from sitegen.rules.district import branch_scheme
from sitegen.rules.periods import QUARTERS, quarter_name, quarter_of
from sitegen.validate import Locator
from sitegen.validate.ledger import check_ledger
from sitegen.xlsxio import sheet as sheetio
from sitegen.xlsxio.codes import at_cell, at_file
from sitegen.xlsxio.entries import ImportTarget, convert
from sitegen.xlsxio.layout import BY_KEY, COLUMNS
from sitegen.xlsxio.template import TemplateError, find_branch
from sitegen.yamltext import AppendError, append


@dataclass
class Added:
    row: int
    entry_id: str
    file: str  # relative to the content folder


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)  # errors: when any, nothing was written
    warnings: list[Problem] = field(default_factory=list)
    added: list[Added] = field(default_factory=list)
    unchanged: list[tuple[int, str]] = field(default_factory=list)  # (row, entry id) already in the ledger
    written: list[str] = field(default_factory=list)  # files written, relative to the content folder

    @property
    def ok(self) -> bool:
        return not self.problems


def import_ledger(
    content_root,
    branch_id: str,
    year: int,
    xlsx_path,
    *,
    quarter: int | None = None,
    dry_run: bool = False,
    cache_dir=True,
) -> ImportResult:
    """Import the sheet at `xlsx_path` into the branch's ledger for `year`. `quarter`: accept
    only dates in that quarter. `dry_run`: every check, nothing written. `cache_dir` as for
    `sitegen.load.load` (the parse cache is keyed by content, so it is never stale)."""
    root = Path(content_root)
    xlsx_path = Path(xlsx_path)
    result = ImportResult()
    loaded = load(root, cache_dir=cache_dir, restricted=False)
    if loaded.district is None:
        result.problems = [p for p in loaded.problems if p.is_error] or [
            at_file("E906", "内容目录无法读取。", str(root), "先运行 sitegen check 改正错误。")
        ]
        return result
    try:
        committee, branch, by = find_branch(loaded.district, branch_id, year)
    except TemplateError as exc:
        unreadable = unreadable_branch(loaded.problems, branch_id, year, "导入")
        if unreadable:
            result.problems = unreadable
            return result
        result.problems = [at_file("E906", str(exc), str(root), "检查 --branch 和 --year。")]
        return result
    folder = f"committees/{committee.id}/branches/{branch.id}/{year}"
    broken = [
        p
        for p in loaded.problems
        if p.is_error and (p.pos.file.startswith(folder + "/") or p.pos.file.startswith("scheme/"))
    ]
    if broken:
        result.problems = broken + [
            at_file(
                "E906",
                f"{folder} 里的文件有错误，无法安全地追加台账。",
                folder,
                "先运行 sitegen check 按提示改正这些错误，再导入。",
            )
        ]
        return result

    sheet = sheetio.read(xlsx_path)
    result.problems += sheet.problems
    if sheet.branch and (sheet.branch != branch.id or sheet.year != str(year)):
        result.problems.append(
            at_file(
                "E907",
                f"这个表格是为支部“{sheet.branch}” {sheet.year} 年生成的模板，这次导入的是支部“{branch.id}” {year} 年。",
                xlsx_path.name,
                "检查 --branch 和 --year，或者用 sitegen ledger-template 为这个支部和年度生成模板。",
            )
        )
    if result.problems and not sheet.rows:
        return result

    scheme, _ = branch_scheme(loaded.district, committee, branch, year)
    existing = loaded.ledgers.get((committee.id, branch.id, year), [])
    ctx = ImportTarget(
        year=year,
        scheme=scheme,
        members=by.members,
        existing=existing,
        quarter=quarter,
    )
    converted = convert(sheet, ctx)
    result.unchanged = converted.unchanged
    entries = _with_ids(converted.entries, existing, year)
    # the ledger rules over every row read well, except corrections of rows that were not
    # (their target's own problem is reported; "it does not exist" would only mislead)
    ruled = [(row, e) for row, e in entries if e.corrects not in converted.failed_ids]
    found = converted.problems + _rule_problems(branch, by, scheme, existing, ruled, year, sheet.label)
    result.problems += sorted(found, key=lambda p: (p.pos.line, p.pos.col))
    if result.problems or not entries:
        return result
    texts, rows_at = _new_texts(root, folder, entries, xlsx_path.name, branch.info.short_name, year, result)
    if result.problems:
        return result
    result.problems += _check_copy(root, committee.id, branch.id, texts, rows_at, sheet.label)
    if result.problems:
        return result
    result.warnings += _published_warnings(by, entries, sheet.label)
    if dry_run:
        return result
    for rel, text in texts.items():
        _write_atomically(root / rel, text)
        result.written.append(rel)
    return result


def unreadable_branch(problems: list[Problem], branch_id: str, year: int, doing: str) -> list[Problem]:
    """When the branch year cannot be found: the errors in its files, and E909 after them.

    A roster or branch.yaml that cannot be read (GBK, a YAML error) makes the branch year
    look absent; say what is wrong with the file, not that it does not exist. Empty when
    its files have no error (the branch or year really is not there)."""
    found = [
        p
        for p in problems
        if p.is_error
        and (
            f"/branches/{branch_id}/{year}/" in p.pos.file
            or p.pos.file.endswith(f"/branches/{branch_id}/branch.yaml")
            or p.pos.file == f"scheme/{year}.yaml"
        )
    ]
    if not found:
        return []
    return found + [
        at_file(
            "E909",
            f"支部“{branch_id}” {year} 年的文件有错误（见上），读不出名册或考核表，无法{doing}。",
            found[0].pos.file,
            f"按上面的提示改正这些文件（例如把 GBK 编码另存为 UTF-8），再{doing}。",
        )
    ]


class _SheetCells(Locator):
    """Where the ledger rules' problems stand in the sheet, for `check_ledger`: an entry
    read from the sheet is at its row (Pos(label, row)), and its field `key` at that row's
    cell in the column for `key`. Entries already in the ledger keep their positions."""

    def __init__(self, label: str):
        super().__init__(Path("."))
        self.label = label

    def find(self, at: Pos, *path) -> Pos:
        if at.file != self.label or not path or path[0] not in BY_KEY:
            return at
        return Pos(self.label, at.line, BY_KEY[path[0]].index)


def _rule_problems(branch, by, scheme, existing, entries, year: int, label: str) -> list[Problem]:
    """The ledger rules of `check` (sitegen.validate.ledger) over the ledger with the new
    entries, each problem about a new entry at its cell (or its row)."""
    raw = list(existing) + [(file_quarter(e, year), e) for _, e in entries]
    out = []
    for p in check_ledger(branch, by, scheme, raw, _SheetCells(label)):
        if p.pos.file != label:
            continue  # about an entry already in the ledger: `check` says it, not the import
        column = next((c for c in COLUMNS if c.index == p.pos.col), None)
        where = column.label() if column is not None else f"第 {p.pos.line} 行"
        col = column.index if column is not None else BY_KEY["id"].index
        out.append(at_cell(p.code, p.message, label, p.pos.line, col, where, p.hint + _FIELD_NAMES))
    return out


_FIELD_NAMES = "（提示里的英文字段名对应台账表的列：date 日期，item 积分项目，members 党员，points 分值……）"


def _with_ids(rows: list[tuple[int, Entry]], existing: list[tuple[int, Entry]], year: int) -> list[tuple[int, Entry]]:
    """Rows without 编号 get the next `<year>-NNN` after the highest one in use."""
    used = {e.id for _, e in existing} | {e.id for _, e in rows if e.id}
    pattern = re.compile(rf"^{year}-(\d+)\Z")
    numbers = [int(m.group(1)) for i in used if (m := pattern.match(i))]
    width = max([3] + [len(m.group(1)) for i in used if (m := pattern.match(i))])
    n = max(numbers, default=0)
    out = []
    for row, e in rows:
        if not e.id:
            n += 1
            while f"{year}-{n:0{width}d}" in used:
                n += 1
            e = replace(e, id=f"{year}-{n:0{width}d}")
            used.add(e.id)
        out.append((row, e))
    return out


def file_quarter(e: Entry, year: int) -> int:
    return quarter_of(e.date) if e.date.year == year else 4


def _new_texts(root: Path, folder: str, entries, source_name: str, short_name: str, year: int, result: ImportResult):
    texts: dict[str, str] = {}
    rows_at: dict[str, list[tuple[int, int, int]]] = {}  # file -> (first line, last line, sheet row)
    for q in QUARTERS:
        mine = [(row, e) for row, e in entries if file_quarter(e, year) == q]
        if not mine:
            continue
        rel = f"{folder}/ledger/q{q}.yaml"
        path = root / rel
        existing = path.read_bytes().decode("utf-8") if path.exists() else None
        comment = f"以下 {len(mine)} 条由 sitegen ledger-import 从“{source_name}”导入"
        header = f"# {short_name} {year}年{quarter_name(q)}积分台账"
        try:
            out = append(existing, [e for _, e in mine], comment, header)
        except AppendError as exc:
            result.problems.append(
                at_file(
                    "E906",
                    f"无法在 {rel} 末尾追加条目：{exc}。",
                    rel,
                    "把这个文件改成“entries:”下每条以“- id:”开头的形式（参照其他季度的台账），"
                    "运行 sitegen check 确认无误后再导入。",
                )
            )
            continue
        texts[rel] = out.text
        rows_at[rel] = [(a, b, row) for (a, b), (row, _) in zip(out.spans, mine)]
        for row, e in mine:
            result.added.append(Added(row, e.id, rel))
    return texts, rows_at


def _copy_for_check(root: Path, dest: Path, committee_id: str, branch_id: str) -> None:
    """What checking one branch's ledger needs: the district's files, the committee's
    own files and the branch's folder. Other branches and restricted/ are not copied."""
    dest.mkdir(parents=True)
    if (root / "site.yaml").is_file():
        shutil.copy2(root / "site.yaml", dest / "site.yaml")
    if (root / "scheme").is_dir():
        shutil.copytree(root / "scheme", dest / "scheme")
    cdir = root / "committees" / committee_id
    cdest = dest / "committees" / committee_id
    cdest.mkdir(parents=True)
    for name in ("committee.yaml",):
        if (cdir / name).is_file():
            shutil.copy2(cdir / name, cdest / name)
    if (cdir / "scheme").is_dir():
        shutil.copytree(cdir / "scheme", cdest / "scheme")
    shutil.copytree(cdir / "branches" / branch_id, cdest / "branches" / branch_id)


def _key(p: Problem) -> tuple:
    return (p.code, p.pos.file, p.message)


def _check_copy(
    root: Path, committee_id: str, branch_id: str, texts: dict[str, str], rows_at, label: str
) -> list[Problem]:
    """The errors `check` finds with the new text that it did not find without it, each
    at the sheet row it came from when it is in an appended entry."""
    with tempfile.TemporaryDirectory(prefix="sitegen-import-") as tmp:
        before_dir, after_dir = Path(tmp) / "before", Path(tmp) / "after"
        _copy_for_check(root, before_dir, committee_id, branch_id)
        _copy_for_check(root, after_dir, committee_id, branch_id)
        for rel, text in texts.items():
            (after_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (after_dir / rel).write_text(text, "utf-8")
        before = {_key(p) for p in check(before_dir, cache_dir=None, restricted=False).errors}
        after = check(after_dir, cache_dir=None, restricted=False).errors
    out = []
    for p in after:
        if _key(p) in before:
            continue
        row = next((r for a, b, r in rows_at.get(p.pos.file, []) if a <= p.pos.line <= b), None)
        if row is None:
            out.append(p)
        else:
            out.append(
                at_cell(
                    p.code,
                    p.message,
                    label,
                    row,
                    BY_KEY["id"].index,
                    f"第 {row} 行",
                    p.hint + "（这是导入后运行 sitegen check 发现的问题，提示里的字段名对应台账表的列。）",
                )
            )
    return out


def _published_warnings(by, entries, label: str) -> list[Problem]:
    """New ordinary entries in a quarter whose 公示 has started change published points:
    one warning per quarter, at its first row."""
    rows: dict[int, list[int]] = {}
    for row, e in entries:
        q = file_quarter(e, by.year)
        record = by.quarters.get(q)
        if not e.corrects and record is not None and record.publicity is not None:
            rows.setdefault(q, []).append(row)
    out = []
    for q, numbers in sorted(rows.items()):
        start = by.quarters[q].publicity.start
        shown = "、".join(str(n) for n in numbers[:8]) + ("等" if len(numbers) > 8 else "")
        out.append(
            at_cell(
                "W901",
                f"{len(numbers)} 条新条目（第 {shown} 行）补记到已经公示的{quarter_name(q)}"
                f"（{start} 起公示），会改变已公示的积分。",
                label,
                numbers[0],
                BY_KEY["date"].index,
                BY_KEY["date"].label(),
                "更正已公示的记录应当写成更正条目（填“更正条目编号”和“更正理由”）；"
                "如果是迁移历史台账，可以忽略这条提醒。",
            )
        )
    return out


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
