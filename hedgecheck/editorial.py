"""Article-level editorial checks, the evidence tag and the HealthNewsReview report card.

Labels say how much to trust each claim; these say what an editor should fix. Each check is
named by a ``[[checks]]`` entry of a pack, which gives it its id, severity, message and
suggested rewrite; the logic here only decides where it fires. They read the claims as
scored and the editorial cues of the second matcher pass (sources, risk figures, advice,
costs, harms…), so they explain themselves by the same cues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import regex

from hedgecheck.engine import ScopedCue, SentenceCues
from hedgecheck.model import (
    CardItem,
    Claim,
    Cue,
    EvidenceTag,
    Finding,
    Mention,
    Severity,
    Strength,
)
from hedgecheck.patterns import compiled
from hedgecheck.ruleset import RuleSet
from hedgecheck.schema import Check

# (start, end, in_title) of prose offsets -> (start, end, line, column) in the source
Locate = Callable[[int, int, bool], tuple[int, int, int, int]]

_OBSERVATIONAL = {"observational", "cohort", "case_control", "cross_sectional"}
_STRONG_DESIGNS = {"meta_analysis", "systematic_review", "rct", "guideline", "regulatory"}
# The evidence tag's study types: the coarse kinds of the AMS / Science Media Centre labels.
# A randomised trial is a clinical trial there; the finer design is the tag's `design`.
_STUDY_TYPES = {
    **dict.fromkeys(_OBSERVATIONAL, "observational"),
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
# Designs that name their subjects, and designs done only in people: a trial, an
# epidemiological study, a case report, and a regulator's or guideline panel's decision on
# a treatment for people.
_DESIGN_SUBJECTS = {
    "animal": "animals",
    "in_vitro": "cells",
    **dict.fromkeys(
        (*_OBSERVATIONAL, "rct", "clinical_trial", "pilot", "case_report", "anecdote"), "people"
    ),
    **dict.fromkeys(("regulatory", "guideline"), "people"),
}
_SUBJECT_DESIGNS = {"animals": "animal", "cells": "in_vitro"}
# How much a cue counts towards the article's own study: in a sentence about that study
# (the headline, the lede, a study marker, a study-level description or a description of
# its method) three times as much as in the rest of its opening.
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
_NOT_REVIEWED = {
    "not_peer_reviewed": "not peer-reviewed",
    "preprint": "a preprint",
    "conference": "a conference presentation",
    "unpublished": "unpublished",
}
_WEAK_LIMITS = {"novelty": "the first of its kind"}
_NON_HUMAN = {"animals", "cells"}
_PRECLINICAL = {"animal", "in_vitro"}
_EXPERIMENTS = {"rct", "clinical_trial", *_STRONG_DESIGNS}
_GUIDANCE = {"systematic_review", "meta_analysis", "guideline", "regulatory"}
_IN_ANIMALS = "in animals"
_IN_CELLS = "in cells"
_SUBJECT_WEAKNESS = {_IN_ANIMALS, _IN_CELLS}
# Cues by which a sentence speaks of the study itself rather than repeating a headline.
_STUDY_WORDS = {"study", "design", "sample", "publication", "subject"}
_SUFFIXES = ("ingly", "ing", "edly", "ed", "ly", "s")
_STOPWORDS = frozenset(
    {
        *("the", "a", "an", "this", "that", "these", "those", "it", "its", "their", "they"),
        *("we", "our", "new", "study", "studies", "research", "researchers", "scientists"),
        *("findings", "results", "data", "people", "patients"),
    }
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One analysed sentence with its scored claim, when it is one."""

    item: SentenceCues
    claim: Claim | None

    @property
    def in_title(self) -> bool:
        return self.item.sentence.index < 0


