"""The label gate's findings, and the findings hedgecheck raises itself, outside any pack.

``--fail-on-label`` (config ``fail-on-label``) fails an article whose label is at or below
a threshold. So that a red CI job shows why, each main claim (the headline and the claims
about the article's own study: the claims the article's label is the median of) at or below
the threshold is a finding, LBL001, at the claim's span. They are raised only when the
article's label itself is at or below the threshold, so the gate weighs what it always
weighed, and each is a finding like any other: in every format, suppressible inline
(``hedgecheck: ignore[LBL001]``) and by ``ignore``; ``select`` does not drop them, since
``--fail-on-label`` asked for them by name.

HCS001 (an unused suppression) and LBL001 come from no rule pack; :data:`BUILTIN` documents
them for ``hedgecheck rules`` and the formats that describe rules (SARIF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hedgecheck.findings import GATE_CATEGORY
from hedgecheck.model import Claim, Finding, Label, Severity
from hedgecheck.suppressions import UNUSED_CODE

LABEL_GATE_CODE = "LBL001"
LABEL_GATE_NAME = "label-gate"
LABEL_GATE_CATEGORY = GATE_CATEGORY


@dataclass(frozen=True, slots=True)
class Builtin:
    """A finding hedgecheck raises itself, documented as a pack documents its rules."""

    id: str
    name: str
    category: str
    severity: Severity
    summary: str
    why: str
    suggestion: str
    source: str


BUILTIN = {
    LABEL_GATE_CODE: Builtin(
        id=LABEL_GATE_CODE,
        name=LABEL_GATE_NAME,
        category=LABEL_GATE_CATEGORY,
        severity=Severity.ERROR,
        summary=(
            "A main claim (the headline or a claim about the article's own study) is labelled "
            "at or below the label gate (--fail-on-label), and so is the article."
        ),
        why=(
            "The article's label is the lower median of its main claims; when it is at or "
            "below --fail-on-label the run fails, and each main claim at or below the gate is "
            "what pulled it there. Reported only when the label gate is set; it fails the run "
            "whatever --fail-on says, unless suppressed (hedgecheck: ignore[LBL001]) or "
            "ignored."
        ),
        suggestion=(
            "State the evidence the claim rests on (the study's design, who was studied, "
            "where it was published), or hedge the claim to match it."
        ),
        source="hedgecheck: the label gate (--fail-on-label, config fail-on-label)",
    ),
    UNUSED_CODE: Builtin(
        id=UNUSED_CODE,
        name="unused-suppression",
        category="suppression",
        severity=Severity.WARNING,
        summary="A `hedgecheck:` directive suppresses no finding.",
        why=(
            "A directive that silences nothing is stale: the text it covered has changed or "
            "it names a rule that never fires there. Left in place it would silently hide a "
            "finding that later appears on those lines. Reported with "
            "--report-unused-suppressions."
        ),
        suggestion="remove the directive",
        source="hedgecheck: inline suppressions",
    ),
}


def main_claims(claims: Sequence[Claim]) -> list[Claim]:
    """The claims an article's label is the median of: the headline and the study's own
    claims, or every claim when the text marks none of them."""
    return [c for c in claims if c.headline or c.primary] or list(claims)


def label_gate_findings(
    claims: Sequence[Claim], article: Label | None, gate: Label | None
) -> list[tuple[Finding, str]]:
    """An LBL001 finding (with its category) for each main claim at or below ``gate``,
    when the article's label is at or below it too."""
    if gate is None or article is None or article.rank > gate.rank:
        return []
    return [
        (_finding(claim, article, gate), LABEL_GATE_CATEGORY)
        for claim in main_claims(claims)
        if claim.label.rank <= gate.rank
    ]


def _finding(claim: Claim, article: Label, gate: Label) -> Finding:
    relation = "below" if claim.label.rank < gate.rank else "at"
    return Finding(
        code=LABEL_GATE_CODE,
        name=LABEL_GATE_NAME,
        severity=Severity.ERROR,
        message=(
            f"claim labelled {claim.label.value}, {relation} the label gate ({gate.value}); "
            f"the article is labelled {article.value}"
        ),
        text=claim.text,
        start=claim.start,
        end=claim.end,
        line=claim.line,
        column=claim.column,
        suggestion=BUILTIN[LABEL_GATE_CODE].suggestion,
    )
