"""`sitegen check --format github|gitlab|junit`, parsed back; paths are the repository's."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from sitegen.annotations import github, gitlab, junit
from sitegen.problems import Pos, Problem
from tests.history.gitrepo import B1, branch_history
from tests.history.test_frozen import run_cli

LEDGER = f"{B1}/ledger/q2.yaml"


def planted(tmp_path):
    """A repository whose content folder is content/, with one error and the usual warnings."""
    repo = branch_history(tmp_path / "repo")
    repo.edit(LEDGER, "    members: [M3]", "    members: [M9]")
    return repo


def test_github_workflow_commands(tmp_path):
    repo = planted(tmp_path)
    out = run_cli("check", "content", "--format", "github", "--today", "2026-07-20", "--no-cache", cwd=repo.path)
    assert out.returncode == 1
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("::")]
    errors = [ln for ln in lines if ln.startswith("::error ")]
    assert len(errors) == 1
    props, message = errors[0][len("::error ") :].split("::", 1)
    fields = dict(part.split("=", 1) for part in props.split(","))
    assert fields["file"] == f"content/{LEDGER}" and fields["line"] == "22" and fields["col"] == "15"
    assert fields["title"] == "sitegen E402"
    assert message.startswith("[E402] ") and "%0A提示：" in message and "\n" not in message
    assert any(ln.startswith("::warning ") for ln in lines)
    assert out.stdout.rstrip().endswith("1 个错误，4 个提醒。")


def test_github_escaping():
    p = Problem("E013", "值 50%，不对：\n第二行", Pos("a,b:c.yaml", 3, 4), "改正")
    [line] = github([p], lambda rel: rel).splitlines()
    assert (
        line
        == "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=sitegen E013::[E013] 值 50%25，不对：%0A第二行%0A提示：改正"
    )
    assert github([Problem("E1001", "浅克隆", Pos(""))], str) == "::error title=sitegen E1001::[E1001] 浅克隆"


def test_gitlab_code_quality(tmp_path):
    repo = planted(tmp_path)
    out = run_cli("check", "content", "--format", "gitlab", "--today", "2026-07-20", "--no-cache", cwd=repo.path)
    assert out.returncode == 1
    report = json.loads(out.stdout)
    [error] = [r for r in report if r["severity"] == "major"]
    assert error["check_name"] == "E402" and error["location"] == {"path": f"content/{LEDGER}", "lines": {"begin": 22}}
    assert error["description"].startswith("[E402] ") and error["type"] == "issue"
    assert len({r["fingerprint"] for r in report}) == len(report)
    assert all(r["severity"] in ("major", "minor") for r in report)

    # the fingerprint does not move with the line: GitLab can tell a problem is the same one
    repo.edit(LEDGER, "entries:\n", "entries:\n  - id: E00\n    date: 2026-04-01\n    item: B02\n    members: [M1]\n")
    again = json.loads(
        run_cli("check", "content", "--format", "gitlab", "--today", "2026-07-20", "--no-cache", cwd=repo.path).stdout
    )
    [moved] = [r for r in again if r["severity"] == "major"]
    assert moved["location"]["lines"]["begin"] == 26 and moved["fingerprint"] == error["fingerprint"]


def test_gitlab_problem_without_a_file():
    [entry] = json.loads(gitlab([Problem("E1005", "历史被改写", Pos(""))], lambda rel: rel, "content"))
    assert entry["location"] == {"path": "content", "lines": {"begin": 1}}


def test_junit_one_case_per_file(tmp_path):
    repo = planted(tmp_path)
    out = run_cli("check", "content", "--format", "junit", "--today", "2026-07-20", "--no-cache", cwd=repo.path)
    assert out.returncode == 1
    root = ET.fromstring(out.stdout.encode())
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    names = {c.get("name") for c in cases}
    assert int(suite.get("tests")) == len(cases) and suite.get("failures") == "1"
    assert f"content/{B1}/roster.yaml" in names and len(names) >= 15  # every file read, and files a warning names
    [failed] = [c for c in cases if c.find("failure") is not None]
    assert failed.get("name") == f"content/{LEDGER}"
    failure = failed.find("failure")
    assert failure.get("type") == "E402" and f"content/{LEDGER}:22:15: [E402]" in failure.text
    warned = [c for c in cases if c.find("system-out") is not None]
    assert warned and all(c.find("failure") is None for c in warned)


def test_paths_outside_a_repository_are_relative_to_the_current_folder(tmp_path):
    import shutil

    from tests.support import MINI

    shutil.copytree(MINI, tmp_path / "site-data")
    (tmp_path / f"site-data/{B1}/roster.yaml").write_text("members: [\n", "utf-8")
    out = run_cli("check", "site-data", "--format", "github", "--no-cache", cwd=tmp_path)
    assert f"::error file=site-data/{B1}/roster.yaml,line=" in out.stdout
    xml = junit([Problem("E006", "x", Pos("a.yaml", 1, 1))], ["a.yaml", "b.yaml"], lambda rel: f"c/{rel}", "c")
    assert [c.get("name") for c in ET.fromstring(xml).iter("testcase")] == ["c/a.yaml", "c/b.yaml"]
