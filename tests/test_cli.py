"""The command line as a user runs it: exit codes, Chinese output, JSON, no tracebacks."""

import json
import subprocess
import sys

from tests.support import MINI


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, cwd=cwd)


def test_check_clean_fixture_exits_0():
    # --no-history: the fixture lives inside this project's own repository, whose history is not its data
    out = run("check", str(MINI), "--today", "2026-03-01", "--no-cache", "--no-history")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 个错误" in out.stdout


def test_check_reports_error_with_position_and_exits_1(mini):
    roster = mini / "committees/c1/branches/b1/2026/roster.yaml"
    roster.write_text(roster.read_text("utf-8").replace("status: 预备", "status: 预被"), "utf-8")
    out = run("check", str(mini), "--no-cache")
    assert out.returncode == 1
    assert "committees/c1/branches/b1/2026/roster.yaml:10:13: 错误[E013]" in out.stdout
    assert "提示：" in out.stdout and "Traceback" not in out.stderr


def test_check_json(mini):
    (mini / "committees/c1/branches/b2/2026/ledger/q1.yaml").write_bytes(b"entries:\n\t- id: E1\n")
    out = run("check", str(mini), "--format", "json", "--today", "2026-03-01", "--no-cache")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["errors"] == 1
    [p] = data["problems"]
    assert p["code"] == "E002" and p["line"] == 2 and p["column"] == 1 and p["severity"] == "error"


def test_garbage_never_tracebacks(mini):
    (mini / "site.yaml").write_bytes(b"\x00\x01\xff\xfe garbage: [")
    (mini / "scheme/2026.yaml").write_text("- just\n- a list\n", "utf-8")
    out = run("check", str(mini), "--no-cache")
    assert out.returncode == 1 and "Traceback" not in out.stderr + out.stdout
    assert "E001" in out.stdout and "E010" in out.stdout


def test_missing_folder_and_bad_arguments():
    out = run("check", "/nonexistent/content")
    assert out.returncode == 1 and "不存在" in out.stdout
    out = run("check", "--today", "明天")
    assert out.returncode == 2 and "日期" in out.stderr


def test_every_error_code_is_documented():
    """docs/errors.md explains every code the tool can report (the catalogue in problems.py)."""
    from sitegen.problems import CODES
    from tests.support import ROOT

    doc = (ROOT / "docs/errors.md").read_text("utf-8")
    assert [code for code in CODES if code not in doc] == []
