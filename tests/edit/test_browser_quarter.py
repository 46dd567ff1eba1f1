"""A quarter at full scale, recorded in headless Chromium only through the editor's forms.

The branch is one of a generated district (tools/synth.py: three branches of thirty
members, as it stands in late November with Q1–Q3 published). Its secretary records the
fourth quarter the way she would: two new members join, fifteen activities covering the
whole roster (全体 with exceptions, ticked members, ranged items, 党员申报 and 群众证实 with
evidence, a deduction), the quarter's steps, one appeal upheld with its correction (the
appeal's reason goes to the restricted file), confirmation and 公示 with its notice on the
branch's page — then 提交审核.

Afterwards: `sitegen check` passes, each file the forms touched differs from the original
only by added lines, the new local git branch holds the commit, and the same branch is in
the bare `origin`. Every wait is for an event (a navigation, a response, an element),
never for a fixed time.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from sitegen.check import check
from sitegen.edit.server import Editor
from tests.browser import Watched, browser
from tests.edit.support import content_repository, git, running, snapshot
from tests.edit.test_forms import only_added
from tests.support import sitegen_cli
from tools.synth import generate

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TODAY = date(2027, 1, 25)
BRANCH = "b0001"
FOLDER = "committees/c01/branches/b0001/2026"


@pytest.fixture
def district(tmp_path, monkeypatch):
    """A generated district in a git repository (content/ inside it), and a bare origin."""
    return content_repository(
        tmp_path, monkeypatch, lambda content: generate(content, branches=3, members=30, seed=1, year=2026)
    )


def submit_form(page, action: str) -> str:
    with page.expect_navigation():
        page.click(f"form[action='{action}'] button[type=submit]")
    return page.content()


def saved(html: str) -> str:
    """The '已保存' banner's text; fails with the errors shown when the form was refused."""
    m = re.search(r'<div class="ok"><b>已保存：</b>([^<]*)', html)
    assert m, re.findall(r'<div class="err"[^>]*>([^<]*)', html)
    return m.group(1)


def roster_of_the_day(page) -> list[str]:
    """The member ids the activity form offers for its date, in the order shown."""
    return page.eval_on_selector_all("#members-box input[name=members]", "els => els.map(e => e.value)")


class Secretary:
    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.covered: set[str] = set()

    def activity(self, day, item, pick=None, everyone=False, points="", source="", evidence="", note=""):
        """One 登记活动: `pick` chooses whom to tick from the roster the form shows that day
        (with 全体: who was absent). Returns (the entry id the editor gave it, who was ticked)."""
        page = self.page
        page.goto(self.base + "/entry")
        with page.expect_response(lambda r: "/api/members" in r.url):
            page.fill("#date", day)  # the roster of that day is fetched again
        page.fill("#item-search", item)
        with page.expect_response(lambda r: "/api/item" in r.url):
            page.select_option("#item", item)  # shows the item's points, cap and each one's room
        roster = roster_of_the_day(page)
        chosen = pick(roster) if pick else []
        if everyone:
            page.check("input[name=everyone]")
        for m in chosen:
            page.check(f"#members-box input[value='{m}']")
        for selector, value in (("#points", points), ("#evidence", evidence), ("#note", note)):
            if value:
                page.fill(selector, value)
        if source:
            page.select_option("#source", source)
        text = saved(submit_form(page, "/entry"))
        self.covered |= set(roster) - set(chosen) if everyone else set(chosen)
        m = re.match(r"登记活动 (\S+)：", text)
        assert m, text
        return m.group(1), chosen


