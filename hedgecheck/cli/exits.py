"""How a command ends: its exit codes (:mod:`hedgecheck.cli` says when each is used), and its
one-line messages on standard error."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import NoReturn

import click

from hedgecheck.errors import HedgecheckError, OutputError

EXIT_OK = 0
EXIT_GATE = 1
EXIT_ERROR = 2
EXIT_SIGNALLED = 128  # plus the signal's number, as a shell reports a process it stopped
EXIT_CLOSED_PIPE = 141  # as a program killed by SIGPIPE


def report_failure(exc: Exception) -> NoReturn:
    """An exception that reached the top of a command, as a one-line error and exit 2."""
    if isinstance(exc, HedgecheckError):
        fail(exc)
    if isinstance(exc, OSError):
        os_failure(exc)
    import traceback

    from hedgecheck.formats._safe import safe_line

    # A bug: its traceback is what a report of it needs. A traceback quotes input (file
    # names, text): each line is made safe like any other.
    for line in traceback.format_exc().splitlines():
        with contextlib.suppress(OSError):
            click.echo(safe_line(line), err=True)
    fail(HedgecheckError(f"internal error ({type(exc).__name__}); please report it"))


def fail(exc: Exception) -> NoReturn:
    """``exc`` as one ``hedgecheck: error:`` line, and exit 2."""
    with contextlib.suppress(OSError):  # a closed or full stderr cannot be told either
        say(f"error: {exc}")
    sys.exit(EXIT_ERROR)


def os_failure(exc: OSError) -> NoReturn:
    """An OSError that reached the top. Files are read and written by code that names
    them, so one without a file name came from writing standard output: closed early by
    its reader (quiet), or full or failing (named)."""
    if exc.filename is not None:
        fail(HedgecheckError(f"{exc.filename}: {exc.strerror or exc}"))
    silence_stdout()
    if exc.errno == errno.EPIPE:
        sys.exit(EXIT_CLOSED_PIPE)
    fail(OutputError(f"cannot write: {exc.strerror or exc}", path="standard output"))


def silence_stdout() -> None:
    """Point standard output at the null device, so that the text still waiting in its
    buffer does not fail again, with a traceback and exit 120, in Python's last flush."""
    with contextlib.suppress(AttributeError, ValueError, OSError):  # not a real file
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def say(message: str) -> None:
    """One line on stderr. Messages quote file names and input, so every control and line
    break in them is shown as an escape: none can reach the terminal or start a line."""
    from hedgecheck.formats._safe import safe_line

    click.echo(safe_line(f"hedgecheck: {message}"), err=True)
