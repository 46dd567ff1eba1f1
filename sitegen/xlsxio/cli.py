"""Commands for the xlsx route: ledger-template, ledger-import and stats.

`add_commands(subparsers)` adds them to sitegen's command line; each subparser carries
its handler as `run`. `main()` runs them on their own (`python -m sitegen.xlsxio.cli`).
Messages are Chinese; bad input ends with exit status 1 and the list of problems,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2026-07-15 的形式，而不是“{text}”") from None


def _quarter(text: str) -> int:
    if text in ("1", "2", "3", "4"):
        return int(text)
    raise argparse.ArgumentTypeError(f"季度是 1、2、3 或 4，而不是“{text}”")


def add_commands(sub) -> None:
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
    p.set_defaults(run=cmd_template)

    p = sub.add_parser(
        "ledger-import",
        help="把填好的台账 Excel 导入支部台账（ledger/q1～q4.yaml）",
        description="读取填好的台账模板，检查每个单元格，把新条目追加到支部台账；有任何错误时整个表格都不写入。",
    )
    p.add_argument("content", help="内容目录，例如 content")
    p.add_argument("xlsx", help="填好的 .xlsx 文件")
    p.add_argument("--branch", required=True, help="支部编号")
    p.add_argument("--year", required=True, type=int, help="年度")
    p.add_argument("--quarter", type=_quarter, help="只导入这个季度（1～4）的条目，其他日期报错")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser(
        "stats",
        help="生成统计表（一）（二）Excel 文件（全区、各党(工)委、各支部）",
        description="按年度生成上半年和年度的统计表（一）（二）：全区、各党(工)委、各支部各一份；只统计已公示的数据。",
    )
    p.add_argument("content", help="内容目录，例如 content")
    p.add_argument("--year", type=int, help="年度（默认最近的年度）")
    p.add_argument("-o", "--output", required=True, help="写到哪个目录")
    p.add_argument("--date", type=_date, help="表上的填表日期（默认今天）")
    p.set_defaults(run=cmd_stats)


def _say_problems(problems, stream=sys.stderr) -> None:
    for p in problems:
        print(p.format(), file=stream)


def cmd_template(args) -> int:
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
        _say_problems([p for p in loaded.problems if p.is_error])
        print("内容目录无法读取，请先运行 sitegen check 改正错误。", file=sys.stderr)
        return 1
    district = loaded.district
    entries = ()
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
            _say_problems(unreadable)
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


def cmd_import(args) -> int:
    from sitegen.xlsxio.importer import import_ledger

    path = Path(args.xlsx)
    if not path.is_file():
        print(f"sitegen：找不到文件“{path}”。", file=sys.stderr)
        return 1
    result = import_ledger(Path(args.content), args.branch, args.year, path, quarter=args.quarter, dry_run=args.dry_run)
    if not result.ok:
        _say_problems(result.problems)
        print(
            f"\n表格里有 {len(result.problems)} 处错误，台账没有任何改动。请按提示（工作表、行、列）改正后重新导入。",
            file=sys.stderr,
        )
        return 1
    _say_problems(result.warnings)
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


def cmd_stats(args) -> int:
    from sitegen.check import check
    from sitegen.render.xlsx import xlsx_files

    report = check(Path(args.content), restricted=False)
    if report.errors or report.loaded.district is None:
        _say_problems(report.errors)
        print(
            f"\n内容有 {len(report.errors)} 个错误，没有生成统计表。请先按提示改正（sitegen check）。", file=sys.stderr
        )
        return 1
    years = report.years
    if not years:
        print("sitegen：内容目录里没有任何年度的积分记录。", file=sys.stderr)
        return 1
    year = args.year or max(years)
    if year not in years:
        have = "、".join(str(y) for y in sorted(years))
        print(f"sitegen：没有 {year} 年的积分记录（已有年度：{have}）。", file=sys.stderr)
        return 1
    files = xlsx_files(report.loaded.district, {year: years[year]}, args.date or date.today())
    out = Path(args.output)
    prefix = f"{year}/xlsx/"
    try:
        for rel, data in sorted(files.items()):
            target = out / rel[len(prefix) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:
        print(f"sitegen：无法写入“{out}”：{exc.strerror}。", file=sys.stderr)
        return 1
    if not files:
        print(f"{year} 年还没有已公示的数据（第一、二季度都公示后才有上半年统计表），没有生成文件。")
        return 0
    print(
        f"已生成 {len(files)} 个统计表，写入 {out}/：district-*（全区）、c/（各党(工)委）、b/（各支部）；"
        "stats1 为统计表（一），stats2 为统计表（二），h1 为上半年，year 为年度。"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    from sitegen.cli import _Parser

    parser = _Parser(prog="sitegen", description="党员积分管理 · Excel 台账与统计表")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    add_commands(sub)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
