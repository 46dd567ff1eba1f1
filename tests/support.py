"""Paths shared by tests."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
ROOT = Path(__file__).parent.parent
B1 = "committees/c1/branches/b1"
B1_2026 = f"{B1}/2026"
