"""The article's own study as the text describes it: its design and subjects, read from
where each is said, and the design vocabulary the evidence tag and the checks name it by.

The rule: a design or subject counts by where it is said, three times in a sentence about
the article's own study (the headline, the lede, a study marker such as "the researchers",
a study-level description such as "a small study", or a description of its method such as
"followed 400,000 adults for 13 years") against once in any other sentence of the
article's opening (up to its first subheading), and never in a sentence about earlier work;
the most weighed wins. Subjects come first: the study type must fit them (a study in people
is not an animal study, and one in animals is an animal study whatever its design), and
when no subject is named, a design done only in people (a trial, a cohort) says people.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from hedgecheck.engine import ScopedCue
from hedgecheck.patterns import compiled

if TYPE_CHECKING:
    from hedgecheck.article import Article, ArticleSentence

OBSERVATIONAL = frozenset({"observational", "cohort", "case_control", "cross_sectional"})
STRONG_DESIGNS = frozenset({"meta_analysis", "systematic_review", "rct", "guideline", "regulatory"})
# The evidence tag's study types: the coarse kinds of the AMS / Science Media Centre labels.
# A randomised trial is a clinical trial there; the finer design is the tag's `design`.
STUDY_TYPES = {
    **dict.fromkeys(OBSERVATIONAL, "observational"),
    "rct": "clinical trial",
    "clinical_trial": "clinical trial",
    # Pilot, feasibility, single-arm and proof-of-concept studies test an intervention.
    "pilot": "clinical trial",
    "narrative_review": "review / meta-analysis",
    "systematic_review": "review / meta-analysis",
    "meta_analysis": "review / meta-analysis",
    "case_report": "case report",
    "anecdote": "case report",
    "modelling": "modelling",
    "in_vitro": "in vitro",
    "animal": "animal",
    "guideline": "guideline",
    "regulatory": "regulatory decision",
}
# Each design as a reader would name it: the tag's `design` and the checks' messages.
DESIGN_NAMES = {
    "observational": "observational study",
    "cohort": "cohort study",
    "case_control": "case-control study",
    "cross_sectional": "cross-sectional study",
    "rct": "randomised trial",
    "clinical_trial": "clinical trial",
    "pilot": "pilot study",
    "narrative_review": "narrative review",
    "systematic_review": "systematic review",
    "meta_analysis": "meta-analysis",
    "case_report": "case report",
    "anecdote": "anecdote",
    "modelling": "modelling study",
    "in_vitro": "in vitro study",
    "animal": "animal study",
    "guideline": "guideline",
    "regulatory": "regulatory decision",
}
# Subjects that are not people, and the designs done in them.
NON_HUMAN = frozenset({"animals", "cells"})
PRECLINICAL = frozenset({"animal", "in_vitro"})
# How the text says its study is not (yet) reviewed, as the checks' messages put it.
NOT_REVIEWED = {
    "not_peer_reviewed": "not peer-reviewed",
    "preprint": "a preprint",
    "conference": "a conference presentation",
    "unpublished": "unpublished",
}
# Designs that name their subjects, and designs done only in people: a trial, an
# epidemiological study, a case report, and a regulator's or guideline panel's decision on
# a treatment for people.
_DESIGN_SUBJECTS = {
    "animal": "animals",
    "in_vitro": "cells",
    **dict.fromkeys(
        (*OBSERVATIONAL, "rct", "clinical_trial", "pilot", "case_report", "anecdote"), "people"
    ),
    **dict.fromkeys(("regulatory", "guideline"), "people"),
}
_SUBJECT_DESIGNS = {"animals": "animal", "cells": "in_vitro"}
# How much a cue counts towards the article's own study: in a sentence about that study
# three times as much as in the rest of its opening.
_OWN, _OPENING = 3.0, 1.0
# A design named in the plural ("animal studies suggest", "clinical trials have shown")
# names a body of work, not the one study an article reports; "a meta-analysis of 40
# trials" names one study of many.
_BODY_OF_WORK = compiled(
    r"^(?!.*\bof\b).*(?:studies|trials|analyses|reviews|experiments|surveys|models)$",
    regex.IGNORECASE,
)
# A review's material is earlier work: a sentence that describes pooling or reviewing
# studies is about the review itself, though it names "19 earlier trials".
_REVIEWS = frozenset({"narrative_review", "systematic_review", "meta_analysis"})
# A study marker that calls the study a trial ("the trial enrolled 400 patients") names a
# clinical trial, less surely than a placebo arm or a random assignment does.
_TRIAL_MARKER = compiled(r"trial$", regex.IGNORECASE)
_TRIAL_MARKER_WEIGHT = 0.5

# A cue in a sentence, as the reading weighs and cites it.
Mentioned = tuple["ArticleSentence", ScopedCue]


@dataclass(frozen=True, slots=True)
class StudyReading:
    """The article's own study: its design and subjects, and the cues they rest on."""

    design: str | None
    subjects: str | None
    design_basis: tuple[Mentioned, ...] = ()
    subject_basis: tuple[Mentioned, ...] = ()


