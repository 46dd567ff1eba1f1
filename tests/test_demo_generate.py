"""The demo generator (tools/demo/generate.py) regrows the committed demo exactly: the
content's history is in git, so regrowing must never rewrite what was published."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.support import ROOT


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_regrowing_the_demo_changes_nothing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".sitegen-cache*"))
    before = tree(content)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "demo" / "generate.py"), str(content)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    after = tree(content)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == []
