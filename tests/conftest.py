"""Shared fixtures: content folders made from the real fixture files, with edits planted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import MINI


@pytest.fixture
def mini(tmp_path) -> Path:
    """A fresh copy of tests/fixtures/mini to plant mistakes in."""
    dest = tmp_path / "content"
    shutil.copytree(MINI, dest)
    return dest
