"""`sitegen reminders` (issue 14): the branch secretary's internal list of members lagging
behind the district's pace, as xlsx, never inside the content or a site's output."""

from __future__ import annotations

import subprocess
import sys

from openpyxl import load_workbook

from tests.support import ROOT


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "reminders", *map(str, args)], capture_output=True, text=True, cwd=ROOT
    )


def test_the_lagging_members_at_the_latest_published_quarter(mini, tmp_path):
    scheme = mini / "scheme/2026.yaml"
    scheme.write_text(scheme.read_text("utf-8") + "reminders:\n  pace: 40\n", "utf-8")
    out = tmp_path / "内部" / "b1.xlsx"
    proc = run(mini, "--branch", "b1", "--today", "2026-06-30", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "3 人" in proc.stdout and "第一季度" in proc.stdout
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert "内部材料，不公开" in rows[0][0] and "10 分" in rows[1][0]  # 40 × 1/4
    # by hand (Q1): 赵一 13; 钱二 7 (E01, E06 correcting E02, E03); 孙三 7; 李四 (积极分子) 5
    body = [r[:7] + (r[8],) for r in rows[3:]]
    assert body == [
        ("李四", "M4", "入党积极分子", 5, 10, 5, 5, None),
        ("钱二", "M2", "党员", 7, 10, 3, 7, None),
        ("孙三", "M3", "党员", 7, 10, 3, 7, "2026年6月5日"),
    ]  # reminded before (restricted/)


def test_never_into_the_content_or_a_site(mini, tmp_path):
    proc = run(mini, "--branch", "b1", "--today", "2026-06-30", "-o", mini / "名单.xlsx")
    assert proc.returncode == 1 and "E977" in proc.stderr and not (mini / "名单.xlsx").exists()
    site = tmp_path / "site"
    site.mkdir()
    (site / ".sitegen-manifest.json").write_text("{}", "utf-8")
    proc = run(mini, "--branch", "b1", "--today", "2026-06-30", "-o", site / "x" / "名单.xlsx")
    assert proc.returncode == 1 and "E977" in proc.stderr and not (site / "x").exists()


def test_before_any_publicity_there_is_nothing_to_compare(mini, tmp_path):
    proc = run(mini, "--branch", "b1", "--today", "2026-04-01", "-o", tmp_path / "a.xlsx")
    assert proc.returncode == 1 and "还没有开始公示的季度" in proc.stderr and "Traceback" not in proc.stderr
