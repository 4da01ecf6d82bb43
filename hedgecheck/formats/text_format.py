"""Text output for people, per file: a verdict line (the article label and why, in words),
the findings ranked by severity, each with its sentence and suggestion, and the evidence tag
on one line. With ``verbose`` the report card and every claim follow, with its strength,
certainty and cues and their weights (``hedgecheck explain`` gives the whole score trail).

Every text from outside goes on one line with its controls shown
(:mod:`hedgecheck.formats._safe`): a claim that spans lines reads with a space at each break.
Colour, when on, comes only from the labels and severities the format paints itself.
:class:`Stream` writes each file's block as soon as it is checked."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import pairwise

import click

from hedgecheck.formats._common import (
    ReportStream,
    Tally,
    all_findings,
    by_severity,
    card_summary,
    described_edit,
    display_path,
    files_summary,
    line_pieces,
    one_line,
    report_title,
    severity_counts,
    study_type,
)
from hedgecheck.formats._safe import prose, visible
from hedgecheck.model import Claim, Cue, EvidenceTag, Finding, Report, Severity
from hedgecheck.ruleset import RuleSet
from hedgecheck.study import DESIGN_NAMES

_LABEL_COLOURS = {
    "established": "green",
    "supported": "cyan",
    "preliminary": "yellow",
    "speculative": "red",
}
_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
_WIDTH = 100
_NAMES_SUBJECTS = {"animal", "in_vitro"}
_SUBJECTS = {"animals": "in animals", "cells": "in cells", "people": "in people"}
_PUBLICATIONS = {
    "conference": "presented at a conference",
    "preprint": "posted as a preprint",
    "unpublished": "unpublished",
    "peer_reviewed": "peer-reviewed",
}
_PEER_REVIEW = {
    "yes": "peer-reviewed",
    "no": "not peer-reviewed",
    "not stated": "peer review not stated",
}
_SEVERITY_WIDTH = max(len(s) for s in _SEVERITY_COLOURS)


def render(
    reports: Sequence[Report],
    *,
    color: bool = False,
    rules: RuleSet | None = None,
    verbose: bool = False,
) -> str:
    blocks = [_render_report(report, color, verbose) for report in reports]
    findings = all_findings(reports)
    blocks.append(
        _summary(
            files_summary(reports),
            sum(len(r.claims) for r in reports),
            len(findings),
            severity_counts(findings),
        )
    )
    return "\n".join(blocks) + "\n"


def _summary(files: str, claims: int, findings: int, counts: dict[Severity, int]) -> str:
    return f"{files}, {claims} claim(s), {findings} finding(s) ({by_severity(counts)})"


class Stream(ReportStream):
    """The output written one file at a time: each file's block as soon as it is checked,
    the totals line at the end."""

    def __init__(
        self, *, color: bool = False, rules: RuleSet | None = None, verbose: bool = False
    ) -> None:
        self._color = color
        self._verbose = verbose
        self._tally = Tally()

    def record(self, report: Report) -> str:
        return "".join(self.pieces(report))

    def pieces(self, report: Report) -> Iterator[str]:
        yield Tally.counted(report, "")
        yield from line_pieces(_report_lines(report, self._color, self._verbose))

    def add_record(self, record: str) -> str:
        return "".join(self.add_pieces((record,)))

    def add_pieces(self, pieces: Iterable[str]) -> Iterator[str]:
        # the first piece starts with the share line (a record made in a worker is one piece)
        given = iter(pieces)
        yield self._tally.add(next(given))
        yield from given
        yield "\n"

    def end_pieces(self) -> Iterator[str]:
        tally = self._tally
        counts = tally.severity_counts()
        yield _summary(tally.files_summary(), tally.claims, tally.findings(), counts) + "\n"


def _render_report(report: Report, color: bool, verbose: bool) -> str:
    return "".join(line_pieces(_report_lines(report, color, verbose)))


def _report_lines(report: Report, color: bool, verbose: bool) -> Iterator[str]:
    """The report's block, line by line (a finding's or a claim's lines as one)."""
    yield f"{report_title(report)}: {verdict(report, color=color)}"
    sentence_of = _sentence_finder(report)
    yield from (_render_finding(report, f, sentence_of, color) for f in ranked(report))
    yield f"  evidence: {evidence_line(report.evidence_tag)}"
    if verbose:
        yield f"  report card: {prose(card_summary(report.report_card))}"
        yield from (_render_claim(report, claim, color) for claim in report.claims)


# -- the verdict --------------------------------------------------------------------------


def verdict(report: Report, *, color: bool = False) -> str:
    """``preliminary — a small study in people, presented at a conference, not
    peer-reviewed; headline hedged (“may”, “suggests”)``: the article label, the evidence
    its key claim (the headline, else the first claim about the study, else the first
    claim) rests on, and how firmly that claim is worded."""
    if report.label is None:
        return "no claims"
    label = _paint(report.label.value, color)
    claim = key_claim(report)
    if claim is None:
        return label
    return f"{label} — {evidence_words(claim, report.evidence_tag)}; {wording(claim)}"


