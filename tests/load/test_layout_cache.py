"""The scan's layout cache (issue 17): a branch folder none of whose folders changed is not
listed again — and no change is ever missed: a file added, removed, renamed, replaced by a
link or a folder, a folder's times put back, a new branch or year, a cache cut short or of
another version. Every scan below is compared with one made without any cache."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import sitegen.load.layoutcache as layoutcache
import sitegen.load.statcache as statcache
from sitegen.check import check
from sitegen.load import scan
from tests.support import B1, B1_2026

HOUR = 3600 * 10**9
B2 = "committees/c1/branches/b2"


@pytest.fixture
def no_slack(monkeypatch):
    """The racy window without its two seconds of slack (as in test_stat_cache): a folder
    changed before the scan began is not racy."""
    monkeypatch.setattr(statcache, "SLACK_NS", 0)


@pytest.fixture
def calls(monkeypatch):
    """The folders listed (os.scandir) and the paths lstat-ed, below the content folder."""
    seen: dict[str, list[str]] = {"scandir": [], "lstat": []}
    real_scandir, real_lstat = os.scandir, os.lstat

    def scandir(path="."):
        seen["scandir"].append(os.fspath(path) if not isinstance(path, int) else f"<fd {path}>")
        return real_scandir(path)

    def lstat(path, *args, **kwargs):
        seen["lstat"].append(os.fspath(path))
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "lstat", lstat)
    return seen


def age(root: Path) -> None:
    """Every file and folder last modified an hour ago."""
    past = time.time_ns() - HOUR
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            os.utime(path, ns=(past, past))


def facts(found):
    return found.sources, found.problems, found.hashes


def same_as_without_cache(root: Path, cache: Path):
    found = scan(root, cache_dir=cache, restricted=True)
    assert facts(found) == facts(scan(root, restricted=True))
    return found


def listed_below(calls, root: Path, folder: str) -> list[str]:
    prefix = os.path.join(os.fspath(root), folder)
    return [p for p in calls["scandir"] if p == prefix or p.startswith(prefix + "/")]


def warm(root: Path, cache: Path) -> None:
    age(root)
    scan(root, cache_dir=cache)  # records every folder's aged status
    scan(root, cache_dir=cache)


def only_layout_file(cache: Path) -> Path:
    (found,) = (cache / "layout").glob("*.marshal")
    return found


def test_unchanged_branch_folders_are_not_listed_again(mini, tmp_path, no_slack, calls):
    cache = tmp_path / "cache"
    age(mini)
    scan(mini, cache_dir=cache)
    assert listed_below(calls, mini, B1_2026 + "/ledger")  # the first scan lists everything
    calls["scandir"].clear()
    calls["lstat"].clear()
    found = same_as_without_cache(mini, cache)
    listed = listed_below(calls, mini, "committees/c1/branches")
    lstats = list(calls["lstat"])
    branches = mini / "committees/c1/branches"
    branch_folders = [os.fspath(p) for p in branches.rglob("*") if p.is_dir()]
    assert len(branch_folders) == 7
    # the cached scan lists the folder of the branch folders only; the scan without a cache all
    assert sorted(listed) == sorted([os.fspath(branches)] * 2 + branch_folders)
    # the cached scan lstat-ed each branch's folders and each of its files, once
    cached_lstats = [p for p in lstats if "/branches/" in p]
    assert sorted(cached_lstats) == sorted(
        branch_folders + [os.fspath(mini / f) for f in found.hashes if "/branches/" in f]
    )
    mtime = only_layout_file(cache).stat().st_mtime_ns
    scan(mini, cache_dir=cache)
    assert only_layout_file(cache).stat().st_mtime_ns == mtime  # nothing changed: not written again


def _add_ledger(root: Path) -> str:
    shutil.copy(root / B1_2026 / "ledger/q1.yaml", root / B1_2026 / "ledger/q3.yaml")
    return f"{B1_2026}/ledger/q3.yaml"


def _add_misplaced(root: Path) -> str:
    (root / B2 / "2026/notes.txt").write_text("备注", "utf-8")
    return "E101"


def _remove(root: Path) -> str:
    (root / B1_2026 / "ledger/q2.yaml").unlink()
    return f"-{B1_2026}/ledger/q2.yaml"


def _rename(root: Path) -> str:
    (root / B1_2026 / "ledger/q2.yaml").rename(root / B1_2026 / "ledger/q4.yaml")
    return f"{B1_2026}/ledger/q4.yaml"


def _link(root: Path) -> str:
    ledger = root / B1_2026 / "ledger/q2.yaml"
    target = root.parent / "elsewhere.yaml"
    target.write_bytes(ledger.read_bytes())
    ledger.unlink()
    ledger.symlink_to(target)
    return "E104"


def _folder_in_place_of_file(root: Path) -> str:
    ledger = root / B1_2026 / "ledger/q2.yaml"
    ledger.unlink()
    ledger.mkdir()
    return f"-{B1_2026}/ledger/q2.yaml"


def _new_year(root: Path) -> str:
    shutil.copytree(root / B1_2026, root / B1 / "2027")
    return f"{B1}/2027/roster.yaml"


def _new_branch(root: Path) -> str:
    shutil.copytree(root / B2, root / "committees/c1/branches/b3")
    return "committees/c1/branches/b3/branch.yaml"


def _folder_times_put_back(root: Path) -> str:
    folder = root / B1_2026 / "ledger"
    st = folder.stat()
    _add_ledger(root)
    os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns))  # its change time still moves
    assert folder.stat().st_mtime_ns == st.st_mtime_ns
    return f"{B1_2026}/ledger/q3.yaml"


def _edit_in_place(root: Path) -> str:
    """A same-size edit with the file's modification time put back: no folder changes."""
    path = root / B1_2026 / "ledger/q1.yaml"
    folder = path.parent.stat()
    st = path.stat()
    data = path.read_bytes()
    i = data.index(b"date: 2026-")
    path.write_bytes(data[:i] + data[i:].replace(b"date: 2026-", b"date: 2027-", 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.parent.stat().st_mtime_ns == folder.st_mtime_ns
    return f"~{B1_2026}/ledger/q1.yaml"


@pytest.mark.parametrize(
    "change",
    [
        _add_ledger,
        _add_misplaced,
        _remove,
        _rename,
        _link,
        _folder_in_place_of_file,
        _new_year,
        _new_branch,
        _folder_times_put_back,
        _edit_in_place,
    ],
)
def test_every_change_is_seen(mini, tmp_path, no_slack, change):
    cache = tmp_path / "cache"
    warm(mini, cache)
    before = same_as_without_cache(mini, cache)
    expected = change(mini)
    after = same_as_without_cache(mini, cache)
    if expected.startswith("E"):
        assert expected in {p.code for p in after.problems} - {p.code for p in before.problems}
    elif expected.startswith("-"):
        assert expected[1:] in before.hashes and expected[1:] not in after.hashes
    elif expected.startswith("~"):
        assert after.hashes[expected[1:]] != before.hashes[expected[1:]]
    else:
        assert expected not in before.hashes and expected in after.hashes
    assert facts(same_as_without_cache(mini, cache)) == facts(after)  # and the next scan, from the new cache


def test_a_folder_changed_in_the_tick_of_its_listing_is_listed_again(mini, tmp_path, calls):
    """With the slack (the default): folders changed less than two seconds before the
    scan that listed them are not trusted the next time."""
    cache = tmp_path / "cache"
    scan(mini, cache_dir=cache)  # every folder just made: racy
    calls["scandir"].clear()
    scan(mini, cache_dir=cache)
    assert listed_below(calls, mini, B1_2026 + "/ledger")


def test_a_damaged_or_foreign_layout_cache_is_ignored(mini, tmp_path, no_slack, calls, monkeypatch):
    cache = tmp_path / "cache"
    warm(mini, cache)
    path = only_layout_file(cache)
    good = path.read_bytes()
    damaged = [
        good[: len(good) // 2],  # cut off
        good[:-1] + bytes([good[-1] ^ 1]),  # scribbled over
        b"sitegen-layout\x01" + b"\0" * 12 + b"junk",  # a header that does not fit
        good.replace(b"sitegen-layout-cache-2", b"sitegen-layout-cache-1"),  # another format (CRC fails too)
        b"",
    ]
    for data in damaged:
        path.write_bytes(data)
        calls["scandir"].clear()
        same_as_without_cache(mini, cache)
        assert len(listed_below(calls, mini, B1_2026 + "/ledger")) == 2  # walked, then the uncached scan
    warm(mini, cache)
    monkeypatch.setattr(layoutcache, "__version__", "9.9.9")  # written by this version: another ignores it
    calls["scandir"].clear()
    same_as_without_cache(mini, cache)
    assert len(listed_below(calls, mini, B1_2026 + "/ledger")) == 2


def test_an_entry_of_the_wrong_shape_is_not_trusted(mini, tmp_path, no_slack, calls, monkeypatch):
    cache = tmp_path / "cache"
    warm(mini, cache)
    real_load = layoutcache.LayoutCache._load

    def load(self):
        real_load(self)
        for rel, (listed, files, problems) in list(self._old.items()):
            self._old[rel] = (listed, [f[1] for f in files], problems)  # paths, not source files' fields

    monkeypatch.setattr(layoutcache.LayoutCache, "_load", load)
    calls["scandir"].clear()
    same_as_without_cache(mini, cache)
    assert len(listed_below(calls, mini, B1_2026 + "/ledger")) == 2


def test_nothing_of_restricted_is_kept(mini, tmp_path, no_slack):
    cache = tmp_path / "cache"
    (mini / "restricted/b1/谈话记录-张三.txt").write_text("x", "utf-8")
    warm(mini, cache)
    found = same_as_without_cache(mini, cache)
    assert any(p.pos.file.startswith("restricted/") for p in found.problems)  # reported every run
    data = only_layout_file(cache).read_bytes()
    assert b"restricted/" not in data and "谈话".encode() not in data


def test_check_after_layout_changes_equals_check_without_cache(mini, tmp_path, no_slack):
    cache = tmp_path / "cache"
    warm(mini, cache)
    check(mini, cache_dir=cache, today=None)
    for change in (_new_year, _rename, _add_misplaced):
        change(mini)
        cached = check(mini, cache_dir=cache)
        fresh = check(mini, cache_dir=None)
        assert cached.problems == fresh.problems
        assert set(cached.years) == set(fresh.years)


def build_scan(root: Path, cache: Path, calls):
    """The scan a build makes (no restricted records), compared with one without a cache;
    and the folders below restricted/ it listed."""
    calls["scandir"].clear()
    found = scan(root, cache_dir=cache, restricted=False)
    listed = listed_below(calls, root, "restricted")
    assert facts(found) == facts(scan(root, restricted=False))
    return found, listed


def test_a_build_does_not_list_restricted_folders_that_are_as_they_were(mini, tmp_path, no_slack, calls):
    cache = tmp_path / "cache"
    (mini / "restricted/b2").mkdir()
    (mini / "restricted/b2/2025.yaml").write_bytes((mini / "restricted/b1/2026.yaml").read_bytes())
    warm(mini, cache)
    _, listed = build_scan(mini, cache, calls)
    assert listed == [os.fspath(mini / "restricted")]  # restricted/ itself only
    # `check` reads the records: it lists them every time
    calls["scandir"].clear()
    same_as_without_cache(mini, cache)
    assert len(listed_below(calls, mini, "restricted/b1")) == 2  # (and the scan without a cache)
    # a file added, a link put in a record's place, a folder's times put back: seen
    for change in ("added", "link", "times"):
        folder = mini / "restricted/b2"
        st = folder.stat()
        if change == "added":
            (folder / "谈话记录.txt").write_text("x", "utf-8")
        elif change == "link":
            (folder / "2025.yaml").unlink()
            (folder / "2025.yaml").symlink_to(mini / "restricted/b1/2026.yaml")
        else:
            os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns))
        found, listed = build_scan(mini, cache, calls)
        assert os.fspath(mini / "restricted/b2") in listed  # listed again
        if change != "times":
            assert any(p.pos.file.startswith("restricted/b2/") for p in found.problems)
    # while it holds something to report, it is listed (and reported) on every build
    age(mini)
    for _ in range(2):
        found, listed = build_scan(mini, cache, calls)
        assert os.fspath(mini / "restricted/b2") in listed
        assert any(p.pos.file.startswith("restricted/b2/") for p in found.problems)
    shutil.rmtree(mini / "restricted/b2")
    age(mini)
    build_scan(mini, cache, calls)  # nothing to report any more: recorded
    assert build_scan(mini, cache, calls)[1] == [os.fspath(mini / "restricted")]


def test_a_restricted_folder_changed_in_the_scans_clock_tick_is_listed(mini, tmp_path, no_slack, calls):
    cache = tmp_path / "cache"
    warm(mini, cache)
    later = time.time_ns() + HOUR  # (a clock tick as coarse as an hour: not older than any scan's stamp)
    os.utime(mini / "restricted/b1", ns=(later, later))
    for _ in range(2):  # racy: never recorded, listed every time
        assert os.fspath(mini / "restricted/b1") in build_scan(mini, cache, calls)[1]
    data = only_layout_file(cache).read_bytes()
    assert b"restricted/" not in data  # no name of it is kept
