"""`sitegen serve`: local preview that rebuilds and reloads on save."""

from __future__ import annotations

import argparse
from pathlib import Path

from sitegen.commands.args import date_arg


def add(sub) -> None:
    p = sub.add_parser("serve", help="本地预览：生成网站并在保存文件后自动刷新页面")
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument("-o", "--output", default="output", help="输出目录（默认 output）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--poll", action="store_true", help="用轮询代替文件系统通知（网络盘、WSL 上使用）")
    p.add_argument("--pdf", action="store_true", help="同时生成 PDF（较慢）")
    p.add_argument("--no-history", action="store_true", help="不生成变更记录（例如浅克隆的仓库）")
    p.add_argument("--jobs", type=int, help="并行进程数（默认 CPU 核数）")
    p.add_argument(
        "--today", type=date_arg("2026-01-10"), help="按哪一天预览（哪些公示已开始、期限；默认北京时间今天）"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.serve import serve

    return serve(
        Path(args.content),
        Path(args.output),
        args.host,
        args.port,
        poll=args.poll,
        pdf=args.pdf,
        history=not args.no_history,
        jobs=args.jobs,
        today=args.today,
    )
