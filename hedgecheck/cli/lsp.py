"""``hedgecheck lsp``: the language server, on standard input and output."""

from __future__ import annotations

import sys

import click

from hedgecheck.cli.exits import fail
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
    shutdown; 2 when hedgecheck[lsp] is not installed.
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
    sys.exit(serve(delay=debounce))
