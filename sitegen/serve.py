"""`sitegen serve`: build, serve on 127.0.0.1, rebuild on every save, reload open pages.

An edge around the pipeline, after MkDocs's livereload: watchdog reports changes in the
content and theme folders (native events, or polling with --poll for network drives and
WSL); a burst of saves is coalesced into one rebuild; the build writes its staging folder
and swaps it in atomically, and requests that arrive meanwhile wait for it, so a
half-built site is never served. Every HTML page served gets a small ES5 script that
long-polls the server: on a new build it reloads the page; while the content has errors
it shows them (file:line and the Chinese message) over the page, and the page comes back
by itself once the file is fixed.
"""

from __future__ import annotations

import html
import http.server
import json
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sitegen.build import build
from sitegen.render.theme import DEFAULT_THEME

DEBOUNCE = 0.3  # seconds of quiet before a burst of saves is rebuilt
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


class LiveSite:
    """The state the server shares with its request threads: which build is current,
    the errors of the last attempt, and a lock held while a build runs."""

    def __init__(self, content: Path, output: Path, pdf: bool, jobs: int | None):
        self.content = content
        self.output = output
        self.pdf = pdf
        self.jobs = jobs
        self.version = 0  # successful builds that changed something
        self.attempt = 0  # every build, successful or not
        self.errors: list[dict] = []
        self.changed = threading.Condition()
        self.building = threading.Lock()

    def rebuild(self) -> None:
        with self.building:
            result = build(self.content, self.output, quiet=True, jobs=self.jobs, pdf=self.pdf)
        with self.changed:
            self.attempt += 1
            if result.ok:
                self.errors = []
                if not result.unchanged or self.version == 0:
                    self.version += 1
            else:
                self.errors = [{"where": html.escape(str(p.pos)), "message": html.escape(p.message),
                                "hint": html.escape(p.hint)} for p in result.problems[:50]]
            self.changed.notify_all()
        if result.ok:
            print(f"已更新：重新生成 {result.rendered} 个文件，用时 {result.seconds:.1f} 秒。", flush=True)
        else:
            print(f"内容有 {len(result.problems)} 个错误，网站保持上一次的结果：", flush=True)
            for p in result.problems[:10]:
                print(p.format(), flush=True)

    def state(self, seen: int) -> dict:
        """The current state, once there was a build after the one the page has seen
        (-1: answer at once), or when time runs out."""
        deadline = time.monotonic() + LONG_POLL
        with self.changed:
            while seen >= 0 and self.attempt == seen:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(left)
            return {"version": self.version, "attempt": self.attempt, "errors": self.errors}


def make_handler(site: LiveSite):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site.output), **kwargs)

        def log_message(self, *args) -> None:  # quiet: the terminal shows rebuilds and errors
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/__sitegen/state":
                try:
                    seen = int((parse_qs(parts.query).get("attempt") or ["-1"])[0])
                except ValueError:
                    seen = -1
                self._send(json.dumps(site.state(seen), ensure_ascii=False).encode(), "application/json")
                return
            if parts.path == "/__sitegen/live.js":
                self._send((LIVE_JS % {"version": site.version}).encode(), "application/javascript")
                return
            with site.building:  # a request during a rebuild waits for it
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if path.suffix == ".html" and path.is_file():
                    page = path.read_bytes()
                    tag = f'<script src="/__sitegen/live.js?v={site.version}"></script></body>'.encode()
                    self._send(page.replace(b"</body>", tag, 1), "text/html; charset=utf-8")
                    return
            super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def watch(site: LiveSite, folders: list[Path], poll: bool):
    """Start watching; returns the observer. Saves are coalesced: a rebuild starts after
    DEBOUNCE seconds without a new event."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    timer: list[threading.Timer | None] = [None]
    lock = threading.Lock()
    output = site.output.resolve()

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            path = Path(getattr(event, "dest_path", "") or event.src_path).resolve()
            if output in path.parents or path == output or path.name.startswith((".", "~")) \
                    or path.name.endswith((".swp", ".tmp")):
                return
            if event.event_type in ("opened", "closed_no_write"):
                return
            with lock:
                if timer[0] is not None:
                    timer[0].cancel()
                timer[0] = threading.Timer(DEBOUNCE, site.rebuild)
                timer[0].daemon = True
                timer[0].start()

    from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                                 FileDeletedEvent, FileModifiedEvent, FileMovedEvent)

    # Only writes, creations, deletions and moves: every build reads every file, and asking
    # inotify for opens and closes too would overflow its queue on a large district.
    wanted = [FileModifiedEvent, FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent,
              DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    for folder in folders:
        if folder.is_dir():
            observer.schedule(OnChange(), str(folder), recursive=True, event_filter=wanted)
    observer.daemon = True
    observer.start()
    return observer


def serve(content: Path, output: Path, host: str = "127.0.0.1", port: int = 8000, *, poll: bool = False,
          pdf: bool = False, jobs: int | None = None) -> int:
    site = LiveSite(content, output, pdf, jobs)
    print(f"正在生成 {content} …", flush=True)
    site.rebuild()
    if not output.exists():
        output.mkdir(parents=True)  # nothing built yet: serve an empty folder and show the errors
    observer = watch(site, [content, DEFAULT_THEME], poll)
    httpd = http.server.ThreadingHTTPServer((host, port), make_handler(site))
    httpd.daemon_threads = True
    print(f"预览地址：http://{host}:{httpd.server_address[1]}/  （保存文件后页面自动刷新；按 Ctrl-C 停止）", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        print("\n已停止。", flush=True)
    finally:
        observer.stop()
        httpd.server_close()
    return 0
