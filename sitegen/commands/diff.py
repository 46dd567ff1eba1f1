"""`sitegen diff`: the review report between two versions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sitegen.commands.args import date_arg


def add(sub) -> None:
    p = sub.add_parser("diff", help="审核报告：两个版本之间台账、积分、排名、等次、积分项目和问题的变化")
    p.add_argument("base", help="基准版本，例如 main 或 origin/main（从它与 HEAD 的共同祖先算起）")
    p.add_argument("head", nargs="?", default="HEAD", help="新版本（默认 HEAD）")
    p.add_argument("-C", "--content", default="content", help="内容目录（默认 content）")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown", help="输出格式（默认 markdown）")
    p.add_argument("--today", type=date_arg("2026-01-10"), help="按哪一天检查期限（默认今天）")
    p.add_argument("--no-cache", action="store_true", help="不使用解析缓存")
    p.add_argument("--jobs", type=int, help="并行进程数（默认 CPU 核数）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.history.git import GitError
    from sitegen.review import as_dict, markdown, review

    try:
        result = review(
            Path(args.content),
            args.base,
            args.head,
            today=args.today,
            cache_dir=None if args.no_cache else True,
            jobs=args.jobs,
        )
    except GitError as exc:
        print(f"sitegen diff：{exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(as_dict(result), ensure_ascii=False, indent=2))
    else:
        print(markdown(result))
    return 0
