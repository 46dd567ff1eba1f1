"""What a pull request does, computed from two checked and scored trees (base and head).

Every number here comes from the rules engine run on each tree; this module only
compares: ledger entries by id, members' quarter points, totals, ranks and grades,
the items of every scheme layer, and the problems `check` finds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from dataclasses import fields as dc_fields
from datetime import date
from decimal import Decimal

from sitegen.check import Report
from sitegen.history.entries import Kind, changed_fields, diff_entries, kind_of
from sitegen.load import same_unread
from sitegen.model.enums import Grade
from sitegen.model.ledger import Entry
from sitegen.model.scored import GradedMember, MemberResult, Parts, ScoredMember
from sitegen.problems import Problem
from sitegen.render.format import points as fmt_points
from sitegen.review.grades import FarGrade, far_grades
from sitegen.review.published import (
    Newcomer,
    PublishedChange,
    newcomers,
    published_changes,
    result_of,
    same_result,
    started,
)
from sitegen.review.records import RecordChange, record_changes
from sitegen.review.trees import FileChange
from sitegen.rules.published import YEAR_END

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class EntryDiff:
    kind: Kind
    year: int
    quarter: int  # the ledger file's
    entry: str
    old: Entry | None
    new: Entry | None
    fields: tuple[str, ...] = ()
    published: bool = False  # the quarter's 公示 had started at base: a change to a published record
    old_points: Decimal | None = None  # as stated, or the item's fixed points (None: unknown, void or absent)
    new_points: Decimal | None = None
    part: str = ""  # the item's part (基础积分, 贡献加分, 违规扣分, 一票否决), '' if unknown

    @property
    def current(self) -> Entry:
        """The entry after the change, or before it when it was removed."""
        entry = self.new if self.new is not None else self.old
        assert entry is not None, "a difference has the entry on one side at least"
        return entry


@dataclass(frozen=True, slots=True)
class Delta:
    """old → new of one value (None: absent on that side)."""

    old: object
    new: object


@dataclass(frozen=True, slots=True)
class MemberDiff:
    year: int
    member: str
    name: str
    quarters: tuple[tuple[int, Delta], ...]  # (quarter, points the quarter added) where it changed
    total: Delta | None = None
    rank: Delta | None = None  # within the branch
    grade: Delta | None = None  # the final grade if recorded, else the score's
    rank_committee: Delta | None = None
    rank_district: Delta | None = None
    status: str = ""  # 新增 / 移出 when the member is on one side only


@dataclass(frozen=True, slots=True)
class BranchReview:
    committee: str
    branch: str
    name: str
    entries: tuple[EntryDiff, ...]
    members: tuple[MemberDiff, ...]
    files: tuple[tuple[str, str], ...]  # other files changed: (path, 新增/删除/修改)
    names: dict[str, str] = field(default_factory=dict, compare=False)  # member id → name, either side
    newcomers: tuple[Newcomer, ...] = ()  # on head's roster, not on base's
    records: tuple[RecordChange, ...] = ()  # quarter records and the year end's dates

    @property
    def counts(self) -> Counter:
        return Counter(e.kind for e in self.entries)


@dataclass(frozen=True, slots=True)
class SchemeChange:
    kind: str  # 新增 / 删除 / 修改
    what: str  # 项目 / 细化 / 分组 / 不适用 / 上限 / 设置
    code: str
    detail: str


@dataclass(frozen=True, slots=True)
class SchemeDiff:
    layer: str  # e.g. 全区考核表（2026年）
    path: str
    changes: tuple[SchemeChange, ...]


@dataclass(frozen=True)
class Review:
    base: str  # commit ids
    head: str
    base_name: str  # as the user wrote them
    head_name: str
    branches: tuple[BranchReview, ...]
    schemes: tuple[SchemeDiff, ...]
    new_problems: tuple[Problem, ...]
    fixed_problems: int
    head_errors: int
    ranks_elsewhere: int  # members whose committee/district rank moved only because others' points changed
    other_files: tuple[tuple[str, str], ...] = ()  # changed files outside any branch folder
    published: tuple[PublishedChange, ...] = ()  # public numbers of started 公示 that head shows otherwise
    theme_files: tuple[FileChange, ...] = ()  # theme/: templates and assets, reviewed as code
    symlinks: tuple[FileChange, ...] = ()  # symbolic links (and submodules) anywhere in the diff
    history_checked: bool = True  # False: a shallow clone, E10xx could not be looked for
    today: date | None = None
    far_grades: tuple[FarGrade, ...] = ()  # final grades far from the score's or against a 不合格 测评

    @property
    def history_problems(self) -> tuple[Problem, ...]:
        """New problems found by the history checks (E10xx): the published record touched."""
        return tuple(p for p in self.new_problems if is_history_code(p.code))

    @property
    def new_history_errors(self) -> int:
        return sum(1 for p in self.history_problems if p.is_error)

    @property
    def breaks_record(self) -> bool:
        return bool(self.history_problems or self.published)

    @property
    def entry_counts(self) -> Counter[Kind]:
        total: Counter[Kind] = Counter()
        for b in self.branches:
            total.update(b.counts)
        return total

    @property
    def members_changed(self) -> int:
        return sum(1 for b in self.branches for m in b.members if m.total or m.quarters or m.status)

    @property
    def grades_changed(self) -> int:
        return sum(1 for b in self.branches for m in b.members if m.grade)

    @property
    def new_errors(self) -> int:
        return sum(1 for p in self.new_problems if p.is_error)


def is_history_code(code: str) -> bool:
    return code.startswith("E10") and len(code) == 5


def compare(
    base: Report,
    head: Report,
    base_id: str,
    head_id: str,
    base_name: str,
    head_name: str,
    *,
    today: date | None = None,
    changes: list[FileChange] | None = None,
    history_checked: bool = True,
) -> Review:
    """`today` decides which 公示 had started at base (None: every recorded one);
    `changes`: the files git says differ (for theme files and symbolic links)."""
    today = today or date.max
    changes = changes or []
    branch_keys = _branch_keys(base) | _branch_keys(head)
    files = [(p, k) for p, k in _changed_files(base.loaded.hashes, head.loaded.hashes) if not p.startswith("theme/")]
    branches = []
    ranks_elsewhere = 0
    ledger_years: dict[tuple[str, str], set[int]] = {}
    for c, b, y in (*base.loaded.ledgers, *head.loaded.ledgers):
        ledger_years.setdefault((c, b), set()).add(y)
    for committee, branch in sorted(branch_keys):
        entries = _entries(base, head, committee, branch, today, ledger_years.get((committee, branch), set()))
        members, elsewhere = _members(base, head, branch)
        ranks_elsewhere += elsewhere
        folder = f"committees/{committee}/branches/{branch}/"
        restricted = f"restricted/{branch}/"
        own_files = tuple((p, k) for p, k in files if p.startswith((folder, restricted)) and "/ledger/" not in p)
        arrived = newcomers(base, head, branch, today)
        records = record_changes(base, head, committee, branch)
        if entries or members or own_files or arrived or records:
            branches.append(
                BranchReview(
                    committee,
                    branch,
                    _branch_name(head, branch) or _branch_name(base, branch),
                    entries,
                    members,
                    own_files,
                    _names(base, branch) | _names(head, branch),
                    arrived,
                    records,
                )
            )
    in_branches = {p for b in branches for p, _ in b.files}
    other = tuple((p, k) for p, k in files if p not in in_branches and "/ledger/" not in p)
    new, fixed = _problems(base.problems, head.problems)
    theme = tuple(c for c in changes if c.path.startswith("theme/") or c.path == "theme")
    links = tuple(c for c in changes if c.kind != "文件")
    return Review(
        base=base_id,
        head=head_id,
        base_name=base_name,
        head_name=head_name,
        branches=tuple(branches),
        schemes=tuple(_schemes(base, head)),
        new_problems=new,
        fixed_problems=fixed,
        head_errors=len(head.errors),
        ranks_elsewhere=ranks_elsewhere,
        other_files=other,
        published=tuple(published_changes(base, head, today)),
        theme_files=theme,
        symlinks=links,
        history_checked=history_checked,
        today=None if today == date.max else today,
        far_grades=far_grades(base, head),
    )


def _branch_keys(report: Report) -> set[tuple[str, str]]:
    keys = {(c, b) for c, b, _ in report.loaded.ledgers}
    if report.loaded.district is not None:
        keys |= {(b.committee_id, b.id) for b in report.loaded.district.branches()}
    return keys


def _branch_name(report: Report, branch_id: str) -> str:
    d = report.loaded.district
    b = d.branch(branch_id) if d is not None else None
    return b.info.short_name if b is not None else ""


def _names(report: Report, branch_id: str) -> dict[str, str]:
    d = report.loaded.district
    b = d.branch(branch_id) if d is not None else None
    return {m.id: str(m.name) for by in (b.years.values() if b else ()) for m in by.members}


def _changed_files(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str]]:
    out = []
    for path in sorted(set(old) | set(new)):
        if path not in old:
            out.append((path, "新增"))
        elif path not in new:
            out.append((path, "删除"))
        elif old[path] != new[path]:
            out.append((path, "修改"))
    return out


# --------------------------------------------------------------------------- ledger entries


def _entries(
    base: Report, head: Report, committee: str, branch: str, today: date, years: set[int]
) -> tuple[EntryDiff, ...]:
    """`years`: those the branch has ledgers of, on either side."""
    out = []
    for year in sorted(years):
        if same_unread(base.loaded.ledgers, head.loaded.ledgers, (committee, branch, year)):
            continue  # the same remembered entries on both sides (the branch's files unchanged): not even read
        before = base.loaded.ledgers.get((committee, branch, year), [])
        after = head.loaded.ledgers.get((committee, branch, year), [])
        if len(before) == len(after) and all(q0 == q1 and e0 is e1 for (q0, e0), (q1, e1) in zip(before, after)):
            continue  # the very same entries (files the change did not touch): nothing to compare
        was_in = {e.id: q for q, e in before}
        now_in = {e.id: q for q, e in after}
        published = _published_quarters(base, branch, year, today)
        items0, items1 = _items(base, branch, year), _items(head, branch, year)
        entries0, entries1 = {e.id: e for _, e in before}, {e.id: e for _, e in after}
        for old, new in diff_entries(entries0.values(), entries1.values()):
            eid = new.id if new is not None else old.id if old is not None else ""
            quarter = now_in.get(eid, was_in.get(eid, 0))
            fields = changed_fields(old, new) if old is not None and new is not None else ()
            touched = {now_in.get(eid), was_in.get(eid)} - {None}
            item = items1.get(_item_code(new, entries1)) or items0.get(_item_code(old, entries0))
            out.append(
                EntryDiff(
                    kind_of(old, new),
                    year,
                    quarter,
                    eid,
                    old,
                    new,
                    fields,
                    bool(touched & published),
                    _effective(old, entries0, items0),
                    _effective(new, entries1, items1),
                    item.part.value if item else "",
                )
            )
    return tuple(sorted(out, key=lambda d: (d.year, d.quarter, d.current.date, d.entry)))


def _items(report: Report, branch: str, year: int) -> dict:
    """Item code → item in the branch's effective scheme of that year."""
    result = report.years.get(year)
    b = result.branches.get(branch) if result else None
    return b.scheme.items if b else {}


