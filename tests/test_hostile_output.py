"""Hostile text never reaches a terminal, a CI annotation or a JUnit report (issue 12,
item 6): escapes that write ESC and bidi overrides, and a file name with a control
character, give E018 in every format; the JUnit report is well-formed XML."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

from tests.support import B1_2026

HOSTILE = ("\x1b", "\x01", "\u202e", "\x07")


def test_hostile_input_in_every_format(mini):
    roster = mini / f"{B1_2026}/roster.yaml"
    roster.write_text(
        roster.read_text("utf-8")
        .replace("name: 孙三", 'name: "Q\\x01Z\\x1b[2J"')
        .replace("name: 李四", 'name: "\\u202e四李"'),
        "utf-8",
    )
    (mini / "notices/2026-02-01-\x07\u202e.md").write_text("---\ntitle: 甲\ndate: 2026-02-01\n---\n", "utf-8")
    ledger = mini / f"{B1_2026}/ledger/q1.yaml"
    ledger.write_text(ledger.read_text("utf-8") + '  - id: "X\\e]8;;http://x.example/\\e\\\\"\n', "utf-8")
    for fmt in ("text", "json", "github", "gitlab", "junit"):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "sitegen",
                "check",
                str(mini),
                "--format",
                fmt,
                "--no-cache",
                "--no-history",
                "--today",
                "2026-03-01",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert not [ch for ch in HOSTILE if ch in out.stdout + out.stderr], fmt
        assert out.stdout.count("E018") >= 4, (fmt, out.stdout)
        if fmt == "junit":
            root = ET.fromstring(out.stdout.encode("utf-8"))
            assert root.tag == "testsuites" and root.find("testsuite").get("failures") != "0"
        if fmt in ("json", "gitlab"):
            json.loads(out.stdout)
