"""Membership over time: 全体, quarter tables, ranks and grades resolved as of each date.

Every expectation is worked out by hand from the entries below: each B01 entry gives
5 points (base), A01 gives 2 (bonus).
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.load.assemble import everyone, resolve_entries
from sitegen.model.enums import Category, Direction, Grade, JoinKind, LeaveKind, Part, Status
from sitegen.model.org import Exemption, Floating, StatusChange
from sitegen.model.scheme import PartialYear
from sitegen.model.scored import Role, ScoredMember, UnscoredMember
from sitegen.model.site import BranchYear
from sitegen.rules.membership import everyone_on, quarter_role, reduce_roster, role_on, status_on, too_short, year_role
from sitegen.rules.score import FLOATED_IN_NOTE, JOINED_NOTE, LEFT_NOTE, score_branch_year
from sitegen.rules.stats import branch_stats
from tests.rules.helpers import D, entry, item, member, scheme

SCHEME = scheme(item("B01", points=5), item("A01", Part.BONUS, points=2))
ALL = ("全体",)
# one 全体 activity in the middle of each month
MONTHLY = [entry(f"E{m:02d}", date(2026, m, 15), "B01", ALL) for m in range(1, 13)]


def score(members, entries, months: int = 6):
    members = tuple(members)
    by = BranchYear(
        year=2026,
        members=members,
        plan=None,
        entries=resolve_entries(list(entries), members),
        quarters={},
        year_end=None,
    )
    return score_branch_year("b", "c", Category.GOVERNMENT, SCHEME, by, PartialYear(months=months))


def quarter_totals(result, mid):
    r = result.result(mid)
    return [(mq.role, mq.points.base, mq.ytd.base, mq.total, mq.rank) for mq in r.quarters]


# --------------------------------------------------------------------------- joining


def test_member_joined_in_november_gets_nothing_before_and_is_not_listed_in_q1_to_q3():
    new = member("M9", Status.PROBATIONARY, joined=date(2026, 11, 5), join=JoinKind.ADMITTED)
    result = score([member("M1"), new], MONTHLY)
    r = result.result("M9")
    assert [mq.role for mq in r.quarters] == [None, None, None, Role.SCORED]
    # only the 15 November and 15 December activities: 2 × 5
    assert [mq.ytd.base for mq in r.quarters] == [0, 0, 0, 10]
    assert r.quarters[3].rank == 2 and r.quarters[0].rank is None
    # the other member's numbers and ranks are what they would be without the newcomer
    assert quarter_totals(result, "M1") == quarter_totals(score([member("M1")], MONTHLY), "M1")
    # too late for the year's grade (default: 6 months)
    assert type(r) is ScoredMember and r.ungraded == JOINED_NOTE and r.rank is None and not r.graded and r.listed


def test_everyone_is_resolved_as_of_the_entry_date():
    members = (
        member("M1"),
        member("M9", joined=date(2026, 11, 5), join=JoinKind.TRANSFER_IN),
        member("M8", left=date(2026, 3, 1), leave=LeaveKind.TRANSFER_OUT),
    )
    assert everyone(members, date(2026, 2, 28)) == ("M1", "M8")
    assert everyone(members, date(2026, 3, 1)) == ("M1",)  # left is the first day away
    assert everyone(members, date(2026, 11, 4)) == ("M1",)
    assert everyone(members, date(2026, 11, 5)) == ("M1", "M9")  # joined is the first day here
    assert everyone_on(reduce_roster(members), date(2026, 12, 31)) == ("M1", "M9")


def test_a_correction_of_an_everyone_entry_covers_whom_the_corrected_activity_covered():
    new = member("M9", joined=date(2026, 6, 1), join=JoinKind.TRANSFER_IN)
    entries = [
        entry("E1", date(2026, 3, 10), "B01", ALL),
        entry("E2", date(2026, 7, 10), "B01", ALL, corrects="E1", reason="日期记错"),
    ]
    result = score([member("M1"), new], entries)
    assert result.result("M9").quarters[3].ytd.base == 0
    assert result.result("M1").quarters[3].ytd.base == 5


# --------------------------------------------------------------------------- leaving


def test_member_who_died_in_august_is_listed_to_q3_and_not_graded_or_counted():
    gone = member("M8", left=date(2026, 8, 20), leave=LeaveKind.DIED)
    result = score([member("M1"), gone], MONTHLY)
    r = result.result("M8")
    assert [mq.role for mq in r.quarters] == [Role.SCORED, Role.SCORED, Role.SCORED, None]
    assert [mq.ytd.base for mq in r.quarters] == [15, 30, 40, 40]  # July and 15 August: 2 × 5 in Q3
    assert r.role is Role.SCORED and r.ungraded == LEFT_NOTE and type(r) is ScoredMember
    assert result.stats.participants == 1 and result.stats.total == 1  # counted by nobody here
    # an entry naming them after they left gives nothing
    late = score([member("M1"), gone], [entry("X", date(2026, 9, 1), "A01", ["M1", "M8"])])
    assert late.result("M8").quarters[3].ytd.bonus == 0 and late.result("M1").quarters[3].ytd.bonus == 2


def test_transfer_out_and_in_the_same_day_are_disjoint():
    out = member("M8", left=date(2026, 5, 15), leave=LeaveKind.TRANSFER_OUT)
    into = member("M8", joined=date(2026, 5, 15), join=JoinKind.TRANSFER_IN)
    day = date(2026, 5, 15)
    assert role_on(out, day) is None and role_on(into, day) is Role.SCORED
    assert role_on(out, date(2026, 5, 14)) is Role.SCORED and role_on(into, date(2026, 5, 14)) is None
    assert quarter_role(out, 2026, 2) is Role.SCORED and quarter_role(out, 2026, 3) is None
    assert quarter_role(into, 2026, 1) is None and quarter_role(into, 2026, 2) is Role.SCORED


# --------------------------------------------------------------------------- status changes


def test_probationary_member_becomes_full_and_points_accumulate():
    m = member("M3", Status.PROBATIONARY, changes=(StatusChange(date(2026, 7, 1), Status.FULL),))
    assert status_on(m, date(2026, 6, 30)) is Status.PROBATIONARY and status_on(m, date(2026, 7, 1)) is Status.FULL
    r = score([m], MONTHLY).result("M3")
    assert [mq.ytd.base for mq in r.quarters] == [15, 30, 45, 60]
    assert r.role is Role.SCORED and r.grade is Grade.PASS and r.rank == 1


def test_activist_admitted_moves_from_the_activist_list_to_the_members():
    m = member("M4", Status.ACTIVIST, changes=(StatusChange(date(2026, 8, 1), Status.PROBATIONARY),))
    result = score([member("M1"), m], MONTHLY + [entry("A", date(2026, 2, 1), "A01", ["M4"])])
    r = result.result("M4")
    assert [mq.role for mq in r.quarters] == [Role.ACTIVIST, Role.ACTIVIST, Role.SCORED, Role.SCORED]
    # 全体 covers them from 1 August: 15 August … 15 December = 5 × 5; plus the 2 bonus points
    assert r.quarters[3].ytd.base == 25 and r.quarters[3].ytd.bonus == 2
    # Q2: alone in the activist list; Q3: ranked with the members (M1 has 45, M4 10)
    assert r.quarters[1].rank == 1 and r.quarters[2].rank == 2
    assert r.role is Role.SCORED and r.graded  # graded as a member: scored here all year


# --------------------------------------------------------------------------- exemption


def test_exemption_filed_in_november_keeps_q1_to_q3_unchanged():
    plain = member("M5")
    exempt = member("M5", exempt=Exemption(date(2026, 10, 20), date(2026, 11, 1), date(2026, 11, 10)))
    before = score([member("M1"), plain], MONTHLY)
    after = score([member("M1"), exempt], MONTHLY)
    assert quarter_totals(after, "M5")[:3] == quarter_totals(before, "M5")[:3]
    r = after.result("M5")
    assert r.quarters[3].role is Role.EXEMPT and r.quarters[3].rank is None
    assert r.quarters[3].ytd.base == 50  # 15 October counts; 15 November and December do not
    assert r.role is Role.EXEMPT and isinstance(r, UnscoredMember) and not r.graded
    assert after.stats.exempt == 1 and after.stats.participants == 1
    assert everyone((member("M1"), exempt), date(2026, 11, 9)) == ("M1", "M5")
    assert everyone((member("M1"), exempt), date(2026, 11, 10)) == ("M1",)


# --------------------------------------------------------------------------- floating


def test_floating_out_from_a_date_is_scored_before_it():
    m = member("M6", floating=Floating(Direction.OUT, branch="b2", since=date(2026, 4, 1)))
    r = score([member("M1"), m], MONTHLY).result("M6")
    assert [mq.role for mq in r.quarters] == [Role.SCORED] + [Role.FLOATING_OUT] * 3
    assert r.quarters[3].ytd.base == 15 and r.role is Role.FLOATING_OUT and r.scored_at == "b2"


def test_floating_in_from_a_date_is_not_listed_before_it():
    m = member("M7", floating=Floating(Direction.IN, branch="b2", since=date(2026, 8, 1)))
    assert [quarter_role(m, 2026, q) for q in (1, 2, 3, 4)] == [None, None, Role.SCORED, Role.SCORED]
    assert too_short(m, 2026, 6)  # scored here from 1 August: five months
    r = score([member("M1"), m], MONTHLY).result("M7")
    assert r.ungraded == FLOATED_IN_NOTE and r.quarters[2].ytd.base == 10  # 15 August, 15 September
    assert year_role(m, 2026) is Role.SCORED


# --------------------------------------------------------------------------- the partial-year setting


def test_partial_year_months_decides_who_is_graded():
    on_july_1 = member("M1", joined=date(2026, 7, 1), join=JoinKind.TRANSFER_IN)
    on_july_2 = member("M2", joined=date(2026, 7, 2), join=JoinKind.TRANSFER_IN)
    result = score([on_july_1, on_july_2], MONTHLY)
    assert result.result("M1").grade is Grade.FAIL and result.result("M1").rank == 1
    assert type(result.result("M2")) is ScoredMember and result.result("M2").ungraded == JOINED_NOTE
    assert result.stats.participants == 1 and result.stats.ungraded == 1 and result.stats.total == 1
    everyone_graded = score([on_july_1, on_july_2], MONTHLY, months=0)
    assert all(r.grade is Grade.FAIL for r in everyone_graded.members)
    assert branch_stats(everyone_graded.members, final=False).participants == 2


def test_quarter_ranks_are_over_the_members_listed_that_quarter():
    late = member("M9", joined=date(2026, 10, 1), join=JoinKind.TRANSFER_IN)
    entries = MONTHLY + [entry("A", date(2026, 10, 2), "A01", ["M9"])]
    result = score([member("M1"), member("M2"), late], entries)
    assert [result.result(m).quarters[2].rank for m in ("M1", "M2", "M9")] == [1, 1, None]
    # Q4: M1, M2 60 each; M9 3 × 5 + 2 = 17
    assert [result.result(m).quarters[3].rank for m in ("M1", "M2", "M9")] == [1, 1, 3]


# --------------------------------------------------------------------------- the property


def _numbers(result, q):
    return {
        r.member.id: (
            r.quarters[q - 1].role,
            r.quarters[q - 1].points,
            r.quarters[q - 1].ytd,
            r.quarters[q - 1].total,
            r.quarters[q - 1].rank,
        )
        for r in result.members
    }


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
base_ids = ("M1", "M2", "M3", "M4")


@st.composite
def ledgers(draw):
    entries = []
    for i in range(draw(st.integers(0, 12))):
        who = (
            ALL
            if draw(st.booleans())
            else tuple(draw(st.lists(st.sampled_from(base_ids), min_size=1, max_size=4, unique=True)))
        )
        code = draw(st.sampled_from(("B01", "A01")))
        entries.append(entry(f"E{i:02d}", draw(days), code, who))
    return entries


@settings(max_examples=60, deadline=None)
@given(entries=ledgers(), q=st.integers(1, 3), offset=st.integers(1, 270), status=st.sampled_from(list(Status)))
def test_a_member_joining_after_quarter_q_never_changes_quarter_q(entries, q, offset, status):
    from datetime import timedelta

    from sitegen.rules.periods import quarter_end

    roster = [member("M1"), member("M2"), member("M3", Status.PROBATIONARY), member("M4", Status.ACTIVIST)]
    joined = min(quarter_end(2026, q) + timedelta(days=offset), date(2026, 12, 31))
    newcomer = member("M9", status, joined=joined, join=JoinKind.ADMITTED)
    # the newcomer takes part in 全体 activities and in some named ones after joining
    extra = [
        entry(f"N{i}", max(joined, e.date), e.item, (*e.members, "M9"))
        for i, e in enumerate(entries[:2])
        if not e.everyone
    ]
    before = score(roster, entries)
    after = score([*roster, newcomer], entries + extra)
    for quarter in range(1, q + 1):
        numbers = _numbers(after, quarter)
        assert numbers.pop("M9")[0] is None  # not listed
        # a named entry dated after joining may add to the others' later quarters, never to these
        assert numbers == _numbers(before, quarter)
    assert all(mq.ytd.base == D(0) and mq.ytd.bonus == D(0) for mq in after.result("M9").quarters[:q])
