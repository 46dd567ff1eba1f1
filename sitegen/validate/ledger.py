"""Ledger rules (SPEC 2.4): known members and items, category, points, dates, corrections."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from sitegen.model.enums import Part, Source
from sitegen.model.ledger import EVERYONE, Entry
from sitegen.model.org import Member
from sitegen.model.scheme import Scheme
from sitegen.model.scored import Role
from sitegen.model.site import Branch, BranchYear
from sitegen.problems import Pos, Problem
from sitegen.rules.membership import SCORING, role_on
from sitegen.rules.periods import quarter_name, quarter_of
from sitegen.validate import Locator

CORRECTION_GRACE = (1, 31)  # a Q4 correction may be made up to 31 January of the next year


def check_ledger(
    branch: Branch, by: BranchYear, scheme: Scheme, raw_entries: list[tuple[int, Entry]], locate: Locator
) -> list[Problem]:
    """`raw_entries` are (file quarter, entry) as written, before 全体 was expanded."""
    problems: list[Problem] = []
    members = {m.id: m for m in by.members}
    first_seen: set[str] = set()
    corrected = Counter(e.corrects for _, e in raw_entries if e.corrects)
    by_id = {e.id: e for _, e in raw_entries}

    for file_quarter, e in raw_entries:
        if e.id in first_seen:
            problems.append(
                Problem(
                    "E401",
                    f"台账条目编号“{e.id}”在 {by.year} 年重复使用。",
                    locate.find(e.pos, "id"),
                    "每个条目用不同的编号，例如按年份加序号：2026-001、2026-002。",
                )
            )
        first_seen.add(e.id)
        problems += _dates(e, by.year, file_quarter, locate)
        problems += _correction(e, by_id, corrected, locate)
        target = by_id.get(e.corrects) if e.corrects else None
        # a correction restates the corrected activity: who could take part is decided on its date
        day = target.date if target is not None and target.date <= e.date else e.date
        problems += _members(e, members, day, locate)
        problems += _item_and_points(e, by_id, scheme, branch, locate)
        problems += _evidence(e, locate)
    return problems


def _evidence(e: Entry, locate: Locator) -> list[Problem]:
    """党员申报 and 群众证实 stand on evidence (policy 四(二)2): what the member provided, who
    confirmed it. The branch's own records (支部登记) are their own evidence."""
    if e.void or e.source is Source.BRANCH or e.evidence.strip():
        return []
    return [
        Problem(
            "E412",
            f"条目“{e.id}”的来源是“{e.source.value}”，却没有写依据 evidence。",
            locate.find(e.pos, "source"),
            "写明依据：党员申报写本人提供的材料（如证书、活动照片、服务记录），"
            "群众证实写证实的方式（如受惠群众签字的证明材料，姓名等个人信息不要写在这里）。",
        )
    ]


def _dates(e: Entry, year: int, file_quarter: int, locate: Locator) -> list[Problem]:
    if e.corrects and file_quarter == 4 and e.date.year == year + 1 and (e.date.month, e.date.day) <= CORRECTION_GRACE:
        return []
    if e.date.year != year:
        return [
            Problem(
                "E406",
                f"条目“{e.id}”的日期 {e.date} 不在 {year} 年内。",
                locate.find(e.pos, "date"),
                f"检查年份；{e.date.year} 年的记录请写在 {e.date.year}/ 文件夹里。",
            )
        ]
    if quarter_of(e.date) != file_quarter:
        q = quarter_of(e.date)
        return [
            Problem(
                "E406",
                f"条目“{e.id}”的日期 {e.date} 属于{quarter_name(q)}，却写在 q{file_quarter}.yaml 里。",
                locate.find(e.pos, "date"),
                f"把这个条目移到 ledger/q{q}.yaml，或改正日期。",
            )
        ]
    return []


