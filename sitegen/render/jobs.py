"""A unit of output: one file to produce, by which renderer, from which template and view."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderJob:
    template: str
    view: object  # a frozen view model: its repr is part of the file's inputs key
    path: str  # where the file goes, relative to the output folder
    kind: str = "html"  # "html", "pdf" or "xlsx"
    key: str = ""  # the file's inputs, when they are not simply the view (xlsx: the unit's inputs)
