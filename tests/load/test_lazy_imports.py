"""What a build never uses it does not import: the restricted records' model and checks
(a build never reads restricted/) and the PDF font compactor (ctypes) without PDFs;
`check`, which reads the records, imports them and reports what it did before."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support import ROOT

UNUSED = (
    "sitegen.model.restricted",
    "sitegen.validate.followup",
    "sitegen.validate.restricted",
    "sitegen.render.pdf.compact",
)

PROBE = """
import sys
from sitegen.cli import main
code = main(sys.argv[1:])
print("IMPORTED", ",".join(sorted(m for m in {unused} if m in sys.modules)))
sys.exit(code)
"""


def run(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    probe = PROBE.replace("{unused}", repr(UNUSED))
    return subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True)


def test_a_build_imports_neither_the_restricted_records_model_nor_the_pdf_compactor(mini, tmp_path):
    assert (mini / "restricted").is_dir()  # there are records: the build leaves them alone
    for _ in range(2):  # a first build, and one that loads from the cache
        found = run(["build", str(mini), "-o", str(tmp_path / "out"), "--no-pdf", "--today", "2026-06-01"], tmp_path)
        assert found.returncode == 0, found.stderr
        assert "IMPORTED \n" in found.stdout, found.stdout
        with (mini / "committees/c1/branches/b1/2026/ledger/q1.yaml").open("a") as f:
            f.write("\n")  # something to do next time
    checked = run(["check", str(mini), "--today", "2026-06-01"], tmp_path)
    assert "sitegen.model.restricted" in checked.stdout and "sitegen.validate.restricted" in checked.stdout
