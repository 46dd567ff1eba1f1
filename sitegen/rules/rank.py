"""Ranking with ties: equal keys share a rank and the next rank skips (1, 2, 2, 4)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)


def competition_ranks(keyed: Iterable[tuple[K, tuple[Any, ...]]]) -> dict[K, int]:
    """Ranks for (id, sort_key) pairs, best first by ascending sort_key."""
    ordered = sorted(keyed, key=lambda pair: pair[1])
    ranks: dict[K, int] = {}
    previous: tuple[Any, ...] | None = None
    rank = 0
    for position, (ident, key) in enumerate(ordered, start=1):
        if key != previous:
            rank = position
            previous = key
        ranks[ident] = rank
    return ranks
