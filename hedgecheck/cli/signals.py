"""The stop signals: SIGINT (Ctrl-C), SIGTERM and SIGHUP end a command at once."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click

from hedgecheck.cli.exits import EXIT_SIGNALLED, silence_stdout
from hedgecheck.settings import STOP_SIGNALS

_stopped_by: int | None = None  # the stop signal received, if any


def stopped_by() -> int | None:
    """The stop signal this process received, if any."""
    return _stopped_by


def stop_on_signals() -> None:
    """Ctrl-C (SIGINT), SIGTERM and SIGHUP end the run at once with the shell's code for the
    signal (128 + its number) and no traceback. ``finally`` blocks still run: the workers
    are killed and reaped, and a half-written --output file is removed. A second signal is
    ignored, so it cannot cut that clean-up short (which takes well under a second). The
    handlers in place before are put back when the command ends, so a program that runs the
    command in its own process (a test's CliRunner) keeps its own handling of its signals."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = {stop_signal: signal.getsignal(stop_signal) for stop_signal in STOP_SIGNALS}
    click.get_current_context().call_on_close(lambda: _restore_handlers(previous))

    def stop(signum: int, frame: object) -> None:
        global _stopped_by
        _stopped_by = signum
        for stop_signal in STOP_SIGNALS:
            signal.signal(stop_signal, signal.SIG_IGN)
        # The report on standard output is cut short anyway; what is still buffered must
        # not hold up the exit on a pipe that nobody reads.
        silence_stdout()
        raise SystemExit(EXIT_SIGNALLED + signum)

    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, stop)


def _restore_handlers(handlers: dict[int, Any]) -> None:
    for signum, handler in handlers.items():
        if handler is not None:  # None: set outside Python, and cannot be set back from it
            signal.signal(signum, handler)
