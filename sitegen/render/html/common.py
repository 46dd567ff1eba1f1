"""Pieces of view models shared by several pages."""

from __future__ import annotations

from sitegen.model.ledger import Notice
from sitegen.model.scored import BranchYearResult
from sitegen.render import format as fmt
from sitegen.render.html import urls
from sitegen.render.html.views import Link, NoticeLink, Page, Progress
from sitegen.render.tables import counts



class Context:
    """Site-wide facts every page builder needs (not per-page state)."""

    def __init__(self, site_name: str, provenance: str, years: tuple[int, ...], extra_css: bool, pdf: bool = False,
                 report_date=None):
        self.pdf = pdf  # PDFs are being made: pages link to them
        self.history = None  # sitegen.history.History, when the build shows the audit trail
        self.history_note = ""  # why there is none
        self.report_date = report_date  # the date on 统计表: the data version's, never the clock
        self.site_name = site_name
        self.provenance = provenance
        self.years = years
        self.extra_css = extra_css

    def page(self, path: str, title: str, crumbs: tuple[tuple[str, str], ...] = ()) -> Page:
        root = urls.root_of(path)
        links = (Link("首页", root + urls.home()),) + tuple(Link(text, root + target) for text, target in crumbs)
        return Page(path=path, title=title, root=root, crumbs=links, site_name=self.site_name,
                    provenance=self.provenance, extra_css=self.extra_css)

    def year_links(self, path: str, target) -> tuple[Link, ...]:
        root = urls.root_of(path)
        return tuple(Link(f"{y}年", root + target(y)) for y in reversed(self.years))





def progress(result: BranchYearResult, name: str, root: str) -> Progress:
    scheme = result.scheme
    items = f"{fmt.short_day(scheme.announced)}通报" if scheme.announced else "未通报"
    quarters = tuple(("一二三四"[q.quarter - 1], q.published) for q in result.quarters)
    return Progress(branch=Link(name, root + urls.branch(result.year, result.branch_id)),
                    category=result.category.value, items=items, quarters=quarters,
                    year_end=result.year_end_done, counts=counts(result.stats) if result.year_end_done else None)


def notice_links(notices: tuple[Notice, ...], year: int, root: str, cid: str = "", bid: str = "") -> tuple[NoticeLink, ...]:
    return tuple(NoticeLink(title=n.title, date=fmt.day(n.date), href=root + urls.notice(year, n.slug, cid, bid))
                 for n in notices if n.date.year == year)


def download_links(ctx: Context, docs, root: str, sheets=()) -> tuple[Link, ...]:
    """Links to the printable documents (PDFs, when this build makes them) and spreadsheets."""
    shown = (tuple(docs) if ctx.pdf else ()) + tuple(sheets)
    return tuple(Link(d.label, root + d.path) for d in shown)


def change_row(change, what: str, branch: Link | None = None):
    """A row of the audit trail from a sitegen.history Change (dates are the main line's)."""
    from sitegen.render.html.views import ChangeRow

    merge = f"{change.merge.short}（{change.merger} 合并）" if change.merge else "直接提交"
    return ChangeRow(date=fmt.day(change.landed.date()), author=change.commit.author, subject=change.commit.subject,
                     commit=change.commit.short, merge=merge, what=what, branch=branch)
