"""The command line: a thin click layer over the library.

Exit codes: 0 success (nothing crossed the gate's thresholds); 1 a finding at or above
``--fail-on`` (warning by default), or an article label at or below ``--fail-on-label``, whose
main claims at or below it are then reported as LBL001 findings; 2 usage, configuration,
rule-pack, input or output error (the rest of the files are still checked and reported
first), or an unexpected internal error; 128 + the signal's number when stopped by SIGINT
(Ctrl-C, 130), SIGHUP (129) or SIGTERM (143); 141 standard output was closed early
(``| head``). A failure never exits 1, the gate's code.

Each command is a module of this package; they import the analysis when they run, so
`hedgecheck --help` imports none of it, and a scan only the output format it writes.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from hedgecheck import __version__, classcode

# Before the imports below, and the commands' own, make the package's dataclasses: each is
# made from the code a wheel ships compiled (hedgecheck.classcode).
classcode.install()

from hedgecheck.cli import signals, startup  # noqa: E402
from hedgecheck.cli.evaluate import evaluate_command  # noqa: E402
from hedgecheck.cli.exits import EXIT_SIGNALLED, report_failure  # noqa: E402
from hedgecheck.cli.explain import explain_command  # noqa: E402
from hedgecheck.cli.lsp import lsp_command  # noqa: E402
from hedgecheck.cli.rules import rules_command  # noqa: E402
from hedgecheck.cli.scan import scan  # noqa: E402
from hedgecheck.cli.serve import serve_command  # noqa: E402


class _Guarded(click.Group):
    """Every failure ends in a one-line ``hedgecheck: error:`` and exit 2, never a traceback
    and exit 1 (which CI would read as findings); a closed output pipe ends quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own usage errors, exits and aborts, reported as click does
        except Exception as exc:
            stopped_by = signals.stopped_by()
            if stopped_by is not None:
                # The stop signal's exit, raised wherever the run was, broke something on
                # its way out (a lock in the middle of a wait): no error of its own.
                sys.exit(EXIT_SIGNALLED + stopped_by)
            report_failure(exc)
        finally:
            startup.resume_collections(freeze=False)  # a command that loaded no rules


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hedgecheck")
def main() -> None:
    """Check science and health writing for hedging, evidence and overclaiming."""
    signals.stop_on_signals()
    startup.hold_collections()  # until the command's rules are loaded
    _no_collection_at_exit()


def _no_collection_at_exit() -> None:
    """At exit, the collector is told to leave every object alone (gc.freeze). The rule set
    and the modules are some 30,000 objects that live until the process ends; the
    collections at interpreter exit only walked them (about 50 ms of a one-line scan's
    0.34 s of CPU). Nothing is left undone: files are closed and workers reaped by the code
    that opened them, and atexit handlers still run."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however often main runs in one process
    atexit.register(gc.freeze)


main.add_command(scan)
main.add_command(explain_command)
main.add_command(evaluate_command)
main.add_command(rules_command)
main.add_command(serve_command)
main.add_command(lsp_command)
