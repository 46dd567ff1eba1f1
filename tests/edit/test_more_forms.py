"""The forms for 谈话/帮教/督促提醒 (restricted), 通知 and the branch's 年初设定积分项目:
each saves only added text to the one file it belongs in, and a mistake is shown at its
field with the words of `sitegen check`, saving nothing."""

from __future__ import annotations

import pytest

from sitegen.check import check
from sitegen.edit.server import Editor
from sitegen.load import load
from tests.edit.support import errors, field_errors, running, snapshot
from tests.edit.test_forms import TODAY, only_added
from tests.support import B1_2026

RESTRICTED = "restricted/b1/2026.yaml"
SCHEME = f"{B1_2026}/scheme.yaml"
NOTICES = "committees/c1/branches/b1/notices"


def post(mini, path, fields, page="/"):
    with running(Editor(mini, "b1", today=TODAY, history=False)) as c:
        return c.post(path, {"csrf": c.csrf(page), **fields})


def changed(before, after) -> set[str]:
    return {p for p in set(before) | set(after) if before.get(p) != after.get(p)}


@pytest.mark.parametrize(
    "path, fields, words",
    [
        (
            "/restricted/talk",
            {"member": "M3", "date": "2027-01-12", "by": "张书记", "summary": "指出缺席问题"},
            "talks",
        ),
        (
            "/restricted/mentoring",
            {"member": "M3", "helper": "赵一", "start": "2027-01-15", "plan": "每月谈心"},
            "mentoring",
        ),
        ("/restricted/reminder", {"member": "M2", "date": "2026-11-03", "summary": "积分落后"}, "reminders"),
    ],
)
def test_restricted_record_goes_to_the_restricted_file_only(mini, path, fields, words):
    before = snapshot(mini)
    status, body = post(mini, path, fields, "/restricted")
    assert status == 200, errors(body)
    after = snapshot(mini)
    assert changed(before, after) == {RESTRICTED}
    added = only_added(before[RESTRICTED], after[RESTRICTED])
    assert added[0].startswith("  - member: ") and any(v in "\n".join(added) for v in fields.values())
    # it is read by the checks, and listed on the page for the branch's secretary
    loaded = load(mini, restricted=True)
    record = loaded.restricted[("b1", 2026)]
    assert len(getattr(record, words)) == 2
    assert "没有。" not in body and fields["member"] in body
    assert check(mini, today=TODAY).errors == []


def test_restricted_record_of_a_member_not_on_the_roster(mini):
    before = snapshot(mini)
    status, body = post(
        mini, "/restricted/talk", {"member": "M99", "date": "2027-01-12", "by": "张书记"}, "/restricted"
    )
    assert status == 422
    assert any("E701" in e for e in field_errors(body, "member")), errors(body)
    assert snapshot(mini) == before


def test_restricted_record_needs_its_required_fields(mini):
    before = snapshot(mini)
    status, body = post(mini, "/restricted/mentoring", {"member": "M3", "start": "2027-01-15"}, "/restricted")
    assert status == 422 and field_errors(body, "helper") == ["请填写。"]
    assert snapshot(mini) == before


def test_notice_is_a_new_markdown_file_on_the_branch(mini):
    before = snapshot(mini)
    body_text = "现将第四季度积分情况予以公示。\r\n\r\n**如有异议请向支部反映。**"
    fields = {"title": "甲支部第四季度积分公示", "date": "2026-12-04", "name": "q4-gongshi", "body": body_text}
    status, body = post(mini, "/notice", {**fields, "pinned": "1"}, "/notice")
    assert status == 200, errors(body)
    after = snapshot(mini)
    path = f"{NOTICES}/2026-12-04-q4-gongshi.md"
    assert changed(before, after) == {path}
    assert after[path].decode() == (
        "---\ntitle: 甲支部第四季度积分公示\ndate: 2026-12-04\npinned: 是\n---\n"
        "现将第四季度积分情况予以公示。\n\n**如有异议请向支部反映。**\n"
    )
    branch = load(mini).district.branch("b1")
    assert [(n.title, n.pinned) for n in branch.notices] == [("甲支部第四季度积分公示", True)]
    # the same name on the same day: a second file, the first one untouched
    status, body = post(mini, "/notice", fields, "/notice")
    assert status == 200, errors(body)
    assert (mini / NOTICES / "2026-12-04-q4-gongshi-2.md").is_file()
    assert snapshot(mini)[path] == after[path]
    assert "甲支部第四季度积分公示" in body  # listed on the page


