"""What a pull request changes in the quarterly cycle (quarters/q<N>.yaml) and the year
end's dates: the steps 汇总审核 → 逐人反馈 → 申辩 → 确认 → 公示 → 报备, and the appeals.

An appeal is shown by its id, the member, the entry it concerns, its dates, outcome and
correction entry — never its reason (restricted/) nor the matter as written, which may
quote it: the review comment is as public as the pull request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitegen.check import Report
from sitegen.model.ledger import Appeal, Period, QuarterRecord, YearEnd
from sitegen.model.site import BranchYear
from sitegen.rules.published import YEAR_END

STEPS = (("reviewed", "汇总审核"), ("feedback", "逐人反馈"), ("confirmed", "确认"), ("reported", "报备"))
YEAR_END_STEPS = (("evaluated", "民主测评"), ("assessed", "综合评定"), ("reported", "报备"))


@dataclass(frozen=True, slots=True)
class RecordChange:
    year: int
    quarter: int  # 1–4, or YEAR_END (5)
    what: str  # 季度记录 / 汇总审核 / 公示 / 申辩 …
    old: str  # '' : absent
    new: str
    appeal: str = ""  # the appeal's id, for 申辩 rows
    path: str = ""


def record_changes(base: Report, head: Report, committee: str, branch: str) -> tuple[RecordChange, ...]:
    years0, years1 = _years(base, branch), _years(head, branch)
    out: list[RecordChange] = []
    folder = f"committees/{committee}/branches/{branch}"
    names = {m.id: str(m.name) for by in (*years0.values(), *years1.values()) for m in by.members}
    for year in sorted(set(years0) | set(years1)):
        by0, by1 = years0.get(year), years1.get(year)
        for q in (1, 2, 3, 4):
            r0 = by0.quarters.get(q) if by0 is not None else None
            r1 = by1.quarters.get(q) if by1 is not None else None
            if r0 != r1:
                out += _quarter(year, q, r0, r1, f"{folder}/{year}/quarters/q{q}.yaml", names)
        y0 = by0.year_end if by0 is not None else None
        y1 = by1.year_end if by1 is not None else None
        if _year_end_dates(y0) != _year_end_dates(y1):
            out += _year_end(year, y0, y1, f"{folder}/{year}/year-end.yaml")
    return tuple(out)


def _years(report: Report, branch: str) -> dict[int, BranchYear]:
    d = report.loaded.district
    b = d.branch(branch) if d is not None else None
    return dict(b.years) if b is not None else {}


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _period(p: Period | None) -> str:
    return f"{p.start.isoformat()} 至 {p.end.isoformat()}" if p is not None else ""


def _quarter(
    year: int, q: int, old: QuarterRecord | None, new: QuarterRecord | None, path: str, names: dict[str, str]
) -> list[RecordChange]:
    if old is None or new is None:
        kind = ("", "新增") if old is None else ("删除", "")
        out = [RecordChange(year, q, "季度记录", kind[0] and "有", kind[1] and "有", path=path)]
    else:
        out = []
    for name, label in STEPS:
        a, b = _day(getattr(old, name, None)), _day(getattr(new, name, None))
        if a != b:
            out.append(RecordChange(year, q, label, a, b, path=path))
    a, b = _period(old.publicity if old else None), _period(new.publicity if new else None)
    if a != b:
        out.append(RecordChange(year, q, "公示", a, b, path=path))
    out += _appeals(year, q, old.appeals if old else (), new.appeals if new else (), path, names)
    return out


def _appeal(a: Appeal, names: dict[str, str]) -> str:
    about = f"，涉及条目 {a.entry}" if a.entry else ""
    who = f"{names[a.member]}（{a.member}）" if a.member in names else a.member
    text = f"{who} {a.filed.isoformat()} 提出{about}"
    if a.outcome is None:
        return text + "，尚未决定"
    text += f"，{_day(a.decided) or '（未写日期）'} 决定{a.outcome.value}"
    return text + (f"（更正条目 {a.correction}）" if a.correction else "")


def _appeals(
    year: int, q: int, old: tuple[Appeal, ...], new: tuple[Appeal, ...], path: str, names: dict[str, str]
) -> list[RecordChange]:
    before = {a.id: a for a in old}
    after = {a.id: a for a in new}
    out = []
    for aid, a in after.items():
        was = before.get(aid)
        if was is None:
            what = "申辩（新增并已决定）" if a.outcome is not None else "申辩（新增）"
            out.append(RecordChange(year, q, what, "", _appeal(a, names), aid, path))
        elif was != a:
            what = "申辩（作出决定）" if was.outcome is None and a.outcome is not None else "申辩（修改）"
            out.append(RecordChange(year, q, what, _appeal(was, names), _appeal(a, names), aid, path))
    for aid, a in before.items():
        if aid not in after:
            out.append(RecordChange(year, q, "申辩（删除）", _appeal(a, names), "", aid, path))
    return out


def _year_end_dates(y: YearEnd | None) -> tuple:
    if y is None:
        return ()
    return (*(getattr(y, name) for name, _ in YEAR_END_STEPS), y.publicity)


def _year_end(year: int, old: YearEnd | None, new: YearEnd | None, path: str) -> list[RecordChange]:
    out = []
    for name, label in YEAR_END_STEPS:
        a, b = _day(getattr(old, name, None)), _day(getattr(new, name, None))
        if a != b:
            out.append(RecordChange(year, YEAR_END, label, a, b, path=path))
    a, b = _period(old.publicity if old else None), _period(new.publicity if new else None)
    if a != b:
        out.append(RecordChange(year, YEAR_END, "公示", a, b, path=path))
    return out
