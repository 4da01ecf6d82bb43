"""``hedgecheck explain``: why each claim got its label, step by step, for people.

Text from the article and its path is shown on one line with its controls as escapes
(:mod:`hedgecheck.formats._safe`)."""

from __future__ import annotations

from hedgecheck.formats._safe import prose, visible
from hedgecheck.model import Claim, Report
from hedgecheck.rules import RuleSet

_WIDTH = 80


def explain(report: Report, source: str, rules: RuleSet) -> str:
    """Per claim: where it is, its label, each cue with the span its scope covers, and the
    trail of weights from the bias to the label."""
    blocks = [f"{_path(report)}: article {report.label or 'no claims'}"]
    thresholds = "/".join(f"{t:+g}" for t in rules.scoring.thresholds)
    for claim in report.claims:
        blocks.append(_claim(report, claim, source, thresholds))
    return "\n\n".join(blocks) + "\n"


def _claim(report: Report, claim: Claim, source: str, thresholds: str) -> str:
    where = f"{_path(report)}:{claim.line}:{claim.column}"
    role = " [headline]" if claim.headline else " [primary]" if claim.primary else ""
    lines = [f"{where}: {claim.label.value}{role}", f"  “{_clip(claim.text)}”", "  cues:"]
    for cue in claim.cues:
        if cue.scope_span is not None:
            start, end = cue.scope_span
            reach = f"scope “{_clip(source[start:end], 50)}”"
        else:
            reach = "study-level: applies to every claim about the study"
        quoted = ", quoted" if cue.quoted else ""
        lines.append(
            f"    {visible(cue.rule)} {visible(cue.name)} ({visible(cue.category)}{quoted}) "
            f"“{prose(cue.text)}” "
            f"weight {cue.weight:+.2f}; {reach}"
        )
    if not claim.cues:
        lines.append("    none")
    lines.append("  score:")
    for step in claim.explanation:
        note = f" — {prose(step.note)}" if step.note else ""
        lines.append(f"    {step.axis:<10} {step.source:<8} {step.weight:+.3f}{note}")
    lines.append(
        f"  certainty {claim.certainty:.2f}, confidence {claim.confidence:+.2f} against "
        f"thresholds {thresholds} → {claim.label.value}"
        + (f" (evidence grade {claim.evidence.grade})" if claim.evidence.grade else "")
        + f"; strength {claim.strength.value}"
        + ("; negated" if claim.negated else "")
    )
    return "\n".join(lines)


def _path(report: Report) -> str:
    return visible(report.path) if report.path else "<text>"


def _clip(text: str, width: int = _WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters before its controls are shown."""
    flat = " ".join(text.split())
    return prose(flat if len(flat) <= width else flat[: width - 1] + "…")
