"""A remembered score is kept from one day to the next (sitegen.rules.score.day_phase):
all a branch year's score reads of the build's date is which of its 公示 have begun. The
invariant, over the demo's branch years and any two dates: the same phase, the same score.
And through the cache: a build on the next day scores nothing again, one on the day a 公示
begins scores that branch again, each equal to a build without the cache."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.check import check
from sitegen.rules.district import branch_scheme
from sitegen.rules.score import day_phase, score_branch_year
from tests.support import ROOT


@cache
def _branch_years():
    report = check(ROOT / "content", cache_dir=None)
    district = report.loaded.district
    out = []
    for committee in district.committees:
        for branch in committee.branches:
            for year, by in sorted(branch.years.items()):
                scheme, _ = branch_scheme(district, committee, branch, year)
                partial = district.schemes[year].partial_year
                out.append((committee, branch, scheme, by, partial))
    return tuple(out)


DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 3, 31))


@settings(max_examples=40, deadline=None)
@given(st.data(), DAYS, DAYS)
def test_the_same_phase_gives_the_same_score(data, one, two):
    committee, branch, scheme, by, partial = data.draw(st.sampled_from(_branch_years()))
    first = score_branch_year(branch.id, committee.id, branch.category, scheme, by, partial, one)
    second = score_branch_year(branch.id, committee.id, branch.category, scheme, by, partial, two)
    if day_phase(by, one) == day_phase(by, two):
        assert first == second
    else:
        assert first.quarters != second.quarters or first.year_end_done != second.year_end_done


def test_a_new_day_scores_nothing_again_until_a_publicity_begins(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache_dir = tmp_path / "cache"
    record = content / "committees/qsjd/branches/kjy/2026/quarters/q4.yaml"
    start = date(2027, 1, 8)
    record.write_text(
        "reviewed: 2027-01-04\nfeedback: 2027-01-05\nconfirmed: 2027-01-06\n"
        f"publicity:\n  start: {start}\n  end: 2027-01-14\n  scope: 支部党务公开栏\n",
        "utf-8",
    )
    day = start - timedelta(days=2)
    check(content, cache_dir=cache_dir, today=day)
    after = check(content, cache_dir=cache_dir, today=day + timedelta(days=1))  # the day before the 公示
    assert after.computed.get("score", 0) == 0
    began = check(content, cache_dir=cache_dir, today=start)  # kjy's 公示 begins: kjy's 2026 scored again
    assert began.computed.get("score", 0) == 1
    fresh = check(content, cache_dir=None, today=start)
    assert began.years == fresh.years
    assert [p.format() for p in began.problems] == [p.format() for p in fresh.problems]
