"""A property of the published record (issue 11): whatever sequence of edits is made to a
district with a published quarter — committed or not — either `check` fails, or every
published number is unchanged; and a correction made since shows on its members' pages."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sitegen.check import check
from sitegen.rules.published import table
from tests.history.gitrepo import B1, CST, MEMBER_CLERK, Repo, branch_history

TODAY = date(2026, 6, 30)
Q1, Q2 = f"{B1}/ledger/q1.yaml", f"{B1}/ledger/q2.yaml"
ROSTER, PLAN, RECORD = f"{B1}/roster.yaml", f"{B1}/scheme.yaml", f"{B1}/quarters/q1.yaml"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The repository once, and the Q1 table it published."""
    repo = branch_history(tmp_path_factory.mktemp("base") / "repo")
    report = check(repo.content, today=TODAY, cache_dir=None, history=True)
    assert report.errors == []
    return repo, table(report.years[2026].branches["b1"], 1)


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


def _day(offset: int, start: date) -> str:
    return (start + timedelta(days=offset)).isoformat()


# each edit: (name, parameters) → a change to the content folder
edits = st.one_of(
    st.tuples(st.just("points"), st.sampled_from(["1", "3"])),  # a published entry's points
    st.tuples(st.just("backdate"), st.integers(0, 28)),  # a new entry dated in March, in Q1's file
    st.tuples(st.just("correction"), st.sampled_from(["E01", "E03", "E04", "E05"]), st.integers(0, 80)),
    st.tuples(st.just("early_correction"), st.sampled_from(["E03", "E05"]), st.integers(0, 5)),  # dated before the 公示
    st.tuples(st.just("member"), st.sampled_from(["预备", "正式", "积极分子"])),
    st.tuples(st.just("status"), st.sampled_from(["正式", "积极分子"])),
    st.tuples(st.just("scheme"), st.sampled_from(["2", "4"])),
    st.tuples(st.just("cap"), st.sampled_from(["2", "4", "6"])),
    st.tuples(st.just("move"), st.integers(1, 20)),
    st.tuples(st.just("unpublish"), st.booleans()),
    st.tuples(st.just("open_entry"), st.integers(0, 25)),  # a new entry in the open second quarter
)


def apply(repo: Repo, edit: tuple, n: int) -> None:
    kind, *args = edit
    if kind == "points":
        text = repo.read(Q1)
        repo.write(
            Q1, text.replace("    points: 2\n    members: [M1, M4]", f"    points: {args[0]}\n    members: [M1, M4]")
        )
    elif kind == "backdate":
        repo.append(
            Q1, f"  - id: X{n}\n    date: {_day(args[0], date(2026, 3, 1))}\n    item: B02\n    members: [M2]\n"
        )
    elif kind == "correction":
        target, offset = args
        repo.append(
            Q2,
            f"  - id: X{n}\n    date: {_day(offset, date(2026, 4, 7))}\n    corrects: {target}\n"
            f"    void: 是\n    reason: 经核实有误。\n",
        )
    elif kind == "early_correction":
        target, offset = args
        repo.append(
            Q2,
            f"  - id: X{n}\n    date: {_day(offset, date(2026, 4, 1))}\n    corrects: {target}\n"
            f"    void: 是\n    reason: 经核实有误。\n",
        )
    elif kind == "member":
        repo.append(ROSTER, f"  - id: N{n}\n    name: 新人{n}\n    status: {args[0]}\n")
    elif kind == "status":
        text = repo.read(ROSTER)
        repo.write(
            ROSTER, text.replace("    name: 孙三\n    status: 预备", f"    name: 孙三\n    status: {args[0]}", 1)
        )
    elif kind == "scheme":
        text = repo.read("scheme/2026.yaml")
        repo.write(
            "scheme/2026.yaml",
            text.replace("    name: 交纳党费\n    points: 3", f"    name: 交纳党费\n    points: {args[0]}"),
        )
    elif kind == "cap":
        text = repo.read(PLAN)
        if "narrow:" not in text:
            repo.write(PLAN, text + f"narrow:\n  - code: B01\n    cap: {args[0]}\n")
    elif kind == "move":
        text = repo.read(RECORD) if (repo.content / RECORD).exists() else ""
        repo.write(
            RECORD,
            text.replace("  start: 2026-04-07", f"  start: {_day(args[0], date(2026, 4, 7))}").replace(
                "  end: 2026-04-13", "  end: 2026-05-31"
            ),
        ) if text else None
    elif kind == "unpublish":
        if (repo.content / RECORD).exists():
            if args[0]:
                (repo.content / RECORD).unlink()
            else:
                text = repo.read(RECORD)
                repo.write(RECORD, text[: text.index("publicity:")] if "publicity:" in text else text)
    elif kind == "open_entry":
        repo.append(
            Q2, f"  - id: X{n}\n    date: {_day(args[0], date(2026, 6, 4))}\n    item: B02\n    members: 全体\n"
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(edits, st.booleans()), min_size=1, max_size=4))
def test_check_fails_or_the_published_numbers_hold(base, shared_cache, tmp_path_factory, steps):
    origin, published = base
    where = tmp_path_factory.mktemp("edits") / "repo"
    shutil.copytree(origin.path, where, symlinks=True)
    repo = Repo.__new__(Repo)
    repo.path, repo.content, repo.clock = where, where / "content", datetime(2026, 6, 20, 9, 0, tzinfo=CST)
    for n, (edit, commit) in enumerate(steps):
        apply(repo, edit, n)
        if commit:
            repo.commit(f"改动 {n}", who=MEMBER_CLERK)
    report = check(repo.content, today=TODAY, cache_dir=None, history=True)
    # the same with one cache folder for every example (remembered history checks, the log):
    # whatever an earlier example left there, the problems are those of a check without it
    remembered = check(repo.content, today=TODAY, cache_dir=shared_cache, history=True)
    assert remembered.problems == report.problems, [e for e in steps]
    if report.errors:
        event("refused: " + ",".join(sorted({p.code for p in report.errors})))
        return  # refused: nothing is published
    event("accepted")
    b1 = report.years[2026].branches["b1"]
    assert table(b1, 1) == published, [e for e in steps]
    entries = {e.id: e for e in report.loaded.district.branch("b1").years[2026].entries}
    for e in entries.values():
        if e.corrects:
            for mid in entries[e.corrects].members:
                r = b1.result(mid)
                if r is not None and r.scored:
                    assert any(line.entry_id == e.id for line in r.lines), (e.id, mid)
