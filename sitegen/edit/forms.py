"""The forms: what a secretary filled in → the text change, and problems → the fields.

Each form function reads the submitted fields, says what is plainly malformed (an empty
date, a number that is not one) at its field, and otherwise returns the change as whole
file texts plus, per changed file, which key each new line holds — so a problem the
check finds on a line is shown at the form field that wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sitegen.edit import yamledit
from sitegen.edit.workspace import Workspace
from sitegen.model.enums import Direction, ExemptKind, Grade, JoinKind, LeaveKind, Outcome, Rating, Source, Status
from sitegen.model.ledger import EVERYONE, Entry
from sitegen.model.org import Member
from sitegen.problems import Problem
from sitegen.rules.periods import quarter_of

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*\Z")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
QUARTER_STEPS = (("reviewed", "汇总审核"), ("feedback", "逐人反馈"), ("confirmed", "确认"), ("reported", "报上级备案"))


@dataclass
class Change:
    """A form's change: file texts, the new lines' keys, and what it records (for the
    commit message)."""

    files: dict[str, str] = field(default_factory=dict)
    lines: dict[str, dict[int, str]] = field(default_factory=dict)  # file -> line -> form field
    summary: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # form field -> message (malformed input)
    # problems the form knows the field of better than the line does (a whole file's, say): code -> field
    codes: dict[str, str] = field(default_factory=dict)


def parse_date(text: str) -> date | None:
    m = _DATE.match(text or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _need_date(form: dict[str, str], key: str, errors: dict[str, str], required: bool = True) -> date | None:
    text = form.get(key, "").strip()
    if not text:
        if required:
            errors[key] = "请填写日期。"
        return None
    day = parse_date(text)
    if day is None:
        errors[key] = f"日期“{text}”不对：写成 2026-07-15 的形式，并且是实际存在的日期。"
    return day


def next_id(ws: Workspace, existing: list[str]) -> str:
    """The next entry id in the branch's own numbering (2026-015 after 2026-014, E12 after
    E11); `<year>-001` when there is none to follow."""
    best: tuple[int, str, int] | None = None
    for eid in existing:
        m = re.match(r"^(.*?)(\d+)$", eid)
        if m:
            n = int(m.group(2))
            if best is None or n > best[0]:
                best = (n, m.group(1), len(m.group(2)))
    if best is None:
        return f"{ws.year}-001"
    n, prefix, width = best
    taken = set(existing)
    candidate = f"{prefix}{n + 1:0{width}d}"
    while candidate in taken:
        n += 1
        candidate = f"{prefix}{n + 1:0{width}d}"
    return candidate


def ledger_ids(ws: Workspace) -> list[str]:
    return [e.id for e in ws.branch_year().entries]


def _header(ws: Workspace, quarter: int) -> str:
    name = ws.branch().info.short_name
    return f"# {name} {ws.year}年第{'一二三四'[quarter - 1]}季度积分台账"


def _map_lines(text_lines: list[str], first: int, last: int, keys: dict[str, str]) -> dict[int, str]:
    """Line number → form field, for the new lines first..last of a file."""
    out: dict[int, str] = {}
    for no in range(first, last + 1):
        line = text_lines[no - 1].strip().removeprefix("- ")
        key = line.split(":", 1)[0].strip()
        if key in keys:
            out[no] = keys[key]
    return out


_ENTRY_FIELDS = {
    "id": "date",  # problems about the entry as a whole (e.g. dated in a published quarter)
    "date": "date",
    "item": "item",
    "members": "members",
    "excluding": "members",
    "points": "points",
    "source": "source",
    "evidence": "evidence",
    "note": "note",
    "corrects": "corrects",
    "reason": "reason",
}


def entry_change(ws: Workspace, form: dict[str, str], members: list[str]) -> Change:
    """登记活动: one ledger entry appended to the quarter file of its date."""
    change = Change()
    errors = change.errors
    day = _need_date(form, "date", errors)
    item = form.get("item", "").strip()
    if not item:
        errors["item"] = "请选择积分项目。"
    everyone = form.get("everyone") == "1"
    chosen = tuple(m for m in members if m)
    if everyone:
        chosen = (EVERYONE,)
        excluding = tuple(m for m in (form.get("excluding_list") or "").split(",") if m)
    else:
        excluding = ()
        if not chosen:
            errors["members"] = "请勾选参加的党员，或勾选“全体”。"
    points: Decimal | None = None
    raw_points = form.get("points", "").strip()
    if raw_points:
        try:
            points = Decimal(raw_points)
        except InvalidOperation:
            errors["points"] = f"分值“{raw_points}”不是数字：只写半角阿拉伯数字，如 2 或 0.5。"
    try:
        source = Source(form.get("source") or Source.BRANCH.value)
    except ValueError:
        errors["source"] = "来源只能是：支部登记、党员申报、群众证实。"
        source = Source.BRANCH
    if errors or day is None:
        return change
    entry = Entry(
        id=next_id(ws, ledger_ids(ws)),
        date=day,
        members=chosen,
        item=item,
        points=points,
        source=source,
        evidence=form.get("evidence", "").strip(),
        note=form.get("note", "").strip(),
        excluding=excluding,
    )
    quarter = quarter_of(day) if day.year == ws.year else (1 if day.year < ws.year else 4)
    path = ws.ledger_path(quarter)
    out = yamledit.append_entries(ws.text(path), [entry], f"{day.isoformat()} 编辑器登记", _header(ws, quarter))
    change.files[path] = out.text
    first, last = out.spans[0]
    change.lines[path] = _map_lines(out.text.split("\n"), first, last, _ENTRY_FIELDS)
    who = "全体" if everyone else f"{len(chosen)}人"
    change.summary = f"登记活动 {entry.id}：{day.isoformat()} {item}，{who}"
    return change


def roster_join_change(ws: Workspace, form: dict[str, str]) -> Change:
    """名册: a member added with the day and the way they joined."""
    change = Change()
    errors = change.errors
    mid = form.get("id", "").strip()
    if not _ID.match(mid):
        errors["id"] = "党员编号只能用英文字母、数字和 - _ .，以字母或数字开头，例如 M0101。"
    name = form.get("name", "").strip()
    if not name:
        errors["name"] = "请填写姓名。"
    try:
        status = Status(form.get("status", ""))
    except ValueError:
        errors["status"] = "请选择身份：正式党员、预备党员或入党积极分子。"
    joined = _need_date(form, "joined", errors)
    try:
        join = JoinKind(form.get("join", ""))
    except ValueError:
        errors["join"] = "请选择加入方式：入党、转入或恢复。"
    if errors or joined is None:
        return change
    pairs = [
        ("id", yamledit.ident(mid)),
        ("name", yamledit.scalar(name)),
        ("status", status.value),
        ("joined", joined.isoformat()),
        ("join", join.value),
    ]
    path = ws.roster_path
    old = ws.text(path) or ""
    text = yamledit.add_to_list(old, "members", [yamledit.item_block(pairs)], "roster.yaml")
    change.files[path] = text
    change.lines[path] = _new_lines(old, text, {k: k for k, _ in pairs})
    change.summary = f"名册：{name}（{mid}）{joined.isoformat()} {join.value}"
    return change


def _chosen_member(ws: Workspace, form: dict[str, str], errors: dict[str, str]) -> tuple[str, Member | None]:
    """The member the form names, from this year's roster (an error at the field if none)."""
    mid = form.get("member", "").strip()
    member = ws.branch_year().member(mid) if mid else None
    if member is None:
        errors["member"] = "请选择党员。"
    return mid, member


def roster_leave_change(ws: Workspace, form: dict[str, str]) -> Change:
    """名册: a member's leaving, with its day and kind (the line is kept, never deleted)."""
    change = Change()
    errors = change.errors
    mid, member = _chosen_member(ws, form, errors)
    left = _need_date(form, "left", errors)
    try:
        leave = LeaveKind(form.get("leave", ""))
    except ValueError:
        errors["leave"] = "请选择离开方式：转出、出党或去世。"
    if errors or left is None or member is None:
        return change
    path = ws.roster_path
    old = ws.text(path) or ""
    node = yamledit.find_item(old, "members", mid, "roster.yaml")
    text = yamledit.set_values(old, node, [("left", left.isoformat()), ("leave", leave.value)])
    change.files[path] = text
    change.lines[path] = _new_lines(old, text, {"left": "left", "leave": "leave"})
    change.summary = f"名册：{member.name}（{mid}）{left.isoformat()} {leave.value}"
    return change


def roster_status_change(ws: Workspace, form: dict[str, str]) -> Change:
    """名册: a dated change of status (积极分子 → 预备党员, 预备党员 → 正式党员 转正); the
    status on 1 January stays as written."""
    change = Change()
    errors = change.errors
    mid, member = _chosen_member(ws, form, errors)
    day = _need_date(form, "changed", errors)
    try:
        status = Status(form.get("new_status", ""))
    except ValueError:
        errors["new_status"] = "请选择新的身份：预备党员或正式党员。"
    if errors or day is None or member is None:
        return change
    path = ws.roster_path
    old = ws.text(path) or ""
    node = yamledit.find_item(old, "members", mid, "roster.yaml")
    text = yamledit.add_to_nested_list(old, node, "changes", [("date", day.isoformat()), ("status", status.value)])
    change.files[path] = text
    change.lines[path] = _new_lines(old, text, {"changes": "new_status", "date": "changed", "status": "new_status"})
    change.summary = f"名册：{member.name}（{mid}）{day.isoformat()} 起为{status.value}"
    return change


