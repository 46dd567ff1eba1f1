"""Each branch's part of an aggregate, remembered between builds (issue 17).

An aggregate over every branch (the district's 统计表（二）: every member's row; the
change log's index: each branch's count and latest changes) made again after an edit of
one branch would make the part of each of the other branches again. Here each part is
kept under its name with the key of what it is made from (a report's rows: the branch
unit's inputs key, which covers sitegen's code, its files and what the build's date and
the other branches change in its results; the changes: the branch's published quarters
and the commits behind its changes): a part whose key is the same is used as it is, any
other is made again. So a wrong part needs a wrong key, as a wrong page does.

The parts of a kind are spread over SHARDS files in the cache folder
(pieces/<kind>/<n>.pickle, by a hash of the part's name), so that one branch's new part
rewrites a thirty-second of them; each file is written whole and atomically (a temporary
file renamed into place) when one of its parts was made; a file cut short, of another
format, another kind or shard or another sitegen version is ignored (its parts are made
again). Without a cache folder nothing is kept.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sitegen import __version__
from sitegen.load.cache import _dumps, _write_atomically

FORMAT = 3  # 3: frozen dataclasses written as their fields (sitegen.load.cache._dumps)
SHARDS = 32
T = TypeVar("T")


def _shard(name: str) -> int:
    """Which of the SHARDS files keeps the part `name`."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % SHARDS


class Pieces:
    """The parts of one kind, each shard read when first asked for, saved by :meth:`save`."""

    def __init__(self, folder: Path | None, kind: str):
        self.folder = folder / "pieces" / kind if folder is not None else None
        self.kind = kind
        self._shards: dict[int, dict[str, tuple[str, object]]] = {}
        self._changed: set[int] = set()
        self._new: dict[str, tuple[str, object]] = {}  # parts made here since `drain` last took them
        self.made = 0  # parts made in this process (tests count them)
        self.reused = 0  # parts found with their key

    def get(self, name: str, key: str, make: Callable[[], T]) -> T:
        """The part `name` made from `key`: the kept one if its key is `key`, else `make()`."""
        shard = _shard(name)
        items = self._read(shard)
        found = items.get(name)
        if found is not None and found[0] == key:
            self.reused += 1
            return found[1]  # type: ignore[return-value]
        value = make()
        items[name] = self._new[name] = (key, value)
        self._changed.add(shard)
        self.made += 1
        return value

    def drain(self) -> dict[str, tuple[str, object]]:
        """The parts made here since the last drain (a forked render worker hands them to
        the process that saves: one writer, each shard written once a build)."""
        new, self._new = self._new, {}
        return new

    def absorb(self, parts: dict[str, tuple[str, object]]) -> None:
        """Parts another process made (`drain`), to be saved with this one's."""
        for name, part in parts.items():
            shard = _shard(name)
            self._read(shard)[name] = part
            self._changed.add(shard)

    def save(self) -> None:
        """Write the shards in which a part was made (a part no longer asked for stays
        until its name is asked for again: a branch that comes back finds it, under its key)."""
        if self.folder is None:
            return
        for shard in sorted(self._changed):
            data = {"format": FORMAT, "kind": self.kind, "shard": shard, "version": __version__}
            data["items"] = self._shards[shard]
            if _write_atomically(self.folder / f"{shard}.pickle", _dumps(data)):
                self._changed.discard(shard)

    def _read(self, shard: int) -> dict[str, tuple[str, object]]:
        if shard not in self._shards:
            self._shards[shard] = {}
            if self.folder is not None:
                try:
                    with open(self.folder / f"{shard}.pickle", "rb") as f:
                        data = pickle.load(f)
                except Exception:  # missing, cut short, another entry's bytes: made again
                    return self._shards[shard]
                if (
                    isinstance(data, dict)
                    and data.get("format") == FORMAT
                    and data.get("kind") == self.kind
                    and data.get("shard") == shard
                    and data.get("version") == __version__
                    and isinstance(data.get("items"), dict)
                    and all(
                        isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in data["items"].values()
                    )
                ):
                    self._shards[shard] = data["items"]
        return self._shards[shard]
