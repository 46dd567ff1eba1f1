"""The district digest (sitegen.load.digest): after a one-file edit `check` takes every
unchanged branch from one file and opens no other branch's bundle — and what it reports
is what a run without any cache reports, after an edit anywhere (a branch's files, a
committee's, site.yaml, the scheme, a restricted record), and whatever was done to the
digest file (cut off, scribbled over, of another date or another content folder)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sitegen.check import check
from sitegen.load.cache import ResultStore
from sitegen.load.digest import FILE as DIGEST
from tests.support import ROOT
from tests.test_memo import LEDGER

TODAY = date(2026, 11, 23)
DYZX_ROSTER = "committees/jyw/branches/dyzx/2026/roster.yaml"


def _problems(report) -> list[str]:
    return [p.format() for p in report.problems]


class _Opened:
    """Counts the branch bundles `check` finds and reads (ResultStore.get_layered)."""

    def __init__(self, monkeypatch):
        self.found = 0
        self.asked = 0
        real = ResultStore.get_layered

        self.counting = True

        def get_layered(store, key):
            got = real(store, key)
            if self.counting:
                self.asked += 1
                self.found += got[0]
            return got

        monkeypatch.setattr(ResultStore, "get_layered", get_layered)

    def stop(self) -> None:
        self.counting = False

    def again(self) -> None:
        self.found = self.asked = 0
        self.counting = True


def _same_as_fresh(content: Path, cache: Path, opened: _Opened | None = None):
    """`check` with the cache folder, compared in full with a run without one (which reads
    every branch's years and score); `opened`, if given, counts only what `check` opened."""
    remembered = check(content, cache_dir=cache, today=TODAY, jobs=1)
    if opened is not None:
        opened.stop()
    fresh = check(content, cache_dir=None, today=TODAY, jobs=1)
    assert _problems(remembered) == _problems(fresh)
    assert remembered.years == fresh.years  # every score read (or computed) and compared
    assert dict(remembered.loaded.ledgers) == dict(fresh.loaded.ledgers)
    assert remembered.loaded.district == fresh.loaded.district  # every branch read and compared
    return remembered


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _ledger_entry(content: Path, n: int) -> None:
    _append(content / LEDGER, f"  - id: DIGEST-{n}\n    date: 2026-03-30\n    item: B03\n    members: 全体\n")


def test_an_edit_opens_no_other_branch_bundle(content, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = check(content, cache_dir=cache, today=TODAY, jobs=1)
    assert (cache / DIGEST).is_file()
    branches = len(list(first.loaded.district.branches()))
    _ledger_entry(content, 1)
    opened = _Opened(monkeypatch)
    after = check(content, cache_dir=cache, today=TODAY, jobs=1)
    opened.stop()
    # the edited branch has a new scope (no bundle yet); every other one is in the digest
    assert opened.found == 0 and opened.asked <= 1
    assert after.remembered["assembled"] == after.remembered["roster"] == branches - 1
    assert after.computed["roster"] == 1
    monkeypatch.undo()
    fresh = check(content, cache_dir=None, today=TODAY, jobs=1)
    assert _problems(after) == _problems(fresh)
    assert after.years == fresh.years
    assert after.loaded.district == fresh.loaded.district
    assert dict(after.loaded.ledgers) == dict(fresh.loaded.ledgers)


def test_a_new_day_reads_the_bundles_and_keeps_a_new_digest(content, tmp_path, monkeypatch):
    """The digest is of one build date (scores and deadlines depend on it): another day's
    run reads every bundle, and the next run that day reads none."""
    cache = tmp_path / "cache"
    check(content, cache_dir=cache, today=date(2026, 11, 20), jobs=1)
    opened = _Opened(monkeypatch)
    _same_as_fresh(content, cache, opened)
    assert opened.found > 10
    opened.again()
    _same_as_fresh(content, cache, opened)
    assert opened.found == 0


EDITS = [
    ("a ledger entry", lambda c: _ledger_entry(c, 2), None),
    (
        "a member of an unchanged branch listed in another too",
        lambda c: _append(c / DYZX_ROSTER, "  - id: M1301\n    name: 重复登记\n    status: 正式党员\n"),
        "E304",
    ),
    ("that member removed again", lambda c: _replace(c / DYZX_ROSTER, "  - id: M1301\n", "  - id: M1399\n"), None),
    (
        "a floating member's since, changed on one side only",
        lambda c: _replace(
            c / "committees/qsjd/branches/kjy/2026/roster.yaml",
            "branch: jdjg\n      since: 2026-11-01",
            "branch: jdjg\n      since: 2026-10-01",
        ),
        "E312",
    ),
    (
        "a committee's filing dated before the branch reported",
        lambda c: _replace(c / "committees/qsjd/filings/2026.yaml", "filed: 2026-04-20", "filed: 2026-01-05"),
        "E505",
    ),
    (
        "committee.yaml changed",
        lambda c: _replace(c / "committees/qsjd/committee.yaml", "leader: 林国栋", "leader: 林国梁"),
        None,
    ),
    (
        "the committee's scheme changed",
        lambda c: _replace(c / "committees/qsjd/scheme/2026.yaml", "max: 5", "max: 4"),
        None,
    ),
    (
        "a branch notice dated unlike its name",
        lambda c: (
            (c / "committees/jyw/branches/dezx/notices").mkdir(exist_ok=True)
            or (c / "committees/jyw/branches/dezx/notices/2026-05-01-digest.md").write_text(
                "---\ntitle: 测试通知\ndate: 2026-05-02\n---\n正文。\n", "utf-8"
            )
        ),
        "W802",
    ),
    (
        "a restricted record naming an appeal that is not there",
        lambda c: _replace(c / "restricted/dezx/2026.yaml", "2026-S01:", "2026-S99:"),
        "E701",
    ),
    ("site.yaml changed", lambda c: _replace(c / "site.yaml", "name: 青松区", "name: 青松新区"), None),
    (
        "the district scheme changed",
        lambda c: _replace(
            c / "scheme/2026.yaml",
            "name: 按月足额交纳党费\n    points: 1\n    cap: 12",
            "name: 按月足额交纳党费\n    points: 1\n    cap: 6",
        ),
        None,
    ),
]


@pytest.fixture(scope="module")
def steps(tmp_path_factory):
    base = tmp_path_factory.mktemp("digest")
    content, cache = base / "content", base / "cache"
    shutil.copytree(ROOT / "content", content)
    check(content, cache_dir=cache, today=TODAY, jobs=1)
    out = []
    for what, edit, _ in EDITS:
        edit(content)
        digest = (cache / DIGEST).read_bytes()
        out.append((what, _same_as_fresh(content, cache), digest))
    return out


@pytest.mark.parametrize("index", range(len(EDITS)), ids=[e[0] for e in EDITS])
def test_every_edit_is_seen(steps, index):
    what, report, digest = steps[index]
    wanted = EDITS[index][2]
    if wanted:  # not vacuous: the edit makes the problem, across an unchanged branch
        assert wanted in {p.code for p in report.problems}, what
    assert digest  # each step started from a digest the last one wrote


def _damage(cache: Path, content: Path, tmp_path: Path, how: str) -> None:
    path = cache / DIGEST
    data = path.read_bytes()
    if how == "cut":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":  # the length right, the CRC not
        path.write_bytes(data[:30] + b"\x80\x05garbage" + bytes(len(data) - 39))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "another date":
        other = tmp_path / "other-date"
        check(content, cache_dir=other, today=date(2026, 11, 20), jobs=1)
        path.write_bytes((other / DIGEST).read_bytes())
    else:  # another content folder's (every scope different), whole and readable
        elsewhere = tmp_path / "elsewhere"
        shutil.copytree(content, elsewhere)
        _replace(elsewhere / "site.yaml", "name: 青松区", "name: 别处")
        other = tmp_path / "other-content"
        check(elsewhere, cache_dir=other, today=TODAY, jobs=1)
        path.write_bytes((other / DIGEST).read_bytes())


@pytest.mark.parametrize("how", ["cut", "garbage", "empty", "another date", "another content folder"])
def test_a_damaged_or_foreign_digest_is_ignored(content, tmp_path, monkeypatch, how):
    cache = tmp_path / "cache"
    first = check(content, cache_dir=cache, today=TODAY, jobs=1)
    branches = len(list(first.loaded.district.branches()))
    _damage(cache, content, tmp_path, how)
    _ledger_entry(content, 3)
    opened = _Opened(monkeypatch)
    _same_as_fresh(content, cache, opened)
    assert opened.found >= branches - 1  # every unchanged branch read from its bundle
    opened.again()
    _same_as_fresh(content, cache, opened)  # and the digest written anew
    assert opened.found == 0


def test_build_after_an_edit_equals_a_fresh_build(content, tmp_path):
    """`build` takes the same branches from the digest and reads what it renders of them
    (their years, notices, scores) when it renders: the same files as without a cache."""
    from sitegen.build import build

    cache = tmp_path / "cache"

    def files(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    options = {"quiet": True, "pdf": False, "history": False, "today": TODAY}
    assert build(content, tmp_path / "warm", cache_dir=cache, **options).ok
    _ledger_entry(content, 4)
    again = build(content, tmp_path / "warm", cache_dir=cache, **options)
    fresh = build(content, tmp_path / "fresh", cache_dir=None, **options)
    assert again.ok and fresh.ok
    assert again.remembered["assembled"] >= 10  # the unchanged branches taken from the digest
    assert files(tmp_path / "warm") == files(tmp_path / "fresh")
