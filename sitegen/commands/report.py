"""`sitegen report`: the half-year report of each quarter's points management, in Excel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitegen.commands.args import say_problems


def add(sub) -> None:
    p = sub.add_parser(
        "report",
        help="上报区委组织部的各季度积分管理情况（6月底、12月底），Excel",
        description="按实施意见，各党(工)委于每年6月、12月底前将各季度积分管理情况汇总上报："
        "为全区和每个党(工)委各生成一份 Excel（各支部的程序日期、申辩、按期情况；"
        "党员各季度积分、年初至今、排名），只统计报告日期前已开始公示的季度。",
    )
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument("--year", type=int, required=True, help="年度")
    p.add_argument(
        "--half", type=int, choices=[1, 2], required=True, help="1：上半年（截至6月30日）；2：下半年（截至12月31日）"
    )
    p.add_argument("-o", "--output", required=True, help="写到哪个目录")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.check import check
    from sitegen.render.xlsx.quarterly import quarterly_bytes, report_date
    from sitegen.render.xlsx.report import DISTRICT, Scope

    as_of = report_date(args.year, args.half)
    report = check(Path(args.content), today=as_of, restricted=False)
    district = report.loaded.district
    if report.errors or district is None:
        say_problems(report.errors)
        print(f"\n内容有 {len(report.errors)} 个错误，没有生成报告。请先按提示改正（sitegen check）。", file=sys.stderr)
        return 1
    if args.year not in report.years:
        print(f"sitegen：没有 {args.year} 年的积分记录。", file=sys.stderr)
        return 1
    result = report.years[args.year]
    half = "上半年" if args.half == 1 else "下半年"
    out = Path(args.output)
    files = {f"{district.info.name}-{args.year}年{half}各季度积分管理情况.xlsx": DISTRICT}
    files.update(
        {
            f"{c.info.short_name}-{args.year}年{half}各季度积分管理情况.xlsx": Scope("committee", c.id)
            for c in district.committees
        }
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, scope in files.items():
            (out / name).write_bytes(quarterly_bytes(district, result, scope, args.half, as_of))
    except OSError as exc:
        print(f"sitegen：无法写入“{out}”：{exc.strerror}。", file=sys.stderr)
        return 1
    print(f"已生成 {len(files)} 份{args.year}年{half}各季度积分管理情况（截至 {as_of}），写入 {out}。")
    return 0
