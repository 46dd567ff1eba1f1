"""The command line: thin. It parses arguments, calls the pipeline and prints in Chinese."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from sitegen import __version__
from sitegen.xlsxio.cli import add_commands as add_xlsx_commands

# argparse's own words, in Chinese: it looks them up through gettext's `_` at call time.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "参数",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "%(type)s 的值无效：%(value)r",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own messages are English
        self.print_usage(sys.stderr)
        self.exit(2, f"sitegen：命令行参数有误（{message}）。运行 sitegen --help 查看用法。\n")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2026-01-10 的形式，而不是“{text}”") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sitegen", description="党员积分管理 · 党务公开站点生成器")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    p = sub.add_parser("check", help="检查内容目录，报告所有错误和提醒")
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument(
        "--format",
        choices=["text", "json", "github", "gitlab", "junit"],
        default="text",
        help="输出格式：text、json，或给 CI 用的 github（Gitea/GitHub Actions 标注）、gitlab（代码质量报告）、junit",
    )
    p.add_argument("--today", type=_date, help="按哪一天检查期限（默认今天）")
    p.add_argument("--no-cache", action="store_true", help="不使用解析缓存")
    p.add_argument("--jobs", type=int, help="并行进程数（默认 CPU 核数）")
    p.add_argument("--no-history", action="store_true", help="不核对 git 历史（已公示季度是否被改动、历史是否被改写）")
    p.add_argument(
        "--published-info",
        metavar="文件",
        help="上次发布的网站的 build-info.json，用来发现被改写的历史（默认 output/build-info.json）",
    )

    p = sub.add_parser("diff", help="审核报告：两个版本之间台账、积分、排名、等次、积分项目和问题的变化")
    p.add_argument("base", help="基准版本，例如 main 或 origin/main（从它与 HEAD 的共同祖先算起）")
    p.add_argument("head", nargs="?", default="HEAD", help="新版本（默认 HEAD）")
    p.add_argument("-C", "--content", default="content", help="内容目录（默认 content）")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown", help="输出格式（默认 markdown）")
    p.add_argument("--today", type=_date, help="按哪一天检查期限（默认今天）")
    p.add_argument("--no-cache", action="store_true", help="不使用解析缓存")
    p.add_argument("--jobs", type=int, help="并行进程数（默认 CPU 核数）")

    p = sub.add_parser("publish", help="把生成好的网站原子切换上线，保留之前的版本以便回退")
    p.add_argument(
        "paths", nargs="+", metavar="目录", help="SITE DEST：生成好的网站目录和发布目录；回退或列出版本时只写 DEST"
    )
    p.add_argument("--rollback", action="store_true", help="回退到当前版本之前发布的那个版本")
    p.add_argument("--list", action="store_true", help="列出发布过的版本：哪个正在使用、何时发布、数据版本")
    p.add_argument("--keep", type=int, default=3, help="保留最近几个版本（默认 3，至少 2）")

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
    p.add_argument("--today", type=_date, help="按哪一天生成（哪些公示已开始、期限；默认今天）")
    p.add_argument(
        "--published-info",
        metavar="文件",
        help="正式发布的网站的 build-info.json，用来发现被改写的历史（默认输出目录里的 build-info.json）",
    )
    p.add_argument("--no-cache", action="store_true", help="不使用解析缓存")
    p.add_argument("--jobs", type=int, help="并行进程数（默认 CPU 核数）")

    p = sub.add_parser("serve", help="本地预览：生成网站并在保存文件后自动刷新页面")
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument("-o", "--output", default="output", help="输出目录（默认 output）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--poll", action="store_true", help="用轮询代替文件系统通知（网络盘、WSL 上使用）")
    p.add_argument("--pdf", action="store_true", help="同时生成 PDF（较慢）")
    p.add_argument("--no-history", action="store_true", help="不生成变更记录（例如浅克隆的仓库）")
    p.add_argument("--jobs", type=int, help="并行进程数（默认 CPU 核数）")
    p.add_argument("--today", type=_date, help="按哪一天预览（哪些公示已开始、期限；默认北京时间今天）")

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
    p.add_argument("--today", type=_date, help="按哪一天（哪些公示已开始；默认今天）")
    p.add_argument("-o", "--output", required=True, help="写到哪个 .xlsx 文件（内容目录和网站目录以外）")

    p = sub.add_parser("generate", help="生成一个虚构的大规模区（用于测试和性能评估）")
    p.add_argument("dest", help="写到哪个目录（必须不存在或为空）")
    p.add_argument("--branches", type=int, default=1000, help="支部数（默认 1000）")
    p.add_argument("--members", type=int, default=30, help="每支部党员数（默认 30）")
    p.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同内容）")
    p.add_argument("--year", type=int, default=2026, help="年度（默认 2026）")
    add_xlsx_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if hasattr(args, "run"):  # commands that bring their own handler (sitegen.xlsxio.cli)
            return args.run(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "build":
            return cmd_build(args)
        if args.command == "serve":
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
        if args.command == "report":
            return cmd_report(args)
        if args.command == "reminders":
            return cmd_reminders(args)
        if args.command == "generate":
            return cmd_generate(args)
        if args.command == "diff":
            return cmd_diff(args)
        if args.command == "publish":
            return cmd_publish(args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    return 2


def cmd_check(args) -> int:
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


def cmd_diff(args) -> int:
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


def cmd_publish(args) -> int:
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
        done = publish(Path(args.paths[0]), Path(args.paths[1]), keep=args.keep)
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
        f"已发布：{dest}/current → releases/{done.release}"
        + ("" if done.copied else "（这个版本已经在，直接切换）")
        + (f"；上一版 {done.previous} 保留，可用 sitegen publish --rollback {dest} 回退" if done.previous else "")
        + (f"；清理了 {len(done.pruned)} 个旧版本" if done.pruned else "")
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


def cmd_build(args) -> int:
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


def cmd_report(args) -> int:
    from sitegen.check import check
    from sitegen.render.xlsx.quarterly import quarterly_bytes, report_date
    from sitegen.render.xlsx.report import DISTRICT, Scope

    as_of = report_date(args.year, args.half)
    report = check(Path(args.content), today=as_of, restricted=False)
    if report.errors or report.loaded.district is None:
        for p in report.errors:
            print(p.format(), file=sys.stderr)
        print(f"\n内容有 {len(report.errors)} 个错误，没有生成报告。请先按提示改正（sitegen check）。", file=sys.stderr)
        return 1
    if args.year not in report.years:
        print(f"sitegen：没有 {args.year} 年的积分记录。", file=sys.stderr)
        return 1
    district, result = report.loaded.district, report.years[args.year]
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


def cmd_reminders(args) -> int:
    from sitegen.reminders import RemindersError, make

    try:
        made = make(Path(args.content), args.branch, Path(args.output), year=args.year, today=args.today)
    except RemindersError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print("没有生成督促提醒名单。", file=sys.stderr)
        return 1
    print(
        f"已生成督促提醒名单（内部材料，不公开）：{made.path}，{len(made.rows)} 人，"
        f"依据第{'一二三四'[made.quarter - 1]}季度已公示的积分。"
    )
    return 0


def cmd_generate(args) -> int:
    from sitegen.synth import generate

    dest = Path(args.dest)
    if dest.exists() and any(dest.iterdir()):
        print(f"sitegen：目录“{dest}”不是空的，为避免覆盖，请换一个目录。", file=sys.stderr)
        return 2
    stats = generate(dest, branches=args.branches, members=args.members, seed=args.seed, year=args.year)
    print(f"已生成：{stats['branches']} 个支部，{stats['members']} 名党员，{stats['entries']} 条台账，写入 {dest}。")
    return 0
