"""`sitegen publish`: switch a built site live atomically; roll back; list releases."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add(sub) -> None:
    p = sub.add_parser("publish", help="把生成好的网站原子切换上线，保留之前的版本以便回退")
    p.add_argument(
        "paths", nargs="+", metavar="目录", help="SITE DEST：生成好的网站目录和发布目录；回退或列出版本时只写 DEST"
    )
    p.add_argument("--rollback", action="store_true", help="回退到当前版本之前发布的那个版本")
    p.add_argument("--list", action="store_true", help="列出发布过的版本：哪个正在使用、何时发布、数据版本")
    p.add_argument("--keep", type=int, default=3, help="保留最近几个版本（默认 3，至少 2）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.publish import PublishError, publish, releases, rollback

    if args.rollback and args.list or len(args.paths) != (1 if args.rollback or args.list else 2):
        print(
            "sitegen publish：用法是 sitegen publish 网站目录 发布目录，sitegen publish --rollback 发布目录，"
            "或 sitegen publish --list 发布目录。",
            file=sys.stderr,
        )
        return 2
    try:
        if args.list:
            return _print_releases(args.paths[0], releases(Path(args.paths[0])))
        if args.rollback:
            done = rollback(Path(args.paths[0]))
            print(f"已回退：{args.paths[0]}/current 现在指向 {done.release}（原来是 {done.previous}）。")
            return 0
        published = publish(Path(args.paths[0]), Path(args.paths[1]), keep=args.keep)
    except PublishError as exc:
        print(f"sitegen publish：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"sitegen publish：文件操作失败（{exc.strerror}：{exc.filename}），检查发布目录的权限和空间。",
            file=sys.stderr,
        )
        return 1
    dest = args.paths[1]
    print(
        f"已发布：{dest}/current → releases/{published.release}"
        + ("" if published.copied else "（这个版本已经在，直接切换）")
        + (
            f"；上一版 {published.previous} 保留，可用 sitegen publish --rollback {dest} 回退"
            if published.previous
            else ""
        )
        + (f"；清理了 {len(published.pruned)} 个旧版本" if published.pruned else "")
        + "。"
    )
    return 0


def _print_releases(dest: str, found) -> int:
    from datetime import datetime

    print(f"{dest} 发布过的版本（新的在前；--rollback 回到当前版本的下一行）：")
    for release in found:
        try:
            when = datetime.fromisoformat(release.published).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            when = "时间未记录"
        mark = "  ← 当前" if release.current else ""
        print(f"  {release.id}  发布于 {when}  数据版本：{release.version}{mark}")
    if not found:
        print("  （没有）")
    return 0
