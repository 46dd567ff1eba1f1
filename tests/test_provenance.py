"""Which version of the content a build came from (sitegen/provenance.py): asked of git in
the background while the build scans, with the same answers as asking in turn."""

from __future__ import annotations

import subprocess

from sitegen import provenance

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.org"]


def git(repo, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_a_folder_outside_git_says_so(tmp_path):
    (tmp_path / "site.yaml").write_text("x: 1\n", "utf-8")
    got = provenance.read(tmp_path)
    assert got == provenance.Provenance(is_git=False)
    assert "不是 git 仓库" in got.footer()


def test_a_repository_without_commits_is_uncommitted(tmp_path):
    git(tmp_path, "init", "-q")
    got = provenance.read(tmp_path)
    assert (got.is_git, got.commit, got.date, got.dirty) == (True, "0" * 40, "尚无提交", True)


def test_commit_date_and_uncommitted_changes(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "site.yaml").write_text("x: 1\n", "utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "一", "--date", "2026-11-20T10:00:00+08:00")
    head = git(tmp_path, "rev-parse", "HEAD").strip()
    day = git(tmp_path, "log", "-1", "--format=%cs").strip()
    pending = provenance.start(tmp_path)  # returns at once; the answer is waited for
    got = pending.result()
    assert got == provenance.Provenance(is_git=True, commit=head, date=day, dirty=False)
    assert pending.result() is got  # asked once
    (tmp_path / "site.yaml").write_text("x: 2\n", "utf-8")
    assert provenance.read(tmp_path).dirty
    assert provenance.read(tmp_path).commit == head


def test_without_git_installed_the_folder_is_not_a_repository(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert provenance.read(tmp_path) == provenance.Provenance(is_git=False)


def test_an_untracked_file_named_in_another_encoding_is_no_traceback(tmp_path):
    """git names paths by their bytes: a file whose name is not UTF-8 (copied from an old
    Windows share) is an uncommitted change like any other, and the build goes on to the
    scan, which reports the name in Chinese (found by review: a UnicodeDecodeError)."""
    import shutil
    from datetime import date

    from sitegen.build import build
    from tests.support import MINI

    content = tmp_path / "repo"
    shutil.copytree(MINI, content)
    git(content, "init", "-q")
    git(content, "add", "-A")
    git(content, "commit", "-q", "-m", "一")
    assert provenance.read(content).dirty is False
    open(bytes(content / "notices") + b"/x\xff.txt", "wb").close()
    got = provenance.read(content)
    assert got.is_git and got.dirty
    result = build(
        content, tmp_path / "out", quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 6, 1)
    )
    assert not result.ok and result.problems and all(p.message for p in result.problems)
