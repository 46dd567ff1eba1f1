"""The scan's stat cache (issue 17): a file whose status is unchanged is not read or
hashed again, and no change is ever missed — an edit of the same size that puts the
modification time back, an edit in the same clock tick as the scan (git's "racy" rule),
a cache of another sitegen version or cut short — and the scan's guarantees hold: links
and oversize files are refused, bytes a later stage needs are read (and checked)."""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

import pytest

import sitegen.load.statcache as statcache
from sitegen.check import check
from sitegen.load import MAX_FILE_BYTES, Unreadable, load, scan
from sitegen.load.cache import framed, unframed
from tests.support import B1_2026

LEDGER = f"{B1_2026}/ledger/q1.yaml"
HOUR = 3600 * 10**9


@pytest.fixture
def no_slack(monkeypatch):
    """The racy window without its two seconds of slack for coarse file systems, so that
    a test need not wait: a file changed before the scan began is not racy."""
    monkeypatch.setattr(statcache, "SLACK_NS", 0)


def age(root: Path) -> None:
    """Every file last modified an hour ago (its change time is now: see no_slack)."""
    past = time.time_ns() - HOUR
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, ns=(past, past))


def only_stat_file(cache: Path) -> Path:
    (found,) = (cache / "stat").glob("*.marshal")
    return found


def stored(cache: Path) -> tuple:
    """(format, sitegen's version, content folder, stamp, files) as the stat cache wrote them."""
    body = unframed(only_stat_file(cache).read_bytes(), statcache._MARK)
    assert body is not None
    return marshal.loads(body)


def written(*fields) -> bytes:
    return framed(statcache._MARK, marshal.dumps(tuple(fields)))


