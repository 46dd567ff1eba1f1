"""`sitegen edit`: the secretary's editor, a small HTTP server of plain HTML forms.

Every form posts to the server, which makes the text change (sitegen.edit.forms),
checks it in memory with the same checks as `sitegen check` (sitegen.edit.workspace)
and either shows the problems at the fields — writing nothing — or saves the files and
shows the effect on each member's points (sitegen.edit.views). 提交审核 commits to a new
git branch and pushes it (sitegen.edit.gitops). On 127.0.0.1 one person edits the branch
given with --branch; on any other address only people with an account may, each their
own branch (sitegen.edit.accounts).
"""

from __future__ import annotations

import hmac
import http.server
import secrets
import threading
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sitegen.edit.accounts import Account, LoginLimiter, Sessions, load_accounts, verify_password
from sitegen.edit.pages import CSS, JS, environment
from sitegen.edit.views import COOKIE, ROUTES, Desk, Forbidden, Page
from sitegen.edit.workspace import Changes, EditorError, Workspace
from sitegen.edit.yamledit import AppendError

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 1024 * 1024
LOGIN_COOKIE = "sitegen_login"


class Editor:
    def __init__(
        self,
        content: Path,
        branch: str | None,
        *,
        year: int | None = None,
        today: date | None = None,
        accounts: Path | None = None,
        push: bool = True,
        history: bool = True,
    ):
        self.content = Path(content)
        self.year, self.today, self.push, self.history = year, today, push, history
        self.env = environment()
        self.accounts: dict[str, Account] | None = load_accounts(accounts) if accounts else None
        self.sessions = Sessions()
        self.limiter = LoginLimiter()
        self.csrf = secrets.token_urlsafe(32)  # the one person's token on 127.0.0.1
        self.allowed_hosts: set[str] = set()
        self._desks: dict[str, Desk] = {}
        self.changes = Changes()  # what each branch's workspace saved, for the others to take in
        self._lock = threading.Lock()
        self.branch = branch
        if branch is not None:
            self.desk(branch)  # refuse a wrong --branch at start, not at the first request

    def desk(self, branch: str) -> Desk:
        with self._lock:
            d = self._desks.get(branch)
            if d is None:
                d = self._desks[branch] = Desk(
                    Workspace(self.content, branch, self.year, self.today, self.history, self.changes)
                )
            return d


def make_server(editor: Editor, host: str = "127.0.0.1", port: int = 0) -> http.server.ThreadingHTTPServer:
    if host not in LOOPBACK and editor.accounts is None:
        raise EditorError(
            f"不能在 {host} 上提供编辑器：没有配置账号。在内网服务器上使用时，先用 "
            "sitegen edit --add-account 建立账号，再加上 --accounts 账号文件；只在本机使用时不要写 --host。"
        )
    if editor.accounts is None and editor.branch is None:
        raise EditorError("请用 --branch 指定要编辑的支部（支部文件夹的名字）。")

    class Handler(_Handler):
        pass

    Handler.editor = editor
    server = http.server.ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    bound = server.server_address[1]
    editor.allowed_hosts = {f"{h}:{bound}" for h in ("127.0.0.1", "localhost", "[::1]")}
    if host not in LOOPBACK:
        editor.allowed_hosts = set()  # an intranet server has its own name: sessions protect it
    return server


