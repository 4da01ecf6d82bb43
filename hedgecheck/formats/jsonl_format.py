"""JSON lines, for corpora: one compact report per line, each carrying ``schema_version``.

Every line validates against ``#/$defs/record`` of ``schema/hedgecheck-report.schema.json``;
a consumer can stream a large run and read each file's report on its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from hedgecheck.formats.json_format import SCHEMA_VERSION
from hedgecheck.model import Report
from hedgecheck.rules import RuleSet


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    return "".join(
        json.dumps(
            {**report.to_dict(), "schema_version": SCHEMA_VERSION},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n"
        for report in reports
    )
