"""`sitegen edit` at district scale: a quarter recorded through the forms, timed per save.

    python benchmarks/bench_edit.py [--branches 1000] [--members 30] [--git]

Uses the district of bench_check.py (generated once into benchmarks/data/), copied to a
temp folder. Starts the editor for one branch and drives its forms over HTTP the way a
secretary would: two new members, 15 activities covering about 30 members (全体 with an
exception, ticked members, a ranged item), one appeal upheld with a correction, and the
fourth quarter's steps with its 公示. Prints the number of user actions (fields filled,
boxes ticked, options chosen, buttons clicked) and the time of each save: the request
that checks the change against the whole district and writes it (goal: under 0.5 s),
in wall time and in this process's CPU time (the server's work, whatever else the
machine is doing), with the load average.
With --git the copy is a git repository, so each save is also checked against history.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import ensure_district  # noqa: E402

from sitegen.edit.server import Editor, make_server  # noqa: E402
from sitegen.model.enums import Part  # noqa: E402
from sitegen.model.scored import Role  # noqa: E402
from sitegen.rules.membership import role_on  # noqa: E402

TODAY = date(2027, 1, 25)


class Secretary:
    """Counts what a person does: each field filled, box ticked or option chosen is one
    action; each button clicked is one more."""

    def __init__(self, base: str):
        self.base = base
        self.actions = 0
        self.saves: list[float] = []
        self.cpu: list[float] = []  # this process's CPU time per save: the server's work, whatever the load
        self.refused = 0
        self.csrf = ""

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=120) as r:
            body = r.read().decode()
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        if m:
            self.csrf = m.group(1)
        return body

    def submit(self, path: str, fields: dict) -> str:
        self.actions += sum(len(v) if isinstance(v, list) else 1 for v in fields.values() if v) + 1
        data = urllib.parse.urlencode({"csrf": self.csrf, **fields}, doseq=True).encode()
        started, cpu = time.perf_counter(), time.process_time()
        try:
            with urllib.request.urlopen(self.base + path, data, timeout=120) as r:
                body = r.read().decode()
        except urllib.error.HTTPError as e:
            body = e.read().decode()
            self.refused += 1
            print("  没有保存：", " / ".join(re.findall(r'<div class="err"[^>]*>([^<]*)', body))[:400])
        self.saves.append(time.perf_counter() - started)
        self.cpu.append(time.process_time() - cpu)
        return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--git", action="store_true", help="check each save against git history too")
    args = parser.parse_args()
    source, _ = ensure_district(args)
    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-edit-"))
    try:
        content = work / "content"
        shutil.copytree(source, content, ignore=shutil.ignore_patterns(".generated"))
        if args.git:
            git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
            for cmd in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "基准"]):
                subprocess.run([*git, *cmd], cwd=work, check=True)
        run(content, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(content: Path, args) -> None:
    branch = sorted(p.name for p in (content / "committees").glob("*/branches/*"))[0]
    started = time.perf_counter()
    editor = Editor(content, branch, year=args.year, today=TODAY, history=args.git)
    print(f"支部 {branch}：编辑器启动（检查全区）{time.perf_counter() - started:.2f} 秒")
    ws = editor.desk(branch).ws
    by = ws.branch_year()
    result = ws.result()
    assert result is not None
    items = [i for i in result.scheme.items.values() if i.part in (Part.BASE, Part.BONUS) and i.points is not None][:6]
    ranged = next(i for i in result.scheme.items.values() if i.part is Part.BONUS and i.points is None)
    server = make_server(editor, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        s = Secretary(f"http://127.0.0.1:{server.server_address[1]}")
        s.get("/roster")
        for n, name in ((1, "新甲"), (2, "新乙")):
            s.submit(
                "/roster/join",
                {"id": f"NEW{n}", "name": name, "status": "预备党员", "joined": f"{args.year}-10-0{n}", "join": "入党"},
            )
        # the members a secretary can tick in October: scored here all quarter
        scored = [
            m.id
            for m in by.members
            if all(role_on(m, date(args.year, mo, 1)) is Role.SCORED for mo in (10, 11, 12))
            and role_on(m, date(args.year, 12, 31)) is Role.SCORED
        ]
        members = scored[:30] + ["NEW1", "NEW2"]
        s.get("/entry")
        first = ""
        for k in range(15):
            day = f"{args.year}-{10 + k // 6}-{1 + (k % 6) * 4 + (1 if k // 6 == 2 else 0):02d}"
            if k % 3 == 0:
                fields = {"date": day, "item": items[k % len(items)].code, "everyone": "1", "members": [members[k]]}
            elif k % 5 == 1:
                fields = {"date": day, "item": ranged.code, "members": members[k : k + 3], "points": str(ranged.min)}
            else:
                fields = {
                    "date": day,
                    "item": items[k % len(items)].code,
                    "members": members[(k * 2) % len(members) :][:4],
                }
            body = s.submit("/entry", fields)
            m = re.search(r"已保存：</b>登记活动 ([^：]+)：", body)
            first = first or (m.group(1) if m else "")
        s.get("/quarter")
        s.submit(
            "/quarter/steps",
            {"quarter": "4", "reviewed": f"{args.year + 1}-01-04", "feedback": f"{args.year + 1}-01-05"},
        )
        s.submit(
            "/quarter/appeal",
            {
                "quarter": "4",
                "by": "党员",
                "member": members[0],
                "entry": first,
                "filed": f"{args.year + 1}-01-06",
                "outcome": "更正",
                "decided": f"{args.year + 1}-01-07",
                "correction_members": members[:3],
                "correction_reason": "经核实补记。",
            },
        )
        s.submit(
            "/quarter/steps",
            {
                "quarter": "4",
                "confirmed": f"{args.year + 1}-01-08",
                "publicity_start": f"{args.year + 1}-01-09",
                "publicity_end": f"{args.year + 1}-01-15",
                "publicity_scope": "支部党务公开栏",
            },
        )
    finally:
        server.shutdown()
        server.server_close()
    saves, cpu = sorted(s.saves), sorted(s.cpu)
    print(f"保存 {len(saves)} 次（被拒绝 {s.refused} 次），用户操作 {s.actions} 次（填写、勾选、选择和点击）")
    print(
        f"每次保存：中位数 {statistics.median(saves):.3f} 秒，最慢 {saves[-1]:.3f} 秒，"
        f"90% 在 {saves[int(len(saves) * 0.9) - 1]:.3f} 秒内（目标 0.5 秒）"
    )
    print(
        f"每次保存的 CPU 时间（与机器负载无关）：中位数 {statistics.median(cpu):.3f} 秒，最多 {cpu[-1]:.3f} 秒；"
        f"负载（1/5/15 分钟平均）：{' / '.join(f'{x:.2f}' for x in os.getloadavg())}，{os.cpu_count()} 核"
    )


if __name__ == "__main__":
    main()
