"""`sitegen publish SITE DEST`: put a built site live with one atomic switch, and keep the
previous releases for `sitegen publish --rollback DEST`.

    DEST/releases/<build id>/   a complete copy of one built site
    DEST/current                a symlink to releases/<build id>: what the web server serves
    DEST/releases.json          the journal: release ids in the order they went live
                                (oldest first), which is current, and for each when it was
                                published and the data version it was built from

The copy is made under a hidden name and renamed into place when complete; then a new
symlink is renamed over `current` (rename is atomic), so a visitor gets either the old
site or the new one, never half of each. The journal is written to a temporary file,
synced and renamed over the old one, so it is always whole.

The journal is a history like a browser's: `--rollback` goes to the entry before the
current one (and leaves the later ones listed, so a second rollback goes one further
back, never forward again); publishing after a rollback drops the entries after the
current one, so the next rollback returns to the release that was live before it.
Releases beyond the newest `keep` in the journal are removed, never the live one or
the one before it. An edge around the pipeline, like git.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sitegen.write import MANIFEST, OutputError, finish_pending, output_lock, read_manifest, sync_dir

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
        raise PublishError(
            f"“{site}”不是 sitegen build 生成的网站（没有可读的 build-info.json）。"
            "先运行 sitegen build，再发布它的输出目录。"
        ) from None
    content = info.get("content") or {}
    commit = str(content.get("commit", "")) if content.get("git") else ""
    if not key.isalnum():
        raise PublishError(f"{site}/build-info.json 里的 build_key 不对，请重新运行 sitegen build。")
    return f"{commit[:7]}-{key[:12]}" if commit.isalnum() and commit.strip("0") else key[:16]


@dataclass(frozen=True)
class Release:
    """One entry of the journal, for `--list`."""

    id: str
    published: str  # ISO 8601, UTC ('' if not recorded)
    version: str  # the data version it was built from, in Chinese
    current: bool


def publish(site: Path | str, dest: Path | str, keep: int = 3) -> Published:
    site, dest = Path(site), Path(dest)
    if not (site / "index.html").is_file():
        raise PublishError(f"“{site}”里没有 index.html，不是生成好的网站。先运行 sitegen build。")
    real_site, real_dest = Path(os.path.realpath(site)), Path(os.path.realpath(dest))
    if real_dest == real_site or real_site in real_dest.parents or real_dest in real_site.parents:
        raise PublishError(
            f"发布目录“{dest}”和网站目录“{site}”不能是同一个目录，也不能一个在另一个里面。"
            "换一个发布目录，例如 /srv/dangwu。"
        )
    keep = max(keep, 2)  # the live release and the one to roll back to
    try:
        with output_lock(site):
            # never a site a build is still moving files into: an interrupted one is
            # finished first, and no build writes it while it is copied (the build's lock)
            try:
                finish_pending(site)
            except OSError as exc:  # e.g. an output folder no longer writable: a message, not a traceback
                raise PublishError(
                    f"“{site}”里有一次生成没有写完，接着写完它时出错：{exc.strerror or exc}"
                    f"（{exc.filename or site}）。这次没有发布，正在使用的网站保持不变。"
                    "检查输出目录的权限和磁盘空间，重新运行 sitegen build，再发布。"
                ) from None
            return _publish(site, dest, keep)
    except OutputError as exc:
        raise PublishError(exc.problem.message) from None


def _publish(site: Path, dest: Path, keep: int) -> Published:
    rid = release_id(site)
    with _locked(dest):
        releases = dest / "releases"
        releases.mkdir(exist_ok=True)
        target = releases / rid
        copied = not target.is_dir()
        if copied:
            incoming = releases / f".incoming-{rid}-{os.getpid()}"
            shutil.rmtree(incoming, ignore_errors=True)
            try:
                _copy_made(site, incoming)
            except BaseException:
                shutil.rmtree(incoming, ignore_errors=True)  # nothing half-copied left behind
                raise
            os.rename(incoming, target)
        journal = _read_journal(dest)
        previous = _live(dest)
        order = journal["releases"]
        if previous in order:  # published after a rollback: what came after the live one is history no more
            order = order[: order.index(previous) + 1]
        order = [r for r in order if r != rid] + [rid]
        journal["releases"] = order
        journal["details"][rid] = {"published": _now(), "version": _version(target)}
        _switch(dest, rid)
        _write_journal(dest, journal)
        pruned = _prune(dest, journal, keep, {rid, previous})
    return Published(rid, previous or "", pruned, copied)


def _copy_made(site: Path, incoming: Path) -> None:
    """Copy the files the build made, as its manifest lists them, and nothing else: a file
    or link someone put into the output folder by hand is never published. Each is read
    without following a link anywhere on its path, and must still be what the build
    wrote: the sha256 of the bytes read equal to the one the manifest records (a manifest
    of an older sitegen, without them: the size alone, as that sitegen checked); anything
    else refuses the publish, with the live site left as it was."""
    manifest = read_manifest(site)
    files = manifest.get("files") if manifest else None
    if not isinstance(files, dict):
        raise PublishError(
            f"“{site}”里没有 sitegen 生成时写下的文件清单（{MANIFEST}），不知道哪些文件是生成的。"
            "先运行 sitegen build，再发布它的输出目录。"
        )
    hashes = manifest.get("hashes") if manifest else None
    if not isinstance(hashes, dict):
        hashes = {}
    real_site = os.path.realpath(site)
    listed: list[tuple[str, int | None]] = [(rel, size) for rel, size in sorted(files.items())]
    for rel, size in [*listed, (MANIFEST, None)]:
        parts = rel.split("/") if isinstance(rel, str) else []
        source = site / rel
        try:
            if not parts or any(p in ("", ".", "..") or "\\" in p for p in parts):
                raise ValueError(rel)
            if os.path.realpath(source) != os.path.join(real_site, *parts):
                raise ValueError(rel)  # a link somewhere on its path
            info = os.lstat(source)
            if not stat.S_ISREG(info.st_mode) or (size is not None and info.st_size != size):
                raise ValueError(rel)
        except (OSError, ValueError):
            raise PublishError(
                f"网站里的“{rel}”在生成之后被删除、改动或换成了链接，这次没有发布。"
                "重新运行 sitegen build，确认无误后再发布。"
            ) from None
        target = incoming / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        expected = hashes.get(rel) if size is not None else None
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as src, open(target, "wb") as dst:
            if isinstance(expected, str):
                copied = hashlib.sha256()
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    copied.update(chunk)
                    dst.write(chunk)
                if copied.hexdigest() != expected:
                    raise PublishError(
                        f"网站里的“{rel}”在生成之后被改动过（内容和生成时写下的不一样），这次没有发布，"
                        "正在使用的网站保持不变。不要手工修改输出目录里的文件：重新运行 sitegen build"
                        "（它会重新生成改动过的文件），确认无误后再发布。"
                    )
            else:
                shutil.copyfileobj(src, dst)
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))


def rollback(dest: Path | str) -> Published:
    """Make the release that went live before the current one live again."""
    dest = Path(dest)
    with _locked(dest):
        live = _live(dest)
        journal = _read_journal(dest)
        log = [r for r in journal["releases"] if (dest / "releases" / r).is_dir()]
        if live not in log:
            raise PublishError(f"“{dest}”里没有正在使用的发布版本（{dest}/current 不存在），无法回退。")
        earlier = log[: log.index(live)]
        if not earlier:
            raise PublishError(f"“{dest}”里没有比当前版本 {live} 更早的发布版本可以回退。")
        _switch(dest, earlier[-1])
        journal["releases"] = log
        _write_journal(dest, journal)
    return Published(earlier[-1], live, copied=False)


def releases(dest: Path | str) -> list[Release]:
    """The journal, newest first, for `sitegen publish --list`."""
    dest = Path(dest)
    if not (dest / LOG).is_file() and not (dest / "releases").is_dir():
        raise PublishError(f"“{dest}”里还没有发布过网站（没有 {LOG}）。")
    journal = _read_journal(dest)
    live = _live(dest)
    found = []
    for rid in reversed(journal["releases"]):
        detail = journal["details"].get(rid) or {}
        version = detail.get("version") or _version(dest / "releases" / rid)
        found.append(Release(rid, str(detail.get("published", "")), str(version), rid == live))
    return found


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _version(release: Path) -> str:
    """The data version a release was built from, in the words of the site's footer."""
    try:
        content = json.loads((release / "build-info.json").read_text("utf-8")).get("content") or {}
    except (OSError, ValueError, AttributeError):
        return "未知（没有可读的 build-info.json）"
    if not content.get("git"):
        return "内容目录不是 git 仓库"
    text = f"提交 {str(content.get('commit', ''))[:7]}（{content.get('date', '')}）"
    return text + ("，另含未提交的修改" if content.get("uncommitted_changes") else "")


