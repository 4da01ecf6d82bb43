"""``hedgecheck explain``: why each finding fired and why each claim got its label, for people.

Findings come first, most severe first, as ``scan`` ranks them: each with its code, name,
severity, message and sentence, why it fired (the rule's cue, or for an article check what
it checks, the claim's cues and the study's evidence), the suggestion, and how to suppress it
inline and in the config. Then every claim: its cues with the span each scope covers, and the
trail of weights from the bias to the label.

Text from the article and its path is shown on one line with its controls as escapes
(:mod:`hedgecheck.formats._safe`)."""

from __future__ import annotations

from collections.abc import Sequence

from hedgecheck.findings import quoted_severity
from hedgecheck.formats._safe import prose, visible
from hedgecheck.formats.text_format import evidence_line, ranked
from hedgecheck.gate import LABEL_GATE_CODE
from hedgecheck.model import Claim, Cue, Finding, Mention, Report
from hedgecheck.ruledoc import RuleDoc, document
from hedgecheck.ruleset import RuleSet
from hedgecheck.suppressions import UNUSED_CODE

_WIDTH = 80
_COMMENTED = ("markdown", "html")
# The article checks that weigh what the text says of its own study.
_READS_STUDY = frozenset(
    {
        "headline-stronger-than-body",
        "animal-result-as-human",
        "causal-language-on-correlation",
        "certain-claim-on-weak-evidence",
        "advice-from-single-study",
        "under-claim",
    }
)


def explain(report: Report, source: str, rules: RuleSet) -> str:
    """The article's label, every finding with why it fired and how to silence it, then per
    claim: where it is, its label, each cue with the span its scope covers, and the trail of
    weights from the bias to the label."""
    findings = ranked(report)
    blocks = [
        f"{_path(report)}: article {report.label or 'no claims'}; "
        f"{len(findings)} finding(s), {len(report.claims)} claim(s)"
    ]
    blocks.extend(_finding(report, finding, rules) for finding in findings)
    thresholds = "/".join(f"{t:+g}" for t in rules.scoring.thresholds)
    for claim in report.claims:
        blocks.append(_claim(report, claim, source, thresholds))
    return "\n\n".join(blocks) + "\n"


# -- findings -------------------------------------------------------------------------------


def _finding(report: Report, finding: Finding, rules: RuleSet) -> str:
    doc = document(finding.code, rules, finding)
    claim = _claim_of(report, finding)
    kind = "article check" if doc.category == "editorial" else visible(doc.category or "rule")
    lines = [
        f"{_path(report)}:{finding.line}:{finding.column}: {finding.severity.value} "
        f"{visible(finding.code)} {visible(finding.name)} ({kind})",
        f"  message: {prose(finding.message)}",
        (
            f"  sentence: “{_clip(claim.text, 100)}”"
            if claim
            else f"  text: “{_clip(finding.text, 100)}” (in no claim)"
        ),
        "  why it fired:",
        *(f"    {line}" for line in _why(report, finding, doc, claim)),
    ]
    if finding.suggestion:
        lines.append(f"  suggestion: {prose(finding.suggestion)}")
    lines.append("  to suppress:")
    lines.extend(f"    {line}" for line in _suppress(report, finding))
    lines.append(f"  more: hedgecheck rules {visible(finding.code)}")
    return "\n".join(lines)


def _why(report: Report, finding: Finding, doc: RuleDoc, claim: Claim | None) -> list[str]:
    """What made the finding: the rule's own cue, or what the check looks at and what the
    claim and the study said; and where its severity came from."""
    if finding.code == UNUSED_CODE:
        lines = [f"the directive “{_clip(finding.text, 60)}” silenced no finding"]
    elif finding.code == LABEL_GATE_CODE:
        lines = [f"a main claim at or below the label gate: {_claim_line(claim)}"]
    elif doc.category == "editorial":
        lines = [f"the check: {prose(doc.summary)}"]
        if claim is not None:
            lines.append(f"the claim: {_claim_line(claim)}")
            lines.append(f"its cues: {_cues_line(claim)}")
        if finding.basis:
            lines.append(f"the evidence it read: {_mentions(finding.basis)}")
        if finding.name in _READS_STUDY:
            study = f"{evidence_line(report.evidence_tag)}{_basis(report)}"
            lines.append(f"the article's own study: {study}")
    else:
        quoted = ", in quoted speech" if finding.quoted else ""
        lines = [
            f"rule {visible(doc.id)} {visible(doc.name)} ({visible(doc.category)}) matched "
            f"“{_clip(finding.text, 60)}”{quoted}: {prose(doc.summary)}"
        ]
    lines.append(_severity_line(finding, doc))
    return lines


