"""The output's manifest records the sha256 of every file as written (publish checks it),
a file a forked render worker left in place stays listed and on disk, and a journal that
cannot be finished is a problem, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
from unittest import mock

import pytest

from sitegen import write
from sitegen.build import build
from sitegen.publish import PublishError, publish
from sitegen.render import run
from tests.render.helpers import build_ok
from tests.test_output import digest, quick, retitle


def manifest(out) -> dict:
    return json.loads((out / write.MANIFEST).read_text("utf-8"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_every_file_is_listed_with_the_hash_of_its_bytes(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    m = manifest(out)
    assert m["hashes"] == {rel: sha((out / rel).read_bytes()) for rel in m["files"]}


def test_a_file_a_forked_worker_left_in_place_stays(tmp_path):
    """Render workers are forked: the files they reuse and write are seen by this process
    only through the manifest entries they return. Those left in place stay (listed,
    hashed, not removed); those written are hashed from the temporary folder."""
    dest = tmp_path / "out"
    with write.Output(dest) as out:
        for rel in ("a.html", "b/c.html"):
            out.write(rel, f"<p>{rel}</p>".encode())
            out.manifest[rel] = f"key-{rel}"
    with write.Output(dest) as out:
        pid = os.fork()
        if pid == 0:  # a render worker
            try:
                kept = out.reuse("a.html", "key-a.html")
                out.write("b/c.html", b"<p>new</p>")
                os._exit(0 if kept else 1)
            except BaseException:
                os._exit(2)
        assert os.waitpid(pid, 0)[1] == 0
        out.manifest.update({"a.html": "key-a.html", "b/c.html": "key-new"})
    assert (dest / "a.html").read_bytes() == b"<p>a.html</p>"
    m = manifest(dest)
    assert m["files"] == {"a.html": 13, "b/c.html": 10}
    assert m["hashes"] == {"a.html": sha(b"<p>a.html</p>"), "b/c.html": sha(b"<p>new</p>")}


def test_a_build_whose_workers_reuse_files_keeps_them(mini, tmp_path, monkeypatch):
    """A new sitegen (every unit's key changes, no file's view does), rendered by forked
    workers: the build gives exactly what a fresh build gives, every file listed."""
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    monkeypatch.setattr(run, "PARALLEL_FROM", 1)
    monkeypatch.setattr(run, "_code_fingerprint", lambda: "another sitegen")
    retitle(mini, "升级之后")  # and something to build
    result = build(mini, out, quiet=True, cache_dir=None, pdf=False, history=False, jobs=2)
    assert result.ok and result.rendered < result.pages  # most files were left in place by the workers
    build_ok(mini, fresh)
    assert digest(out) == digest(fresh)
    m = manifest(out)
    assert set(m["pages"]) <= set(m["files"]) == set(m["hashes"])


def test_an_older_output_without_hashes_gets_them_from_files_the_state_vouches_for(mini, tmp_path):
    """A manifest of an older sitegen has sizes only: the next build hashes the files it
    leaves in place when the recorded state (times, inode) says they are as written —
    never one edited by hand, which is made again instead."""
    out = tmp_path / "out"
    build_ok(mini, out)
    m = manifest(out)
    del m["hashes"]
    (out / write.MANIFEST).write_text(json.dumps(m), "utf-8")
    write.Output(out).remember()  # the state of the manifest as it is now: as an older build left it
    retitle(mini, "又一个名字")
    assert quick(mini, out).ok
    m = manifest(out)
    assert m["hashes"] == {rel: sha((out / rel).read_bytes()) for rel in m["files"]}


class Crash(Exception):
    pass


def _pending(mini, out) -> None:
    """An output whose last build died after its journal, before its moves."""
    build_ok(mini, out)
    retitle(mini, "未写完")
    with mock.patch.object(write, "_apply", side_effect=Crash), pytest.raises(Crash):
        quick(mini, out)
    assert write.pending(out)


def test_a_journal_that_cannot_be_finished_is_a_problem_for_build(mini, tmp_path):
    out = tmp_path / "out"
    _pending(mini, out)
    with mock.patch.object(write, "_apply", side_effect=PermissionError(13, "Permission denied", str(out))):
        result = quick(mini, out)
    assert not result.ok and [p.code for p in result.problems] == ["E975"]
    assert write.pending(out)  # still owed: the next build that can write finishes it
    assert quick(mini, out).ok and not write.pending(out)


def test_a_journal_that_cannot_be_finished_is_a_message_for_publish(mini, tmp_path):
    out, www = tmp_path / "out", tmp_path / "www"
    _pending(mini, out)
    with (
        mock.patch.object(write, "_apply", side_effect=PermissionError(13, "Permission denied", str(out))),
        pytest.raises(PublishError, match="没有写完.*Permission denied.*重新运行 sitegen build"),
    ):
        publish(out, www)
    assert not (www / "current").exists()
