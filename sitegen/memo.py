"""What a long-running process keeps between two checks of the same content folder.

`sitegen serve` checks the whole district again after every save. Almost nothing has
changed: one file, so one branch. A :class:`Memo` lets every stage skip the work whose
inputs are the very same objects as last time — a file's parse (same path and bytes),
a branch's assembled year, its effective scheme, its score, its checks. Unchanged files
keep their parsed objects, so everything derived from them keeps its identity too, and
a save costs the one branch it touches plus the few district-wide steps (ranks across
branches, the rosters' cross-checks).

Inputs are compared by identity (`is`), which is exact for the immutable model objects:
the memo holds on to them, so an id can never be reused by a different object. Plain
values (strings, numbers, dates, and tuples of them) are compared by equality; a tuple
compares its items by identity first, so a tuple of unchanged model objects is cheap.
The batch commands (`check`, `build`) use :data:`NO_MEMO`, which always computes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar, cast

T = TypeVar("T")
MISSING = object()
_PLAIN = (str, int, float, bool, bytes, date, Enum, type(None), tuple, frozenset)


def _same(a: object, b: object) -> bool:
    if a is b:
        return True
    return isinstance(a, _PLAIN) and type(a) is type(b) and a == b


class Memo:
    def __init__(self) -> None:
        self._store: dict[tuple[Any, ...], tuple[tuple[Any, ...], object]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...], inputs: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()`, or its last result for `key` if `inputs` are the same as then."""
        value = self.lookup(key, inputs)
        if value is MISSING:
            value = compute()
            self.put(key, inputs, value)
        return cast(T, value)  # what compute() returned for this key, then or now

    def lookup(self, key: tuple[Any, ...], inputs: tuple[Any, ...]) -> Any:
        """The remembered result for `key` if `inputs` are the same as then, else MISSING.
        (Any: what the caller put under `key`; `get` types it by its `compute`.)"""
        hit = self._store.get(key)
        if hit is not None and len(hit[0]) == len(inputs) and all(_same(a, b) for a, b in zip(hit[0], inputs)):
            self.hits += 1
            return hit[1]
        self.misses += 1
        return MISSING

    def put(self, key: tuple[Any, ...], inputs: tuple[Any, ...], value: object) -> None:
        self._store[key] = (inputs, value)


class _NoMemo(Memo):
    def lookup(self, key: tuple[Any, ...], inputs: tuple[Any, ...]) -> Any:
        return MISSING

    def put(self, key: tuple[Any, ...], inputs: tuple[Any, ...], value: object) -> None:
        pass


NO_MEMO: Memo = _NoMemo()
