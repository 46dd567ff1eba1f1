"""`sitegen ledger-template` and `sitegen ledger-import`: the 台账 in Excel, out and back in.

Bad input ends with exit status 1 and the list of problems, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.commands.args import quarter_arg, say_problems

if TYPE_CHECKING:
    from sitegen.model.ledger import Entry


def add(sub) -> None:
    p = sub.add_parser(
        "ledger-template",
        help="生成积分台账 Excel 模板（带下拉选项和填写说明）",
        description="为一个支部、一个年度生成积分台账 Excel 模板：台账、说明、积分项目、党员名单四张表。",
    )
    p.add_argument("content", help="内容目录，例如 content")
    p.add_argument("--branch", required=True, help="支部编号（branches/ 下的文件夹名）")
    p.add_argument("--year", required=True, type=int, help="年度，例如 2026")
    p.add_argument("-o", "--output", required=True, help="写到哪个 .xlsx 文件")
    p.add_argument("--with-entries", action="store_true", help="同时填入台账里已有的条目（把台账导出到 Excel）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖它")
    p.set_defaults(run=run_template)

    p = sub.add_parser(
        "ledger-import",
        help="把填好的台账 Excel 导入支部台账（ledger/q1～q4.yaml）",
        description="读取填好的台账模板，检查每个单元格，把新条目追加到支部台账；有任何错误时整个表格都不写入。",
    )
    p.add_argument("content", help="内容目录，例如 content")
    p.add_argument("xlsx", help="填好的 .xlsx 文件")
    p.add_argument("--branch", required=True, help="支部编号")
    p.add_argument("--year", required=True, type=int, help="年度")
    p.add_argument("--quarter", type=quarter_arg, help="只导入这个季度（1～4）的条目，其他日期报错")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.set_defaults(run=run_import)


def run_template(args: argparse.Namespace) -> int:
    from sitegen.load import load
    from sitegen.xlsxio.template import TemplateError, template

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        print(f"sitegen：输出文件“{out}”应以 .xlsx 结尾。", file=sys.stderr)
        return 1
    if out.exists() and not args.force:
        print(f"sitegen：“{out}”已存在。为避免覆盖已经填写的台账，请换一个文件名，或加 --force 覆盖。", file=sys.stderr)
        return 1
    loaded = load(Path(args.content), restricted=False)
    if loaded.district is None:
        say_problems([p for p in loaded.problems if p.is_error])
        print("内容目录无法读取，请先运行 sitegen check 改正错误。", file=sys.stderr)
        return 1
    district = loaded.district
    entries: tuple[Entry, ...] = ()
    if args.with_entries:
        branch = district.branch(args.branch)
        if branch is not None:
            raw = loaded.ledgers.get((branch.committee_id, branch.id, args.year), [])
            entries = tuple(e for _, e in sorted(raw, key=lambda qe: (qe[1].date, qe[1].id)))
    try:
        data = template(district, args.branch, args.year, entries)
    except TemplateError as exc:
        from sitegen.xlsxio.importer import unreadable_branch

        unreadable = unreadable_branch(loaded.problems, args.branch, args.year, "生成模板")
        if unreadable:
            say_problems(unreadable)
            return 1
        print(f"sitegen：{exc}", file=sys.stderr)
        return 1
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        print(f"sitegen：无法写入“{out}”：{exc.strerror}。", file=sys.stderr)
        return 1
    filled = f"，已填入 {len(entries)} 条已有条目" if args.with_entries else ""
    print(f"已生成台账模板：{out}{filled}。在“台账”表里每行登记一条，填写方法见“说明”表。")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from sitegen.xlsxio.importer import import_ledger

    path = Path(args.xlsx)
    if not path.is_file():
        print(f"sitegen：找不到文件“{path}”。", file=sys.stderr)
        return 1
    result = import_ledger(Path(args.content), args.branch, args.year, path, quarter=args.quarter, dry_run=args.dry_run)
    if not result.ok:
        say_problems(result.problems)
        print(
            f"\n表格里有 {len(result.problems)} 处错误，台账没有任何改动。请按提示（工作表、行、列）改正后重新导入。",
            file=sys.stderr,
        )
        return 1
    say_problems(result.warnings)
    same = f"；{len(result.unchanged)} 条已在台账中，没有重复写入" if result.unchanged else ""
    if not result.added:
        print(f"没有新条目需要导入{same}。")
        return 0
    per_file = Counter(a.file for a in result.added)
    files = "，".join(f"{f}（{n} 条）" for f, n in sorted(per_file.items()))
    if args.dry_run:
        print(f"检查通过：可以导入 {len(result.added)} 条新条目到 {files}{same}。（--dry-run：没有写入）")
        return 0
    print(f"已导入 {len(result.added)} 条新条目：{files}{same}。")
    print("请运行 sitegen check 确认，然后提交（git commit）并发起合并请求。")
    return 0
