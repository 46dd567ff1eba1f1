"""The rules engine, against expectations computed by hand from SPEC 2.3–2.6."""

from datetime import date
from decimal import Decimal as D

from sitegen.model.enums import Direction, Grade, Method, Part, Rating, Status
from sitegen.model.ledger import FinalGrade, YearEnd
from sitegen.model.org import Exemption, Floating
from sitegen.model.scored import Role, UnscoredMember
from sitegen.rules.grades import grade_of
from sitegen.rules.rank import competition_ranks
from tests.rules.helpers import entry, group, item, member, published, scheme, score

JAN, APR, JUL, OCT = date(2026, 1, 15), date(2026, 4, 15), date(2026, 7, 15), date(2026, 10, 15)


def result(res, mid):
    return res.result(mid)


def test_item_cap_holds_the_year_to_date_sum():
    s = scheme(item("B1", points=2, cap=5))
    res = score(s, [member("m")], [entry(f"e{i}", d, "B1", ["m"]) for i, d in enumerate([JAN, JAN, APR, JUL])])
    r = result(res, "m")
    # 2+2 in Q1 = 4; +2 in Q2 = 6 → capped 5 (Q2 adds 1); Q3 adds nothing
    assert [q.points.base for q in r.quarters] == [D(4), D(1), D(0), D(0)]
    assert [q.ytd.base for q in r.quarters] == [D(4), D(5), D(5), D(5)]
    assert r.total == D(5)


def test_group_cap_is_shared_by_level_variants():
    s = scheme(
        item("A1", Part.BONUS, points=10, group="G"),
        item("A2", Part.BONUS, points=8, group="G"),
        item("A3", Part.BONUS, points=3),
        groups=[group("G", 12)],
    )
    res = score(
        s, [member("m")], [entry("e1", JAN, "A1", ["m"]), entry("e2", APR, "A2", ["m"]), entry("e3", APR, "A3", ["m"])]
    )
    r = result(res, "m")
    assert r.quarters[-1].ytd.bonus == D(15)  # min(10+8, 12) + 3
    assert r.quarters[1].points.bonus == D(5)  # 15 - 10


def test_part_caps_then_deduction_then_clamp():
    s = scheme(
        item("B1", points=40),
        item("A1", Part.BONUS, points=30),
        item("D1", Part.DEDUCTION, lo=1, hi=50),
        base=30,
        bonus=25,
    )
    res = score(
        s,
        [member("m"), member("n")],
        [
            entry("e1", JAN, "B1", ["m", "n"]),
            entry("e2", JAN, "A1", ["m", "n"]),
            entry("e3", APR, "D1", ["m"], points=4),
            entry("e4", APR, "D1", ["n"], points=50),
            entry("e5", JUL, "D1", ["n"], points=20),
        ],
    )
    assert result(res, "m").total == D(51)  # 30 + 25 - 4
    assert result(res, "n").total == D(0)  # 55 - 70, clamped at 0
    assert result(res, "n").quarters[-1].ytd.deduction == D(70)


def test_total_clamped_at_100():
    s = scheme(item("B1", points=70), item("A1", Part.BONUS, points=40), base=70, bonus=40)
    res = score(s, [member("m")], [entry("e1", JAN, "B1", ["m"]), entry("e2", JAN, "A1", ["m"])])
    assert result(res, "m").total == D(100)


def test_ranged_points_and_decimals():
    s = scheme(item("A1", Part.BONUS, lo="0.5", hi=3))
    res = score(
        s, [member("m")], [entry("e1", JAN, "A1", ["m"], points="0.5"), entry("e2", APR, "A1", ["m"], points="2.5")]
    )
    assert result(res, "m").total == D(3)
    assert str(result(res, "m").quarters[0].total) == "0.5"


def test_grades_at_the_boundaries():
    assert grade_of(D(90)) is Grade.EXCELLENT
    assert grade_of(D("89.5")) is Grade.GOOD
    assert grade_of(D(80)) is Grade.GOOD
    assert grade_of(D("79.99")) is Grade.PASS
    assert grade_of(D(60)) is Grade.PASS
    assert grade_of(D("59.5")) is Grade.FAIL
    assert grade_of(D(100), vetoed=True) is Grade.FAIL


