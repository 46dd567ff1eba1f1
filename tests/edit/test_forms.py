"""The forms over HTTP: a change is checked before it is saved; a mistake saves nothing."""

from __future__ import annotations

import difflib
from datetime import date

import pytest

from sitegen.check import check
from sitegen.edit.server import Editor, make_server
from sitegen.edit.workspace import EditorError
from tests.edit.support import errors, field_errors, running, snapshot
from tests.support import B1_2026

TODAY = date(2026, 12, 5)
LEDGER_Q3 = f"{B1_2026}/ledger/q3.yaml"


def only_added(old: bytes, new: bytes) -> list[str]:
    """The lines `new` adds to `old`; fails if any line of `old` was removed or changed."""
    a, b = old.decode().split("\n"), new.decode().split("\n")
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), (tag, a[i1:i2], b[j1:j2])
        if tag == "insert":
            added += b[j1:j2]
    return added


def error_keys(root):
    return sorted((p.code, p.pos.file, p.message) for p in check(root, today=TODAY).errors)


@pytest.fixture
def editor(mini):
    return Editor(mini, "b1", today=TODAY)


def test_entry_is_checked_saved_and_shows_its_effect(mini, editor):
    before = snapshot(mini)
    errors_before = error_keys(mini)
    with running(editor) as c:
        status, body = c.post(
            "/entry",
            {
                "csrf": c.csrf(),
                "date": "2026-07-02",
                "item": "A01",
                "members": ["M1", "M2"],
                "points": "2",
                "source": "支部登记",
                "note": "社区志愿服务",
            },
        )
    assert status == 200, errors(body)
    assert "已保存" in body
    # each member's quarter and year points, before → after
    assert "<td>赵一（M1）</td><td>第三季度</td><td>0 → 2</td>" in body
    after = snapshot(mini)
    assert set(after) - set(before) == {LEDGER_Q3}
    assert all(after[k] == v for k, v in before.items())
    text = after[LEDGER_Q3].decode()
    assert "  - id: E12\n    date: 2026-07-02\n    item: A01\n    members: [M1, M2]\n    points: 2\n" in text
    assert "    note: 社区志愿服务\n" in text
    assert error_keys(mini) == errors_before  # `sitegen check` finds nothing new


def test_entry_in_existing_file_only_adds_lines_and_marks_a_cap(mini, editor):
    path = mini / B1_2026 / "ledger/q2.yaml"
    old = path.read_bytes()
    with running(editor) as c:
        status, body = c.post(
            "/entry", {"csrf": c.csrf(), "date": "2026-06-20", "item": "B01", "everyone": "1", "members": ["M3"]}
        )
    assert status == 200, errors(body)
    added = only_added(old, path.read_bytes())
    assert "    members: 全体" in added and "    excluding: [M3]" in added
    assert "本项已达上限" in body  # B01 is capped at 6 and M1 already has 6


@pytest.mark.parametrize(
    ("branch", "fields", "field", "code"),
    [
        # an item not for the branch's category (A04 is for 机关; b2 is a 社区 branch)
        ("b2", {"date": "2026-07-02", "item": "A04", "members": ["M7"]}, "item", "E40"),
        # points outside the item's range (A01: 1–2 after the committee's narrowing)
        ("b1", {"date": "2026-07-02", "item": "A01", "members": ["M1"], "points": "7"}, "points", "E405"),
        # a date outside the year
        ("b1", {"date": "2025-12-20", "item": "B02", "members": ["M1"]}, "date", "E40"),
        # a member not on the roster (that day or at all)
        ("b1", {"date": "2026-07-02", "item": "B02", "members": ["M1", "M99"]}, "members", "E402"),
        # a date that does not exist
        ("b1", {"date": "2026-02-30", "item": "B02", "members": ["M1"]}, "date", ""),
        # 党员申报 without evidence
        ("b1", {"date": "2026-07-02", "item": "B02", "members": ["M1"], "source": "党员申报"}, "source", "E412"),
    ],
)
def test_typed_mistake_shows_at_the_field_and_saves_nothing(mini, branch, fields, field, code):
    before = snapshot(mini)
    with running(Editor(mini, branch, today=TODAY)) as c:
        status, body = c.post("/entry", {"csrf": c.csrf(), **fields})
    assert status == 422
    shown = field_errors(body, field)
    assert shown, errors(body)
    assert any(code in text for text in shown), shown
    assert "没有保存" in body
    assert snapshot(mini) == before  # byte for byte


