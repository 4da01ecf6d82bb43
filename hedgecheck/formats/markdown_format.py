"""A Markdown summary fit for a pull-request comment.

A header line; a table of files (path, article label, claims, findings by severity); then per
file with findings a table of them (severity, line:col, code, text, message, suggestion). A
run without findings is one line. Cells escape Markdown punctuation (so a ``|`` or ``*`` in
the text cannot break the table or start emphasis) and turn line breaks into ``<br>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from hedgecheck.formats._common import all_findings, display_path, severity_counts
from hedgecheck.model import Finding, Report, Severity
from hedgecheck.rules import RuleSet

_PUNCTUATION = re.compile(r"([\\`*_\[\]{}<>|#~&!])")
_SEVERITY_HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    findings = all_findings(reports)
    claims = sum(len(r.claims) for r in reports)
    files = f"{len(reports)} file(s), {claims} claim(s)"
    if not findings:
        return f"**hedgecheck**: no findings ({files}).\n"
    counts = ", ".join(f"{n} {s.value}" for s, n in severity_counts(findings).items())
    out = [f"### hedgecheck: {len(findings)} finding(s) ({counts}) in {files}", ""]
    out += _table(
        ["File", "Article label", "Claims", *_SEVERITY_HEADINGS.values()],
        [_file_row(report) for report in reports],
    )
    for report in reports:
        if not report.findings:
            continue
        out += ["", f"#### {cell(display_path(report))}", ""]
        out += _table(
            ["Severity", "Line:Col", "Code", "Text", "Message", "Suggestion"],
            [_finding_row(finding) for finding in report.findings],
        )
    return "\n".join(out) + "\n"


def cell(text: str) -> str:
    """``text`` safe inside a table cell."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    return re.sub(r"\r\n|\r|\n", "<br>", escaped)


def _file_row(report: Report) -> list[str]:
    counts = severity_counts(report.findings)
    label = report.label.value if report.label else "no claims"
    return [
        cell(display_path(report)),
        label,
        str(len(report.claims)),
        *(str(counts[s]) for s in _SEVERITY_HEADINGS),
    ]


def _finding_row(finding: Finding) -> list[str]:
    return [
        finding.severity.value,
        f"{finding.line}:{finding.column}",
        finding.code,
        f"“{cell(finding.text)}”",
        cell(finding.message),
        cell(finding.suggestion or ""),
    ]


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
