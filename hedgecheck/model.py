"""The report model: frozen dataclasses with character offsets into the checked text."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Label(StrEnum):
    """Confidence a careful reader should place in a claim, from high to low."""

    ESTABLISHED = "established"
    SUPPORTED = "supported"
    PRELIMINARY = "preliminary"
    SPECULATIVE = "speculative"

    @property
    def rank(self) -> int:
        """0 for speculative up to 3 for established."""
        return _LABEL_ORDER.index(self)

    @classmethod
    def from_rank(cls, rank: int) -> Label:
        return _LABEL_ORDER[max(0, min(rank, len(_LABEL_ORDER) - 1))]


_LABEL_ORDER = [Label.SPECULATIVE, Label.PRELIMINARY, Label.SUPPORTED, Label.ESTABLISHED]


class Strength(StrEnum):
    """Relationship a claim states (Sumner et al. 2014; Yu et al. 2019)."""

    NONE = "none"
    CORRELATIONAL = "correlational"
    CONDITIONAL = "conditional"
    CAUSAL = "causal"

    @property
    def level(self) -> int:
        """0 none, 1 correlational, 2 conditional causal, 3 direct causal."""
        return list(Strength).index(self)


@dataclass(frozen=True, slots=True)
class Cue:
    """One rule match that modifies a claim."""

    rule: str
    name: str
    category: str
    text: str
    start: int
    end: int
    line: int
    column: int
    weight: float
    scope: str = "sentence"
    value: str | None = None
    kind: str | None = None
    quoted: bool = False
    scope_span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "scope": self.scope,
            "weight": self.weight,
        }
        if self.kind is not None:
            data["kind"] = self.kind
        if self.value is not None:
            data["value"] = self.value
        if self.quoted:
            data["quoted"] = True
        if self.scope_span is not None:
            data["scope_span"] = list(self.scope_span)
        return data


@dataclass(frozen=True, slots=True)
class Evidence:
    """Evidence signals a claim rests on, as the text states them."""

    design: str | None = None
    subjects: str | None = None
    sample: str | None = None
    publication: str | None = None
    limitations: tuple[str, ...] = ()
    # The highest label this evidence lets the claim reach, however firmly it is worded: the
    # best grade among it, held under any cap ("in mice"); "speculative" when none is
    # stated; None when the scoring grades no evidence.
    grade: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "subjects": self.subjects,
            "sample": self.sample,
            "publication": self.publication,
            "limitations": list(self.limitations),
            "grade": self.grade,
        }


@dataclass(frozen=True, slots=True)
class Contribution:
    """One step of the explanation trail: what moved a score, and by how much."""

    source: str
    axis: str
    weight: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "axis": self.axis, "weight": self.weight}
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence that asserts a finding or relationship, with its scores and cues."""

    text: str
    start: int
    end: int
    line: int
    column: int
    headline: bool
    primary: bool
    label: Label
    certainty: float
    strength: Strength
    negated: bool
    evidence: Evidence
    cues: tuple[Cue, ...]
    explanation: tuple[Contribution, ...]
    confidence: float
    block: str = "paragraph"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "headline": self.headline,
            "primary": self.primary,
            "block": self.block,
            "label": self.label.value,
            "confidence": self.confidence,
            "certainty": self.certainty,
            "strength": self.strength.value,
            "negated": self.negated,
            "evidence": self.evidence.to_dict(),
            "cues": [cue.to_dict() for cue in self.cues],
            "explanation": [step.to_dict() for step in self.explanation],
        }


class Severity(StrEnum):
    """How much a finding matters to the gate, from low to high."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Finding:
    """Something an editor should look at, tied to a span of the text."""

    code: str
    name: str
    severity: Severity
    message: str
    text: str
    start: int
    end: int
    line: int
    column: int
    suggestion: str | None = None
    quoted: bool = False
    # What made an article check fire (the study's description it read, the sentences on
    # animal work), for ``hedgecheck explain``; not in ``to_dict`` (the JSON schema is
    # unchanged) nor compared.
    basis: tuple[Mention, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
        }
        if self.suggestion is not None:
            data["suggestion"] = self.suggestion
        if self.quoted:
            data["quoted"] = True
        return data


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the text that a tag or report-card item rests on."""

    rule: str
    text: str
    start: int
    end: int
    line: int
    column: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
        }


@dataclass(frozen=True, slots=True)
class EvidenceTag:
    """The AMS / Science Media Centre label, filled from what the text states."""

    peer_reviewed: str  # "yes", "no" (preprint and conference count as no) or "not stated"
    study_type: str | None  # the labels' coarse kind: "clinical trial", "observational"...
    subjects: str | None
    basis: tuple[Mention, ...] = ()
    design: str | None = None  # the finer design: "randomised trial", "cohort study"...

    def to_dict(self) -> dict[str, Any]:
        return {
            "peer_reviewed": self.peer_reviewed,
            "study_type": self.study_type,
            "design": self.design,
            "subjects": self.subjects,
            "basis": [m.to_dict() for m in self.basis],
        }


@dataclass(frozen=True, slots=True)
class CardItem:
    """One HealthNewsReview criterion: satisfied, not satisfied or not applicable."""

    criterion: str
    status: str
    note: str
    evidence: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "status": self.status,
            "note": self.note,
            "evidence": [m.to_dict() for m in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Part:
    """Where a report's text lies in a file too big to check as one article: the file is
    read in parts that end at paragraph breaks, each checked as an article of its own."""

    index: int  # 1-based
    count: int
    start: int
    end: int
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "count": self.count,
            "start": self.start,
            "end": self.end,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything hedgecheck says about one text (or one part of a big file)."""

    label: Label | None
    headline: str | None
    claims: tuple[Claim, ...]
    findings: tuple[Finding, ...] = ()
    study_cues: tuple[Cue, ...] = field(default=())
    path: str | None = None
    input_format: str = "text"
    evidence_tag: EvidenceTag | None = None
    report_card: tuple[CardItem, ...] = ()
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    part: Part | None = None
    # The text the offsets point into (for a part, from ``part.start``), kept so a page can
    # show the whole article; not in ``to_dict`` (the JSON schema is unchanged) nor compared.
    source: str | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "path": self.path,
            "warnings": list(self.warnings),
            "errors": list(self.errors),
            "input_format": self.input_format,
            "label": self.label.value if self.label else None,
            "headline": self.headline,
            "evidence_tag": self.evidence_tag.to_dict() if self.evidence_tag else None,
            "report_card": [item.to_dict() for item in self.report_card],
            "study_cues": [cue.to_dict() for cue in self.study_cues],
            "claims": [claim.to_dict() for claim in self.claims],
            "findings": [finding.to_dict() for finding in self.findings],
        }
        if self.part is not None:
            data["part"] = self.part.to_dict()
        return data
