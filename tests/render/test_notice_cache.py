"""A notice's Markdown rendered once (issue 17): its sanitized HTML is kept in the cache
folder by the text's hash (`pieces/notice-html/`), for its page and the lobby screens, so
a build after an edit of a branch with notices does not load the Markdown renderer; a
changed notice is rendered again, and the site equals a fresh build's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.render.helpers import tree_digest
from tools.synth import generate

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path
from sitegen.build import build
result = build(Path(sys.argv[1]), Path(sys.argv[2]), quiet=True, cache_dir=Path(sys.argv[3]), pdf=False,
               history=False, today=date(2026, 11, 23), jobs=1)
print(json.dumps({"ok": result.ok, "markdown": "markdown" in sys.modules, "rendered": result.rendered_files}))
"""


def _build(content: Path, out: Path, cache: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(content), str(out), str(cache)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["ok"], done.stderr
    return found


def test_notices_rendered_once(tmp_path):
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    generate(content, branches=3, members=3, seed=5, year=2026)
    branch = sorted(content.glob("committees/*/branches/*"))[0]
    notice = branch / "notices/2026-11-02-tongzhi.md"
    notice.parent.mkdir(exist_ok=True)
    notice.write_text(
        "---\ntitle: 关于第四季度积分登记的通知\ndate: 2026-11-02\n---\n请各位党员**按时**登记。\n", "utf-8"
    )
    notices = [notice]
    assert _build(content, out, cache)["markdown"]  # the first build renders them
    ledger = branch / "2026/ledger/q4.yaml"
    with open(ledger, "a", encoding="utf-8") as f:
        f.write("  - id: 2026-NOTICE1\n    date: 2026-11-21\n    item: B03\n    members: 全体\n")
    again = _build(content, out, cache)
    # the branch's unit was looked at again page by page (its notice's page and its screen
    # built as views, and found unchanged: an entry in the open quarter shows nowhere), from the kept HTML
    assert again["rendered"] == []
    assert not again["markdown"], "an edit build loaded the Markdown renderer"
    fresh = tmp_path / "fresh"
    _build(content, fresh, tmp_path / "fresh-cache")
    assert tree_digest(out) == tree_digest(fresh)

    # a changed notice is rendered again (its page and the screen show the new text)
    text = notices[0].read_text("utf-8")
    notices[0].write_text(text.rstrip("\n") + "\n\n新增的一段**说明**。\n", "utf-8")
    changed = _build(content, out, cache)
    assert changed["markdown"]
    page = next(p for p in changed["rendered"] if "/notices/" in p and p.endswith(".html"))
    assert "<strong>说明</strong>" in (out / page).read_text("utf-8")
    fresh2 = tmp_path / "fresh2"
    _build(content, fresh2, tmp_path / "fresh-cache2")
    assert tree_digest(out) == tree_digest(fresh2)