EXEMPT_STEPS = (("applied", "本人申请"), ("approved", "支部研究同意"), ("filed", "上级党委备案"))


def roster_exempt_change(ws: Workspace, form: dict[str, str]) -> Change:
    """名册: 不纳入积分管理 — its three dated steps on the roster line, its reason (restricted)
    in the branch's private record. It counts from the day the last step was filed."""
    change = Change()
    errors = change.errors
    mid, member = _chosen_member(ws, form, errors)
    values = []
    for key, _ in EXEMPT_STEPS:
        day = _need_date(form, key, errors, required=False)
        if day is not None:
            values.append((key, day.isoformat()))
    if not values and not errors:
        errors["applied"] = "请至少填写一个步骤的日期。"
    kind_text = form.get("kind", "").strip()
    kind = None
    if kind_text:
        try:
            kind = ExemptKind(kind_text)
        except ValueError:
            errors["kind"] = "请选择原因。"
    if errors or member is None:
        return change
    path = ws.roster_path
    old = ws.text(path) or ""
    node = yamledit.find_item(old, "members", mid, "roster.yaml")
    text = yamledit.set_in_mapping(old, node, "exempt", values)
    change.files[path] = text
    change.lines[path] = _new_lines(old, text, {"exempt": "applied"} | {k: k for k, _ in EXEMPT_STEPS})
    if kind is not None:
        rpath = ws.restricted_path
        rold = ws.text(rpath)
        note = form.get("note", "").strip()
        value = "{kind: " + kind.value + (", note: " + yamledit.scalar(note) if note else "") + "}"
        rtext = yamledit.set_nested(rold, "exemptions", [(yamledit.ident(mid), value)], rpath)
        change.files[rpath] = rtext
        change.lines[rpath] = _new_lines(rold or "", rtext, {mid: "kind"})
    names = dict(EXEMPT_STEPS)
    change.summary = f"名册：{member.name}（{mid}）不纳入积分管理：{'、'.join(names[k] for k, _ in values)}"
    return change


def roster_floating_change(ws: Workspace, form: dict[str, str]) -> Change:
    """名册: 流动党员 — floated out (scored where they went) or in, from a date."""
    change = Change()
    errors = change.errors
    mid, member = _chosen_member(ws, form, errors)
    try:
        direction = Direction(form.get("direction", ""))
    except ValueError:
        errors["direction"] = "请选择流出或流入。"
    other = form.get("other_branch", "").strip()
    org = form.get("org", "").strip()
    if not other and not org:
        errors["other_branch"] = "写对方支部的编号（本区内），或在“区外组织”一栏写组织名称。"
    since = _need_date(form, "since", errors, required=False)
    if errors or member is None:
        return change
    values = [("direction", direction.value)]
    if other:
        values.append(("branch", yamledit.ident(other)))
    if org:
        values.append(("org", yamledit.scalar(org)))
    if since is not None:
        values.append(("since", since.isoformat()))
    path = ws.roster_path
    old = ws.text(path) or ""
    node = yamledit.find_item(old, "members", mid, "roster.yaml")
    text = yamledit.set_in_mapping(old, node, "floating", values)
    change.files[path] = text
    keys = {"floating": "direction", "direction": "direction", "branch": "other_branch", "org": "org", "since": "since"}
    change.lines[path] = _new_lines(old, text, keys)
    when = f"{since.isoformat()} 起" if since else "全年"
    change.summary = f"名册：{member.name}（{mid}）{when}{direction.value}（{other or org}）"
    return change


def _chosen_quarter(form: dict[str, str], errors: dict[str, str]) -> int | None:
    """The quarter the form names, 1–4 (an error at the field if none)."""
    text = form.get("quarter", "").strip()
    if text in ("1", "2", "3", "4"):
        return int(text)
    errors["quarter"] = "请选择季度。"
    return None


