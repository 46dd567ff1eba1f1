"""The scan's stat cache (like git's index): a file whose status is unchanged since the
last scan is not read or hashed again.

For every source file the last scan read, the cache keeps its status as the scan saw
it — (size, mtime_ns, ctime_ns, inode, device), never following a link — and the
sha256 of its bytes. The next scan trusts the hash of a file whose status is the same,
except when that status is *racy* (git's rule, Documentation/technical/racy-git.txt):
a file changed in the same clock tick as the scan looked at it can keep its size and
its times, so an entry whose mtime or ctime is not strictly older than the moment the
scan began (`stamp`) is never trusted: that file is read and hashed again next time.
The stamp is taken before any file is looked at, and two seconds early, so that a file
system with coarse times (one or two seconds) cannot hide a change either.

The cache is one file per content folder in the cache folder
(sitegen.load.cache.cache_folder): its entries marshalled (several times quicker to read
and write than JSON, which took about 20 ms of every edit build at 10,000 files) behind
a mark, their length and a CRC-32 (sitegen.load.cache.framed), written atomically (a
temporary file renamed into place) and only when something in it changed; it names its
format, sitegen's version and the content folder, and one that does not match, is cut
off or scribbled over, or holds an entry of the wrong shape is ignored (the files are
read again). Restricted records
are never in it (the parse cache keeps nothing of them either).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from pathlib import Path
from stat import S_ISREG

from sitegen import __version__
from sitegen.load.cache import _write_atomically, drop_former, framed, unframed

FORMAT = "sitegen-stat-cache-2"
_MARK = b"sitegen-stat\x01"
SLACK_NS = 2_000_000_000  # the stamp is this much before the scan began: coarse file times

_Entry = list  # [size, mtime_ns, ctime_ns, inode, device, sha256 hex]


def _facts(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


class StatCache:
    """One scan's use of the stat cache of the content folder `root` in `folder` (None:
    no cache, every file is read). Make it before the scan looks at any file (its stamp
    is taken then); `hashes_of` the files found, `record` each file read, then `save`."""

    def __init__(self, folder: Path | None, root: Path):
        self.stamp = time.time_ns() - SLACK_NS
        self.root = os.path.realpath(root)
        self.path = (
            folder / "stat" / (hashlib.sha256(os.fsencode(self.root)).hexdigest()[:32] + ".marshal")
            if folder is not None
            else None
        )
        self.hits = 0
        self.misses = 0
        self._old: dict[str, _Entry] = {}
        self._old_stamp = 0
        self._new: dict[str, _Entry] = {}
        self._changed = False
        if self.path is not None:
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        try:
            with open(self.path, "rb") as f:
                body = unframed(f.read(), _MARK)
        except OSError:
            return
        if body is None:
            return  # cut off, grown or scribbled over: never trusted
        try:
            data = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return
        if not (
            type(data) is tuple
            and len(data) == 5
            and data[:3] == (FORMAT, __version__, self.root)
            and type(data[3]) is int
            and type(data[4]) is dict
        ):
            return
        self._old_stamp, self._old = data[3], data[4]

    def hashes_of(self, stats: dict[str, os.stat_result], max_bytes: int) -> dict[str, str]:
        """The sha256 recorded for each regular file in `stats` (path -> its lstat) no
        bigger than `max_bytes` whose status is the one recorded and was not racy when
        recorded (path -> its hash); the others must be read."""
        old, stamp, new, facts, is_regular = self._old, self._old_stamp, self._new, _facts, S_ISREG
        found: dict[str, str] = {}
        for path, st in stats.items():
            entry = old.get(path)
            if (
                type(entry) is list
                and len(entry) == 6
                and entry[1] < stamp
                and entry[2] < stamp
                and is_regular(st.st_mode)
                and st.st_size <= max_bytes
                and entry[:5] == facts(st)
            ):
                digest = entry[5]
                if type(digest) is str and len(digest) == 64:
                    new[path] = entry
                    found[path] = digest
        self.hits += len(found)
        self.misses += len(stats) - len(found)
        return found

    def record(self, path: str, st: os.stat_result, digest: str) -> None:
        """`path` was read: `digest` is the hash of its bytes, `st` its status (lstat)
        taken before they were read."""
        self._new[path] = [*_facts(st), digest]
        self._changed = True  # new, changed, or racy last time (trusted from now on, under the new stamp)

    def save(self) -> None:
        """Write what this scan found, if it differs from what was there (atomically)."""
        if self.path is None:
            return
        if not self._changed and set(self._new) == set(self._old):
            return
        body = marshal.dumps((FORMAT, __version__, self.root, self.stamp, self._new))  # (in scan order)
        if _write_atomically(self.path, framed(_MARK, body)):
            drop_former(self.path, ".json")  # the first format (JSON), before the sixth round