def test_secretary_records_a_full_quarter_through_the_forms(district):
    work, origin = district
    content = work / "content"
    before = snapshot(content)
    errors_before = sorted((p.code, p.pos.file, p.message) for p in check(content, today=TODAY).errors)
    assert errors_before == []
    with running(Editor(content, BRANCH, today=TODAY)) as c, browser() as b:
        w = Watched(b, 1366, 768)
        page = w.page
        s = Secretary(page, c.base)

        # 名册: two new members from 1 December, with the ids the form suggests
        new = []
        for name in ("林新华", "宋晓琳"):
            page.goto(c.base + "/roster")
            suggested = page.get_attribute("#id", "placeholder").removeprefix("如 ")
            page.fill("#id", suggested)
            page.fill("#name", name)
            page.select_option("#status", "预备党员")
            page.fill("#joined", "2026-12-01")
            page.select_option("#join", "入党")
            assert f"名册：{name}（{suggested}）" in saved(submit_form(page, "/roster/join"))
            new.append(suggested)

        # 登记活动: fifteen in December, covering everyone on the roster
        s.activity("2026-12-02", "B01", lambda r: r[-1:], everyone=True, note="十二月支部党员大会")
        s.activity("2026-12-02", "B03", everyone=True, note="十二月党费")
        s.activity("2026-12-05", "A01", lambda r: r[0:5], points="2", note="社区环境整治志愿服务")
        s.activity("2026-12-08", "B02", lambda r: r[3:5], everyone=True, note="主题党日：参观廉政教育基地")
        s.activity("2026-12-10", "A07", lambda r: r[5:7], points="3", note="党员示范岗年终评议")
        s.activity("2026-12-12", "A01", lambda r: r[7:8], points="2", source="党员申报", evidence="志愿服务时长证明")
        s.activity("2026-12-15", "B04", lambda r: r[10:11], everyone=True, note="冬训集中学习")
        s.activity("2026-12-16", "A06", lambda r: r[11:12], points="2", note="关于社区停车的建议被采纳")
        s.activity("2026-12-18", "C01", lambda r: r[12:18], points="1", note="文明城区创建宣传")
        s.activity("2026-12-20", "A14", lambda r: r[18:19], evidence="区委表彰文件", note="区级优秀党员")
        deducted, (member,) = s.activity("2026-12-22", "D01", lambda r: r[19:20], note="无故缺席主题党日")
        s.activity("2026-12-24", "A01", lambda r: r[20:24], points="3", source="群众证实", evidence="受益群众签字证明")
        s.activity("2026-12-26", "B01", everyone=True, note="十二月组织生活会")
        s.activity("2026-12-28", "C01", lambda r: r[24:], points="2", note="文明城区创建志愿服务")
        s.activity("2026-12-30", "A07", lambda r: [*r[:2], *new], points="2", note="年终岗位评议")
        assert set(new) <= s.covered and len(s.covered) >= 30, s.covered

        # 季度: 汇总审核 and 逐人反馈 …
        page.goto(c.base + "/quarter")
        page.select_option("#quarter", "4")
        page.fill("#reviewed", "2027-01-04")
        page.fill("#feedback", "2027-01-05")
        assert "第四季度" in saved(submit_form(page, "/quarter/steps"))

        # … one appeal, upheld: the deduction is withdrawn by a correction entry
        page.goto(c.base + "/quarter")
        page.select_option("#aq", "4")
        page.select_option("#entry", deducted)
        page.select_option("#amember", member)
        page.fill("#filed", "2027-01-06")
        page.fill("#reason", "当日在单位值班，已事先向支部书记请假。")
        page.select_option("#outcome", "更正")
        page.fill("#decided", "2027-01-07")
        page.fill("#correction_reason", "经核实当日值班并已请假，撤销扣分。")
        assert "申辩" in saved(submit_form(page, "/quarter/appeal"))

        # … then 确认, 公示 and 报备
        page.goto(c.base + "/quarter")
        page.select_option("#quarter", "4")
        page.fill("#confirmed", "2027-01-08")
        page.fill("#publicity_start", "2027-01-09")
        page.fill("#publicity_end", "2027-01-15")
        page.fill("#publicity_scope", "支部党务公开栏")
        page.fill("#reported", "2027-01-16")
        assert "公示" in saved(submit_form(page, "/quarter/steps"))

        # the 公示 announced on the branch's page
        page.goto(c.base + "/notice")
        page.fill("#title", "第四季度党员积分公示")
        page.fill("#date", "2027-01-09")
        page.fill("#name", "q4-gongshi")
        page.fill(
            "#body",
            "现将本支部2026年第四季度党员积分情况予以公示，公示期为1月9日至1月15日。\n\n如有异议，请在公示期内向支部书记反映。",
        )
        assert "通知：第四季度党员积分公示" in saved(submit_form(page, "/notice"))

        # 提交审核
        page.goto(c.base + "/")
        html = submit_form(page, "/submit")
        assert "已提交到分支" in html and "审核报告" in html
        # a check-as-typed request still under way when a form is sent is cancelled by the
        # navigation; nothing else may fail, and nothing is fetched from elsewhere
        assert [e for e in w.errors if not (e.startswith("requestfailed: ") and "/api/" in e)] == [], w.errors
        assert all(u.startswith(c.base) for u in w.requests), [u for u in w.requests if not u.startswith(c.base)]

    # `sitegen check` passes, as it did before — run in the secretary's working copy, as
    # she would (run in sitegen's own folder it compared with whatever site `./run.sh demo`
    # had left in output/ there: another repository's commit, E1005)
    done = sitegen_cli("check", content, "--today", TODAY.isoformat(), cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted((p.code, p.pos.file, p.message) for p in check(content, today=TODAY).errors) == []

    # the files differ from the originals only by the added text
    after = snapshot(content)
    touched = {p for p in after if after[p] != before.get(p)}
    assert touched == {
        f"{FOLDER}/roster.yaml",
        f"{FOLDER}/ledger/q4.yaml",
        f"{FOLDER}/quarters/q4.yaml",
        f"restricted/{BRANCH}/2026.yaml",
        "committees/c01/branches/b0001/notices/2027-01-09-q4-gongshi.md",
    }
    added = {p: only_added(before[p], after[p]) for p in touched if p in before}
    assert sum(line.strip().startswith("- id:") for line in added[f"{FOLDER}/ledger/q4.yaml"]) == 16  # 15 + 1
    assert sum(line.strip().startswith("- id:") for line in added[f"{FOLDER}/roster.yaml"]) == 2
    assert any(line.strip().startswith("S") and "值班" in line for line in added[f"restricted/{BRANCH}/2026.yaml"])
    q4 = after[f"{FOLDER}/quarters/q4.yaml"].decode()
    assert "publicity:\n  start: 2027-01-09\n  end: 2027-01-15\n" in q4 and "outcome: 更正" in q4
    assert "值班" not in q4  # the reason is restricted
    notice = after["committees/c01/branches/b0001/notices/2027-01-09-q4-gongshi.md"].decode()
    assert notice.startswith("---\ntitle: 第四季度党员积分公示\ndate: 2027-01-09\n---\n现将本支部")

    # the commit is on a new local branch, and that branch is in the bare origin
    local = git(work, "branch", "--list", "edit/*").replace("*", "").split()
    assert len(local) == 1 and local[0].startswith(f"edit/{BRANCH}-")
    assert git(work, "rev-parse", local[0]) == git(origin, "rev-parse", local[0])
    assert git(work, "symbolic-ref", "--short", "HEAD") == "main"
    changed = set(git(origin, "diff", "--name-only", f"main...{local[0]}").split())
    assert changed == {f"content/{p}" for p in touched}
    message = git(origin, "log", "-1", "--format=%B", local[0])
    assert "名册：林新华" in message and "申辩" in message and "第四季度" in message and "通知：" in message
    assert message.count("登记活动") == 15
