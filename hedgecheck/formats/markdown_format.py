"""A Markdown summary fit for a pull-request comment.

A header line; a table of files (path, article label, claims, findings by severity); then per
file a heading, its evidence tag on one line, its report card as a table (criterion, status,
note, evidence quotes) folded in a ``<details>`` block that names the score, and, if it has
findings, a table of them (severity, line:col, code, text, message, suggestion). A run without
findings keeps its one-line header and drops the files table, but still gives each file's
evidence tag and report card. Every text from outside goes through
:func:`hedgecheck.formats._safe.markdown_text`: Markdown punctuation is escaped (so a ``|`` or
``*`` cannot break the table or start emphasis, and no link, image or HTML tag is made), a
word joiner (U+2060, invisible) keeps ``@name``, ``http://``, ``www.``, ``#123`` and
``GH-123`` from notifying anyone or linking anywhere, controls are shown as escapes and line
breaks become ``<br>``. A card row quotes at most :data:`MAX_QUOTES` distinct evidence texts
and counts the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hedgecheck.formats._common import (
    CARD_SYMBOLS,
    all_findings,
    card_score,
    criterion_name,
    files_summary,
    report_title,
    severity_counts,
    tag_summary,
)
from hedgecheck.formats._safe import markdown_text
from hedgecheck.model import CardItem, Finding, Mention, Report, Severity
from hedgecheck.rules import RuleSet

MAX_QUOTES = 3
_SEVERITY_HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    findings = all_findings(reports)
    claims = sum(len(r.claims) for r in reports)
    files = f"{files_summary(reports)}, {claims} claim(s)"
    if not findings:
        out = [f"**hedgecheck**: no findings ({files})."]
    else:
        counts = ", ".join(f"{n} {s.value}" for s, n in severity_counts(findings).items())
        out = [f"### hedgecheck: {len(findings)} finding(s) ({counts}) in {files}", ""]
        out += _table(
            ["File", "Article label", "Claims", *_SEVERITY_HEADINGS.values()],
            [_file_row(report) for report in reports],
        )
    for report in reports:
        out += ["", f"#### {cell(report_title(report))}", ""]
        out.append(f"**Evidence tag**: {_tag_line(report)}")
        out += ["", *_card(report.report_card)]
        if report.findings:
            out.append("")
            out += _table(
                ["Severity", "Line:Col", "Code", "Text", "Message", "Suggestion"],
                [_finding_row(finding) for finding in report.findings],
            )
    return "\n".join(out) + "\n"


def cell(text: str) -> str:
    """``text`` safe inside a table cell."""
    return markdown_text(text)


def _file_row(report: Report) -> list[str]:
    counts = severity_counts(report.findings)
    label = report.label.value if report.label else "no claims"
    return [
        cell(report_title(report)),
        label,
        str(len(report.claims)),
        *(str(counts[s]) for s in _SEVERITY_HEADINGS),
    ]


def _finding_row(finding: Finding) -> list[str]:
    return [
        finding.severity.value,
        f"{finding.line}:{finding.column}",
        cell(finding.code),
        f"“{cell(finding.text)}”",
        cell(finding.message),
        cell(finding.suggestion or ""),
    ]


def _tag_line(report: Report) -> str:
    tag = report.evidence_tag
    line = cell(tag_summary(tag))
    if tag is not None and tag.basis:
        line += f" (from {_quotes(tag.basis)})"
    return line


def _card(card: Sequence[CardItem]) -> list[str]:
    if not card:
        return [f"**Report card**: {card_score(card)}"]
    return [
        f"<details><summary>Report card: {card_score(card)}</summary>",
        "",
        *_table(["Criterion", "Status", "Note", "Evidence"], [_card_row(item) for item in card]),
        "",
        "</details>",
    ]


def _card_row(item: CardItem) -> list[str]:
    symbol = CARD_SYMBOLS.get(item.status, "?")
    return [
        cell(criterion_name(item.criterion)),
        f"{symbol} {cell(item.status)}",
        cell(item.note),
        _quotes(item.evidence),
    ]


def _quotes(mentions: Sequence[Mention]) -> str:
    """Distinct mention texts, quoted, the first :data:`MAX_QUOTES` of them, then a count."""
    texts = list(dict.fromkeys(m.text for m in mentions))
    shown = ", ".join(f"“{cell(text)}”" for text in texts[:MAX_QUOTES])
    rest = len(texts) - MAX_QUOTES
    return shown + (f" (+{rest} more)" if rest > 0 else "")


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
