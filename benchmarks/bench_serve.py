"""Time from saving a ledger file to the reloaded page, with `sitegen serve`.

    python benchmarks/bench_serve.py [--branches 1000] [--members 30]

Starts `sitegen serve` on the generated district, waits for the first build, then saves
one ledger file (one more activity for a whole branch) and measures until the live-reload
endpoint reports the new version and the changed page is served: the branch's board, and
separately its committee's page (a page made from every branch of the committee).
Saves come back to back, then with pauses long enough for serve to start writing output/
in a child process meanwhile (the case of a secretary who saves, looks, and saves again).
Ends with the server's peak memory.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.synth import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between the paused saves")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-serve-"))
    content = work / "content"
    generate(content, branches=args.branches, members=args.members, seed=1, year=2026)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", str(content), "-o", str(work / "out"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[1],
    )  # sitegen importable without installing
    base = f"http://127.0.0.1:{port}"
    try:
        t = time.perf_counter()
        state = None
        while state is None:
            try:
                state = json.load(urllib.request.urlopen(base + "/__sitegen/state?attempt=-1", timeout=600))
            except OSError:
                time.sleep(0.5)
        print(
            f"district: {args.branches} branches x {args.members} members; first build {time.perf_counter() - t:.1f} s"
        )
        ledger = sorted(content.glob("committees/*/branches/*/2026/ledger/q1.yaml"))[0]
        committee, branch = ledger.parts[-6], ledger.parts[-4]
        pages = {"branch": f"/2026/b/{branch}/index.html", "committee": f"/2026/c/{committee}/index.html"}
        n = 0
        for label, pause in (("back to back", 0.0), (f"{args.pause:g} s apart", args.pause)):
            for which, page in pages.items():
                for _ in range(args.runs):
                    time.sleep(pause)
                    attempt = state["attempt"]
                    n += 1
                    ledger.write_text(
                        ledger.read_text("utf-8") + f"  - id: BENCH-{n}\n    date: 2026-03-31\n"
                        "    item: B03\n    members: 全体\n",
                        "utf-8",
                    )
                    t = time.perf_counter()
                    state = json.load(urllib.request.urlopen(f"{base}/__sitegen/state?attempt={attempt}", timeout=600))
                    body = urllib.request.urlopen(base + page, timeout=60).read()
                    assert b"sitegen/live.js" in body
                    print(
                        f"save → reloaded {which} page ({label}): {time.perf_counter() - t:.2f} s "
                        f"(errors: {len(state['errors'])})",
                        flush=True,
                    )
        peak = next(
            (
                line.split()[1]
                for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
                if line.startswith("VmHWM")
            ),
            "?",
        )
        print(f"serve's peak memory: {int(peak) // 1024} MB" if peak != "?" else "", flush=True)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
