"""`sitegen reminders`: the internal list of members behind on points (督促提醒名单)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitegen.commands.args import date_arg, say_problems


def add(sub) -> None:
    p = sub.add_parser(
        "reminders",
        help="督促提醒名单：积分落后的党员（内部材料，不公开）",
        description="按最近一个已开始公示的季度，列出年初至今积分低于进度（默认 60 分按季度均摊）"
        "或有一票否决事项的党员，写成 Excel，供支部书记督促提醒。名单不公开，"
        "不能写进内容目录或网站输出目录。",
    )
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument("--branch", required=True, help="支部编号")
    p.add_argument("--year", type=int, help="年度（默认最近的年度）")
    p.add_argument("--today", type=date_arg("2026-01-10"), help="按哪一天（哪些公示已开始；默认今天）")
    p.add_argument("-o", "--output", required=True, help="写到哪个 .xlsx 文件（内容目录和网站目录以外）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.reminders import RemindersError, make

    try:
        made = make(Path(args.content), args.branch, Path(args.output), year=args.year, today=args.today)
    except RemindersError as exc:
        say_problems(exc.problems)
        print("没有生成督促提醒名单。", file=sys.stderr)
        return 1
    print(
        f"已生成督促提醒名单（内部材料，不公开）：{made.path}，{len(made.rows)} 人，"
        f"依据第{'一二三四'[made.quarter - 1]}季度已公示的积分。"
    )
    return 0
