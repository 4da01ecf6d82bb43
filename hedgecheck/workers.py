"""Worker processes that never outlive the run that started them.

A scan with ``--jobs`` checks files in worker processes, which must end with the run
however the run ends:

- A run that finishes shuts its workers down and reaps them.
- A run abandoned part-way (an exception, a stop signal the command line turns into one,
  a caller that drops the iterator) kills its workers and reaps them. Asking nicely could
  wait for ever: a worker may be deep in a file, or blocked writing a result into a pipe
  that nobody reads any more.
- Workers ignore SIGINT, SIGTERM and SIGHUP. A terminal's Ctrl-C or hang-up, or a signal
  sent to the process group, reaches the run and its workers at once; the run alone decides,
  so the exit code and the clean-up do not depend on which process the signal reached first.
- A run killed outright (SIGKILL, the out-of-memory killer) cleans nothing up, so every
  worker watches its parent and exits once it is gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

_T = TypeVar("_T")
_R = TypeVar("_R")

# SIGHUP is missing on Windows, where the pool still works, without any of this.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
# How often a worker looks for its parent: the longest an orphan lives on. A look is one
# system call, so even a tenth of a second costs nothing measurable.
PARENT_POLL_SECONDS = 0.1
# How long to wait for a killed worker to be gone (only a process stuck in the kernel,
# such as a read from a dead network disk, takes longer).
_REAP_SECONDS = 5.0
_ORPHANED = 1  # a worker's exit status when its parent is gone; nobody is left to read it


@contextlib.contextmanager
def worker_map(
    function: Callable[[_T], _R],
    items: Iterable[_T],
    *,
    workers: int,
    chunksize: int,
    initializer: Callable[..., object],
    initargs: tuple[Any, ...] = (),
) -> Iterator[Iterator[_R]]:
    """``function`` over ``items`` in ``workers`` processes, each set up by ``initializer``;
    the results come in input order. The workers end when the block does: shut down and
    reaped when it ends normally, killed and reaped when it ends with an exception."""
    pool = ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )
    finished = False
    try:
        # The workers are started here. A stop signal that arrived while one was being
        # forked would end the run before the pool knew the worker, leaving it behind.
        with _stop_signals_deferred():
            results = pool.map(function, items, chunksize=chunksize)
        yield results
        finished = True
    finally:
        _close(pool, finished=finished)


def _close(pool: ProcessPoolExecutor, *, finished: bool) -> None:
    # The pool has no public way to kill its workers before Python 3.14. It keeps them (by
    # pid) in ``_processes``, and the pipe they send results through in ``_result_queue``;
    # shutting down clears both, so they are read first.
    workers: list[BaseProcess] = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    if finished:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join(_REAP_SECONDS)
    # A worker killed half-way through sending a result leaves the pool's reading thread
    # waiting for the rest of it, and Python waits for that thread at exit. Once this
    # process's own copy of the writing end is closed too, the thread reads the end of the
    # pipe instead, takes the pool for broken and ends.
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()


@contextlib.contextmanager
def _stop_signals_deferred() -> Iterator[None]:
    """Hold the stop signals back from this thread while the block runs; one that arrives
    meanwhile is handled as soon as it ends. The threads and processes started in the block
    inherit the mask: the pool's threads never take a signal meant for the main thread,
    and a new worker holds the signals back until it has chosen to ignore them."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(run: int, initializer: Callable[..., object], initargs: tuple[Any, ...]) -> None:
    for stop in STOP_SIGNALS:
        signal.signal(stop, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    _exit_with_parent(run)
    initializer(*initargs)


def _exit_with_parent(run: int) -> None:
    """Exit once this worker's parent (the run, or a fork server the run started) is gone:
    on POSIX an orphan is adopted by another process, so its parent's pid changes."""
    if os.name != "posix":  # Windows adopts no orphans, and os.kill(pid, 0) would kill
        return
    parent = os.getppid()
    if parent != run and not _exists(run):
        os._exit(_ORPHANED)  # the run died before this worker could start watching it

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(_ORPHANED)

    threading.Thread(target=watch, name="hedgecheck-parent-watch", daemon=True).start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
