"""From the cues that govern a claim to its strength, certainty, evidence and label.

Two logits are kept apart, as the literature asks: *certainty* (how firmly the text commits:
hedges, boosters, hype) and *evidence* (what the study can support: design, subjects, sample,
publication status, limitations). The label combines them; a cue may also cap the label
("in mice" can never be more than preliminary). Several cues pointing the same way add up
sub-additively (Salager-Meyer's compound hedges are stronger, not twice as strong).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from hedgecheck.engine import ScopedCue, SentenceCues
from hedgecheck.lexicon import Lexicon, resolved
from hedgecheck.model import Contribution, Evidence, Label, Strength
from hedgecheck.schema import LABELS, Scoring
from hedgecheck.strength import claim_strength

# A design that names its subjects ("animal studies", "in vitro") states them too.
_DESIGN_SUBJECTS = {"animal": "animals", "in_vitro": "cells"}
# A hedge or booster elsewhere in the sentence, outside the scope that reaches the claim
# ("X reduces Y, and may also ..."), still colours how firmly the sentence commits: readers
# rate whole sentences (Pei & Jurgens 2021), so it counts, at this fraction of its weight.
OUTSIDE_SCOPE = 0.75
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


def assess(
    item: SentenceCues,
    study_cues: Sequence[ScopedCue],
    scoring: Scoring,
    *,
    study_evidence: Sequence[ScopedCue] = (),
    lexicon: Lexicon | None = None,
) -> Assessment:
    """Score one sentence as a claim; study-level cues count only for primary claims, and so
    does ``study_evidence`` (the evidence stated about the article's own study anywhere),
    which bounds the label's evidence ceiling only: a headline rests on the study the body
    describes. ``lexicon`` is the rule set's (default: the default packs')."""
    governing = [c for c in item.governing() if not item.denies(c)]
    own_rules = {c.rule.id for c in item.cues}
    extra = [c for c in study_cues if c.rule.id not in own_rules]
    applied = [*governing, *(extra if item.primary else [])]
    explanation: list[Contribution] = [
        Contribution("bias", "certainty", scoring.certainty_bias, "an unhedged statement")
    ]
    weights: dict[int, float] = {}
    on_certainty = certainty_cues(item, applied, scoring)
    inside = {id(c.match) for c in applied}
    applied.extend(c for c, _ in on_certainty if id(c.match) not in inside)
    certainty = scoring.certainty_bias + _add_up(
        on_certainty, scoring, explanation, weights, inside=inside
    )
    evidence = _add_up(
        [(c, c.rule.weight) for c in applied if c.rule.axis == "evidence"],
        scoring,
        explanation,
        weights,
        inside=inside,
    )
    confidence = scoring.certainty_factor * certainty + evidence + scoring.confidence_bias
    grade = _ceiling([*applied, *(study_evidence if item.primary else ())], scoring)
    label, bounds = _label(confidence, applied, scoring, grade)
    explanation.extend(bounds)
    return Assessment(
        cues=tuple(applied),
        strength=claim_strength(item, resolved(lexicon)),
        negated=any(c.rule.category == "negation" for c in governing),
        certainty_logit=certainty,
        confidence_logit=confidence,
        label=label,
        evidence=_evidence(applied, grade),
        explanation=tuple(explanation),
        weights=weights,
    )


def certainty_cues(
    item: SentenceCues, applied: Sequence[ScopedCue], scoring: Scoring
) -> list[tuple[ScopedCue, float]]:
    """The cues that move a claim's certainty, each with its weight before the decay: the
    certainty cues that govern the claim in full, the sentence's other certainty cues at
    ``OUTSIDE_SCOPE``, and each determiner negation ("no difference", "neither ... nor") at
    ``scoring.negation_certainty``: a flat denial commits as firmly as an assertion."""
    result = [(c, c.rule.weight) for c in applied if c.rule.axis == "certainty"]
    seen = {id(c.match) for c, _ in result}
    for cue in item.cues:
        if id(cue.match) in seen:
            continue
        if cue.rule.axis == "certainty":
            result.append((cue, cue.rule.weight * OUTSIDE_SCOPE))
        elif cue.rule.category == "negation" and cue.rule.kind == "determiner":
            result.append((cue, scoring.negation_certainty))
    return [(c, w) for c, w in result if w]


def effective_weights(
    cues: Iterable[tuple[ScopedCue, float]], scoring: Scoring
) -> dict[int, float]:
    """Each cue's weight after the sub-additive decay: the strongest cue of each sign counts in
    full, the next at ``repeat_decay``, and so on. Keyed by the match's identity (a separate
    title has offsets of its own, so two cues of one claim can share an offset)."""
    result: dict[int, float] = {}
    positive = sorted((p for p in cues if p[1] > 0), key=lambda p: -p[1])
    negative = sorted((p for p in cues if p[1] < 0), key=lambda p: p[1])
    for group in (positive, negative):
        for rank, (cue, weight) in enumerate(group):
            result[id(cue.match)] = weight * scoring.repeat_decay**rank
    return result


def _add_up(
    cues: list[tuple[ScopedCue, float]],
    scoring: Scoring,
    explanation: list[Contribution],
    weights: dict[int, float],
    *,
    inside: set[int],
) -> float:
    """Sum one axis's cue weights sub-additively, recording each step of the trail."""
    total = 0.0
    decayed = effective_weights(cues, scoring)
    for cue, _ in cues:
        weight = round(decayed.get(id(cue.match), 0.0), 4)
        if weight:
            note = cue.rule.name + (" (study-level)" if cue.document else "")
            if cue.rule.category == "negation":
                note += " (a flat denial)"
            elif id(cue.match) not in inside:
                note += " (outside the claim's scope)"
            axis = "certainty" if cue.rule.category == "negation" else cue.rule.axis
            explanation.append(Contribution(cue.rule.id, axis, weight, note))
            weights[id(cue.match)] = weight
            total += weight
    return total