def _correction(e: Entry, by_id: dict[str, Entry], corrected: Counter[str], locate: Locator) -> list[Problem]:
    if not e.corrects:
        if e.void or e.reason:
            return [
                Problem(
                    "E408",
                    f"条目“{e.id}”写了 {'void' if e.void else 'reason'}，但没有写 corrects（更正哪一条）。",
                    e.pos,
                    "更正已有条目时写 corrects: 原条目编号 和 reason: 更正理由；普通条目的说明写在 note 里。",
                )
            ]
        return []
    problems = []
    target = by_id.get(e.corrects)
    if target is None:
        problems.append(
            Problem(
                "E408",
                f"更正条目“{e.id}”要更正的“{e.corrects}”不存在。",
                locate.find(e.pos, "corrects"),
                "写本年度台账里已有条目的编号。",
            )
        )
    elif target.date > e.date:
        problems.append(
            Problem(
                "E408",
                f"更正条目“{e.id}”的日期早于被更正的“{target.id}”。",
                locate.find(e.pos, "date"),
                "更正条目的日期写更正当天。",
            )
        )
    if e.corrects == e.id:
        problems.append(
            Problem("E408", f"条目“{e.id}”不能更正它自己。", locate.find(e.pos, "corrects"), "检查 corrects。")
        )
    if corrected[e.corrects] > 1:
        problems.append(
            Problem(
                "E408",
                f"“{e.corrects}”被不止一个条目更正。",
                locate.find(e.pos, "corrects"),
                "再次更正时，更正上一次的更正条目（corrects 写上一次更正的编号）。",
            )
        )
    if not e.reason.strip():
        problems.append(
            Problem(
                "E408",
                f"更正条目“{e.id}”没有写更正理由。",
                e.pos,
                "加上 reason: 更正理由（会随更正一起公开），例如“经申辩核实，当日因公请假”。",
            )
        )
    return problems


def _members(e: Entry, members: dict[str, Member], day: date, locate: Locator) -> list[Problem]:
    problems = []
    if e.members == (EVERYONE,):
        for j, mid in enumerate(e.excluding):
            if mid not in members:
                problems.append(
                    Problem(
                        "E402",
                        f"条目“{e.id}”排除的党员编号“{mid}”不在本年度名册里。",
                        locate.find(e.pos, "excluding", j),
                        "检查编号（见本年度 roster.yaml）。",
                    )
                )
        return problems
    if e.excluding:
        problems.append(
            Problem(
                "E409",
                f"条目“{e.id}”写了 excluding，但 members 不是“全体”。",
                locate.find(e.pos, "excluding"),
                "excluding 只和 members: 全体 一起用；否则直接在 members 里列出参加的党员。",
            )
        )
    if not e.members and not e.void and not e.corrects:
        problems.append(
            Problem("E402", f"条目“{e.id}”没有列出党员。", e.pos, "在 members 里列出党员编号，或写 members: 全体。")
        )
    seen = set()
    for j, mid in enumerate(e.members):
        m = members.get(mid)
        role = role_on(m, day) if m is not None else None
        if mid not in seen and role in SCORING:
            seen.add(mid)
            continue  # the usual case, decided without locating anything
        at = locate.find(e.pos, "members", j)
        if mid in seen:
            problems.append(Problem("E409", f"条目“{e.id}”里党员“{mid}”列了两次。", at, "删去重复的编号。"))
            continue
        seen.add(mid)
        if m is None:
            hint = (
                "写本年度 roster.yaml 里的党员编号（不是姓名）。"
                if mid != EVERYONE
                else "“全体”要单独写成 members: 全体。"
            )
            problems.append(Problem("E402", f"条目“{e.id}”里的党员“{mid}”不在本支部本年度名册里。", at, hint))
        elif role is None:
            problems.append(_not_member_then(e, m, day, at))
        elif role is Role.EXEMPT:
            problems.append(
                Problem(
                    "E407",
                    f"{m.name}（{mid}）{day} 已不纳入积分管理，不能记分（条目“{e.id}”）。",
                    at,
                    "从 members 里删去；不纳入积分管理从上级党委备案（filed）之日起算，之前的活动照常记分；"
                    "如果手续日期有误，先改正名册里的 exempt。",
                )
            )
        elif role is Role.FLOATING_OUT:
            problems.append(
                Problem(
                    "E407",
                    f"{m.name}（{mid}）{day} 已流出，由流入地党组织积分（条目“{e.id}”）。",
                    at,
                    "流出党员的积分记在流入支部的台账里，请从这里删去；如果流出日期有误，改正名册里的 floating.since。",
                )
            )
    return problems


