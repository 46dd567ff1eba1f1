"""Private values never leave restricted/ (issue 12, item 2): a unique marker planted in
every field of a restricted file — wrong values, unknown members and appeals, unknown
keys — appears in no message of `check` in any format (text, json, github, gitlab,
junit), in no review report, and in no cache file; public text that looks private is
warned about at its line and column."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sitegen.check import check
from tests.history.gitrepo import Repo
from tests.support import B1_2026, MINI

RESTRICTED = "restricted/b1/2026.yaml"
FORMATS = ["text", "json", "github", "gitlab", "junit"]


def wrong_values(markers: list[str]) -> str:
    """Every field holds a marker that is not a valid value of its kind: each is reported."""

    def m() -> str:
        markers.append(f"机密标记{len(markers):03d}")
        return markers[-1]

    return (
        f"exemptions:\n  M5:\n    kind: {m()} 高血压\n    note: {m()}\n    {m()}: 多余\n"
        f"appeals:\n  S1: {m()}\n"
        f"contacts:\n  M1:\n    phone: '{m()}'\n    address: {m()}\n"
        f"talks:\n  - member: {m()}\n    date: 2026-13-{m()}\n    by: {m()}\n    summary: {m()}\n"
        f"mentoring:\n  - member: {m()}\n    helper: {m()}\n    start: {m()}\n    plan: {m()}\n"
        f"reminders:\n  - member: {m()}\n    date: {m()}\n    summary: {m()}\n"
    )


def unknown_references(markers: list[str]) -> str:
    """Every field well formed, every reference pointing nowhere (E701): ids are markers too."""

    def m(ascii_id: bool = False) -> str:
        markers.append(f"SECRET{len(markers):03d}" if ascii_id else f"机密标记{len(markers):03d}")
        return markers[-1]

    return (
        f"exemptions:\n  {m(True)}:\n    kind: 长期患病\n    note: {m()}\n"
        f"appeals:\n  {m(True)}: {m()}\n"
        f"contacts:\n  {m(True)}:\n    phone: '{m()}'\n    address: {m()}\n"
        f"talks:\n  - member: {m(True)}\n    date: 2026-06-10\n    by: {m()}\n    summary: {m()}\n"
        f"mentoring:\n  - member: {m(True)}\n    helper: {m()}\n    start: 2026-06-12\n    plan: {m()}\n"
        f"reminders:\n  - member: {m(True)}\n    date: 2026-06-05\n    summary: {m()}\n"
    )


def run_check(content: Path, fmt: str, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "check",
            str(content),
            "--format",
            fmt,
            "--today",
            "2026-07-01",
            "--no-history",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def leaked(text: str, markers: list[str]) -> list[str]:
    return [t for t in markers if t in text]


@pytest.mark.parametrize("plant", [wrong_values, unknown_references], ids=["wrong-values", "unknown-references"])
def test_no_restricted_value_in_any_message_or_cache(mini, tmp_path, plant):
    markers: list[str] = []
    (mini / RESTRICTED).write_text(plant(markers), "utf-8")
    cache = tmp_path / "cache"
    expected = "E013" if plant is wrong_values else "E701"
    for fmt in FORMATS:
        out = run_check(mini, fmt, cache)
        assert out.returncode == 1, out.stderr
        assert expected in out.stdout and RESTRICTED in out.stdout  # it is reported, with its file
        assert leaked(out.stdout + out.stderr, markers) == [], fmt
        if fmt == "json":
            json.loads(out.stdout)
        if fmt == "junit":
            ET.fromstring(out.stdout.encode())
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files, "the parse cache was used"
    for path in files:
        data = path.read_bytes()
        assert not [t for t in markers if t.encode() in data], path
        assert RESTRICTED.encode() not in data, f"{path} caches the restricted file's parse"


def test_every_wrong_value_is_reported_by_field_and_line(mini):
    markers: list[str] = []
    (mini / RESTRICTED).write_text(wrong_values(markers), "utf-8")
    found = [p for p in check(mini, cache_dir=None).problems if p.pos.file == RESTRICTED]
    assert {p.code for p in found} >= {"E013", "E008", "E011", "E014"}
    assert all(p.pos.line > 0 for p in found)
    kind = next(p for p in found if p.code == "E013")
    assert kind.pos.line == 3 and "kind" in kind.message and "是不是" not in kind.message
    assert leaked("\n".join(p.format() for p in found), markers) == []


def test_restricted_records_are_never_cached(mini, tmp_path):
    from sitegen.load import load

    loaded = load(mini, cache_dir=tmp_path / "c", restricted=True)
    assert loaded.restricted  # it was read and parsed
    again = load(mini, cache_dir=tmp_path / "c", restricted=True)
    assert again.cache_hits == again.files - 1  # everything but the restricted file came from the cache


def test_review_report_does_not_show_restricted_values(tmp_path):
    repo = Repo(tmp_path / "repo")
    shutil.copytree(MINI, repo.content)
    repo.git("add", "-A")
    repo.git("commit", "-qm", "初始")
    repo.git("checkout", "-q", "-b", "pr")
    markers: list[str] = []
    (repo.content / RESTRICTED).write_text(wrong_values(markers), "utf-8")
    repo.git("commit", "-qam", "更新")
    for fmt in ("markdown", "json"):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "sitegen",
                "diff",
                "main",
                "pr",
                "-C",
                "content",
                "--format",
                fmt,
                "--no-cache",
                "--today",
                "2026-07-01",
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=repo.path,
            env=repo.env(),
        )
        assert "Traceback" not in out.stderr
        assert leaked(out.stdout + out.stderr, markers) == [], fmt


# --------------------------------------------------------------------------- public text that looks private


@pytest.mark.parametrize(
    "text, code",
    [
        ("请联系 13912345678 报名", "W701"),
        ("电话 0571-88881234", "W701"),
        ("证件 11010519491231002X 已核", "W702"),
        ("因住院未参加", "W703"),
        ("术后康复，诊断为某病", "W703"),
    ],
)
def test_public_text_that_looks_private_is_warned_at_its_position(mini, text, code):
    ledger = mini / f"{B1_2026}/ledger/q1.yaml"
    ledger.write_text(
        ledger.read_text("utf-8").replace("    item: B02\n", f"    item: B02\n    note: {text}\n", 1), "utf-8"
    )
    found = [p for p in check(mini, cache_dir=None).problems if p.code.startswith("W70")]
    lines = ledger.read_text("utf-8").split("\n")
    line = next(i for i, ln in enumerate(lines, start=1) if text in ln)
    assert [(p.code, p.pos.file, p.pos.line) for p in found] == [(code, f"{B1_2026}/ledger/q1.yaml", line)]
    assert found[0].pos.col >= lines[line - 1].index(text) + 1
    assert text not in found[0].message


def test_private_looking_notice_and_name(mini):
    notice = mini / "notices/2026-01-01-hello.md"
    notice.write_text(notice.read_text("utf-8") + "\n联系人手机 138-0013-8000。\n", "utf-8")
    roster = mini / f"{B1_2026}/roster.yaml"
    roster.write_text(roster.read_text("utf-8").replace("name: 孙三", "name: 孙三（住院）"), "utf-8")
    found = {(p.code, p.pos.file) for p in check(mini, cache_dir=None).problems if p.code.startswith("W70")}
    assert found == {("W701", "notices/2026-01-01-hello.md"), ("W703", f"{B1_2026}/roster.yaml")}


def test_good_deeds_and_the_policy_wording_are_not_warned(mini):
    ledger = mini / f"{B1_2026}/ledger/q1.yaml"
    ledger.write_text(
        ledger.read_text("utf-8").replace(
            "    item: B02\n",
            "    item: B02\n    note: 救助突发疾病的乘客，帮助残疾人家庭；长期患病党员可不纳入积分管理\n",
            1,
        ),
        "utf-8",
    )
    assert [p for p in check(mini, cache_dir=None).problems if p.code.startswith("W70")] == []
