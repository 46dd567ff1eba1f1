"""The output folder is sitegen's alone (issue 12, items 3 and 4): folders that are not
ours are refused with every byte left in place; one build at a time; an output that is
what its manifest says (a file deleted by hand comes back); a mount point works; a full
disk and a read-only file system give a Chinese error and keep the last good site."""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitegen import write
from sitegen.build import Progress, build
from tests.render.helpers import build_ok
from tests.support import MINI, ROOT

MANIFEST_NAME = write.MANIFEST
NO_EXTRAS = ("--no-pdf", "--no-history", "--no-cache", "--quiet")


def digest(root: Path, skip_ours: bool = True) -> dict[str, str]:
    """Every file and link under root (hidden ones too), by content; our own bookkeeping
    inside a mount point (.sitegen-lock, leftovers being removed) left out."""
    found = {}
    # our leftovers are removed by a detached process while we look: never walk into them
    tops = [p for p in sorted(root.iterdir()) if not (skip_ours and p.name.startswith(write.INSIDE_PREFIX))]
    paths = [q for p in tops for q in ([p] + (sorted(p.rglob("*")) if p.is_dir() and not p.is_symlink() else []))]
    for path in paths:
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[rel] = "dir"
    return found


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def quick(content: Path, output: Path, progress: Progress | None = None):
    return build(content, output, quiet=True, cache_dir=None, pdf=False, history=False, progress=progress)


def retitle(content: Path, text: str) -> None:
    """A change that every page shows (the district's name is in every header)."""
    site = content / "site.yaml"
    lines = site.read_text("utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("name:"):
            lines[i] = f"name: {text}\n"
    site.write_text("".join(lines), "utf-8")


# -- folders that are not ours --------------------------------------------------------------


def repository(tmp_path: Path) -> tuple[Path, Path]:
    """A content repository as a secretary has it: content/, docs/, notes, .git, uncommitted work."""
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo / "content")
    (repo / "docs").mkdir()
    (repo / "docs" / "会议记录.md").write_text("# 会议记录\n", "utf-8")
    (repo / "report.txt").write_text("季度报告\n", "utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "init"],
        check=True,
    )
    (repo / "uncommitted.txt").write_text("还没有提交\n", "utf-8")
    return repo, repo / "content"


@pytest.mark.parametrize(
    "target, code",
    [
        ("content", "E970"),
        (".", "E970"),
        ("content/committees", "E970"),
        ("docs", "E971"),
        ("report.txt", "E971"),
    ],
)
def test_refuses_what_is_not_ours_and_touches_nothing(tmp_path, target, code):
    repo, content = repository(tmp_path)
    before = digest(tmp_path, skip_ours=False)
    proc = cli("build", "content", "-o", target, *NO_EXTRAS, cwd=repo)
    assert proc.returncode == 1, proc.stderr
    assert f"错误[{code}]" in proc.stderr and "什么也没有改动" in proc.stderr and "Traceback" not in proc.stderr
    assert digest(tmp_path, skip_ours=False) == before  # every byte in place, no lock or staging left either