def _severity_line(finding: Finding, doc: RuleDoc) -> str:
    own = doc.finding_severity
    shipped, severity = own.value, finding.severity.value
    if finding.severity is own:
        return f"severity {shipped}, the rule's own"
    if finding.quoted and finding.severity is quoted_severity(own):
        return f"severity {severity}: the rule's {shipped}, lowered in quoted speech"
    return f"severity {severity}: the rule's {shipped}, set by the config"


def _claim_line(claim: Claim | None) -> str:
    if claim is None:
        return "not a claim"
    role = "headline, " if claim.headline else "main claim, " if claim.primary else ""
    return (
        f"{role}labelled {claim.label.value}, strength {claim.strength.value}, "
        f"certainty {claim.certainty:.2f}"
        + (f", evidence grade {claim.evidence.grade}" if claim.evidence.grade else "")
    )


def _cues_line(claim: Claim) -> str:
    """The cues in the claim's own sentence (the study-level ones are the study's line)."""
    own = [c for c in claim.cues if c.scope != "document"]
    return "; ".join(_cue_words(c) for c in own) if own else "none (no hedge, booster or evidence)"


def _cue_words(cue: Cue) -> str:
    quoted = ", quoted" if cue.quoted else ""
    return f"{visible(cue.category)} “{prose(cue.text)}” {visible(cue.rule)}{quoted}"


def _basis(report: Report) -> str:
    """Where the evidence tag's reading comes from, by line."""
    tag = report.evidence_tag
    if tag is None or not tag.basis:
        return ""
    return f" (from {_mentions(tag.basis)})"


def _mentions(mentions: Sequence[Mention], most: int = 4) -> str:
    """``“in mice” SUB002 line 16, …``: the spans a reading rests on, the first few."""
    said = list(
        dict.fromkeys(f"“{_clip(m.text, 40)}” {visible(m.rule)} line {m.line}" for m in mentions)
    )
    more = f" and {len(said) - most} more" if len(said) > most else ""
    return ", ".join(said[:most]) + more


def _suppress(report: Report, finding: Finding) -> list[str]:
    """How to silence this finding here, and everywhere, in the words of the input format."""
    code = visible(finding.code)
    if finding.code == UNUSED_CODE:
        return [
            "remove the directive, or leave out --report-unused-suppressions "
            "(config report-unused-suppressions = false)"
        ]
    directive = f"hedgecheck: ignore[{code}]"
    if report.input_format in _COMMENTED:
        directive = f"<!-- {directive} -->"
    inline = (
        f"here: {directive} at the end of line {finding.line}, or alone on a line before its "
        "paragraph (the whole paragraph)"
    )
    everywhere = (
        f'everywhere: in the config, ignore = ["{code}"] (in .hedgecheck.toml, or under '
        f'[tool.hedgecheck] in pyproject.toml), or {code} = "off" under [severity] '
        "([tool.hedgecheck.severity])"
    )
    if finding.code == LABEL_GATE_CODE:
        everywhere += "; or lower the label gate (--fail-on-label, fail-on-label)"
    return [inline, everywhere]


def _claim_of(report: Report, finding: Finding) -> Claim | None:
    """The claim the finding lies in, if any."""
    return next((c for c in report.claims if c.start <= finding.start < c.end), None)


# -- claims -------------------------------------------------------------------------------


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
