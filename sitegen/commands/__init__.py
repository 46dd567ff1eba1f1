"""sitegen's commands: one module per command (or pair of commands), one registry.

Each module has `add(subparsers)`, which adds its subcommand(s) and sets `run` — the
handler, `run(args) -> exit status` — as the parser's default. `sitegen.cli` builds the
parser from `COMMANDS`, in this order (the order `sitegen --help` lists them), and
calls `args.run(args)`.
"""

from __future__ import annotations

from sitegen.commands import (
    build,
    check,
    diff,
    generate,
    ledger,
    publish,
    reminders,
    report,
    serve,
    stats,
)
from sitegen.edit import cli as edit

COMMANDS = (check, diff, publish, build, serve, report, reminders, generate, ledger, stats, edit)

__all__ = ["COMMANDS"]
