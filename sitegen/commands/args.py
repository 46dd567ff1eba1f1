"""What the commands share: argument types and printing problems."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from sitegen.problems import Problem


def date_arg(example: str):
    """An argparse type reading an ISO date; the message shows `example` as the form to use."""

    def parse(text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"日期应写成 {example} 的形式，而不是“{text}”") from None

    return parse


def quarter_arg(text: str) -> int:
    if text in ("1", "2", "3", "4"):
        return int(text)
    raise argparse.ArgumentTypeError(f"季度是 1、2、3 或 4，而不是“{text}”")


def say_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    for p in problems:
        print(p.format(), file=stream or sys.stderr)
