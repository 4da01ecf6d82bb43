"""Where a report goes: standard output or a file, in colour or not, with a progress bar
on a terminal; and no output that is also an input."""

from __future__ import annotations

import contextlib
import io
import os
import select
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from hedgecheck.config import Config


def progress_bar(total: int, *, enabled: bool) -> Any:
    """A progress bar on a terminal's stderr for multi-file scans; silent otherwise."""
    if not (enabled and total > 1 and sys.stderr.isatty()):
        return _NoProgress()
    return click.progressbar(length=total, file=sys.stderr, label="checking")


class _NoProgress:
    """A progress bar that is not shown: click's would import its terminal code (a few ms
    of a one-line scan) to draw into nowhere."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, steps: int) -> None:
        return None


def wants_color(flag: bool | None, output: str | None) -> bool:
    """--color or --no-color when given; else colour on a terminal's standard output,
    unless NO_COLOR is set."""
    if flag is not None:
        return flag
    from hedgecheck.outputs import STDIO

    to_stdout = output is None or output == STDIO
    return to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@contextlib.contextmanager
def output_writer(output: str | None, *, color: bool = False) -> Iterator[Callable[[str], object]]:
    """A writer to standard output (no FILE, or -), or to FILE as ``hedgecheck.outputs``
    writes it: a file is replaced atomically when the block ends without an exception, so
    no half-written report is left."""
    from hedgecheck.outputs import STDIO, text_writer

    if not output or output == STDIO:
        stdout = _WholeWrites()
        yield lambda chunk: click.echo(chunk, nl=False, color=color, file=stdout) if chunk else None
        return
    with text_writer(output) as write:
        yield write


class _WholeWrites:
    """Standard output that writes the whole of every chunk. An unbuffered one
    (PYTHONUNBUFFERED=1, common in CI images) silently drops the rest of a chunk the system
    took only part of, as when the reader of a pipe goes away: the run would end 0 with half
    a report instead of with the closed pipe's error."""

    def write(self, text: str) -> int:
        stream = sys.stdout
        raw = getattr(stream, "buffer", None)
        if not isinstance(raw, io.RawIOBase):
            return stream.write(text)  # a buffered stream writes everything or raises
        stream.flush()
        view = memoryview(text.encode(stream.encoding, stream.errors or "strict"))
        while view:
            written = raw.write(view)
            if written is None:  # a non-blocking descriptor that is full for now
                select.select([], [raw], [])
                continue
            view = view[written:]
        return len(text)

    def flush(self) -> None:
        sys.stdout.flush()


def refuse_output_in_inputs(
    output: str,
    inputs: tuple[str, ...],
    rule_paths: tuple[str, ...],
    config: Config,
    options: dict[str, Any],
    option: str,
) -> None:
    """No output may be an input (a scanned file, standard input, a rule pack, the config),
    nor, unless --allow-output-in-input, lie in a scanned folder or a folder of packs."""
    from hedgecheck.outputs import STDIO, refuse_inputs

    read = (*inputs, *rule_paths, *([str(config.path)] if config.path else []))
    refuse_inputs(
        output,
        files=read,
        folders=[p for p in read if p != STDIO and Path(p).is_dir()],
        option=option,
        allow_in_folders=options["allow_output_in_input"],
    )
