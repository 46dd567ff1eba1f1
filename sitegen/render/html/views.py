"""View models: what each template receives, already computed and formatted.

Templates do no arithmetic and no lookups: every number is a string here, every link
an href relative to the page. Views are frozen dataclasses, so a page's view can be
hashed to decide whether the page needs rendering again.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass

from sitegen.model import compiled
from sitegen.render import tables
from sitegen.render.tables import GradeCounts, ItemRow, ItemsView, QuarterRow, RankRow, RankTable  # noqa: F401


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True, slots=True)
class Page:
    """What every page has: where it is, its title, the way back up, the footer."""

    path: str
    title: str
    root: str  # relative prefix to the site root
    crumbs: tuple[Link, ...]
    site_name: str
    provenance: str
    extra_css: bool = False


@dataclass(frozen=True, slots=True)
class StepCell:
    """One quarter (or the year end) of a branch on the committee's dashboard: what it
    says, and its state — done, open (公示 under way, appeals 受理中, 报备 awaited),
    late (past its deadline) or todo (not due yet)."""

    text: str
    state: str
    note: str = ""  # the 公示 and 报备 dates, or the deadline
    steps: str = ""  # every step's date, for those who look closer (a tooltip)
    late: int = 0  # days past the deadline (state late)


@dataclass(frozen=True, slots=True)
class Progress:
    """One branch's progress through the year, as the district and committee pages show it:
    each step's date and deadline as of the build's date, lateness first."""

    branch: Link
    category: str
    items: str  # "1月20日通报" or "未通报"
    quarters: tuple[StepCell, ...]
    year_end: StepCell
    counts: GradeCounts | None
    late: int = 0  # the most days any step is late (0: none): late branches come first

    @property
    def steps(self) -> tuple[StepCell, ...]:
        return (*self.quarters, self.year_end)


@dataclass(frozen=True, slots=True)
class StatsRow:
    name: str
    href: str
    counts: GradeCounts


@dataclass(frozen=True, slots=True)
class AppealRow:
    id: str
    about: str
    filed: str
    outcome: str
    decided: str
    correction: str


@dataclass(frozen=True, slots=True)
class QuarterView:
    anchor: str
    title: str
    publicity: str
    scope: str
    contact: str
    confirmed: str
    rows: tuple[QuarterRow, ...]
    activists: tuple[QuarterRow, ...]
    appeals: tuple[AppealRow, ...]
    others: tuple[str, ...] = ()  # listed in the quarter without points: exempt, floated out


@dataclass(frozen=True, slots=True)
class YearEndView:
    publicity: str
    assessed: str
    members: RankTable
    activists: RankTable
    counts: GradeCounts
    ungraded: tuple[str, ...] = ()  # scored here during the year, not graded here (with why)


@dataclass(frozen=True, slots=True)
class NoticeLink:
    title: str
    date: str
    href: str


@dataclass(frozen=True, slots=True)
class HomeView:
    page: Page
    year: int
    district: str
    organization: str
    committees: tuple[tuple[Link, GradeCounts, tuple[Progress, ...]], ...]
    counts: GradeCounts
    rankings: tuple[Link, ...]
    notices: tuple[NoticeLink, ...]
    years: tuple[Link, ...]
    downloads: tuple[Link, ...] = ()
    screens: tuple[tuple[Link, tuple[Link, ...]], ...] = ()  # each committee's lobby screen, its branches'


@dataclass(frozen=True, slots=True)
class CommitteeView:
    page: Page
    year: int
    name: str
    leader: str
    progress: tuple[Progress, ...]
    stats: tuple[StatsRow, ...]
    total: GradeCounts
    rankings: tuple[RankTable, ...]
    notices: tuple[NoticeLink, ...]
    years: tuple[Link, ...]
    downloads: tuple[Link, ...] = ()
    change_log: Link | None = None  # its change index (with a history only)


@dataclass(frozen=True, slots=True)
class BranchView:
    page: Page
    year: int
    name: str
    committee: Link
    category: str
    leader: str
    general_branch: str
    current: str  # a sentence naming the latest published period
    current_href: str
    items: ItemsView
    quarters: tuple[QuarterView, ...]  # newest first
    year_end: YearEndView | None
    notices: tuple[NoticeLink, ...]
    years: tuple[Link, ...]
    downloads: tuple[Link, ...] = ()  # printable PDFs of this board
    exempt: tuple[str, ...] = ()  # names only: the reason is restricted
    floating_out: tuple[tuple[str, str], ...] = ()  # (name, where they are scored)
    floating_in: tuple[tuple[str, str], ...] = ()  # (name, where they come from)
    changes: tuple[tuple[str, str], ...] = ()  # (name, what changed in the year, with dates)
    change_log: Link | None = None  # the branch's change log (built with a history only)


@dataclass(frozen=True, slots=True)
class LineRow:
    """One activity on a member's page: what it was (the entry's public note, or the item's
    name when there is none), its points, where it came from, and in words whether a cap
    or a correction changed what it counts."""

    date: str
    entry: str
    item: str
    part: str
    points: str
    source: str
    evidence: str
    correction: str  # "" or a sentence: 更正 E02（理由）
    reversal: bool = False
    title: str = ""  # the note, or the item's name
    remark: str = ""  # "" or a cap's effect: 本项全年已达上限 12 分，本次不计分
    uncounted: bool = False  # the cap left nothing of it


@dataclass(frozen=True, slots=True)
class ScoreCard:
    """The top of a member's page: the year's points so far, the parts, the rank, the grade."""

    label: str  # 年度积分 / 截至第三季度累计积分
    total: str
    parts: tuple[tuple[str, str], ...]  # (基础积分, 40) …
    rank: str  # 第 3 名（共 12 人） or ""
    rank_label: str
    grade: str = ""  # the 评定等次, once the year end is published
    quarters: tuple[tuple[str, str, str], ...] = ()  # (第一季度, 累计 22, 第 3 名（共 12 人）)


@dataclass(frozen=True, slots=True)
class MemberQuarterRow:
    quarter: str
    points: tuple[str, str, str]
    ytd: tuple[str, str, str]
    total: str
    rank: str


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change in the audit trail: when it reached the main line, who wrote it, the
    commit, the merge (pull request) that brought it and who merged it, and what changed."""

    date: str
    author: str
    subject: str
    commit: str
    merge: str
    what: str
    branch: Link | None = None


