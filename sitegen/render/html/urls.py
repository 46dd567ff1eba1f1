"""Where every page lives in the output, and relative links between pages.

Every link is relative (computed from the linking page's depth), so the site works
under any sub-path and opened straight from disk over file://.
"""

from __future__ import annotations


def home() -> str:
    return "index.html"


def archive() -> str:
    return "archive.html"


def changes() -> str:
    return "changes.html"


def year_home(year: int) -> str:
    return f"{year}/index.html"


def rankings(year: int, category_slug: str) -> str:
    return f"{year}/rankings/{category_slug}.html"


def committee(year: int, cid: str) -> str:
    return f"{year}/c/{cid}/index.html"


def branch(year: int, bid: str) -> str:
    return f"{year}/b/{bid}/index.html"


def member(year: int, bid: str, mid: str) -> str:
    return f"{year}/b/{bid}/m/{mid}.html"


def notice(year: int, slug: str, cid: str = "", bid: str = "") -> str:
    if bid:
        return f"{year}/b/{bid}/notices/{slug}.html"
    if cid:
        return f"{year}/c/{cid}/notices/{slug}.html"
    return f"{year}/notices/{slug}.html"


def root_of(page: str) -> str:
    """The relative prefix from `page` back to the site root ('' at the top)."""
    return "../" * page.count("/")


CATEGORY_SLUGS = {"机关": "jiguan", "社区": "shequ", "学校": "xuexiao", "两新": "liangxin"}
