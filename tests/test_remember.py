"""`check` and `build` remember each branch's results between runs, in the cache folder
(sitegen.memo.Remembered, sitegen.load.cache.ResultStore). What they report and write
must be exactly what a run without any cache reports and writes — after every kind of
edit, with a cache that was cut off mid-write or scribbled over, and across sitegen
versions — and a one-file edit must compute one branch again, no more."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import sitegen
from sitegen.build import build
from sitegen.check import check
from sitegen.load.cache import ResultStore, results_fingerprint
from tests.support import ROOT
from tests.test_memo import EDITS, LEDGER

TODAY = date(2026, 11, 23)
BRANCH_ID = "dyzx"
KINDS = ("branch_year", "scheme", "score", "checks", "roster", "assembled")


def _problems(report) -> list[str]:
    return [p.format() for p in report.problems]


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _build(content: Path, out: Path, cache: Path | None):
    result = build(content, out, quiet=True, cache_dir=cache, pdf=False, history=False, today=TODAY)
    assert result.ok, [p.format() for p in result.problems]
    return result


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "results").rglob("*") if p.is_file())


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def _years_of(report, branch_id: str) -> int:
    district = report.loaded.district
    return len(next(b for b in district.branches() if b.id == branch_id).years)


@pytest.fixture(scope="module")
def steps(tmp_path_factory):
    """Every edit of test_memo in turn, each checked twice: with the cache folder kept
    from the run before (as a second `sitegen check` finds it), and with no cache."""
    base = tmp_path_factory.mktemp("remember")
    content, cache = base / "content", base / "cache"
    shutil.copytree(ROOT / "content", content)
    first = check(content, cache_dir=cache, today=TODAY)
    out = [("first run", first, check(content, cache_dir=None, today=TODAY))]
    for what, _, edit in EDITS:
        edit(content)
        out.append((what, check(content, cache_dir=cache, today=TODAY), check(content, cache_dir=None, today=TODAY)))
    return out


@pytest.mark.parametrize("index", range(len(EDITS) + 1), ids=["first run"] + [e[0] for e in EDITS])
def test_check_with_the_cache_equals_without(steps, index):
    what, remembered, fresh = steps[index]
    assert _problems(remembered) == _problems(fresh)
    assert remembered.years == fresh.years
    assert fresh.computed == {} and fresh.remembered == {}  # no cache folder: nothing kept


def test_check_edits_are_not_vacuous(steps):
    codes = {what: {p.code for p in r.errors} for what, r, _ in steps}
    assert codes["an invalid status"] and codes["an entry naming an unknown member"]
    assert not codes["the status fixed"]


def test_one_ledger_edit_computes_one_branch_again(steps):
    first, after = steps[0][1], steps[1][1]
    assert set(first.computed) == set(KINDS) and not first.remembered
    years = _years_of(after, BRANCH_ID)
    # the edited branch, each of its years: computed again; every other branch: found
    assert after.computed == {
        "branch_year": years,
        "scheme": years,
        "score": years,
        "checks": years,
        "roster": 1,
        "assembled": 1,
    }
    # the other branches were taken as assembled in the first run: their years not even looked up
    assert after.remembered["assembled"] == first.computed["assembled"] - 1 > 0
    assert "branch_year" not in after.remembered
    assert after.remembered["score"] == first.computed["score"] - years > 0


def test_a_scheme_edit_computes_every_branch_again(steps):
    index = next(i for i, (what, _, _) in enumerate(steps) if what == "the district scheme changed")
    before, after = steps[index - 1][1], steps[index][1]
    assert after.computed["score"] == sum(len(r.branches) for r in after.years.values())
    assert "score" not in after.remembered or before.computed != after.computed


def test_build_with_the_cache_equals_build_without(content, tmp_path):
    cache = tmp_path / "cache"
    _build(content, tmp_path / "warm", cache)
    (content / LEDGER).write_text(
        (content / LEDGER).read_text("utf-8")
        + "  - id: REMEMBER-1\n    date: 2026-03-30\n    item: B03\n    members: 全体\n",
        "utf-8",
    )
    again = _build(content, tmp_path / "warm", cache)
    fresh = _build(content, tmp_path / "fresh", None)
    assert _files(tmp_path / "warm") == _files(tmp_path / "fresh")
    assert [p.format() for p in again.problems] == [p.format() for p in fresh.problems]
    assert again.rendered < again.pages  # the rest of the site was reused
    assert any(BRANCH_ID in path for path in again.rendered_files)
    assert again.computed["score"] == again.computed["checks"] >= 1
    assert again.computed["roster"] == 1 and again.remembered["roster"] >= 10


def test_a_corrupt_cache_is_never_trusted(content, tmp_path):
    cache = tmp_path / "cache"
    _build(content, tmp_path / "first", cache)
    entries = _entries(cache)
    assert len(entries) > 10  # one bundle per branch
    # what a crash or a disk can leave: entries cut off mid-write, emptied, garbage, and
    # one entry copied over another (a whole, readable pickle under the wrong key)
    for i, path in enumerate(entries):
        data = path.read_bytes()
        if i % 4 == 0:
            path.write_bytes(data[: len(data) // 2])
        elif i % 4 == 1:
            path.write_bytes(b"")
        elif i % 4 == 2:
            path.write_bytes(b"\x80\x05not a pickle at all" + data[-10:])
        else:
            path.write_bytes(entries[(i + 1) % len(entries)].read_bytes() if i + 1 < len(entries) else data)
    (content / LEDGER).write_text(
        (content / LEDGER).read_text("utf-8")
        + "  - id: REMEMBER-2\n    date: 2026-03-30\n    item: B03\n    members: 全体\n",
        "utf-8",
    )
    again = build(content, tmp_path / "first", quiet=True, cache_dir=cache, pdf=False, history=False, today=TODAY)
    fresh = _build(content, tmp_path / "fresh", None)
    assert again.ok
    assert _files(tmp_path / "first") == _files(tmp_path / "fresh")
    assert [p.format() for p in again.problems] == [p.format() for p in fresh.problems]
    # nearly everything was computed again (only a few entries copied over themselves survive)
    assert again.computed["score"] >= len(entries) // 10
    # and written anew: the next check finds every entry whole
    checked = check(content, cache_dir=cache, today=TODAY, restricted=False)
    assert checked.computed == {}
    assert _problems(checked) == _problems(check(content, cache_dir=None, today=TODAY, restricted=False))


def test_a_corrupt_parse_cache_is_never_trusted(content, tmp_path):
    cache = tmp_path / "cache"
    first = check(content, cache_dir=cache, today=TODAY)
    parsed = [p for p in cache.rglob("*") if p.is_file() and "results" not in p.parts]
    assert parsed
    for path in parsed:
        path.write_bytes(path.read_bytes()[:7])
    again = check(content, cache_dir=cache, today=TODAY)
    assert _problems(again) == _problems(first) and again.years == first.years


def test_another_sitegen_version_does_not_read_the_entries(content, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    check(content, cache_dir=cache, today=TODAY)
    assert check(content, cache_dir=cache, today=TODAY).computed == {}
    key = ResultStore.key("x")
    monkeypatch.setattr(sitegen, "__version__", sitegen.__version__ + ".dev-other")
    results_fingerprint.cache_clear()
    try:
        assert ResultStore.key("x") != key
        other = check(content, cache_dir=cache, today=TODAY)
        assert set(other.computed) == set(KINDS) and other.remembered == {}
    finally:
        monkeypatch.undo()
        results_fingerprint.cache_clear()
    assert ResultStore.key("x") == key


def test_restricted_records_never_reach_the_cache(content, tmp_path):
    """The results kept are those of public files only: no restricted record's words are
    in the cache folder, and editing a restricted file computes no branch again."""
    cache = tmp_path / "cache"
    check(content, cache_dir=cache, today=TODAY)
    path = content / "restricted/dezx/2026.yaml"
    secret = "带学生参加区运动会"
    assert secret in path.read_text("utf-8")
    for entry in cache.rglob("*"):
        if entry.is_file():
            assert secret.encode() not in entry.read_bytes()
    path.write_text(path.read_text("utf-8").replace("区运动会", "市运动会"), "utf-8")
    after = check(content, cache_dir=cache, today=TODAY)
    assert after.computed == {}
    assert _problems(after) == _problems(check(content, cache_dir=None, today=TODAY))


class _Counted:
    """Counts, by branch folder, the parse-cache entries read and the files parsed anew."""

    def __init__(self, monkeypatch):
        import sitegen.load as load_module
        from sitegen.load.cache import ParseCache

        self.read: list[str] = []
        self.parsed: list[str] = []
        real_get, real_parse = ParseCache.get, load_module._parse_one
        paths: dict[str, str] = {}
        real_key = ParseCache.key

        def key(kind, path, digest):
            found = real_key(kind, path, digest)
            paths[found] = path
            return found

        def get(cache, key):
            self.read.append(paths.get(key, "?"))
            return real_get(cache, key)

        def parse_one(args):
            self.parsed.append(args[1])
            return real_parse(args)

        monkeypatch.setattr(ParseCache, "key", staticmethod(key))
        monkeypatch.setattr(ParseCache, "get", get)
        monkeypatch.setattr(load_module, "_parse_one", parse_one)

    def branches(self) -> set[str]:
        return {p.split("/")[3] for p in self.read + self.parsed if p.startswith("committees/") and "/branches/" in p}


def test_only_a_changed_branch_is_parsed(content, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = check(content, cache_dir=cache, today=TODAY, jobs=1)
    counted = _Counted(monkeypatch)
    same = check(content, cache_dir=cache, today=TODAY, jobs=1)
    assert counted.branches() == set()  # nothing changed: no branch's file read from the parse cache
    assert _problems(same) == _problems(first) and same.years == first.years
    # every ledger's entries (e.g. for the history checks) come with the remembered branch
    assert dict(same.loaded.ledgers) == dict(first.loaded.ledgers) and counted.branches() == set()
    (content / LEDGER).write_text(
        (content / LEDGER).read_text("utf-8")
        + "  - id: REMEMBER-3\n    date: 2026-03-30\n    item: B03\n    members: 全体\n",
        "utf-8",
    )
    counted.read.clear()
    after = check(content, cache_dir=cache, today=TODAY, jobs=1)
    assert counted.branches() == {BRANCH_ID}  # the edited branch only, every file of it
    assert LEDGER in counted.parsed and len(counted.read) > 1
    fresh = check(content, cache_dir=None, today=TODAY, jobs=1)
    assert _problems(after) == _problems(fresh) and after.years == fresh.years
    # an unchanged branch's ledgers are still there for whoever asks (parsed then)
    other = next(b for b in after.loaded.district.branches() if b.id != BRANCH_ID and b.years)
    year = next(iter(other.years))
    key = (other.committee_id, other.id, year)
    assert after.loaded.ledgers.get(key) == fresh.loaded.ledgers.get(key)
    assert dict(after.loaded.ledgers) == dict(fresh.loaded.ledgers)


def test_a_same_size_same_time_edit_is_not_missed(content, tmp_path, monkeypatch):
    """The scope is the files' hashes: an edit keeping a file's size and mtime is seen."""
    import os

    cache = tmp_path / "cache"
    check(content, cache_dir=cache, today=TODAY, jobs=1)
    path = content / LEDGER
    text = path.read_text("utf-8")
    info = path.stat()
    assert "B03" in text
    path.write_text(text.replace("B03", "B99", 1), "utf-8")  # same length: an unknown item
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    counted = _Counted(monkeypatch)
    after = check(content, cache_dir=cache, today=TODAY, jobs=1)
    assert counted.branches() == {BRANCH_ID}
    fresh = check(content, cache_dir=None, today=TODAY, jobs=1)
    assert _problems(after) == _problems(fresh) and after.years == fresh.years
    assert any("B99" in p for p in _problems(after))


def test_a_new_day_computes_no_branch_checks_again_and_warns_as_of_that_day(content, tmp_path):
    """A branch's checks are remembered whatever the date; its deadlines' warnings (W101–W103,
    W501: "还有 N 天", "已过") are made for the day of each run. Carried from day to day,
    the cache gives exactly what a run without it gives on that day."""
    cache = tmp_path / "cache"
    days = [date(2026, 11, 23), date(2026, 12, 20), date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 20)]
    warnings = []
    for n, day in enumerate(days):
        remembered, fresh = check(content, cache_dir=cache, today=day), check(content, cache_dir=None, today=day)
        assert _problems(remembered) == _problems(fresh), day
        if n:
            assert "checks" not in remembered.computed, day
            assert remembered.remembered["checks"] > 0
        warnings.append(sorted(p.format() for p in fresh.problems if p.code.startswith("W")))
    assert len({tuple(w) for w in warnings}) == len(days)  # each day warns differently: not vacuous