def read_study(article: Article) -> StudyReading:
    """The article's own study as the text describes it (the rule is this module's)."""
    described = list(_described(article))
    subject_votes = _Votes()
    for rank, (weight, sentence, cue) in enumerate(described):
        value = _subject_of(cue)
        if value is not None:
            subject_votes.add(value, weight, rank, sentence, cue)
    subjects = subject_votes.best()
    design, basis = _design_for(described, subjects)
    if subjects is None and design is not None:
        subjects = _DESIGN_SUBJECTS.get(design)
    return StudyReading(
        design=design,
        subjects=subjects,
        design_basis=tuple(basis[:3]),
        subject_basis=tuple(subject_votes.basis(subjects)[:3]),
    )


def _described(article: Article) -> Iterator[tuple[float, ArticleSentence, ScopedCue]]:
    """Each design, method and subject cue that may describe the article's own study, with
    how much it counts."""
    opening = True
    body_seen = False
    for sentence in article.sentences:
        role = sentence.item.sentence.role
        if role == "heading" and body_seen:
            opening = False
        if role in ("furniture", "heading"):
            continue
        body_seen = body_seen or role == "body"
        if not sentence.item.cues and not sentence.item.notes:
            continue  # nothing to read in it (most sentences of a text)
        cues = sorted(
            (
                c
                for c in (*sentence.item.cues, *sentence.item.notes)
                if c.rule.category in ("design", "method", "subject") or _names_trial(c)
            ),
            key=lambda c: c.match.start,
        )
        methods = [c for c in cues if c.rule.category == "method"]
        if sentence.item.background and not any(c.rule.value in _REVIEWS for c in methods):
            continue
        own = sentence.item.primary or bool(methods)
        if not own and not opening:
            continue
        for cue in cues:
            if cue.rule.category == "design" and _BODY_OF_WORK.search(cue.match.text):
                continue
            yield (_OWN if own else _OPENING), sentence, cue


class _Votes:
    """Weighed mentions of values (designs or subjects), each with its rank in the text."""

    def __init__(self) -> None:
        self.weights: dict[str, float] = {}
        self.order: dict[str, int] = {}
        self.cues: list[tuple[str, float, ArticleSentence, ScopedCue]] = []

    def add(
        self, value: str, weight: float, rank: int, sentence: ArticleSentence, cue: ScopedCue
    ) -> None:
        self.weights[value] = self.weights.get(value, 0.0) + weight
        self.order.setdefault(value, rank)
        self.cues.append((value, weight, sentence, cue))

    @property
    def total(self) -> float:
        return sum(self.weights.values())

    @property
    def first(self) -> int:
        return min(self.order.values(), default=0)

    def best(self) -> str | None:
        """The most weighed value; on a tie, the one named first."""
        if not self.weights:
            return None
        return max(self.weights, key=lambda v: (self.weights[v], -self.order[v]))

    def basis(self, value: str | None) -> list[Mentioned]:
        """The mentions of ``value`` (any value when None), the most weighed first."""
        chosen = [c for c in self.cues if value is None or c[0] == value]
        chosen.sort(key=lambda c: -c[1])
        return [(sentence, cue) for _, _, sentence, cue in chosen]


def _design_for(
    described: list[tuple[float, ArticleSentence, ScopedCue]], subjects: str | None
) -> tuple[str | None, list[Mentioned]]:
    """The design of a study in ``subjects`` and the mentions it rests on: designs are
    weighed by study type (a cohort and an observational mention add up), and the most
    weighed type's most weighed design wins; a study in animals or cells is an animal or
    in vitro study whatever else is said of it."""
    by_type: dict[str, _Votes] = {}
    for rank, (weight, sentence, cue) in enumerate(described):
        value = _design_of(cue)
        if value is None or not _fits(value, subjects):
            continue
        votes = by_type.setdefault(STUDY_TYPES[value], _Votes())
        votes.add(value, weight * _surety(cue), rank, sentence, cue)
    if subjects in _SUBJECT_DESIGNS:
        design = _SUBJECT_DESIGNS[subjects]
        votes = by_type.get(STUDY_TYPES[design])
        return design, votes.basis(None) if votes else []
    if not by_type:
        return None, []
    kind = max(by_type, key=lambda k: (by_type[k].total, -by_type[k].first))
    return by_type[kind].best(), by_type[kind].basis(None)


def _surety(cue: ScopedCue) -> float:
    """How surely a mention names its design: a design cue fully, a method description by
    its rule's weight, a study marker calling the study a trial by half."""
    if cue.rule.category == "method":
        return cue.rule.weight
    return _TRIAL_MARKER_WEIGHT if cue.rule.category == "study" else 1.0


def _subject_of(cue: ScopedCue) -> str | None:
    rule = cue.rule
    if rule.category == "subject":
        return rule.value
    if rule.category in ("design", "method") and rule.value in _SUBJECT_DESIGNS.values():
        return _DESIGN_SUBJECTS[rule.value or ""]
    return None


def _design_of(cue: ScopedCue) -> str | None:
    if _names_trial(cue):
        return "clinical_trial"
    return cue.rule.value if cue.rule.category in ("design", "method") else None


def _names_trial(cue: ScopedCue) -> bool:
    return (
        cue.rule.category == "study"
        and cue.rule.value == "primary"
        and _TRIAL_MARKER.search(cue.match.text) is not None
    )


def _fits(design: str, subjects: str | None) -> bool:
    """Whether a design can be that of a study in ``subjects``: work in people is not an
    animal or a cell study."""
    return subjects != "people" or design not in _SUBJECT_DESIGNS.values()
