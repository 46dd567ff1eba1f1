"""The command line: thin. It builds the parser from the commands' registry
(`sitegen.commands.COMMANDS`) and dispatches to the chosen command's handler."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from sitegen import __version__, gcpolicy
from sitegen.model import compiled

compiled.install()  # before the commands import the model: its dataclasses' methods compiled once

from sitegen.commands import COMMANDS  # noqa: E402

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
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own messages are English
        self.print_usage(sys.stderr)
        self.exit(2, f"sitegen：命令行参数有误（{message}）。运行 sitegen --help 查看用法。\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sitegen", description="党员积分管理 · 党务公开站点生成器")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for command in COMMANDS:
        command.add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if argv is None and args.command not in gcpolicy.LONG_RUNNING:
        gcpolicy.batch_process()  # the command line of a process that exits after this command
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
