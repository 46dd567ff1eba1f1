"""Stage 4: writing the output atomically, and only what changed.

A build writes into a staging folder beside the output and swaps it in only when every
file is written, so a failed or interrupted build leaves the last good site in place
and files that are no longer produced disappear. Each output file is recorded in a
manifest with the hash of the inputs that made it; a file whose inputs are unchanged
is hard-linked from the previous output instead of being rendered again (Lektor's idea).
Pages are grouped in units (one branch's year); a unit whose inputs are unchanged is
reused whole, without even computing its pages.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

MANIFEST = ".sitegen-manifest.json"
_RENAME_EXCHANGE = 2


class Output:
    def __init__(self, dest: Path):
        self.dest = dest
        self.staging = dest.parent / f".{dest.name}.building"
        self.previous: dict[str, str] = {}  # page path -> inputs key, from the last build
        self.previous_units: dict[str, list] = {}  # unit id -> [unit key, [page paths]]
        self.manifest: dict[str, str] = {}
        self.units: dict[str, list] = {}
        try:
            data = json.loads((dest / MANIFEST).read_text("utf-8"))
            self.previous, self.previous_units = data["pages"], data["units"]
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def __enter__(self) -> "Output":
        if self.staging.exists():
            shutil.rmtree(self.staging)  # left over from an interrupted build
        for leftover in self.dest.parent.glob(f".{self.dest.name}.old-*"):
            _remove_later(leftover)  # a previous output whose removal did not finish
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

    def reuse_unit(self, unit: str, key: str) -> dict[str, str] | None:
        """If the unit was made from the same inputs last time, link all its pages into place
        and return them with their keys; None if anything is missing."""
        entry = self.previous_units.get(unit)
        if not entry or entry[0] != key:
            return None
        pages = {path: self.previous.get(path, "") for path in entry[1]}
        # all or nothing: a unit half linked and then rendered would write through links
        # into files the live output shares
        if not all(pages.values()) or not all((self.dest / path).is_file() for path in pages):
            return None
        if not all(self.reuse(path, k) for path, k in pages.items()):
            return None
        return pages

    def write(self, rel: str, data: bytes) -> None:
        target = self._prepare(rel)
        try:
            os.unlink(target)  # never write through a hard link into the live output
        except FileNotFoundError:
            pass
        with open(target, "wb") as f:
            f.write(data)

    def _prepare(self, rel: str) -> Path:
        target = self.staging / rel
        parent = os.path.dirname(rel)
        if parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        return target

    def _commit(self) -> None:
        data = json.dumps({"pages": dict(sorted(self.manifest.items())), "units": dict(sorted(self.units.items()))},
                          ensure_ascii=False, indent=0)
        (self.staging / MANIFEST).write_text(data, "utf-8")
        if not self.dest.exists():
            os.rename(self.staging, self.dest)
            return
        old = self.dest.parent / f".{self.dest.name}.old-{uuid.uuid4().hex[:12]}"
        if _exchange(self.staging, self.dest):
            os.rename(self.staging, old)  # the staging name now holds the previous output
        else:
            os.rename(self.dest, old)
            os.rename(self.staging, self.dest)
        _remove_later(old)


def _remove_later(path: Path) -> None:
    """Delete the previous output without making the user wait for it: tens of thousands
    of files take seconds to unlink. A detached `rm` does it; if that cannot start, we do."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(path)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


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