@dataclass(frozen=True, slots=True)
class Article:
    """What the checks read: every sentence, the study-level cues, and how to locate spans."""

    sentences: tuple[Sentence, ...]
    study_cues: tuple[ScopedCue, ...]
    locate: Locate
    # The study reading, worked out once: every check and the tag ask for it.
    _reading: list[StudyReading] = field(default_factory=list, repr=False, compare=False)

    @property
    def claims(self) -> list[Claim]:
        return [s.claim for s in self.sentences if s.claim is not None]

    @property
    def headline(self) -> Claim | None:
        return next((c for c in self.claims if c.headline), None)

    @property
    def main(self) -> list[Claim]:
        """The body's claims about the article's own study."""
        return [c for c in self.claims if c.primary and not c.headline]

    def prose(self) -> Iterator[Sentence]:
        return (s for s in self.sentences if s.item.sentence.role not in ("furniture", "heading"))

    def notes(self, category: str, kind: str | None = None) -> Iterator[tuple[Sentence, ScopedCue]]:
        for sentence in self.prose():
            for note in sentence.item.notes:
                if note.rule.category == category and (kind is None or note.rule.kind == kind):
                    yield sentence, note

    def mention(self, cue: ScopedCue, sentence: Sentence) -> Mention:
        start, end, line, column = self.locate(cue.match.start, cue.match.end, sentence.in_title)
        return Mention(cue.rule.id, cue.match.text, start, end, line, column)

    def design(self) -> str | None:
        """The design of the article's own study (see ``study``)."""
        return self.study().design

    def subjects(self) -> str | None:
        """Who the article's own study was done in (see ``study``)."""
        return self.study().subjects

    def study(self) -> StudyReading:
        """The article's own study as the text describes it (see ``_read_study``)."""
        if not self._reading:
            self._reading.append(self._read_study())
        return self._reading[0]

    def _read_study(self) -> StudyReading:
        """The article's own study as the text describes it.

        The rule: a design or subject counts by where it is said, three times in a sentence
        about the article's own study (the headline, the lede, a study marker such as "the
        researchers", a study-level description such as "a small study", or a description
        of its method such as "followed 400,000 adults for 13 years") against once in any
        other sentence of the article's opening (up to its first subheading), and never in a
        sentence about earlier work; the most weighed wins. Subjects come first: the study
        type must fit them (a study in people is not an animal study, and one in animals
        is an animal study whatever its design), and when no subject is named, a design
        done only in people (a trial, a cohort) says people.
        """
        described = list(self._described())
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

    def _described(self) -> Iterator[tuple[float, Sentence, ScopedCue]]:
        """Each design, method and subject cue that may describe the article's own study,
        with how much it counts (see ``study``)."""
        opening = True
        body_seen = False
        for sentence in self.sentences:
            role = sentence.item.sentence.role
            if role == "heading" and body_seen:
                opening = False
            if role in ("furniture", "heading"):
                continue
            body_seen = body_seen or role == "body"
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

    def review_status(self) -> tuple[str, list[ScopedCue]]:
        """Peer review as the text states it, with the cues it rests on: an explicit "not
        peer-reviewed", preprint or "not yet published" says no; else a journal
        publication says yes (a talk at a meeting as well does not undo it); else a
        conference presentation alone says no; else it is not stated."""
        cues = self.publication()
        unreviewed = [c for c in cues if c.rule.value in _NOT_REVIEWED]
        if any(c.rule.value != "conference" for c in unreviewed):
            return "no", unreviewed
        # The journal may be named in a sentence of its own ("Results were published today
        # in the Lancet") that says nothing else about the study; earlier work's do not count.
        journal = [c for c in cues if c.rule.value == "peer_reviewed"] or [
            cue
            for sentence in self.prose()
            if not sentence.item.background
            for cue in sentence.item.cues
            if cue.rule.category == "publication" and cue.rule.value == "peer_reviewed"
        ]
        if journal:
            return "yes", journal
        return ("no", unreviewed) if unreviewed else ("not stated", [])

    def publication(self) -> list[ScopedCue]:
        return [c for c in self.study_cues if c.rule.category == "publication"]


@dataclass(frozen=True, slots=True)
class StudyReading:
    """The article's own study: its design and subjects, and the cues they rest on."""

    design: str | None
    subjects: str | None
    design_basis: tuple[tuple[Sentence, ScopedCue], ...] = ()
    subject_basis: tuple[tuple[Sentence, ScopedCue], ...] = ()


class _Votes:
    """Weighed mentions of values (designs or subjects), each with its rank in the text."""

    def __init__(self) -> None:
        self.weights: dict[str, float] = {}
        self.order: dict[str, int] = {}
        self.cues: list[tuple[str, float, Sentence, ScopedCue]] = []

    def add(self, value: str, weight: float, rank: int, sentence: Sentence, cue: ScopedCue) -> None:
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

    def basis(self, value: str | None) -> list[tuple[Sentence, ScopedCue]]:
        """The mentions of ``value`` (any value when None), the most weighed first."""
        chosen = [c for c in self.cues if value is None or c[0] == value]
        chosen.sort(key=lambda c: -c[1])
        return [(sentence, cue) for _, _, sentence, cue in chosen]


