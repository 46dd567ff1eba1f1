"""`sitegen build`: the 党务公开 site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitegen.commands.args import date_arg


def add(sub) -> None:
    p = sub.add_parser("build", help="生成党务公开网站")
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument("-o", "--output", default="output", help="输出目录（默认 output）")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    p.add_argument("--no-pdf", action="store_true", help="不生成 PDF（只生成网站，速度快）")
    p.add_argument(
        "--no-history",
        action="store_true",
        help="不读 git 历史：不生成变更记录，也不核对已公示的记录（例如浅克隆的仓库）",
    )
    p.add_argument("--today", type=date_arg("2026-01-10"), help="按哪一天生成（哪些公示已开始、期限；默认今天）")
    p.add_argument(
        "--published-info",
        metavar="文件",
        help="正式发布的网站的 build-info.json，用来发现被改写的历史（默认输出目录里的 build-info.json）",
    )
    p.add_argument("--no-cache", action="store_true", help="不使用解析缓存")
    p.add_argument("--jobs", type=int, help="并行进程数（默认 CPU 核数）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.build import build

    output = Path(args.output)
    result = build(
        Path(args.content),
        output,
        quiet=args.quiet,
        jobs=args.jobs,
        cache_dir=None if args.no_cache else True,
        pdf=not args.no_pdf,
        history=not args.no_history,
        today=args.today,
        published_info=Path(args.published_info) if args.published_info else None,
    )
    if not result.ok:
        for p in result.problems:
            print(p.format(), file=sys.stderr)
        if any(p.code.startswith("E97") for p in result.problems):  # the output folder itself: see its message
            print("\n没有生成网站。请按提示处理后再运行。", file=sys.stderr)
        else:
            print(
                f"\n有 {len(result.problems)} 个错误，没有生成网站；{output} 里上一次成功生成的内容保持不变。"
                "请按提示改正后再运行。",
                file=sys.stderr,
            )
        return 1
    if not args.quiet:
        for p in result.problems:
            print(p.format(), file=sys.stderr)
        if result.unchanged:
            print(f"内容和主题都没有变化，{output} 已是最新（{result.pages} 个文件），用时 {result.seconds:.1f} 秒。")
        else:
            print(
                f"已生成 {result.pages} 个文件（重新生成 {result.rendered}，沿用 {result.reused}），"
                f"用时 {result.seconds:.1f} 秒。"
            )
        print(f"用浏览器打开：{(output / 'index.html').resolve()}")
    return 0
