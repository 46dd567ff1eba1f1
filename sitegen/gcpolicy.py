"""The garbage collector's settings for a command that runs once and exits.

Loading, checking and scoring a district make over a million long-lived objects (the
model, the scores, the parsed files) and hardly a cycle worth finding; with the default
thresholds the collector walks them again and again — measured: 1.5 of 5.5 s of a build
after a one-file edit of 1,000 branches, four full collections among them. A batch
command (`build`, `check`, `diff`, …) does not collect while the district is loaded
(nothing made then is garbage: the model, its scores and their parts live to the end),
then tells the collector to leave what exists by then alone (`gc.freeze`) and collects
what is made afterwards (the pages' views) with raised thresholds. The process exits at
the end, so nothing frozen is kept longer than it would live anyway.

Long-running commands (`serve`, `edit`) and sitegen used as a library (the tests) keep
the interpreter's defaults: they manage their own (sitegen.live, sitegen.edit.workspace).
"""

from __future__ import annotations

import gc

_batch = False

LONG_RUNNING = frozenset({"serve", "edit"})


def batch_process() -> None:
    """This process runs one command and exits: no collection until :func:`settled`, then
    the loaded district frozen and fewer collections."""
    global _batch
    _batch = True
    gc.set_threshold(100_000, 50, 100)
    gc.disable()


def settled() -> None:
    """The district is loaded and scored: in a batch process, the collector no longer
    walks it (nothing in it is garbage before the process exits)."""
    if _batch:
        gc.freeze()
        gc.enable()
