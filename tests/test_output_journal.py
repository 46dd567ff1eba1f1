"""The output written in place (issue 17): only new and changed files are written (into
a temporary folder, then moved into place with a roll-forward journal), unchanged files
are left untouched, files no longer made are removed, and a build killed between its
journal and its moves is finished by whatever touches the output next — the next build,
or publish — giving exactly what a fresh build gives."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import pytest

from sitegen import write
from sitegen.publish import publish
from tests.render.helpers import build_ok
from tests.test_output import digest, quick, retitle


class Crash(Exception):
    """The process dying at that point (nothing after it runs)."""


def inodes(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_nlink)
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".sitegen")
    }


def test_unchanged_files_are_left_untouched_and_nothing_is_hard_linked(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    before = inodes(out)
    (mini / "notices").mkdir(exist_ok=True)
    (mini / "notices" / "2026-06-01-一则通知.md").write_text(
        "---\ntitle: 一则通知\ndate: 2026-06-01\n---\n正文。\n", "utf-8"
    )
    result = quick(mini, out)
    assert result.ok and 0 < result.rendered < result.pages
    after = inodes(out)
    assert all(nlink == 1 for _, nlink in after.values())
    kept = [rel for rel in before if rel in after and after[rel] == before[rel]]
    assert len(kept) >= result.pages - result.rendered - 1  # every reused file is the same inode
    build_ok(mini, tmp_path / "fresh")
    assert digest(out) == digest(tmp_path / "fresh")
    assert not list(tmp_path.glob(".out.building*")) and not write.pending(out)
    assert write.Output.unchanged(out)  # the state recorded as written: the next no-change build is quick


@pytest.mark.parametrize("moved", [0, 3])
def test_a_build_killed_after_its_journal_is_finished_by_the_next_build(mini, tmp_path, moved):
    """Killed before any move, or after a few: the next build finishes the moves first."""
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    retitle(mini, "日志区")
    real_replace = os.replace
    done = []

    def dies_after(src, dst, *args, **kwargs):
        if ".out.building-" in str(src):
            if len(done) >= moved:
                raise Crash
            done.append(dst)
        return real_replace(src, dst, *args, **kwargs)

    with mock.patch.object(write.os, "replace", dies_after), pytest.raises(Crash):
        quick(mini, out)
    assert write.pending(out)  # the journal is there: the moves are owed
    assert list(tmp_path.glob(".out.building*"))  # and the new files with it
    again = quick(mini, out)
    assert again.ok and again.unchanged  # the finished output is the one for these inputs
    build_ok(mini, fresh)
    assert digest(out) == digest(fresh) and "日志区" in (out / "index.html").read_text("utf-8")
    assert not write.pending(out) and not list(tmp_path.glob(".out.building*"))


def test_publish_finishes_a_pending_journal_before_copying(mini, tmp_path):
    out, fresh, www = tmp_path / "out", tmp_path / "fresh", tmp_path / "www"
    build_ok(mini, out)
    retitle(mini, "发布区")
    with mock.patch.object(write, "_apply", side_effect=Crash), pytest.raises(Crash):
        quick(mini, out)
    assert write.pending(out)
    published = publish(out, www)
    build_ok(mini, fresh)
    assert not write.pending(out)
    live = www / "releases" / published.release
    assert digest(live) == digest(fresh)


def test_files_no_longer_made_are_removed_and_others_files_are_never_written_over(mini, tmp_path):
    out = tmp_path / "out"
    notice = mini / "notices" / "2026-06-01-一则通知.md"
    notice.parent.mkdir(exist_ok=True)
    notice.write_text("---\ntitle: 一则通知\ndate: 2026-06-01\n---\n正文。\n", "utf-8")
    build_ok(mini, out)
    made = set(digest(out))
    notice.unlink()
    assert quick(mini, out).ok
    gone = made - set(digest(out))
    assert any("一则通知" in rel for rel in gone)  # its page removed
    build_ok(mini, tmp_path / "fresh")
    assert digest(out) == digest(tmp_path / "fresh")
    # a file someone put where the next build would write a page: refused, nothing touched
    page = next(rel for rel in gone if rel.endswith(".html"))
    (out / page).parent.mkdir(parents=True, exist_ok=True)
    (out / page).write_text("别人的文件", "utf-8")
    before = digest(out)
    notice.write_text("---\ntitle: 一则通知\ndate: 2026-06-01\n---\n正文。\n", "utf-8")
    result = quick(mini, out)
    assert not result.ok and [p.code for p in result.problems] == ["E971"]
    assert digest(out) == before and not write.pending(out)
    # one that is not in the way stays, and is no reason to build again
    notice.unlink()
    assert quick(mini, out).ok and (out / page).read_text("utf-8") == "别人的文件"
    assert quick(mini, out).unchanged


def test_a_folder_replaced_by_a_link_is_never_written_through(mini, tmp_path):
    """A folder of the output replaced by a link to somewhere else: the next build neither
    writes nor removes anything through it (the reviewer's attack on the in-place writer)."""
    out, victim = tmp_path / "out", tmp_path / "victim"
    build_ok(mini, out)
    folder = out / "2026" / "b"
    assert folder.is_dir()
    victim.mkdir()
    (victim / "b1").mkdir()
    (victim / "b1" / "index.html").write_text("别人的文件", "utf-8")
    folder.rename(tmp_path / "moved-away")
    os.symlink(victim, folder)
    (mini / "notices").mkdir(exist_ok=True)
    (mini / "notices" / "2026-06-01-一则通知.md").write_text(
        "---\ntitle: 一则通知\ndate: 2026-06-01\n---\n正文。\n", "utf-8"
    )
    result = quick(mini, out)
    assert not result.ok and [p.code for p in result.problems] == ["E971"]
    assert sorted(p.relative_to(victim).as_posix() for p in victim.rglob("*")) == ["b1", "b1/index.html"]
    assert (victim / "b1" / "index.html").read_text("utf-8") == "别人的文件"


def test_a_journal_never_moves_or_removes_through_a_link(tmp_path):
    dest, staging, victim = tmp_path / "out", tmp_path / "staging", tmp_path / "victim"
    (staging / "a").mkdir(parents=True)
    (staging / "a" / "page.html").write_text("新", "utf-8")
    dest.mkdir()
    victim.mkdir()
    (victim / "old.html").write_text("别人的文件", "utf-8")
    os.symlink(victim, dest / "a")
    write._apply(dest, {"staging": str(staging), "moves": ["a/page.html"], "removes": ["a/old.html"]})
    assert sorted(p.name for p in victim.iterdir()) == ["old.html"]
