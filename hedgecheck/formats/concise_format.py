"""One line per finding, ``path:line:col: CODE [severity] message``, as ruff's concise
output and Vale's line output print them: for editors, ``grep`` and pre-commit hooks. A run
without findings prints nothing. Each line is written as soon as its file is checked."""

from __future__ import annotations

from collections.abc import Sequence

from hedgecheck.formats._common import ReportStream, display_path
from hedgecheck.formats._safe import prose, visible
from hedgecheck.model import Finding, Report
from hedgecheck.ruleset import RuleSet


def line(report: Report, finding: Finding) -> str:
    """``examples/a.md:3:7: EDT002 [warning] The evidence here is in animal …``"""
    return (
        f"{display_path(report)}:{finding.line}:{finding.column}: {visible(finding.code)} "
        f"[{finding.severity.value}] {prose(finding.message)}\n"
    )


class Stream(ReportStream):
    """One record per report, written as soon as its file is checked."""

    def record(self, report: Report) -> str:
        return "".join(line(report, finding) for finding in report.findings)


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    return Stream.render(reports)