@dataclass(frozen=True, slots=True)
class Grade:
    """A claim's evidence ceiling: the highest label its stated evidence can support, and
    the cue that states that evidence (None when no evidence is stated)."""

    label: str
    cue: ScopedCue | None


def _ceiling(cues: Sequence[ScopedCue], scoring: Scoring) -> Grade | None:
    """The best grade among the evidence cues that apply to a claim: its own sentence's
    before the study-level ones at the same grade, so the trail names the nearest evidence.
    None when the scoring has no ``[grades]`` table (no ceiling at all)."""
    if not scoring.grades:
        return None
    grades = _grade_table(scoring.grades)
    best = Grade(LABELS[0], None)
    for cue in sorted(cues, key=lambda c: c.document):
        label = grades.get((cue.rule.category, cue.rule.value))
        if label is not None and (
            best.cue is None or LABELS.index(label) > LABELS.index(best.label)
        ):
            best = Grade(label, cue)
    return best


@lru_cache(maxsize=8)
def _grade_table(
    grades: tuple[tuple[str, str, str], ...],
) -> Mapping[tuple[str, str | None], str]:
    """``Scoring.grade`` as one lookup: it walks the ``[grades]`` table row by row, and
    every cue of every claim asked it (a quarter of scoring a claim). The first row for a
    category and value wins, as there."""
    table: dict[tuple[str, str | None], str] = {}
    for category, value, label in grades:
        table.setdefault((category, value), label)
    return MappingProxyType(table)


def _label(
    confidence: float, cues: Sequence[ScopedCue], scoring: Scoring, grade: Grade | None
) -> tuple[Label, list[Contribution]]:
    """The thresholds' label held under the evidence ceiling, raised to the highest floor
    ("a study reports it") but never above the ceiling, and then held under the lowest cap
    ("in mice"): a cap always wins over a floor. Certainty moves the thresholds' label only,
    so hedges can lower a well-evidenced claim while boosters and hype can never lift a
    claim above what its evidence supports."""
    rank = scoring.label_rank(confidence)
    steps: list[Contribution] = []
    ceiling = len(LABELS) - 1
    if grade is not None:
        ceiling = LABELS.index(grade.label)
        steps.append(_ceiling_step(grade, held=rank > ceiling))
        rank = min(rank, ceiling)
    bound = None
    floors = [c for c in cues if c.rule.floor is not None]
    highest = max(floors, key=lambda c: LABELS.index(c.rule.floor), default=None)
    if highest is not None and min(LABELS.index(highest.rule.floor), ceiling) > rank:
        rank = min(LABELS.index(highest.rule.floor), ceiling)
        bound = Contribution(highest.rule.id, "floor", 0.0, f"label raised to {LABELS[rank]}")
    lowest = _lowest_cap(cues)
    if lowest is not None and LABELS.index(lowest.rule.cap) < rank:
        rank = LABELS.index(lowest.rule.cap)
        bound = Contribution(lowest.rule.id, "cap", 0.0, f"label capped at {lowest.rule.cap}")
    if bound is not None:
        steps.append(bound)
    return Label.from_rank(rank), steps


def _lowest_cap(cues: Sequence[ScopedCue]) -> ScopedCue | None:
    caps = [c for c in cues if c.rule.cap is not None]
    return min(caps, key=lambda c: LABELS.index(c.rule.cap), default=None)


def _reachable(cues: Sequence[ScopedCue], grade: Grade | None) -> str | None:
    """The highest label the claim's evidence lets it reach, however firmly it is worded:
    the ceiling, held under any cap ("in mice" makes even a journal study preliminary)."""
    if grade is None:
        return None
    lowest = _lowest_cap(cues)
    if lowest is not None and LABELS.index(lowest.rule.cap) < LABELS.index(grade.label):
        return lowest.rule.cap
    return grade.label


def _ceiling_step(grade: Grade, *, held: bool) -> Contribution:
    """The trail's account of the ceiling: which evidence set it, and whether it held the
    label below what the certainty and evidence weights reached."""
    if grade.cue is None:
        said = "no evidence stated"
        source = "evidence"
    else:
        level = " (study-level)" if grade.cue.document else ""
        said = f"the best evidence stated is “{grade.cue.match.text}”{level}"
        source = grade.cue.rule.id
    if held:
        note = f"label held at {grade.label}: {said}"
    else:
        note = f"evidence supports up to {grade.label}: {said}"
    return Contribution(source, "ceiling", 0.0, note)


def _evidence(cues: Sequence[ScopedCue], grade: Grade | None) -> Evidence:
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
    return Evidence(limitations=limitations, grade=_reachable(cues, grade), **values)


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))
