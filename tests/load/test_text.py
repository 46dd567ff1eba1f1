"""The text pass: what secretaries really type, caught with file, line and column."""

from sitegen.load.parse import parse


def problems_of(text: str | bytes, kind="roster", path="x/roster.yaml"):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    value, problems = parse(kind, path, raw)
    return value, problems


def test_gbk_file_is_named_and_conversion_explained():
    raw = "members:\n  - id: M1\n    name: 张三\n    status: 正式\n".encode("gbk")
    value, problems = problems_of(raw)
    assert value is None
    [p] = problems
    assert p.code == "E001" and "GBK" in p.message
    assert (p.pos.file, p.pos.line, p.pos.col) == ("x/roster.yaml", 3, 11)
    assert "UTF-8" in p.hint and "iconv" in p.hint


def test_bom_is_a_warning_and_the_file_still_loads():
    value, problems = problems_of("\ufeffmembers:\n  - id: M1\n    name: 张三\n    status: 正式\n")
    assert value is not None and value.members[0].name == "张三"
    assert [p.code for p in problems] == ["W001"]


def test_tab_in_indentation():
    _, problems = problems_of("members:\n\t- id: M1\n")
    [p] = problems
    assert (p.code, p.pos.line, p.pos.col) == ("E002", 2, 1)
    assert "制表符" in p.message


def test_fullwidth_colon_after_key():
    _, problems = problems_of("members:\n  - id: M1\n    name：张三\n    status: 正式\n")
    [p] = problems
    assert (p.code, p.pos.line, p.pos.col) == ("E003", 3, 9)
    assert "name" in p.message and "：" in p.message


def test_fullwidth_colon_inside_a_value_is_fine():
    value, problems = problems_of("members:\n  - id: M1\n    name: 张三：李四\n    status: 正式\n")
    assert problems == [] and value.members[0].name == "张三：李四"


def test_fullwidth_space_in_indentation_and_after_colon():
    _, problems = problems_of("members:\n\u3000- id: M1\n")
    assert [(p.code, p.pos.line, p.pos.col) for p in problems] == [("E004", 2, 1)]
    _, problems = problems_of("members:\n  - id: M1\n    name:\u3000张三\n    status: 正式\n")
    assert [(p.code, p.pos.line, p.pos.col) for p in problems] == [("E004", 3, 10)]


def test_fullwidth_space_inside_a_name_is_kept():
    value, problems = problems_of("members:\n  - id: M1\n    name: 张\u3000三\n    status: 正式\n")
    assert problems == [] and value.members[0].name == "张\u3000三"


def test_fullwidth_list_marker():
    _, problems = problems_of("members:\n  － id: M1\n")
    [p] = problems
    assert (p.code, p.pos.line, p.pos.col) == ("E005", 2, 3)
    assert "－" in p.message


def test_crlf_line_endings_load():
    value, problems = problems_of("members:\r\n  - id: M1\r\n    name: 张三\r\n    status: 正式\r\n")
    assert problems == [] and value.members[0].id == "M1"