def test_member_not_on_the_roster_that_day(mini, editor):
    """Joined on 10 July: an activity on 5 July cannot include them; one on 12 July can."""
    with running(editor) as c:
        token = c.csrf()
        status, body = c.post(
            "/roster/join",
            {"csrf": token, "id": "M8", "name": "冯八", "status": "预备党员", "joined": "2026-07-10", "join": "入党"},
        )
        assert status == 200, errors(body)
        # the roster as of a date: M8 is offered from 10 July on
        assert 'value="M8"' not in c.get("/entry?date=2026-07-05")[1]
        assert 'value="M8"' in c.get("/entry?date=2026-07-12")[1]
        before = snapshot(mini)
        status, body = c.post("/entry", {"csrf": token, "date": "2026-07-05", "item": "B02", "members": ["M8"]})
        assert status == 422
        assert any("M8" in t for t in field_errors(body, "members")), errors(body)
        assert snapshot(mini) == before
        status, body = c.post("/entry", {"csrf": token, "date": "2026-07-12", "item": "B02", "members": ["M8"]})
        assert status == 200, errors(body)


def test_roster_and_quarter_forms_only_add_text_and_pass_check(mini, editor):
    roster = mini / B1_2026 / "roster.yaml"
    q2 = mini / B1_2026 / "quarters/q2.yaml"
    old_roster = roster.read_bytes()
    old_restricted = (mini / "restricted/b1/2026.yaml").read_bytes()
    errors_before = error_keys(mini)
    with running(editor) as c:
        token = c.csrf("/roster")
        status, body = c.post("/roster/leave", {"csrf": token, "member": "M2", "left": "2026-09-01", "leave": "转出"})
        assert status == 200, errors(body)
        status, body = c.post(
            "/quarter/steps",
            {
                "csrf": token,
                "quarter": "2",
                "reviewed": "2026-07-03",
                "feedback": "2026-07-04",
                "confirmed": "2026-07-10",
                "publicity_start": "2026-07-11",
                "publicity_end": "2026-07-17",
                "publicity_scope": "支部党务公开栏",
            },
        )
        assert status == 200, errors(body)
        # an appeal upheld, with its correction entry: two files in one checked change
        status, body = c.post(
            "/quarter/appeal",
            {
                "csrf": token,
                "quarter": "2",
                "by": "党员",
                "member": "M3",
                "entry": "E10",
                "filed": "2026-07-05",
                "outcome": "更正",
                "decided": "2026-07-08",
                "correction_reason": "经核实孙三当日请假，撤销扣分。",
                "reason": "本人当日在医院陪护家属，有请假条。",
            },
        )
        assert status == 200, errors(body)
    restricted = (mini / "restricted/b1/2026.yaml").read_bytes()
    assert only_added(old_restricted, restricted) == ["  S2: 本人当日在医院陪护家属，有请假条。"]
    added = only_added(old_roster, roster.read_bytes())
    assert added == ["    left: 2026-09-01", "    leave: 转出"]
    text = q2.read_text("utf-8")
    assert "reviewed: 2026-07-03\n" in text and "publicity:\n  start: 2026-07-11\n  end: 2026-07-17\n" in text
    assert "correction: E12" in text and "outcome: 更正" in text
    q3 = (mini / B1_2026 / "ledger/q3.yaml").read_text("utf-8")
    assert "corrects: E10" in q3 and "void: true" in q3
    assert error_keys(mini) == errors_before


def test_quarter_step_out_of_order_is_refused(mini, editor):
    before = snapshot(mini)
    with running(editor) as c:
        status, body = c.post(
            "/quarter/steps",
            {"csrf": c.csrf("/quarter"), "quarter": "2", "reviewed": "2026-07-10", "confirmed": "2026-07-03"},
        )
    assert status == 422, body
    assert field_errors(body, "confirmed") or field_errors(body, "reviewed"), errors(body)
    assert snapshot(mini) == before


