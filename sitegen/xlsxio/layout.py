"""The ledger template's shape, shared by the writer (template) and the reader (import).

Sheet 台账: row 1 a title, row 2 the headers, one entry per row from row 3. One
activity is one row however many members it covers: 党员 lists them, separated by
、 (names or 编号), or says 全体 (every member the branch scores, 积极分子 not included)
with 除外党员 naming who did not take part — the same meaning as `members: 全体` and
`excluding:` in the ledger YAML.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

SHEET = "台账"
HELP_SHEET = "说明"
ITEMS_SHEET = "积分项目"
MEMBERS_SHEET = "党员名单"
LISTS_SHEET = "下拉选项"  # hidden: the lists behind the drop-downs

TITLE_ROW = 1
HEADER_ROW = 2
FIRST_ROW = 3
TEMPLATE_ROWS = 1000  # rows that carry the drop-downs and formats

# custom document properties naming what the template was made for
PROP_BRANCH = "sitegen-branch"
PROP_YEAR = "sitegen-year"

EVERYONE = "全体"
YES = "是"


@dataclass(frozen=True, slots=True)
class Col:
    key: str  # the Entry field it fills
    header: str
    width: float
    help: str  # the drop-down prompt and the 说明 sheet's line

    @property
    def index(self) -> int:
        return COLUMNS.index(self) + 1

    @property
    def letter(self) -> str:
        return get_column_letter(self.index)

    def label(self) -> str:
        return f"{self.letter}列（{self.header}）"


COLUMNS: list[Col] = [
    Col("id", "编号", 11, "条目编号，可留空：导入时按“年份-序号”自动编号。已导入的条目保留原编号。"),
    Col("date", "日期", 12, "活动或事项的日期，必填，例如 2026-03-05。须在本年度内。"),
    Col("item", "积分项目", 30, "从下拉列表选择积分项目（编号 名称），也可只写编号，例如 B01。"),
    Col(
        "members", "党员", 36, "参加的党员：姓名或编号，多人用顿号“、”分隔；本支部参加积分管理的党员都参加时写“全体”。"
    ),
    Col("excluding", "除外党员", 16, "党员写“全体”时，未参加的党员（姓名或编号，用顿号分隔）；否则留空。"),
    Col("points", "分值", 7, "分值只写数字。固定分值的项目可留空（按项目规定计）；有分值范围的项目必填。"),
    Col("source", "来源", 10, "支部登记（默认，可留空）、党员申报或群众证实。"),
    Col("evidence", "依据", 24, "所需依据，例如签到表、证明材料。党员申报和群众证实的条目应写明。"),
    Col("note", "备注", 36, "活动内容或事项说明（会在党务公开中显示）。"),
    Col("corrects", "更正条目编号", 12, "只在更正已有条目时填写：被更正条目的编号。普通条目留空。"),
    Col("reason", "更正理由", 30, "更正条目必填：为什么更正（会随更正一起公开）。"),
    Col("void", "作废", 6, "更正条目要整条作废原条目时填“是”；否则留空。"),
]
BY_KEY = {c.key: c for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]