def _item_code(e: Entry | None, entries: dict[str, Entry]) -> str:
    """A correction that names no item keeps the corrected entry's."""
    if e is None:
        return ""
    if not e.item and e.corrects in entries:
        return entries[e.corrects].item
    return e.item


def _effective(e: Entry | None, entries: dict[str, Entry], items: dict) -> Decimal | None:
    if e is None or e.void:
        return None
    if e.points is not None:
        return e.points
    item = items.get(_item_code(e, entries))
    return item.points if item is not None else None


def _published_quarters(report: Report, branch: str, year: int, today: date) -> set[int]:
    """The quarters whose 公示 had started by `today` at this version."""
    d = report.loaded.district
    b = d.branch(branch) if d is not None else None
    by = b.years.get(year) if b is not None else None
    return {q for q in started(by, today) if q != YEAR_END}


# --------------------------------------------------------------------------- members' results


def _results(report: Report, branch: str) -> dict[tuple[int, str], MemberResult]:
    out: dict[tuple[int, str], MemberResult] = {}
    for year, result in report.years.items():
        b = result.branches.get(branch)
        if b is not None:
            for r in b.members:
                out[(year, r.member.id)] = r
    return out


def net(parts: Parts) -> Decimal:
    return parts.base + parts.bonus - parts.deduction


