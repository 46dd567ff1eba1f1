"""YAML to typed model: no implicit typing, duplicates and unknown fields rejected, positions exact."""

from datetime import date
from decimal import Decimal

import pytest

from sitegen.load.parse import parse
from sitegen.model.enums import Status


def roster(body: str):
    return parse("roster", "r.yaml", ("members:\n" + body).encode())


def test_no_implicit_typing_surprises():
    value, problems = roster(
        "  - id: 00123\n    name: NO\n    status: 正式\n  - id: M2\n    name: 1:30\n    status: 预备\n"
    )
    assert problems == []
    assert value.members[0].id == "00123"  # not 123
    assert value.members[0].name == "NO"  # not False
    assert value.members[1].name == "1:30"  # not 90 (sexagesimal)
    assert value.members[1].status is Status.PROBATIONARY


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2026-06-05", date(2026, 6, 5)),
        ("2026-6-5", date(2026, 6, 5)),
        ("2026/6/5", date(2026, 6, 5)),
        ("2026年6月5日", date(2026, 6, 5)),
        ("'2026-06-05'", date(2026, 6, 5)),
    ],
)
def test_dates_in_the_forms_people_write(written, expected):
    value, problems = parse("plan", "p.yaml", f"announced: {written}\n".encode())
    assert problems == [] and value.announced == expected


@pytest.mark.parametrize(
    "written, fragment", [("2026-2-30", "不存在"), ("六月五日", "不是日期"), ("2026.13.1", "不存在")]
)
def test_bad_dates(written, fragment):
    value, problems = parse("plan", "p.yaml", f"posted: 2026-01-02\nannounced: {written}\n".encode())
    [p] = problems
    assert value is None
    assert (p.code, p.pos.line, p.pos.col) == ("E011", 2, 12)
    assert fragment in p.message


def test_duplicate_key_rejected_at_its_line():
    _, problems = roster("  - id: M1\n    name: 甲\n    status: 正式\n    name: 乙\n")
    [p] = problems
    assert (p.code, p.pos.line, p.pos.col) == ("E007", 5, 5)
    assert "name" in p.message


def test_unknown_field_with_did_you_mean():
    _, problems = roster("  - id: M1\n    name: 甲\n    stauts: 正式\n")
    codes = {p.code: p for p in problems}
    assert codes["E008"].message == "未知字段“stauts”。是不是“status”？"
    assert codes["E008"].pos.line == 4
    assert codes["E009"].message == "缺少必填字段“status”。"


def test_enum_with_did_you_mean_and_choices():
    _, problems = roster("  - id: M1\n    name: 甲\n    status: 正式党圆\n")
    [p] = problems
    assert p.code == "E013" and "正式党员" in p.message and (p.pos.line, p.pos.col) == (4, 13)
    assert "预备党员" in p.hint


def test_numbers_are_decimal_and_text_numbers_rejected():
    value, problems = parse(
        "scheme",
        "s.yaml",
        "title: t\ncaps: {base: 60, bonus: 40}\nitems:\n"
        "  - code: A1\n    part: 贡献加分\n    name: 志愿\n    min: 0.5\n    max: 2.5\n".encode(),
    )
    assert problems == [] and value.items[0].min == Decimal("0.5")
    value, problems = parse("scheme", "s.yaml", "title: t\ncaps: {base: 六十, bonus: 40}\nitems: []\n".encode())
    [p] = problems
    assert (p.code, p.pos.line) == ("E012", 2) and "六十" in p.message


def test_private_field_in_public_file_points_to_restricted():
    _, problems = roster("  - id: M1\n    name: 甲\n    status: 正式\n    phone: '13800000000'\n")
    [p] = problems
    assert p.code == "E016" and p.pos.line == 5 and "restricted/" in p.hint


def test_yaml_syntax_error_is_translated():
    _, problems = roster("  - id: M1\n    name: 甲: 乙\n")
    [p] = problems
    assert p.code == "E006" and p.pos.line == 3 and "引号" in p.hint


def test_id_rules():
    _, problems = roster("  - id: 张三\n    name: 张三\n    status: 正式\n")
    [p] = problems
    assert p.code == "E014" and p.pos.line == 2


def test_empty_file():
    value, problems = parse("roster", "r.yaml", b"# nothing yet\n")
    assert value is None and [p.code for p in problems] == ["E017"]


def test_notice_front_matter():
    value, problems = parse("notice", "notices/a.md", "---\ntitle: 通知\ndate: 2026年4月1日\n---\n正文\n".encode())
    assert problems == [] and value.title == "通知" and value.date == date(2026, 4, 1) and value.body == "正文\n"
    value, problems = parse("notice", "notices/a.md", "没有文件头\n".encode())
    assert value is None and problems[0].code == "E801"
    value, problems = parse("notice", "notices/a.md", "---\ntitle: 通知\ndate: 2026-4-31\n---\n".encode())
    assert problems[0].code == "E011" and problems[0].pos.line == 3


def test_blank_optional_values_mean_unset():
    value, problems = parse("quarter", "q.yaml", b"reviewed: 2026-04-01\nconfirmed:\npublicity: ~\nappeals:\n")
    assert problems == []
    assert value.confirmed is None and value.publicity is None and value.appeals == ()
    value, problems = roster("  - id: M1\n    name: 甲\n    status: 正式\n    exempt:\n")
    assert problems == [] and value.members[0].exempt is None


def test_libyaml_messages_are_translated():
    for text, fragment in [("members: [M1, M2\n", "方括号"), ("members:\n  - id: M1\n name: x\n", "缩进")]:
        _, problems = parse("roster", "r.yaml", text.encode())
        [p] = problems
        assert p.code == "E006" and fragment in p.message, p.format()
        assert not any(c.isascii() and c.isalpha() for c in p.message.replace("YAML", "")), p.message  # no English left


def test_personal_data_is_refused_with_a_hint_that_works():
    _, problems = roster("  - id: M1\n    name: 甲\n    status: 正式\n    id_card: '110101199001011234'\n")
    [p] = problems
    assert p.code == "E016" and "删除" in p.hint and "contacts" not in p.hint
