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

import collections
import contextlib
import itertools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from hedgecheck.settings import STOP_SIGNALS

_T = TypeVar("_T")
_R = TypeVar("_R")

# How often a worker looks for its parent: the longest an orphan lives on. A look is one
# system call, so even a tenth of a second costs nothing measurable.
PARENT_POLL_SECONDS = 0.1
# How long to wait for a killed worker to be gone (only a process stuck in the kernel,
# such as a read from a dead network disk, takes longer).
_REAP_SECONDS = 5.0
_ORPHANED = 1  # a worker's exit status when its parent is gone; nobody is left to read it
# Chunks per worker given to the pool ahead of the one being read: enough that no worker
# waits for work, few enough that results waiting for the reader stay few.
_CHUNKS_AHEAD = 2


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
    bell = _Bell()
    finished = False
    try:
        ahead = _Ahead(pool, bell, function, _chunks(items, chunksize), workers * _CHUNKS_AHEAD)
        ahead.submit()
        yield ahead.results()
        finished = True
    finally:
        if _close(pool, finished=finished):
            bell.close()


class _Ahead:
    """The chunks given to the pool a few at a time: at most ``most`` wait to be taken or
    are being checked, and a chunk's results are let go as soon as they are taken. Given
    all at once, every result stayed with its future until the run ended, so the run's
    memory grew with the corpus, and so did the results waiting for a slow reader."""

    def __init__(
        self,
        pool: ProcessPoolExecutor,
        bell: _Bell,
        function: Callable[[_T], _R],
        chunks: Iterator[list[_T]],
        most: int,
    ) -> None:
        self._pool, self._bell, self._function = pool, bell, function
        self._chunks = chunks
        self._most = most
        self._pending: collections.deque[Future[list[Any]]] = collections.deque()

    def submit(self) -> None:
        """Give the pool chunks until ``most`` are pending. The workers are started here:
        a stop signal that arrived while one was being forked would end the run before the
        pool knew the worker, leaving it behind."""
        with _stop_signals_deferred():
            while len(self._pending) < self._most:
                chunk = next(self._chunks, None)
                if chunk is None:
                    return
                future = self._pool.submit(_run_chunk, self._function, chunk)
                future.add_done_callback(self._bell.ring)
                self._pending.append(future)

    def results(self) -> Iterator[Any]:
        while self._pending:
            results = self._bell.result(self._pending.popleft())
            self.submit()
            yield from results
            del results  # not held while the next chunk is waited for


def _run_chunk(function: Callable[[_T], _R], chunk: list[_T]) -> list[_R]:
    return [function(item) for item in chunk]


def _chunks(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class _Bell:
    """How the main thread waits for a result: in a read from a pipe that each finished
    chunk writes a byte to. A stop signal's exception then comes out of that read, in this
    module's code. Waiting in ``Future.result`` instead, it could come out of the middle of
    ``threading.Condition.wait``, between a lock's release and the ``try`` that takes it
    back, and the run would end with a RuntimeError instead of the signal's exit code."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)

    def ring(self, chunk: Future[Any]) -> None:
        with contextlib.suppress(BlockingIOError):  # a full pipe already wakes the reader
            os.write(self._write, b"\0")

    def result(self, chunk: Future[list[_R]]) -> list[_R]:
        while not chunk.done():
            os.read(self._read, 4096)
        return chunk.result()

    def close(self) -> None:
        os.close(self._read)
        os.close(self._write)


def _close(pool: ProcessPoolExecutor, *, finished: bool) -> bool:
    """Shut the pool down (``finished``) or kill its workers; whether it is all over: no
    thread of the pool is left to call back."""
    # The pool has no public way to kill its workers before Python 3.14. It keeps them (by
    # pid) in ``_processes``, the pipe they send results through in ``_result_queue``, and
    # the thread that reads it in ``_executor_manager_thread``; shutting down clears them.
    workers: list[BaseProcess] = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
    if finished:
        pool.shutdown(wait=True, cancel_futures=True)
        return True
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join(_REAP_SECONDS)
    # A worker killed half-way through sending a result leaves the pool's reading thread
    # waiting for the rest of it, and Python waits for that thread at exit. Once this
    # process's own copy of the writing end is closed too, the thread reads the end of the
    # pipe instead, takes the pool for broken and ends; it is waited for here, not in
    # Python's exit, where it would race the exit's own call to wake it.
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()
    if manager is not None:
        manager.join(_REAP_SECONDS)
    return manager is None or not manager.is_alive()


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
