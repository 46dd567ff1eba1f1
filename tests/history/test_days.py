"""The history checks from one day to the next: a branch's remembered check is not keyed on
the build's date, only on which of its 公示 have begun by then (its publications). A new
day on which no 公示 begins checks no branch again; a day on which one begins checks that
branch again; and on every day the problems are a check's without a cache on that day.
"""

from __future__ import annotations

from datetime import date, datetime

from sitegen.check import check
from sitegen.rules.published import YEAR_END, table
from tests.history.gitrepo import B1, CST, branch_history
from tests.history.test_remembered import _checks as remembered_checks

B2 = "committees/c1/branches/b2/2026"
# b2's first quarter: recorded on 20 June, its 公示 from 25 June to 1 July
B2_RECORD = """reviewed: 2026-06-18
feedback: 2026-06-19
confirmed: 2026-06-20
publicity:
  start: 2026-06-25
  end: 2026-07-01
  scope: 支部党务公开栏
"""
# b1's second quarter: recorded on 6 July, its 公示 from 8 to 14 July
B1_Q2_RECORD = B2_RECORD.replace("06-18", "07-03").replace("06-19", "07-04").replace("06-20", "07-06")
B1_Q2_RECORD = B1_Q2_RECORD.replace("06-25", "07-08").replace("07-01", "07-14")


def _two_publications(tmp_path):
    """b1's Q1 公示 (7–13 April, committed 6 April), b2's Q1 (25 June – 1 July, committed
    20 June) and b1's Q2 (8–14 July, committed 6 July); in the working tree, an entry of
    each of the three published ledger files edited."""
    repo = branch_history(tmp_path / "repo")
    repo.write(f"{B2}/quarters/q1.yaml", B2_RECORD)
    repo.commit("第二支部第一季度公示", when=datetime(2026, 6, 20, 10, 0, tzinfo=CST))
    repo.write(f"{B1}/quarters/q2.yaml", B1_Q2_RECORD)
    repo.commit("第一支部第二季度公示", when=datetime(2026, 7, 6, 10, 0, tzinfo=CST))
    repo.edit(f"{B1}/ledger/q2.yaml", "  - id: E08\n    date: 2026-05-11", "  - id: E08\n    date: 2026-05-12")
    repo.edit(f"{B1}/ledger/q1.yaml", "  - id: E03\n    date: 2026-03-01", "  - id: E03\n    date: 2026-03-02")
    repo.edit(f"{B2}/ledger/q1.yaml", "  - id: F01\n    date: 2026-01-15", "  - id: F01\n    date: 2026-01-16")
    return repo


def _checks(content, cache, today: date, monkeypatch) -> tuple[list[str], list[str]]:
    """The history problems of `check` on `today`, as text, and the branches whose
    published-record checks were computed (not found remembered)."""
    problems, computed = remembered_checks(content, cache, monkeypatch, today)
    return [p.format() for p in problems], computed


# days crossing both 公示's start and end, forward, then back and forward again
DAYS = [
    date(2026, 4, 5),
    date(2026, 4, 6),
    date(2026, 4, 7),  # b1's 公示 begins
    date(2026, 4, 8),
    date(2026, 4, 13),
    date(2026, 4, 14),  # (b1's ended)
    date(2026, 6, 24),
    date(2026, 6, 25),  # b2's begins
    date(2026, 7, 1),
    date(2026, 7, 2),  # (b2's ended)
    date(2026, 7, 7),
    date(2026, 7, 8),  # b1's second begins
    date(2026, 7, 15),  # (and ended)
    date(2026, 4, 6),  # back before b1's first
    date(2026, 6, 24),  # between b1's first and b2's
    date(2026, 7, 7),  # before b1's second
    date(2026, 12, 31),
]


def test_problems_with_the_cache_carried_from_day_to_day_equal_a_check_without_it(tmp_path, monkeypatch):
    repo = _two_publications(tmp_path)
    cache = tmp_path / "cache"
    seen = []
    for day in DAYS:
        kept, _ = _checks(repo.content, cache, day, monkeypatch)
        fresh, _ = _checks(repo.content, None, day, monkeypatch)
        assert kept == fresh, day
        e1002 = sorted({p.split("：")[0] for p in fresh if "E1002" in p})
        seen.append((day, e1002))
    # each edited entry reported exactly from its 公示's first day on
    for day, e1002 in seen:
        want = [f"{B1}/ledger/q1.yaml"] if day >= date(2026, 4, 7) else []
        want += [f"{B1}/ledger/q2.yaml"] if day >= date(2026, 7, 8) else []
        want += [f"{B2}/ledger/q1.yaml"] if day >= date(2026, 6, 25) else []
        assert [next(w for w in want if w in p) for p in e1002] == want and len(e1002) == len(want), (day, e1002)


def test_a_new_day_checks_again_only_the_branches_whose_publicity_began(tmp_path, monkeypatch):
    repo = _two_publications(tmp_path)
    cache = tmp_path / "cache"
    first, computed = _checks(repo.content, cache, date(2026, 4, 8), monkeypatch)
    assert computed == ["b1"] and first
    for day in (date(2026, 4, 9), date(2026, 4, 14), date(2026, 6, 24)):  # no 公示 begins
        assert _checks(repo.content, cache, day, monkeypatch) == (first, []), day
    found, computed = _checks(repo.content, cache, date(2026, 6, 25), monkeypatch)  # b2's begins
    assert computed == ["b2"] and len(found) == len(first) + 1
    assert _checks(repo.content, cache, date(2026, 7, 7), monkeypatch) == (found, [])
    more, computed = _checks(repo.content, cache, date(2026, 7, 8), monkeypatch)  # b1's second begins
    assert computed == ["b1"] and len(more) == len(found) + 1
    assert _checks(repo.content, cache, date(2026, 12, 31), monkeypatch) == (more, [])
    assert _checks(repo.content, cache, date(2026, 6, 30), monkeypatch) == (found, [])  # remembered
    assert _checks(repo.content, cache, date(2026, 4, 10), monkeypatch) == (first, [])


def test_a_published_table_does_not_depend_on_the_build_day(tmp_path):
    """What lets the day out of a branch's key: the tables compared (scored as of the
    build's date) are the same on every day, before, during and after each 公示."""
    repo = _two_publications(tmp_path)
    tables = {}
    for day in DAYS:
        years = check(repo.content, today=day, cache_dir=None, history=False).years
        tables[day] = {
            (bid, q): table(result, q) for bid, result in years[2026].branches.items() for q in (1, 2, 3, 4, YEAR_END)
        }
    first = tables[DAYS[0]]
    assert first and any(row for t in first.values() for row in t.values())
    assert all(t == first for t in tables.values())
