"""`sitegen check`: every error and reminder in a content folder."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sitegen.commands.args import date_arg


def add(sub) -> None:
    p = sub.add_parser("check", help="检查内容目录，报告所有错误和提醒")
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument(
        "--format",
        choices=["text", "json", "github", "gitlab", "junit"],
        default="text",
        help="输出格式：text、json，或给 CI 用的 github（Gitea/GitHub Actions 标注）、gitlab（代码质量报告）、junit",
    )
    p.add_argument("--today", type=date_arg("2026-01-10"), help="按哪一天检查期限（默认今天）")
    p.add_argument("--no-cache", action="store_true", help="不使用解析缓存")
    p.add_argument("--jobs", type=int, help="并行进程数（默认 CPU 核数）")
    p.add_argument("--no-history", action="store_true", help="不核对 git 历史（已公示季度是否被改动、历史是否被改写）")
    p.add_argument(
        "--published-info",
        metavar="文件",
        help="上次发布的网站的 build-info.json，用来发现被改写的历史（默认 output/build-info.json）",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sitegen.check import build_day, check

    content = Path(args.content)
    report = check(
        content,
        today=build_day(args.today),
        cache_dir=None if args.no_cache else True,
        jobs=args.jobs,
        history=not args.no_history,
        published_info=_published_info(args.published_info),
    )
    errors, warnings = report.errors, report.warnings
    if args.format in ("github", "gitlab", "junit"):
        return _annotations(args.format, content, report)
    if args.format == "json":
        payload = {"errors": len(errors), "warnings": len(warnings), "problems": [p.as_dict() for p in report.problems]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for p in errors + warnings:
            print(p.format())
        loaded = report.loaded
        summary = f"检查了 {loaded.files} 个文件：{len(errors)} 个错误，{len(warnings)} 个提醒。"
        print(("" if not report.problems else "\n") + summary)
        if errors:
            print("有错误：请按上面的提示逐条改正后再运行 sitegen check。")
    return 1 if errors else 0


def _published_info(given: str | None) -> Path | None:
    """The build-info.json of the published site: the one named (which must then exist —
    a mistyped path must not turn the check off), else output/build-info.json if there is one."""
    if given:
        return Path(given)
    default = Path("output/build-info.json")
    return default if default.is_file() else None


def _annotations(fmt: str, content: Path, report) -> int:
    from sitegen import annotations

    to_path = annotations.repository_paths(content)
    problems = report.errors + report.warnings
    if fmt == "github":
        if problems:
            print(annotations.github(problems, to_path))
        print(f"检查了 {report.loaded.files} 个文件：{len(report.errors)} 个错误，{len(report.warnings)} 个提醒。")
    elif fmt == "gitlab":
        print(annotations.gitlab(problems, to_path, to_path("")))
    else:
        print(annotations.junit(problems, report.loaded.hashes, to_path, to_path("")), end="")
    return 1 if report.errors else 0
