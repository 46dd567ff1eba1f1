"""Bringing a filled template back: the round trip, appending without touching what is
there, re-import changes nothing, and each bad spreadsheet rejected whole with a clear
error at its sheet, row and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sitegen.check import check
from sitegen.load import load
from sitegen.xlsxio import import_ledger, template
from sitegen.xlsxio import layout as L
from tests.support import B1_2026
from tests.xlsx.helpers import CONTENT, copy_content, demo, fill, mini_template, row, tree_digest

LEDGER = f"{B1_2026}/ledger"


def imported(content, path, branch="b1", year=2026, **kw):
    before = tree_digest(content)
    result = import_ledger(content, branch, year, path, **kw)
    return result, before


def rejected(content, path, branch="b1", year=2026, **kw):
    result, before = imported(content, path, branch, year, **kw)
    assert not result.ok and not result.written, "expected the sheet to be rejected"
    assert tree_digest(content) == before, "a rejected sheet must write nothing"
    return result.problems


# --- the round trip -------------------------------------------------------------------


@pytest.mark.parametrize("branch, year", [("jdjg", 2026), ("hxsq", 2025), ("dyzx", 2025)])
def test_round_trip_gives_identical_scores(tmp_path, branch, year):
    """Export a branch's ledger to the template, import it into a copy whose ledger is
    emptied: check passes and every member's results are the same."""
    report = demo()
    district = report.loaded.district
    b = district.branch(branch)
    raw = report.loaded.ledgers[(b.committee_id, b.id, year)]
    sheet = tmp_path / f"{branch}.xlsx"
    sheet.write_bytes(
        template(district, branch, year, [e for _, e in sorted(raw, key=lambda qe: (qe[1].date, qe[1].id))])
    )

    content = copy_content(CONTENT, tmp_path / "content")
    ledger = content / f"committees/{b.committee_id}/branches/{branch}/{year}/ledger"
    for q in (1, 2, 3, 4):
        (ledger / f"q{q}.yaml").write_text("entries: []\n", "utf-8")
    result = import_ledger(content, branch, year, sheet)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    assert len(result.added) == len(raw)

    after = check(content, restricted=False, cache_dir=None)
    assert not after.errors, "\n".join(p.format() for p in after.errors)
    assert after.years[year].branches[branch].members == report.years[year].branches[branch].members
    assert after.years[year].district == report.years[year].district
    # the same entries, quarter by quarter (corrections and 全体/除外 as written)
    again = load(content, cache_dir=None).ledgers[(b.committee_id, b.id, year)]
    assert {e.id: (q, e) for q, e in again} == {e.id: (q, e) for q, e in raw}
    # and importing the same sheet again changes nothing
    digest = tree_digest(content)
    second = import_ledger(content, branch, year, sheet)
    assert second.ok and not second.added and len(second.unchanged) == len(raw)
    assert tree_digest(content) == digest


def test_import_into_the_full_ledger_changes_nothing(tmp_path):
    report = demo()
    b = report.loaded.district.branch("jdjg")
    raw = report.loaded.ledgers[(b.committee_id, "jdjg", 2026)]
    sheet = tmp_path / "t.xlsx"
    sheet.write_bytes(template(report.loaded.district, "jdjg", 2026, [e for _, e in raw]))
    content = copy_content(CONTENT, tmp_path / "content")
    result, before = imported(content, sheet, "jdjg")
    assert result.ok and not result.added and len(result.unchanged) == len(raw)
    assert tree_digest(content) == before


# --- appending ------------------------------------------------------------------------


