"""The lobby screen's progress slide (issue 14) is the committee dashboard: for a fixture
with a branch in every state, at several build dates, the dashboard's late list (late
branches first) and the screen's rows say the same, in Chinese words with the dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitegen.build import build
from tests.render.helpers import soup

BRANCH = "name: 中共测试区{name}委员会\nshort_name: {name}\ncategory: 社区\nleader: 王书记\n"


def add_branch(content: Path, bid: str, name: str, member: str, q1: str | None) -> None:
    """A branch of one member with one 交纳党费 entry; `q1`: its first quarter's record."""
    root = content / "committees/c1/branches" / bid
    (root / "2026/ledger").mkdir(parents=True)
    (root / "branch.yaml").write_text(BRANCH.format(name=name), "utf-8")
    (root / "2026/roster.yaml").write_text(
        f"members:\n  - id: {member}\n    name: 党员{member}\n    status: 正式\n", "utf-8"
    )
    (root / "2026/ledger/q1.yaml").write_text(
        f"entries:\n  - id: {bid}-1\n    date: 2026-01-15\n    item: B02\n    members: 全体\n", "utf-8"
    )
    if q1 is not None:
        (root / "2026/quarters").mkdir()
        (root / "2026/quarters/q1.yaml").write_text(q1, "utf-8")


STEPS = "reviewed: 2026-04-{r}\nfeedback: 2026-04-{f}\nconfirmed: 2026-04-{c}\n"


def every_state(content: Path) -> None:
    """甲 (b1): published 4-7, not reported. 乙 (b2): nothing. 丙: in its 公示 from 1 May
    with a 群众 objection 受理中. 丁: published and reported. 戊: steps taken, its 公示
    scheduled from 10 May."""
    add_branch(
        content,
        "b3",
        "丙支部",
        "M31",
        STEPS.format(r=27, f=28, c=30)
        + "appeals:\n  - id: Q3-1\n    by: 群众\n    filed: 2026-05-03\n    matter: 对第一季度积分有意见\n"
        + "publicity:\n  start: 2026-05-01\n  end: 2026-05-07\n",
    )
    add_branch(
        content,
        "b4",
        "丁支部",
        "M41",
        STEPS.format(r="08", f="09", c="09")
        + "publicity:\n  start: 2026-04-10\n  end: 2026-04-16\nreported: 2026-04-20\n",
    )
    add_branch(
        content,
        "b5",
        "戊支部",
        "M51",
        STEPS.format(r=28, f=29, c=30) + "publicity:\n  start: 2026-05-10\n  end: 2026-05-16\n",
    )


def dashboard_and_screen(content: Path, out: Path, today: date):
    result = build(content, out, quiet=True, cache_dir=None, pdf=False, history=False, today=today)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    table = soup(out / "2026/c/c1/index.html").select_one("table.progress")
    assert table is not None
    board = []
    for tr in table.select("tbody tr"):
        cells = tr.find_all(["th", "td"])
        board.append((cells[0].get_text(strip=True), [c.get_text(" ", strip=True) for c in cells[3:8]]))
    page = soup(out / "screen/c/c1.html")
    screen = {}
    for stage in ("landscape", "portrait"):
        rows = []
        for slide in page.select(f"#stage-{stage} section.slide.progress"):
            for tr in slide.select("tbody tr"):
                tds = tr.find_all("td")
                rows.append(
                    (
                        str(tds[0].contents[0]).strip(),
                        [td.get_text(" ", strip=True) for td in tds[1:]],
                        [" ".join(td.get_attribute_list("class")) for td in tds[1:]],
                    )
                )
        screen[stage] = rows
    assert screen["landscape"] == screen["portrait"]
    return board, screen["landscape"], page


def test_the_late_list_and_the_screen_at_several_dates(mini, tmp_path):
    every_state(mini)

    # 5 May: 乙 is 5 days past 30 April, and so is 戊, whose 公示 is set for after it: they
    # come first; the others in their order
    board, screen, page = dashboard_and_screen(mini, tmp_path / "a", date(2026, 5, 5))
    assert [name for name, _ in board] == ["乙支部", "戊支部", "甲支部", "丙支部", "丁支部"]
    q1 = {name: cells[0] for name, cells in board}
    assert q1 == {
        "乙支部": "未公示，逾期 5 天 期限 4月30日",
        "甲支部": "已公示，待报备 公示 4月7日–4月13日",
        "丙支部": "公示中；申辩受理中 1 件 公示 5月1日–5月7日（逾期 1 天公示）",
        "丁支部": "已公示、已报备 公示 4月10日–4月16日，报备 4月20日",
        "戊支部": "待公示，逾期 5 天 定于 5月10日 起公示，期限 4月30日",
    }
    # the screen: the same branches in the same order, the same words and dates, each cell's
    # state; a late cell also lists the steps already taken
    taken = "；已汇总审核 4月28日，逐人反馈 4月29日，确认 4月30日"
    assert [(name, cells[0]) for name, cells, _ in screen] == [
        (name, q1[name] + (taken if name == "戊支部" else "")) for name, _ in board
    ]
    assert [states[0] for _, _, states in screen] == ["late", "late", "open", "open", "done"]
    assert "截至2026年5月5日，2 个支部逾期，排在前面" in page.get_text()
    assert "✓" not in page.get_text()
    assert [cells[1] for _, cells, _ in screen] == ["—"] * 5  # the second quarter is under way

    # 20 May: 戊 is in its 公示 no more, 丙's objection still 受理中 after its 公示
    board, screen, _ = dashboard_and_screen(mini, tmp_path / "b", date(2026, 5, 20))
    assert [name for name, _ in board][0] == "乙支部"
    q1 = {name: cells[0] for name, cells in board}
    assert q1["乙支部"] == "未公示，逾期 20 天 期限 4月30日"
    assert q1["丙支部"] == "已公示，待报备；申辩受理中 1 件 公示 5月1日–5月7日（逾期 1 天公示）"
    assert q1["戊支部"] == "已公示，待报备 公示 5月10日–5月16日（逾期 10 天公示）"
    assert [(n, c[0]) for n, c, _ in screen] == [(n, q1[n]) for n, _ in board]

    # 5 August: every second quarter is 6 days late (30 July); 乙 is the latest (97 days) and first
    board, screen, page = dashboard_and_screen(mini, tmp_path / "c", date(2026, 8, 5))
    assert [name for name, _ in board] == ["乙支部", "甲支部", "丙支部", "丁支部", "戊支部"]
    assert all(cells[1] == "未公示，逾期 6 天 期限 7月30日" for _, cells in board)
    assert dict(board)["乙支部"][0] == "未公示，逾期 97 天 期限 4月30日"
    assert [states[:2] for _, _, states in screen] == [["late", "late"]] + [
        [s, "late"] for s in ("open", "open", "done", "open")
    ]
    assert "5 个支部逾期" in page.get_text()

    # 15 January next year: every year end is late (10 January)
    board, screen, _ = dashboard_and_screen(mini, tmp_path / "d", date(2027, 1, 15))
    assert all(cells[4] == "未评定，逾期 5 天 期限 1月10日" for _, cells in board)
    assert all(cells[4] == "未评定，逾期 5 天 期限 1月10日" and states[4] == "late" for _, cells, states in screen)
