"""Text output for people, per file: a header with the article label; the evidence tag and
the report card, one line each; per claim its line:column, label, strength and cues; then
findings.

Every text from outside goes on one line with its controls shown
(:mod:`hedgecheck.formats._safe`): a claim that spans lines reads with a space at each break.
Colour, when on, comes only from the labels and severities the format paints itself."""

from __future__ import annotations

from collections.abc import Sequence

import click

from hedgecheck.formats._common import (
    all_findings,
    card_summary,
    display_path,
    files_summary,
    one_line,
    report_title,
    severity_counts,
    tag_summary,
)
from hedgecheck.formats._safe import prose, visible
from hedgecheck.model import Claim, Cue, Finding, Report
from hedgecheck.rules import RuleSet

_LABEL_COLOURS = {
    "established": "green",
    "supported": "cyan",
    "preliminary": "yellow",
    "speculative": "red",
}
_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
_WIDTH = 100


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    blocks = [_render_report(report, color) for report in reports]
    total = sum(len(r.claims) for r in reports)
    findings = all_findings(reports)
    counts = ", ".join(f"{n} {s.value}" for s, n in severity_counts(findings).items())
    blocks.append(
        f"{files_summary(reports)}, {total} claim(s), {len(findings)} finding(s) ({counts})"
    )
    return "\n".join(blocks) + "\n"


def _render_report(report: Report, color: bool) -> str:
    label = report.label.value if report.label else "no claims"
    head = f"{report_title(report)}: article {_paint(label, color)} ({len(report.claims)} claims)"
    return "\n".join(
        [
            head,
            f"  evidence: {prose(tag_summary(report.evidence_tag))}",
            f"  report card: {prose(card_summary(report.report_card))}",
            *(_render_claim(report, claim, color) for claim in report.claims),
            *(_render_finding(report, finding, color) for finding in report.findings),
            "",
        ]
    )


def _render_claim(report: Report, claim: Claim, color: bool) -> str:
    where = f"{display_path(report)}:{claim.line}:{claim.column}"
    marker = " [headline]" if claim.headline else ""
    flat = one_line(claim.text)
    text = prose(flat if len(flat) <= _WIDTH else flat[: _WIDTH - 1] + "…")
    lines = [
        f"  {where}: {_paint(claim.label.value, color)}{marker} "
        f"(strength {claim.strength.value}, certainty {claim.certainty:.2f})",
        f"    {text}",
    ]
    if claim.cues:
        lines.append("    cues: " + "; ".join(_render_cue(cue) for cue in claim.cues))
    return "\n".join(lines)


def _render_cue(cue: Cue) -> str:
    scope = ", study-level" if cue.scope == "document" else ""
    quoted = ", quoted" if cue.quoted else ""
    return (
        f"{visible(cue.category)} “{prose(cue.text)}” {visible(cue.rule)} "
        f"{cue.weight:+.2f}{scope}{quoted}"
    )


def _render_finding(report: Report, finding: Finding, color: bool) -> str:
    where = f"{display_path(report)}:{finding.line}:{finding.column}"
    severity = finding.severity.value
    if color:
        severity = click.style(severity, fg=_SEVERITY_COLOURS[severity], bold=True)
    line = (
        f"  {where}: {severity} {visible(finding.code)} {prose(finding.message)} "
        f"(“{prose(finding.text)}”)"
    )
    if finding.suggestion:
        line += f"\n    suggestion: {prose(finding.suggestion)}"
    return line


def _paint(label: str, color: bool) -> str:
    return click.style(label, fg=_LABEL_COLOURS.get(label), bold=True) if color else label
