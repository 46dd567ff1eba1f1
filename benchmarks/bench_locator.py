"""`sitegen check` of a ledger file with thousands of errors: locating each error must not
cost a walk of the file's YAML tree (issue 12: 5,000 errors took 153 s when it did).

    python benchmarks/bench_locator.py              # 5,000 errors in one ledger file
    python benchmarks/bench_locator.py --errors 1   # the baseline: one error

Copies tests/fixtures/mini to a temporary folder, appends entries to one ledger file,
each naming a member who is not on the roster (E402, located at the member inside the
entry), and times `check` (no parse cache). Prints the errors found, the seconds, and
how many files the locator parsed (one per file with errors, however many errors)."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.check import check  # noqa: E402 (after sys.path is set)
from sitegen.validate import Locator  # noqa: E402

LEDGER = "committees/c1/branches/b1/2026/ledger/q1.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=5000, help="errors to plant (default 5000)")
    args = parser.parse_args()
    built: list[str] = []
    original = Locator._build

    def counting(self, file):
        built.append(file)
        return original(self, file)

    Locator._build = counting
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "tests/fixtures/mini", content)
        ledger = content / LEDGER
        entries = "".join(
            f"  - id: X{i}\n    date: 2026-01-{i % 28 + 1:02d}\n    item: B01\n    members: [M9]\n"
            for i in range(args.errors)
        )
        ledger.write_text(ledger.read_text("utf-8") + entries, "utf-8")
        started = time.perf_counter()
        report = check(content, cache_dir=None)
        seconds = time.perf_counter() - started
    found = sum(1 for p in report.errors if p.code == "E402")
    print(
        f"{found} errors (E402) located in {seconds:.2f} s; the locator parsed {len(built)} file(s): {sorted(set(built))}"
    )
    return 0 if found == args.errors else 1


if __name__ == "__main__":
    sys.exit(main())
