"""The no-change rebuild (issue 17: under 0.5 s at 1,000 branches) imports only what it
uses: reading the inputs and comparing a key needs neither the model, the checks, the
renderers nor openpyxl, markdown or YAML."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from sitegen import build, check
from tests.support import ROOT

HEAVY = ("yaml", "markdown", "openpyxl", "weasyprint", "sitegen.check", "sitegen.render.run", "sitegen.model.site")

PROBE = """
import sys
from sitegen.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy} or m in {heavy})
print("HEAVY", ",".join(heavy))
sys.exit(code)
"""


def test_a_build_with_nothing_to_do_imports_nothing_heavy(mini, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    args = ["build", str(mini), "-o", str(out), "--no-pdf", "--no-history", "--today", "2026-06-01", "-q"]
    probe = PROBE.replace("{heavy}", repr(set(HEAVY)))
    first = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "yaml" in first.stdout  # a build that loads imports them, of course
    again = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "HEAVY \n" in again.stdout, again.stdout


def test_build_day_is_checks_build_day():
    assert build.build_day(None) == check.build_day(None)
    assert build.build_day(date(2026, 1, 2)) == check.build_day(date(2026, 1, 2)) == date(2026, 1, 2)


def test_other_code_with_the_same_version_number_is_a_rebuild(mini, tmp_path, monkeypatch):
    """The no-change shortcut compares the build's key, which covers sitegen's code, not
    only its version number: a sitegen installed from another commit (the same
    `__version__`) builds again rather than leaving the last one's output as up to date."""
    out = tmp_path / "out"
    first = build.build(mini, out, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 6, 1))
    assert first.ok
    again = build.build(mini, out, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 6, 1))
    assert again.ok and again.unchanged
    monkeypatch.setattr(build, "sitegen_fingerprint", lambda: "the same version, other code")
    other = build.build(mini, out, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 6, 1))
    assert other.ok and not other.unchanged