def test_veto_fails_whatever_the_points_and_ranks_last():
    s = scheme(item("B1", points=60), item("V1", Part.VETO))
    res = score(
        s, [member("a"), member("b"), member("c")], [entry("e1", JAN, "B1", ["a", "b"]), entry("e2", APR, "V1", ["a"])]
    )
    a, b, c = (result(res, x) for x in "abc")
    assert a.total == D(60) and a.vetoed and a.grade is Grade.FAIL
    assert not a.quarters[0].ytd.veto and a.quarters[1].ytd.veto
    assert (b.rank, c.rank, a.rank) == (1, 2, 3)  # 60, 0, then the vetoed member


def test_ties_share_a_rank_and_the_next_skips():
    assert competition_ranks([("a", (0,)), ("b", (1,)), ("c", (1,)), ("d", (2,))]) == {"a": 1, "b": 2, "c": 2, "d": 4}
    s = scheme(item("B1", lo=1, hi=10))
    res = score(
        s,
        [member(x) for x in "abcd"],
        [
            entry("e1", JAN, "B1", ["a"], points=9),
            entry("e2", JAN, "B1", ["b", "c"], points=5),
            entry("e3", JAN, "B1", ["d"], points=1),
        ],
    )
    assert [result(res, x).rank for x in "abcd"] == [1, 2, 2, 4]


def test_activists_scored_but_ranked_apart_and_exempt_never_scored():
    s = scheme(item("B1", lo=1, hi=10))
    ex = Exemption(applied=JAN, approved=JAN, filed=JAN)
    res = score(
        s,
        [member("a"), member("k", Status.ACTIVIST), member("x", exempt=ex), member("b")],
        [
            entry("e1", JAN, "B1", ["a"], points=3),
            entry("e2", JAN, "B1", ["k"], points=9),
            entry("e3", JAN, "B1", ["b"], points=5),
        ],
    )
    assert result(res, "k").role is Role.ACTIVIST and result(res, "k").rank == 1 and result(res, "k").total == D(9)
    assert (result(res, "b").rank, result(res, "a").rank) == (1, 2)
    x = result(res, "x")
    assert x.role is Role.EXEMPT and isinstance(x, UnscoredMember) and x.rank is None and not x.graded
    assert res.stats.total == 3 and res.stats.participants == 2 and res.stats.exempt == 1 and res.stats.activists == 1
    assert sum(res.stats.grades.values()) == res.stats.participants


def test_everyone_means_scored_full_and_probationary_members():
    s = scheme(item("B1", points=1))
    ex = Exemption(applied=JAN, approved=JAN, filed=JAN)
    out = Floating(direction=Direction.OUT, branch="other")
    res = score(
        s,
        [
            member("a"),
            member("p", Status.PROBATIONARY),
            member("k", Status.ACTIVIST),
            member("x", exempt=ex),
            member("f", floating=out),
        ],
        [entry("e1", JAN, "B1", ["全体"], excluding=("a",))],
    )
    assert [result(res, m).total for m in ("a", "p", "k")] == [D(0), D(1), D(0)]
    assert result(res, "f").role is Role.FLOATING_OUT and result(res, "f").scored_at == "other"


def test_correction_before_publication_counts_in_the_original_quarter():
    s = scheme(item("B1", lo=1, hi=5))
    quarters = {1: published(date(2026, 4, 10))}
    res = score(
        s,
        [member("m")],
        [
            entry("e1", JAN, "B1", ["m"], points=2),
            entry("c1", date(2026, 4, 5), "", [], points=4, corrects="e1", reason="核实"),
        ],
        quarters,
    )
    r = result(res, "m")
    assert [q.points.base for q in r.quarters] == [D(4), D(0), D(0), D(0)]