@dataclass(frozen=True, slots=True)
class MemberView:
    page: Page
    year: int
    name: str
    status: str
    branch: Link
    role_note: str
    quarters: tuple[MemberQuarterRow, ...]
    lines: tuple[LineRow, ...]
    annual: tuple[tuple[str, str], ...]  # (label, value) once the year end is recorded
    vetoed: bool
    changes: tuple[ChangeRow, ...] = ()
    history_note: str = ""  # why there is no change history, when there is none
    card: ScoreCard | None = None  # None: no quarter published yet
    membership: tuple[str, ...] = ()  # dated joining, leaving, status changes in the year
    ungraded: str = ""  # why this branch does not grade the member this year


@dataclass(frozen=True, slots=True)
class RankingView:
    page: Page
    year: int
    category: str
    others: tuple[Link, ...]
    table: RankTable
    final: bool


@dataclass(frozen=True, slots=True)
class ChangeCount:
    """A branch on the change log's index: its change log, how many changes it shows and
    the day of the latest."""

    branch: Link
    count: int
    latest: str  # '' when there is none


@dataclass(frozen=True, slots=True)
class ChangeCommittee:
    """A committee on the change log's index: its change index, how many branches and
    changes it has and the day of its latest change."""

    committee: Link
    branches: int
    count: int  # its branches' changes
    latest: str  # '' when there is none


@dataclass(frozen=True, slots=True)
class ChangesView:
    """变更记录 (changes.html): one row per committee (never per branch), and the latest
    changes across the district, a few per branch at most (bounded)."""

    page: Page
    note: str
    committees: tuple[ChangeCommittee, ...]
    latest: tuple[ChangeRow, ...] = ()  # newest first, each with its branch
    per_branch: int = 0  # at most this many of one branch among `latest`


@dataclass(frozen=True, slots=True)
class CommitteeChangesView:
    """A committee's change index (changes/c/<id>/): its branches with their change counts,
    and its latest changes, a few per branch at most."""

    page: Page
    name: str
    board: Link | None  # the committee's page (its latest year)
    count: int
    note: str
    branches: tuple[ChangeCount, ...]
    latest: tuple[ChangeRow, ...] = ()
    per_branch: int = 0


@dataclass(frozen=True, slots=True)
class ChangeQuarter:
    """The changes to one quarter's ledger shown on one page of a branch's change log."""

    title: str  # 2026年第三季度
    anchor: str  # y2026q3
    rows: tuple[ChangeRow, ...]
    continued: bool = False  # the quarter began on an earlier page


@dataclass(frozen=True, slots=True)
class BranchChangesView:
    """One page of a branch's change log: every year's changes, by quarter (the latest
    first), at most a page's worth of rows; `contents` says on which page each quarter is."""

    page: Page
    name: str
    board: Link  # the branch's board (its latest year)
    committee: str
    total: int
    note: str
    quarters: tuple[ChangeQuarter, ...]
    contents: tuple[tuple[Link, int], ...]  # every quarter: where it starts, how many changes
    number: int = 1  # this page's number
    pages: int = 1
    prev: Link | None = None
    next: Link | None = None


@dataclass(frozen=True, slots=True)
class ArchiveView:
    page: Page
    years: tuple[tuple[Link, str], ...]


@dataclass(frozen=True, slots=True)
class NoticeView:
    page: Page
    title: str
    date: str
    issuer: str
    body: str  # sanitized HTML
    back: Link


def _quick_reprs(*modules) -> None:
    """Every view's repr is its file's inputs key (sitegen.render.run), worked out for every
    file of every build. Each dataclass here gets the __repr__ `dataclasses` writes for it —
    the same text — without its guard against a view containing itself (`reprlib.
    recursive_repr`, a thread lookup and a set for every object): views are trees."""
    for module in modules:
        for cls in list(vars(module).values()):
            generated = getattr(cls, "__repr__", None)
            if not (
                isinstance(cls, type)
                and dataclasses.is_dataclass(cls)
                and cls.__module__ == module.__name__
                and "__repr__" in cls.__dict__
                and hasattr(generated, "__wrapped__")  # the one dataclasses made (not a hand-written repr)
            ):
                continue
            body = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in dataclasses.fields(cls) if f.repr)
            namespace: dict = {}
            compiled.run(f'def __repr__(self):\n    return self.__class__.__qualname__ + f"({body})"', namespace)
            namespace["__repr__"].__qualname__ = f"{cls.__qualname__}.__repr__"
            cls.__repr__ = namespace["__repr__"]  # type: ignore[method-assign]


_quick_reprs(sys.modules[__name__], tables)
