"""The committee's dashboard (issue 14): every branch's steps and deadlines as of the
build's date, late branches first, on the committee and district pages."""

from __future__ import annotations

from datetime import date

from sitegen.build import build
from tests.render.helpers import soup

Q1_B1 = "committees/c1/branches/b1/2026/quarters/q1.yaml"


def rows(content, out, today):
    result = build(content, out, quiet=True, cache_dir=None, pdf=False, history=False, today=today)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    page = soup(out / "2026/c/c1/index.html")
    table = page.select_one("table.progress")
    out_rows = []
    for tr in table.select("tbody tr"):
        cells = tr.find_all(["th", "td"])
        out_rows.append(
            (cells[0].get_text(strip=True), [(c.get("class")[-1], c.get_text(" ", strip=True)) for c in cells[3:8]])
        )
    return out_rows, page


def test_the_dashboard_through_the_year(mini, tmp_path):
    # 10 April: b1's first quarter is in its 公示; b2's is not published but not yet due
    found, page = rows(mini, tmp_path / "a", date(2026, 4, 10))
    assert [name for name, _ in found] == ["甲支部", "乙支部"]
    b1, b2 = dict(found)["甲支部"], dict(found)["乙支部"]
    assert b1[0] == ("open", "公示中 公示 4月7日–4月13日")
    assert b2[0] == ("todo", "未公示 期限 4月30日") and b2[1] == ("todo", "—")
    assert page.select_one("table.progress caption") is not None

    # 5 May: b2 is five days late and comes first; b1 awaits its 报备
    found, _ = rows(mini, tmp_path / "b", date(2026, 5, 5))
    assert [name for name, _ in found] == ["乙支部", "甲支部"]
    assert dict(found)["乙支部"][0] == ("late", "未公示，逾期 5 天 期限 4月30日")
    assert dict(found)["甲支部"][0][:2] == ("open", "已公示，待报备 公示 4月7日–4月13日")

    # b1 reports to its committee and records its second quarter's 公示 ahead of time
    (mini / Q1_B1).write_text((mini / Q1_B1).read_text("utf-8") + "reported: 2026-04-15\n", "utf-8")
    (mini / "committees/c1/branches/b1/2026/quarters/q2.yaml").write_text(
        "reviewed: 2026-07-01\nfeedback: 2026-07-02\nconfirmed: 2026-07-06\n"
        "publicity:\n  start: 2026-07-20\n  end: 2026-07-26\n",
        "utf-8",
    )
    found, _ = rows(mini, tmp_path / "c", date(2026, 7, 10))
    b1 = dict(found)["甲支部"]
    assert b1[0] == ("done", "已公示、已报备 公示 4月7日–4月13日，报备 4月15日")
    assert b1[1] == ("open", "待公示 定于 7月20日 起公示")
    assert b1[4] == ("todo", "—")  # the year end is not due in July

    # after 10 January the year end is late everywhere
    found, _ = rows(mini, tmp_path / "d", date(2027, 1, 15))
    assert all(cells[4] == ("late", "未评定，逾期 5 天 期限 1月10日") for _, cells in found)


def test_the_committees_own_filing_record(mini, tmp_path):
    """The committee records its 审核备案 in its own file; the dashboard then says which
    reported quarters await it."""
    record = mini / Q1_B1
    record.write_text(record.read_text("utf-8") + "reported: 2026-04-15\n", "utf-8")
    filings = mini / "committees/c1/filings/2026.yaml"
    filings.parent.mkdir()
    filings.write_text("filings:\n  - branch: b2\n    quarter: 1\n    filed: 2026-05-01\n", "utf-8")
    from sitegen.check import check

    [p] = check(mini, today=date(2026, 5, 5), cache_dir=None).errors
    assert p.code == "E505" and p.pos.file == "committees/c1/filings/2026.yaml" and "还没有公示报备" in p.message
    filings.write_text("filings:\n  - branch: b1\n    quarter: 1\n    filed: 2026-04-14\n", "utf-8")
    [p] = check(mini, today=date(2026, 5, 5), cache_dir=None).errors
    assert p.code == "E505" and "早于支部报备" in p.message
    filings.write_text("# 第一工委的审核备案\nfilings:\n", "utf-8")
    found, _ = rows(mini, tmp_path / "a", date(2026, 5, 5))
    assert dict(found)["甲支部"][0] == ("open", "已报备，待党(工)委备案 公示 4月7日–4月13日，报备 4月15日")
    filings.write_text("filings:\n  - branch: b1\n    quarter: 1\n    filed: 2026-04-20\n", "utf-8")
    found, _ = rows(mini, tmp_path / "b", date(2026, 5, 5))
    assert dict(found)["甲支部"][0] == ("done", "已报备、已备案 公示 4月7日–4月13日，报备 4月15日，备案 4月20日")


def test_a_publicity_set_or_started_after_its_deadline_shows_as_late(mini, tmp_path):
    """A 公示 scheduled after the quarter's deadline (30 July for the second quarter) is
    late before it starts — already in red while it is not yet overdue — and once it has
    started it still says how many days late it began."""
    (mini / "committees/c1/branches/b1/2026/quarters/q2.yaml").write_text(
        "reviewed: 2026-07-20\nfeedback: 2026-07-22\nconfirmed: 2026-07-28\n"
        "publicity:\n  start: 2026-08-03\n  end: 2026-08-09\n",
        "utf-8",
    )
    found, _ = rows(mini, tmp_path / "a", date(2026, 7, 29))
    assert dict(found)["甲支部"][1] == ("late", "待公示，晚于期限 定于 8月3日 起公示，期限 7月30日")
    found, _ = rows(mini, tmp_path / "b", date(2026, 8, 1))
    assert dict(found)["甲支部"][1] == ("late", "待公示，逾期 2 天 定于 8月3日 起公示，期限 7月30日")
    found, _ = rows(mini, tmp_path / "c", date(2026, 8, 20))
    assert dict(found)["甲支部"][1] == ("open", "已公示，待报备 公示 8月3日–8月9日（逾期 4 天公示）")
