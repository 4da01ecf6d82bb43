"""Output formats, one module each, registered by name and fed by the one report model.

Every format is a function ``render(reports, *, color=False, rules=None) -> str``. ``rules``
is the :class:`~hedgecheck.rules.RuleSet` the reports were made with; formats that document
rules (SARIF's rule metadata, the HTML page's cue help) read it, and fall back to the default
packs when it is None. ``color`` matters only to the text format.

A format that can be written one report at a time also registers a ``stream`` factory,
called with the same keywords, whose object has ``begin() -> str``, ``add(report) -> str``
and ``end() -> str``; the pieces joined are exactly what ``render`` returns. The CLI uses
it so that a scan of a large corpus never holds every report (JSON and JSON lines do).
``add`` is ``add_record(record(report))``: ``record`` depends on the report alone, so with
``--jobs`` it runs in the worker that checked the file, and the parent, which writes the
records in order with ``add_record``, never receives the report itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from hedgecheck.formats import (
    github_format,
    html_format,
    json_format,
    jsonl_format,
    markdown_format,
    sarif_format,
    text_format,
)
from hedgecheck.model import Report
from hedgecheck.rules import RuleSet


class Stream(Protocol):
    """A format written one report at a time."""

    def begin(self) -> str: ...

    def add(self, report: Report) -> str: ...

    def record(self, report: Report) -> str: ...

    def add_record(self, record: str) -> str: ...

    def end(self) -> str: ...


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    render: Callable[..., str]
    stream: Callable[..., Stream] | None = None


FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("text", "for people: path:line:col, label, cues and findings", text_format.render),
        Format(
            "json",
            "one JSON document (schema_version 1)",
            json_format.render,
            stream=json_format.Stream,
        ),
        Format(
            "jsonl",
            "one compact JSON report per line, for corpora",
            jsonl_format.render,
            stream=jsonl_format.Stream,
        ),
        Format("sarif", "SARIF 2.1.0, for code-scanning tools", sarif_format.render),
        Format("github", "GitHub Actions workflow commands (annotations)", github_format.render),
        Format("markdown", "a summary for a pull-request comment", markdown_format.render),
        Format("html", "one self-contained page: claims tinted by label", html_format.render),
    )
}


def recorder(name: str, color: bool, rules: RuleSet) -> Callable[[Report], str]:
    """The ``record`` of format ``name``'s stream: a report's own text in that format, made
    wherever the report is (picklable as ``functools.partial(recorder, name, color)``, so a
    worker process builds it with its own rules)."""
    stream = FORMATS[name].stream
    if stream is None:
        raise ValueError(f"format {name!r} is not written one report at a time")
    return stream(color=color, rules=rules).record


def render(
    name: str, reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None
) -> str:
    """``reports`` in the format registered as ``name``."""
    return FORMATS[name].render(reports, color=color, rules=rules)
