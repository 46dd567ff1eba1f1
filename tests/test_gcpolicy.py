"""The collector's settings of a batch command (sitegen.gcpolicy): `sitegen check` run as a
process does not collect while it loads the district, then freezes what it loaded; the
same code used as a library (a test, `serve`) keeps the interpreter's defaults."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from tests.support import MINI, ROOT

PROBE = """
import gc, json, sys
from sitegen import cli, gcpolicy
seen = []
def collections():
    return sum(s["collections"] for s in gc.get_stats())
start = []
real_batch = gcpolicy.batch_process
def batch_process():
    real_batch()
    start.append(collections())
gcpolicy.batch_process = batch_process
real = gcpolicy.settled
def settled():
    seen.append({"enabled_before": gc.isenabled(), "collections_while_loading": collections() - start[0]})
    real()
    seen[-1].update(enabled_after=gc.isenabled(), frozen=gc.get_freeze_count())
gcpolicy.settled = settled
sys.argv = ["sitegen", *sys.argv[1:]]
code = cli.main()
print(json.dumps({"code": code, "seen": seen, "threshold": gc.get_threshold()}))
"""


def test_a_batch_command_does_not_collect_while_loading(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "check", str(MINI), "--today", "2026-11-23"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
        check=False,
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, out.stderr
    [seen] = report["seen"]
    assert seen["enabled_before"] is False and seen["collections_while_loading"] == 0
    assert seen["enabled_after"] is True and seen["frozen"] > 10_000
    assert report["threshold"][0] == 100_000


def test_as_a_library_the_defaults_stay():
    from sitegen import gcpolicy
    from sitegen.check import check

    before = gc.get_threshold(), gc.isenabled(), gc.get_freeze_count()
    check(MINI, cache_dir=None)
    gcpolicy.settled()
    assert (gc.get_threshold(), gc.isenabled(), gc.get_freeze_count()) == before
