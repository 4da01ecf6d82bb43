"""Output formats, one module each, registered by name and fed by the one report model.

Every format is a function ``render(reports, *, color=False, rules=None) -> str``. ``rules``
is the :class:`~hedgecheck.ruleset.RuleSet` the reports were made with; formats that document
rules (SARIF's rule metadata, the HTML page's cue help) read it, and fall back to the default
packs when it is None. ``color`` matters only to the text format. A format registered as
``detailed`` (the text format) also takes ``verbose``, the CLI's ``--verbose``, and then
shows claim-by-claim detail; the registry passes it to no other format.

Every format is also written one report at a time: it registers a ``stream`` factory,
called with the same keywords, whose object (a
:class:`hedgecheck.formats._common.ReportStream`) has ``begin() -> str``,
``add(report) -> str`` and ``end() -> str``; the pieces joined are exactly what ``render``
returns. The CLI uses it so that a scan of a large corpus never holds every report. A
``detailed`` format's stream also takes ``verbose``. ``end_pieces()`` is the same text as
``end()`` a piece at a time, which the CLI writes as it comes: a stream whose ending is
large (the HTML page and the Markdown summary set each file's section aside until their
header can count them all, SARIF its artifacts and results until it can index their
rules, GitHub's commands their notices until every finding is out) gives it in many.
``add`` is ``add_record(record(report))``: ``record`` depends on the report alone, so with
``--jobs`` it runs in the worker that checked the file, and the parent, which writes the
records in order with ``add_record``, never receives the report itself. ``pieces(report)``
is the record in pieces, made as they are asked for, and ``add_pieces(pieces)`` what
``add_record`` gives, in pieces: the JSON formats and the text format write a big file's
report a few claims at a time, never holding its whole text.

Every format is registered with its output kind (:data:`hedgecheck.formats._safe.KINDS`),
and what it returns (the whole output, or each piece of a stream) goes through
:func:`hedgecheck.formats._safe.guard` for that kind: no format, present or future, can print
a terminal escape, a bidi control, a lone surrogate or a GitHub workflow command taken from
outside text.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from hedgecheck.formats._safe import COMMANDS, HTML, JSON, TEXT, guard

if TYPE_CHECKING:
    from hedgecheck.model import Report
    from hedgecheck.ruleset import RuleSet


class Stream(Protocol):
    """A format written one report at a time."""

    def begin(self) -> str: ...

    def add(self, report: Report) -> str: ...

    def record(self, report: Report) -> str: ...

    def pieces(self, report: Report) -> Iterator[str]: ...

    def add_record(self, record: str) -> str: ...

    def add_pieces(self, pieces: Iterable[str]) -> Iterator[str]: ...

    def end(self) -> str: ...

    def end_pieces(self) -> Iterator[str]: ...


@dataclass(frozen=True)
class Format:
    """An output format: its name and description, and how it renders and streams reports."""

    name: str
    description: str
    render: Callable[..., str]
    stream: Callable[..., Stream]
    detailed: bool = False  # its render and stream take ``verbose``


class _GuardedStream:
    """A format's stream whose every piece goes through :func:`guard`. ``add_record`` adds
    only the format's separators to a record ``record`` has already guarded."""

    def __init__(
        self,
        make: Callable[..., Stream],
        kind: str,
        detailed: bool,
        *,
        color: bool = False,
        rules: RuleSet | None = None,
        verbose: bool = False,
    ) -> None:
        detail = {"verbose": verbose} if detailed else {}
        self._stream = make(color=color, rules=rules, **detail)
        self._kind = kind
        self._color = color

    def _guard(self, output: str) -> str:
        return guard(output, self._kind, color=self._color)

    def begin(self) -> str:
        return self._guard(self._stream.begin())

    def add(self, report: Report) -> str:
        return self.add_record(self.record(report))

    def record(self, report: Report) -> str:
        return self._guard(self._stream.record(report))

    def pieces(self, report: Report) -> Iterator[str]:
        """``record(report)`` in pieces, each guarded: a piece ends between two values of
        a JSON document or at a line end, so guarding it alone gives what guarding the
        whole would."""
        for piece in self._stream.pieces(report):
            yield self._guard(piece)

    def add_record(self, record: str) -> str:
        return self._stream.add_record(record)

    def add_pieces(self, pieces: Iterable[str]) -> Iterator[str]:
        return self._stream.add_pieces(pieces)

    def end(self) -> str:
        return self._guard(self._stream.end())

    def end_pieces(self) -> Iterator[str]:
        """``end()`` in pieces, each guarded: a piece holds whole lines, so guarding it
        alone gives what guarding the whole would."""
        for piece in self._stream.end_pieces():
            yield self._guard(piece)


def _module(name: str) -> Any:
    """The module that writes a format, imported on first use: a run imports the one format
    it writes, not all eight (SARIF's alone brings importlib.metadata)."""
    return importlib.import_module(f"hedgecheck.formats.{name}")


def _stream_of(module: str, **options: Any) -> Stream:
    return _module(module).Stream(**options)


def _guarded_render(
    module: str,
    kind: str,
    detailed: bool,
    reports: Sequence[Report],
    *,
    color: bool = False,
    rules: RuleSet | None = None,
    verbose: bool = False,
) -> str:
    detail = {"verbose": verbose} if detailed else {}
    render = _module(module).render
    return guard(render(reports, color=color, rules=rules, **detail), kind, color=color)


def _format(
    name: str,
    description: str,
    module: str,
    kind: str,
    *,
    detailed: bool = False,
) -> Format:
    """Format ``name``, written by ``module`` (its ``render`` and, when it ``streams``, its
    ``Stream``), with every output guarded for ``kind``."""
    return Format(
        name,
        description,
        partial(_guarded_render, module, kind, detailed),
        partial(_GuardedStream, partial(_stream_of, module), kind, detailed),
        detailed,
    )


FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        _format(
            "text",
            "for people: a verdict per file, findings by severity, the evidence tag "
            "(--verbose: every claim and its cues)",
            "text_format",
            TEXT,
            detailed=True,
        ),
        _format(
            "concise",
            "one line per finding: path:line:col: CODE [severity] message",
            "concise_format",
            TEXT,
        ),
        _format("json", "one JSON document (schema_version 1)", "json_format", JSON),
        _format(
            "jsonl",
            "one compact JSON report per line, for corpora",
            "jsonl_format",
            JSON,
        ),
        _format("sarif", "SARIF 2.1.0, for code-scanning tools", "sarif_format", JSON),
        _format(
            "github", "GitHub Actions workflow commands (annotations)", "github_format", COMMANDS
        ),
        _format("markdown", "a summary for a pull-request comment", "markdown_format", TEXT),
        _format(
            "html",
            "one self-contained page: claims tinted by label",
            "html_format",
            HTML,
        ),
    )
}


def recorder(
    name: str, color: bool, rules: RuleSet, *, verbose: bool = False
) -> Callable[[Report], Iterator[str]]:
    """The ``pieces`` of format ``name``'s stream: a report's own text in that format, in
    pieces made as they are asked for, wherever the report is (picklable as
    ``functools.partial(recorder, name, color)``, so a worker process builds it with its
    own rules)."""
    return FORMATS[name].stream(color=color, rules=rules, verbose=verbose).pieces


def render(
    name: str,
    reports: Sequence[Report],
    *,
    color: bool = False,
    rules: RuleSet | None = None,
    verbose: bool = False,
) -> str:
    """``reports`` in the format registered as ``name`` (``verbose``: claim-by-claim detail,
    where the format has it)."""
    return FORMATS[name].render(reports, color=color, rules=rules, verbose=verbose)
