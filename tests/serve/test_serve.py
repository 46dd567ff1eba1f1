"""`sitegen serve` driven like a secretary uses it: a page open in Chromium reloads after a
save, shows the errors over the page after a bad save while the server stays up, and
comes back by itself once the file is fixed; Ctrl-C stops the server cleanly."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from sitegen.serve import _ignored
from tests.browser import PATIENCE_MS, Watched, browser
from tests.support import MINI, PATIENCE, wait_until

ROSTER = "committees/c1/branches/b1/2026/roster.yaml"
READY = "预览地址："  # serve's line once it serves and watches


class Server(subprocess.Popen):
    """`sitegen serve` with its output read as it comes (a full pipe would stop it), the
    line saying it is ready marked, and `communicate()` giving all it printed."""

    def __init__(self, args):
        super().__init__(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Ctrl-C stops serve: a test runner's worker may ignore SIGINT, and children inherit that
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.stdout:
            self.lines.append(line)
            if line.startswith(READY):
                self.ready.set()
        self.ready.set()  # it ended: stop waiting

    def communicate(self, input=None, timeout=None):
        self.wait(timeout)
        self._reader.join(timeout)
        return "".join(self.lines), None


def get(url: str, timeout: float = PATIENCE) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read()


def state(base: str, seen: int = -1) -> dict:
    """serve's state: at once (-1), or once a refresh after the attempt `seen` has ended
    (serve's long poll; it answers unchanged after 25 s)."""
    return json.loads(get(f"{base}/__sitegen/state?attempt={seen}"))


def refreshed(base: str, path: str, shows) -> str:
    """The page at `path` once `shows(text)` holds, looked at again after each refresh
    for as long as a loaded machine needs."""
    seen = -1

    def current():
        nonlocal seen
        seen = state(base, seen)["attempt"]
        text = get(base + path).decode()
        return text if shows(text) else None

    return wait_until(current, f"{path} to show the change")


def settled(base: str, until) -> dict:
    """serve's state once `until(state)` holds, looked at after each refresh."""
    seen = -1

    def current():
        nonlocal seen
        now = state(base, seen)
        seen = now["attempt"]
        return now if until(now) else None

    return wait_until(current, "serve to refresh")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path, content, *extra):
    port = free_port()
    proc = Server(
        [
            sys.executable,
            "-m",
            "sitegen",
            "serve",
            str(content),
            "-o",
            str(tmp_path / "out"),
            "--port",
            str(port),
            *extra,
        ]
    )
    base = f"http://127.0.0.1:{port}"
    if not proc.ready.wait(PATIENCE) or proc.poll() is not None:
        proc.kill()
        pytest.fail("serve did not start: " + proc.communicate(timeout=PATIENCE)[0])
    return base, proc


@pytest.fixture
def served(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    base, proc = _start(tmp_path, content)
    yield content, base, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


@pytest.mark.browser
def test_reload_overlay_and_recovery(served):
    content, base, proc = served
    roster = content / ROSTER
    good = roster.read_text("utf-8")
    with browser() as b:
        w = Watched(b, 1280, 900)
        w.page.goto(base + "/2026/b/b1/index.html")
        assert "赵一" in w.page.content()
        w.page.evaluate("window.__marker = 1")
        with w.page.expect_navigation(timeout=PATIENCE_MS):
            roster.write_text(good.replace("name: 赵一", "name: 赵一帆"), "utf-8")
        assert "赵一帆" in w.page.content()

        roster.write_text(good.replace("status: 预备", "status: 预被"), "utf-8")  # a bad save
        w.page.wait_for_selector("#sitegen-errors", timeout=PATIENCE_MS)
        overlay = w.page.inner_text("#sitegen-errors")
        assert ROSTER in overlay and "E013" not in overlay and "不是可选的值" in overlay
        assert urllib.request.urlopen(base + "/index.html", timeout=PATIENCE).status == 200  # still serving

        with w.page.expect_navigation(timeout=PATIENCE_MS):
            roster.write_text(good, "utf-8")  # fixed: the page comes back by itself
        w.page.wait_for_load_state("load")
        assert w.page.query_selector("#sitegen-errors") is None
        assert "赵一" in w.page.content() and "赵一帆" not in w.page.content()
        # the page's reload may cancel its own status request as it goes (net::ERR_ABORTED);
        # nothing else may fail
        aborted = [e for e in w.errors if "/__sitegen/state" in e and "ERR_ABORTED" in e]
        assert [e for e in w.errors if "favicon" not in e and e not in aborted] == [], w.errors

    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=PATIENCE)
    assert proc.returncode == 0 and "已停止" in out and "Traceback" not in out


