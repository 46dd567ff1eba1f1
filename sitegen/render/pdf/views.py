"""What each PDF template receives: plain, formatted values (see sitegen/render/tables.py)."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class QuarterPoster:
    sheet: Sheet
    intro: str
    period: str
    objections: str
    rows: tuple[QuarterRow, ...]
    activists: tuple[QuarterRow, ...]


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
