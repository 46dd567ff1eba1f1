"""A secretary records a quarter in headless Chromium, only through the editor's forms:
two new members, activities (全体 with an exception, a range item, 党员申报 with
evidence, a capped item), an appeal upheld with its correction, the quarter's steps and
its 公示 — then submits it for review. Afterwards `sitegen check` finds nothing new, the
files differ from the originals only by added lines, and the branch is in the bare origin."""

from __future__ import annotations

import pytest

from sitegen.check import check
from sitegen.edit.server import Editor
from tests.browser import Watched, browser
from tests.edit.support import git, running, snapshot
from tests.edit.test_forms import TODAY, only_added
from tests.edit.test_submit import repo  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def submit_form(page, action: str) -> str:
    with page.expect_navigation():
        page.click(f"form[action='{action}'] button[type=submit]")
    return page.content()


def set_date(page, selector: str, value: str) -> None:
    """Fill a date; on the activity form the roster of that day is fetched again."""
    if selector == "#date":
        with page.expect_response(lambda r: "/api/members" in r.url):
            page.fill(selector, value)
    else:
        page.fill(selector, value)


def activity(page, base, day, item, members=(), everyone=False, points="", source="", evidence="", note=""):
    page.goto(base + "/entry")
    set_date(page, "#date", day)
    page.fill("#item-search", item)  # search by code
    page.select_option("#item", item)
    if everyone:
        page.check("input[name=everyone]")
    for m in members:
        page.check(f"#members-box input[value='{m}']")
    if points:
        page.fill("#points", points)
    if source:
        page.select_option("#source", source)
    if evidence:
        page.fill("#evidence", evidence)
    if note:
        page.fill("#note", note)
    return submit_form(page, "/entry")


