"""Parsed files cached by content hash.

A file's parse result depends only on its kind, its path (positions name it) and its
bytes, and on sitegen's own loader and model code; the key covers all of these, so a
cache entry can never be stale. Entries are pickles under $XDG_CACHE_HOME/sitegen.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

import sitegen


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code that shapes parse results (loader, model, problems)."""
    root = Path(sitegen.__file__).parent
    h = hashlib.sha256()
    for sub in ("load", "model"):
        for path in sorted((root / sub).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    h.update((root / "problems.py").read_bytes())
    return h.hexdigest()[:16]


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sitegen" / "parsed"


class ParseCache:
    def __init__(self, directory: Path | None):
        self.directory = directory
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(kind: str, path: str, content_sha256: str) -> str:
        h = hashlib.sha256()
        for part in (code_fingerprint(), kind, path, content_sha256):
            h.update(part.encode())
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> object:
        """The value stored under `key` (None: not stored, or unreadable)."""
        if self.directory is None:
            return None
        try:
            with open(self.directory / key[:2] / key, "rb") as f:
                value = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        if self.directory is None:
            return
        folder = self.directory / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / key)
        except OSError:
            pass  # a cache that cannot be written only makes the next run slower
