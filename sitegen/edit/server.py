"""`sitegen edit`: the secretary's editor, a small HTTP server of plain HTML forms.

Every form posts to the server, which makes the text change (sitegen.edit.forms),
checks it in memory with the same checks as `sitegen check` (sitegen.edit.workspace)
and either shows the problems at the fields — writing nothing — or saves the files and
shows the effect on each member's points. 提交审核 commits to a new git branch and
pushes it (sitegen.edit.gitops). On 127.0.0.1 one person edits the branch given with
--branch; on any other address only people with an account may, each their own branch.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from markupsafe import Markup

from sitegen.edit import forms, gitops
from sitegen.edit.accounts import Account, LoginLimiter, Sessions, load_accounts, verify_password
from sitegen.edit.pages import CSS, JS, environment
from sitegen.edit.workspace import EditorError, Trial, Workspace
from sitegen.model.enums import ExemptKind, Grade, JoinKind, LeaveKind, Outcome, Part, Rating, Source, Status
from sitegen.model.scored import Role
from sitegen.render import format as fmt
from sitegen.rules.membership import role_on
from sitegen.rules.periods import quarter_name

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 1024 * 1024
COOKIE = "sitegen_edit"
LOGIN_COOKIE = "sitegen_login"
NAV = [
    ("/", "首页"),
    ("/entry", "登记活动"),
    ("/roster", "名册"),
    ("/quarter", "季度"),
    ("/correct", "更正"),
    ("/year-end", "年终"),
]


class Form(dict):
    """Submitted fields; a missing one reads as empty in the templates."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass
class Desk:
    """One branch's editing state on the server."""

    ws: Workspace
    recorded: list[str] = field(default_factory=list)  # what was saved since the last 提交审核
    lock: threading.Lock = field(default_factory=threading.Lock)
    submitted: dict[str, str] = field(default_factory=dict)  # file -> its hash when last submitted
    submitted_branch: str = ""

    def split(self) -> tuple[list[str], list[str]]:
        """This branch's changed files: (not yet submitted, submitted and unchanged since)."""
        pending: list[str] = []
        waiting: list[str] = []
        for path in gitops.changed_files(self.ws):
            full = self.ws.root / path
            digest = hashlib.sha256(full.read_bytes()).hexdigest() if full.is_file() else ""
            (waiting if self.submitted.get(path) == digest else pending).append(path)
        return pending, waiting


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
        self._lock = threading.Lock()
        self.branch = branch
        if branch is not None:
            self.desk(branch)  # refuse a wrong --branch at start, not at the first request

    def desk(self, branch: str) -> Desk:
        with self._lock:
            d = self._desks.get(branch)
            if d is None:
                d = self._desks[branch] = Desk(Workspace(self.content, branch, self.year, self.today, self.history))
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


class Forbidden(Exception):
    pass


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
            with desk.lock:
                route(page, query if not post else data)
        except Forbidden as exc:
            self._error(403, "没有权限", str(exc))
        except EditorError as exc:
            self._error(409, "无法完成", str(exc))
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


# -- the pages -------------------------------------------------------------------------------


def _one(values: dict[str, list[str]], key: str) -> str:
    got = values.get(key) or [""]
    return got[0]


def _flat(values: dict[str, list[str]]) -> Form:
    return Form({k: v[0] for k, v in values.items() if v})


def _num(value: Decimal | None) -> str:
    return "—" if value is None else fmt.points(value)