def test_secretary_records_a_quarter_through_the_forms(repo):  # noqa: F811
    work, origin = repo
    content = work / "content"
    before = snapshot(content)
    errors_before = sorted((p.code, p.pos.file, p.message) for p in check(content, today=TODAY).errors)
    with running(Editor(content, "b1", today=TODAY)) as c, browser() as b:
        w = Watched(b, 1366, 768)
        page = w.page
        base = c.base

        # 名册: two new members from 1 July
        for mid, name in (("M8", "冯八"), ("M9", "陈九")):
            page.goto(base + "/roster")
            page.fill("#id", mid)
            page.fill("#name", name)
            page.select_option("#status", "预备党员")
            page.fill("#joined", "2026-07-01")
            page.select_option("#join", "入党")
            assert "已保存" in submit_form(page, "/roster/join")

        # 登记活动
        html = activity(page, base, "2026-07-08", "B01", everyone=True, note="七月组织生活会")
        assert "已保存" in html and "本项已达上限" in html  # 赵一 already has B01's 6 points
        html = activity(page, base, "2026-07-15", "B02", members=["M3"], everyone=True)  # 全体 but 孙三
        assert "已保存" in html
        # a typed mistake first: 5 points on an item of 1–2 — shown at the field as it is typed
        page.goto(base + "/entry")
        set_date(page, "#date", "2026-08-05")
        page.select_option("#item", "A01")
        page.check("#members-box input[value='M8']")
        page.fill("#points", "5")
        page.wait_for_selector(".live-err[data-field=points]")
        assert "超出项目" in page.inner_text(".live-err[data-field=points]")
        page.fill("#points", "1")
        page.wait_for_selector(".live .pass")
        assert "第三季度 5 → 6" in page.inner_text(".live table")  # 冯八 has 5 from the activities above
        html = activity(page, base, "2026-08-05", "A01", members=["M1", "M8", "M9"], points="5")
        assert "没有保存" in html and "超出项目" in page.inner_text(".field.bad")
        html = activity(page, base, "2026-08-05", "A01", members=["M1", "M8", "M9"], points="1.5", note="社区清扫")
        assert "已保存" in html
        html = activity(page, base, "2026-08-20", "A02", members=["M2"], evidence="区委表彰文件")
        assert "已保存" in html
        html = activity(
            page, base, "2026-09-12", "A01", members=["M9"], points="2", source="党员申报", evidence="志愿服务时长证明"
        )
        assert "已保存" in html
        html = activity(page, base, "2026-09-10", "B02", members=["M4"], note="积极分子参加党日活动")
        assert "已保存" in html

        # 季度: steps, an appeal upheld with a correction, then confirmation and 公示
        page.goto(base + "/quarter")
        page.select_option("#quarter", "3")
        page.fill("#reviewed", "2026-10-08")
        page.fill("#feedback", "2026-10-09")
        assert "已保存" in submit_form(page, "/quarter/steps")

        page.goto(base + "/quarter")
        page.select_option("#aq", "3")
        page.select_option("#amember", "M3")
        page.select_option("#entry", "E13")
        page.fill("#filed", "2026-10-10")
        page.select_option("#outcome", "更正")
        page.fill("#decided", "2026-10-12")
        for m in ("M1", "M2", "M3", "M8", "M9"):
            page.check(f"input[name=correction_members][value='{m}']")
        page.fill("#correction_reason", "经核实孙三当日参加了活动，补记。")
        assert "已保存" in submit_form(page, "/quarter/appeal")

        page.goto(base + "/quarter")
        page.select_option("#quarter", "3")
        page.fill("#confirmed", "2026-10-13")
        page.fill("#publicity_start", "2026-10-14")
        page.fill("#publicity_end", "2026-10-20")
        page.fill("#publicity_scope", "支部党务公开栏")
        page.fill("#reported", "2026-10-22")
        assert "已保存" in submit_form(page, "/quarter/steps")

        # every page fits 1366×768 without sideways scrolling
        for path in (
            "/",
            "/entry",
            "/roster",
            "/quarter",
            "/correct",
            "/year-end",
            "/scheme",
            "/notice",
            "/restricted",
        ):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 1366, path

        # 提交审核
        page.goto(base + "/")
        html = submit_form(page, "/submit")
        assert "已提交到分支" in html and "审核报告" in html
        # the one refused form answers 422, which Chromium logs; a check-as-typed request still
        # under way when a form is sent is cancelled by the navigation; nothing else may fail
        cancelled = [e for e in w.errors if e.startswith("requestfailed: ") and "/api/" in e]
        assert [e for e in w.errors if "422" not in e and e not in cancelled] == [], w.errors
        assert len(w.errors) - len(cancelled) == 1
        assert all(u.startswith(base) for u in w.requests), [u for u in w.requests if not u.startswith(base)]

    after = snapshot(content)
    for path, old in before.items():
        only_added(old, after[path])
    new_files = set(after) - set(before)
    assert new_files == {
        "committees/c1/branches/b1/2026/ledger/q3.yaml",
        "committees/c1/branches/b1/2026/ledger/q4.yaml",
        "committees/c1/branches/b1/2026/quarters/q3.yaml",
    }
    errors_after = sorted((p.code, p.pos.file, p.message) for p in check(content, today=TODAY).errors)
    assert errors_after == errors_before
    q3 = after["committees/c1/branches/b1/2026/quarters/q3.yaml"].decode()
    assert "publicity:\n  start: 2026-10-14\n  end: 2026-10-20\n" in q3 and "correction: E18" in q3
    branches = git(origin, "branch", "--list", "edit/*").split()
    assert len(branches) == 1
    changed = set(git(origin, "diff", "--name-only", f"main...{branches[0]}").split())
    assert changed == {f"content/{p}" for p in new_files | {"committees/c1/branches/b1/2026/roster.yaml"}}
    message = git(origin, "log", "-1", "--format=%B", branches[0])
    assert "名册：冯八（M8）" in message and "申辩" in message and "第三季度" in message