def test_post_without_csrf_token_is_refused(mini, editor):
    before = snapshot(mini)
    with running(editor) as c:
        status, _ = c.post("/entry", {"date": "2026-07-02", "item": "B02", "members": ["M1"]})
        assert status == 403
        status, _ = c.post("/entry", {"csrf": "wrong", "date": "2026-07-02", "item": "B02", "members": ["M1"]})
        assert status == 403
    assert snapshot(mini) == before


def test_other_host_header_is_refused(editor):
    """A page on another site cannot reach the editor through a DNS name pointing at 127.0.0.1."""
    with running(editor) as c:
        status, _ = c.get("/", headers={"Host": "evil.example.com"})
    assert status == 403


def test_listening_beyond_loopback_needs_accounts(editor):
    with pytest.raises(EditorError, match="没有配置账号"):
        make_server(editor, "0.0.0.0", 0)


def test_pages_use_nothing_from_outside(editor):
    with running(editor) as c:
        for path in ("/", "/entry", "/roster", "/quarter"):
            status, body = c.get(path)
            assert status == 200
            assert "http://" not in body and "https://" not in body and "//" not in body.replace("://", "")
        status, script = c.get("/static/editor.js")
        assert status == 200 and "http" not in script


def test_item_api_shows_room_under_the_cap(editor):
    import json

    with running(editor) as c:
        status, body = c.get("/api/item?code=B01&date=2026-07-01")
    data = json.loads(body)
    assert "每人每年最多 6 分" in data["text"]
    assert data["room"]["M1"] == {"text": "本项已达上限", "full": True}


def test_year_end_form(mini):
    """民主测评 and a final grade different from the score's: without a reason it is refused
    at the reason's field (E601) and nothing is written; with one it is saved."""
    editor = Editor(mini, "b1", today=date(2027, 1, 12))
    path = mini / B1_2026 / "year-end.yaml"
    with running(editor) as c:
        token = c.csrf("/year-end")
        page = c.get("/year-end")[1]
        assert "赵一（M1）" in page and "年度积分" in page
        fields = {
            "csrf": token,
            "evaluated": "2027-01-05",
            "assessed": "2027-01-08",
            "rating_M1": "优秀",
            "rating_M2": "合格",
            "rating_M3": "基本合格",
            "rating_M4": "合格",
            "final_M2": "优秀",
        }
        status, body = c.post("/year-end", fields)
        assert status == 422
        assert any("E601" in t for t in field_errors(body, "reason_M2") + field_errors(body, "final_M2")), errors(body)
        assert not path.exists()
        status, body = c.post("/year-end", {**fields, "reason_M2": "全年承担重点任务，经支部委员会研判评定为优秀。"})
        assert status == 200, errors(body)
    text = path.read_text("utf-8")
    assert text.startswith(
        "evaluated: 2027-01-05\nratings:\n  M1: 优秀\n  M2: 合格\n  M3: 基本合格\n  M4: 合格\nassessed: 2027-01-08\nfinal:\n"
    )
    assert "  - member: M2\n    grade: 优秀\n    reason: 全年承担重点任务" in text


def test_status_change_is_added_to_the_roster_line(mini, editor):
    roster = mini / B1_2026 / "roster.yaml"
    old = roster.read_bytes()
    errors_before = error_keys(mini)
    with running(editor) as c:
        token = c.csrf("/roster")
        status, body = c.post(
            "/roster/status", {"csrf": token, "member": "M4", "changed": "2026-08-01", "new_status": "预备党员"}
        )
        assert status == 200, errors(body)
        status, body = c.post("/roster/status", {"csrf": token, "member": "M4", "changed": "2026-02-30"})
        assert status == 422 and field_errors(body, "changed")
    assert only_added(old, roster.read_bytes()) == [
        "    changes:",
        "      - date: 2026-08-01",
        "        status: 预备党员",
    ]
    assert error_keys(mini) == errors_before


