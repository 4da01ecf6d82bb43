"""``hedgecheck lsp``: the language server, on standard input and output."""

from __future__ import annotations

import contextlib
import os
import sys

import click

from hedgecheck.cli import signals
from hedgecheck.cli.exits import EXIT_SIGNALLED, fail
from hedgecheck.errors import UsageError

# The modules of the lsp extra: a missing one is named with the install that brings it.
_EXTRA = {"pygls", "lsprotocol", "cattrs", "attrs"}


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk LSP on standard input and output (the only transport; accepted because "
    "editors pass it).",
)
@click.option(
    "--debounce",
    type=click.FloatRange(min=0, max=10),
    default=0.3,
    show_default=True,
    help="Seconds after the last change before a document is checked again.",
)
def lsp_command(stdio: bool, debounce: float) -> None:
    """Run the language server: diagnostics, hovers and quick fixes in an editor, for
    Markdown, HTML and plain text (needs hedgecheck[lsp]).

    Exit codes: 0 after the editor's shutdown and exit; 1 when the input ends without a
    shutdown; 2 when hedgecheck[lsp] is not installed; 130, 129, 143 stopped by SIGINT,
    SIGHUP, SIGTERM.
    """
    try:
        from hedgecheck.lsp.server import serve
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in _EXTRA:
            raise
        fail(
            UsageError(
                f"hedgecheck lsp needs the lsp extra ({exc.name} is missing): "
                "pip install 'hedgecheck[lsp]'"
            )
        )
    code = serve(delay=debounce)
    stopped_by = signals.stopped_by()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    # Not sys.exit: the server's thread reading standard input may be blocked in a read that
    # only the editor closing the pipe would end, and Python's exit waits for that thread.
    os._exit(EXIT_SIGNALLED + stopped_by if stopped_by is not None else code)