def _design_for(
    described: list[tuple[float, Sentence, ScopedCue]], subjects: str | None
) -> tuple[str | None, list[tuple[Sentence, ScopedCue]]]:
    """The design of a study in ``subjects`` and the mentions it rests on: designs are
    weighed by study type (a cohort and an observational mention add up), and the most
    weighed type's most weighed design wins; a study in animals or cells is an animal or
    in vitro study whatever else is said of it."""
    by_type: dict[str, _Votes] = {}
    for rank, (weight, sentence, cue) in enumerate(described):
        value = _design_of(cue)
        if value is None or not _fits(value, subjects):
            continue
        votes = by_type.setdefault(_STUDY_TYPES[value], _Votes())
        votes.add(value, weight * _surety(cue), rank, sentence, cue)
    if subjects in _SUBJECT_DESIGNS:
        design = _SUBJECT_DESIGNS[subjects]
        votes = by_type.get(_STUDY_TYPES[design])
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


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a check fires and the words for its message template."""

    start: int
    end: int
    line: int
    column: int
    text: str
    details: dict[str, str]
    quoted: bool = False
    basis: tuple[Mention, ...] = ()


def run_checks(article: Article, rules: RuleSet) -> list[tuple[Finding, str]]:
    """Every check a pack configures, as findings paired with the category "editorial"."""
    findings = []
    for check in rules.checks:
        for hit in CHECKS[check.name](article):
            findings.append((_finding(check, hit), "editorial"))
    return findings


def _finding(check: Check, hit: Hit) -> Finding:
    return Finding(
        code=check.id,
        name=check.name,
        severity=Severity(check.severity),
        message=check.message.format_map(_Defaulting(hit.details)),
        text=hit.text,
        start=hit.start,
        end=hit.end,
        line=hit.line,
        column=hit.column,
        suggestion=check.suggestion,
        quoted=hit.quoted,
        basis=hit.basis,
    )


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "…"


def _claim_hit(claim: Claim, basis: Iterable[Mention] = (), **details: str) -> Hit:
    return Hit(
        claim.start,
        claim.end,
        claim.line,
        claim.column,
        claim.text,
        details,
        basis=tuple(dict.fromkeys(basis)),
    )


def _mentions(article: Article, cues: Iterable[tuple[Sentence, ScopedCue]]) -> list[Mention]:
    return [article.mention(cue, sentence) for sentence, cue in cues]


def _note_hit(article: Article, sentence: Sentence, note: ScopedCue, **details: str) -> Hit:
    m = article.mention(note, sentence)
    return Hit(m.start, m.end, m.line, m.column, m.text, details, note.quoted)


def _hedges(claim: Claim) -> list[str]:
    return [c.text for c in claim.cues if c.category == "hedge" and c.scope == "sentence"]


def _hedged(claim: Claim) -> bool:
    return bool(_hedges(claim)) or claim.strength is Strength.CONDITIONAL


def _boosted(claim: Claim) -> bool:
    return any(c.category == "booster" for c in claim.cues)


# --- the checks ------------------------------------------------------------------------------


def headline_stronger_than_body(article: Article) -> Iterator[Hit]:
    headline = article.headline
    if headline is None or _hedged(headline):
        return
    # A label headline ("Tea", "Sleep and memory") states nothing to overclaim: it needs a
    # relation, a booster or hype of its own.
    hype = any(c.category == "hype" for c in headline.cues)
    if headline.strength is Strength.NONE and not _boosted(headline) and not hype:
        return
    # A standfirst that says the headline again is the headline's voice, not the study's: it
    # cannot be the body's support for the claim.
    body = [s.claim for s in _main_sentences(article) if not _echoes(s, headline)]
    if not body:
        # Nothing left that names the study: its findings are then the claims in the writer's
        # voice on the headline's topic ("Researchers found that ...").
        body = [
            s.claim
            for s in _about_the_study(article)
            if s.claim is not None and not s.claim.headline and not _echoes(s, headline)
        ]
    said = _body_says(headline, body) if body else None
    if said is None:
        said = _evidence_says(article, headline)
    if said is not None:
        says = "unhedged" + (" and causal" if headline.strength is Strength.CAUSAL else "")
        yield _claim_hit(headline, headline_says=says, body_says=said)


def _body_says(headline: Claim, body: list[Claim]) -> str | None:
    """What the body's own claims say when they are weaker than the headline: its hedges, or
    the weaker link it states. Sentences that state no link ("the team fed mice the
    extract") describe the study, which the evidence is then read from instead."""
    strongest = max(c.strength.level for c in body)
    if strongest == Strength.NONE.level:
        return None
    # "X does not prevent Y" over "X was not linked to Y" says no more than the body does.
    causal_over_weaker = (
        headline.strength is Strength.CAUSAL
        and not headline.negated
        and strongest < Strength.CAUSAL.level
    )
    from statistics import median  # here: statistics imports fractions and decimal

    hedged_body = [c for c in body if _hedged(c)]
    firmer = bool(hedged_body) and headline.certainty - median(c.certainty for c in body) >= 0.3
    if not (causal_over_weaker or firmer):
        return None
    hedges = list(dict.fromkeys(h.lower() for c in hedged_body for h in _hedges(c)))[:3]
    weaker = list(Strength)[strongest].value
    return ", ".join(f"“{h}”" for h in hedges) if hedges else f"only a {weaker} link"


def _evidence_says(article: Article, headline: Claim) -> str | None:
    """The study the body describes, when it cannot carry a causal or settled headline: work
    in animals or cells the headline does not name, an observational design, or results not
    yet reviewed or from a pilot."""
    settled = headline.strength is Strength.CAUSAL or _settles(article, headline)
    if not settled or headline.negated:
        return None
    subjects = article.subjects()
    design = article.design()
    if (subjects in _NON_HUMAN or design in _PRECLINICAL) and not _states_subject(headline):
        return "the study was " + (
            "in cells or tissue in the lab"
            if subjects == "cells" or design == "in_vitro"
            else "in animals"
        )
    if design in _OBSERVATIONAL and headline.strength is Strength.CAUSAL:
        return f"the study was {_STUDY_TYPES[design]} and shows an association"
    preliminary = _status_weaknesses(article)
    if preliminary:
        return "the study is " + " and ".join(preliminary)
    return None


def _main_sentences(article: Article) -> list[Sentence]:
    """The sentences of the body's claims about the article's own study."""
    return [
        s
        for s in article.sentences
        if s.claim is not None and s.claim.primary and not s.claim.headline
    ]


def _echoes(sentence: Sentence, headline: Claim) -> bool:
    """Whether a body claim repeats the headline's claim (at least as strong, mostly the same
    words) without any word of its own on the study: a standfirst saying the headline again."""
    claim = sentence.claim
    if claim is None or _hedged(claim) or claim.strength.level < headline.strength.level:
        return False
    # Words on the study (its design, size, subjects) or an attribution to its team ("U.S.
    # researchers said") make the sentence the study's report, however close to the headline.
    if any(c.rule.category in _STUDY_WORDS for c in sentence.item.cues) or any(
        n.rule.category == "authority" and n.rule.kind != "unnamed" for n in sentence.item.notes
    ):
        return False
    said = _stems(headline.text)
    return len(said) >= 2 and len(said & _stems(claim.text)) * 2 >= len(said)


def _stems(text: str) -> set[str]:
    """Topic words cut to a rough stem, so that "helps" meets "help", "lives" "live" and
    "reduced" "reduces"."""
    stems = set()
    for word in _topic_words(text):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        stems.add(word.removesuffix("e") if len(word) > 3 else word)
    return stems


def animal_result_as_human(article: Article) -> Iterator[Hit]:
    subjects = article.subjects()
    if subjects in _NON_HUMAN:
        for claim in [c for c in (article.headline, *article.main) if c is not None]:
            if not _states_subject(claim) and (claim.headline or not _hedged(claim)):
                basis = _mentions(article, article.study().subject_basis)
                yield _claim_hit(claim, basis, subjects=_SUBJECT_WORDS[subjects])
    yield from _general_claims_on_animal_evidence(article)


_SUBJECT_WORDS = {"animals": "animals", "cells": "cells or tissue in the lab"}


def _states_subject(claim: Claim) -> bool:
    return any(
        c.category == "subject" or (c.category == "design" and c.value in ("animal", "in_vitro"))
        for c in claim.cues
        if c.scope == "sentence"
    )


def _general_claims_on_animal_evidence(article: Article) -> Iterator[Hit]:
    """An unhedged causal claim about a topic the text backs only with animal or cell work."""
    animal_topics: set[str] = set()
    human_topics: set[str] = set()
    # Each sentence on animal or cell work, with its topic words and the cue that says so:
    # the basis of a finding whose topic it shares.
    animal_work: list[tuple[set[str], Sentence, ScopedCue]] = []
    for sentence in article.prose():
        named = [
            c
            for c in sentence.item.cues
            if c.rule.category == "subject"
            or (c.rule.category == "design" and c.rule.value in ("animal", "in_vitro"))
        ]
        subjects = {c.rule.value for c in named}
        if subjects & _NON_HUMAN or subjects & {"animal", "in_vitro"}:
            words = _topic_words(sentence.item.sentence.text)
            animal_topics |= words
            cue = next(c for c in named if c.rule.value in _NON_HUMAN | _PRECLINICAL)
            animal_work.append((words, sentence, cue))
        elif "people" in subjects:
            human_topics |= _topic_words(sentence.item.sentence.text)
    for sentence in article.prose():
        claim = sentence.claim
        if (
            claim is None
            or claim.primary
            or claim.headline
            or claim.strength is not Strength.CAUSAL
        ):
            continue
        if _hedged(claim) or _states_subject(claim):
            continue
        topic = _topic_words(_subject_phrase(claim))
        if topic & animal_topics and not topic & human_topics:
            basis = _mentions(article, ((s, c) for words, s, c in animal_work if topic & words))
            yield _claim_hit(claim, basis, subjects="animal or cell studies")


def _subject_phrase(claim: Claim) -> str:
    relation = next((c for c in claim.cues if c.category == "relation"), None)
    if relation is None:
        return ""
    offset = claim.text.find(relation.text)
    return claim.text[: offset if offset > 0 else 0]


def _topic_words(text: str) -> set[str]:
    return {
        w.strip(".,;:()“”\"'’").lower()
        for w in text.split()
        if len(w) >= 4 and w.strip(".,;:()“”\"'’").lower() not in _STOPWORDS
    }


def causal_language_on_correlation(article: Article) -> Iterator[Hit]:
    design = article.design()
    body = article.main
    correlational_body = (
        bool(body)
        and all(
            c.strength is Strength.CORRELATIONAL for c in body if c.strength is not Strength.NONE
        )
        and any(c.strength is Strength.CORRELATIONAL for c in body)
    )
    for sentence in _about_the_study(article):
        claim = sentence.claim
        if claim is None or claim.strength is not Strength.CAUSAL or _disclaims_cause(claim):
            continue
        own = claim.evidence.design or design
        if own in _OBSERVATIONAL:
            described = _STUDY_TYPES[own] + ("" if own == "observational" else f" ({own})")
            basis = _design_mentions(article, claim, own)
        elif claim.headline and correlational_body and own not in _EXPERIMENTS:
            described = "described in the body as an association"
            basis = [_cue_mention(c) for b in body for c in b.cues if c.category == "relation"]
        else:
            continue
        cue = next((c for c in claim.cues if c.category == "relation"), None)
        yield _claim_hit(claim, basis, cue=cue.text if cue else claim.text[:40], design=described)


def _design_mentions(article: Article, claim: Claim, design: str) -> list[Mention]:
    """Where the design a check read is stated: in the claim, else in the study's reading."""
    own = [_cue_mention(c) for c in claim.cues if c.category == "design" and c.value == design]
    return own or _mentions(article, article.study().design_basis)


def _cue_mention(cue: Cue) -> Mention:
    return Mention(cue.rule, cue.text, cue.start, cue.end, cue.line, cue.column)


def _about_the_study(article: Article) -> Iterator[Sentence]:
    """The headline, the claims about the article's own study, and the other claims in the
    writer's voice on the same topic ("Three cups a day can cut the risk of death" after a
    study of coffee drinkers), but not those about earlier work."""
    headline = article.headline
    topic = _stems(headline.text) if headline is not None else set()
    for claim in article.main:
        topic |= _stems(claim.text)
    for sentence in article.prose():
        claim = sentence.claim
        if claim is None:
            continue
        on_topic = (
            not sentence.item.background
            and not _quoted_relation(claim)
            and len(_stems(claim.text) & topic) >= 2
        )
        if claim.headline or claim.primary or on_topic:
            yield sentence


def _quoted_relation(claim: Claim) -> bool:
    return any(c.category == "relation" and c.quoted for c in claim.cues)


def _disclaims_cause(claim: Claim) -> bool:
    """A sentence that denies or doubts the causal link it names ("cannot prove that coffee
    is the reason", "this does not mean tea prevents colds")."""
    relation = next((c.start for c in claim.cues if c.category == "relation"), claim.end)
    return claim.negated or any(
        c.scope == "sentence"
        and (
            (c.category == "limitation" and c.kind == "caveat")
            or (c.category == "negation" and c.start < relation)
        )
        for c in claim.cues
    )


def certain_claim_on_weak_evidence(article: Article) -> Iterator[Hit]:
    status = _status_weaknesses(article)
    unsettled = _unsettled_weaknesses(article)
    if not status and not unsettled:
        return
    for claim in [c for c in (article.headline, *article.main) if c is not None]:
        if _hedged(claim) or _describes_study(claim):
            continue
        weaknesses = list(status)
        # A first, single or animal study still carries a firm report of what it found; it
        # cannot carry a claim that the question is settled ("confirms", "now we know").
        if _settles(article, claim):
            weaknesses += [
                w for w in unsettled if not (w in _SUBJECT_WEAKNESS and _states_subject(claim))
            ]
        if not weaknesses:
            continue
        if claim.strength is Strength.NONE and not _boosted(claim):
            continue
        if claim.certainty < 0.6 and not _boosted(claim):
            continue
        basis = [_cue_mention(c) for c in claim.cues if c.category in ("booster", "hype")]
        basis += _weakness_mentions(article)
        yield _claim_hit(claim, basis, weakness=" and ".join(dict.fromkeys(weaknesses)))


def _describes_study(claim: Claim) -> bool:
    """ "The research, presented at a conference, is the first to…" reports on the study, not
    a finding: the study is what the sentence is about (named before any relation) and its
    own words give the study's status or limits."""
    relation = next((c.start for c in claim.cues if c.category == "relation"), claim.end)
    about_study = any(c.category == "study" and c.start < relation for c in claim.cues)
    status = any(
        c.scope == "sentence" and c.category in ("publication", "limitation", "sample")
        for c in claim.cues
    )
    return about_study and status


def _status_weaknesses(article: Article) -> list[str]:
    """What makes the study too weak for any firm claim: not reviewed (a journal publication
    outranks a conference talk of the same results), small, uncontrolled, a pilot or a case."""
    reviewed, published = article.review_status()
    found = [_NOT_REVIEWED[c.rule.value or ""] for c in published if reviewed == "no"]
    for cue in article.study_cues:
        rule = cue.rule
        if rule.category == "sample" and rule.value == "small":
            found.append("small")
        elif rule.category == "limitation" and rule.kind == "control":
            found.append("without a control group")
    design = article.design()
    if design in ("pilot", "anecdote", "case_report"):
        name = DESIGN_NAMES[design]
        found.append(("an " if name[0] in "aeiou" else "a ") + name)
    return list(dict.fromkeys(found))


def _weakness_mentions(article: Article) -> list[Mention]:
    """Where the study's weaknesses are stated: its status, size, controls and limits."""
    reviewed, published = article.review_status()
    cues = [c for c in published if reviewed == "no"] + [
        c
        for c in article.study_cues
        if c.rule.category == "limitation" or (c.rule.category, c.rule.value) == ("sample", "small")
    ]
    return [_study_mention(article, cue) for cue in cues]


def _unsettled_weaknesses(article: Article) -> list[str]:
    """What leaves a question open however firmly the result is reported: a first result,
    work in animals or cells, one study of a kind that settles nothing alone."""
    found = []
    if any(
        c.rule.category == "limitation" and c.rule.kind == "novelty" for c in article.study_cues
    ):
        found.append(_WEAK_LIMITS["novelty"])
    subjects, design = article.subjects(), article.design()
    if design in _PRECLINICAL or subjects in _NON_HUMAN:
        found.append(_IN_ANIMALS if subjects != "cells" and design != "in_vitro" else _IN_CELLS)
    if design not in _STRONG_DESIGNS:
        found.append("a single study")
    return found


def _settles(article: Article, claim: Claim) -> bool:
    """Whether the claim's sentence states its finding as settled, in the writer's voice."""
    for sentence in article.sentences:
        if sentence.claim is claim:
            return any(n.rule.category == "settled" and not n.quoted for n in sentence.item.notes)
    return False


def unnamed_authority(article: Article) -> Iterator[Hit]:
    study_named = _names_a_source(article)
    for sentence, note in article.notes("authority"):
        if note.rule.kind not in ("unnamed", "team") or note.quoted:
            continue
        if any(n.rule.kind == "named" for n in sentence.item.notes):
            continue
        # "The researchers said" is the study's team, checkable once the article names the
        # study, its journal or its authors; "experts say" and "studies show" stay unnamed.
        if note.rule.kind == "team" and study_named:
            continue
        yield _note_hit(article, sentence, note, cue=note.match.text)


def _names_a_source(article: Article) -> bool:
    return next(article.notes("authority", "named"), None) is not None or any(
        c.rule.value == "peer_reviewed" for c in article.publication()
    )


def relative_risk_without_absolute(article: Article) -> Iterator[Hit]:
    """A relative change in risk with no absolute figure near it.

    Near means in the same sentence, the sentence before or the sentence after (furniture
    and headings skipped): that is where news gives the baseline of a result ("cut the risk
    by a third. Strokes fell from 3 in 100 to 2 in 100."), and a paragraph is no measure,
    as scraped pages put every sentence in one or all in one. A headline's relative figure
    is answered by an absolute one anywhere in the article, since the body is where a
    headline's numbers are explained. Absolute figures are the risk cues of kind
    "absolute": a baseline ("from 12% to 8%", "from 2 in 100 to 1 in 100"), both groups'
    rates ("1.9% vs 2.4%"), a count in a group ("12 of 1,000 women"), percentage points,
    the number needed to treat, or the words "absolute risk"."""
    prose = list(article.prose())
    absolute = [_states(s, "absolute") for s in prose]
    for index, sentence in enumerate(prose):
        if sentence.item.sentence.role == "headline" or sentence.in_title:
            near = absolute
        else:
            near = absolute[max(index - 1, 0) : index + 2]
        if any(near):
            continue
        for note in sentence.item.notes:
            if note.rule.category == "risk" and note.rule.kind == "relative":
                yield _note_hit(article, sentence, note, cue=note.match.text)


def _states(sentence: Sentence, kind: str) -> bool:
    return any(n.rule.category == "risk" and n.rule.kind == kind for n in sentence.item.notes)


def advice_from_single_study(article: Article) -> Iterator[Hit]:
    if article.design() in _GUIDANCE:
        return
    # Advice needs a study to be drawn from: a sentence about the article's own study ("a
    # new study found ..."), whether or not it states a finding the claim reader took up.
    if not article.main and not any(
        s.item.primary and s.item.sentence.role != "headline" for s in article.prose()
    ):
        return
    for sentence, note in article.notes("advice"):
        # Advice a guideline or regulator gives ("current guidelines advise ...") is theirs.
        guidance = any(
            c.rule.category == "design" and c.rule.value in _GUIDANCE for c in sentence.item.cues
        )
        if not note.quoted and not guidance:
            yield _note_hit(article, sentence, note, cue=note.match.text)


def question_headline(article: Article) -> Iterator[Hit]:
    headline = article.headline
    if headline is not None and headline.text.rstrip().endswith("?"):
        yield _claim_hit(headline)


def under_claim(article: Article) -> Iterator[Hit]:
    for claim in article.claims:
        design = claim.evidence.design
        if design in _STRONG_DESIGNS and len(_hedges(claim)) >= 2 and claim.certainty < 0.35:
            yield _claim_hit(claim, design=DESIGN_NAMES.get(design, design))


CHECKS: dict[str, Callable[[Article], Iterator[Hit]]] = {
    "headline-stronger-than-body": headline_stronger_than_body,
    "animal-result-as-human": animal_result_as_human,
    "causal-language-on-correlation": causal_language_on_correlation,
    "certain-claim-on-weak-evidence": certain_claim_on_weak_evidence,
    "unnamed-authority": unnamed_authority,
    "relative-risk-without-absolute": relative_risk_without_absolute,
    "advice-from-single-study": advice_from_single_study,
    "question-headline": question_headline,
    "under-claim": under_claim,
}


# --- the evidence tag and the report card ------------------------------------------------------


def evidence_tag(article: Article) -> EvidenceTag | None:
    """The AMS / Science Media Centre label of the article's own study, with the spans each
    field rests on: the publication cues, then the design's and the subjects' strongest."""
    if next(article.prose(), None) is None:
        return None
    reviewed, published = article.review_status()
    study = article.study()
    basis = [_study_mention(article, cue) for cue in published]
    for sentence, cue in (*study.design_basis, *study.subject_basis):
        mention = article.mention(cue, sentence)
        if mention not in basis:
            basis.append(mention)
    return EvidenceTag(
        peer_reviewed=reviewed,
        study_type=_STUDY_TYPES.get(study.design or ""),
        design=DESIGN_NAMES.get(study.design or ""),
        subjects=study.subjects,
        basis=tuple(basis),
    )


def _study_mention(article: Article, cue: ScopedCue) -> Mention:
    start, end, line, column = article.locate(cue.match.start, cue.match.end, False)
    return Mention(cue.rule.id, cue.match.text, start, end, line, column)


# The report card's criteria about using an intervention, and what names one. HealthNewsReview
# judged only stories that claim a treatment, test, product or procedure works; a story that
# names none (how the brain ages, what a telescope saw) has no cost, availability,
# alternative or harm of an intervention to report, so those criteria do not apply to it.
_INTERVENTION_CRITERIA = frozenset({"costs", "harms", "alternatives", "availability"})
_INTERVENTION_DESIGNS = frozenset({"rct", "clinical_trial", "pilot", "regulatory", "guideline"})
_THERAPEUTIC_RELATIONS = frozenset(
    {
        *("treat", "prevent", "protect-against", "alleviate-mitigate"),
        *("effective", "safe-and-effective", "shown-efficacy-noun"),
    }
)
_INTERVENTION_NOTES = ("intervention", "cost", "availability", "alternative", "harm")
_NO_INTERVENTION = (
    "not applicable: the article names no treatment, test or product (no intervention study, "
    "no drug, therapy or test named, no claim that something treats, cures or prevents, no "
    "cost, availability, alternative or harm mentioned)"
)


def names_intervention(article: Article) -> bool:
    """Whether the article is about an intervention, by a rule a reader can check: its own
    study is a trial, pilot, regulatory decision or guideline; or it names a drug, therapy,
    test or product (``intervention`` rules); or a sentence says something treats, cures,
    prevents or is effective (a therapeutic relation or a cure word); or it mentions a cost,
    availability, an alternative or a harm (then those criteria are judged as they stand)."""
    if article.design() in _INTERVENTION_DESIGNS:
        return True
    for sentence in article.prose():
        for cue in sentence.item.cues:
            if cue.rule.category == "relation" and cue.rule.name in _THERAPEUTIC_RELATIONS:
                return True
            if cue.rule.category == "hype" and cue.rule.kind == "cure":
                return True
    return any(next(article.notes(category), None) for category in _INTERVENTION_NOTES)


def report_card(article: Article, findings: list[Finding]) -> tuple[CardItem, ...]:
    if next(article.prose(), None) is None:
        return ()
    raised = {f.name for f in findings}
    intervention = names_intervention(article)

    def present(category: str, kind: str | None = None) -> list[Mention]:
        return [article.mention(n, s) for s, n in article.notes(category, kind)][:5]

    def item(criterion: str, ok: bool, yes: str, no: str, evidence: list[Mention]) -> CardItem:
        if not intervention and criterion in _INTERVENTION_CRITERIA:
            return CardItem(criterion, "not applicable", _NO_INTERVENTION)
        return CardItem(
            criterion, "satisfied" if ok else "not satisfied", yes if ok else no, tuple(evidence)
        )

    quantities = present("quantity") + present("risk", "absolute")
    sources = present("independent") + present("conflict") + present("authority", "named")
    hype = _hype_mentions(article)
    background = [
        c for c in article.claims if not c.primary and not c.headline and c.evidence.design
    ]
    evidence_stated = _evidence_mentions(article)
    return (
        item(
            "costs",
            bool(present("cost")),
            "costs are mentioned",
            "no cost is mentioned",
            present("cost"),
        ),
        item(
            "benefits",
            bool(quantities) and "relative-risk-without-absolute" not in raised,
            "benefits are quantified",
            "benefits are not quantified in absolute terms",
            quantities,
        ),
        item(
            "harms",
            bool(present("harm")),
            "harms are discussed",
            "no harms or side effects are mentioned",
            present("harm"),
        ),
        item(
            "evidence",
            _conveys_evidence(article),
            "the study's design and its limits are stated",
            "the quality of the evidence is not conveyed (no design named, or no limit stated)",
            evidence_stated,
        ),
        item(
            "disease_mongering",
            not present("disease-mongering"),
            "no disease-mongering",
            "the condition's reach or danger is inflated",
            present("disease-mongering"),
        ),
        item(
            "conflicts",
            bool(present("independent") or present("conflict")),
            "an independent source or the funding is named",
            "no independent source and no conflict-of-interest statement",
            sources,
        ),
        item(
            "alternatives",
            bool(present("alternative")),
            "alternatives are compared",
            "no alternatives are mentioned",
            present("alternative"),
        ),
        item(
            "availability",
            bool(present("availability")),
            "availability is stated",
            "availability is not stated",
            present("availability"),
        ),
        item(
            "novelty",
            bool(background) or not _novelty_hype(article),
            "the result is set among earlier work",
            "novelty is claimed without earlier work",
            [],
        ),
        item(
            "sensational_language",
            not hype,
            "no sensational language",
            "sensational language in the writer's voice",
            hype,
        ),
    )


def _hype_mentions(article: Article) -> list[Mention]:
    found = []
    for sentence in article.prose():
        for cue in sentence.item.cues:
            if cue.rule.category == "hype" and not cue.quoted and cue.rule.severity != "info":
                found.append(article.mention(cue, sentence))
    return found


def _novelty_hype(article: Article) -> bool:
    return any(
        cue.rule.category == "hype" and cue.rule.kind == "novelty" and not cue.quoted
        for sentence in article.prose()
        for cue in sentence.item.cues
    )


def _evidence_mentions(article: Article) -> list[Mention]:
    """What conveys the quality of the evidence: the study's design, size, stated limits and
    publication, and the numbers that size its results (HealthNewsReview criterion 4 asks how
    strong the evidence is, which needs how big and how large an effect)."""
    # Every prose sentence, not only the claims: "The trial enrolled 90 children" states no
    # finding, yet it is what tells a reader how strong the evidence is. Sentences about
    # earlier work are left out: their designs are not this study's.
    stated: dict[str, list[Mention]] = {"design": [], "sample": [], "limitation": []}
    for sentence in article.prose():
        if sentence.item.background:
            continue
        for cue in sentence.item.cues:
            if cue.rule.category in stated:
                stated[cue.rule.category].append(article.mention(cue, sentence))
    published = [_study_mention(article, c) for c in article.publication()]
    numbers = [
        article.mention(n, s)
        for s, n in article.notes("quantity")
        if s.claim is not None and not n.quoted
    ]
    # Capped per kind, so that a long list of one kind cannot stand in for the others.
    return (
        stated["design"][:6]
        + stated["sample"][:4]
        + stated["limitation"][:4]
        + published[:2]
        + numbers[:4]
    )


def _conveys_evidence(article: Article) -> bool:
    """A design named and a limit of the evidence stated (HealthNewsReview criterion 4: the
    text grasps the quality of the evidence when it says what kind of study it was and where
    that falls short: small, early, in animals, uncontrolled, cannot prove cause).

    Overclaims (a headline stronger than the body, an animal result as human, causal words
    on correlation, certainty on weak evidence) are findings of their own and do not decide
    this item: they fire where a text names its weak evidence, which is what criterion 4
    asks for; the FakeHealth releases that raise them are no less often judged satisfactory.
    """
    stated = {
        cue.rule.category
        for sentence in article.prose()
        if not sentence.item.background
        for cue in sentence.item.cues
    }
    return {"design", "limitation"} <= stated
