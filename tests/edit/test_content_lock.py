"""A change of several files is written under the content folder's lock: a reader never
sees half of it."""

from __future__ import annotations

import fcntl
import os

import pytest

from sitegen.contentlock import _lock_file, content_lock
from sitegen.edit import workspace
from sitegen.edit.workspace import Workspace
from tests.edit.test_forms import TODAY
from tests.support import B1_2026


def lock_is_taken(root) -> bool:
    """Whether someone holds the content folder's lock exclusively: a shared lock cannot
    be had without waiting."""
    _lock_file(root).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(_lock_file(root), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_every_file_of_a_change_is_written_under_the_exclusive_lock(mini, monkeypatch):
    ws = Workspace(mini, "b1", today=TODAY)
    ws.report()
    paths = [f"{B1_2026}/ledger/q1.yaml", f"{B1_2026}/ledger/q2.yaml"]
    changes = {p: (mini / p).read_text("utf-8") + "# 备注\n" for p in paths}
    trial = ws.trial(changes)
    assert trial.ok, trial.errors
    held_while_writing = []
    real_write = workspace.atomic_write

    def watched(path, data):
        held_while_writing.append(lock_is_taken(ws.root))
        real_write(path, data)

    monkeypatch.setattr(workspace, "atomic_write", watched)
    assert not lock_is_taken(ws.root)
    ws.save(trial)
    assert held_while_writing == [True, True]
    assert not lock_is_taken(ws.root)  # released after the change
    assert all((mini / p).read_text("utf-8").endswith("# 备注\n") for p in paths)


def test_readers_share_the_lock_and_a_writer_excludes_them(tmp_path):
    with content_lock(tmp_path, exclusive=False), content_lock(tmp_path, exclusive=False):
        assert not lock_is_taken(tmp_path)  # two readers at once
    with content_lock(tmp_path, exclusive=True):
        assert lock_is_taken(tmp_path)
    assert not lock_is_taken(tmp_path)


def test_no_place_for_the_lock_is_no_lock(tmp_path, monkeypatch):
    blocked = tmp_path / "home"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    with content_lock(tmp_path, exclusive=True):
        pass  # nothing raised: the work goes on unlocked


def test_the_lock_is_outside_the_content_folder(mini):
    assert not _lock_file(mini).is_relative_to(mini)
    with content_lock(mini, exclusive=True):
        pass
    assert not any(p.name.endswith(".lock") for p in mini.rglob("*"))


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_the_scan_reads_the_folder_under_the_shared_lock(mini, monkeypatch):
    from sitegen import load

    real_read = load.read_source
    writer_kept_out = []

    def watched(root, path):
        fd = os.open(_lock_file(mini), os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            writer_kept_out.append(False)
        except BlockingIOError:
            writer_kept_out.append(True)
        finally:
            os.close(fd)
        return real_read(root, path)

    monkeypatch.setattr(load, "read_source", watched)
    scanned = load.scan(mini)
    assert scanned.sources and writer_kept_out and all(writer_kept_out)
