"""After a one-file edit, `build` reads no other branch's score (issue 17): the footers'
data version, the units' keys, the search index's parts, the dashboards, the 统计表's
periods and the rankings before every year end are made from each branch's score summary
(kept in its bundle's head, sitegen.model.scored.ScoreSummary), so an unchanged branch's
score — its members' points, most of its bundle — is never unpickled; and the site is the
same as a build from scratch."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

import sitegen.load.cache as cache_module
from sitegen.build import build
from sitegen.model.scored import BranchYearResult
from tests.render.helpers import tree_digest
from tools.synth import generate

TODAY = date(2026, 11, 23)  # Q1–Q3 published, no year end yet


def _counted(monkeypatch) -> Counter[str]:
    """Counts the scored branch years unpickled from the cache folder from now on, by
    branch (every model object in a cache entry is made by a maker the pickle names,
    looked up on the cache module: tests/load/test_bundles.py). Set after the first build,
    whose bundles must be written with the real maker."""
    seen: Counter[str] = Counter()
    real = cache_module._maker(BranchYearResult)

    def make(*values):
        made = real(*values)
        seen[made.branch_id] += 1
        return made

    monkeypatch.setitem(cache_module.__dict__, real.__name__, make)
    return seen


def _build(content: Path, out: Path, cache: Path | None, pdf: bool = False) -> None:
    result = build(content, out, quiet=True, cache_dir=cache, pdf=pdf, history=False, today=TODAY, jobs=1)
    assert result.ok, [p.format() for p in result.problems]


@pytest.mark.parametrize("pdf", [pytest.param(False, id="html"), pytest.param(True, id="pdf", marks=pytest.mark.pdf)])
def test_an_edit_reads_no_other_branchs_score(tmp_path, monkeypatch, pdf):
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    generate(content, branches=6, members=4, seed=3, year=2026)
    _build(content, out, cache, pdf)
    counted = _counted(monkeypatch)
    ledgers = sorted(content.glob("committees/*/branches/*/2026/ledger/q4.yaml"))
    assert len(ledgers) == 6

    def edit(ledger: Path, n: int) -> str:
        with open(ledger, "a", encoding="utf-8") as f:
            f.write(f"  - id: 2026-UNREAD{n}\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")
        return ledger.parts[-4]

    for n, ledger in enumerate((ledgers[0], ledgers[-1])):
        edited = edit(ledger, n)
        counted.clear()
        _build(content, out, cache, pdf)
        assert counted == Counter(), f"after an edit of {edited}, scores read: {dict(counted)}"
        fresh = tmp_path / f"fresh{n}"
        _build(content, fresh, None, pdf)
        assert tree_digest(out) == tree_digest(fresh)

    # a published quarter's change (a new entry dated in Q3) changes what every page over
    # the branch shows, still without reading another branch's score
    with open(ledgers[1].with_name("q3.yaml"), "a", encoding="utf-8") as f:
        f.write("  - id: 2026-UNREAD-Q3\n    date: 2026-09-20\n    item: B03\n    members: 全体\n")
    counted.clear()
    _build(content, out, cache, pdf)
    assert counted == Counter()
    fresh = tmp_path / "fresh-q3"
    _build(content, fresh, None, pdf)
    assert tree_digest(out) == tree_digest(fresh)


def test_an_edit_this_year_leaves_last_years_aggregates_alone(tmp_path, monkeypatch):
    """The demo: 2025 closed (every year end published, rankings and honour rolls shown),
    2026 open. An entry in one branch's open quarter reads no other branch's score, and
    builds no view of the district's or any committee's pages of either year: what they
    show of the branch (sitegen.render.run.Site._aggregate_part) is unchanged. (Before,
    every such edit re-made the 2025 rankings from every branch's score.)"""
    import shutil

    import sitegen.render.run as run
    from tests.support import ROOT

    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(ROOT / "content", content)
    _build(content, out, cache)
    counted = _counted(monkeypatch)
    looked: list[str] = []
    real = run.html_jobs

    def recording(ctx, district, years, unit, *rest):
        looked.append(unit.id)
        return real(ctx, district, years, unit, *rest)

    monkeypatch.setattr(run, "html_jobs", recording)
    ledger = content / "committees/jyw/branches/dyzx/2026/ledger/q4.yaml"
    with open(ledger, "a", encoding="utf-8") as f:
        f.write("  - id: 2026-UNREAD-DEMO\n    date: 2026-11-20\n    item: B03\n    members: 全体\n")
    _build(content, out, cache)
    assert counted == Counter()
    # the branch's own units (keyed on all its files: its 2025 pages are compared file by
    # file and none is written again), and no aggregate
    assert sorted(looked) == ["branch/2025/jyw/dyzx", "branch/2026/jyw/dyzx"], looked
    fresh = tmp_path / "fresh"
    _build(content, fresh, None)
    assert tree_digest(out) == tree_digest(fresh)


def test_an_edit_reads_no_other_branchs_summary_quarters(tmp_path, monkeypatch):
    """The units' keys read of every branch only what its summary keeps eagerly in the
    district digest (`procedure`, `published_quarters`, `ranks`: sitegen.load.digest.EAGER):
    after a one-file edit no other branch's quarters, year end or ranked members are
    unpickled (each branch's are a pickle of their own, read on first use)."""
    import sitegen.load.digest as digest

    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    generate(content, branches=6, members=4, seed=3, year=2026)
    _build(content, out, cache)
    lazy: set[bytes] = set()  # the summaries' pickled lazy fields
    read: list[bytes] = []
    real_unpack, real_loads = digest.unpack_summary, digest.pickle.loads

    def unpack(eager, rest, scheme):
        lazy.add(bytes(rest))
        return real_unpack(eager, rest, scheme)

    def loads(data, *args, **kwargs):
        if isinstance(data, bytes) and data in lazy:
            read.append(data)
        return real_loads(data, *args, **kwargs)

    monkeypatch.setattr(digest, "unpack_summary", unpack)
    monkeypatch.setattr(digest.pickle, "loads", loads)
    ledger = sorted(content.glob("committees/*/branches/*/2026/ledger/q4.yaml"))[2]
    with open(ledger, "a", encoding="utf-8") as f:
        f.write("  - id: 2026-UNREAD-S\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")
    _build(content, out, cache)
    assert lazy, "the unchanged branches' summaries came from the district digest"
    assert not read, f"{len(read)} summaries' lazy fields read"
    fresh = tmp_path / "fresh"
    _build(content, fresh, None)
    assert tree_digest(out) == tree_digest(fresh)
