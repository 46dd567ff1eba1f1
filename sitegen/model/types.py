"""Annotated string types the loader checks beyond their Python type."""

from __future__ import annotations

from typing import Annotated


class IdRule:
    """An identifier: ASCII letters, digits, '-', '_' and '.'; stable across years."""


class TextRule:
    """Non-empty text (after stripping)."""


Id = Annotated[str, IdRule()]
Text = Annotated[str, TextRule()]
