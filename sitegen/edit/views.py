"""The editor's pages: what each address shows and what each form does.

A GET renders a page from the branch's current state; a POST turns the form into a text
change (sitegen.edit.forms), has it checked (sitegen.edit.workspace) and either shows the
problems at the fields — writing nothing — or saves it and shows its effect. `ROUTES`
maps (is a POST, path) to these functions; sitegen.edit.server dispatches to them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sitegen.check import build_day
from sitegen.edit import forms, gitops
from sitegen.edit.accounts import Account
from sitegen.edit.workspace import EditorError, Trial, Workspace
from sitegen.model.enums import ExemptKind, Grade, JoinKind, LeaveKind, Outcome, Part, Rating, Source, Status
from sitegen.model.scored import Role
from sitegen.render import format as fmt
from sitegen.render.html.search import spellings
from sitegen.rules.membership import role_on
from sitegen.rules.periods import quarter_name

if TYPE_CHECKING:
    from sitegen.edit.server import _Handler

COOKIE = "sitegen_edit"
NAV = [
    ("/", "首页"),
    ("/entry", "登记活动"),
    ("/roster", "名册"),
    ("/quarter", "季度"),
    ("/correct", "更正"),
    ("/year-end", "年终"),
    ("/scheme", "年初设定"),
    ("/notice", "通知"),
    ("/restricted", "不公开记录"),
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


class Forbidden(Exception):
    pass


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
        today = build_day(self.ws.today)
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
        return [
            {"code": i.code, "label": f"{i.code} {i.name}（{i.part.value}）", "py": spellings(i.name)}
            for i in res.scheme.items.values()
        ]

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
                "cross": e.cross_ranks,
                "cb": e.committee_before or "—",
                "ca": e.committee_after or "—",
                "db": e.district_before or "—",
                "da": e.district_after or "—",
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
    today = build_day(p.ws.today)
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


def restricted_page(p: Page, q: dict[str, list[str]], extra: dict[str, Any] | None = None, status: int = 200) -> None:
    record = p.ws.report().loaded.restricted.get((p.ws.branch_id, p.ws.year))
    names = {m.id: m.name for m in p.ws.branch_year().members}

    def who(mid: str) -> str:
        return f"{names.get(mid, mid)}（{mid}）"

    rows = []
    if record is not None:
        rows += [("谈话", t.date.isoformat(), who(t.member), f"谈话人：{t.by}；{t.summary}") for t in record.talks]
        rows += [
            ("帮教", m.start.isoformat(), who(m.member), f"帮教人：{m.helper}；{m.plan}") for m in record.mentoring
        ]
        rows += [("督促提醒", r.date.isoformat(), who(r.member), r.summary) for r in record.reminders]
    extra = extra or {}
    p.render(
        "restricted.html",
        "不公开记录",
        "/restricted",
        status,
        all_members=_member_rows(p),
        records=sorted(rows, key=lambda r: (r[1], r[0])),
        path=p.ws.restricted_path,
        kind=extra.pop("kind", ""),
        **extra,
    )


def _restricted_post(kind: str):
    def post(p: Page, data: dict[str, list[str]]) -> None:
        form = _flat(data)
        trial, values = p.attempt(forms.restricted_change(p.ws, form, kind))
        failed = trial is None or not trial.ok
        if failed:
            values["form"] = form
        restricted_page(p, {}, {**values, "kind": kind if failed else ""}, 422 if failed else 200)

    return post


def notice_page(p: Page, q: dict[str, list[str]], extra: dict[str, Any] | None = None, status: int = 200) -> None:
    branch = p.ws.branch()
    notices = sorted(branch.notices, key=lambda n: (n.date, n.slug), reverse=True)
    today = build_day(p.ws.today)
    p.render(
        "notice.html",
        "通知",
        "/notice",
        status,
        notices=[{"date": n.date.isoformat(), "title": n.title, "pinned": n.pinned} for n in notices],
        today=today.isoformat(),
        **(extra or {}),
    )


def notice_post(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.notice_change, notice_page)


def scheme_page(p: Page, q: dict[str, list[str]], extra: dict[str, Any] | None = None, status: int = 200) -> None:
    from sitegen.model.enums import Category

    res = p.ws.result()
    items = []
    if res is not None:
        for i in res.scheme.items.values():
            if i.part is Part.VETO:
                pts = "一票否决"
            elif i.points is not None:
                pts = fmt.points(i.points)
            else:
                pts = f"{_num(i.min)}–{_num(i.max)}"
            items.append(
                {
                    "code": i.code,
                    "name": i.name,
                    "part": i.part.value,
                    "points": pts,
                    "cap": _num(i.cap),
                    "applies": "、".join(c.value for c in i.applies_to) or "全部",
                    "label": f"{i.code} {i.name}（{i.part.value}，{pts} 分）",
                    "veto": i.part is Part.VETO,
                }
            )
    plan = p.ws.branch_year().plan
    extra = extra or {}
    form = extra.get("form") or Form()
    p.render(
        "scheme.html",
        "年初设定积分项目",
        "/scheme",
        status,
        items=items,
        parts=[x.value for x in Part],
        categories=[c.value for c in Category],
        ticked=set(form.get("applies_to_list", "").split(",")),
        announced=plan.announced.isoformat() if plan and plan.announced else "",
        posted=plan.posted.isoformat() if plan and plan.posted else "",
        **extra,
    )


def scheme_dates(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.scheme_dates_change, scheme_page)


def scheme_item(p: Page, data: dict[str, list[str]]) -> None:
    data = dict(data)
    data["applies_to_list"] = [",".join(data.get("applies_to", []))]
    data.pop("applies_to", None)
    _post(p, data, forms.scheme_item_change, scheme_page)


def scheme_narrow(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.scheme_narrow_change, scheme_page)


def scheme_drop(p: Page, data: dict[str, list[str]]) -> None:
    _post(p, data, forms.scheme_drop_change, scheme_page)


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
    if action.startswith("/restricted/") and action[12:] in forms.RESTRICTED_KINDS:
        return forms.restricted_change(p.ws, form, action[12:])
    if action == "/scheme/item":
        form["applies_to_list"] = ",".join(data.get("applies_to", []))
    simple = {
        "/notice": forms.notice_change,
        "/scheme/dates": forms.scheme_dates_change,
        "/scheme/item": forms.scheme_item_change,
        "/scheme/narrow": forms.scheme_narrow_change,
        "/scheme/drop": forms.scheme_drop_change,
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
    (False, "/restricted"): restricted_page,
    (True, "/restricted/talk"): _restricted_post("talk"),
    (True, "/restricted/mentoring"): _restricted_post("mentoring"),
    (True, "/restricted/reminder"): _restricted_post("reminder"),
    (False, "/notice"): notice_page,
    (True, "/notice"): notice_post,
    (False, "/scheme"): scheme_page,
    (True, "/scheme/dates"): scheme_dates,
    (True, "/scheme/item"): scheme_item,
    (True, "/scheme/narrow"): scheme_narrow,
    (True, "/scheme/drop"): scheme_drop,
    (True, "/api/check"): api_check,
    (False, "/file"): file_page_text,
    (True, "/submit"): submit,
    (True, "/logout"): logout,
}
