"""The report model: frozen dataclasses with character offsets into the checked text.

Each class declares its fields in the order its JSON shows them (the order of
``schema/hedgecheck-report.schema.json``), which is the order :mod:`hedgecheck.serialise`
writes them in; a class whose order puts a field with a default before one without is
keyword-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from hedgecheck.serialise import HIDDEN, OMITTED_WHEN_DEFAULT, Serialised


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Cue(Serialised):
    """One rule match that modifies a claim."""

    rule: str
    name: str
    category: str
    text: str
    start: int
    end: int
    line: int
    column: int
    scope: str = "sentence"
    weight: float
    kind: str | None = field(default=None, metadata=OMITTED_WHEN_DEFAULT)
    value: str | None = field(default=None, metadata=OMITTED_WHEN_DEFAULT)
    quoted: bool = field(default=False, metadata=OMITTED_WHEN_DEFAULT)
    scope_span: tuple[int, int] | None = field(default=None, metadata=OMITTED_WHEN_DEFAULT)


@dataclass(frozen=True, slots=True)
class Evidence(Serialised):
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


@dataclass(frozen=True, slots=True)
class Contribution(Serialised):
    """One step of the explanation trail: what moved a score, and by how much."""

    source: str
    axis: str
    weight: float
    note: str = field(default="", metadata=OMITTED_WHEN_DEFAULT)


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim(Serialised):
    """A sentence that asserts a finding or relationship, with its scores and cues."""

    text: str
    start: int
    end: int
    line: int
    column: int
    headline: bool
    primary: bool
    block: str = "paragraph"
    label: Label
    confidence: float
    certainty: float
    strength: Strength
    negated: bool
    evidence: Evidence
    cues: tuple[Cue, ...]
    explanation: tuple[Contribution, ...]


class Severity(StrEnum):
    """How much a finding matters to the gate, from low to high."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Edit(Serialised):
    """A rewrite a finding offers: ``text`` (the words at ``start:end``, offsets into the
    text as given, like the finding's own) replaced by ``replacement``."""

    start: int
    end: int
    text: str
    replacement: str


@dataclass(frozen=True, slots=True)
class Finding(Serialised):
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
    suggestion: str | None = field(default=None, metadata=OMITTED_WHEN_DEFAULT)
    quoted: bool = field(default=False, metadata=OMITTED_WHEN_DEFAULT)
    edit: Edit | None = field(default=None, metadata=OMITTED_WHEN_DEFAULT)
    # What made an article check fire (the study's description it read, the sentences on
    # animal work), for ``hedgecheck explain``; not in the JSON (its schema is unchanged)
    # nor compared.
    basis: tuple[Mention, ...] = field(default=(), compare=False, metadata=HIDDEN)


@dataclass(frozen=True, slots=True)
class Mention(Serialised):
    """A span of the text that a tag or report-card item rests on."""

    rule: str
    text: str
    start: int
    end: int
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class EvidenceTag(Serialised):
    """The AMS / Science Media Centre label, filled from what the text states."""

    peer_reviewed: str  # "yes", "no" (preprint and conference count as no) or "not stated"
    study_type: str | None  # the labels' coarse kind: "clinical trial", "observational"...
    # The finer design: "randomised trial", "cohort study"... Keyword-only: the JSON has it
    # here, the constructor takes the other four by position.
    design: str | None = field(default=None, kw_only=True)
    subjects: str | None
    basis: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class CardItem(Serialised):
    """One HealthNewsReview criterion: satisfied, not satisfied or not applicable."""

    criterion: str
    status: str
    note: str
    evidence: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Part(Serialised):
    """Where a report's text lies in a file too big to check as one article: the file is
    read in parts that end at paragraph breaks, each checked as an article of its own."""

    index: int  # 1-based
    count: int
    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Report(Serialised):
    """Everything hedgecheck says about one text (or one part of a big file)."""

    path: str | None = None
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    input_format: str = "text"
    label: Label | None
    headline: str | None
    evidence_tag: EvidenceTag | None = None
    report_card: tuple[CardItem, ...] = ()
    study_cues: tuple[Cue, ...] = ()
    claims: tuple[Claim, ...]
    findings: tuple[Finding, ...] = ()
    part: Part | None = field(default=None, metadata=OMITTED_WHEN_DEFAULT)
    # The text the offsets point into (for a part, from ``part.start``), kept so a page can
    # show the whole article; not in the JSON (its schema is unchanged) nor compared.
    source: str | None = field(default=None, repr=False, compare=False, metadata=HIDDEN)
