"""A unit of output: one file to produce, by which renderer, from which template and view."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class JobKind(str, Enum):
    """Which renderer makes a file."""

    HTML = "html"  # a Jinja template of the theme
    PDF = "pdf"  # WeasyPrint, from a theme template
    XLSX = "xlsx"  # openpyxl, from a 统计表 report


@dataclass(frozen=True)
class RenderJob:
    """`view` is the frozen view model the renderer is given, and so everything the file
    shows: its repr is the file's inputs key (with the template, the theme's and the
    fonts' fingerprints and sitegen's version). Nothing else may reach the file."""

    template: str
    view: object
    path: str  # where the file goes, relative to the output folder
    kind: JobKind = JobKind.HTML
