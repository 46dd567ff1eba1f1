"""The text writers: the file changes only by the added or edited text."""

from __future__ import annotations

import pytest

from sitegen.edit import yamledit

ROSTER = """# 名册（按编号）
members:
  - id: M1
    name: 赵一   # 书记
    status: 预备党员
    changes: [{date: 2026-03-01, status: 正式党员}]

  - id: M2
    name: 钱二
    status: 正式党员
# 文件结束
"""


def test_flow_list_gets_one_more_item_before_its_bracket():
    node = yamledit.find_item(ROSTER, "members", "M1", "roster.yaml")
    out = yamledit.add_to_nested_list(ROSTER, node, "changes", [("date", "2026-09-01"), ("status", "正式党员")])
    assert out == ROSTER.replace("正式党员}]", "正式党员}, {date: 2026-09-01, status: 正式党员}]")


def test_keys_added_after_the_last_line_of_the_item_not_after_blank_lines_or_comments():
    node = yamledit.find_item(ROSTER, "members", "M1", "roster.yaml")
    out = yamledit.set_values(ROSTER, node, [("left", "2026-10-01"), ("leave", "转出")])
    assert out == ROSTER.replace("正式党员}]\n", "正式党员}]\n    left: 2026-10-01\n    leave: 转出\n")


def test_value_replaced_where_it_stands_keeping_the_comment():
    node = yamledit.find_item(ROSTER, "members", "M1", "roster.yaml")
    out = yamledit.set_values(ROSTER, node, [("name", "赵壹")])
    assert out == ROSTER.replace("name: 赵一   # 书记", "name: 赵壹   # 书记")


def test_list_item_appended_before_the_trailing_comment():
    out = yamledit.add_to_list(ROSTER, "members", [yamledit.item_block([("id", "M3"), ("name", "孙三")])], "r")
    assert out == ROSTER.replace("# 文件结束\n", "  - id: M3\n    name: 孙三\n# 文件结束\n")


def test_file_without_final_newline():
    text = "reviewed: 2026-07-01"
    assert yamledit.set_top(text, [("feedback", "2026-07-02")], "q") == "reviewed: 2026-07-01\nfeedback: 2026-07-02\n"


def test_broken_file_is_refused_not_rewritten():
    with pytest.raises(yamledit.AppendError):
        yamledit.set_top("reviewed: [2026-07-01\n", [("feedback", "2026-07-02")], "q")


def test_scalars_that_need_quotes():
    assert yamledit.scalar("时间: 上午9点") == '"时间: 上午9点"'
    assert yamledit.scalar("普通文字") == "普通文字"