def _not_member_then(e: Entry, m: Member, day: date, at: Pos) -> Problem:
    """E410: on the roster this year, but not this branch's member on the entry's date."""
    if m.joined is not None and day < m.joined:
        why = f"{m.joined} 才加入本支部" + (f"（{m.join.value}）" if m.join else "")
        hint = "从 members 里删去（加入之前的活动不在本支部记分）；如果加入日期写错了，改正名册里的 joined。"
    elif m.left is not None and day >= m.left:
        why = f"{m.left} 已离开本支部"
        hint = "从 members 里删去（离开之后的活动不在本支部记分）；如果离开日期写错了，改正名册里的 left。"
    else:
        since = m.floating.since if m.floating else None
        why = f"{since} 才流入本支部，之前由原支部积分"
        hint = "从 members 里删去，这次活动的积分记在原支部；如果流入日期写错了，改正名册里的 floating.since。"
    return Problem("E410", f"条目“{e.id}”（{day}）里的 {m.name}（{m.id}）{why}，这一天不是本支部积分的党员。", at, hint)


def inherited_item(e: Entry, by_id: dict[str, Entry]) -> str:
    """The item an entry counts for: its own, or — a correction that does not restate it —
    the item of the entry it corrects, through a chain of corrections."""
    seen: set[str] = set()
    while not e.item and e.corrects and e.corrects in by_id and e.id not in seen:
        seen.add(e.id)
        e = by_id[e.corrects]
    return e.item


def _item_and_points(
    e: Entry, by_id: dict[str, Entry], scheme: Scheme, branch: Branch, locate: Locator
) -> list[Problem]:
    if e.void or (e.corrects and e.corrects not in by_id):
        return []  # nothing to check, or the missing target was reported already
    code = inherited_item(e, by_id)
    if not code:
        return [
            Problem("E403", f"条目“{e.id}”没有写积分项目 item。", e.pos, "写本年度积分项目的编号，例如 item: B01。")
        ]
    item = scheme.items.get(code)
    if item is None:
        at = locate.find(e.pos, "item") if e.item else e.pos
        if code in scheme.inapplicable:
            other = scheme.inapplicable[code]
            return [
                Problem(
                    "E404",
                    f"积分项目“{code} {other.name}”不适用于{branch.category.value}党员。",
                    at,
                    f"该项目只适用于{'、'.join(c.value for c in other.applies_to)}党员；请选用本支部适用的项目。",
                )
            ]
        return [
            Problem(
                "E403",
                f"积分项目“{code}”在 {scheme.year} 年考核表里不存在。",
                at,
                "检查编号；可用的项目见 scheme/ 和本支部的 scheme.yaml。",
            )
        ]
    if item.part is Part.VETO:
        if e.points is not None:
            return [
                Problem(
                    "E405",
                    f"一票否决项目“{code}”不记分值（条目“{e.id}”）。",
                    locate.find(e.pos, "points"),
                    "删去 points。",
                )
            ]
        return []
    if item.points is not None:
        if e.points is not None and e.points != item.points:
            return [
                Problem(
                    "E405",
                    f"条目“{e.id}”的分值 {e.points} 与项目“{code} {item.name}”规定的 {item.points} 不同。",
                    locate.find(e.pos, "points"),
                    f"删去 points（自动按 {item.points} 分计），或改为 {item.points}。",
                )
            ]
        return []
    bounds = item.bounds
    if bounds is None:
        return []  # neither fixed nor ranged: the scheme's own check reports the item (E2xx)
    lo, hi = bounds
    if e.points is None:
        return [
            Problem(
                "E405",
                f"项目“{code} {item.name}”的分值在 {lo}–{hi} 之间，条目“{e.id}”要写 points。",
                e.pos,
                f"加上 points: 一个 {lo} 到 {hi} 之间的数。",
            )
        ]
    if not (lo <= e.points <= hi):
        return [
            Problem(
                "E405",
                f"条目“{e.id}”的分值 {e.points} 超出项目“{code} {item.name}”的范围 {lo}–{hi}。",
                locate.find(e.pos, "points"),
                f"在 {lo} 到 {hi} 之间取值。",
            )
        ]
    step = item.step or Decimal(1)
    if (e.points - lo) % step:
        return [
            Problem(
                "E411",
                f"条目“{e.id}”的分值 {e.points} 不在项目“{code} {item.name}”的分档上（从 {lo} 起每档 {step} 分）。",
                locate.find(e.pos, "points"),
                f"取 {lo}、{lo + step}……{hi} 中的一个；考核表需要半分的，在项目上写 step: 0.5。",
            )
        ]
    return []