def _quarter_points(r: MemberResult | None) -> dict[int, Decimal]:
    return {mq.quarter: net(mq.points) for mq in r.quarters} if r is not None else {}


def _delta(old: object, new: object) -> Delta | None:
    return None if old == new else Delta(old, new)


def _total(r: MemberResult | None) -> Decimal | None:
    """The year's score (None: not a member here, or not scored)."""
    return r.total if isinstance(r, ScoredMember) else None


def _grade(r: MemberResult) -> Grade | None:
    """The grade shown: the final one once the year end is recorded (None: not graded)."""
    return r.final_grade or (r.grade if isinstance(r, GradedMember) else None)


def _members(base: Report, head: Report, branch: str) -> tuple[tuple[MemberDiff, ...], int]:
    if all(
        same_result(base, head, year, branch) or result_of(base, year, branch) is result_of(head, year, branch)
        for year in {*base.years, *head.years}
    ):
        return (), 0  # the very same results (a branch the change did not touch, ranks included)
    before, after = _results(base, branch), _results(head, branch)
    out = []
    elsewhere = 0
    order = {k: i for i, k in enumerate([*after, *(k for k in before if k not in after)])}  # roster order
    for key in sorted(order, key=lambda k: (k[0], order[k])):
        year, mid = key
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            r = new if new is not None else old
            assert r is not None  # the key came from one side
            out.append(
                MemberDiff(
                    year,
                    mid,
                    r.member.name,
                    (),
                    _delta(_total(old), _total(new)),
                    status="新增" if old is None else "移出",
                )
            )
            continue
        qa, qb = _quarter_points(old), _quarter_points(new)
        quarters = tuple((q, Delta(qa.get(q), qb.get(q))) for q in QUARTERS if qa.get(q) != qb.get(q))
        total = _delta(_total(old), _total(new))
        rank = _delta(old.rank, new.rank)
        grade = _delta(_grade(old), _grade(new))
        rank_c = _delta(old.rank_committee, new.rank_committee)
        rank_d = _delta(old.rank_district, new.rank_district)
        if quarters or total or rank or grade:
            out.append(MemberDiff(year, mid, new.member.name, quarters, total, rank, grade, rank_c, rank_d))
        elif rank_c or rank_d:
            elsewhere += 1
    return tuple(out), elsewhere


