"""The published tables (SPEC 2.9): the public numbers a 公示 puts on the board.

Once a quarter's 公示 has started, its table may change only through correction entries
made after it; once the year end is published, so may its table. These functions say
what exactly those tables hold, so that the published record can be compared with the
content as it is now (`sitegen.history.published`) and by the review report. Pure.

A quarter's table lists, per member shown in that quarter: the role they are listed
with, the points the quarter added per part, the year to date per part, the year-to-date
total and the rank so far within the branch. The year-end table: role, total, 一票否决,
the score's grade, the final grade, the 民主测评 result and the rank within the branch.
Ranks across branches are not part of a branch's table: they move whenever another
branch publishes, and are shown only once every branch in the pool has its year end.
Names are not numbers: correcting a misspelt name does not change a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sitegen.model.scored import BranchYearResult, MemberResult, Parts, Role
from sitegen.rules.membership import quarter_status

YEAR_END = 5  # the year end's place beside quarters 1–4


@dataclass(frozen=True, slots=True)
class Row:
    """One member's line in a published table. Fields that a table does not carry are None."""

    member: str
    role: str
    status: str = ""  # 正式党员/预备党员/入党积极分子 as the quarter's table shows it
    points: tuple | None = None  # the quarter's points: (base, bonus, deduction, veto)
    ytd: tuple | None = None  # year to date: (base, bonus, deduction, veto)
    total: Decimal | None = None
    rank: int | None = None
    grade: str | None = None
    final_grade: str | None = None
    rating: str | None = None


Table = dict[str, Row]  # member id → row


def _parts(p: Parts) -> tuple:
    return (p.base, p.bonus, p.deduction, p.veto)


def quarter_role(r: MemberResult, quarter: int) -> Role | None:
    """The role a member is listed with in a quarter's table; None: not listed.

    A member's quarter may carry its own role (membership over the year: joined, left,
    exempted or admitted during it); otherwise the year's role holds for every quarter."""
    if len(r.quarters) >= quarter:
        return getattr(r.quarters[quarter - 1], "role", r.role)
    return r.role


def quarter_table(result: BranchYearResult, quarter: int) -> Table:
    rows: Table = {}
    for r in result.members:
        role = quarter_role(r, quarter)
        if role is None:
            continue
        if len(r.quarters) >= quarter and role in (Role.SCORED, Role.ACTIVIST):
            mq = r.quarters[quarter - 1]
            status = quarter_status(r.member, result.year, quarter).value
            rows[r.member.id] = Row(
                r.member.id, role.value, status, _parts(mq.points), _parts(mq.ytd), mq.total, mq.rank
            )
        else:
            rows[r.member.id] = Row(r.member.id, role.value)
    return rows


def year_end_table(result: BranchYearResult) -> Table:
    rows: Table = {}
    for r in result.members:
        grade = getattr(r, "grade", None)
        final = getattr(r, "final_grade", None)
        rating = getattr(r, "rating", None)
        rows[r.member.id] = Row(
            r.member.id,
            r.role.value,
            total=getattr(r, "total", None),
            rank=getattr(r, "rank", None),
            grade=grade.value if grade is not None else None,
            final_grade=final.value if final is not None else None,
            rating=rating.value if rating is not None else None,
            points=None if not r.quarters else (r.vetoed,),
        )
    return rows


# what each field of a row is called on the board: (field of Row, index within it or None, name)
QUARTER_FIELDS = (
    ("role", None, "身份"),
    ("status", None, "党员身份"),
    ("points", 0, "本季度基础积分"),
    ("points", 1, "本季度贡献加分"),
    ("points", 2, "本季度违规扣分"),
    ("points", 3, "本季度一票否决"),
    ("ytd", 0, "累计基础积分"),
    ("ytd", 1, "累计贡献加分"),
    ("ytd", 2, "累计违规扣分"),
    ("ytd", 3, "累计一票否决"),
    ("total", None, "累计总分"),
    ("rank", None, "排名"),
)
YEAR_END_FIELDS = (
    ("role", None, "身份"),
    ("total", None, "年度积分"),
    ("points", 0, "一票否决"),
    ("grade", None, "积分等次"),
    ("final_grade", None, "综合评定"),
    ("rating", None, "民主测评"),
    ("rank", None, "排名"),
)


def row_changes(old: Row, new: Row, quarter: int) -> list[tuple[str, object, object]]:
    """(name on the board, old value, new value) for each published number of a member's row
    that differs between two versions of the table of `quarter` (or YEAR_END)."""
    out = []
    for name, index, label in YEAR_END_FIELDS if quarter == YEAR_END else QUARTER_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if index is not None:
            a = a[index] if a is not None and len(a) > index else None
            b = b[index] if b is not None and len(b) > index else None
        if a != b:
            out.append((label, a, b))
    return out


def table(result: BranchYearResult, quarter: int) -> Table:
    """The table of quarter 1–4, or of the year end (YEAR_END)."""
    return year_end_table(result) if quarter == YEAR_END else quarter_table(result, quarter)
