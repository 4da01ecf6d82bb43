"""GitHub Actions workflow commands: one annotation line per finding.

``::warning file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE name::message``, with
``error`` findings as ``::error``, ``warning`` as ``::warning`` and ``info`` as ``::notice``.
Escaping follows the Actions toolkit: in the message ``%``, ``\\r`` and ``\\n`` become ``%25``,
``%0D`` and ``%0A``; in property values ``:`` and ``,`` also become ``%3A`` and ``%2C``
(:func:`hedgecheck.formats._safe.github_data` and ``github_property``). Before that, other
controls and bidi characters are shown as escapes (``\\x1b``), so no text from the article,
its file name or a rule pack can end the line, start a command or reach a terminal raw. A
file name with a line break keeps it (escaped), so its annotation still finds the file.
GitHub draws columns only within one line, so a finding that spans lines gets ``line`` and
``endLine`` only. ``endColumn`` is exclusive, as in SARIF. A finding without a file (standard
input, text without a path) or in a separately given title (line 0) carries no position.

After the findings, one ``::notice file=PATH,title=hedgecheck evidence tag::…`` line per file
sums up its evidence tag and report card (``Evidence tag: peer-reviewed no · study type animal
· subjects people. Report card: 5/10 satisfied — costs ✗, …``), escaped as above and without
``file`` when the report has no path. They come last so that, where GitHub caps the
annotations it shows per step, findings are shown first. :class:`Stream` writes each file's
annotations as soon as it is checked and sets the notices aside until the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hedgecheck.formats._common import (
    ReportStream,
    Spool,
    card_summary,
    end_position,
    one_line,
    tag_summary,
)
from hedgecheck.formats._safe import github_data, github_property
from hedgecheck.model import Finding, Report, Severity
from hedgecheck.ruleset import RuleSet

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


TAG_TITLE = "hedgecheck evidence tag"


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    lines = [annotation(report, finding) for report in reports for finding in report.findings]
    lines += [tag_notice(report) for report in reports]
    return "".join(line + "\n" for line in lines)


class Stream(ReportStream):
    """The annotations of each file as soon as it is checked; its evidence-tag notice set
    aside (in a temporary file once there are many) until every finding is written."""

    def __init__(self, *, color: bool = False, rules: RuleSet | None = None) -> None:
        self._notices = Spool()

    def record(self, report: Report) -> str:
        # the notice is one line (github_data escapes line breaks), the record's last
        lines = [annotation(report, finding) for finding in report.findings]
        return "".join(line + "\n" for line in [*lines, tag_notice(report)])

    def add_record(self, record: str) -> str:
        annotations, _, notice = record[:-1].rpartition("\n")
        self._notices.write(notice + "\n")
        return annotations + "\n" if annotations else ""

    def end_pieces(self) -> Iterator[str]:
        yield from self._notices.pieces()


def tag_notice(report: Report) -> str:
    """The notice summing up one file's evidence tag and report card."""
    properties: list[tuple[str, str]] = []
    if report.path and report.path != "-":
        properties.append(("file", report.path))
    properties.append(("title", TAG_TITLE))
    rendered = ",".join(f"{key}={github_property(value)}" for key, value in properties)
    message = (
        f"Evidence tag: {tag_summary(report.evidence_tag)}. "
        f"Report card: {card_summary(report.report_card)}"
    )
    return f"::notice {rendered}::{github_data(message)}"


def annotation(report: Report, finding: Finding) -> str:
    """The workflow command for one finding."""
    properties: list[tuple[str, object]] = []
    if report.path and report.path != "-":
        properties.append(("file", report.path))
        if finding.line >= 1:
            end_line, end_column = end_position(finding)
            properties.append(("line", finding.line))
            if end_line == finding.line:
                properties += [("col", finding.column)]
                properties += [("endLine", end_line), ("endColumn", end_column)]
            else:
                properties.append(("endLine", end_line))
    properties.append(("title", f"{finding.code} {finding.name}"))
    rendered = ",".join(f"{key}={github_property(str(value))}" for key, value in properties)
    message = f"{finding.message} (“{one_line(finding.text)}”)"
    if finding.suggestion:
        message += f"\nSuggestion: {finding.suggestion}"
    return f"::{COMMANDS[finding.severity]} {rendered}::{github_data(message)}"
