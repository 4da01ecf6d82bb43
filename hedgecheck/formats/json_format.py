"""JSON output: ``{"schema_version": 1, "files": [report, ...]}``.

The shape is specified by ``schema/hedgecheck-report.schema.json`` (JSON Schema 2020-12).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from hedgecheck.model import Report
from hedgecheck.rules import RuleSet

SCHEMA_VERSION = 1


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    document = {"schema_version": SCHEMA_VERSION, "files": [r.to_dict() for r in reports]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