def test_refuses_the_repository_root_given_from_elsewhere(tmp_path):
    repo, content = repository(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(MINI, elsewhere)
    before = digest(tmp_path, skip_ours=False)
    result = quick(elsewhere, repo)
    assert [p.code for p in result.problems] == ["E970"] and "git 仓库" in result.problems[0].message
    assert digest(tmp_path, skip_ours=False) == before


def test_an_earlier_output_with_someone_elses_file_added_is_refused(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    (out / "我的笔记.txt").write_text("别删\n", "utf-8")
    retitle(mini, "另改名区")
    result = quick(mini, out)
    assert [p.code for p in result.problems] == ["E971"] and "我的笔记.txt" in result.problems[0].message
    assert (out / "我的笔记.txt").read_text("utf-8") == "别删\n" and "另改名区" not in (out / "index.html").read_text(
        "utf-8"
    )


def test_empty_and_missing_folders_and_symlinked_outputs_are_fine(mini, tmp_path):
    (tmp_path / "empty").mkdir()
    build_ok(mini, tmp_path / "empty")
    build_ok(mini, tmp_path / "new" / "deeper")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to("real")
    build_ok(mini, tmp_path / "link")
    build_ok(mini, tmp_path / "link")
    assert (tmp_path / "link").is_symlink() and (tmp_path / "real" / "index.html").is_file()


# -- an output that is what its manifest says ------------------------------------------------


def test_a_file_deleted_or_edited_by_hand_is_made_again(mini, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    build_ok(mini, fresh)
    page = "2026/b/b1/index.html"
    assert (out / page).is_file()
    (out / "index.html").unlink()
    (out / page).write_text("被改过", "utf-8")
    (out / "assets" / "style.css").unlink()
    shutil.rmtree(out / "2026" / "rankings", ignore_errors=True)
    result = quick(mini, out)
    assert result.ok and not result.unchanged and result.rendered >= 2
    assert digest(out) == digest(fresh)
    again = quick(mini, out)
    assert again.ok and again.unchanged  # and now it is what its manifest says


def test_the_state_beside_the_output_lost_falls_back_to_sizes(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    (tmp_path / ".out.lock").unlink()  # e.g. output/ restored from a CI cache without it
    assert quick(mini, out).unchanged
    (out / "index.html").write_text("x", "utf-8")
    result = quick(mini, out)
    assert result.ok and not result.unchanged and "x" != (out / "index.html").read_text("utf-8")


def same_size_edit(path: Path, keep_mtime: bool) -> None:
    """Change the first ASCII letter of a page, keeping its size (and its modification time)."""
    st = path.stat()
    data = bytearray(path.read_bytes())
    i = data.index(b"html")
    data[i : i + 4] = b"HTML"
    path.write_bytes(bytes(data))
    if keep_mtime:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


@pytest.mark.parametrize("keep_mtime", [False, True])
def test_a_same_size_edit_by_hand_is_made_again(mini, tmp_path, keep_mtime):
    """Even one that puts the modification time back (its change time moves: recorded for
    every file rendered anew, which has one link)."""
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_ok(mini, out)
    build_ok(mini, fresh)
    same_size_edit(out / "index.html", keep_mtime)
    assert not write.Output.unchanged(out) and not write.Output(out).intact
    result = quick(mini, out)
    assert result.ok and not result.unchanged and result.rendered >= 1
    assert digest(out) == digest(fresh)
    assert quick(mini, out).unchanged


def test_the_quick_check_of_an_unchanged_output(mini, tmp_path):
    """One lstat per file against the state recorded when the output was written: true
    when nothing changed; false (then the full walk decides) when anything did."""
    out = tmp_path / "out"
    build_ok(mini, out)
    assert write.Output.unchanged(out)
    (out / "2026" / "Thumbs.db").write_bytes(b"\0")  # a folder's times move: not certain
    assert not write.Output.unchanged(out)
    assert quick(mini, out).unchanged  # the full walk forgives it, and records the output as it is
    assert write.Output.unchanged(out)
    page = next(p for p in sorted((out / "2026").rglob("*.html")))
    os.utime(page, ns=(0, page.stat().st_mtime_ns + 1))
    assert not write.Output.unchanged(out)
    assert quick(mini, out).ok and write.Output.unchanged(out)
    page.unlink()
    assert not write.Output.unchanged(out)
    result = quick(mini, out)
    assert result.ok and not result.unchanged and page.is_file() and write.Output.unchanged(out)
    (out / MANIFEST_NAME).write_text("{}", "utf-8")
    assert not write.Output.unchanged(out)


# -- one build at a time ---------------------------------------------------------------------


def test_concurrent_builds_leave_what_a_fresh_build_makes(mini, tmp_path):
    out = tmp_path / "out"
    for round_ in range(3):
        retitle(mini, f"第{round_}区")
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "sitegen",
                    "build",
                    str(mini),
                    "-o",
                    str(out),
                    "--no-pdf",
                    "--no-history",
                    "--no-cache",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            for _ in range(2)
        ]
        results = [(proc.wait(), *proc.communicate()) for proc in procs]
        for code, _stdout, stderr in results:
            assert code == 0 and "Traceback" not in stderr, stderr
        fresh = tmp_path / f"fresh{round_}"
        build_ok(mini, fresh)
        assert digest(out) == digest(fresh)
        assert not list(tmp_path.glob(".out.building*"))
        assert quick(mini, out).unchanged


def test_a_second_build_waits_says_so_and_gives_up_after_the_timeout(mini, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_ok(mini, out)
    before = digest(out)
    retitle(mini, "另一个区")
    monkeypatch.setattr(write, "LOCK_TIMEOUT", 0.3)
    stream = io.StringIO()
    with open(tmp_path / ".out.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another build is writing
        result = quick(mini, out, Progress(False, stream))
    assert [p.code for p in result.problems] == ["E972"]
    assert "另一个生成正在写入" in stream.getvalue() and digest(out) == before
    assert quick(mini, out).ok  # the lock released: the next build goes ahead


# -- mount points, full disks, read-only file systems -------------------------------------------


@contextmanager
def mounted(target: Path, *args: str):
    """mount(8) as root; skip (with the reason) where this machine does not allow it."""
    target.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting needs root and mount(8)")
    proc = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"mount not permitted here: {proc.stderr.strip()}")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.mark.parametrize("kind", ["tmpfs", "bind mount of the same file system"])
def test_an_output_that_is_a_mount_point(mini, tmp_path, kind):
    out = tmp_path / "out"
    (tmp_path / "volume").mkdir()
    how = ("-t", "tmpfs", "-o", "size=20m", "tmpfs") if kind == "tmpfs" else ("--bind", str(tmp_path / "volume"))
    with mounted(out, *how):
        first = quick(mini, out)
        assert first.ok, [p.format() for p in first.problems]
        retitle(mini, "挂载区")
        second = quick(mini, out)
        assert second.ok and not second.unchanged, [p.format() for p in second.problems]
        build_ok(mini, tmp_path / "fresh")
        assert digest(out) == digest(tmp_path / "fresh")
        (out / "index.html").unlink()
        assert quick(mini, out).ok and digest(out) == digest(tmp_path / "fresh")
        assert quick(mini, out).unchanged
        assert not list(tmp_path.glob(".out.*"))  # nothing beside it: it lives inside
        assert not [p for p in os.listdir(out) if p.startswith(f"{write.INSIDE_PREFIX}staging")]  # no staging left


def test_a_full_disk_says_so_and_keeps_the_last_good_site(mini, tmp_path):
    disk = tmp_path / "disk"
    with mounted(disk, "-t", "tmpfs", "-o", "size=600k", "tmpfs"):
        out = disk / "out"
        build_ok(mini, out)
        before = digest(out)
        ballast = disk / "ballast"
        with open(ballast, "wb", buffering=0) as f:  # fill the disk
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError:
                pass
        retitle(mini, "满盘区")
        proc = cli("build", str(mini), "-o", str(out), *NO_EXTRAS, cwd=tmp_path)
        assert proc.returncode == 1 and "错误[E973]" in proc.stderr and "磁盘空间不足" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert digest(out) == before
        assert not list(disk.glob(".out.building*"))  # the staging folder removed
        ballast.unlink()
        assert quick(mini, out).ok and "满盘区" in (out / "index.html").read_text("utf-8")


def test_a_read_only_file_system_says_so_and_keeps_the_last_good_site(mini, tmp_path):
    area = tmp_path / "area"
    area.mkdir()
    out = area / "out"
    build_ok(mini, out)
    before = digest(tmp_path / "area", skip_ours=False)
    retitle(mini, "只读区")
    with mounted(area, "--bind", "-o", "ro", str(area)):
        if os.access(area, os.W_OK) and not _really_read_only(area):
            pytest.skip("this mount(8) made the bind mount writable")
        proc = cli("build", str(mini), "-o", str(out), *NO_EXTRAS, cwd=tmp_path)
        assert proc.returncode == 1 and "错误[E974]" in proc.stderr and "只读" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
    assert digest(tmp_path / "area", skip_ours=False) == before


def _really_read_only(path: Path) -> bool:
    try:
        (path / ".probe").write_text("x")
    except OSError:
        return True
    (path / ".probe").unlink()
    return False


def test_file_system_errors_are_named_in_chinese():
    import errno

    codes = {
        e: write.os_problem(OSError(e, os.strerror(e), "/srv/out/x.html"), "/srv/out").code
        for e in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO)
    }
    assert codes == {
        errno.ENOSPC: "E973",
        errno.EDQUOT: "E973",
        errno.EROFS: "E974",
        errno.EACCES: "E975",
        errno.EPERM: "E975",
        errno.EIO: "E976",
    }


def test_what_a_file_manager_leaves_in_the_output_is_no_reason_to_refuse_or_rebuild(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    for name in ("Thumbs.db", ".DS_Store", "2026/desktop.ini"):
        (out / name).write_bytes(b"\0")
    assert quick(mini, out).unchanged
    retitle(mini, "看过的区")
    assert quick(mini, out).ok and "看过的区" in (out / "index.html").read_text("utf-8")