def quarter_steps_change(ws: Workspace, form: dict[str, str]) -> Change:
    """季度: the procedure's dated steps and the 公示 period."""
    change = Change()
    errors = change.errors
    quarter = _chosen_quarter(form, errors)
    if quarter is None:
        return change
    values: list[tuple[str, str]] = []
    for key, _ in QUARTER_STEPS:
        day = _need_date(form, key, errors, required=False)
        if day is not None:
            values.append((key, day.isoformat()))
    start = _need_date(form, "publicity_start", errors, required=False)
    end = _need_date(form, "publicity_end", errors, required=False)
    if (start is None) != (end is None) and not errors:
        errors["publicity_end" if start else "publicity_start"] = "公示要同时写开始和结束日期。"
    scope = form.get("publicity_scope", "").strip()
    if not values and start is None and not errors:
        errors["reviewed"] = "至少填写一个步骤的日期。"
    if errors:
        return change
    path = ws.quarter_path(quarter)
    old = ws.text(path)
    text = old
    top = [(k, v) for k, v in values if k != "reported"]
    if top:
        text = yamledit.set_top(text, top, f"quarters/q{quarter}.yaml")
    if start is not None and end is not None:
        period = [("start", start.isoformat()), ("end", end.isoformat())]
        if scope:
            period.append(("scope", yamledit.scalar(scope)))
        text = yamledit.set_nested(text, "publicity", period, f"quarters/q{quarter}.yaml")
    reported = [(k, v) for k, v in values if k == "reported"]
    if reported:
        text = yamledit.set_top(text, reported, f"quarters/q{quarter}.yaml")
    assert text is not None
    change.files[path] = text
    keys = {k: k for k, _ in QUARTER_STEPS} | {"start": "publicity_start", "end": "publicity_end"}
    keys["scope"] = "publicity_scope"
    change.lines[path] = _new_lines(old or "", text, keys)
    names = dict(QUARTER_STEPS)
    done = [names[k] for k, _ in values] + (["公示"] if start else [])
    change.summary = f"第{'一二三四'[quarter - 1]}季度：{'、'.join(done)}"
    return change


def appeal_change(ws: Workspace, form: dict[str, str]) -> Change:
    """季度: an appeal or objection, its outcome and, for 更正, the correction entry."""
    change = Change()
    errors = change.errors
    quarter = _chosen_quarter(form, errors)
    if quarter is None:
        return change
    by_public = form.get("by") == "群众"
    member = form.get("member", "").strip()
    if not member and not by_public:
        errors["member"] = "请选择提出申辩的党员。"
    entry_id = form.get("entry", "").strip()
    filed = _need_date(form, "filed", errors)
    outcome_text = form.get("outcome", "").strip()
    outcome = None
    if outcome_text:
        try:
            outcome = Outcome(outcome_text)
        except ValueError:
            errors["outcome"] = "结果只能是：维持、更正。"
    decided = _need_date(form, "decided", errors, required=outcome is not None)
    correction_members = [m for m in form.get("correction_members", "").split(",") if m]
    reason = form.get("correction_reason", "").strip()
    if outcome is Outcome.CORRECTED:
        if not entry_id:
            errors["entry"] = "更正要选择被申辩的台账条目。"
        if not reason:
            errors["correction_reason"] = "请写更正的理由（会公开，不要写个人隐私）。"
    if errors or filed is None:
        return change
    ids = ledger_ids(ws)
    qpath = ws.quarter_path(quarter)
    appeals = [a.id for q in ws.branch_year().quarters.values() for a in q.appeals]
    appeal_id = next_id(ws, appeals) if appeals else f"S{ws.year}-{quarter}-1"
    pairs: list[tuple[str, str]] = [("id", yamledit.ident(appeal_id))]
    if by_public:
        pairs.append(("by", "群众"))
    if member:
        pairs.append(("member", yamledit.ident(member)))
    if entry_id:
        pairs.append(("entry", yamledit.ident(entry_id)))
    pairs.append(("filed", filed.isoformat()))
    if outcome is not None:
        pairs.append(("outcome", outcome.value))
    if decided is not None:
        pairs.append(("decided", decided.isoformat()))
    if outcome is Outcome.CORRECTED and decided is not None:
        correction = Entry(
            id=next_id(ws, ids),
            date=decided,
            members=tuple(correction_members),
            corrects=entry_id,
            reason=reason,
            void=not correction_members,
        )
        pairs.append(("correction", yamledit.ident(correction.id)))
        cq = quarter_of(decided) if decided.year == ws.year else 4
        lpath = ws.ledger_path(cq)
        out = yamledit.append_entries(
            ws.text(lpath), [correction], f"{decided.isoformat()} 申辩 {appeal_id} 更正", _header(ws, cq)
        )
        change.files[lpath] = out.text
        first, last = out.spans[0]
        change.lines[lpath] = _map_lines(
            out.text.split("\n"),
            first,
            last,
            {"members": "correction_members", "reason": "correction_reason", "corrects": "entry", "date": "decided"},
        )
    private = form.get("reason", "").strip()
    if private:
        # the appeal's reason is restricted: it goes to the branch's private record, never published
        rpath = ws.restricted_path
        rold = ws.text(rpath)
        rtext = yamledit.set_nested(rold, "appeals", [(yamledit.ident(appeal_id), yamledit.scalar(private))], rpath)
        change.files[rpath] = rtext
        change.lines[rpath] = _new_lines(rold or "", rtext, {appeal_id: "reason"})
    old = ws.text(qpath) or ""
    text = yamledit.add_to_list(old, "appeals", [yamledit.item_block(pairs)], f"quarters/q{quarter}.yaml")
    change.files[qpath] = text
    change.lines[qpath] = _new_lines(old, text, {k: k for k, _ in pairs} | {"id": "member"})
    what = "群众异议" if by_public else "申辩"
    change.summary = f"第{'一二三四'[quarter - 1]}季度{what} {appeal_id}" + (f"：{outcome.value}" if outcome else "")
    return change