# --------------------------------------------------------------------------- schemes


def _schemes(base: Report, head: Report) -> list[SchemeDiff]:
    out: list[SchemeDiff] = []
    d0, d1 = base.loaded.district, head.loaded.district
    if d1 is None:
        return out  # nothing to compare with: head's own errors say why
    schemes0 = d0.schemes if d0 is not None else {}
    for year in sorted(set(schemes0) | set(d1.schemes)):
        changes = _layer(schemes0.get(year), d1.schemes.get(year))
        if changes:
            out.append(SchemeDiff(f"全区考核表（{year}年）", f"scheme/{year}.yaml", changes))
    committees0 = {c.id: c for c in d0.committees} if d0 is not None else {}
    for c1 in d1.committees:
        c0 = committees0.get(c1.id)
        for year in sorted(set(c0.rules if c0 else {}) | set(c1.rules)):
            changes = _layer(c0.rules.get(year) if c0 else None, c1.rules.get(year))
            if changes:
                out.append(
                    SchemeDiff(
                        f"{c1.info.short_name}细则（{year}年）", f"committees/{c1.id}/scheme/{year}.yaml", changes
                    )
                )
    branches0 = {b.id: b for b in d0.branches()} if d0 is not None else {}
    for b1 in d1.branches():
        b0 = branches0.get(b1.id)
        for year in sorted(set(b0.years if b0 else {}) | set(b1.years)):
            y0 = b0.years.get(year) if b0 else None
            y1 = b1.years.get(year)
            changes = _layer(y0.plan if y0 else None, y1.plan if y1 else None)
            if changes:
                out.append(
                    SchemeDiff(
                        f"{b1.info.short_name}年初设定积分项目（{year}年）",
                        f"committees/{b1.committee_id}/branches/{b1.id}/{year}/scheme.yaml",
                        changes,
                    )
                )
    return out


_SCALARS = {"title": "标题", "method": "计分方法", "announced": "通报日期", "posted": "公开日期"}
_ITEM_FIELDS = {
    "name": "名称",
    "part": "分项",
    "points": "分值",
    "min": "最低分",
    "max": "最高分",
    "cap": "年度上限",
    "group": "分组",
    "applies_to": "适用类别",
    "evidence": "所需依据",
}