@contextmanager
def _locked(dest: Path):
    """One publish at a time in DEST (two CI jobs finishing together)."""
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"无法建立发布目录“{dest}”：{exc.strerror}。检查路径和权限。") from None
    current = dest / "current"
    if current.exists() and not current.is_symlink():
        raise PublishError(
            f"“{current}”是普通目录，不是 sitegen publish 建立的链接。把它改名或移走，"
            "再发布；网站服务器的根目录设为这个 current。"
        )
    try:
        names = set(os.listdir(dest)) - {".publish.lock"}
    except OSError as exc:
        raise PublishError(f"无法读取发布目录“{dest}”：{exc.strerror}。检查路径和权限。") from None
    if names and LOG not in names and not current.is_symlink():
        # releases/ here may be somebody else's: pruning would delete its folders
        shown = "、".join(sorted(names)[:5])
        raise PublishError(
            f"“{dest}”里已经有不是 sitegen publish 建立的文件（{shown}），为避免删掉它们，没有发布。"
            "换一个空的或新的发布目录。"
        )
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
    sync_dir(dest)


def _read_journal(dest: Path) -> dict:
    """{"releases": [ids, oldest first], "details": {id: {...}}} — from releases.json, or,
    without one (or a damaged one), from the release folders, oldest first."""
    try:
        data = json.loads((dest / LOG).read_text("utf-8"))
        order = [str(r) for r in data["releases"]]
        details = data.get("details") or {}
        if not isinstance(details, dict):
            details = {}
        return {"releases": order, "details": details}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        folders = (
            [p for p in (dest / "releases").iterdir() if p.is_dir() and not p.name.startswith(".")]
            if (dest / "releases").is_dir()
            else []
        )
        return {"releases": [p.name for p in sorted(folders, key=lambda p: p.stat().st_mtime)], "details": {}}


def _write_journal(dest: Path, journal: dict) -> None:
    """Atomically: a whole new file, synced, renamed over the old one."""
    order = journal["releases"]
    record = {
        "releases": order,
        "current": _live(dest),
        "details": {rid: journal["details"][rid] for rid in order if rid in journal["details"]},
    }
    tmp = dest / f".{LOG}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, dest / LOG)
    sync_dir(dest)


def _prune(dest: Path, journal: dict, keep: int, protect: set[str]) -> list[str]:
    """Remove releases beyond the newest `keep` of the journal (and those a rollback left
    behind and a publish dropped), never the live one or the one before it."""
    releases = dest / "releases"
    log = journal["releases"]
    keep_ids = set(log[-keep:]) | protect
    pruned = []
    for path in sorted(releases.iterdir()):
        if path.name.startswith(".incoming-"):
            shutil.rmtree(path, ignore_errors=True)  # left by a copy that was interrupted
        elif path.is_dir() and path.name not in keep_ids:
            shutil.rmtree(path, ignore_errors=True)
            pruned.append(path.name)
    if pruned or any(r not in keep_ids for r in log):
        journal["releases"] = [r for r in log if r in keep_ids]
        _write_journal(dest, journal)
    return pruned
