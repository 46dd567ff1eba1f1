"""The mini fixture scored end to end (files → numbers), checked against hand computation.

Branch b1 (机关), scheme caps base 10 / bonus 8; the committee narrows A01 to 1–2.
M1: B01 2×4 = 8 → item cap 6; B02 3 → base 9. A01 2, A02 4 + A03 5 share group cap 6 → bonus 8 (part cap 8). Total 17.
M2: absent from E02, the correction E06 adds him (counts in Q1: Q1's 公示 started after it). B01 → 6, B02 3,
    A04 1 (机关 only) → 10.
M3: base 9, D01 −2 → 7.  M4 (积极分子): B02 3 + A01 2 = 5, ranked in its own list.
"""

from decimal import Decimal as D

from sitegen.check import check
from sitegen.model.enums import Grade
from sitegen.model.scored import Role
from tests.support import MINI


def test_scores_ranks_and_stats():
    report = check(MINI, cache_dir=None)
    b1 = report.years[2026].branches["b1"]
    got = {r.member.id: (r.total, r.rank) for r in b1.members if r.scored}
    assert got == {"M1": (D(17), 1), "M2": (D(10), 2), "M3": (D(7), 3), "M4": (D(5), 1)}
    m1 = b1.result("M1")
    assert m1.items == (("B01", D(6)), ("B02", D(3)), ("A01", D(2)), ("A02", D(4)), ("A03", D(5)))  # item caps only
    assert [(q.points.base, q.points.bonus, q.total, q.rank) for q in m1.quarters[:2]] == [(7, 6, 13, 1), (2, 2, 17, 1)]
    m2, m3 = b1.result("M2"), b1.result("M3")
    assert m2.quarters[0].total == D(7) == m3.quarters[0].total and m2.quarters[0].rank == m3.quarters[0].rank == 2
    assert b1.result("M5").role is Role.EXEMPT and b1.result("M6").role is Role.FLOATING_OUT
    b2 = report.years[2026].branches["b2"]
    assert b2.result("M6").role is Role.SCORED and b2.result("M6").floating_from == "b1"
    assert b2.result("M7").vetoed and b2.result("M7").grade is Grade.FAIL and b2.result("M7").rank == 2
    district = report.years[2026].district
    assert (district.total, district.participants, district.exempt, district.activists) == (6, 5, 1, 1)
    assert district.participants == sum(district.grades.values())
    assert b1.published_quarters == (1,)
