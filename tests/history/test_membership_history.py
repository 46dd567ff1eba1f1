"""The change history expands `全体` as the loader does: as of the entry's date, with the
roster of that commit (sitegen.rules.membership is shared by both)."""

from __future__ import annotations

from datetime import date, datetime

from sitegen.history import history
from sitegen.history.blobs import reduce
from sitegen.model.enums import JoinKind, Status
from sitegen.model.org import Member, Roster
from sitegen.rules.membership import everyone_on
from tests.history.gitrepo import B1, CST, branch_history

NEWCOMER = "  - id: M9\n    name: 新九\n    status: 预备\n    joined: 2026-11-05\n    join: 入党\n"


def test_the_reduced_roster_resolves_everyone_by_date():
    roster = Roster(
        members=(
            Member("M1", "赵一", Status.FULL),
            Member("M9", "新九", Status.PROBATIONARY, joined=date(2026, 11, 5), join=JoinKind.ADMITTED),
        )
    )
    reduced = reduce("roster", roster)
    assert everyone_on(reduced, date(2026, 3, 1)) == ("M1",)
    assert everyone_on(reduced, date(2026, 11, 5)) == ("M1", "M9")


def test_a_november_newcomer_is_not_in_everyone_of_an_earlier_entry(tmp_path):
    repo = branch_history(tmp_path / "repo")
    repo.append(f"{B1}/roster.yaml", NEWCOMER)
    repo.commit("11月5日接收新九为预备党员", when=datetime(2026, 11, 6, 9, 0, tzinfo=CST))
    repo.append(f"{B1}/ledger/q2.yaml", "  - id: E20\n    date: 2026-06-20\n    item: B01\n    members: 全体\n")
    repo.write(
        f"{B1}/ledger/q4.yaml", "entries:\n  - id: E21\n    date: 2026-11-10\n    item: B01\n    members: 全体\n"
    )
    repo.commit("补记", when=datetime(2026, 11, 11, 9, 0, tzinfo=CST))
    h = history(repo.content, cache_dir=None)
    changes = {c.entry: c for c in h.changes if c.branch == "b1"}
    assert changes["E20"].new_members == ("M1", "M2", "M3")
    assert changes["E21"].new_members == ("M1", "M2", "M3", "M9")
