"""The output folder read and recorded without walking it (issue 17): a build after an
edit looks at each recorded file once (one lstat), reads again only the folders whose
times moved, writes the new state from the old one plus its own moves, and splices the
manifest — and still makes what a fresh build makes, notices every file deleted or
edited by hand, and never removes or writes over a file it did not make."""

from __future__ import annotations

import json
import os
from pathlib import Path
from unittest import mock

import pytest

from sitegen import manifest, write
from tests.render.helpers import build_ok
from tests.test_output import digest, quick, same_size_edit

BRANCH = "committees/c1/branches/b2/branch.yaml"


def add_entry(content: Path, n: int) -> None:
    """A small edit in one branch (b2's leader): its own pages made again, b1's not."""
    path = content / BRANCH
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("leader: 李书记", f"leader: 李书记{n}", 1) if n == 1 else text.replace("李书记1", f"李书记{n}"),
        "utf-8",
    )


class Counts:
    """What a build did to the output folder: walks of it, lstats, manifest splices."""

    def __init__(self, monkeypatch, out: Path):
        self.walks = 0
        self.lstats = 0
        self.scandirs = 0
        self.splices: list[str] = []
        self.vouched: list[bool] = []  # the survey's answers the build asked for
        real, record, lstat, splice = str(out.resolve()), write._record, os.lstat, manifest._splice
        scandir = os.scandir

        def counted_record(root, *args, **kwargs):
            if str(root) == real:
                self.walks += 1
            return record(root, *args, **kwargs)

        def counted_lstat(path, *args, **kwargs):
            if str(path).startswith(real):
                self.lstats += 1
            return lstat(path, *args, **kwargs)

        def counted_scandir(path, *args, **kwargs):
            if str(path).startswith(real):
                self.scandirs += 1
            return scandir(path, *args, **kwargs)

        def counted_splice(*args):
            try:
                text = splice(*args)
            except manifest.Unexpected:
                self.splices.append("unexpected")
                raise
            self.splices.append("spliced")
            return text

        exact = write.Survey.exact

        def counted_exact(survey, state):
            self.vouched.append(exact(survey, state))
            return self.vouched[-1]

        monkeypatch.setattr(write.Survey, "exact", counted_exact)
        monkeypatch.setattr(write, "_record", counted_record)
        monkeypatch.setattr(write.os, "lstat", counted_lstat)
        monkeypatch.setattr(write.os, "scandir", counted_scandir)
        monkeypatch.setattr(manifest, "_splice", counted_splice)
        monkeypatch.setattr(manifest, "SPLICE_AT_MOST", 0)  # splice however much changed (a small site)


def files_and_folders(out: Path) -> tuple[int, int]:
    paths = list(out.rglob("*"))
    return sum(p.is_file() for p in paths), sum(p.is_dir() for p in paths) + 1


@pytest.mark.parametrize("surveyed", [True, False])
def test_an_edit_build_does_not_walk_the_output_and_equals_a_fresh_one(mini, tmp_path, monkeypatch, surveyed):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    if not surveyed:  # no Python to run the survey with: the build looks itself
        monkeypatch.setattr(write.sys, "executable", "")
    counts = Counts(monkeypatch, out)
    for n in (1, 2):
        add_entry(mini, n)
        result = quick(mini, out)
        assert result.ok and 0 < result.rendered < result.pages
    assert counts.walks == 0 and counts.scandirs == 0
    files, folders = files_and_folders(out)
    # each build: one lstat per recorded file and folder (in the survey's process when it
    # vouched for the state), a few for what it moved and the output's own path
    # (realpath, mount point), not proportional to the output
    if surveyed:
        assert counts.vouched == [True, True]
        assert counts.lstats < 2 * (files + folders + 100) - 2 * (files + folders)
    else:
        assert counts.vouched == [False, False]
        assert 2 * (files + folders) <= counts.lstats < 2 * (files + folders + 100)
    assert counts.splices == ["spliced"] * 8  # four sections, two builds: nothing encoded in full
    monkeypatch.undo()
    build_ok(mini, fresh)
    assert digest(out) == digest(fresh)
    text = (out / write.MANIFEST).read_text("utf-8")
    state = write._read_state(out.resolve())  # kept from build to build, not computed again
    assert state["canonical"] and state["tops"] == sorted({rel.split("/")[0] for rel in json.loads(text)["files"]})
    assert text == json.dumps(
        {name: dict(sorted(section.items())) for name, section in json.loads(text).items()},
        ensure_ascii=False,
        separators=(",", ":"),
    )