def test_checked_as_typed_without_saving(mini, editor):
    import json

    before = snapshot(mini)
    with running(editor) as c:
        token = c.csrf()
        fields = {"csrf": token, "action": "/entry", "date": "2026-07-02", "item": "A01", "members": ["M1", "M2"]}
        status, body = c.post("/api/check", {**fields, "points": "7"})
        data = json.loads(body)
        assert status == 200 and not data["ok"]
        assert any("E405" in t for t in data["fields"]["points"])
        data = json.loads(c.post("/api/check", {**fields, "points": "2"})[1])
        assert data["ok"] and data["fields"] == {}
        assert [(e["member"], e["qb"], e["qa"]) for e in data["effects"]] == [("M1", "0", "2"), ("M2", "0", "2")]
        # half filled in: only what was typed is judged
        data = json.loads(c.post("/api/check", {"csrf": token, "action": "/entry", "date": "2026-07-02"})[1])
        assert data["incomplete"] and data["fields"] == {}
        assert c.post("/api/check", {"action": "/entry", "date": "2026-07-02"})[0] == 403
    assert snapshot(mini) == before


def test_names_from_the_content_are_text_not_markup(mini, editor):
    hostile = '<img src=x onerror="alert(1)">'
    with running(editor) as c:
        status, body = c.post(
            "/roster/join",
            {
                "csrf": c.csrf("/roster"),
                "id": "M8",
                "name": hostile,
                "status": "正式党员",
                "joined": "2026-07-01",
                "join": "转入",
            },
        )
        assert status == 200, errors(body)
        for path in ("/entry?date=2026-07-02", "/roster", "/quarter"):
            page = c.get(path)[1]
            assert hostile not in page and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert '    name: <img src=x onerror="alert(1)">\n' in (mini / B1_2026 / "roster.yaml").read_text("utf-8")


def test_exemption_needs_all_three_steps_and_keeps_its_reason_private(mini, editor):
    roster = mini / B1_2026 / "roster.yaml"
    restricted = mini / "restricted/b1/2026.yaml"
    old, old_private = roster.read_bytes(), restricted.read_bytes()
    errors_before = error_keys(mini)
    with running(editor) as c:
        token = c.csrf("/roster")
        fields = {"csrf": token, "member": "M3", "applied": "2026-08-01", "approved": "2026-08-05", "kind": "长期患病"}
        status, body = c.post("/roster/exempt", fields)
        assert status == 422, errors(body)
        assert any("E302" in e for e in errors(body)), errors(body)
        assert roster.read_bytes() == old and restricted.read_bytes() == old_private
        status, body = c.post("/roster/exempt", {**fields, "filed": "2026-08-10", "note": "住院治疗"})
        assert status == 200, errors(body)
    assert only_added(old, roster.read_bytes()) == [
        "    exempt:",
        "      applied: 2026-08-01",
        "      approved: 2026-08-05",
        "      filed: 2026-08-10",
    ]
    assert only_added(old_private, restricted.read_bytes()) == ["  M3: {kind: 长期患病, note: 住院治疗}"]
    assert error_keys(mini) == errors_before


def test_floating_out_from_a_date(mini, editor):
    roster = mini / B1_2026 / "roster.yaml"
    old = roster.read_bytes()
    with running(editor) as c:
        token = c.csrf("/roster")
        fields = {"csrf": token, "member": "M2", "direction": "流出", "org": "外省某街道党工委", "since": "2026-09-01"}
        status, body = c.post("/roster/floating", fields)
        assert status == 200, errors(body)
        status, body = c.post("/roster/floating", {"csrf": token, "member": "M1", "direction": "流出"})
        assert status == 422 and field_errors(body, "other_branch")
    assert only_added(old, roster.read_bytes()) == [
        "    floating:",
        "      direction: 流出",
        "      org: 外省某街道党工委",
        "      since: 2026-09-01",
    ]
    # 钱二 is no longer offered for an activity after 1 September
    with running(editor) as c:
        assert 'value="M2"' in c.get("/entry?date=2026-08-20")[1]
        assert 'value="M2"' not in c.get("/entry?date=2026-09-02")[1]


def test_items_can_be_found_by_pinyin(editor):
    """The item list carries each name's pinyin and initials, which the filter box searches
    along with the code and the name (志愿服务: "zyfw", "zhiyuan")."""
    import re

    with running(editor) as c:
        status, body = c.get("/entry")
        status_js, script = c.get("/static/editor.js")
    assert status == 200 and status_js == 200
    option = re.search(r'<option value="A01" data-py="([^"]*)"[^>]*>A01 志愿服务', body)
    assert option is not None and option.group(1) == "zhiyuanfuwu zyfw"
    assert "data-py" in script  # the filter reads it
