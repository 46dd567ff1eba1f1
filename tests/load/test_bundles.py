"""What `check` reads of the branches it remembers (sitegen.memo.Remembered): a branch's
bundle keeps its score in a second layer, read only when something looks the score up,
so that after a one-file edit `check` unpickles no other branch's score — and a bundle
cut off or scribbled over anywhere is ignored or computed again, the result the same as
a run without a cache."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

import sitegen.load.cache as cache_module
from sitegen.check import check
from sitegen.load.digest import FILE as DIGEST
from sitegen.memo import branch_scopes
from sitegen.model.ledger import Entry
from sitegen.model.scored import BranchYearResult, Results
from tests.support import ROOT
from tests.test_memo import BRANCH, LEDGER

TODAY = date(2026, 11, 23)
BRANCH_ID = BRANCH.rstrip("/").split("/")[-1]


def _problems(report) -> list[str]:
    return [p.format() for p in report.problems]


def _edit(content: Path, n: int) -> None:
    path = content / LEDGER
    path.write_text(
        path.read_text("utf-8") + f"  - id: BUNDLE-{n}\n    date: 2026-03-30\n    item: B03\n    members: 全体\n",
        "utf-8",
    )


class _Unpickled:
    """Counts the scored branch years (BranchYearResult) unpickled from the cache folder,
    by branch, and the ledger entries: every model object in a cache entry is made by a
    maker the pickle names (sitegen.load.cache._maker), looked up as an attribute of the
    cache module."""

    def __init__(self, monkeypatch):
        self.branches: Counter[str] = Counter()
        self.entries = 0
        real, real_entry = cache_module._maker(BranchYearResult), cache_module._maker(Entry)

        def make(*values):
            made = real(*values)
            self.branches[made.branch_id] += 1
            return made

        def make_entry(*values):
            self.entries += 1
            return real_entry(*values)

        monkeypatch.setitem(cache_module.__dict__, real.__name__, make)
        monkeypatch.setitem(cache_module.__dict__, real_entry.__name__, make_entry)


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def _bundles(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "results").rglob("*") if p.is_file() and not p.name.startswith("."))


def test_an_edit_unpickles_no_other_branch_score(content, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = check(content, cache_dir=cache, today=TODAY, jobs=1)
    branch_years = sum(len(y.branches) for y in first.years.values())
    assert branch_years > 10
    _edit(content, 1)
    unpickled = _Unpickled(monkeypatch)
    after = check(content, cache_dir=cache, today=TODAY, jobs=1)
    # the edited branch is scored again; no other branch's score is read, though every
    # other branch's checks, ranks and totals are remembered
    assert after.computed["score"] == len(next(b for b in after.loaded.district.branches() if b.id == BRANCH_ID).years)
    assert after.remembered["score"] == branch_years - after.computed["score"]
    assert unpickled.branches == Counter()
    # nor any other branch's ledger entries: only the edited branch's other ledger files
    # come from the parse cache
    edited = sum(
        len(rows)
        for key, rows in check(content, cache_dir=None, today=TODAY).loaded.ledgers.items()
        if key[1] == BRANCH_ID
    )
    assert 0 < unpickled.entries < edited
    unread = sum(y.branches.unread() for y in after.years.values() if isinstance(y.branches, Results))
    assert unread == after.remembered["score"]
    # and whoever asks for a result gets it: the same as a run without the cache
    fresh = check(content, cache_dir=None, today=TODAY, jobs=1)
    assert _problems(after) == _problems(fresh)
    assert after.years == fresh.years
    assert sum(unpickled.branches.values()) == after.remembered["score"]  # each read once, when asked for
    assert BRANCH_ID not in unpickled.branches


def test_a_ranked_result_is_read_with_its_ranks(content, tmp_path):
    """A year whose year end is published ranks members across branches: an unread
    result is given its ranks when it is read (its summary has them already)."""
    cache = tmp_path / "cache"
    check(content, cache_dir=cache, today=TODAY, jobs=1)
    _edit(content, 2)
    after = check(content, cache_dir=cache, today=TODAY, jobs=1)
    fresh = check(content, cache_dir=None, today=TODAY, jobs=1)
    ranked = 0
    for year, result in fresh.years.items():
        for bid, res in result.branches.items():
            ranks = [(r.rank_committee, r.rank_district) for r in res.members]
            ranked += any(c is not None for c, _ in ranks)
            assert isinstance(after.years[year].branches, Results)
            assert after.years[year].branches.summary(bid).ranks == tuple(ranks)
            assert after.years[year].branches[bid] == res
    assert ranked > 0  # the demo has a published year end: the test is not vacuous


@pytest.mark.parametrize("digest", ["digest removed", "digest kept"])
@pytest.mark.parametrize("cut", ["head", "boundary", "tail", "tail garbage", "empty", "other bundle"])
def test_a_damaged_bundle_is_never_trusted(content, tmp_path, cut, digest):
    """With the district digest removed, every bundle is read by `check` and, damaged, is
    computed again and written anew. With the digest kept, `check` opens no bundle; what
    is asked of a branch later (its score, its years) falls back, bundle damaged, to
    computing its score and parsing its files again: the same results."""
    cache = tmp_path / "cache"
    check(content, cache_dir=cache, today=TODAY, jobs=1)
    if digest == "digest removed":
        (cache / DIGEST).unlink()
    bundles = _bundles(cache)
    assert len(bundles) > 10
    for i, path in enumerate(bundles):
        data = path.read_bytes()
        head = int.from_bytes(data[8:16], "little")  # after the mark: the head's length, the tail's, its CRC
        start = 28
        if cut == "head":
            path.write_bytes(data[: start + head // 2])
        elif cut == "boundary":  # the head whole, the tail missing
            path.write_bytes(data[: start + head])
        elif cut == "tail":
            path.write_bytes(data[: start + head + (len(data) - start - head) // 2])
        elif cut == "tail garbage":  # the lengths right, the tail unreadable: its CRC does not match
            path.write_bytes(data[: start + head] + b"\x80\x05garbage" + bytes(len(data) - start - head - 9))
        elif cut == "empty":
            path.write_bytes(b"")
        else:  # another branch's whole bundle under this name
            path.write_bytes(bundles[(i + 1) % len(bundles)].read_bytes())
    again = check(content, cache_dir=cache, today=TODAY, jobs=1)
    fresh = check(content, cache_dir=None, today=TODAY, jobs=1)
    assert _problems(again) == _problems(fresh)
    assert again.years == fresh.years  # every result read (or computed) and compared
    assert dict(again.loaded.ledgers) == dict(fresh.loaded.ledgers)
    assert [b for b in again.loaded.district.branches()] == [b for b in fresh.loaded.district.branches()]
    if digest == "digest kept":
        return
    assert again.computed["score"] > 10  # computed again, and written anew
    clean = check(content, cache_dir=cache, today=TODAY, jobs=1)
    assert clean.computed == {}
    assert _problems(clean) == _problems(fresh) and clean.years == fresh.years
    assert dict(clean.loaded.ledgers) == dict(fresh.loaded.ledgers)


def test_the_bundles_are_keyed_by_scope(content, tmp_path):
    """One bundle per branch, named by its scope: an edit writes one new bundle."""
    cache = tmp_path / "cache"
    first = check(content, cache_dir=cache, today=TODAY, jobs=1)
    before = set(_bundles(cache))
    assert len(before) == len(branch_scopes(first.loaded.hashes))
    _edit(content, 3)
    check(content, cache_dir=cache, today=TODAY, jobs=1)
    assert len(set(_bundles(cache)) - before) == 1


def test_a_remembered_branch_is_kept_again_on_a_new_day(content, tmp_path):
    """A branch read from its bundle (its ledger entries still in the unread tail) whose
    score is made again — a new day changes every score's inputs — is kept again: the
    bundle is rewritten with its entries read, not skipped because a placeholder for
    them cannot be pickled. The next run that day scores only the branch edited."""
    cache = tmp_path / "cache"
    check(content, cache_dir=cache, today=date(2026, 11, 20), jobs=1)
    _edit(content, 3)
    check(content, cache_dir=cache, today=TODAY, jobs=1)  # every branch scored again (a new day), kept again
    _edit(content, 4)
    after = check(content, cache_dir=cache, today=TODAY, jobs=1)
    edited = next(b for b in after.loaded.district.branches() if b.id == BRANCH_ID)
    assert after.computed["score"] == len(edited.years)
    fresh = check(content, cache_dir=None, today=TODAY, jobs=1)
    assert _problems(after) == _problems(fresh)
    assert after.years == fresh.years