@pytest.mark.parametrize("keep_mtime", [False, True])
def test_a_same_size_edit_by_hand_is_seen_without_the_walk(mini, tmp_path, monkeypatch, keep_mtime):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    page = out / "2026" / "b" / "b1" / "index.html"
    same_size_edit(page, keep_mtime)
    counts = Counts(monkeypatch, out)
    add_entry(mini, 1)
    result = quick(mini, out)
    assert result.ok and "2026/b/b1/index.html" in result.rendered_files
    assert counts.walks == 0
    monkeypatch.undo()
    build_ok(mini, fresh)
    assert digest(out) == digest(fresh)


def test_a_deleted_file_is_made_again_without_the_walk(mini, tmp_path, monkeypatch):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    (out / "2026" / "b" / "b1" / "index.html").unlink()
    counts = Counts(monkeypatch, out)
    add_entry(mini, 1)
    result = quick(mini, out)
    assert result.ok and "2026/b/b1/index.html" in result.rendered_files
    assert counts.walks == 0  # its folder's times moved: that folder alone read again
    monkeypatch.undo()
    build_ok(mini, fresh)
    assert digest(out) == digest(fresh)


def output_with(dest: Path, files: dict[str, bytes]) -> None:
    """A build of `files` (through Output itself, as render_site drives it)."""
    with write.Output(dest) as out:
        for rel, data in files.items():
            out.write(rel, data)
            out.manifest[rel] = "key-" + data.decode()


def test_a_file_someone_put_in_a_recorded_folder_is_never_written_over(tmp_path):
    """Someone's file in a folder of ours, then a build that records that folder's new
    times: the next build, which does not read that folder again, still knows the file
    (the state lists every file, not only ours) and refuses to write over it."""
    dest = tmp_path / "out"
    output_with(dest, {"a.html": b"1", "b/c.html": b"1"})
    (dest / "b" / "notes.html").write_text("我的笔记", "utf-8")
    output_with(dest, {"a.html": b"2", "b/c.html": b"1"})  # records b/ with the note in it
    assert (dest / "b" / "notes.html").read_text("utf-8") == "我的笔记"
    assert write.Output(dest).intact and write.Output.unchanged(dest)
    record = write._record

    def no_walk(root, *args, **kwargs):
        assert root != dest.resolve(), "the output walked"
        return record(root, *args, **kwargs)

    with mock.patch.object(write, "_record", no_walk), pytest.raises(write.OutputError) as refused:
        output_with(dest, {"a.html": b"3", "b/c.html": b"1", "b/notes.html": b"ours"})
    assert refused.value.problem.code == "E971" and "b/notes.html" in refused.value.problem.message
    assert (dest / "b" / "notes.html").read_text("utf-8") == "我的笔记" and (dest / "a.html").read_bytes() == b"2"
    output_with(dest, {"a.html": b"3", "b/c.html": b"1"})  # and it is never removed
    assert (dest / "b" / "notes.html").read_text("utf-8") == "我的笔记" and (dest / "a.html").read_bytes() == b"3"


def test_a_folder_someone_made_is_walked_and_its_files_kept(tmp_path):
    dest = tmp_path / "out"
    output_with(dest, {"a.html": b"1", "b/c.html": b"1"})
    (dest / "b" / "mine" / "deeper").mkdir(parents=True)
    (dest / "b" / "mine" / "deeper" / "x.html").write_text("x", "utf-8")
    seen = write.Output(dest)
    assert seen.intact and "b/mine/deeper/x.html" in seen._seen[0] and "b/mine/deeper" in seen._seen[1]
    with pytest.raises(write.OutputError):
        output_with(dest, {"a.html": b"1", "b/c.html": b"1", "b/mine/deeper/x.html": b"ours"})
    assert (dest / "b" / "mine" / "deeper" / "x.html").read_text("utf-8") == "x"


