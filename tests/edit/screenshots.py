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
            # 年初设定: a branch item of its own, checked as typed
            page.goto(base + "/scheme")
            page.fill("#code", "Z01")
            page.select_option("#part", "贡献加分")
            page.fill("form[action='/scheme/item'] #name", "参加结对帮扶活动")
            page.fill("#points", "2")
            page.fill("#cap", "6")
            page.check("input[name=applies_to][value='社区']")
            page.fill("#evidence", "帮扶活动记录")
            page.wait_for_selector("form[action='/scheme/item'] .live .pass")
            page.screenshot(path=str(dest / "7-scheme.png"))
            # 通知
            page.goto(base + "/notice")
            page.fill("#title", "甲支部2026年第三季度党员积分公示")
            page.fill("#date", "2026-10-14")
            page.fill("#name", "q3-gongshi")
            page.fill(
                "#body",
                "现将本支部2026年第三季度党员积分情况予以公示，公示期为 10月14日至10月20日。\n\n"
                "如有异议，请在公示期内向支部书记反映。",
            )
            page.wait_for_selector("form[action='/notice'] .live .pass")
            page.screenshot(path=str(dest / "8-notice.png"))
            # 不公开记录: a member not on the roster is refused at the field
            page.goto(base + "/restricted")
            page.select_option("#tmember", "M3")
            page.fill("#tdate", "2026-11-10")
            page.fill("#tby", "张书记")
            page.fill("#tsummary", "指出多次无故缺席组织生活，本人表示接受并作出整改承诺。")
            page.wait_for_selector("form[action='/restricted/talk'] .live .pass")
            page.screenshot(path=str(dest / "9-restricted.png"))
            page.goto(base + "/")
            page.screenshot(path=str(dest / "5-home.png"))
            with page.expect_navigation():
                page.click("form[action='/submit'] button[type=submit]")
            page.screenshot(path=str(dest / "6-submitted.png"), full_page=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/editor"))
