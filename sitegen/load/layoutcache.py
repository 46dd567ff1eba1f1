"""The scan's layout cache (like git's untracked cache): a branch folder whose folders are
unchanged since the last scan holds the same files, so it is not listed again.

Creating, removing or renaming anything in a folder — a file, a folder, a symbolic link
put in a file's place — changes the folder's own modification and change times
(mtime, ctime). For every branch folder (committees/<c>/branches/<b>/, the unit
`discover` walks with sitegen.load.layout._branch) the cache keeps what its walk found —
its source files and the problems its listing reported — with the status of each folder
the walk listed (mode, size, link count, mtime_ns, ctime_ns, inode, device; lstat, links
never followed), taken before the folder was listed. The next scan lstats those folders
only; when every one is as recorded, the branch's files and problems are taken as
they were, without listing anything. The files themselves are still each lstat-ed for
the stat cache (sitegen.load.statcache): an edit in place changes no folder.

As in the stat cache, a folder whose mtime or ctime is not strictly older than the moment
the recording scan began (its stamp, two seconds early) is never trusted: a change in the
same clock tick as the listing could keep the folder's times. Folders above the branches
(a few hundred) are listed every time, and so is everything under restricted/ when its
records are read (`check`): nothing of restricted/ is ever kept in a cache, not even its
file names — only one SHA-256 of the names and statuses of its folders, when their last
listing found nothing to report. A build, which never reads the restricted records, then
lstats those folders instead of listing them (1,000 listings, about 25 ms): if all are
as they were (`quiet_restricted`), listing them could only find records it leaves out.

One file per content folder in the cache folder, written whole and atomically with a
mark, its length and a CRC-32, and only when something in it changed; one that is cut
off, scribbled over, of another format, sitegen version or content folder is ignored
whole, an entry of the wrong shape on its own (its branch folder is listed again). Its
entries are marshalled, each source file as the tuple of its fields (the problems, rare,
pickled): unpickling 10,000 source files took about 20 ms of every scan, twice this.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.load.cache import _dumps, _maker, _write_atomically, drop_former, framed, unframed
from sitegen.load.layout import FileKind, SourceFile, facts
from sitegen.problems import Problem

FORMAT = "sitegen-layout-cache-2"
_MARK = b"sitegen-layout\x01"

_KINDS = {kind.value: kind for kind in FileKind}
Facts = tuple[int, ...]  # mode, size, nlink, mtime_ns, ctime_ns, inode, device: layout.facts


class LayoutCache:
    """One scan's use of the layout cache of content folder `root` in `folder` (None: no
    cache, every folder is listed). `stamp`: the moment the scan began, two seconds early
    (the stat cache's). `take` a unit's walk if its folders are unchanged, `put` one
    walked, then `save`. `kept` and `walked` count the units taken and walked."""

    def __init__(self, folder: Path | None, root: Path | str, stamp: int):
        self.stamp = stamp
        self.root = os.path.realpath(root)
        self._base = os.fspath(root)
        self._prefix = os.path.join(self._base, "")
        self.path = (
            folder / "layout" / (hashlib.sha256(os.fsencode(self.root)).hexdigest()[:32] + ".marshal")
            if folder is not None
            else None
        )
        self._old: dict[str, Any] = {}
        self._old_stamp = 0
        self._new: dict[str, Any] = {}
        self._old_quiet = (
            ""  # restricted/'s key (sitegen.load.layout._Folders.restricted_key) when nothing was found in it
        )
        self._new_quiet = ""
        self._changed = False
        self.kept = 0
        self.walked = 0
        if self.path is not None:
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except OSError:
            return
        body = unframed(data, _MARK)
        if body is None:
            return  # cut off, grown or scribbled over: never trusted
        try:
            stored = marshal.loads(body)
        except (EOFError, ValueError, TypeError):  # unreadable: not trusted
            return
        if not (
            type(stored) is tuple
            and len(stored) == 6
            and stored[:3] == (FORMAT, __version__, self.root)
            and type(stored[3]) is int
            and type(stored[4]) is dict
            and type(stored[5]) is str
        ):
            return
        self._old_stamp, self._old, self._old_quiet = stored[3], stored[4], stored[5]

    def take(self, rel: str) -> tuple[list[Any], list[Any]] | None:
        """(the source files, the problems) the walk of folder `rel` found last time, if
        every folder it listed is as it was then (and was not racy); else None."""
        entry = self._old.get(rel)
        if entry is None:
            return None
        try:
            listed, files, problems = entry
            stamp, prefix, lstat = self._old_stamp, self._prefix, os.lstat
            for folder, was in listed:
                if was[3] >= stamp or was[4] >= stamp:
                    return None  # changed in the same tick as it was listed, maybe
                if facts(lstat(prefix + folder if folder != "." else self._base)) != was:
                    return None
            kinds, make = _KINDS, _maker(SourceFile)
            found = (
                [make(kinds[kind], path, c, b, y, q) for kind, path, c, b, y, q in files],
                list(pickle.loads(problems)) if problems else [],
            )
            if not all(type(p) is Problem for p in found[1]):
                return None
        except Exception:  # noqa: BLE001 — a folder gone, an entry of the wrong shape or from other code
            return None
        self._new[rel] = entry
        self.kept += 1
        return found

    def put(self, rel: str, listed: list[tuple[str, Facts]], files: list[Any], problems: list[Any]) -> None:
        """The walk of folder `rel`: the folders it listed with their status before each
        was listed, the source files and problems it found."""
        try:
            found = _dumps(tuple(problems)) if problems else b""
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # not kept: walked again next time
        self._new[rel] = (
            tuple(listed),
            tuple((sf.kind.value, sf.path, sf.committee, sf.branch, sf.year, sf.quarter) for sf in files),
            found,
        )
        self._changed = True
        self.walked += 1

    def quiet_restricted(self, key: str) -> bool:
        """Whether restricted/'s folders are as they were (`key`: their names and statuses,
        not racy) when their listing last found nothing to report."""
        return bool(key) and key == self._old_quiet

    def restricted(self, key: str | None) -> None:
        """restricted/'s folders, as `key` says, hold nothing to report (None: not known)."""
        self._new_quiet = key or ""

    def save(self) -> None:
        """Write what this scan found, if it differs from what was there (atomically)."""
        if self.path is None:
            return
        if not self._changed and self._new.keys() == self._old.keys() and self._new_quiet == self._old_quiet:
            return
        try:
            body = marshal.dumps((FORMAT, __version__, self.root, self.stamp, self._new, self._new_quiet))
        except ValueError:  # (an unmarshallable value: none is put)
            return
        if _write_atomically(self.path, framed(_MARK, body)):
            drop_former(self.path, ".pickle")  # the first format (pickle), before the sixth round