def test_output_written_once_edits_pause(served, tmp_path):
    """Pages are rendered when asked for; output/ catches up by itself with a full build."""
    content, base, proc = served
    roster = content / ROSTER
    roster.write_text(roster.read_text("utf-8").replace("name: 赵一", "name: 赵一帆"), "utf-8")
    page = tmp_path / "out" / "2026/b/b1/index.html"
    wait_until(lambda: "赵一帆" in page.read_text("utf-8"), "output/ to be written")
    served_page = get(base + "/2026/b/b1/index.html").decode()
    assert re.sub(r'<script src="/__sitegen/live.js\?v=\d+"></script>', "", served_page) == page.read_text("utf-8")


@pytest.mark.browser
def test_starting_on_broken_content_shows_why_and_recovers(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    roster = content / ROSTER
    good = roster.read_text("utf-8")
    roster.write_text(good.replace("status: 预备", "status: 预被"), "utf-8")
    base, proc = _start(tmp_path, content)
    try:
        with browser() as b:
            w = Watched(b, 1280, 900)
            w.page.goto(base + "/index.html")
            w.page.wait_for_selector("#sitegen-errors", timeout=PATIENCE_MS)
            assert ROSTER in w.page.inner_text("#sitegen-errors")
            with w.page.expect_navigation(timeout=PATIENCE_MS):
                roster.write_text(good, "utf-8")
            w.page.wait_for_load_state("load")
            assert w.page.query_selector("#sitegen-errors") is None
            assert "党员积分管理" in w.page.title()
    finally:
        proc.kill()
        proc.wait()


def test_poll_mode_sees_saves(tmp_path):
    """--poll (network drives, WSL): the same, with watchdog's polling observer."""
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    base, proc = _start(tmp_path, content, "--poll")
    try:
        before = state(base)
        roster = content / ROSTER
        roster.write_text(roster.read_text("utf-8").replace("name: 赵一", "name: 赵一帆"), "utf-8")
        # a poll may catch the file half written: wait for the refresh that read it whole
        after = settled(base, lambda now: now["version"] > before["version"] and not now["errors"])
        assert after["version"] == before["version"] + 1 and after["errors"] == []
        assert "赵一帆" in get(base + "/2026/b/b1/index.html").decode()
    finally:
        proc.kill()
        proc.wait()


def test_what_the_watcher_ignores(tmp_path):
    content, output = tmp_path / "content", tmp_path / "content" / "output"
    assert _ignored(content / ".git" / "index", output, content)  # git's bookkeeping
    assert _ignored(content / "committees" / ".q1.yaml.swp", output, content)
    assert _ignored(content / "q1.yaml~", output, content)
    assert _ignored(output / "index.html", output, content)
    assert not _ignored(content / ROSTER, output, content)
    assert not _ignored(tmp_path / "themes" / "default" / "templates" / "base.html", output, content)


def test_addresses(served):
    """What a browser may ask for: the home at /, folders, a query string, pages that do
    not exist (a Chinese 404 page, never a crash), hidden files (never served)."""
    import urllib.error

    content, base, proc = served

    def get(path):
        try:
            with urllib.request.urlopen(base + path, timeout=PATIENCE) as r:
                return r.status, r.read().decode("utf-8", "replace"), r.geturl()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace"), ""

    status, body, _ = get("/")
    assert status == 200 and "sitegen/live.js" in body
    status, body, url = get("/2026")  # redirected to the folder, then its index
    assert status == 200 and url.endswith("/2026/") and "sitegen/live.js" in body
    assert get("/2026/index.html?from=bookmark")[0] == 200
    status, body, _ = get("/2026/b/nosuch/index.html")
    assert status == 404 and "没有这个页面" in body
    assert get("/.sitegen-manifest.json")[0] == 404
    assert get("/%2e%2e/%2e%2e/etc/passwd")[0] == 404
    assert get("/assets/style.css")[0] == 200
    assert get("/" + "x" * 4090)[0] == 404  # longer than a file name may be
    assert get("/%C2%B2/")[0] == 404  # a digit that is not a year
    assert "var version = 7" in get("/__sitegen/live.js?v=7")[1]  # the version of the page that asks
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=PATIENCE)
    assert "Traceback" not in out


