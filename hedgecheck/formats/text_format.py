"""Text output for people: per claim its line:column, label, strength and cues."""

from __future__ import annotations

from collections.abc import Sequence

import click

from hedgecheck.model import Claim, Cue, Report

_LABEL_COLOURS = {
    "established": "green",
    "supported": "cyan",
    "preliminary": "yellow",
    "speculative": "red",
}
_WIDTH = 100


def render(reports: Sequence[Report], *, color: bool = False) -> str:
    blocks = [_render_report(report, color) for report in reports]
    total = sum(len(r.claims) for r in reports)
    blocks.append(f"{len(reports)} file(s), {total} claim(s)")
    return "\n".join(blocks) + "\n"


def _render_report(report: Report, color: bool) -> str:
    label = report.label.value if report.label else "no claims"
    head = (
        f"{report.path or '<text>'}: article {_paint(label, color)} ({len(report.claims)} claims)"
    )
    return "\n".join([head, *(_render_claim(report, claim, color) for claim in report.claims), ""])


def _render_claim(report: Report, claim: Claim, color: bool) -> str:
    where = f"{report.path or '<text>'}:{claim.line}:{claim.column}"
    marker = " [headline]" if claim.headline else ""
    text = claim.text if len(claim.text) <= _WIDTH else claim.text[: _WIDTH - 1] + "…"
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
    return f"{cue.category} “{cue.text}” {cue.rule} {cue.weight:+.2f}{scope}{quoted}"


def _paint(label: str, color: bool) -> str:
    return click.style(label, fg=_LABEL_COLOURS.get(label), bold=True) if color else label
