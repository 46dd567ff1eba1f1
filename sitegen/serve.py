"""`sitegen serve`: build, serve on 127.0.0.1, refresh on every save, reload open pages.

An edge around the pipeline, after MkDocs's livereload: watchdog reports changes in the
content and theme folders (native events, or polling with --poll for network drives and
WSL); a burst of saves is coalesced into one refresh of the live site (`sitegen.live`:
only what the saved files touch is checked again, and pages are rendered when asked
for); requests that arrive meanwhile wait for it, so a half-made version is never
served. Once the edits pause, output/ is brought up to date by a full build. Every HTML page served gets a small ES5 script that
long-polls the server: on a new build it reloads the page; while the content has errors
it shows them (file:line and the Chinese message) over the page, and the page comes back
by itself once the file is fixed.
"""

from __future__ import annotations

import html
import http.server
import json
import mimetypes
import posixpath
import sys
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from sitegen import provenance
from sitegen.live import LiveSite, Outcome, Sync
from sitegen.load.layout import temporary
from sitegen.render.theme import DEFAULT_THEME, TemplateFailed
from sitegen.write import check_output

DEBOUNCE = 0.1  # seconds of quiet before a burst of saves is checked (a torn burst only costs one more refresh)
SYNC_AFTER = 2.0  # seconds of quiet before output/ is written
LONG_POLL = 25.0  # seconds a /__sitegen/state request waits for news

LIVE_JS = r"""(function () {
  var version = %(version)d, attempt = -1;
  function overlay(errors) {
    var box = document.getElementById('sitegen-errors');
    if (!errors.length) { if (box) { box.parentNode.removeChild(box); } return; }
    if (!box) {
      box = document.createElement('div');
      box.id = 'sitegen-errors';
      box.setAttribute('style', 'position:fixed;left:0;top:0;right:0;bottom:0;z-index:99999;overflow:auto;' +
        'background:rgba(40,0,0,.92);color:#fff;font:16px/1.6 sans-serif;padding:24px 32px');
      document.body.appendChild(box);
    }
    var parts = ['<h2 style="margin:0 0 12px;color:#ffd54f">内容有错误，网站暂未更新（改正并保存后会自动恢复）</h2>'];
    for (var i = 0; i < errors.length; i++) {
      parts.push('<p style="margin:0 0 10px"><b>' + errors[i].where + '</b><br>' + errors[i].message +
                 (errors[i].hint ? '<br><span style="color:#ffcc80">提示：' + errors[i].hint + '</span>' : '') + '</p>');
    }
    box.innerHTML = parts.join('');
  }
  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      if (xhr.status === 200) {
        var state = JSON.parse(xhr.responseText);
        attempt = state.attempt;
        if (state.errors.length) { overlay(state.errors); }
        else if (state.version !== version) { window.location.reload(); return; }
        else { overlay([]); }
        window.setTimeout(poll, 100);
      } else {
        window.setTimeout(poll, 2000);  // the server is restarting or gone: try again
      }
    };
    xhr.open('GET', '/__sitegen/state?attempt=' + attempt + '&t=' + new Date().getTime(), true);
    xhr.send(null);
  }
  poll();
})();
"""


NO_SITE_YET = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>内容有错误</title></head>'
    "<body><p>内容有错误，还没有可以预览的网站。改正后页面会自动出现。</p></body></html>"
).encode()


