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
and counts the rest. :class:`Stream` sets each file's row and section aside until the
totals are known.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from hedgecheck.formats._common import (
    CARD_SYMBOLS,
    ReportStream,
    Spool,
    Tally,
    all_findings,
    by_severity,
    card_score,
    criterion_name,
    files_summary,
    report_title,
    severity_counts,
    tag_summary,
)
from hedgecheck.formats._safe import markdown_text
from hedgecheck.model import CardItem, Finding, Mention, Report, Severity
from hedgecheck.ruleset import RuleSet

MAX_QUOTES = 3
_SEVERITY_HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}
_FILE_COLUMNS = ["File", "Article label", "Claims", *_SEVERITY_HEADINGS.values()]


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    findings = all_findings(reports)
    claims = sum(len(r.claims) for r in reports)
    out = _head(files_summary(reports), claims, len(findings), severity_counts(findings))
    if findings:
        out += [_row(_file_row(report)) for report in reports]
    for report in reports:
        out += _section(report)
    return "\n".join(out) + "\n"


def _head(files: str, claims: int, findings: int, counts: dict[Severity, int]) -> list[str]:
    """The header line and, when there are findings, the head of the files table."""
    if not findings:
        return [f"**hedgecheck**: no findings ({files}, {claims} claim(s))."]
    heading = (
        f"### hedgecheck: {findings} finding(s) ({by_severity(counts)}) in {files}, "
        f"{claims} claim(s)"
    )
    return [heading, "", *_table(_FILE_COLUMNS, [])]


def _section(report: Report) -> list[str]:
    """One file's lines: its heading, evidence tag, report card and findings."""
    out = ["", f"#### {cell(report_title(report))}", ""]
    out.append(f"**Evidence tag**: {_tag_line(report)}")
    out += ["", *_card(report.report_card)]
    if report.findings:
        out.append("")
        out += _table(
            ["Severity", "Line:Col", "Code", "Text", "Message", "Suggestion"],
            [_finding_row(finding) for finding in report.findings],
        )
    return out


class Stream(ReportStream):
    """The summary written one file at a time. Its header and files table need every file's
    totals, so each file's row and section are set aside (in temporary files once there are
    many) and written out at the end: memory holds the totals, whatever the number of files.
    A record is the file's row on its first line, then its section."""

    def __init__(self, *, color: bool = False, rules: RuleSet | None = None) -> None:
        self._tally = Tally()
        self._rows = Spool()
        self._sections = Spool()

    def record(self, report: Report) -> str:
        row = _row(_file_row(report))
        return Tally.counted(report, row + "\n" + "".join("\n" + line for line in _section(report)))

    def add_record(self, record: str) -> str:
        row, section = self._tally.add(record).split("\n", 1)
        self._rows.write("\n" + row)
        self._sections.write(section)
        return ""

    def end_pieces(self) -> Iterator[str]:
        tally = self._tally
        findings = tally.findings()
        head = _head(tally.files_summary(), tally.claims, findings, tally.severity_counts())
        yield "\n".join(head)
        if findings:
            yield from self._rows.pieces()
        else:
            self._rows.close()
        yield from self._sections.pieces()
        yield "\n"


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
    lines = [_row(header), "|" + "|".join("---" for _ in header) + "|"]
    lines += [_row(row) for row in rows]
    return lines


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
