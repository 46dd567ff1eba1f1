"""What a lobby screen page receives: slides already split to fit, for both orientations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Slide:
    kind: str  # honour, ranking, items, notices, progress, stats
    title: str
    subtitle: str = ""
    head: tuple[str, ...] = ()  # table header, when the slide is a table
    rows: tuple[tuple[str, ...], ...] = ()
    names: tuple[str, ...] = ()  # a grid of names (光荣榜)
    paragraphs: tuple[tuple[str, str], ...] = ()  # (heading, text) pairs (notices)
    notes: tuple[tuple[str, ...], ...] = ()  # a smaller second line under each cell (progress: the dates)
    states: tuple[tuple[str, ...], ...] = ()  # each cell's state (progress: done, open, late, todo)


@dataclass(frozen=True, slots=True)
class ScreenView:
    path: str
    root: str
    title: str  # the organization shown in the header
    data_time: str  # 数据更新时间: the data version's date, never the clock
    interval: int
    hours: str
    landscape: tuple[Slide, ...]
    portrait: tuple[Slide, ...]
