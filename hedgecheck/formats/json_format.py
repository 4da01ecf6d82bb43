"""JSON output: ``{"schema_version": 1, "files": [report, ...]}``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from hedgecheck.model import Report

SCHEMA_VERSION = 1


def render(reports: Sequence[Report], *, color: bool = False) -> str:
    document = {"schema_version": SCHEMA_VERSION, "files": [r.to_dict() for r in reports]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
