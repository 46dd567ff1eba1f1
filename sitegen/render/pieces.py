"""Each branch's part of an aggregate, remembered between builds (issue 17).

An aggregate over every branch (the district's 统计表（二）: every member's row; the
change log's index: each branch's count and latest changes) made again after an edit of
one branch would make the part of each of the other branches again. Here each part is
kept under its name with the key of what it is made from (a report's rows: the branch
unit's inputs key, which covers sitegen's code, its files and what the build's date and
the other branches change in its results; the changes: the branch's published quarters
and the commits behind its changes): a part whose key is the same is used as it is, any
other is made again. So a wrong part needs a wrong key, as a wrong page does.

One file per kind of part in the cache folder (pieces/<kind>.pickle), written whole and
atomically (a temporary file renamed into place) when a part was made; a file cut short,
of another format, another kind or another sitegen version is ignored (every part is
made again). Without a cache folder nothing is kept.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sitegen import __version__
from sitegen.load.cache import _write_atomically

FORMAT = 1
T = TypeVar("T")


class Pieces:
    """The parts of one kind, read when first asked for, saved by :meth:`save`."""

    def __init__(self, folder: Path | None, kind: str):
        self.path = folder / "pieces" / f"{kind}.pickle" if folder is not None else None
        self.kind = kind
        self._items: dict[str, tuple[str, object]] | None = None
        self._changed = False
        self.made = 0  # parts made in this process (tests count them)
        self.reused = 0  # parts found with their key

    def get(self, name: str, key: str, make: Callable[[], T]) -> T:
        """The part `name` made from `key`: the kept one if its key is `key`, else `make()`."""
        items = self._read()
        found = items.get(name)
        if found is not None and found[0] == key:
            self.reused += 1
            return found[1]  # type: ignore[return-value]
        value = make()
        items[name] = (key, value)
        self._changed = True
        self.made += 1
        return value

    def save(self) -> None:
        """Write the parts if one was made (a part no longer asked for stays until its name
        is asked for again: a branch that comes back finds it, under its key)."""
        if self.path is None or not self._changed or self._items is None:
            return
        data = {"format": FORMAT, "kind": self.kind, "version": __version__, "items": self._items}
        if _write_atomically(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)):
            self._changed = False

    def _read(self) -> dict[str, tuple[str, object]]:
        if self._items is None:
            self._items = {}
            if self.path is not None:
                try:
                    with open(self.path, "rb") as f:
                        data = pickle.load(f)
                except Exception:  # missing, cut short, another entry's bytes: made again
                    return self._items
                if (
                    isinstance(data, dict)
                    and data.get("format") == FORMAT
                    and data.get("kind") == self.kind
                    and data.get("version") == __version__
                    and isinstance(data.get("items"), dict)
                    and all(
                        isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in data["items"].values()
                    )
                ):
                    self._items = data["items"]
        return self._items
