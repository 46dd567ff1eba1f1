"""A second correction, written as the validator advises (it `corrects` the first
correction), restating only the points. Found while writing the rules property test:
`resolve_entries` (sitegen/load/assemble.py) let a correction inherit what it does not
restate from the entry it names *as written*, so a correction of a correction that
itself inherited the item got no item, and validation reported E403 ("没有写积分项目
item") at a correction the secretary wrote as told. Now both follow the chain."""

from __future__ import annotations

import shutil
from decimal import Decimal

from sitegen.check import check
from tests.support import MINI

LEDGER = "committees/c1/branches/b1/2026/ledger/q2.yaml"


def test_a_correction_of_a_correction_inherits_the_item(tmp_path):
    shutil.copytree(MINI, tmp_path / "c")
    path = tmp_path / "c" / LEDGER
    path.write_text(
        path.read_text("utf-8")
        + (
            "  - id: E12\n    date: 2026-06-10\n    corrects: E04\n    points: 1\n    reason: 核对服务时长，应为 1 分。\n"
            "  - id: E13\n    date: 2026-06-11\n    corrects: E12\n    points: 2\n    reason: 再次核对，原记录无误。\n"
        ),
        "utf-8",
    )
    report = check(tmp_path / "c", cache_dir=None)
    assert [p for p in report.errors if p.pos.file == LEDGER] == []
    m1 = report.years[2026].branches["b1"].result("M1")
    assert dict(m1.items)["A01"] == Decimal(2)