def correction_change(ws: Workspace, form: dict[str, str], members: list[str]) -> Change:
    """更正: a correction entry naming the entry it corrects and why — the corrected entry
    itself is never edited (a published quarter's record stays as it was published)."""
    change = Change()
    errors = change.errors
    target = form.get("corrects", "").strip()
    if not target:
        errors["corrects"] = "请选择要更正的台账条目。"
    day = _need_date(form, "date", errors)
    reason = form.get("reason", "").strip()
    if not reason:
        errors["reason"] = "请写更正的理由（会公开，不要写个人隐私）。"
    points: Decimal | None = None
    raw_points = form.get("points", "").strip()
    if raw_points:
        try:
            points = Decimal(raw_points)
        except InvalidOperation:
            errors["points"] = f"分值“{raw_points}”不是数字：只写半角阿拉伯数字，如 2 或 0.5。"
    if errors or day is None:
        return change
    chosen = tuple(m for m in members if m)
    entry = Entry(
        id=next_id(ws, ledger_ids(ws)),
        date=day,
        members=chosen,
        points=points,
        corrects=target,
        reason=reason,
        void=not chosen,
    )
    quarter = quarter_of(day) if day.year == ws.year else (1 if day.year < ws.year else 4)
    path = ws.ledger_path(quarter)
    out = yamledit.append_entries(ws.text(path), [entry], f"{day.isoformat()} 更正 {target}", _header(ws, quarter))
    change.files[path] = out.text
    first, last = out.spans[0]
    keys = dict(_ENTRY_FIELDS) | {"void": "members", "id": "date"}
    change.lines[path] = _map_lines(out.text.split("\n"), first, last, keys)
    what = "撤销" if entry.void else f"改为 {len(chosen)} 人"
    change.summary = f"更正 {target}（{what}）：{entry.id}，{day.isoformat()}"
    return change


YEAR_END_STEPS = (("evaluated", "民主测评"), ("assessed", "综合评定"), ("reported", "报上级备案"))


