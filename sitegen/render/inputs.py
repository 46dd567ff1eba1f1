"""What each unit of pages is made from, as one hash: decides whether a unit can be reused.

A branch's pages for a year depend on: that branch's files for the year (roster, plan,
ledger, quarters, year end), its branch.yaml and notices; the scheme layers above it
(site.yaml, scheme/<year>.yaml, its committee's committee.yaml and 细则); the ranks
across branches given to its members (once its year end is published: only then are
those ranks shown); which branch each floating member moves to or from, by name; and
the site-wide things every page shows (theme, provenance, years). The latest year's
unit also makes the branch's lobby screen, which shows the district's notices and an
earlier year's 光荣榜: its key covers the branch's files and the schemes of every year.
The site-level unit (district, committee and ranking pages) is always recomputed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sitegen.model.scored import YearResult
from sitegen.model.site import District


def branch_files(hashes: dict[str, str]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(committee, branch) → [(path below the branch folder, content hash)]."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for path, digest in hashes.items():
        parts = path.split("/", 4)
        if len(parts) == 5 and parts[0] == "committees" and parts[2] == "branches":
            out[(parts[1], parts[3])].append((parts[4], digest))
    return out


def unit_keys(
    district: District, years: dict[int, YearResult], hashes: dict[str, str], site_digest: str
) -> dict[tuple, str]:
    grouped = branch_files(hashes)
    names = {b.id: b.info.short_name for b in district.branches()}
    keys: dict[tuple, str] = {}
    latest = max(years, default=0)
    # the latest year's unit also makes the branch's lobby screen, which shows the district's
    # notices and the 光荣榜 of an earlier year: those inputs count too
    district_notices = sorted((p, d) for p, d in hashes.items() if p.startswith("notices/"))
    for year, result in years.items():
        # the latest year's unit also shows an earlier year's 光荣榜 (on the lobby screen):
        # the grades of that year depend on that year's schemes
        scheme_years = sorted(years) if year == latest else [year]
        shared = [hashes.get("site.yaml", "")] + [hashes.get(f"scheme/{y}.yaml", "") for y in scheme_years]
        for committee in district.committees:
            above = (
                shared
                + [hashes.get(f"committees/{committee.id}/committee.yaml", "")]
                + [hashes.get(f"committees/{committee.id}/scheme/{y}.yaml", "") for y in scheme_years]
            )
            for branch in committee.branches:
                bres = result.branches.get(branch.id)
                if bres is None:
                    continue
                own = sorted(
                    (rel, digest)
                    for rel, digest in grouped.get((committee.id, branch.id), ())
                    if year == latest or not rel[:4].isdigit() or rel.startswith(f"{year}/")
                )
                if year == latest:
                    own += district_notices
                # ranks across branches reach the pages only once the branch's year end is published
                ranks = (
                    [(r.member.id, r.rank_committee, r.rank_district) for r in bres.members]
                    if bres.year_end_done
                    else []
                )
                # who floats to or from which branch, by the name the pages show
                moved = sorted(
                    (r.member.id, x, names.get(x, x)) for r in bres.members for x in (r.scored_at, r.floating_from) if x
                )
                # which 公示 have started by the build's date: they decide what the pages show
                shown = (tuple(q.publicity is not None for q in bres.quarters), bres.year_end_done)
                h = hashlib.sha256(site_digest.encode())
                h.update(repr((year, above, own, ranks, moved, shown)).encode())
                keys[("branch", year, committee.id, branch.id)] = h.hexdigest()[:32]
    return keys


def unit_id(unit: tuple) -> str:
    return "/".join(str(part) for part in unit)