class _Handler(http.server.BaseHTTPRequestHandler):
    editor: Editor
    server_version = "sitegen-edit"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal is the user's
        pass

    # -- plumbing --------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        try:
            self._write(status, body, ctype, headers)
        except (BrokenPipeError, ConnectionResetError):  # the browser went on to another page
            self.close_connection = True

    def _write(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        )
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, status: int, template: str, headers: dict[str, str] | None = None, **values: Any) -> None:
        body = self.editor.env.get_template(template).render(**values).encode("utf-8")
        self._send(status, body, "text/html; charset=utf-8", headers)

    def _error(self, status: int, title: str, message: str) -> None:
        self._html(status, "error.html", title=title, message=message)

    def _redirect(self, to: str, headers: dict[str, str] | None = None) -> None:
        self._send(303, b"", "text/plain", {"Location": to, **(headers or {})})

    def _cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        try:
            jar.load(self.headers.get("Cookie", ""))
        except Exception:
            return {}
        return {k: m.value for k, m in jar.items()}

    def _form(self) -> dict[str, list[str]]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise Forbidden("提交的内容太大。")
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        return parse_qs(raw, keep_blank_values=True)

    def _who(self) -> tuple[Desk, Account | None, str] | None:
        """(the branch's desk, the account, the CSRF token), or None: not logged in."""
        ed = self.editor
        if ed.accounts is None:
            assert ed.branch is not None
            return ed.desk(ed.branch), None, ed.csrf
        token = self._cookies().get(COOKIE, "")
        session = ed.sessions.get(token) if token else None
        account = ed.accounts.get(session.user) if session else None
        if session is None or account is None:
            return None
        return ed.desk(account.branch), account, session.csrf

    # -- requests --------------------------------------------------------------------------

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self._dispatch(post=False)

    def do_POST(self) -> None:
        self._dispatch(post=True)

    def _dispatch(self, post: bool) -> None:
        ed = self.editor
        if ed.allowed_hosts and self.headers.get("Host", "") not in ed.allowed_hosts:
            return self._error(403, "拒绝访问", "请用启动时显示的地址打开编辑器。")
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        try:
            if path == "/static/editor.css":
                return self._send(200, CSS.encode(), "text/css; charset=utf-8")
            if path == "/static/editor.js":
                return self._send(200, JS.encode(), "application/javascript; charset=utf-8")
            if path == "/favicon.ico":  # browsers ask for it; the editor has none
                return self._send(204, b"", "image/x-icon")
            if path == "/login" and ed.accounts is not None:
                return self._login(post)
            who = self._who()
            if who is None:
                if post:
                    return self._error(403, "请先登录", "登录已过期或尚未登录，请重新登录。")
                return self._redirect("/login")
            desk, account, csrf = who
            data: dict[str, list[str]] = {}
            if post:
                data = self._form()
                if not hmac.compare_digest((data.get("csrf") or [""])[0], csrf):
                    return self._error(
                        403, "请求无效", "表单已过期（或不是从编辑器页面提交的）。请刷新页面后重新填写。"
                    )
            page = Page(self, desk, account, csrf)
            route = ROUTES.get((post, path))
            if route is None:
                return self._error(404, "没有这个页面", "请从首页重新进入。")
            with desk.lock, desk.ws.request():
                route(page, query if not post else data)
        except Forbidden as exc:
            self._error(403, "没有权限", str(exc))
        except EditorError as exc:
            self._error(409, "无法完成", str(exc))
        except AppendError as exc:  # the file's own shape: the writers add to it, never rewrite it
            self._error(409, "无法完成", f"{exc}。没有保存任何内容。")
        except Exception as exc:  # a bug: say so in the page and in the terminal, keep serving
            import traceback

            traceback.print_exc()
            self._error(
                500,
                "编辑器出错",
                f"编辑器内部错误（{type(exc).__name__}），没有保存任何内容。请把终端里的信息发给管理员。",
            )

    def _login(self, post: bool) -> None:
        ed = self.editor
        assert ed.accounts is not None
        if not post:
            token = secrets.token_urlsafe(32)
            cookie = f"{LOGIN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
            return self._html(200, "login.html", {"Set-Cookie": cookie}, csrf=token, error="", user="")
        data = self._form()
        token = self._cookies().get(LOGIN_COOKIE, "")
        if not token or not hmac.compare_digest((data.get("csrf") or [""])[0], token):
            return self._error(403, "请求无效", "登录表单已过期，请刷新页面后重新登录。")
        user = (data.get("user") or [""])[0].strip()
        password = (data.get("password") or [""])[0]
        keys = [f"user:{user}", f"addr:{self.client_address[0]}"]
        wait = ed.limiter.wait(keys)
        if wait > 0:
            return self._html(
                429,
                "login.html",
                {"Retry-After": str(int(wait) + 1)},
                csrf=token,
                user=user,
                error=f"密码错误次数过多，请 {int(wait) + 1} 秒后再试。",
            )
        account = ed.accounts.get(user)
        if account is None or not verify_password(account.password, password):
            ed.limiter.failed(keys)
            return self._html(401, "login.html", csrf=token, user=user, error="用户名或密码不对。")
        ed.limiter.succeeded(keys)
        session_token, _ = ed.sessions.start(user)
        self._redirect("/", {"Set-Cookie": f"{COOKIE}={session_token}; HttpOnly; SameSite=Strict; Path=/"})
