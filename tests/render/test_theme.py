"""Theme overrides that go wrong: the build stops with the template's file and line and
what to do (E961 before rendering, E962 while rendering), never with a traceback, and the
last good output stays."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sitegen.build import build
from tests.render.helpers import build_ok, tree_digest

BROKEN = {
    "a field that does not exist": ("{{ v.no_such_field }}", "no_such_field"),
    "a missing include": ("{% include 'nope.html' %}", "nope.html"),
    "a filter called wrongly": ("{{ v.title | int(1, 2, 3) }}", "int"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_runtime_error_in_an_override(mini, tmp_path, case):
    body, named = BROKEN[case]
    out = tmp_path / "out"
    build_ok(mini, out)
    before = tree_digest(out)
    (mini / "theme/templates").mkdir(parents=True)
    (mini / "theme/templates/branch.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n<p>\n" + body + "\n</p>\n{% endblock %}\n", "utf-8"
    )
    result = build(mini, out, quiet=True, cache_dir=None, pdf=False, history=False)
    assert not result.ok
    [problem] = result.problems
    assert problem.code == "E962" and named in problem.message
    assert problem.pos.file == "theme/templates/branch.html" and problem.pos.line == 4
    assert tree_digest(out) == before  # the last good output stays
    cli = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", str(mini), "-o", str(out), "--no-pdf", "--no-history", "--quiet"],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 1 and "E962" in cli.stdout + cli.stderr and "Traceback" not in cli.stderr


def test_syntax_error_before_anything_is_rendered(mini, tmp_path):
    (mini / "theme/templates").mkdir(parents=True)
    (mini / "theme/templates/member.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n", "utf-8"
    )
    result = build(mini, tmp_path / "out", quiet=True, cache_dir=None, pdf=False, history=False)
    assert [(p.code, p.pos.file, p.pos.line) for p in result.problems] == [("E961", "theme/templates/member.html", 3)]
    assert not (tmp_path / "out").exists()
