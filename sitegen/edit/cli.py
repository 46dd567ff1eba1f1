"""The `sitegen edit` command: arguments, then the server (sitegen.edit.server)."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2026-01-10 的形式，而不是“{text}”") from None


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "edit", help="积分登记编辑器：在浏览器里用表单登记活动、名册和季度工作，检查后保存并提交审核"
    )
    p.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    p.add_argument("--branch", help="要编辑的支部编号（支部文件夹的名字）；配置了账号时按登录的人决定")
    p.add_argument("--year", type=int, help="年度（默认该支部最新的年度）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机能打开）")
    p.add_argument("--port", type=int, default=0, help="端口（默认随机选一个空闲端口）")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    p.add_argument("--accounts", type=Path, help="账号文件（放在内容仓库之外）；用 --host 在内网提供时必须有")
    p.add_argument("--add-account", metavar="用户名", help="在 --accounts 指定的文件里建立（或重设）一个账号，然后退出")
    p.add_argument("--name", default="", help="与 --add-account 一起用：姓名（写进 git 提交的作者）")
    p.add_argument("--email", default="", help="与 --add-account 一起用：电子邮箱（写进 git 提交的作者）")
    p.add_argument("--today", type=_date, help="按哪一天检查期限（默认今天）")
    p.set_defaults(run=run)
    return p


add = add_parser  # the name the command registry (sitegen.commands) calls


def run(args) -> int:
    from sitegen.edit.accounts import AccountsError, add_account
    from sitegen.edit.server import Editor, make_server
    from sitegen.edit.workspace import EditorError

    if args.add_account:
        if not args.accounts or not args.branch:
            print("sitegen edit：--add-account 要同时写 --accounts 账号文件 和 --branch 支部编号。", file=sys.stderr)
            return 2
        password = getpass.getpass("设置密码：")
        if len(password) < 8 or password != getpass.getpass("再输入一次："):
            print("sitegen edit：两次输入的密码不一致，或少于 8 个字符。没有建立账号。", file=sys.stderr)
            return 2
        add_account(args.accounts, args.add_account, password, args.branch, args.name, args.email)
        print(f"已建立账号 {args.add_account}（支部 {args.branch}），写入 {args.accounts}。")
        return 0
    try:
        editor = Editor(Path(args.content), args.branch, year=args.year, today=args.today, accounts=args.accounts)
        server = make_server(editor, args.host, args.port)
    except (EditorError, AccountsError) as exc:
        print(f"sitegen edit：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"sitegen edit：无法在 {args.host}:{args.port} 上监听（{exc.strerror}）。换一个端口（--port）再试。",
            file=sys.stderr,
        )
        return 2
    host = "127.0.0.1" if args.host in ("127.0.0.1", "localhost") else args.host
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"积分登记编辑器已启动：{url}  （按 Ctrl+C 结束）", flush=True)
    if not args.no_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("已结束。")
    finally:
        server.server_close()
    return 0
