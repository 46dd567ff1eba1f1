#!/usr/bin/env python3
"""Print the demo district's numbers: per branch and year, every member's parts, total, grades.

python3 tools/demo/summary.py [content] [--members]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitegen.check import check  # noqa: E402
from sitegen.model.scored import Role  # noqa: E402


def main(argv):
    content = next((a for a in argv if not a.startswith("--")), str(ROOT / "content"))
    report = check(content, cache_dir=None)
    print(f"errors {len(report.errors)}, warnings {len(report.warnings)}")
    for year, yr in report.years.items():
        print(f"\n==== {year}")
        grades, finals = Counter(), Counter()
        for bid, br in yr.branches.items():
            roles = Counter(r.role for r in br.members)
            print(
                f"-- {bid} {br.category.value}: roster {len(br.members)}, scored {roles[Role.SCORED]}, "
                f"activists {roles[Role.ACTIVIST]}, exempt {roles[Role.EXEMPT]}, out {roles[Role.FLOATING_OUT]}, "
                f"published {br.published_quarters}"
            )
            for r in br.members:
                if r.role is Role.SCORED:
                    grades[r.grade.value] += 1
                    finals[(r.final_grade or r.grade).value] += 1
                if "--members" in argv and r.scored:
                    y = r.quarters[-1].ytd
                    print(
                        f"   {r.member.id} {r.member.name:4} {r.member.status.value:6} base {y.base:>3} bonus {y.bonus:>3} "
                        f"ded {y.deduction:>3} total {r.total:>4} {r.grade.value:3} final {r.final_grade and r.final_grade.value} "
                        f"rating {r.rating and r.rating.value} rank {r.rank} {'VETO' if r.vetoed else ''}"
                    )
        print("score grades:", dict(grades), " final:", dict(finals))
        d = yr.district
        print(
            "district stats:",
            d.total,
            d.participants,
            d.exempt,
            {g.value: n for g, n in d.grades.items()},
            "activists",
            d.activists,
            "final",
            d.final,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
