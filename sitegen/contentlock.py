"""One writer or many readers of a content folder at a time.

The editor saves a change that spans several files (an appeal: the quarter record, the
ledger's correction, the roster) one file at a time, each atomically. A `build`, `check`
or `serve` reading the folder between two of those writes would see half a change: a
correction without its appeal. So the editor holds this lock exclusively while it writes
a change's files, and reading the content's files (the scan) holds it shared: a reader
sees every file of a change or none.

The lock is an flock on a file outside the content folder (never a new file in the
repository): in the user's cache home, named by the hash of the folder's real path, so
every process on the machine finds the same one. Where it cannot be made (a read-only
home), reading and writing go on unlocked, as before: the lock narrows a race, it never
stops the work.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sitegen.home import sitegen_home


def _lock_file(root: Path) -> Path:
    name = hashlib.sha256(os.path.realpath(root).encode()).hexdigest()[:32]
    return sitegen_home() / "locks" / f"{name}.lock"


@contextmanager
def content_lock(root: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the content folder's lock: `exclusive` to write a change's files, shared to
    read the folder. Blocks until it is free (a change is a few files: milliseconds)."""
    path = _lock_file(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError:
        yield  # no place for the lock: unlocked, as without it
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing releases the flock