def test_a_commit_changes_build_info_not_the_pages(tmp_path):
    """Pages name the version of their own data, not the commit: committing while serving
    leaves a page as the saved edit made it; build-info.json names the new commit."""
    from tests.history.gitrepo import Repo

    repo = Repo(tmp_path / "repo", content="")
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    first = repo.commit("第一次提交")
    base, proc = _start(tmp_path, repo.content)
    try:
        page = get(base + "/2026/b/b1/index.html").decode()
        assert first[:7] not in page and "本页数据：" in page

        repo.edit(ROSTER, "name: 赵一", "name: 赵一帆")
        edited = refreshed(base, "/2026/b/b1/index.html", lambda text: "赵一帆" in text)
        assert "赵一帆" in edited and "尚未提交" not in edited  # edited, not committed yet
        second = repo.commit("改名")  # only git's own files change
        info = json.loads(refreshed(base, "/build-info.json", lambda text: second in text))
        assert info["content"]["commit"] == second
        committed = get(base + "/2026/b/b1/index.html").decode()

        def unversioned(page: str) -> str:  # the live script names the preview's version
            return re.sub(r"live\.js\?v=\d+", "live.js", page)

        assert unversioned(committed) == unversioned(edited) and second[:7] not in committed
    finally:
        proc.kill()
        proc.wait()


def test_output_written_after_a_bad_save_is_mended(tmp_path, monkeypatch):
    """A good edit, a bad save before output/ was written, then the fix: output/ still
    catches up."""
    from sitegen import serve as serve_module
    from sitegen.live import LiveSite

    monkeypatch.setattr(serve_module, "SYNC_AFTER", 0.2)
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    preview = serve_module.Preview(LiveSite(content, tmp_path / "out", history=False, cache_dir=None))
    preview.start()
    roster = content / ROSTER
    good = roster.read_text("utf-8").replace("name: 赵一", "name: 赵一帆")
    roster.write_text(good, "utf-8")
    preview.rebuild([(ROSTER, False)])
    roster.write_text(good.replace("status: 预备", "status: 预被"), "utf-8")
    preview.rebuild([(ROSTER, False)])
    assert preview.errors
    asked = preview._sync_timer  # the sync the good edit asked for comes and goes while the content is broken
    assert asked is not None
    asked.join(PATIENCE)
    assert not asked.is_alive() and not preview.live.output_current
    roster.write_text(good, "utf-8")
    preview.rebuild([(ROSTER, False)])
    wait_until(lambda: preview.live.output_current, "output/ to be written")
    assert "赵一帆" in (tmp_path / "out" / "2026/b/b1/index.html").read_text("utf-8")
    preview.stop()


def test_port_in_use_said_at_once(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "sitegen", "serve", str(MINI), "-o", str(tmp_path / "out"), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )
    assert out.returncode == 2 and "换一个端口" in out.stderr and "Traceback" not in out.stderr + out.stdout
    assert not (tmp_path / "out").exists()  # said before building anything


def test_content_inside_a_larger_repository(tmp_path):
    """The content folder is often a folder of the repository: git's own files (index.lock
    while `git status` runs) must not make serve refresh again and again."""
    from tests.history.gitrepo import Repo

    repo = Repo(tmp_path / "repo", content="content")
    shutil.copytree(MINI, repo.content)
    repo.commit("初始数据")
    base, proc = _start(tmp_path, repo.content)
    try:
        before = state(base)
        repo.edit(ROSTER, "name: 赵一", "name: 赵一帆")
        page = tmp_path / "out" / "2026/b/b1/index.html"
        wait_until(lambda: "赵一帆" in page.read_text("utf-8"), "output/ to be written")  # the edits did pause
        # Refreshing again and again would show within a second; this wait can only miss
        # it on a loaded machine, never fail a serve that is right.
        time.sleep(1)
        after = state(base)
        assert after["attempt"] - before["attempt"] <= 2
    finally:
        proc.kill()
        proc.wait()


def test_shallow_clone_needs_no_history(tmp_path):
    """A shallow clone cannot show the change history: serve says why (E1001), and
    serves it without the history when asked (--no-history), like build."""
    from tests.history.gitrepo import Repo

    repo = Repo(tmp_path / "origin", content="")
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    repo.commit("一")
    repo.write("notices/2026-01-01-hello.md", "---\ntitle: 通知\ndate: 2026-01-01\n---\n二\n")
    repo.commit("二")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True)
    base, proc = _start(tmp_path, clone)
    try:
        assert any("fetch" in e["hint"] for e in state(base)["errors"])  # E1001 and how to fix it
    finally:
        proc.kill()
        proc.wait()
    base, proc = _start(tmp_path, clone, "--no-history")
    try:
        assert state(base)["errors"] == []
        page = get(base + "/2026/b/b1/m/M1.html").decode()
        assert "未包含变更记录" in page
    finally:
        proc.kill()
        proc.wait()