def test_correction_after_publication_counts_where_it_was_made():
    s = scheme(item("B1", lo=1, hi=5))
    quarters = {1: published(date(2026, 4, 10))}
    res = score(
        s,
        [member("m")],
        [
            entry("e1", JAN, "B1", ["m"], points=2),
            entry("c1", date(2026, 5, 5), "", [], points=4, corrects="e1", reason="核实"),
        ],
        quarters,
    )
    r = result(res, "m")
    assert [q.points.base for q in r.quarters] == [D(2), D(2), D(0), D(0)]  # Q1 stays as published
    lines = [(ln.entry_id, ln.points, ln.reversal, ln.quarter) for ln in r.lines]
    assert lines == [("e1", D(2), False, 1), ("c1", D(-2), True, 2), ("c1", D(4), False, 2)]


def test_void_correction_takes_the_points_back():
    s = scheme(item("D1", Part.DEDUCTION, points=2))
    entries = [entry("e1", JAN, "D1", ["m"]), entry("c1", APR, "", [], corrects="e1", reason="误记", void=True)]
    unpublished = result(score(s, [member("m")], entries), "m")
    assert [q.ytd.deduction for q in unpublished.quarters] == [D(0)] * 4  # Q1 not yet published: fixed in place
    r = result(score(s, [member("m")], entries, {1: published(date(2026, 4, 10))}), "m")
    assert [q.ytd.deduction for q in r.quarters] == [D(2), D(0), D(0), D(0)]


def test_quarter_mean_method():
    s = scheme(item("B1", lo=1, hi=100, cap=80), base=80, bonus=20, method=Method.QUARTER_MEAN)
    res = score(
        s,
        [member("m")],
        [
            entry("e1", JAN, "B1", ["m"], points=90),
            entry("e2", APR, "B1", ["m"], points=70),
            entry("e3", JUL, "B1", ["m"], points=61),
            entry("e4", OCT, "B1", ["m"], points=60),
        ],
    )
    r = result(res, "m")
    # each quarter on its own with caps per quarter: 80, 70, 61, 60 → mean 67.75
    assert [q.points.base for q in r.quarters] == [D(80), D(70), D(61), D(60)]
    assert [q.total for q in r.quarters] == [D(80), D(75), D("70.33"), D("67.75")]
    assert r.total == D("67.75") and r.grade is Grade.PASS


def test_final_grade_override_and_veto_always_fails():
    s = scheme(item("B1", lo=1, hi=100), item("V1", Part.VETO), base=100)
    year_end = YearEnd(
        assessed=date(2027, 1, 5),
        ratings={"a": Rating.BASIC},
        final=(FinalGrade("a", Grade.PASS, "民主测评为基本合格"), FinalGrade("v", Grade.EXCELLENT, "x")),
    )
    res = score(
        s,
        [member("a"), member("v"), member("b")],
        [
            entry("e1", JAN, "B1", ["a", "v"], points=95),
            entry("e2", JAN, "B1", ["b"], points=85),
            entry("e3", APR, "V1", ["v"]),
        ],
        year_end=year_end,
    )
    a, v, b = (result(res, x) for x in "avb")
    assert (a.grade, a.final_grade, a.final_reason, a.rating) == (
        Grade.EXCELLENT,
        Grade.PASS,
        "民主测评为基本合格",
        Rating.BASIC,
    )
    assert v.final_grade is Grade.FAIL
    assert b.final_grade is Grade.GOOD and b.final_reason == ""
    assert res.stats.final and res.stats.grades[Grade.PASS] == 1 and res.stats.grades[Grade.FAIL] == 1


def test_quarters_add_up_to_the_year():
    s = scheme(item("B1", points=3, cap=20), item("A1", Part.BONUS, lo=1, hi=9), item("D1", Part.DEDUCTION, points=2))
    entries = [
        entry(f"e{i}", d, code, ["m"], points=p)
        for i, (d, code, p) in enumerate(
            [(JAN, "B1", None), (APR, "A1", 7), (APR, "B1", None), (JUL, "D1", None), (OCT, "A1", 9), (OCT, "B1", None)]
        )
    ]
    r = result(score(s, [member("m")], entries), "m")
    for part in ("base", "bonus", "deduction"):
        assert sum(getattr(q.points, part) for q in r.quarters) == getattr(r.quarters[-1].ytd, part)
    assert r.total == D(9) + D(16) - D(2)