def year_end_change(ws: Workspace, form: dict[str, str], members: list[str]) -> Change:
    """年终: 民主测评 results, final grades that differ from the score's (with reasons), dates."""
    change = Change()
    errors = change.errors
    values: list[tuple[str, str]] = []
    for key, _ in YEAR_END_STEPS:
        day = _need_date(form, key, errors, required=False)
        if day is not None:
            values.append((key, day.isoformat()))
    start = _need_date(form, "publicity_start", errors, required=False)
    end = _need_date(form, "publicity_end", errors, required=False)
    if (start is None) != (end is None) and not errors:
        errors["publicity_end" if start else "publicity_start"] = "公示要同时写开始和结束日期。"
    ratings: list[tuple[str, str]] = []
    finals: list[tuple[str, str, str]] = []
    for mid in members:
        rating = form.get(f"rating_{mid}", "").strip()
        if rating:
            try:
                ratings.append((yamledit.ident(mid), Rating(rating).value))
            except ValueError:
                errors[f"rating_{mid}"] = "民主测评结果只能是：优秀、合格、基本合格、不合格。"
        grade = form.get(f"final_{mid}", "").strip()
        if grade:
            try:
                finals.append((mid, Grade(grade).value, form.get(f"reason_{mid}", "").strip()))
            except ValueError:
                errors[f"final_{mid}"] = "评定等次只能是：优秀、良好、合格、不合格。"
    if not (values or start or ratings or finals) and not errors:
        errors["evaluated"] = "没有填写任何内容。"
    if errors:
        return change
    path = f"{ws.year_folder}/year-end.yaml"
    old = ws.text(path)
    text = old or ""
    first = [(k, v) for k, v in values if k == "evaluated"]
    if first:
        text = yamledit.set_top(text, first, "year-end.yaml")
    if ratings:
        text = yamledit.set_nested(text, "ratings", ratings, "year-end.yaml")
    second = [(k, v) for k, v in values if k == "assessed"]
    if second:
        text = yamledit.set_top(text, second, "year-end.yaml")
    for mid, grade, reason in finals:
        pairs = [("grade", grade)] + ([("reason", yamledit.scalar(reason))] if reason else [])
        node = yamledit.find_item_or_none(text, "final", mid, "year-end.yaml", by="member") if text.strip() else None
        if node is not None:
            text = yamledit.set_values(text, node, pairs)
        else:
            block = yamledit.item_block([("member", yamledit.ident(mid))] + pairs)
            text = yamledit.add_to_list(text, "final", [block], "year-end.yaml")
    if start is not None and end is not None:
        period = [("start", start.isoformat()), ("end", end.isoformat())]
        scope = form.get("publicity_scope", "").strip()
        if scope:
            period.append(("scope", yamledit.scalar(scope)))
        text = yamledit.set_nested(text, "publicity", period, "year-end.yaml")
    third = [(k, v) for k, v in values if k == "reported"]
    if third:
        text = yamledit.set_top(text, third, "year-end.yaml")
    change.files[path] = text
    keys = {k: k for k, _ in YEAR_END_STEPS} | {"start": "publicity_start", "end": "publicity_end"}
    keys |= {"scope": "publicity_scope"} | {mid: f"rating_{mid}" for mid in members}
    change.lines[path] = _year_end_lines(old or "", text, keys)
    parts = [n for k, n in YEAR_END_STEPS if k in dict(values)]
    if ratings:
        parts.append(f"民主测评结果 {len(ratings)} 人")
    if finals:
        parts.append(f"综合评定等次 {len(finals)} 人")
    if start:
        parts.append("公示")
    change.summary = f"{ws.year}年年终：{'、'.join(parts)}"
    return change


def _year_end_lines(old: str, new: str, keys: dict[str, str]) -> dict[int, str]:
    """As _new_lines, and the lines of a `final` item go to that member's fields."""
    out = _new_lines(old, new, keys)
    lines = new.split("\n")
    member = ""
    for no, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith("- member:"):
            member = text.split(":", 1)[1].strip()
        if member and no not in out:
            key = text.removeprefix("- ").split(":", 1)[0]
            if key in ("member", "grade"):
                out[no] = f"final_{member}"
            elif key == "reason":
                out[no] = f"reason_{member}"
        if not line.startswith(" ") and not line.startswith("-") and not text.startswith("#"):
            member = "" if not text.startswith("final:") else member
    return out


def _new_lines(old: str, new: str, keys: dict[str, str]) -> dict[int, str]:
    """Line → form field for the lines of `new` that are not in `old` (the writers only
    insert and replace lines, so a line-wise diff finds them)."""
    import difflib

    a, b = old.split("\n"), new.split("\n")
    out: dict[int, str] = {}
    for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("insert", "replace"):
            out.update(_map_lines(b, j1 + 1, j2, keys))
    return out


def field_errors(change: Change, problems: list[Problem]) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """Problems at the form field whose line they are on; the rest for the top of the form."""
    at: dict[str, list[Problem]] = {}
    rest = []
    for p in problems:
        name = change.codes.get(p.code) or change.lines.get(p.pos.file, {}).get(p.pos.line)
        if name:
            at.setdefault(name, []).append(p)
        else:
            rest.append(p)
    return at, rest


# -- restricted records (专卷保存): restricted/<branch>/<year>.yaml, never published -----

RESTRICTED_KINDS = {
    # form action → (the list in the restricted file, its fields in order, its name)
    "talk": ("talks", ("member", "date", "by", "summary"), "谈话记录"),
    "mentoring": ("mentoring", ("member", "helper", "start", "plan"), "帮教记录"),
    "reminder": ("reminders", ("member", "date", "summary"), "督促提醒"),
}
_RESTRICTED_REQUIRED = {"member", "date", "by", "helper", "start"}
_RESTRICTED_DATES = {"date", "start"}


