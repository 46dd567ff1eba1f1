"""A build whose units are looked at by forked workers keeps the files they reuse.

Found measuring issue 17 at 1,000 branches: when 64 units or more are looked at (after a
change of sitegen's code, or of the build's date), they go to forked workers; a file a
worker reused (its view unchanged) was recorded as kept only in the worker's copy of the
output, so the main process took it for a file of the last build no unit made, and
removed it: the next build had to render all of them again, and the site in between
lacked them. The small district, with the workers used from the first unit."""

from __future__ import annotations

import shutil
from datetime import date
from unittest import mock

import sitegen.render.run as run
from sitegen.build import build
from tests.render.helpers import add_second_committee, tree_digest
from tests.support import MINI


def test_files_reused_by_the_workers_stay(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(MINI, content)
    add_second_committee(content)
    first = build(content, out, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 6, 1), jobs=2)
    assert first.ok
    with mock.patch.object(run, "PARALLEL_FROM", 1):  # every unit's key changes with the date: all to the workers
        again = build(
            content, out, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 11, 1), jobs=2
        )
    assert again.ok and again.rendered_files, "the date changes some pages"
    fresh = tmp_path / "fresh"
    build(content, fresh, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 11, 1))
    assert tree_digest(out) == tree_digest(fresh)
