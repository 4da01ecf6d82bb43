"""JSON output: ``{"schema_version": 1, "files": [report, ...]}``.

The shape is specified by ``schema/hedgecheck-report.schema.json`` (JSON Schema 2020-12).
:class:`Stream` writes the same bytes as ``json.dumps(document, indent=2)`` one report at a
time, so the CLI need not hold every report of a large scan.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from hedgecheck.model import Report
from hedgecheck.ruleset import RuleSet

SCHEMA_VERSION = 1
_INDENT = "    "  # a report sits two levels deep: the document, then "files"


class Stream:
    """The output piece by piece: ``begin()``, ``add(report)`` per report, ``end()``."""

    def __init__(self, *, color: bool = False, rules: RuleSet | None = None) -> None:
        self._count = 0

    def begin(self) -> str:
        return '{\n  "schema_version": ' + str(SCHEMA_VERSION) + ',\n  "files": ['

    def add(self, report: Report) -> str:
        return self.add_record(self.record(report))

    def record(self, report: Report) -> str:
        # JSON strings hold no raw newline, so every line of the dump can be indented.
        dumped = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        return "\n".join(_INDENT + line for line in dumped.split("\n"))

    def add_record(self, record: str) -> str:
        self._count += 1
        return ("\n" if self._count == 1 else ",\n") + record

    def end(self) -> str:
        return ("\n  ]" if self._count else "]") + "\n}\n"


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    stream = Stream(color=color, rules=rules)
    return stream.begin() + "".join(stream.add(r) for r in reports) + stream.end()
