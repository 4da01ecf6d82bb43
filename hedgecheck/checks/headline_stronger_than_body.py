"""headline-stronger-than-body: the headline claims more than the article's body says.

## What it finds
An unhedged headline that states a link, a booster or hype when the body's own claims about
the same study are hedged or state a weaker link (a causal headline over an association),
or, when the body states no finding of its own, when the study it describes cannot carry a
causal or settled headline: work in animals or cells the headline does not name, an
observational design under a causal headline, results not yet reviewed, a pilot.

## Why it matters
Many readers see only the headline. When the body says "may" or "was linked to" and the
headline drops it, the article as shared says more than its author could defend.

## Example
    Green tea stops hair loss

    Green tea extract may slow hair loss, a small study of 30 men suggests.

## Use instead
    Green tea may slow hair loss, small study suggests

    Green tea extract may slow hair loss, a small study of 30 men suggests.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article, ArticleSentence
from hedgecheck.checks._claims import (
    about_the_study,
    boosted,
    claim_hit,
    hedged,
    hedges,
    settles,
    states_subject,
    status_weaknesses,
)
from hedgecheck.checks._topic import stems
from hedgecheck.checks.registry import CheckHit, check
from hedgecheck.model import Claim, Strength
from hedgecheck.study import NON_HUMAN, OBSERVATIONAL, PRECLINICAL, STUDY_TYPES

# Cues by which a sentence speaks of the study itself rather than repeating a headline.
_STUDY_WORDS = {"study", "design", "sample", "publication", "subject"}


@check("headline-stronger-than-body")
def headline_stronger_than_body(article: Article) -> Iterator[CheckHit]:
    headline = article.headline
    if headline is None or hedged(headline):
        return
    # A label headline ("Tea", "Sleep and memory") states nothing to overclaim: it needs a
    # relation, a booster or hype of its own.
    hype = any(c.category == "hype" for c in headline.cues)
    if headline.strength is Strength.NONE and not boosted(headline) and not hype:
        return
    # A standfirst that says the headline again is the headline's voice, not the study's: it
    # cannot be the body's support for the claim.
    body = [s.claim for s in _main_sentences(article) if not _echoes(s, headline)]
    if not body:
        # Nothing left that names the study: its findings are then the claims in the writer's
        # voice on the headline's topic ("Researchers found that ...").
        body = [
            s.claim
            for s in about_the_study(article)
            if s.claim is not None and not s.claim.headline and not _echoes(s, headline)
        ]
    said = _body_says(headline, body) if body else None
    if said is None:
        said = _evidence_says(article, headline)
    if said is not None:
        says = "unhedged" + (" and causal" if headline.strength is Strength.CAUSAL else "")
        yield claim_hit(headline, headline_says=says, body_says=said)


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

    hedged_body = [c for c in body if hedged(c)]
    firmer = bool(hedged_body) and headline.certainty - median(c.certainty for c in body) >= 0.3
    if not (causal_over_weaker or firmer):
        return None
    said = list(dict.fromkeys(h.lower() for c in hedged_body for h in hedges(c)))[:3]
    weaker = list(Strength)[strongest].value
    return ", ".join(f"“{h}”" for h in said) if said else f"only a {weaker} link"


def _evidence_says(article: Article, headline: Claim) -> str | None:
    """The study the body describes, when it cannot carry a causal or settled headline: work
    in animals or cells the headline does not name, an observational design, or results not
    yet reviewed or from a pilot."""
    settled = headline.strength is Strength.CAUSAL or settles(article, headline)
    if not settled or headline.negated:
        return None
    subjects = article.subjects()
    design = article.design()
    if (subjects in NON_HUMAN or design in PRECLINICAL) and not states_subject(headline):
        return "the study was " + (
            "in cells or tissue in the lab"
            if subjects == "cells" or design == "in_vitro"
            else "in animals"
        )
    if design in OBSERVATIONAL and headline.strength is Strength.CAUSAL:
        return f"the study was {STUDY_TYPES[design]} and shows an association"
    preliminary = status_weaknesses(article)
    if preliminary:
        return "the study is " + " and ".join(preliminary)
    return None


def _main_sentences(article: Article) -> list[ArticleSentence]:
    """The sentences of the body's claims about the article's own study."""
    return [
        s
        for s in article.sentences
        if s.claim is not None and s.claim.primary and not s.claim.headline
    ]


def _echoes(sentence: ArticleSentence, headline: Claim) -> bool:
    """Whether a body claim repeats the headline's claim (at least as strong, mostly the same
    words) without any word of its own on the study: a standfirst saying the headline again."""
    claim = sentence.claim
    if claim is None or hedged(claim) or claim.strength.level < headline.strength.level:
        return False
    # Words on the study (its design, size, subjects) or an attribution to its team ("U.S.
    # researchers said") make the sentence the study's report, however close to the headline.
    if any(c.rule.category in _STUDY_WORDS for c in sentence.item.cues) or any(
        n.rule.category == "authority" and n.rule.kind != "unnamed" for n in sentence.item.notes
    ):
        return False
    said = stems(headline.text)
    return len(said) >= 2 and len(said & stems(claim.text)) * 2 >= len(said)
