"""`sitegen report`: the reports upward — each quarter's points management by the end of
June and of December, and the annual results by 10 January — as Excel and PDF (the logic
is in sitegen/upward.py)."""

from __future__ import annotations

import argparse


def add(sub) -> None:
    p = sub.add_parser(
        "report",
        help="上报区委组织部的各季度积分管理情况（6月底、12月底）和年度结果（次年1月10日），Excel 和 PDF",
        description="按实施意见，各党(工)委于每年6月、12月底前将各季度积分管理情况汇总上报："
        "为全区和每个党(工)委各生成一份 Excel 和同样内容的 PDF（各支部的程序日期、申辩、按期情况；"
        "党员各季度积分、年初至今、排名），只统计报告日期前已开始公示的季度。"
        "--annual：次年1月10日前上报的年度评定结果（统计表（一）（二））。",
    )
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument("--year", type=int, required=True, help="年度")
    p.add_argument("--half", type=int, choices=[1, 2], help="1：上半年（截至6月30日）；2：下半年（截至12月31日）")
    p.add_argument("--annual", action="store_true", help="年度评定结果（统计表（一）（二），截至次年1月10日）")
    p.add_argument("-o", "--output", required=True, help="写到哪个目录")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.upward import run_report

    return run_report(args)
