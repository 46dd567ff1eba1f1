"""Stage 4: writing the output atomically, and only what changed.

A build writes into a staging folder beside the output and swaps it in only when every
file is written, so a failed or interrupted build leaves the last good site in place
and files that are no longer produced disappear. Each output file is recorded in a
manifest with the hash of the inputs that made it; a file whose inputs are unchanged
is hard-linked from the previous output instead of being rendered again (Lektor's idea).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
from pathlib import Path

MANIFEST = ".sitegen-manifest.json"
_RENAME_EXCHANGE = 2


class Output:
    def __init__(self, dest: Path):
        self.dest = dest
        self.staging = dest.parent / f".{dest.name}.building"
        self.previous: dict[str, str] = {}
        self.manifest: dict[str, str] = {}
        if (dest / MANIFEST).is_file():
            try:
                self.previous = json.loads((dest / MANIFEST).read_text("utf-8"))
            except (OSError, ValueError):
                self.previous = {}

    def __enter__(self) -> "Output":
        if self.staging.exists():
            shutil.rmtree(self.staging)  # left over from an interrupted build
        self.staging.mkdir(parents=True)
        self._made: set[str] = set()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        self._commit()

    def reuse(self, rel: str, key: str) -> bool:
        """If `rel` was made from the same inputs last time, link it into place and say so."""
        if self.previous.get(rel) != key:
            return False
        old = self.dest / rel
        target = self._prepare(rel)
        try:
            os.link(old, target)
        except OSError:
            try:
                shutil.copyfile(old, target)
            except OSError:
                return False
        return True

    def write(self, rel: str, data: bytes, key: str = "") -> None:
        with open(self._prepare(rel), "wb") as f:
            f.write(data)

    def _prepare(self, rel: str) -> Path:
        target = self.staging / rel
        parent = os.path.dirname(rel)
        if parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        return target

    def _commit(self) -> None:
        data = json.dumps(dict(sorted(self.manifest.items())), ensure_ascii=False, indent=0)
        (self.staging / MANIFEST).write_text(data, "utf-8")
        if self.dest.exists():
            if not _exchange(self.staging, self.dest):
                old = self.dest.parent / f".{self.dest.name}.old"
                shutil.rmtree(old, ignore_errors=True)
                os.rename(self.dest, old)
                os.rename(self.staging, self.dest)
                shutil.rmtree(old, ignore_errors=True)
                return
            shutil.rmtree(self.staging, ignore_errors=True)  # now holds the previous output
        else:
            os.rename(self.staging, self.dest)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD = -100
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