def look_and_walk(out: Path) -> tuple:
    real = out.resolve()
    dirs: dict = {}
    files = write._record(real, dirs)
    return write._look(real, write._read_state(real), write.read_manifest(out)["files"]), files, dirs


def test_what_the_look_finds_is_what_the_walk_finds(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    state = write._read_state(out.resolve())
    assert write._all_as_recorded(str(out.resolve()), state["paths"], state["facts"], {}) is not None
    found, files, dirs = look_and_walk(out)  # everything as recorded: no step per file
    assert (
        found is not None
        and found[0] == files
        and found[1] == dirs
        and set(found[2]) == set(write.read_manifest(out)["files"])
    )
    (out / "2026" / "Thumbs.db").write_bytes(b"\0")  # litter: forgiven
    (out / "2026" / "b" / "b1" / "extra.txt").write_text("x", "utf-8")
    (out / "index.html").unlink()
    os.utime(out / "archive.html", ns=(0, 0))
    (out / "2026" / "b" / "new").mkdir()
    (out / "2026" / "b" / "new" / "n.html").write_text("n", "utf-8")
    assert write._all_as_recorded(str(out.resolve()), state["paths"], state["facts"], {}) is None
    found, files, dirs = look_and_walk(out)  # file by file
    assert found is not None and found[0] == files and found[1] == dirs
    assert "archive.html" not in found[2] and "index.html" not in found[2] and "2026/b/b1/extra.txt" in found[0]


@pytest.mark.parametrize("where", ["_written_state", "_drop_journal", "_write_state"])
def test_a_build_that_dies_while_committing_is_finished_as_a_fresh_build(mini, tmp_path, where):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    add_entry(mini, 1)

    class Crash(Exception):
        pass

    real = getattr(write, where) if where != "_written_state" else write.Output._written_state
    calls = []

    def dies(*args, **kwargs):
        calls.append(1)
        if where == "_write_state" and len(calls) == 1:
            return real(*args, **kwargs)  # the state forgotten before the moves; dies recording the new one
        raise Crash

    target = write.Output if where == "_written_state" else write
    with mock.patch.object(target, where, dies), pytest.raises(Crash):
        quick(mini, out)
    assert quick(mini, out).ok
    build_ok(mini, fresh)
    assert digest(out) == digest(fresh)
    assert quick(mini, out).unchanged


def test_the_state_of_an_older_sitegen_is_walked_once(mini, tmp_path, monkeypatch):
    """A lock file with the JSON state (format 2) of the sitegen before: not trusted for
    the look (it did not list others' files), the output walked once, then recorded anew."""
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    lock = tmp_path / ".out.lock"
    state = write._read_state(out.resolve())
    older = {**state, "format": 2}
    del older["canonical"]
    lock.write_text(json.dumps(older), "utf-8")
    assert write._read_state(out.resolve()) is None and not write.Output.unchanged(out)
    counts = Counts(monkeypatch, out)
    add_entry(mini, 1)
    assert quick(mini, out).ok
    assert counts.walks == 1 and "unexpected" not in counts.splices
    assert write._read_state(out.resolve())["format"] == write.STATE_FORMAT
    add_entry(mini, 2)
    assert quick(mini, out).ok and counts.walks == 1
    monkeypatch.undo()
    build_ok(mini, fresh)
    assert digest(out) == digest(fresh)


def test_a_state_cut_short_is_forgotten(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    lock = tmp_path / ".out.lock"
    raw = lock.read_bytes()
    assert raw.startswith(write.STATE_MAGIC)
    lock.write_bytes(raw[: len(raw) // 2])
    assert write._read_state(out.resolve()) is None
    assert quick(mini, out).unchanged  # the walk decides, and records it again
    assert write.Output.unchanged(out)