class Preview:
    """What the server shares with its request threads: the live site, which version the
    open pages should show, and the errors of the last attempt."""

    def __init__(self, live: LiveSite):
        self.live = live
        self.version = 0  # versions that changed something
        self.attempt = 0  # every refresh, successful or not
        self.errors: list[dict] = []
        self.changed = threading.Condition()
        self._sync_timer: threading.Timer | None = None
        self._sync_lock = threading.Lock()
        self._rebuild_lock = threading.Lock()

    def start(self) -> None:
        self._report(self.live.start(), first=True)

    def rebuild(self, changed: list[tuple[str, bool]] | None) -> None:
        with self._rebuild_lock:  # one refresh reported at a time, in order
            self._rebuild(changed)

    def _rebuild(self, changed: list[tuple[str, bool]] | None) -> None:
        try:
            outcome = self.live.refresh(changed)
        except Exception as exc:  # e.g. a folder removed while it was read: look at everything again
            print(f"读取内容时出错（{exc}），重新读取全部内容。", flush=True)
            try:
                outcome = self.live.refresh(None)
            except Exception as again:
                print(f"读取内容时出错：{again}。保存文件后会再试。", flush=True)
                return
        self._report(outcome)

    def _report(self, outcome: Outcome, first: bool = False) -> None:
        problems = outcome.problems
        with self.changed:
            self.attempt += 1
            if not problems:
                self.errors = []
                if outcome.changed or self.version == 0:
                    self.version += 1
            else:
                self.errors = [
                    {"where": html.escape(str(p.pos)), "message": html.escape(p.message), "hint": html.escape(p.hint)}
                    for p in problems[:50]
                ]
            self.changed.notify_all()
        if problems:
            print(f"内容有 {len(problems)} 个错误，网站保持上一次的结果：", flush=True)
            for p in problems[:10]:
                print(p.format(), flush=True)
            return
        if first:
            print(f"已读取并检查，用时 {outcome.seconds:.1f} 秒。", flush=True)
        else:
            if outcome.changed:
                print(f"已更新：重新检查用时 {outcome.seconds:.2f} 秒，打开的页面会自动刷新。", flush=True)
            if not self.live.output_current:
                self._schedule_sync()

    def _schedule_sync(self) -> None:
        """Write output/ once the edits pause (a full build in a child process)."""
        with self._sync_lock:
            if self._sync_timer is not None:
                self._sync_timer.cancel()
            self._sync_timer = threading.Timer(SYNC_AFTER, self._sync)
            self._sync_timer.daemon = True
            self._sync_timer.start()

    def _sync(self) -> None:
        if self.live.problems:
            return  # the content does not check: output/ keeps the last good build
        status = self.live.sync()
        if status is Sync.CURRENT:
            print(f"已写入 {self.live.output}。", flush=True)
        elif status in (Sync.BUSY, Sync.BEHIND):
            self._schedule_sync()  # edited again while it was written: once more
        else:
            print(f"写入 {self.live.output} 失败（运行 sitegen build 查看原因）；预览不受影响。", flush=True)

    def stop(self) -> None:
        with self._sync_lock:
            if self._sync_timer is not None:
                self._sync_timer.cancel()
        self.live.stop()
        if self.live.current is not None and not self.live.output_current:
            print(f"注意：{self.live.output} 还不是最新内容，运行 sitegen build 更新。", flush=True)

    def state(self, seen: int) -> dict:
        """The current state, once there was a refresh after the one the page has seen
        (-1: answer at once), or when time runs out."""
        deadline = time.monotonic() + LONG_POLL
        with self.changed:
            while seen >= 0 and self.attempt == seen:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(left)
            return {"version": self.version, "attempt": self.attempt, "errors": self.errors}


def make_handler(preview: Preview):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet: the terminal shows rebuilds and errors
            pass

        def do_HEAD(self) -> None:
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/__sitegen/state":
                try:
                    seen = int((parse_qs(parts.query).get("attempt") or ["-1"])[0])
                except ValueError:
                    seen = -1
                self._send(json.dumps(preview.state(seen), ensure_ascii=False).encode(), "application/json", head)
                return
            if parts.path == "/__sitegen/live.js":
                try:  # the version of the page that asks, written into its tag
                    version = int((parse_qs(parts.query).get("v") or ["0"])[0])
                except ValueError:
                    version = 0
                self._send((LIVE_JS % {"version": version}).encode(), "application/javascript", head)
                return
            path = posixpath.normpath("/" + unquote(parts.path)).lstrip("/")
            if "/." in "/" + path or "\0" in path:  # hidden files; normpath kept us below the site root
                self._fail(404, "没有这个页面。", head)
                return
            if parts.path.endswith("/") or not path:
                path = f"{path}/index.html".lstrip("/")
            # read before the page: a page never claims a newer version than it shows (at
            # worst it reloads once more)
            version = preview.version
            try:
                data = preview.live.get(path)  # waits while a version is being made
                folder = data is None and preview.live.get(path + "/index.html") is not None
            except TemplateFailed as exc:  # a theme override failed on this page: say where
                print(exc.problem.format(), flush=True)
                self._fail(500, exc.problem.format(), head)
                return
            except Exception as exc:  # a renderer failed: say so, keep serving
                print(f"生成 {path} 时出错：{exc}", flush=True)
                self._fail(500, "生成页面时出错，详见运行 sitegen serve 的终端。", head)
                return
            if data is None and path.endswith(".html") and preview.errors and preview.live.current is None:
                data = NO_SITE_YET  # nothing good to show yet: the overlay shows why
            if folder:
                self.send_response(301)
                self.send_header("Location", "/" + quote(path) + "/" + ("?" + parts.query if parts.query else ""))
                self.end_headers()
                return
            if data is None:
                self._fail(404, "没有这个页面。", head)
                return
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            if kind == "text/html":
                tag = f'<script src="/__sitegen/live.js?v={version}"></script></body>'.encode()
                data = data.replace(b"</body>", tag, 1)
                kind += "; charset=utf-8"
            elif kind.startswith("text/") or kind in ("application/javascript", "application/json"):
                kind += "; charset=utf-8"
            self._send(data, kind, head)

        def _fail(self, code: int, message: str, head: bool = False) -> None:
            """An error page in Chinese (the status line itself must stay ASCII), which
            reloads by itself like every page once there is a new version."""
            body = (
                f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{code}</title></head>'
                f'<body><p>{html.escape(message)}</p><p><a href="/">返回首页</a></p>'
                f'<script src="/__sitegen/live.js?v={preview.version}"></script></body></html>'
            ).encode()
            self._send(body, "text/html; charset=utf-8", head, code)

        def _send(self, body: bytes, kind: str, head: bool = False, code: int = 200) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except ConnectionError:  # the browser went away mid-answer: nothing to say
                self.close_connection = True

    return Handler


