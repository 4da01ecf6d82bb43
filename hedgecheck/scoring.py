"""From the cues that govern a claim to its strength, certainty, evidence and label.

Two logits are kept apart, as the literature asks: *certainty* (how firmly the text commits:
hedges, boosters, hype) and *evidence* (what the study can support: design, subjects, sample,
publication status, limitations). The label combines them; a cue may also cap the label
("in mice" can never be more than preliminary). Several cues pointing the same way add up
sub-additively (Salager-Meyer's compound hedges are stronger, not twice as strong).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from hedgecheck.engine import ScopedCue, SentenceCues
from hedgecheck.model import Contribution, Evidence, Label, Strength
from hedgecheck.rules import LABELS, Scoring

# A design that names its subjects ("animal studies", "in vitro") states them too.
_DESIGN_SUBJECTS = {"animal": "animals", "in_vitro": "cells"}
_EVIDENCE_FIELDS = {
    "design": "design",
    "subject": "subjects",
    "sample": "sample",
    "publication": "publication",
}


@dataclass(frozen=True, slots=True)
class Assessment:
    """The scores of one claim, before they are dressed as a report Claim."""

    cues: tuple[ScopedCue, ...]
    strength: Strength
    negated: bool
    certainty_logit: float
    evidence_logit: float
    confidence_logit: float
    label: Label
    evidence: Evidence
    explanation: tuple[Contribution, ...]
    weights: dict[int, float]

    def weight_of(self, cue: ScopedCue) -> float:
        """The cue's weight after decay, as it entered its axis (0 for unweighted cues)."""
        return self.weights.get(id(cue.match), 0.0)

    @property
    def certainty(self) -> float:
        return sigmoid(self.certainty_logit)

    @property
    def confidence(self) -> float:
        return sigmoid(self.confidence_logit)


def assess(item: SentenceCues, study_cues: Sequence[ScopedCue], scoring: Scoring) -> Assessment:
    """Score one sentence as a claim; study-level cues count only for primary claims."""
    governing = [c for c in item.governing() if not _negated_evidence(c, item)]
    own_rules = {c.rule.id for c in item.cues}
    extra = [c for c in study_cues if c.rule.id not in own_rules]
    applied = [*governing, *(extra if item.primary else [])]
    explanation: list[Contribution] = [
        Contribution("bias", "certainty", scoring.certainty_bias, "an unhedged statement")
    ]
    weights: dict[int, float] = {}
    certainty = scoring.certainty_bias + _add_up(
        [c for c in applied if c.rule.axis == "certainty"], scoring, explanation, weights
    )
    evidence = _add_up(
        [c for c in applied if c.rule.axis == "evidence"], scoring, explanation, weights
    )
    confidence = scoring.certainty_factor * certainty + evidence + scoring.confidence_bias
    label, bound = _label(confidence, applied, scoring)
    if bound is not None:
        explanation.append(bound)
    return Assessment(
        cues=tuple(applied),
        strength=_strength(item),
        negated=any(c.rule.category == "negation" for c in governing),
        certainty_logit=certainty,
        evidence_logit=evidence,
        confidence_logit=confidence,
        label=label,
        evidence=_evidence(applied),
        explanation=tuple(explanation),
        weights=weights,
    )


def _negated_evidence(cue: ScopedCue, item: SentenceCues) -> bool:
    """ "no clinical trials", "without a control group": evidence a negation reaches is absent."""
    if cue.rule.axis != "evidence" or cue.rule.weight <= 0:
        return False
    return any(
        n.rule.category == "negation"
        and n.match.end <= cue.match.start
        and n.reaches(cue.match.start, cue.match.end)
        for n in item.cues
    )


def effective_weights(cues: Iterable[ScopedCue], scoring: Scoring) -> dict[int, float]:
    """Each cue's weight after the sub-additive decay, keyed by its match's identity (a
    separate title has offsets of its own, so two cues of one claim can share an offset)."""
    result: dict[int, float] = {}
    positive = sorted((c for c in cues if c.rule.weight > 0), key=lambda c: -c.rule.weight)
    negative = sorted((c for c in cues if c.rule.weight < 0), key=lambda c: c.rule.weight)
    for group in (positive, negative):
        for rank, cue in enumerate(group):
            result[id(cue.match)] = cue.rule.weight * scoring.repeat_decay**rank
    return result


