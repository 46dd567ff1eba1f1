"""`sitegen stats`: 统计表（一）（二） in Excel for the district, each committee and branch."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sitegen.commands.args import date_arg, say_problems


def add(sub) -> None:
    p = sub.add_parser(
        "stats",
        help="生成统计表（一）（二）Excel 文件（全区、各党(工)委、各支部）",
        description="按年度生成上半年和年度的统计表（一）（二）：全区、各党(工)委、各支部各一份；只统计已公示的数据。",
    )
    p.add_argument("content", help="内容目录，例如 content")
    p.add_argument("--year", type=int, help="年度（默认最近的年度）")
    p.add_argument("-o", "--output", required=True, help="写到哪个目录")
    p.add_argument("--date", type=date_arg("2026-07-15"), help="表上的填表日期（默认今天）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.check import check
    from sitegen.render.xlsx import xlsx_files

    report = check(Path(args.content), restricted=False)
    if report.errors or report.loaded.district is None:
        say_problems(report.errors)
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
