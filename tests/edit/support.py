"""An editor server on a free port in a thread, and a client that keeps its cookies."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from sitegen.edit.server import Editor, make_server


class Client:
    def __init__(self, base: str, host: str | None = None):
        self.base = base
        self.host = host
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.read().decode("utf-8"), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8"), dict(e.headers)

    def get(self, path: str, **kw) -> tuple[int, str]:
        status, body, _ = self.request(path, **kw)
        return status, body

    def post(self, path: str, data: dict) -> tuple[int, str]:
        status, body, _ = self.request(path, data)
        return status, body

    def csrf(self, path: str = "/entry") -> str:
        status, body = self.get(path)
        assert status == 200, body
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        assert m, body
        return m.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextmanager
def running(editor: Editor):
    server = make_server(editor, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Client(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def field_errors(body: str, name: str) -> list[str]:
    """The error texts shown under the form field `name`."""
    return re.findall(rf'<div class="err" data-field="{re.escape(name)}">([^<]*)', body)


def errors(body: str) -> list[str]:
    return re.findall(r'<div class="err"[^>]*>([^<]*)', body)


def isolated_git(monkeypatch) -> None:
    """git in a test sees no global or system config and no author from the environment:
    the commits the editor makes are authored as the editor says."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)


def git(cwd, *args) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def content_repository(tmp_path: Path, monkeypatch, fill: Callable[[Path], object]) -> tuple[Path, Path]:
    """A repository (content/ inside it, made by `fill(content)`) with one commit, pushed to
    a bare origin; git isolated from the machine's configuration. Returns (work, origin)."""
    isolated_git(monkeypatch)
    work, origin = tmp_path / "work", tmp_path / "origin.git"
    fill(work / "content")
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "-c", "user.name=管理员", "-c", "user.email=admin@example.org", "commit", "-q", "-m", "初始内容")
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "-q", "origin", "main")
    return work, origin
