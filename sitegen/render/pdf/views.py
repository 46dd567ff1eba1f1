"""What each PDF template receives: plain, formatted values (see sitegen/render/tables.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sitegen.render.tables import GradeCounts, ItemsView, QuarterRow, RankRow


@dataclass(frozen=True, slots=True)
class Sheet:
    """What every PDF has: title, paper, the issuing organization and date, the data version."""

    path: str
    title: str
    paper: str  # "A4" or "A3"
    landscape: bool
    issuer: str  # e.g. 中共××支部委员会
    date: str  # e.g. 2026年4月8日
    provenance: str


@dataclass(frozen=True, slots=True)
class ItemsPoster:
    sheet: Sheet
    year: int
    intro: str
    items: ItemsView


def first_fit(sheet: Sheet, rows: int, activists: int, most: tuple[int, ...]) -> int:
    """The first `fit` level (style.css: html.fit-N) worth laying a one-page poster out
    at: the first whose `most` — the rows the default theme's poster holds on one A4 page
    at that level in the most favourable case (no 积极分子 table, no 说明, short lines),
    plus one — is not exceeded; a 积极分子 table's heading and header count as two rows
    (measured: they take two to five). A level skipped this way could not have held the
    rows, so the poster still ends at the least dense level that fits (the renderer goes
    denser while the page runs over); this only spares layouts sure to run over. Other
    paper starts at 0."""
    if sheet.paper != "A4":
        return 0
    need = rows + activists + (2 if activists else 0)
    return next((level for level, cap in enumerate(most) if need <= cap), len(most) - 1)


@dataclass(frozen=True, slots=True)
class QuarterPoster:
    sheet: Sheet
    intro: str
    period: str
    objections: str
    rows: tuple[QuarterRow, ...]
    activists: tuple[QuarterRow, ...]

    FIT_ROWS: ClassVar[tuple[int, ...]] = (30, 36, 50, 64)  # measured on A4 portrait, see first_fit

    def first_fit(self) -> int:
        return first_fit(self.sheet, len(self.rows), len(self.activists), self.FIT_ROWS)


@dataclass(frozen=True, slots=True)
class YearEndPoster:
    sheet: Sheet
    intro: str
    period: str
    objections: str
    rows: tuple[RankRow, ...]
    activists: tuple[RankRow, ...]
    exempt: tuple[str, ...]
    counts: GradeCounts

    FIT_ROWS: ClassVar[tuple[int, ...]] = (18, 21, 30, 40)  # measured on A4 landscape, see first_fit

    def first_fit(self) -> int:
        return first_fit(self.sheet, len(self.rows), len(self.activists), self.FIT_ROWS)


@dataclass(frozen=True, slots=True)
class FormLine:
    code: str
    part: str
    name: str
    standard: str
    points: str


@dataclass(frozen=True, slots=True)
class MemberForm:
    """附件1 考核表, filled in for one member."""

    name: str
    status: str
    category: str
    branch: str
    lines: tuple[FormLine, ...]
    parts: tuple[tuple[str, str], ...]  # (part, points after caps)
    total: str
    grade: str
    rating: str
    final: str
    reason: str


@dataclass(frozen=True, slots=True)
class FormsBook:
    sheet: Sheet
    scheme_title: str
    forms: tuple[MemberForm, ...]


@dataclass(frozen=True, slots=True)
class HeadCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True, slots=True)
class FormTable:
    """One table of a report upward, cell for cell the sheet of the same name in its xlsx
    (sitegen.render.xlsx.quarterly.Table): the same heading lines, headers, rows and notes."""

    title: str
    subtitle: str
    unit: str
    leader: str
    recorder: str
    date: str
    head1: tuple[HeadCell, ...]  # first header row (groups, and headers spanning both rows)
    head2: tuple[str, ...]  # second header row
    numeric: tuple[bool, ...]  # right-aligned columns
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]
    widths: tuple[str, ...] = ()  # each column's share of the page width, e.g. "8.50%"
    styles: tuple[str, ...] = ()  # each row's style as in the xlsx: normal, branch-indent, subtotal, total
    annex: str = ""  # e.g. 附件2: which of the policy's forms


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A report upward (各季度积分管理情况): its tables, one after the other."""

    sheet: Sheet
    tables: tuple[FormTable, ...]
