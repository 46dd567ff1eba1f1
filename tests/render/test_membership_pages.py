"""Pages show membership over time: each quarter lists only the members it had, the board
and the member page say who joined, left or changed status and when — neutrally."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.render.helpers import build_ok, soup, table_rows
from tests.support import B1_2026, MINI

ROSTER = f"{B1_2026}/roster.yaml"
QUARTER_Q2 = f"{B1_2026}/quarters/q2.yaml"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The mini district with Q1 and Q2 published, a member who joined on 15 May (转入), one
    who left the party on 2 March (出党), one admitted on 1 June (积极分子 → 预备)."""
    content = tmp_path_factory.mktemp("members") / "content"
    shutil.copytree(MINI, content)
    roster = content / ROSTER
    text = roster.read_text("utf-8")
    text = text.replace(
        "  - id: M2\n    name: 钱二\n    status: 正式\n",
        "  - id: M2\n    name: 钱二\n    status: 正式\n    left: 2026-03-02\n    leave: 出党\n",
    )
    text = text.replace(
        "    status: 积极分子\n", "    status: 积极分子\n    changes:\n      - date: 2026-06-01\n        status: 预备\n"
    )
    text += "  - id: M9\n    name: 新九\n    status: 正式\n    joined: 2026-05-15\n    join: 转入\n"
    roster.write_text(text, "utf-8")
    # M2 left before E11 (3 June) named them; E06 corrects E02 (10 February), when M2 was here
    ledger = content / f"{B1_2026}/ledger/q2.yaml"
    ledger.write_text(ledger.read_text("utf-8").replace("    members: [M2]\n", "    members: [M1]\n"), "utf-8")
    (content / QUARTER_Q2).write_text(
        "reviewed: 2026-07-01\nfeedback: 2026-07-02\nconfirmed: 2026-07-06\n"
        "publicity:\n  start: 2026-07-07\n  end: 2026-07-13\n",
        "utf-8",
    )
    out = content.parent / "output"
    build_ok(content, out)
    return out


def names_in(section) -> list[str]:
    return [row[1] for table in section.find_all("table") for row in table_rows(table)]


def test_each_quarter_lists_the_members_it_had(site):
    page = soup(site / "2026/b/b1/index.html")
    q1, q2 = names_in(page.find("section", id="q1")), names_in(page.find("section", id="q2"))
    assert "新九" not in q1 and "新九" in q2  # joined 15 May
    assert "钱二" in q1 and "钱二" not in q2  # left 2 March
    # 李四 was admitted on 1 June: in Q1 an 积极分子 (their own list), in Q2 a member
    q1_tables = page.find("section", id="q1").find_all("table")
    assert "李四" in [row[1] for row in table_rows(q1_tables[1])]
    members = table_rows(page.find("section", id="q2").find("table"))
    assert next(r for r in members if r[1] == "李四")[2] == "预备党员"


def test_board_and_member_page_say_what_changed_neutrally(site):
    board = (site / "2026/b/b1/index.html").read_text("utf-8")
    assert "新九（2026年5月15日 转入本支部）" in board
    assert "钱二（2026年3月2日 离开本支部）" in board
    assert "李四（2026年6月1日 吸收为预备党员）" in board
    member = (site / "2026/b/b1/m/M2.html").read_text("utf-8")
    assert "离开本支部" in member
    everything = "".join(p.read_text("utf-8") for p in site.rglob("*.html"))
    assert "出党" not in everything.replace("流出党员", "")  # published only as 离开本支部
    newcomer = soup(site / "2026/b/b1/m/M9.html")
    quarters = [row[0] for row in table_rows(newcomer.find("table", class_="quarter"))]
    assert quarters == ["第二季度"]