def _layer(old, new) -> tuple[SchemeChange, ...]:
    """Changes between two versions of one scheme layer (either may be None)."""
    if old is None and new is None:
        return ()
    out: list[SchemeChange] = []
    if old is None or new is None:
        layer = new or old
        kind = "新增" if old is None else "删除"
        out.append(SchemeChange(kind, "设置", "", f"{kind}整个文件（{len(getattr(layer, 'items', ()))} 个项目）"))
    names = {f.name for f in dc_fields(type(new or old))}
    for name, label in _SCALARS.items():
        if name in names and old is not None and new is not None and getattr(old, name) != getattr(new, name):
            out.append(
                SchemeChange("修改", "设置", name, f"{label} {_text(getattr(old, name))} → {_text(getattr(new, name))}")
            )
    caps0, caps1 = getattr(old, "caps", None), getattr(new, "caps", None)
    for part, label in (("base", "基础积分上限"), ("bonus", "贡献加分上限")):
        a, b = getattr(caps0, part, None), getattr(caps1, part, None)
        if a != b:
            out.append(SchemeChange("修改", "上限", part, f"{label} {_text(a)} → {_text(b)}"))
    out += _keyed(getattr(old, "items", ()), getattr(new, "items", ()), "项目", _ITEM_FIELDS)
    out += _keyed(getattr(old, "groups", ()), getattr(new, "groups", ()), "分组", {"name": "名称", "cap": "上限"})
    out += _keyed(getattr(old, "narrow", ()), getattr(new, "narrow", ()), "细化", _ITEM_FIELDS)
    drop0, drop1 = set(getattr(old, "drop", ())), set(getattr(new, "drop", ()))
    out += [SchemeChange("新增", "不适用", code, f"不再使用项目 {code}") for code in sorted(drop1 - drop0)]
    out += [SchemeChange("删除", "不适用", code, f"恢复使用项目 {code}") for code in sorted(drop0 - drop1)]
    return tuple(out)


def _keyed(old, new, what: str, labels: dict[str, str]) -> list[SchemeChange]:
    before = {x.code: x for x in old}
    after = {x.code: x for x in new}
    out = []
    for code, x in after.items():
        was = before.get(code)
        if was is None:
            out.append(SchemeChange("新增", what, code, f"新增{what} {code} {_describe(x)}"))
        elif was != x:
            diffs = [
                f"{label} {_text(getattr(was, f))} → {_text(getattr(x, f))}"
                for f, label in labels.items()
                if hasattr(x, f) and getattr(was, f) != getattr(x, f)
            ]
            out.append(SchemeChange("修改", what, code, f"修改{what} {code}：" + "，".join(diffs)))
    for code, x in before.items():
        if code not in after:
            out.append(SchemeChange("删除", what, code, f"删除{what} {code} {_describe(x)}"))
    return out


def _describe(x) -> str:
    bits = []
    if getattr(x, "name", ""):
        bits.append(str(x.name))
    if getattr(x, "part", None) is not None:
        bits.append(x.part.value)
    if getattr(x, "points", None) is not None:
        bits.append(f"{fmt_points(x.points)} 分")
    elif getattr(x, "min", None) is not None or getattr(x, "max", None) is not None:
        bits.append(f"{_text(x.min)}～{_text(x.max)} 分")
    if getattr(x, "cap", None) is not None:
        bits.append(f"上限 {fmt_points(x.cap)}")
    return "（" + "，".join(bits) + "）" if bits else ""


def _text(value) -> str:
    if value is None or value == () or value == "":
        return "无"
    if isinstance(value, Decimal):
        return fmt_points(value)
    if isinstance(value, tuple):
        return "、".join(_text(v) for v in value)
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


# --------------------------------------------------------------------------- problems


def _problem_key(p: Problem) -> tuple:
    return (p.code, p.pos.file, p.message)  # not the line: lines move when entries are added above


def _problems(base: list[Problem], head: list[Problem]) -> tuple[tuple[Problem, ...], int]:
    seen = Counter(_problem_key(p) for p in base)
    new = []
    for p in head:
        key = _problem_key(p)
        if seen[key] > 0:
            seen[key] -= 1
        else:
            new.append(p)
    now = Counter(_problem_key(p) for p in head)
    fixed = sum(max(0, n - now[k]) for k, n in Counter(_problem_key(p) for p in base).items())
    return tuple(new), fixed