def restricted_change(ws: Workspace, form: dict[str, str], kind: str) -> Change:
    """谈话、帮教、督促提醒: one item added to the branch's restricted record of the year.
    It is read by `check` only (member on the roster), and never published."""
    change = Change()
    errors = change.errors
    key, keys, what = RESTRICTED_KINDS[kind]
    pairs: list[tuple[str, str]] = []
    member = form.get("member", "").strip()
    names = {m.id: m.name for m in ws.branch_year().members}
    for name in keys:
        text = form.get(name, "").strip()
        if name == "member":
            if not member:
                errors["member"] = "请选择党员。"
            else:
                pairs.append(("member", yamledit.ident(member)))
        elif name in _RESTRICTED_DATES:
            day = _need_date(form, name, errors)
            if day is not None:
                if day.year not in (ws.year, ws.year + 1):
                    errors[name] = (
                        f"日期 {day.isoformat()} 不在 {ws.year} 年（或次年年初）之内：这是 {ws.year} 年的记录。"
                    )
                pairs.append((name, day.isoformat()))
        elif text:
            pairs.append((name, yamledit.scalar(" ".join(text.split()))))
        elif name in _RESTRICTED_REQUIRED:
            errors[name] = "请填写。"
    if errors:
        return change
    path = ws.restricted_path
    old = ws.text(path)
    text = yamledit.add_to_list(old or "", key, [yamledit.item_block(pairs)], path)
    if old is None:
        text = "# 不公开记录（专卷保存）：只用于检查，永远不会发布到网站上。\n" + text
    change.files[path] = text
    change.lines[path] = _new_lines(old or "", text, {k: k for k in keys})
    change.summary = f"不公开记录：{what}（{names.get(member, member)}）"
    return change


# -- notices (通知、公告): <branch>/notices/<date>-<name>.md, published on the branch's pages


