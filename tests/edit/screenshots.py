"""The screenshots in docs/editor.md, taken from the real editor on the test fixture:

.venv/bin/python -m tests.edit.screenshots docs/editor
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from sitegen.edit.server import Editor
from tests.browser import browser
from tests.edit.support import running
from tests.support import MINI


def main(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
    with tempfile.TemporaryDirectory() as tmp:
        work, origin = Path(tmp) / "work", Path(tmp) / "origin.git"
        shutil.copytree(MINI, work / "content")
        git = ["git", "-c", "user.name=管理员", "-c", "user.email=admin@example.org"]
        subprocess.run([*git, "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "初始内容"]):
            subprocess.run([*git, *args], cwd=work, check=True)
        subprocess.run(["git", "remote", "add", "origin", "https://git.example.org/dangwu/content.git"], cwd=work)
        subprocess.run(
            ["git", "config", "url." + str(origin) + ".pushInsteadOf", "https://git.example.org/dangwu/content.git"],
            cwd=work,
        )
        with running(Editor(work / "content", "b1", today=date(2026, 12, 5))) as c, browser() as b:
            page = b.new_page(viewport={"width": 1366, "height": 768})
            base = c.base
            page.goto(base + "/entry")
            with page.expect_response(lambda r: "/api/members" in r.url):
                page.fill("#date", "2026-08-05")
            page.fill("#item-search", "志愿")
            page.select_option("#item", "A01")
            page.wait_for_function("document.getElementById('item-info').textContent.length > 0")
            for m in ("M1", "M2", "M3"):
                page.check(f"#members-box input[value='{m}']")
            page.fill("#points", "1.5")
            page.fill("#note", "社区清扫")
            page.wait_for_selector(".live .pass")
            page.screenshot(path=str(dest / "1-entry.png"), full_page=True)
            page.fill("#points", "5")
            page.wait_for_selector(".live-err[data-field=points]")
            page.screenshot(path=str(dest / "2-error.png"))
            page.fill("#points", "1.5")
            page.wait_for_selector(".live .pass")
            with page.expect_navigation():
                page.click("form[action='/entry'] button[type=submit]")
            page.screenshot(path=str(dest / "3-saved.png"))
            page.goto(base + "/quarter")
            page.select_option("#quarter", "3")
            page.fill("#reviewed", "2026-10-08")
            page.fill("#feedback", "2026-10-09")
            page.fill("#confirmed", "2026-10-13")
            page.fill("#publicity_start", "2026-10-14")
            page.fill("#publicity_end", "2026-10-20")
            page.fill("#publicity_scope", "支部党务公开栏")
            page.screenshot(path=str(dest / "4-quarter.png"))
            with page.expect_navigation():
                page.click("form[action='/quarter/steps'] button[type=submit]")
            page.goto(base + "/")
            page.screenshot(path=str(dest / "5-home.png"))
            with page.expect_navigation():
                page.click("form[action='/submit'] button[type=submit]")
            page.screenshot(path=str(dest / "6-submitted.png"), full_page=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/editor"))
