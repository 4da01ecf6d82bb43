"""JSON output: ``{"schema_version": 1, "files": [report, ...]}``.

The shape is specified by ``schema/hedgecheck-report.schema.json`` (JSON Schema 2020-12).
:class:`Stream` writes the same bytes as ``json.dumps(document, indent=2)`` one report at a
time, so the CLI need not hold every report of a large scan.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from hedgecheck.formats._common import ReportStream
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
        # JSON strings hold no raw newline, so every line of the dump can be indented.
        dumped = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        return "\n".join(_INDENT + line for line in dumped.split("\n"))

    def add_record(self, record: str) -> str:
        self._count += 1
        return ("\n" if self._count == 1 else ",\n") + record

    def end_pieces(self) -> Iterator[str]:
        yield ("\n  ]" if self._count else "]") + "\n}\n"


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    return Stream.render(reports)
