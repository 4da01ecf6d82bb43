"""No garbage collection while a command starts.

A one-line scan makes some 100,000 objects before it reads its first file: the modules,
their classes and functions, and the rule set unpickled from the cache. All of them live as
long as the process, and every one of them is tracked by the collector, so the collections
that run while they are made (one every 700 new objects, a full one now and then) only walk
them: about 15 ms of a one-line scan's 0.23 s of CPU. So from the command's start until its
rules are loaded no collection runs, and the objects then alive are frozen out of later
collections (gc.freeze), as they are at exit (``hedgecheck.cli``). Collections run as before
from there on, for the files. Done once a process: one that runs the command again (a test
suite) keeps its collections as they were.
"""

from __future__ import annotations

import gc

_state = {"started": False, "held": False}


def hold_collections() -> None:
    """No collection until ``resume_collections`` (the first command of a process whose
    collections are on)."""
    if _state["started"] or not gc.isenabled():
        return
    _state["started"] = _state["held"] = True
    gc.disable()


def resume_collections(*, freeze: bool) -> None:
    """Collections on again, if this module held them; with ``freeze``, the objects alive now
    (the modules and the rule set) first left out of every later one."""
    if not _state["held"]:
        return
    _state["held"] = False
    if freeze:
        gc.freeze()
    gc.enable()