def _add_up(
    cues: list[ScopedCue],
    scoring: Scoring,
    explanation: list[Contribution],
    weights: dict[int, float],
) -> float:
    """Sum one axis's cue weights sub-additively, recording each step of the trail."""
    total = 0.0
    decayed = effective_weights(cues, scoring)
    for cue in cues:
        weight = round(decayed.get(id(cue.match), 0.0), 4)
        if weight:
            note = cue.rule.name + (" (study-level)" if cue.document else "")
            explanation.append(Contribution(cue.rule.id, cue.rule.axis, weight, note))
            weights[id(cue.match)] = weight
            total += weight
    return total


def _label(
    confidence: float, cues: Sequence[ScopedCue], scoring: Scoring
) -> tuple[Label, Contribution | None]:
    """The thresholds' label, raised to the highest floor ("a study reports it") and then
    held under the lowest cap ("in mice"): a cap always wins over a floor."""
    rank = scoring.label_rank(confidence)
    bound = None
    floors = [c for c in cues if c.rule.floor is not None]
    highest = max(floors, key=lambda c: LABELS.index(c.rule.floor), default=None)
    if highest is not None and LABELS.index(highest.rule.floor) > rank:
        rank = LABELS.index(highest.rule.floor)
        bound = Contribution(highest.rule.id, "floor", 0.0, f"label raised to {highest.rule.floor}")
    caps = [c for c in cues if c.rule.cap is not None]
    lowest = min(caps, key=lambda c: LABELS.index(c.rule.cap), default=None)
    if lowest is not None and LABELS.index(lowest.rule.cap) < rank:
        rank = LABELS.index(lowest.rule.cap)
        bound = Contribution(lowest.rule.id, "cap", 0.0, f"label capped at {lowest.rule.cap}")
    return Label.from_rank(rank), bound


def _strength(item: SentenceCues) -> Strength:
    """Yu et al. / Sumner scale. An association wins over an adjectival causal verb
    ("associated with reduced risk"); a conditional hedge ("may", "could") reaching the
    causal verbs, or standing on a predicate no relation rule names ("may help stratify"),
    makes the claim conditional (InSciOut code 4)."""
    relations = [c for c in item.cues if c.rule.category == "relation"]
    conditional = [c for c in item.cues if c.rule.conditional]
    if not relations:
        return Strength.CONDITIONAL if conditional else Strength.NONE
    if any(c.rule.value == "correlational" for c in relations):
        return Strength.CORRELATIONAL
    causal = [c for c in relations if c.rule.value == "causal"]
    reached = _Reach(conditional)
    if all(reached.by_any(c.match.start, c.match.end) for c in causal):
        return Strength.CONDITIONAL
    return Strength.CAUSAL


class _Reach:
    """Whether any of some cues' scopes reaches a span, by bisection: the scopes sorted by
    start with the furthest end so far, so a sentence with thousands of cues stays cheap."""

    def __init__(self, cues: Sequence[ScopedCue]) -> None:
        ordered = sorted(cues, key=lambda c: c.scope_start)
        self._starts = [c.scope_start for c in ordered]
        self._furthest = list(accumulate((c.scope_end for c in ordered), max))

    def by_any(self, start: int, end: int) -> bool:
        """True when a scope opens before ``end`` and closes after ``start``."""
        opened = bisect_left(self._starts, end)
        return opened > 0 and self._furthest[opened - 1] > start


def _evidence(cues: Sequence[ScopedCue]) -> Evidence:
    found: dict[str, ScopedCue] = {}
    for cue in cues:
        field = _EVIDENCE_FIELDS.get(cue.rule.category)
        if field and (field not in found or abs(cue.rule.weight) > abs(found[field].rule.weight)):
            found[field] = cue
    limitations = tuple(
        dict.fromkeys(c.rule.kind or c.rule.name for c in cues if c.rule.category == "limitation")
    )
    values = {field: cue.rule.value for field, cue in found.items()}
    if "subjects" not in values and values.get("design") in _DESIGN_SUBJECTS:
        values["subjects"] = _DESIGN_SUBJECTS[values["design"]]
    return Evidence(limitations=limitations, **values)


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))
