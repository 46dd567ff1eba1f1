"""Shared fixtures: content folders made from the real fixture files, with edits planted.

Markers (registered in pyproject.toml) sort out the slow kinds of test, so that
`./run.sh test-fast` (`pytest -m "not slow and not pdf and not office and not browser"`)
can leave them out; CI runs them all. A test that starts WeasyPrint or Chromium without
its marker fails here, so the fast subset stays what it says.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from tests import browser as browser_module
from tests.support import MINI

# Property tests draw new examples on every developer run, to find what nobody thought
# of; under CI (CI=true, set by .ci/run) the same examples every run, so a run's colour
# depends on the commit alone. A failure found either way names its example to keep.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def mini(tmp_path) -> Path:
    """A fresh copy of tests/fixtures/mini to plant mistakes in."""
    dest = tmp_path / "content"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture(autouse=True)
def _heavy_tools_need_their_marker(request, monkeypatch):
    """PDFs (WeasyPrint) only in tests marked `pdf`, Chromium only in tests marked `browser`."""
    node = request.node
    monkeypatch.setattr(browser_module, "ALLOWED", node.get_closest_marker("browser") is not None)
    if node.get_closest_marker("pdf") is None:
        from sitegen.render.pdf.render import PdfRenderer

        def refuse(self, template, view):
            raise AssertionError(f"{node.nodeid} renders a PDF ({template}): mark it @pytest.mark.pdf")

        monkeypatch.setattr(PdfRenderer, "render", refuse)
