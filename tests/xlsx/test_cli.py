"""The three xlsx commands (ledger-template, ledger-import, stats) as a user runs them,
through `python -m sitegen`: Chinese messages, exit 1 with the problems, no traceback."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from openpyxl import load_workbook

from tests.support import ROOT
from tests.xlsx.helpers import CONTENT, fill, row, tree_digest


def run(*args):
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_template_then_import(mini, tmp_path):
    out = tmp_path / "b1.xlsx"
    done = run("ledger-template", mini, "--branch", "b1", "--year", "2026", "-o", out)
    assert done.returncode == 0, done.stderr
    assert "已生成台账模板" in done.stdout and out.is_file()
    again = run("ledger-template", mini, "--branch", "b1", "--year", "2026", "-o", out)
    assert again.returncode == 1 and "已存在" in again.stderr and "--force" in again.stderr

    fill(out.read_bytes(), [row(date(2026, 5, 20), "B01", "全体")], out)
    done = run("ledger-import", mini, out, "--branch", "b1", "--year", "2026")
    assert done.returncode == 0, done.stderr
    assert "已导入 1 条新条目" in done.stdout and "ledger/q2.yaml（1 条）" in done.stdout
    done = run("ledger-import", mini, out, "--branch", "b1", "--year", "2026")
    assert done.returncode == 0 and "没有新条目需要导入；1 条已在台账中" in done.stdout


def test_import_errors_exit_1_with_the_list(mini, tmp_path):
    out = tmp_path / "b1.xlsx"
    run("ledger-template", mini, "--branch", "b1", "--year", "2026", "-o", out)
    fill(out.read_bytes(), [row(members="张三"), row(item="A01", points="两分")], out)
    before = tree_digest(mini)
    done = run("ledger-import", mini, out, "--branch", "b1", "--year", "2026")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "b1.xlsx［台账］:3:4: 错误[E402] D列（党员）：“张三”不在本支部 2026 年的名册里" in done.stderr
    assert "b1.xlsx［台账］:4:6: 错误[E012]" in done.stderr and "提示：" in done.stderr
    assert "表格里有 2 处错误，台账没有任何改动" in done.stderr
    assert tree_digest(mini) == before


def test_bad_arguments_never_traceback(mini, tmp_path):
    done = run("ledger-template", mini, "--branch", "nope", "--year", "2026", "-o", tmp_path / "x.xlsx")
    assert done.returncode == 1 and "找不到支部“nope”" in done.stderr and "b1" in done.stderr
    done = run("ledger-template", mini, "--branch", "b1", "--year", "2019", "-o", tmp_path / "x.xlsx")
    assert done.returncode == 1 and "没有 2019 年的名册" in done.stderr
    done = run("ledger-import", mini, tmp_path / "missing.xlsx", "--branch", "b1", "--year", "2026")
    assert done.returncode == 1 and "找不到文件" in done.stderr
    (tmp_path / "garbage.xlsx").write_bytes(b"\x00garbage")
    done = run("ledger-import", mini, tmp_path / "garbage.xlsx", "--branch", "b1", "--year", "2026")
    assert done.returncode == 1 and "E901" in done.stderr
    done = run("ledger-import", mini, tmp_path / "garbage.xlsx", "--branch", "b1", "--year", "2026", "--quarter", "5")
    assert done.returncode == 2 and "季度是 1、2、3 或 4" in done.stderr
    for out in (done,):
        assert "Traceback" not in out.stderr


def test_stats_writes_every_form_of_the_year(tmp_path):
    done = run("stats", CONTENT, "--year", "2025", "-o", tmp_path / "out", "--date", "2026-01-08")
    assert done.returncode == 0, done.stderr
    files = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.xlsx"))
    assert (
        "district-stats1-year.xlsx" in files and "c/qsjd-stats2-h1.xlsx" in files and "b/jdjg-stats1-year.xlsx" in files
    )
    assert len(files) == 48  # 9 branches, 2 committees, the district × 2 forms × 2 periods
    ws = load_workbook(tmp_path / "out/district-stats1-year.xlsx").active
    assert "日期：2026年1月8日" in [ws.cell(row=3, column=c).value for c in range(1, 15)]
    done = run("stats", CONTENT, "--year", "2019", "-o", tmp_path / "x")
    assert done.returncode == 1 and "没有 2019 年的积分记录" in done.stderr


def test_stats_refuses_content_with_errors(mini, tmp_path):
    (mini / "site.yaml").write_text("name: [\n", "utf-8")
    done = run("stats", mini, "-o", tmp_path / "out")
    assert done.returncode == 1 and "没有生成统计表" in done.stderr and "Traceback" not in done.stderr
