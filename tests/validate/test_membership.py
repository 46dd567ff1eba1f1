"""Membership dates in a copy of tests/fixtures/mini: what `sitegen check` accepts and
refuses, with the code, the file and the line (of the member named, for entries)."""

from __future__ import annotations

import pytest

from sitegen.check import check
from tests.support import B1_2026
from tests.validate.test_check import errors, one_error, plant

ROSTER = f"{B1_2026}/roster.yaml"
B2_ROSTER = "committees/c1/branches/b2/2026/roster.yaml"
LEDGER_Q1 = f"{B1_2026}/ledger/q1.yaml"
LEDGER_Q2 = f"{B1_2026}/ledger/q2.yaml"
M1 = "  - id: M1\n    name: 赵一\n    status: 正式\n"


def add_to_roster(root, text: str, rel: str = ROSTER) -> None:
    path = root / rel
    path.write_text(path.read_text("utf-8") + text, "utf-8")


NEWCOMER = "  - id: M9\n    name: 新九\n    status: 预备\n    joined: 2026-03-15\n    join: 入党\n"


def test_a_newcomer_with_a_join_date_is_accepted_and_gets_only_later_everyone_entries(mini):
    add_to_roster(mini, NEWCOMER)
    assert errors(mini) == []
    result = check(mini, cache_dir=None).years[2026].branches["b1"]
    r = result.result("M9")
    assert r.quarters[0].role is not None  # on the roster from 15 March: listed in Q1
    # 全体 on 10 Jan and 10 Feb are before joining; 10 and 11 May count
    assert [line.entry_id for line in r.lines] == ["E07", "E08"]


def test_an_entry_naming_a_member_before_they_joined_is_an_error_at_that_member(mini):
    add_to_roster(mini, NEWCOMER)
    plant(mini, LEDGER_Q1, "members: [M1, M4]", "members: [M1, M9]")
    p = one_error(mini)
    assert (p.code, p.pos.file, p.pos.line, p.pos.col) == ("E410", LEDGER_Q1, 19, 19)
    assert "M9" in p.message and "2026-03-15" in p.message and "E04" in p.message


def test_an_entry_after_a_member_left_is_an_error(mini):
    plant(mini, ROSTER, M1, M1 + "    left: 2026-05-01\n    leave: 去世\n")
    # E06 (5 April) corrects E02 (10 February), when M1 was here; E09 (1 June) names M1 after
    p = one_error(mini)
    assert (p.code, p.pos.file, p.pos.line) == ("E410", LEDGER_Q2, 18)
    assert "E09" in p.message and "2026-05-01 已离开本支部" in p.message


def test_exemption_counts_from_its_filing_date(mini):
    # M5's exemption was filed on 8 January: an activity on 5 January may name them
    plant(mini, LEDGER_Q1, "members: [M1, M4]", "members: [M1, M4, M5]")
    plant(mini, LEDGER_Q1, "date: 2026-03-05", "date: 2026-01-05")
    assert errors(mini) == []
    plant(mini, LEDGER_Q1, "date: 2026-01-05", "date: 2026-01-09")
    p = one_error(mini)
    assert (p.code, p.pos.line) == ("E407", 19) and "2026-01-09" in p.message


def test_floated_out_from_a_date(mini):
    # M6 floats out to b2 from 1 June (both rosters say so): a Q1 entry may name them here
    plant(mini, ROSTER, "      branch: b2\n", "      branch: b2\n      since: 2026-06-01\n")
    plant(mini, B2_ROSTER, "      branch: b1\n", "      branch: b1\n      since: 2026-06-01\n")
    plant(mini, LEDGER_Q1, "members: [M1, M4]", "members: [M1, M4, M6]")
    assert errors(mini) == []
    plant(mini, B2_ROSTER, "since: 2026-06-01", "since: 2026-07-01")
    p = one_error(mini)
    assert (p.code, p.pos.file) == ("E312", ROSTER)


@pytest.mark.parametrize(
    "extra, code, fragment",
    [
        ("    joined: 2025-12-01\n    join: 转入\n", "E305", "不在 2026 年内"),
        ("    joined: 2026-02-01\n", "E306", "joined 和 join"),
        ("    leave: 转出\n", "E306", "left 和 leave"),
        ("    joined: 2026-06-01\n    join: 转入\n    left: 2026-05-01\n    leave: 转出\n", "E307", "不早于离开日期"),
        ("    changes:\n      - {date: 2026-07-01, status: 正式}\n", "E310", "与之前相同"),
        ("    changes:\n      - {date: 2026-07-01, status: 积极分子}\n", "E311", "不能从“正式党员”变为“入党积极分子”"),
        (
            "    joined: 2026-03-01\n    join: 恢复\n    changes:\n      - {date: 2026-02-01, status: 预备}\n",
            "E309",
            "不在其在本支部的期间内",
        ),
        ("    join: 入党\n", "E306", "joined 和 join"),
        ("    leave: 出差\n", "E013", "不是可选的值"),
    ],
)
def test_roster_date_mistakes(mini, extra, code, fragment):
    plant(mini, ROSTER, M1, M1 + extra)
    found = errors(mini)
    assert code in {p.code for p in found}, [p.format() for p in found]
    p = next(p for p in found if p.code == code)
    assert p.pos.file == ROSTER and fragment in p.message


def test_status_changes_in_order_and_allowed(mini):
    plant(
        mini,
        ROSTER,
        "    status: 积极分子\n",
        "    status: 积极分子\n    changes:\n"
        "      - {date: 2026-09-01, status: 正式}\n      - {date: 2026-05-01, status: 预备}\n",
    )
    codes = sorted(p.code for p in errors(mini))
    assert "E308" in codes and "E311" in codes
    plant(
        mini,
        ROSTER,
        "      - {date: 2026-09-01, status: 正式}\n      - {date: 2026-05-01, status: 预备}\n",
        "      - {date: 2026-05-01, status: 预备}\n      - {date: 2026-09-01, status: 正式}\n",
    )
    assert errors(mini) == []  # 积极分子 → 预备 (吸收入党) → 正式 (转正)


def test_transfer_between_branches_is_legal_when_the_periods_do_not_overlap(mini):
    plant(mini, ROSTER, M1, M1 + "    left: 2026-05-15\n    leave: 转出\n")
    add_to_roster(
        mini, "  - id: M1\n    name: 赵一\n    status: 正式\n    joined: 2026-05-15\n    join: 转入\n", B2_ROSTER
    )
    plant(mini, LEDGER_Q2, "    members: [M1]\n  - id: E10", "    members: [M3]\n  - id: E10")  # E09 was after leaving
    assert errors(mini) == []
    plant(mini, B2_ROSTER, "joined: 2026-05-15", "joined: 2026-05-14")
    p = one_error(mini)
    assert (p.code, p.pos.file) == ("E304", B2_ROSTER) and "2026-05-14" in p.message


def test_partial_year_setting_is_checked(mini):
    scheme = mini / "scheme/2026.yaml"
    scheme.write_text(scheme.read_text("utf-8") + "partial_year:\n  months: 13\n", "utf-8")
    p = one_error(mini)
    assert (p.code, p.pos.file) == ("E210", "scheme/2026.yaml")
