"""From the cues that govern a claim to its strength, certainty, evidence and label.

Two logits are kept apart, as the literature asks: *certainty* (how firmly the text commits:
hedges, boosters, hype) and *evidence* (what the study can support: design, subjects, sample,
publication status, limitations). The label combines them; a cue may also cap the label
("in mice" can never be more than preliminary). Several cues pointing the same way add up
sub-additively (Salager-Meyer's compound hedges are stronger, not twice as strong).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hedgecheck.engine import ScopedCue, SentenceCues
from hedgecheck.model import Contribution, Evidence, Label, Strength
from hedgecheck.schema import LABELS, Scoring

# A design that names its subjects ("animal studies", "in vitro") states them too.
_DESIGN_SUBJECTS = {"animal": "animals", "in_vitro": "cells"}
# A hedge or booster elsewhere in the sentence, outside the scope that reaches the claim
# ("X reduces Y, and may also ..."), still colours how firmly the sentence commits: readers
# rate whole sentences (Pei & Jurgens 2021), so it counts, at this fraction of its weight.
OUTSIDE_SCOPE = 0.75
# Correlational participles that can follow a noun as a reduced relative clause, and the
# copula (or adverb) that makes one the sentence's predicate instead ("was associated with").
_PARTICIPLE = re.compile(
    r"(?:associated|linked|related|tied|connected|correlated)\b", re.IGNORECASE
)
_COPULA = re.compile(r"\b(?:is|are|was|were|be|been|being|not|\w+ly)\s+$", re.IGNORECASE)
# A relative pronoun or an infinitive "to", perhaps with an adverb, just before a verb: the
# verb opens a clause that modifies a noun ("mutations that cause", "a checklist which
# virtually eliminated", "a treatment to protect patients"). After a raising or reporting
# verb ("appears to reduce", "was shown to reduce") the infinitive is the main predicate.
_CLAUSE_OPENER = re.compile(r"\b(that|which|who|(\w+)\s+to)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_RAISING = frozenset(
    [
        "appear",
        "appears",
        "appeared",
        "seem",
        "seems",
        "seemed",
        "likely",
        "shown",
        "found",
        "able",
        "tend",
        "tends",
        "tended",
        "known",
        "expected",
        "proved",
        "proven",
        "thought",
        "reported",
        "believed",
        "continue",
        "continues",
        "continued",
        "going",
        "said",
        "set",
    ]
)
# A sentence whose subject is research still to be done ("Further studies may improve the
# understanding of ...", "Future research might investigate ..."): its modal hedges what the
# research will deliver, a call for research that Yu's annotators put in the no-relationship
# class, not a relation between variables.
_RESEARCH_SUBJECT = re.compile(
    r"^\W*(?:the\s+)?(?:(?:further|future|additional|larger|more|new|prospective|"
    r"randomi[sz]ed|well[- ]designed|longitudinal|controlled|multicent(?:er|re)|large)\s+)+"
    r"(?:[\w-]+\s+){0,2}?(?:studies|research|trials?|investigations?|work|evaluations?)\s+$",
    re.IGNORECASE,
)
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


def assess(
    item: SentenceCues,
    study_cues: Sequence[ScopedCue],
    scoring: Scoring,
    *,
    study_evidence: Sequence[ScopedCue] = (),
) -> Assessment:
    """Score one sentence as a claim; study-level cues count only for primary claims, and so
    does ``study_evidence`` (the evidence stated about the article's own study anywhere),
    which bounds the label's evidence ceiling only: a headline rests on the study the body
    describes."""
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
        strength=_strength(item),
        negated=any(c.rule.category == "negation" for c in governing),
        certainty_logit=certainty,
        evidence_logit=evidence,
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
    best = Grade(LABELS[0], None)
    for cue in sorted(cues, key=lambda c: c.document):
        label = scoring.grade(cue.rule)
        if label is not None and (
            best.cue is None or LABELS.index(label) > LABELS.index(best.label)
        ):
            best = Grade(label, cue)
    return best


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


def _strength(item: SentenceCues) -> Strength:
    """Yu et al. / Sumner scale. An association wins over an adjectival causal verb
    ("associated with reduced risk"); a comparison of groups or rates (kind "comparison":
    "compared with placebo", "odds of", "at high risk") only reports the size of a difference,
    so a causal verb beside it ("reduced pain compared with placebo") sets the strength. A
    conditional hedge ("may", "could") reaching a causal verb, or standing on a predicate
    no relation rule names ("may help stratify"), makes the claim conditional (InSciOut
    code 4); a predicate of use or need (value "none": "may be used to", "may require")
    names no relation for it to hedge, and "seems"/"appears"/"potentially" alone, with no
    relation named, judge a property ("seems safe") rather than hedge an effect. A sentence whose
    subject is earlier work ("Previous research has linked ...") reports background and
    states no relation of its own (Yu et al. 2019 label the study's own finding). Nor does a
    yes/no question ("Could lithium slow down ageing?", "Does depression boost the risk of
    death?"): it asks whether the relation holds rather than asserting it (InSciOut codes such
    headlines as stating no relationship); a wh-question ("Which factors influence ...?")
    presupposes its relation and is read as any other sentence."""
    if _reports_earlier_work(item):
        return Strength.NONE
    if _YES_NO_QUESTION.match(item.sentence.text):
        return Strength.NONE
    cues = [
        c for c in item.cues if c.rule.category == "relation" and not _opening_participle(c, item)
    ]
    relations = [c for c in cues if c.rule.value != "none"]
    conditional = [c for c in item.cues if c.rule.conditional]
    if not relations:
        # "may be used to monitor", "could be an alternative to": a hedged predicate of use
        # or suitability (value "none") states no relation, so the hedge has nothing to
        # make conditional; nor has a modal whose subject is research still to be done.
        # An evidential verb or adverb with no relation ("seems to be a safe procedure",
        # "appears important", "potentially helpful supplements") judges a property of its
        # subject rather than hedging an effect, so only a modal ("may help stratify")
        # makes such a claim conditional.
        if not cues and any(
            h.rule.kind not in ("epistemic-verb", "epistemic-adverb")
            and not _hedges_research(h, item)
            and not _in_recommendation(h, item)
            for h in conditional
        ):
            return Strength.CONDITIONAL
        return Strength.NONE
    causal = [c for c in relations if c.rule.value == "causal"]
    finite = [c for c in causal if not _is_ing_form(c) and not _opens_clause(c, item)]
    correlational = [
        c
        for c in relations
        if c.rule.value == "correlational" and not _postmodifies(c, finite, item)
    ]
    if any(c.rule.kind != "comparison" for c in correlational) or not causal:
        return Strength.CORRELATIONAL
    # The claim's own (first) causal verb decides: "may reduce inflammation and improve
    # sleep" is conditional throughout, while "reduced pain, but it may cause nausea" states
    # its finding directly and hedges only an aside. A gerund or participle ("raising the
    # price of alcohol could lead to", "drugs promoting sun sensitivity may raise") sits in
    # the subject or a modifier, and so does a verb that opens a relative or infinitive
    # clause ("a program that eliminated infections appears to have reduced deaths", "a
    # treatment to protect patients could save lives"): the first finite verb of the main
    # clause is the claim's own when there is one.
    focus = (finite or causal)[0].match
    if any(h.reaches(focus.start, focus.end) for h in conditional):
        return Strength.CONDITIONAL
    return Strength.CAUSAL


# A yes/no question: an auxiliary or modal opens it (after a short "Label:" rubric) and a
# question mark closes it ("Could lithium slow down ageing?", "Psychology: does gaming really
# cause bad behaviour?").
_YES_NO_QUESTION = re.compile(
    r"(?:[^:;?\n]{1,40}[:;]\s*)?[\"'\u2018\u201c]?"
    r"(?:can|could|does|do|did|is|are|was|were|will|would|should|has|have|may|might)\b"
    r"[^?]*\?[\s\"'\u2019\u201d)]*$",
    re.IGNORECASE,
)


def _opening_participle(cue: ScopedCue, item: SentenceCues) -> bool:
    """Whether a causal cue is an -ed form that opens the sentence ("Reduced fibrinogen and
    increased albumin are consistent with ..."): with no subject before it, it is an
    adjective on the subject's noun, not the verb of a claim. So is one coordinated with
    such an opening ("... and increased albumin"): a few words after an opening -ed form,
    joined by "and", "or" or a comma, it is a second adjective in the same subject."""
    if cue.rule.value != "causal":
        return False
    words = cue.match.text.split()
    if len(words) != 1 or not words[0].lower().endswith("ed"):
        return False
    offset = cue.match.start - item.sentence.start
    before = item.sentence.text[:offset].strip(" \t\n\"'\u201c\u2018(")
    return not before or _OPENING_COORDINATE.fullmatch(before) is not None


# An opening -ed adjective, its noun (up to four words) and a coordinator: what may stand
# before a second opening adjective ("Reduced fibrinogen and | increased albumin").
_OPENING_COORDINATE = re.compile(r"\w+ed(?:\s+[\w-]+){1,4}?\s*(?:,|,?\s+(?:and|or))", re.IGNORECASE)


def _reports_earlier_work(item: SentenceCues) -> bool:
    """Whether the sentence's subject is earlier work ("Previous research has linked ...",
    "Previous studies in Japan suggested ...") and nothing sets the present study against it
    (no "but" before a relation of its own, no "the new study"): it reports background,
    not the finding it introduces. A "but" with no relation after it ("..., but the results
    were inconsistent") still speaks of the earlier work."""
    if item.primary:
        return False
    for cue in item.cues:
        if cue.rule.category == "terminator" and any(
            c.rule.category == "relation" and c.match.start > cue.match.start for c in item.cues
        ):
            return False
        if cue.rule.category == "study" and cue.rule.value == "primary":
            return False
    first = next(
        (c for c in item.cues if c.rule.category == "study" and c.rule.value == "background"),
        None,
    )
    if (
        first is None
        or not _NAMES_WORK.search(first.match.text)
        or _UNQUALIFIED.match(first.match.text)
    ):
        return False
    offset = first.match.start - item.sentence.start
    return _SUBJECT_OPENING.fullmatch(item.sentence.text[:offset]) is not None


def _in_recommendation(cue: ScopedCue, item: SentenceCues) -> bool:
    """Whether a hedge lies inside a pseudo-cue that swallows relations (a recommendation,
    "... may vary across groups, and thus interventions should be targeted at ..."): the
    sentence's relation words, if any, were swallowed with it, so the hedge qualifies the
    advice or its reason, not a relation the sentence claims."""
    for pseudo in item.pseudo:
        names = pseudo.rule.swallows
        if (not names or "relation" in names) and (
            pseudo.start <= cue.match.start and cue.match.end <= pseudo.end
        ):
            return True
    return False


def _hedges_research(cue: ScopedCue, item: SentenceCues) -> bool:
    """Whether a modal's subject, from the sentence start, is research still to be done
    ("Further studies may ...", "Future research might ...")."""
    offset = cue.match.start - item.sentence.start
    return _RESEARCH_SUBJECT.match(item.sentence.text[:offset]) is not None


def _is_ing_form(cue: ScopedCue) -> bool:
    """Whether a relation cue is an -ing form ("raising", "cholesterol-lowering")."""
    words = cue.match.text.split()
    return bool(words) and words[0].lower().endswith("ing")


def _postmodifies(cue: ScopedCue, finite: Sequence[ScopedCue], item: SentenceCues) -> bool:
    """Whether a correlational participle modifies a noun after the claim's causal verb
    ("reduces the risk of cancers associated with drinking"): with no copula before it, it
    describes the object and is not the claim's own relation."""
    if not finite or cue.match.start < finite[0].match.end:
        return False
    if not _PARTICIPLE.match(cue.match.text):
        return False
    offset = cue.match.start - item.sentence.start
    before = item.sentence.text[max(0, offset - 40) : offset]
    return _COPULA.search(before) is None


def _opens_clause(cue: ScopedCue, item: SentenceCues) -> bool:
    """Whether a relation cue opens a relative or infinitive clause ("genes that cause",
    "which reduced", "to protect")."""
    offset = cue.match.start - item.sentence.start
    before = item.sentence.text[max(0, offset - 40) : offset]
    opener = _CLAUSE_OPENER.search(before)
    return opener is not None and (opener.group(2) or "").lower() not in _RAISING


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


# A background cue that names earlier work ("previous research", "several studies"), not a
# time ("in recent years"); bare "studies"/"research" may be the present study's.
_NAMES_WORK = re.compile(r"\b(?:stud(?:y|ies)|research|work|trials?|evidence)\b", re.IGNORECASE)
_UNQUALIFIED = re.compile(r"(?:studies|research)\b", re.IGNORECASE)
# What may come before a sentence's subject: "the", "some", "a few" or "for years,".
_SUBJECT_OPENING = re.compile(r"\W*(?:(?:the|some|a\s+few|for\s+\w+,?)\s+)?", re.IGNORECASE)


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))