def test_notice_mistakes_at_their_fields(mini):
    before = snapshot(mini)
    status, body = post(
        mini, "/notice", {"title": "", "date": "2026-13-01", "name": "第四季度", "body": " "}, "/notice"
    )
    assert status == 422
    for name in ("title", "date", "name", "body"):
        assert field_errors(body, name), (name, errors(body))
    assert snapshot(mini) == before


def test_branch_item_added_then_offered_on_the_activity_form(mini):
    before = snapshot(mini)
    item = {
        "code": "Z01",
        "part": "贡献加分",
        "name": "参加结对帮扶活动",
        "points": "2",
        "cap": "6",
        "evidence": "帮扶活动记录",
        "applies_to": ["社区", "机关"],
    }
    status, body = post(mini, "/scheme/item", item, "/scheme")
    assert status == 200, errors(body)
    after = snapshot(mini)
    assert changed(before, after) == {SCHEME}
    added = only_added(before[SCHEME], after[SCHEME])
    assert added == [
        "items:",
        "  - code: Z01",
        "    part: 贡献加分",
        "    name: 参加结对帮扶活动",
        "    points: 2",
        "    cap: 6",
        "    applies_to: [社区, 机关]",
        "    evidence: 帮扶活动记录",
    ]
    with running(Editor(mini, "b1", today=TODAY, history=False)) as c:
        status, page = c.get("/entry")
    assert 'value="Z01"' in page
    assert check(mini, today=TODAY).errors == []


def test_branch_narrows_an_upper_item(mini):
    before = snapshot(mini)
    status, body = post(mini, "/scheme/narrow", {"ncode": "A01", "ncap": "4"}, "/scheme")
    assert status == 200, errors(body)
    after = snapshot(mini)
    assert changed(before, after) == {SCHEME}
    assert only_added(before[SCHEME], after[SCHEME]) == ["narrow:", "  - code: A01", "    cap: 4"]
    assert check(mini, today=TODAY).errors == []
    assert load(mini).district.branch("b1").years[2026].plan.narrow[0].cap == 4


@pytest.mark.parametrize(
    "text, out",
    [
        (None, "drop: [B06]\n"),
        ("announced: 2026-01-20\n", "announced: 2026-01-20\ndrop: [B06]\n"),
        ("drop: [A03]  # 并入 A01\nposted: 2026-01-21\n", "drop: [A03, B06]  # 并入 A01\nposted: 2026-01-21\n"),
        ("drop:\n  - A03\n# 其余沿用\n", "drop:\n  - A03\n  - B06\n# 其余沿用\n"),
    ],
)
def test_drop_list_grows_in_place(text, out):
    from sitegen.edit.yamledit import add_to_scalar_list

    assert add_to_scalar_list(text, "drop", "B06", "scheme.yaml") == out


@pytest.mark.parametrize(
    "path, fields, field, code",
    [
        ("/scheme/item", {"code": "B01", "part": "贡献加分", "name": "重复的编号", "points": "2"}, "code", "E201"),
        ("/scheme/narrow", {"ncode": "A01", "npoints": "9"}, "npoints", "E205"),
        ("/scheme/drop", {"dcode": "V01"}, "dcode", "E206"),
        ("/scheme/drop", {"dcode": "A02"}, "dcode", "E403"),  # the ledger still uses it
        ("/scheme/dates", {"announced": "2026-01-20", "posted": "2026-01-10"}, "posted", "E208"),
    ],
)
def test_scheme_mistakes_at_their_fields(mini, path, fields, field, code):
    before = snapshot(mini)
    status, body = post(mini, path, fields, "/scheme")
    assert status == 422
    assert any(code in e for e in field_errors(body, field)), errors(body)
    assert snapshot(mini) == before