def test_new_entries_are_appended_and_existing_text_kept_byte_for_byte(mini, tmp_path):
    q2 = mini / LEDGER / "q2.yaml"
    old = q2.read_bytes()
    sheet = fill(
        mini_template(mini),
        [
            row(date(2026, 5, 20), "B01 参加组织生活", "全体", excluding="钱二", note="党小组会：学习党章"),
            row(
                date(2026, 6, 2),
                "A01",
                "赵一、孙三（M3）",
                points=1.5,
                source="党员申报",
                evidence="志愿服务证明",
                note="社区志愿服务: 上午",
            ),
            row(date(2026, 8, 3), "D01 无故缺席", "M3", note="无故缺席党小组会"),
        ],
        tmp_path / "b1.xlsx",
    )
    result = import_ledger(mini, "b1", 2026, sheet)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    assert [(a.row, a.entry_id) for a in result.added] == [(3, "2026-001"), (4, "2026-002"), (5, "2026-003")]
    assert sorted(result.written) == [f"{LEDGER}/q2.yaml", f"{LEDGER}/q3.yaml"]
    new = q2.read_bytes()
    assert new.startswith(old) and new != old
    text = new[len(old) :].decode("utf-8")
    assert "  - id: 2026-001\n    date: 2026-05-20\n    item: B01\n    members: 全体\n    excluding: [M2]\n" in text
    assert "    points: 1.5\n    source: 党员申报\n    evidence: 志愿服务证明\n" in text
    assert '    note: "社区志愿服务: 上午"\n' in text  # quoted where YAML needs it
    assert (mini / LEDGER / "q3.yaml").read_text("utf-8").startswith("# 甲支部 2026年第三季度积分台账\nentries:\n")
    report = check(mini, restricted=False, cache_dir=None)
    assert not report.errors, "\n".join(p.format() for p in report.errors)
    r = report.years[2026].branches["b1"].result("M1")
    assert any(line.entry_id == "2026-002" and line.points == Decimal("1.5") for line in r.lines)
    # the same sheet again: nothing to add, nothing written
    digest = tree_digest(mini)
    again = import_ledger(mini, "b1", 2026, sheet)
    assert again.ok and not again.added and [n for n, _ in again.unchanged] == [3, 4, 5]
    assert tree_digest(mini) == digest


def test_empty_flow_list_and_comments_are_kept(mini, tmp_path):
    q3 = mini / LEDGER / "q3.yaml"
    q3.write_text("# 第三季度台账\nentries: []  # 暂无条目\n# 文件末尾的注释\n", "utf-8")
    sheet = fill(mini_template(mini), [row(date(2026, 7, 8), "B01", "赵一")], tmp_path / "b1.xlsx")
    result = import_ledger(mini, "b1", 2026, sheet)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    text = q3.read_text("utf-8")
    assert text.startswith("# 第三季度台账\nentries:  # 暂无条目\n  # 以下 1 条由 sitegen ledger-import")
    assert text.endswith("# 文件末尾的注释\n")
    assert not check(mini, restricted=False, cache_dir=None).errors


def test_corrections_and_void(mini, tmp_path):
    sheet = fill(
        mini_template(mini),
        [
            row(date(2026, 5, 12), None, None, id="C1", corrects="E08", void="是", reason="与 E07 重复登记，作废"),
            row(date(2026, 6, 5), None, "赵一", id="C2", corrects="E09", reason="表彰对象登记有误，更正"),
        ],
        tmp_path / "b1.xlsx",
    )
    result = import_ledger(mini, "b1", 2026, sheet)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    text = (mini / LEDGER / "q2.yaml").read_text("utf-8")
    assert (
        "  - id: C1\n    date: 2026-05-12\n    corrects: E08\n    void: true\n    reason: 与 E07 重复登记，作废\n"
        in text
    )
    assert not check(mini, restricted=False, cache_dir=None).errors


def test_dry_run_writes_nothing(mini, tmp_path):
    sheet = fill(mini_template(mini), [row()], tmp_path / "b1.xlsx")
    result, before = imported(mini, sheet, dry_run=True)
    assert result.ok and len(result.added) == 1 and not result.written
    assert tree_digest(mini) == before


def test_entries_in_a_published_quarter_are_imported_with_a_warning(mini, tmp_path):
    sheet = fill(mini_template(mini), [row(date(2026, 3, 20), "B02", "全体")], tmp_path / "b1.xlsx")
    result = import_ledger(mini, "b1", 2026, sheet)
    assert result.ok and [w.code for w in result.warnings] == ["W901"]
    assert "已经公示的第一季度" in result.warnings[0].message


# --- bad spreadsheets: each rejected whole, with the place and what to do --------------


