"""The history cache's packs add entries in small files beside a part instead of writing
the part again; every few additions, or when an entry is removed, the part is written
whole. What a new process reads is always every entry kept, and never one removed."""

from __future__ import annotations

import pickle

from sitegen.history import blobs
from sitegen.history.blobs import Cache, Pack, _deltas, _shard


def _fresh(folder) -> Cache:
    blobs._SHARED.clear()  # as a new process
    return Cache(folder, ["root"], "")


def _files(cache: Cache, name: str) -> list[str]:
    assert cache.directory is not None
    return sorted(p.name for p in cache.directory.glob(f"{name}-*.pickle"))


def _written(monkeypatch) -> list[tuple[str, int]]:
    seen: list[tuple[str, int]] = []
    real = blobs._dump

    def spy(directory, name, value):
        seen.append((name, len(value)))
        return real(directory, name, value)

    monkeypatch.setattr(blobs, "_dump", spy)
    return seen


def test_added_entries_go_beside_the_part_and_the_part_is_written_whole_every_few(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    cache = _fresh(folder)
    pack = cache.pack("published")
    first = {f"c{n}:p:c01:b0001:2026:{n}:x": n for n in range(50)}
    pack.update(first)
    cache.changed("published")
    written = _written(monkeypatch)
    cache.save()
    part = _shard("published", "c0:p:c01:b0001:2026:0:x")
    assert written == [(f"published-{part}.pickle", 50)]  # a new part: written whole
    expected = dict(first)
    every = _deltas("published", part) + 1
    assert 9 <= every <= 16 and len({_deltas(name, part) for name in ("ledger", "parsed", "changes", "paths")}) > 1
    for run in range(1, 2 * every + 2):
        cache = _fresh(folder)
        pack = cache.pack("published")
        key = f"d{run}:p:c01:b0001:2026:1:x"
        assert dict(pack.items()) == expected  # every entry, from the part and the files beside it
        pack[key] = run
        expected[key] = run
        cache.changed("published")
        written.clear()
        cache.save()
        deltas = [n for n in _files(cache, "published") if n.startswith(f"published-{part}+")]
        if run % every == 0:  # the part whole again, the files beside it removed
            assert written == [(f"published-{part}.pickle", len(expected))] and deltas == []
        else:
            assert len(written) == 1 and written[0][1] == 1 and written[0][0] in deltas
            assert len(deltas) == run % every
    cache = _fresh(folder)
    assert dict(cache.pack("published").items()) == expected
    # an unchanged pack is not written
    written.clear()
    cache.changed("published")
    cache.save()
    assert written == []


def test_a_removed_entry_is_gone_for_the_next_process(tmp_path):
    folder = tmp_path / "cache"
    cache = _fresh(folder)
    pack = cache.pack("checked")
    pack.update({"a1": [1], "a2": [2], "b1": [3]})
    cache.changed("checked")
    cache.save()
    cache = _fresh(folder)
    pack = cache.pack("checked")
    pack["a3"] = [4]  # beside part a
    cache.changed("checked")
    cache.save()
    cache = _fresh(folder)
    pack = cache.pack("checked")
    del pack["a1"]
    del pack["b1"]  # part b emptied
    cache.changed("checked")
    cache.save()
    assert not [n for n in _files(cache, "checked") if "+" in n]  # part a written whole, what was beside it removed
    cache = _fresh(folder)
    assert dict(cache.pack("checked").items()) == {"a2": [2], "a3": [4]}


def test_a_damaged_file_beside_a_part_only_loses_its_entries(tmp_path):
    folder = tmp_path / "cache"
    cache = _fresh(folder)
    pack = cache.pack("runs")
    pack["a1"] = (1,)
    cache.changed("runs")
    cache.save()
    for key in ("a2", "a3"):
        cache = _fresh(folder)
        cache.pack("runs")[key] = (2,)
        cache.changed("runs")
        cache.save()
    beside = [n for n in _files(cache, "runs") if "+" in n]
    assert len(beside) == 2
    assert cache.directory is not None
    (cache.directory / beside[0]).write_bytes(b"\x80\x05not a pickle")
    cache = _fresh(folder)
    got = dict(cache.pack("runs").items())
    assert got["a1"] == (1,) and len(got) == 2  # one of a2, a3 lost: computed again by its reader
    # an entry changed (a damaged one computed again) writes its part whole
    lost = "a2" if "a2" not in got else "a3"
    pack = cache.pack("runs")
    pack[lost] = (2,)
    pack["a1"] = (9,)
    cache.changed("runs")
    cache.save()
    assert not [n for n in _files(cache, "runs") if "+" in n]
    assert pickle.loads((cache.directory / "runs-a.pickle").read_bytes()) == {"a1": (9,), "a2": (2,), "a3": (2,)}


def test_a_pack_made_without_a_cache_lists_its_folder_itself(tmp_path):
    pack = Pack(tmp_path, "runs")
    pack["a1"] = (1,)
    pack.save()
    pack = Pack(tmp_path, "runs")
    pack["a2"] = (2,)
    pack.save()
    assert dict(Pack(tmp_path, "runs").items()) == {"a1": (1,), "a2": (2,)}