def watch(preview: Preview, folders: list[Path], poll: bool):
    """Start watching; returns the observer. Saves are coalesced: a refresh starts after
    DEBOUNCE seconds without a new event, with every path reported meanwhile."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    timer: list[threading.Timer | None] = [None]
    pending: list[tuple[str, bool] | None] = []
    lock = threading.Lock()
    output = preview.live.output.resolve()
    content = preview.live.content.resolve()
    # a commit or a checkout changes the data version every page names: git writes HEAD's
    # log then (and `git status` does not, so this cannot loop)
    git_dir = provenance.git_dir(content)
    git_head = {git_dir / "HEAD", git_dir / "logs" / "HEAD"} if git_dir else set()

    def fire() -> None:
        with lock:
            changed = list(pending)
            pending.clear()
        # a path outside the content folder (the theme) or unknown: scan everything
        preview.rebuild(None if None in changed else [c for c in changed if c is not None])

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            paths = [Path(p).resolve() for p in (event.src_path, getattr(event, "dest_path", "")) if p]
            # of git's own folder only HEAD's log counts (index.lock and the like come and go)
            paths = [
                p
                for p in paths
                if p in git_head
                or not (git_dir is not None and (git_dir in p.parents or p == git_dir))
                and not _ignored(p, output, content)
            ]
            if not paths:
                return
            with lock:
                for path in paths:
                    pending.append(
                        (path.relative_to(content).as_posix(), event.is_directory)
                        if content in path.parents and path not in git_head
                        else None
                    )
                if timer[0] is not None:
                    timer[0].cancel()
                timer[0] = fresh = threading.Timer(DEBOUNCE, fire)
                fresh.daemon = True
                fresh.start()

    from watchdog.events import (
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
    )

    # Only writes, creations, deletions and moves: asking inotify for opens and closes
    # too would overflow its queue on a large district.
    wanted = [
        FileModifiedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileMovedEvent,
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
    ]
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    for folder in folders:
        if folder.is_dir():
            observer.schedule(OnChange(), str(folder), recursive=True, event_filter=wanted)
    for folder in {path.parent for path in git_head}:
        if folder.is_dir():
            observer.schedule(OnChange(), str(folder), recursive=False, event_filter=wanted)
    observer.daemon = True
    observer.start()
    return observer


def _ignored(path: Path, output: Path, content: Path) -> bool:
    """The output itself, hidden files and folders (.git: git's own bookkeeping must not
    cause refreshes) and editors' temporary files."""
    if output in path.parents or path == output:
        return True
    inside = path.relative_to(content).parts if content in path.parents else (path.name,)
    return any(temporary(part) for part in inside)


class _Server(http.server.ThreadingHTTPServer):
    """A browser that goes away mid-answer (a reload, a closed tab) is normal, not an
    error: no traceback for it. Anything else is one line in Chinese."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):  # BrokenPipe, ConnectionReset, ConnectionAborted
            return
        print(f"处理 {client_address[0]} 的请求时出错：{type(error).__name__}: {error}", file=sys.stderr, flush=True)


def serve(
    content: Path,
    output: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    poll: bool = False,
    pdf: bool = False,
    history: bool = True,
    jobs: int | None = None,
    today: date | None = None,
) -> int:
    """`today`: the date to preview as (--today); None: the real date in Beijing time."""
    refused = check_output(output, content)  # the same folder rules as sitegen build: nothing touched
    if refused is not None:
        print(refused.format(), file=sys.stderr, flush=True)
        return 2
    preview = Preview(LiveSite(content, output, pdf=pdf, history=history, jobs=jobs, today=today))
    try:  # the address first: a port in use is said at once, not after the first build
        httpd = _Server((host, port), make_handler(preview))
    except OSError as exc:
        print(
            f"无法在 {host}:{port} 上提供预览：{exc.strerror}。换一个端口（--port 8001），"
            "或先停止正在使用这个端口的程序。",
            file=sys.stderr,
            flush=True,
        )
        return 2
    httpd.daemon_threads = True
    print(f"正在生成 {content} …", flush=True)
    preview.start()
    observer = watch(preview, [content, DEFAULT_THEME], poll)
    print(f"预览地址：http://{host}:{httpd.server_address[1]}/  （保存文件后页面自动刷新；按 Ctrl-C 停止）", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        print("\n已停止。", flush=True)
    finally:
        observer.stop()
        httpd.server_close()
        preview.stop()
    return 0
