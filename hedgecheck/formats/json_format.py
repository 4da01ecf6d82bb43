"""JSON output: ``{"schema_version": 1, "files": [report, ...]}``.

The shape is specified by ``schema/hedgecheck-report.schema.json`` (JSON Schema 2020-12).
:class:`Stream` writes the same bytes as ``json.dumps(document, indent=2)`` one report at a
time, and a report a few claims at a time, so the CLI need not hold every report of a large
scan, nor the whole text of a big one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from hedgecheck.formats._common import ReportStream
from hedgecheck.formats._json_pieces import report_pieces
from hedgecheck.model import Report
from hedgecheck.ruleset import RuleSet

SCHEMA_VERSION = 1
_INDENT = "    "  # a report sits two levels deep: the document, then "files"


class Stream(ReportStream):
    """The output piece by piece: ``begin()``, ``add(report)`` per report, ``end()``."""

    def __init__(self, *, color: bool = False, rules: RuleSet | None = None) -> None:
        self._count = 0

    def begin(self) -> str:
        return '{\n  "schema_version": ' + str(SCHEMA_VERSION) + ',\n  "files": ['

    def record(self, report: Report) -> str:
        return "".join(self.pieces(report))

    def pieces(self, report: Report) -> Iterator[str]:
        # JSON strings hold no raw newline, so every line of the dump can be indented.
        for number, piece in enumerate(report_pieces(report, indented=True)):
            yield ("" if number else _INDENT) + piece.replace("\n", "\n" + _INDENT)

    def add_record(self, record: str) -> str:
        return "".join(self.add_pieces((record,)))

    def add_pieces(self, pieces: Iterable[str]) -> Iterator[str]:
        self._count += 1
        for number, piece in enumerate(pieces):
            yield ("" if number else "\n" if self._count == 1 else ",\n") + piece

    def end_pieces(self) -> Iterator[str]:
        yield ("\n  ]" if self._count else "]") + "\n}\n"


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    return Stream.render(reports)