def key_claim(report: Report) -> Claim | None:
    claims = report.claims
    return (
        next((c for c in claims if c.headline), None)
        or next((c for c in claims if c.primary), None)
        or (claims[0] if claims else None)
    )


def evidence_words(claim: Claim, tag: EvidenceTag | None) -> str:
    """What the claim's evidence is, in words: ``a small study in people, presented at a
    conference, not peer-reviewed``; ``no study described`` when the text states none."""
    evidence = claim.evidence
    size = {"small": "small ", "large": "large "}.get(evidence.sample or "", "")
    design = DESIGN_NAMES.get(evidence.design or "")
    subjects = _SUBJECTS.get(evidence.subjects or "", "")
    if evidence.design in _NAMES_SUBJECTS:
        subjects = ""  # "an animal study", not "an animal study in animals"
    if design is None and not (size or subjects or evidence.publication):
        study = "no study described"
    else:
        noun = design or "study"
        article = "an" if (size or noun)[0] in "aeiou" else "a"
        study = " ".join(filter(None, [f"{article} {size}{noun}", subjects]))
    parts = [study]
    published = _PUBLICATIONS.get(evidence.publication or "")
    if published:
        parts.append(published)
    if tag is not None and tag.peer_reviewed == "no" and published != "unpublished":
        parts.append("not peer-reviewed")
    return ", ".join(dict.fromkeys(parts))


def wording(claim: Claim) -> str:
    """How firmly the key claim is worded: its hedges, else its boosters or hype, quoted."""
    where = "headline" if claim.headline else "main claim"
    sentence_cues = [c for c in claim.cues if c.scope != "document"]
    for categories, word in ((("hedge",), "hedged"), (("booster", "hype"), "stated firmly")):
        said = [c.text for c in sentence_cues if c.category in categories]
        if said:
            quoted = ", ".join(f"“{prose(text)}”" for text in dict.fromkeys(said))
            return f"{where} {word} ({quoted})"
    return f"{where} stated without hedges"


def evidence_line(tag: EvidenceTag | None) -> str:
    """``not peer-reviewed · study type — · subjects people``."""
    if tag is None:
        return "not assessed (no prose)"
    kind = study_type(tag) if tag.study_type else "—"
    return prose(
        f"{_PEER_REVIEW.get(tag.peer_reviewed, tag.peer_reviewed)} · study type {kind} · "
        f"subjects {tag.subjects or '—'}"
    )


# -- findings -----------------------------------------------------------------------------


def ranked(report: Report) -> list[Finding]:
    """The findings, most severe first, in text order within a severity."""
    return sorted(report.findings, key=lambda f: (-f.severity.rank, f.start, f.end, f.code))


def _render_finding(
    report: Report, finding: Finding, sentence_of: Callable[[Finding], str], color: bool
) -> str:
    where = f"{display_path(report)}:{finding.line}:{finding.column}"
    severity = finding.severity.value.ljust(_SEVERITY_WIDTH)
    if color:
        severity = click.style(severity, fg=_SEVERITY_COLOURS[finding.severity.value], bold=True)
    lines = [
        f"  {where}: {severity} {visible(finding.code)} {prose(finding.message)}",
        f"    “{_clip(sentence_of(finding))}”",
    ]
    if finding.suggestion:
        lines.append(f"    suggestion: {prose(finding.suggestion)}")
    if finding.edit is not None:
        lines.append(f"    rewrite: {prose(described_edit(finding.edit))}")
    return "\n".join(lines)


def _sentence_finder(report: Report) -> Callable[[Finding], str]:
    """For a finding, the claim it lies in, or its own text where it lies in none. Claims
    in text order that do not overlap (as sentences are) are searched by halves: a part of
    a dense file holds thousands of claims and as many findings."""
    claims = report.claims
    starts = [claim.start for claim in claims]

    def in_order(finding: Finding) -> str:
        index = bisect_right(starts, finding.start) - 1
        if index >= 0 and finding.start < claims[index].end:
            return claims[index].text
        return finding.text

    def first_holding(finding: Finding) -> str:
        return next((c.text for c in claims if c.start <= finding.start < c.end), finding.text)

    ordered = all(a.end <= b.start for a, b in pairwise(claims))
    return in_order if ordered else first_holding


def _clip(text: str) -> str:
    """``text`` on one line, cut at a word near ``_WIDTH`` characters."""
    flat = one_line(text)
    if len(flat) <= _WIDTH:
        return prose(flat)
    cut = flat[: _WIDTH - 1]
    space = cut.rfind(" ")
    return prose((cut[:space] if space > _WIDTH // 2 else cut).rstrip(" ,;:") + "…")


# -- claim by claim (verbose) ---------------------------------------------------------------


def _render_claim(report: Report, claim: Claim, color: bool) -> str:
    where = f"{display_path(report)}:{claim.line}:{claim.column}"
    marker = " [headline]" if claim.headline else ""
    lines = [
        f"  {where}: {_paint(claim.label.value, color)}{marker} "
        f"(strength {claim.strength.value}, certainty {claim.certainty:.2f})",
        f"    {_clip(claim.text)}",
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


def _paint(label: str, color: bool) -> str:
    return click.style(label, fg=_LABEL_COLOURS.get(label), bold=True) if color else label
