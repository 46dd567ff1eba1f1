"""`sitegen serve` with browsers that go away mid-answer (a reload, a closed tab): no
traceback, and the server keeps serving. And serve refuses an output folder that is
not ours, like build."""

from __future__ import annotations

import shutil
import signal
import socket
import struct
import subprocess
import sys
import urllib.request

from tests.serve.test_serve import _start
from tests.support import MINI, PATIENCE

BIG = 16 * 1024 * 1024  # far more than the socket buffers hold: the server is still writing when we leave


def test_a_browser_disconnecting_mid_response_prints_no_traceback(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    (content / "theme" / "assets").mkdir(parents=True)
    (content / "theme" / "assets" / "big.bin").write_bytes(b"\x5a" * BIG)
    base, proc = _start(tmp_path, content, "--no-history")
    try:
        port = int(base.rsplit(":", 1)[1])
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port), timeout=PATIENCE) as conn:
                conn.sendall(b"GET /assets/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert conn.recv(4096).startswith(b"HTTP/1.")  # the answer has begun
                # close with a reset (SO_LINGER 0), as a browser that is killed does
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        for path in ("/index.html", "/assets/style.css"):  # still serving
            assert urllib.request.urlopen(base + path, timeout=PATIENCE).status == 200
        with urllib.request.urlopen(base + "/assets/big.bin", timeout=PATIENCE) as whole:
            assert len(whole.read()) == BIG
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=PATIENCE)
    assert "Traceback" not in output and "BrokenPipe" not in output and "ConnectionReset" not in output, output
    assert "已停止" in output


def test_serve_refuses_an_output_folder_that_is_not_ours(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("文档\n", "utf-8")
    for target, code in (("content", "E970"), (".", "E970"), ("docs", "E971")):
        proc = subprocess.run(
            [sys.executable, "-m", "sitegen", "serve", "content", "-o", target, "--port", "0"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=PATIENCE,
        )
        assert proc.returncode == 2 and f"错误[{code}]" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "docs" / "a.md").read_text("utf-8") == "文档\n" and (content / "site.yaml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "docs"]