def notice_change(ws: Workspace, form: dict[str, str]) -> Change:
    """通知、公告: a new Markdown file with its front matter (title, date, pinned)."""
    change = Change()
    errors = change.errors
    title = " ".join(form.get("title", "").split())
    if not title:
        errors["title"] = "请填写标题。"
    day = _need_date(form, "date", errors)
    body = form.get("body", "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not body.strip():
        errors["body"] = "请填写正文。"
    name = form.get("name", "").strip().lower() or "tongzhi"
    if not re.match(r"^[a-z0-9][a-z0-9-]*\Z", name) or len(name) > 60:
        errors["name"] = "文件名只用小写英文字母、数字和“-”，如 q3-gongshi（不写时为 tongzhi）。"
    if errors or day is None:
        return change
    taken = {p.name for p in (ws.root / ws.notices_folder).glob("*.md")}
    stem = first = f"{day.isoformat()}-{name}"
    n = 1
    while f"{stem}.md" in taken:
        n += 1
        stem = f"{first}-{n}"
    path = f"{ws.notices_folder}/{stem}.md"
    head = ["---", f"title: {yamledit.scalar(title)}", f"date: {day.isoformat()}"]
    if form.get("pinned") == "1":
        head.append("pinned: 是")
    head.append("---")
    text = "\n".join(head) + "\n" + body + "\n"
    change.files[path] = text
    lines = {1: "title", 2: "title", 3: "date", len(head): "title"}
    if form.get("pinned") == "1":
        lines[4] = "pinned"
    lines |= {no: "body" for no in range(len(head) + 1, text.count("\n") + 1)}
    change.lines[path] = lines
    change.summary = f"通知：{title}（{day.isoformat()}）"
    return change


# -- the branch's scheme of the year (年初设定积分项目): <year>/scheme.yaml --------------------


def _number(form: dict[str, str], key: str, errors: dict[str, str]) -> str | None:
    text = form.get(key, "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[key] = f"“{text}”不是数字：只写半角阿拉伯数字，如 2 或 0.5。"
        return None
    return format(value.normalize(), "f")


def scheme_dates_change(ws: Workspace, form: dict[str, str]) -> Change:
    """年初设定: the dates the branch announced its items (党员大会通报) and posted them."""
    change = Change()
    errors = change.errors
    values = []
    for key in ("announced", "posted"):
        day = _need_date(form, key, errors, required=False)
        if day is not None:
            values.append((key, day.isoformat()))
    if not values and not errors:
        errors["announced"] = "至少填写一个日期。"
    if errors:
        return change
    path = ws.scheme_path
    old = ws.text(path)
    text = yamledit.set_top(old, values, "scheme.yaml")
    change.files[path] = text
    change.lines[path] = _new_lines(old or "", text, {"announced": "announced", "posted": "posted"})
    change.codes = {"E208": "posted"}
    names = {"announced": "党员大会通报", "posted": "党务公开栏公开"}
    change.summary = "年初设定积分项目：" + "、".join(f"{names[k]} {v}" for k, v in values)
    return change


_SCHEME_ITEM_KEYS = ("code", "part", "name", "points", "min", "max", "cap", "applies_to", "evidence")


def scheme_item_change(ws: Workspace, form: dict[str, str]) -> Change:
    """年初设定: an item of the branch's own (a new code), added to `items`."""
    change = Change()
    errors = change.errors
    code = form.get("code", "").strip()
    if not code:
        errors["code"] = "请填写项目编号（本支部新增的编号，不能和上级重复），如 Z01。"
    elif not _ID.match(code):
        errors["code"] = "编号只用英文字母、数字，如 Z01。"
    part = form.get("part", "").strip()
    if not part:
        errors["part"] = "请选择所属部分。"
    name = " ".join(form.get("name", "").split())
    if not name:
        errors["name"] = "请填写项目名称。"
    numbers = {k: _number(form, k, errors) for k in ("points", "min", "max", "cap")}
    if errors:
        return change
    pairs = [("code", yamledit.ident(code)), ("part", yamledit.scalar(part)), ("name", yamledit.scalar(name))]
    pairs += [(k, v) for k, v in numbers.items() if v is not None]
    categories = [c for c in form.get("applies_to_list", "").split(",") if c]
    if categories:
        pairs.append(("applies_to", "[" + ", ".join(yamledit.scalar(c) for c in categories) + "]"))
    evidence = " ".join(form.get("evidence", "").split())
    if evidence:
        pairs.append(("evidence", yamledit.scalar(evidence)))
    path = ws.scheme_path
    old = ws.text(path)
    text = yamledit.add_to_list(old or "", "items", [yamledit.item_block(pairs)], "scheme.yaml")
    change.files[path] = text
    change.lines[path] = _new_lines(old or "", text, {k: k for k in _SCHEME_ITEM_KEYS} | {"items": "code"})
    change.summary = f"年初设定积分项目：新增 {code} {name}"
    return change


def scheme_narrow_change(ws: Workspace, form: dict[str, str]) -> Change:
    """年初设定: an upper layer's item narrowed for the branch (a fixed points value in its
    range, a narrower range, a lower cap), added to `narrow`."""
    change = Change()
    errors = change.errors
    code = form.get("ncode", "").strip()
    if not code:
        errors["ncode"] = "请选择要细化的项目。"
    numbers = {k: _number(form, f"n{k}", errors) for k in ("points", "min", "max", "cap")}
    if not errors and all(v is None for v in numbers.values()):
        errors["npoints"] = "写固定分值，或缩小的范围，或降低的年度上限。"
    if errors:
        return change
    pairs = [("code", yamledit.ident(code))] + [(k, v) for k, v in numbers.items() if v is not None]
    path = ws.scheme_path
    old = ws.text(path)
    text = yamledit.add_to_list(old or "", "narrow", [yamledit.item_block(pairs)], "scheme.yaml")
    change.files[path] = text
    keys = {"code": "ncode", "narrow": "ncode"} | {k: f"n{k}" for k in ("points", "min", "max", "cap")}
    change.lines[path] = _new_lines(old or "", text, keys)
    # "outside the upper range" is said at the narrowing's first line: show it at the number given
    change.codes = {"E205": next(f"n{k}" for k, v in numbers.items() if v is not None)}
    what = "，".join(
        {"points": "每次 {} 分", "min": "最少 {} 分", "max": "最多 {} 分", "cap": "年度上限 {} 分"}[k].format(v)
        for k, v in numbers.items()
        if v is not None
    )
    change.summary = f"年初设定积分项目：细化 {code}（{what}）"
    return change


def scheme_drop_change(ws: Workspace, form: dict[str, str]) -> Change:
    """年初设定: an upper layer's item the branch does not use, added to `drop`."""
    change = Change()
    code = form.get("dcode", "").strip()
    if not code:
        change.errors["dcode"] = "请选择要删去的项目。"
        return change
    path = ws.scheme_path
    old = ws.text(path)
    text = yamledit.add_to_scalar_list(old, "drop", yamledit.ident(code), "scheme.yaml")
    change.files[path] = text
    change.lines[path] = _new_lines(old or "", text, {"drop": "dcode", code: "dcode"})
    # a 一票否决 item cannot be dropped; nor one the ledger still uses
    change.codes = {"E206": "dcode", "E403": "dcode"}
    change.summary = f"年初设定积分项目：删去 {code}"
    return change
