"""certain-claim-on-weak-evidence: a firm claim on a study too weak to carry it.

## What it finds
The headline, or a claim about the article's own study, stated firmly (unhedged, or with a
booster) when the study is not peer-reviewed (a preprint, a conference talk, unpublished),
small, without a control group, a pilot or a case report; and a claim that the question is
settled ("confirms", "now we know") on a first result, work in animals or cells, or a single
study of a kind that settles nothing alone. A sentence that describes the study ("the
research, presented at a meeting, is the first to ...") is a report on it, not a claim.

## Why it matters
Early, small and unreviewed results often shrink or vanish when the work is checked or
repeated. A firm claim leaves readers no sign that the result may not stand.

## Example
    Magnesium cures insomnia

    Magnesium cures insomnia, according to a preprint posted online this week.

## Use instead
    Magnesium may ease insomnia

    Magnesium may ease insomnia, according to a preprint posted online this week.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article
from hedgecheck.checks._claims import (
    boosted,
    claim_hit,
    cue_mention,
    hedged,
    settles,
    states_subject,
    status_weaknesses,
)
from hedgecheck.checks.registry import CheckHit, check
from hedgecheck.model import Claim, Mention, Strength
from hedgecheck.study import NON_HUMAN, PRECLINICAL, STRONG_DESIGNS

_WEAK_LIMITS = {"novelty": "the first of its kind"}
_IN_ANIMALS = "in animals"
_IN_CELLS = "in cells"
_SUBJECT_WEAKNESS = {_IN_ANIMALS, _IN_CELLS}


@check("certain-claim-on-weak-evidence")
def certain_claim_on_weak_evidence(article: Article) -> Iterator[CheckHit]:
    status = status_weaknesses(article)
    unsettled = _unsettled_weaknesses(article)
    if not status and not unsettled:
        return
    for claim in [c for c in (article.headline, *article.main) if c is not None]:
        if hedged(claim) or _describes_study(claim):
            continue
        weaknesses = list(status)
        # A first, single or animal study still carries a firm report of what it found; it
        # cannot carry a claim that the question is settled ("confirms", "now we know").
        if settles(article, claim):
            weaknesses += [
                w for w in unsettled if not (w in _SUBJECT_WEAKNESS and states_subject(claim))
            ]
        if not weaknesses:
            continue
        if claim.strength is Strength.NONE and not boosted(claim):
            continue
        if claim.certainty < 0.6 and not boosted(claim):
            continue
        basis = [cue_mention(c) for c in claim.cues if c.category in ("booster", "hype")]
        basis += _weakness_mentions(article)
        yield claim_hit(claim, basis, weakness=" and ".join(dict.fromkeys(weaknesses)))


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


def _weakness_mentions(article: Article) -> list[Mention]:
    """Where the study's weaknesses are stated: its status, size, controls and limits."""
    reviewed, published = article.review_status()
    cues = [c for c in published if reviewed == "no"] + [
        c
        for c in article.study_cues
        if c.rule.category == "limitation" or (c.rule.category, c.rule.value) == ("sample", "small")
    ]
    return [article.study_mention(cue) for cue in cues]


def _unsettled_weaknesses(article: Article) -> list[str]:
    """What leaves a question open however firmly the result is reported: a first result,
    work in animals or cells, one study of a kind that settles nothing alone."""
    found = []
    if any(
        c.rule.category == "limitation" and c.rule.kind == "novelty" for c in article.study_cues
    ):
        found.append(_WEAK_LIMITS["novelty"])
    subjects, design = article.subjects(), article.design()
    if design in PRECLINICAL or subjects in NON_HUMAN:
        found.append(_IN_ANIMALS if subjects != "cells" and design != "in_vitro" else _IN_CELLS)
    if design not in STRONG_DESIGNS:
        found.append("a single study")
    return found