def one(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, "\n".join(p.format() for p in problems)
    return found[0]


def test_wrong_sheet(mini, tmp_path):
    def rename(wb):
        wb[L.SHEET].title = "Sheet1"

    sheet = fill(mini_template(mini), [row()], tmp_path / "b1.xlsx", rename)
    p = one(rejected(mini, sheet), "E901")
    assert "找不到名为“台账”的工作表" in p.message and "“Sheet1”" in p.message and p.hint


def test_not_an_xlsx_file(mini, tmp_path):
    bad = tmp_path / "b1.xlsx"
    bad.write_text("编号,日期\n", "utf-8")
    p = one(rejected(mini, bad), "E901")
    assert "无法打开表格" in p.message and ".xlsx" in p.hint


def test_merged_cells_in_the_data_area(mini, tmp_path):
    def merge(wb):
        wb[L.SHEET].merge_cells("C3:C4")

    sheet = fill(mini_template(mini), [row(), row(date(2026, 5, 21))], tmp_path / "b1.xlsx", merge)
    p = one(rejected(mini, sheet), "E903")
    assert p.pos.file == "b1.xlsx［台账］" and (p.pos.line, p.pos.col) == (3, 3)
    assert p.message.startswith("C列（积分项目）：C3:C4 是合并单元格") and "取消合并" in p.hint


def test_text_in_a_points_cell(mini, tmp_path):
    sheet = fill(mini_template(mini), [row(item="A01", points="2分")], tmp_path / "b1.xlsx")
    p = one(rejected(mini, sheet), "E012")
    assert (p.pos.line, p.pos.col) == (3, 6) and p.message.startswith("F列（分值）：分值“2分”是文本")


def test_dates_as_text(mini, tmp_path):
    sheet = fill(mini_template(mini), [row(day="2026-05-20"), row(day=46000)], tmp_path / "b1.xlsx")
    problems = rejected(mini, sheet)
    text, number = [p for p in problems if p.code == "E011"]
    assert (text.pos.line, text.pos.col) == (3, 2) and "是文本，不是日期" in text.message and "日期" in text.hint
    assert number.pos.line == 4 and "不是日期" in number.message


def test_an_empty_row_in_the_middle(mini, tmp_path):
    sheet = fill(mini_template(mini), [row(), {}, {}, row(date(2026, 5, 22))], tmp_path / "b1.xlsx")
    p = one(rejected(mini, sheet), "E904")
    assert p.pos.line == 4 and "第 4～5 行是空行，但下面第 6 行还有条目" in p.message and "删除空行" in p.hint


def test_changed_headers_and_extra_columns(mini, tmp_path):
    def spoil(wb):
        ws = wb[L.SHEET]
        ws["F2"] = "积分"
        ws["N3"] = "另记"

    sheet = fill(mini_template(mini), [row()], tmp_path / "b1.xlsx", spoil)
    p = one(rejected(mini, sheet), "E902")
    assert p.message == "F列（分值）：表头应为“分值”，这里是“积分”。"


def test_unknown_member(mini, tmp_path):
    sheet = fill(mini_template(mini), [row(members="赵一、张三")], tmp_path / "b1.xlsx")
    p = one(rejected(mini, sheet), "E402")
    assert (p.pos.line, p.pos.col) == (3, 4) and "“张三”不在本支部 2026 年的名册里" in p.message


def test_members_who_cannot_be_given_points(mini, tmp_path):
    sheet = fill(mini_template(mini), [row(members="周五"), row(members="吴六")], tmp_path / "b1.xlsx")
    problems = [p for p in rejected(mini, sheet) if p.code == "E407"]
    assert [p.pos.line for p in problems] == [3, 4]
    assert "不纳入积分管理" in problems[0].message and "已流出" in problems[1].message


def test_a_member_not_yet_in_the_branch_on_the_day_as_check_says_it(mini, tmp_path):
    """The import runs check's own ledger rules, so it knows what its old copy did not: a
    member who joined the branch after the entry's date (E410), at the 党员 cell."""
    roster = mini / "committees/c1/branches/b1/2026/roster.yaml"
    roster.write_text(
        roster.read_text("utf-8").replace(
            "    name: 赵一\n    status: 正式\n",
            "    name: 赵一\n    status: 正式\n    joined: 2026-06-01\n    join: 转入\n",
            1,
        ),
        "utf-8",
    )
    sheet = fill(mini_template(mini), [row(date(2026, 5, 20), members="赵一")], tmp_path / "b1.xlsx")
    p = one(rejected(mini, sheet), "E410")
    assert (p.pos.line, p.pos.col) == (3, 4) and "2026-06-01 才加入本支部" in p.message


def test_a_correction_of_a_rejected_row_is_not_called_missing(mini, tmp_path):
    sheet = fill(
        mini_template(mini),
        [row(members="张三", id="N1"), row(date(2026, 5, 25), members="赵一", corrects="N1", reason="核实")],
        tmp_path / "b1.xlsx",
    )
    problems = rejected(mini, sheet)
    assert [p.code for p in problems] == ["E402"], [p.format() for p in problems]


def test_item_not_applicable_to_the_members_category(mini, tmp_path):
    sheet = fill(mini_template(mini, branch="b2"), [row(item="A04", members="郑七")], tmp_path / "b2.xlsx")
    p = one(rejected(mini, sheet, branch="b2"), "E404")
    assert (p.pos.line, p.pos.col) == (3, 3) and "“A04 社区报到服务”不适用于社区党员" in p.message
    assert "只适用于机关党员" in p.hint


def test_points_out_of_range_and_fixed_points_changed(mini, tmp_path):
    sheet = fill(
        mini_template(mini),
        [row(item="A01", points=3), row(item="B01", points=5), row(item="A01")],
        tmp_path / "b1.xlsx",
    )
    problems = [p for p in rejected(mini, sheet) if p.code == "E405"]  # the ledger rule of `check`, at the rows
    assert [p.pos.line for p in problems] == [3, 4, 5]
    assert "的分值 3 超出项目“A01 志愿服务”的范围 1–2" in problems[0].message
    assert "与项目“B01" in problems[1].message and "规定的 2 不同" in problems[1].message
    assert "要写 points" in problems[2].message


def test_points_off_the_items_steps_are_refused_as_check_refuses_them(mini, tmp_path):
    """Steps (E411) come from the same ledger rule as `check`, reported at the sheet row."""
    sheet = fill(mini_template(mini), [row(item="A01", points=1.25)], tmp_path / "b1.xlsx")
    p = one(rejected(mini, sheet), "E411")
    assert p.pos.line == 3 and "分档" in p.message


def test_date_outside_the_year_and_the_quarter(mini, tmp_path):
    sheet = fill(mini_template(mini), [row(date(2025, 12, 30)), row(date(2026, 8, 1))], tmp_path / "b1.xlsx")
    problems = [p for p in rejected(mini, sheet, quarter=2) if p.code == "E406"]
    assert "不在 2026 年内" in problems[0].message
    assert problems[1].pos.line == 4 and "属于第三季度，这次只导入第二季度的条目" in problems[1].message


def test_duplicate_of_an_existing_entry(mini, tmp_path):
    sheet = fill(
        mini_template(mini),
        [
            row(date(2026, 5, 10), "B01", "全体", id="X1"),  # E07's content under a new id
            row(date(2026, 5, 30), "B01", "赵一", id="E07"),  # E07's id with other content
            row(date(2026, 6, 9), "B01", "赵一"),
            row(date(2026, 6, 9), "B01", "赵一"),  # twice in the sheet
        ],
        tmp_path / "b1.xlsx",
    )
    problems = [p for p in rejected(mini, sheet) if p.code == "E905"]
    assert [p.pos.line for p in problems] == [3, 4, 6]
    assert "与台账里已有的条目“E07”内容完全相同" in problems[0].message
    assert "已有编号为“E07”的条目，内容与这一行不同" in problems[1].message and "更正" in problems[1].hint
    assert "与第 5 行内容完全相同" in problems[2].message


def test_template_for_another_branch(mini, tmp_path):
    sheet = fill(mini_template(mini, branch="b2"), [row(members="郑七")], tmp_path / "b2.xlsx")
    p = one(rejected(mini, sheet, branch="b1"), "E907")
    assert "为支部“b2” 2026 年生成的模板" in p.message


def test_a_mistake_only_check_finds_is_reported_at_its_row(mini, tmp_path):
    """A correction dated before the entry it corrects: found by `sitegen check` on the
    result, reported at the sheet row it came from."""
    sheet = fill(
        mini_template(mini),
        [
            row(),
            row(date(2026, 5, 1), "B01", "赵一", corrects="E07", reason="更正出勤"),
        ],
        tmp_path / "b1.xlsx",
    )
    p = one(rejected(mini, sheet), "E408")
    assert p.pos.file == "b1.xlsx［台账］" and p.pos.line == 4 and "日期早于" in p.message


def test_every_problem_is_reported_in_one_run(mini, tmp_path):
    sheet = fill(mini_template(mini), [row(members="张三"), row(item="Z99"), row(day="明天")], tmp_path / "b1.xlsx")
    codes = sorted(p.code for p in rejected(mini, sheet))
    assert codes == ["E011", "E402", "E403"]


def test_the_template_itself(tmp_path):
    report = demo()
    data = template(report.loaded.district, "jdjg", 2026)
    assert data == template(report.loaded.district, "jdjg", 2026)  # deterministic
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    wb = load_workbook(path)
    assert wb.sheetnames == [L.SHEET, L.HELP_SHEET, L.ITEMS_SHEET, L.MEMBERS_SHEET, L.LISTS_SHEET]
    assert wb[L.LISTS_SHEET].sheet_state == "hidden"
    ws = wb[L.SHEET]
    assert [ws.cell(row=2, column=c.index).value for c in L.COLUMNS] == L.HEADERS
    assert ws.freeze_panes == "A3"
    kinds = {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation}
    assert kinds["C"].type == "list" and kinds["C"].formula1 == f"'{L.LISTS_SHEET}'!$A$1:$A$" + str(
        len(report.years[2026].branches["jdjg"].scheme.items)
    )
    assert kinds["D"].type == "list" and not kinds["D"].showErrorMessage  # several names per cell allowed
    assert kinds["G"].formula1 == '"支部登记,党员申报,群众证实"'
    assert kinds["B"].type == "date" and kinds["F"].type == "decimal"
    lists = wb[L.LISTS_SHEET]
    assert lists["B1"].value == "全体" and lists["B2"].value == "苏建明"
    assert lists["A1"].value.split()[0] in report.years[2026].branches["jdjg"].scheme.items
    codes = list(report.years[2026].branches["jdjg"].scheme.items)
    assert [r[0].value for r in wb[L.ITEMS_SHEET].iter_rows(min_row=3, max_row=2 + len(codes))] == codes
    help_text = "\n".join(str(c.value) for c in wb[L.HELP_SHEET]["A"] if c.value)
    assert "顿号" in help_text and "sitegen ledger-import content --branch jdjg --year 2026" in help_text
    assert {p.name: p.value for p in wb.custom_doc_props.props} == {L.PROP_BRANCH: "jdjg", L.PROP_YEAR: "2026"}


def test_existing_entries_with_the_same_content_keep_their_ids(mini, tmp_path):
    """Two entries in the ledger may say the same thing (one later voided): exporting and
    importing them again finds each by its own id."""
    q2 = mini / LEDGER / "q2.yaml"
    q2.write_text(
        q2.read_text("utf-8") + "  - id: E12\n    date: 2026-05-10\n    item: B01\n    members: 全体\n", "utf-8"
    )
    report = check(mini, restricted=False, cache_dir=None)
    raw = load(mini, cache_dir=None).ledgers[("c1", "b1", 2026)]
    sheet = tmp_path / "b1.xlsx"
    sheet.write_bytes(template(report.loaded.district, "b1", 2026, [e for _, e in raw]))
    result, before = imported(mini, sheet)
    assert result.ok and not result.added and {i for _, i in result.unchanged} == {e.id for _, e in raw}
    assert tree_digest(mini) == before
