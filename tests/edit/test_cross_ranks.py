"""The effect of a change on the ranks across branches — by category in the committee and
in the district — as the site shows them (sitegen.rules.district), once every branch of
the pool has its year end; before that the columns are not shown."""

from __future__ import annotations

import re
from datetime import date

from sitegen.check import check
from sitegen.edit.server import Editor
from tests.edit.support import errors, running
from tools.synth import generate

TODAY = date(2027, 1, 25)


def ranks(content, member):
    res = check(content, today=TODAY).years[2026].branches["b0001"]
    r = next(x for x in res.members if x.member.id == member)
    return r.rank, r.rank_committee, r.rank_district


def record(content, member):
    with running(Editor(content, "b0001", today=TODAY, history=False)) as c:
        status, body = c.post(
            "/entry",
            {"csrf": c.csrf(), "date": "2026-12-10", "item": "A14", "members": [member], "evidence": "区委表彰文件"},
        )
    assert status == 200, errors(body)
    return body


def effect_row(body, member):
    row = re.search(rf"<tr><td>[^<]*（{re.escape(member)}）</td>(.*?)</tr>", body, re.S)
    assert row, body
    return re.findall(r"<td>([^<]*)</td>", row.group(1))


def test_committee_and_district_ranks_before_and_after(tmp_path):
    content = tmp_path / "content"
    generate(content, branches=3, members=30, seed=1, year=2026)
    for folder in sorted(content.glob("committees/*/branches/*/2026")):
        (folder / "year-end.yaml").write_text("evaluated: 2027-01-06\nassessed: 2027-01-08\n", encoding="utf-8")
    member = "M0001-05"
    before = ranks(content, member)
    assert before[1] is not None and before[2] is not None  # the site shows them
    body = record(content, member)
    after = ranks(content, member)
    assert after != before  # 3 more points moved them up
    assert "党(工)委同类排名" in body and "全区同类排名" in body
    cells = effect_row(body, member)
    assert cells[3:6] == [f"{before[0]} → {after[0]}", f"{before[1]} → {after[1]}", f"{before[2]} → {after[2]}"]


def test_no_cross_branch_columns_before_the_year_end(tmp_path):
    content = tmp_path / "content"
    generate(content, branches=3, members=30, seed=1, year=2026)
    body = record(content, "M0001-05")
    assert ranks(content, "M0001-05")[1:] == (None, None)
    assert "支部排名" in body and "党(工)委同类排名" not in body