class Page:
    def __init__(self, handler: _Handler, desk: Desk, account: Account | None, csrf: str):
        self.h, self.desk, self.ws, self.account, self.csrf = handler, desk, desk.ws, account, csrf

    def render(self, template: str, title: str, here: str, status: int = 200, **values: Any) -> None:
        branch = self.ws.branch()
        base: dict[str, Any] = dict(
            title=title,
            here=here,
            nav=NAV,
            csrf=self.csrf,
            branch_name=branch.info.short_name,
            year=self.ws.year,
            user=self.account.name if self.account else "",
            fields={},
            malformed={},
            general=[],
            saved="",
            saved_file="",
            saved_fail="",
            effects=[],
            form=Form(),
        )
        base.update(values)
        self.h._html(status, template, None, **base)

    def json(self, value: Any) -> None:
        self.h._send(200, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    # -- shared pieces ---------------------------------------------------------------------

    def day(self, text: str) -> date:
        given = forms.parse_date(text) if text else None
        if given is not None and given.year == self.ws.year:
            return given
        today = self.ws.today or date.today()
        return today if today.year == self.ws.year else date(self.ws.year, 12, 31)

    def members_on(self, day: date, item: str = "") -> list[dict[str, Any]]:
        by = self.ws.branch_year()
        room = self.room(item)
        out = []
        for m in by.members:
            role = role_on(m, day)
            if role not in (Role.SCORED, Role.ACTIVIST):
                continue
            label = f"{m.name}（{m.id}）" + ("·积极分子" if role is Role.ACTIVIST else "")
            r = room.get(m.id, {})
            out.append({"id": m.id, "label": label, "room": r.get("text", ""), "full": r.get("full", False)})
        return out

    def items(self) -> list[dict[str, str]]:
        res = self.ws.result()
        if res is None:
            return []
        return [{"code": i.code, "label": f"{i.code} {i.name}（{i.part.value}）"} for i in res.scheme.items.values()]

    def item_info(self, code: str) -> str:
        res = self.ws.result()
        item = res.scheme.items.get(code) if res else None
        if item is None:
            return ""
        if item.part is Part.VETO:
            pts = "一票否决"
        elif item.points is not None:
            pts = f"每次 {fmt.points(item.points)} 分"
        else:
            step = f"，每档 {fmt.points(item.step)} 分" if item.step else ""
            pts = f"每次 {_num(item.min)}–{_num(item.max)} 分{step}"
        cap = f"，每人每年最多 {fmt.points(item.cap)} 分" if item.cap is not None else ""
        evidence = f"，依据：{item.evidence}" if item.evidence else ""
        return f"{item.code} {item.name} · {item.part.value} · {pts}{cap}{evidence}"

    def room(self, code: str) -> dict[str, dict[str, Any]]:
        res = self.ws.result()
        item = res.scheme.items.get(code) if res and code else None
        if res is None or item is None or item.cap is None:
            return {}
        out = {}
        for r in res.members:
            used = dict(r.items).get(code, Decimal(0))
            left = item.cap - used
            out[r.member.id] = (
                {"text": "本项已达上限", "full": True}
                if left <= 0
                else {"text": f"本项还可得 {fmt.points(left)} 分", "full": False}
            )
        return out

    def effects(self, trial: Trial) -> list[dict[str, Any]]:
        return [
            {
                "member": e.member,
                "name": e.name,
                "quarter_name": "一二三四"[e.quarter - 1],
                "qb": fmt.points(e.quarter_before),
                "qa": fmt.points(e.quarter_after),
                "yb": fmt.points(e.year_before),
                "ya": fmt.points(e.year_after),
                "rb": e.rank_before or "—",
                "ra": e.rank_after or "—",
                "capped": e.capped,
            }
            for e in trial.effects
        ]

    def attempt(self, change: forms.Change) -> tuple[Trial | None, dict[str, Any]]:
        """Check a change and save it when it brings no error: (the trial, template values)."""
        if change.errors:
            return None, {"malformed": change.errors}
        trial = self.ws.trial(change.files)
        if not trial.ok:
            at, rest = forms.field_errors(change, trial.errors)
            return trial, {"fields": at, "general": rest}
        self.ws.save(trial)
        self.desk.recorded.append(change.summary)
        return trial, {
            "saved": change.summary,
            "saved_file": "、".join(change.files),
            "effects": self.effects(trial),
            "form": Form(),
        }


def home(p: Page, q: dict[str, list[str]]) -> None:
    report = p.ws.report(full=True)  # the start page looks at everything again (after a git pull, say)
    mine = [x for x in report.errors if p.ws.owns(x.pos.file)]
    pending, waiting = p.desk.split()
    p.render(
        "home.html",
        "首页",
        "/",
        changed=pending,
        waiting=waiting,
        submitted_branch=p.desk.submitted_branch,
        problems=mine,
    )


def entry_page(p: Page, q: dict[str, list[str]], extra: dict[str, Any] | None = None, status: int = 200) -> None:
    extra = extra or {}
    given = extra.get("form")
    form: Form = given if given is not None else _flat(q)
    day = p.day(form["date"])
    ticked = set(q.get("members", [])) if not extra.get("saved") else set()
    p.render(
        "entry.html",
        "登记活动",
        "/entry",
        status,
        items=p.items(),
        item_info=p.item_info(form["item"]),
        members=p.members_on(day, form["item"]),
        roster_day=day.isoformat(),
        ticked=ticked,
        sources=[s.value for s in Source],
        **{**extra, "form": form},
    )


def entry_post(p: Page, data: dict[str, list[str]]) -> None:
    form = _flat(data)
    members = data.get("members", [])
    if form["everyone"] == "1":
        form["excluding_list"] = ",".join(members)
    change = forms.entry_change(p.ws, form, members)
    trial, values = p.attempt(change)
    failed = trial is None or not trial.ok
    # a failed form comes back as it was typed; a saved one keeps its date for the next activity
    values["form"] = form if failed else Form({"date": form["date"]})
    entry_page(p, data if failed else {}, values, 422 if failed else 200)


def api_members(p: Page, q: dict[str, list[str]]) -> None:
    day = p.day(_one(q, "date"))
    p.json({"date": day.isoformat(), "members": p.members_on(day, _one(q, "item"))})


def api_item(p: Page, q: dict[str, list[str]]) -> None:
    code = _one(q, "code")
    p.json({"text": p.item_info(code), "room": p.room(code)})


def _member_rows(p: Page) -> list[dict[str, str]]:
    return [
        {
            "id": m.id,
            "name": m.name,
            "label": f"{m.name}（{m.id}）",
            "status": m.status.value,
            "joined": f"{m.joined.isoformat()} {m.join.value if m.join else ''}" if m.joined else "",
            "left": f"{m.left.isoformat()} {m.leave.value if m.leave else ''}" if m.left else "",
        }
        for m in p.ws.branch_year().members
    ]


def roster_page(p: Page, q: dict[str, list[str]], extra: dict[str, Any] | None = None, status: int = 200) -> None:
    ids = [m.id for m in p.ws.branch_year().members]
    p.render(
        "roster.html",
        "名册",
        "/roster",
        status,
        all_members=_member_rows(p),
        next_member=forms.next_id(p.ws, ids) if ids else "M0101",
        statuses=[s.value for s in Status],
        joins=[j.value for j in JoinKind],
        leaves=[j.value for j in LeaveKind],
        exempt_steps=forms.EXEMPT_STEPS,
        exempt_kinds=[k.value for k in ExemptKind],
        **(extra or {}),
    )


def _post(p: Page, data: dict[str, list[str]], make, page) -> None:
    form = _flat(data)
    trial, values = p.attempt(make(p.ws, form))
    failed = trial is None or not trial.ok
    if failed:
        values["form"] = form
    page(p, {}, values, 422 if failed else 200)


def roster_join(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.roster_join_change, roster_page)


def roster_leave(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.roster_leave_change, roster_page)


def roster_exempt(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.roster_exempt_change, roster_page)


def roster_floating(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.roster_floating_change, roster_page)


def roster_status(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.roster_status_change, roster_page)


def quarter_page(p: Page, q: dict[str, list[str]], extra: dict[str, Any] | None = None, status: int = 200) -> None:
    by = p.ws.branch_year()
    quarters = []
    for n in range(1, 5):
        rec = by.quarters.get(n)
        state = ""
        if rec is not None:
            state = "（已公示）" if rec.publicity else "（已登记部分步骤）"
        quarters.append({"n": n, "name": quarter_name(n), "state": state})
    names = {m.id: m.name for m in by.members}
    entries = [
        {
            "id": e.id,
            "label": f"{e.id} {e.date.isoformat()} {e.item or '更正'} "
            + ("全体" if e.everyone else "、".join(names.get(m, m) for m in e.members[:4]))
            + ("等" if len(e.members) > 4 else ""),
        }
        for e in by.entries
    ]
    extra = extra or {}
    form = extra.get("form") or Form()
    p.render(
        "quarter.html",
        "季度",
        "/quarter",
        status,
        quarters=quarters,
        steps=forms.QUARTER_STEPS,
        all_members=_member_rows(p),
        entries=entries,
        outcomes=[o.value for o in Outcome],
        correction_ticked=set(form.get("correction_members", "").split(",")),
        **extra,
    )


def quarter_steps(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.quarter_steps_change, quarter_page)


def quarter_appeal(p: Page, data: dict[str, list[str]]) -> None:
    data = dict(data)
    data["correction_members"] = [",".join(data.get("correction_members", []))]
    _post(p, data, forms.appeal_change, quarter_page)


def _entry_options(p: Page) -> list[dict[str, str]]:
    by = p.ws.branch_year()
    names = {m.id: m.name for m in by.members}
    return [
        {
            "id": e.id,
            "label": f"{e.id} {e.date.isoformat()} {e.item or '更正'} "
            + ("全体" if e.everyone else "、".join(names.get(m, m) for m in e.members[:4]))
            + ("等" if len(e.members) > 4 else ""),
        }
        for e in by.entries
    ]


def correct_page(p: Page, q: dict[str, list[str]], extra: dict[str, Any] | None = None, status: int = 200) -> None:
    extra = extra or {}
    form = extra.get("form") or Form()
    today = p.ws.today or date.today()
    p.render(
        "correct.html",
        "更正",
        "/correct",
        status,
        entries=_entry_options(p),
        all_members=_member_rows(p),
        ticked=set(form.get("members_list", "").split(",")),
        today=today.isoformat() if today.year == p.ws.year else "",
        **extra,
    )


def correct_post(p: Page, data: dict[str, list[str]]) -> None:
    members = data.get("members", [])
    data = dict(data)
    data["members_list"] = [",".join(members)]
    _post(p, data, lambda ws, form: forms.correction_change(ws, form, members), correct_page)


def _graded(p: Page) -> list[Any]:
    res = p.ws.result()
    return [r for r in res.members if r.graded] if res else []


def year_end_page(p: Page, q: dict[str, list[str]], extra: dict[str, Any] | None = None, status: int = 200) -> None:
    rows = [
        {
            "id": r.member.id,
            "label": f"{r.member.name}（{r.member.id}）",
            "total": _num(r.total),
            "grade": (r.grade.value if r.grade else "—") + ("（一票否决）" if r.vetoed else ""),
            "rating": r.rating.value if r.rating else "",
            "final": r.final_grade.value if r.final_grade and r.final_grade != r.grade else "",
        }
        for r in _graded(p)
    ]
    p.render(
        "year_end.html",
        "年终",
        "/year-end",
        status,
        rows=rows,
        steps=forms.YEAR_END_STEPS,
        ratings=[x.value for x in Rating],
        grades=[x.value for x in Grade],
        **(extra or {}),
    )


def year_end_post(p: Page, data: dict[str, list[str]]) -> None:
    members = [r.member.id for r in _graded(p)]
    _post(p, data, lambda ws, form: forms.year_end_change(ws, form, members), year_end_page)


def _build(p: Page, action: str, data: dict[str, list[str]]) -> forms.Change | None:
    """The change a form's fields make, for the check as typed (nothing is saved)."""
    form = _flat(data)
    members = data.get("members", [])
    if action == "/entry":
        if form["everyone"] == "1":
            form["excluding_list"] = ",".join(members)
        return forms.entry_change(p.ws, form, members)
    if action == "/quarter/appeal":
        form["correction_members"] = ",".join(data.get("correction_members", []))
        return forms.appeal_change(p.ws, form)
    if action == "/correct":
        return forms.correction_change(p.ws, form, members)
    if action == "/year-end":
        return forms.year_end_change(p.ws, form, [r.member.id for r in _graded(p)])
    simple = {
        "/roster/join": forms.roster_join_change,
        "/roster/leave": forms.roster_leave_change,
        "/roster/status": forms.roster_status_change,
        "/roster/exempt": forms.roster_exempt_change,
        "/roster/floating": forms.roster_floating_change,
        "/quarter/steps": forms.quarter_steps_change,
    }
    make = simple.get(action)
    return make(p.ws, form) if make else None


def api_check(p: Page, data: dict[str, list[str]]) -> None:
    """检查 as the secretary types: the form's change tried in memory, its problems by field
    and its effect on the members' points — nothing is written."""
    change = _build(p, _one(data, "action"), data)
    if change is None:
        p.json({"ok": False, "fields": {}, "general": ["未知的表单。"], "effects": []})
        return
    if change.errors:
        # while the form is still being filled in, only what was typed is judged
        fields = {k: [v] for k, v in change.errors.items() if _one(data, k)}
        p.json({"ok": False, "incomplete": True, "fields": fields, "general": [], "effects": []})
        return
    trial = p.ws.trial(change.files)
    at, rest = forms.field_errors(change, trial.errors)
    p.json(
        {
            "ok": trial.ok,
            "fields": {k: [_said(x) for x in v] for k, v in at.items()},
            "general": [f"{x.pos}：{_said(x)}" for x in rest],
            "effects": [{k: str(v) for k, v in e.items()} for e in p.effects(trial)],
        }
    )


def _said(x) -> str:
    return f"[{x.code}] {x.message}" + (f"（{x.hint}）" if x.hint else "")


def file_page_text(p: Page, q: dict[str, list[str]]) -> None:
    path = _one(q, "path")
    if not p.ws.owns(path):
        raise Forbidden("这个文件不属于你的支部，不能查看。")
    text = p.ws.text(path)
    if text is None:
        p.h._error(404, "没有这个文件", path)
        return
    p.render("file.html", path, "", text=text)


def submit(p: Page, data: dict[str, list[str]]) -> None:
    branch = p.ws.branch().info
    what = "；".join(p.desk.recorded) if p.desk.recorded else "修改积分记录"
    message = f"{branch.short_name} {p.ws.year}年：{what}"
    author = (p.account.name, p.account.email or f"{p.account.user}@sitegen-edit.invalid") if p.account else None
    head_before = gitops.locate(p.ws.root)
    pending, waiting = p.desk.split()
    try:
        if not pending and waiting:
            raise EditorError(
                f"这些修改已经提交审核（分支 {p.desk.submitted_branch}），之后没有新的修改。等党(工)委审核合并即可。"
            )
        done = gitops.submit(p.ws, message, author=author, push=p.h.editor.push)
    except EditorError as exc:
        p.render("submitted.html", "提交审核", "/", 409, error=str(exc))
        return
    p.desk.recorded.clear()
    p.desk.submitted = {
        path: hashlib.sha256((p.ws.root / path).read_bytes()).hexdigest() if (p.ws.root / path).is_file() else ""
        for path in pending + waiting
    }
    p.desk.submitted_branch = done.branch
    base = head_before.head if head_before else done.base
    p.render(
        "submitted.html",
        "提交审核",
        "/",
        error="",
        branch=done.branch,
        message=done.message,
        links=done.links,
        remote=done.remote,
        base=done.base,
        report_html=_sanitized(gitops.review_report(p.ws, base, done.commit)),
    )


def _sanitized(markdown_text: str) -> Markup:
    """The review report (Markdown) as HTML, through the notices' sanitizer: what it quotes
    from the content (notes, names) is data, never markup."""
    import re

    from sitegen.render.markdown import render

    # the report folds its tables in <details> for the git host's page; Markdown would leave
    # a table inside raw HTML unrendered, so the folds become headings here
    text = re.sub(r"(?m)^<details[^>]*><summary>(.*?)</summary>\s*$", r"**\1**\n", markdown_text)
    text = re.sub(r"(?m)^</details>\s*$", "", text)
    text = re.sub(r"</?sub>", "", text)
    return Markup(render(text))


def logout(p: Page, data: dict[str, list[str]]) -> None:
    token = p.h._cookies().get(COOKIE, "")
    p.h.editor.sessions.end(token)
    p.h._redirect("/login", {"Set-Cookie": f"{COOKIE}=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/"})


ROUTES: dict[tuple[bool, str], Any] = {
    (False, "/"): home,
    (False, "/entry"): entry_page,
    (True, "/entry"): entry_post,
    (False, "/api/members"): api_members,
    (False, "/api/item"): api_item,
    (False, "/roster"): roster_page,
    (True, "/roster/join"): roster_join,
    (True, "/roster/leave"): roster_leave,
    (True, "/roster/status"): roster_status,
    (True, "/roster/exempt"): roster_exempt,
    (True, "/roster/floating"): roster_floating,
    (False, "/quarter"): quarter_page,
    (True, "/quarter/steps"): quarter_steps,
    (True, "/quarter/appeal"): quarter_appeal,
    (False, "/correct"): correct_page,
    (True, "/correct"): correct_post,
    (False, "/year-end"): year_end_page,
    (True, "/year-end"): year_end_post,
    (True, "/api/check"): api_check,
    (False, "/file"): file_page_text,
    (True, "/submit"): submit,
    (True, "/logout"): logout,
}
