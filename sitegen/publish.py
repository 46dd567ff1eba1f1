"""`sitegen publish SITE DEST`: put a built site live with one atomic switch, and keep the
previous releases for `sitegen publish --rollback DEST`.

    DEST/releases/<build id>/   a complete copy of one built site
    DEST/current                a symlink to releases/<build id>: what the web server serves
    DEST/releases.json          release ids in the order they were published (newest last)

The copy is made under a hidden name and renamed into place when complete; then a new
symlink is renamed over `current` (rename is atomic), so a visitor gets either the old
site or the new one, never half of each. Releases beyond the newest `keep` are removed,
never the live one or the one before it. An edge around the pipeline, like git.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LOG = "releases.json"


class PublishError(Exception):
    """Publishing cannot go on; the message is Chinese and says what to do."""


@dataclass
class Published:
    release: str  # the id now live
    previous: str = ""  # the id that was live before ('' if none)
    pruned: list[str] = field(default_factory=list)
    copied: bool = True  # False when that release was already there (published again)


def release_id(site: Path) -> str:
    """The build id from the site's build-info.json: the content commit and the build key."""
    try:
        info = json.loads((site / "build-info.json").read_text("utf-8"))
        key = str(info["build_key"])
    except (OSError, ValueError, KeyError, TypeError):
        raise PublishError(f"“{site}”不是 sitegen build 生成的网站（没有可读的 build-info.json）。"
                           "先运行 sitegen build，再发布它的输出目录。") from None
    content = info.get("content") or {}
    commit = str(content.get("commit", "")) if content.get("git") else ""
    if not key.isalnum():
        raise PublishError(f"{site}/build-info.json 里的 build_key 不对，请重新运行 sitegen build。")
    return f"{commit[:7]}-{key[:12]}" if commit.isalnum() and commit.strip("0") else key[:16]


def publish(site: Path | str, dest: Path | str, keep: int = 3) -> Published:
    site, dest = Path(site), Path(dest)
    if not (site / "index.html").is_file():
        raise PublishError(f"“{site}”里没有 index.html，不是生成好的网站。先运行 sitegen build。")
    rid = release_id(site)
    keep = max(keep, 2)  # the live release and the one to roll back to
    with _locked(dest):
        releases = dest / "releases"
        releases.mkdir(exist_ok=True)
        target = releases / rid
        copied = not target.is_dir()
        if copied:
            incoming = releases / f".incoming-{rid}-{os.getpid()}"
            shutil.rmtree(incoming, ignore_errors=True)
            shutil.copytree(site, incoming, symlinks=True)
            os.rename(incoming, target)
        previous = _live(dest)
        _switch(dest, rid)
        log = [r for r in _read_log(dest) if r != rid] + [rid]
        _write_log(dest, log)
        pruned = _prune(dest, log, keep, {rid, previous})
    return Published(rid, previous or "", pruned, copied)


def rollback(dest: Path | str) -> Published:
    """Make the release published before the live one live again."""
    dest = Path(dest)
    with _locked(dest):
        live = _live(dest)
        log = [r for r in _read_log(dest) if (dest / "releases" / r).is_dir()]
        if live not in log:
            raise PublishError(f"“{dest}”里没有正在使用的发布版本（{dest}/current 不存在），无法回退。")
        earlier = log[:log.index(live)]
        if not earlier:
            raise PublishError(f"“{dest}”里没有比当前版本 {live} 更早的发布版本可以回退。")
        _switch(dest, earlier[-1])
        _write_log(dest, log)
    return Published(earlier[-1], live, copied=False)


@contextmanager
def _locked(dest: Path):
    """One publish at a time in DEST (two CI jobs finishing together)."""
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"无法建立发布目录“{dest}”：{exc.strerror}。检查路径和权限。") from None
    current = dest / "current"
    if current.exists() and not current.is_symlink():
        raise PublishError(f"“{current}”是普通目录，不是 sitegen publish 建立的链接。把它改名或移走，"
                           "再发布；网站服务器的根目录设为这个 current。")
    with open(dest / ".publish.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _live(dest: Path) -> str:
    try:
        return Path(os.readlink(dest / "current")).name
    except OSError:
        return ""


def _switch(dest: Path, rid: str) -> None:
    tmp = dest / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(f"releases/{rid}", tmp)  # relative: DEST can be moved or mounted elsewhere
    os.replace(tmp, dest / "current")
    _sync_dir(dest)


def _sync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_log(dest: Path) -> list[str]:
    try:
        data = json.loads((dest / LOG).read_text("utf-8"))
        return [str(r) for r in data.get("releases", [])]
    except (OSError, ValueError, AttributeError):
        # no log (or a damaged one): the release folders, oldest first
        folders = [p for p in (dest / "releases").iterdir() if p.is_dir() and not p.name.startswith(".")] \
            if (dest / "releases").is_dir() else []
        return [p.name for p in sorted(folders, key=lambda p: p.stat().st_mtime)]


def _write_log(dest: Path, log: list[str]) -> None:
    tmp = dest / f".{LOG}.{os.getpid()}"
    record = {"releases": log, "current": _live(dest)}
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(tmp, dest / LOG)


def _prune(dest: Path, log: list[str], keep: int, protect: set[str]) -> list[str]:
    releases = dest / "releases"
    keep_ids = set(log[-keep:]) | protect
    pruned = []
    for path in sorted(releases.iterdir()):
        if path.name.startswith(".incoming-"):
            shutil.rmtree(path, ignore_errors=True)  # left by a copy that was interrupted
        elif path.is_dir() and path.name not in keep_ids:
            shutil.rmtree(path, ignore_errors=True)
            pruned.append(path.name)
    if pruned:
        _write_log(dest, [r for r in log if r not in pruned])
    return pruned