def same_size_edit(path: Path) -> None:
    """Change one byte, keeping the size and putting the modification time back."""
    st = path.stat()
    data = path.read_bytes()
    i = data.index(b"date: 2026-")
    path.write_bytes(data[:i] + data[i:].replace(b"date: 2026-", b"date: 2027-", 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_an_unchanged_file_is_neither_read_nor_hashed_again(mini, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = scan(mini, cache_dir=cache)
    assert first.read == len(first.hashes) > 10
    # just written: every entry is racy (changed less than two seconds before the scan)
    assert scan(mini, cache_dir=cache).read == len(first.hashes)
    monkeypatch.setattr(statcache, "SLACK_NS", 0)
    age(mini)
    scan(mini, cache_dir=cache)  # records the aged status
    again = scan(mini, cache_dir=cache)
    assert again.read == 0 and again.hashes == first.hashes
    assert again.content_hash() == scan(mini).content_hash()  # the same as without a cache
    mtime = only_stat_file(cache).stat().st_mtime_ns
    scan(mini, cache_dir=cache)
    assert only_stat_file(cache).stat().st_mtime_ns == mtime  # nothing changed: not written again


def test_a_same_size_edit_with_the_modification_time_put_back_is_seen(mini, tmp_path, no_slack):
    cache = tmp_path / "cache"
    age(mini)
    scan(mini, cache_dir=cache)
    before = scan(mini, cache_dir=cache)
    assert before.read == 0
    same_size_edit(mini / LEDGER)  # the change time moves: the status differs
    after = scan(mini, cache_dir=cache)
    assert after.read == 1 and after.hashes[LEDGER] != before.hashes[LEDGER]
    assert after.hashes == scan(mini).hashes


@pytest.mark.parametrize("racy", [True, False])
def test_a_racy_entry_is_hashed_again_even_when_its_status_is_identical(mini, tmp_path, monkeypatch, racy):
    """A file system whose times are too coarse to show an edit (the status, as the
    stat cache sees it, never changes): an entry recorded within the scan's clock tick
    is never trusted, so the edit is seen; one recorded long after the file last
    changed is trusted — which is why the racy rule is needed."""
    cache = tmp_path / "cache"
    when = time.time_ns() + (0 if racy else -HOUR)  # the file's times as the scan sees them
    monkeypatch.setattr(statcache, "_facts", lambda st: [st.st_size, when, when, st.st_ino, st.st_dev])
    first = scan(mini, cache_dir=cache)
    same_size_edit(mini / LEDGER)
    second = scan(mini, cache_dir=cache)
    if racy:
        assert second.hashes[LEDGER] != first.hashes[LEDGER] and second.hashes == scan(mini).hashes
    else:  # what a cache without the racy rule would do: it trusts the stale hash
        assert second.read == 0 and second.hashes[LEDGER] == first.hashes[LEDGER]


def test_a_cache_of_another_version_or_folder_or_cut_short_is_ignored(mini, tmp_path, no_slack, monkeypatch):
    cache = tmp_path / "cache"
    age(mini)
    scan(mini, cache_dir=cache)
    assert scan(mini, cache_dir=cache).read == 0
    path = only_stat_file(cache)
    good = path.read_bytes()
    fmt, version, root, stamp, data = stored(cache)
    files = len(data)
    for broken in (
        good[: len(good) // 2],  # cut short
        good[:-1] + bytes([good[-1] ^ 1]),  # scribbled over
        written(fmt, "0.0.0-other", root, stamp, data),  # another sitegen
        written("sitegen-stat-cache-0", version, root, stamp, data),  # another format
        written(fmt, version, "/elsewhere", stamp, data),  # another content folder's
        written(fmt, version, root, stamp, {k: [1, 2] for k in data}),  # wrong shape
        written(fmt, version, root, stamp, list(data.items())),  # wrong shape
        framed(statcache._MARK, b"\x80\x04not marshal"),  # another cache entry's bytes
    ):
        path.write_bytes(broken)
        found = scan(mini, cache_dir=cache)
        assert found.read == files and found.hashes == scan(mini).hashes
    monkeypatch.setattr(statcache, "__version__", "9.9.9")
    assert scan(mini, cache_dir=cache).read == files  # written by this version: another one ignores it


def test_links_oversize_files_and_restricted_records(mini, tmp_path, no_slack):
    cache = tmp_path / "cache"
    age(mini)
    scan(mini, cache_dir=cache, restricted=True)
    recorded = stored(cache)[4]
    assert recorded and not any(path.startswith("restricted/") for path in recorded)  # never cached
    assert scan(mini, cache_dir=cache, restricted=True).read == len(list((mini / "restricted").rglob("*.yaml")))
    # a cached file replaced by a link, another grown past the limit: refused as without a cache
    ledger, roster = mini / LEDGER, mini / f"{B1_2026}/roster.yaml"
    target = tmp_path / "elsewhere.yaml"
    target.write_bytes(ledger.read_bytes())
    ledger.unlink()
    ledger.symlink_to(target)
    with open(roster, "ab") as f:
        f.write(b"#" * (MAX_FILE_BYTES + 1))
    found = scan(mini, cache_dir=cache)
    assert LEDGER not in found.hashes and f"{B1_2026}/roster.yaml" not in found.hashes
    assert {p.code for p in found.problems} >= {"E104", "E019"}
    assert [(p.code, p.pos.file) for p in found.problems] == [(p.code, p.pos.file) for p in scan(mini).problems]


def test_bytes_not_read_by_the_scan_are_read_when_needed_and_checked(mini, tmp_path, no_slack):
    cache = tmp_path / "cache"
    age(mini)
    scan(mini, cache_dir=cache)
    found = scan(mini, cache_dir=cache)
    assert found.read == 0
    # a cold parse cache: load reads every file it parses from the scan's lazy bytes
    loaded = load(mini, cache_dir=None, scanned=found)
    fresh = load(mini, cache_dir=None)
    assert loaded.ok and loaded.district == fresh.district
    assert found.data(LEDGER) == (mini / LEDGER).read_bytes()
    # a file changed after the scan hashed it (from the cache), before it was read:
    # never parsed under the old hash
    again = scan(mini, cache_dir=cache)
    roster = mini / f"{B1_2026}/roster.yaml"
    roster.write_bytes(roster.read_bytes() + b"\n")
    with pytest.raises(Unreadable) as caught:
        again.data(f"{B1_2026}/roster.yaml")
    assert caught.value.problem.code == "E1161"
    # check (which reads errors' positions from the same bytes) agrees with a fresh one
    assert [p.format() for p in check(mini, cache_dir=None).problems] == [
        p.format() for p in check(mini, cache_dir=None, scanned=scan(mini, cache_dir=cache, restricted=True)).problems
    ]


def test_a_file_changed_between_the_scan_and_its_reading_stops_the_build(mini, tmp_path, no_slack, monkeypatch):
    from sitegen.build import build
    from sitegen.load import Sources

    cache = tmp_path / "cache"
    age(mini)
    scan(mini, cache_dir=cache)
    out = tmp_path / "out"
    real = Sources.__getitem__

    def edited_meanwhile(self, path):
        if path == LEDGER and path not in self._read:
            same_size_edit(mini / LEDGER)
        return real(self, path)

    monkeypatch.setattr(Sources, "__getitem__", edited_meanwhile)
    result = build(mini, out, quiet=True, cache_dir=cache, pdf=False, history=False)
    assert not result.ok and [p.code for p in result.problems] == ["E1161"]
    assert not out.exists()


def test_a_file_changed_after_the_scan_is_an_error_not_a_traceback(mini, tmp_path, monkeypatch):
    from sitegen.check import check
    from sitegen.load import scan, statcache

    monkeypatch.setattr(statcache, "SLACK_NS", -(10**12))  # every file older than the stamp: none racy

    cache = tmp_path / "cache"
    scan(mini, cache_dir=cache)
    scanned = scan(mini, cache_dir=cache)  # every file from the stat cache: bytes read later
    roster = mini / "committees/c1/branches/b1/2026/roster.yaml"
    roster.write_text(roster.read_text("utf-8") + "# 改动\n", "utf-8")
    report = check(mini, scanned=scanned, cache_dir=None, restricted=False)
    assert [p.code for p in report.errors] == ["E1161"]


def test_the_files_of_the_caches_former_formats_are_removed(mini, tmp_path, no_slack):
    """Before the marshal formats the stat cache was JSON and the layout cache a pickle,
    each a file of the same name; the first scan that writes the new file removes the old
    one (a cache folder keeps no dead files), and leaves anything else alone."""
    cache = tmp_path / "cache"
    age(mini)
    scan(mini, cache_dir=cache)
    stat_file = only_stat_file(cache)
    (layout_file,) = (cache / "layout").glob("*.marshal")
    former = [stat_file.with_suffix(".json"), layout_file.with_suffix(".pickle")]
    others = [cache / "stat" / "someone.json", cache / "layout" / "someone.pickle"]
    for path in former + others:
        path.write_text("{}")
    stat_file.unlink()  # both caches are written again
    layout_file.unlink()
    scan(mini, cache_dir=cache)
    assert [p.exists() for p in former] == [False, False]
    assert [p.exists() for p in others] == [True, True]
    assert only_stat_file(cache).is_file() and layout_file.is_file()
