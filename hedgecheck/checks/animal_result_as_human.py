"""animal-result-as-human: a result in animals or cells stated as if it held for people.

## What it finds
The headline, or an unhedged claim about the article's own study, that does not say the
study was in animals or cells when it was; and an unhedged causal claim in general terms on
a topic the article backs only with animal or cell work, and never with work in people.

## Why it matters
Most treatments that work in mice or in a dish never work in people. Dropping "in mice" is
one of the commonest ways a report of early lab work becomes a health claim.

## Example
    Turmeric heals damaged nerves

    Turmeric extract healed damaged nerves in rats, the team reported.

## Use instead
    Turmeric heals damaged nerves in rats

    Turmeric extract healed damaged nerves in rats, the team reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article, ArticleSentence
from hedgecheck.checks._claims import claim_hit, hedged, mentions, states_subject
from hedgecheck.checks._topic import topic_words
from hedgecheck.checks.registry import CheckHit, check
from hedgecheck.engine import ScopedCue
from hedgecheck.model import Claim, Strength
from hedgecheck.study import NON_HUMAN, PRECLINICAL

_SUBJECT_WORDS = {"animals": "animals", "cells": "cells or tissue in the lab"}


@check("animal-result-as-human")
def animal_result_as_human(article: Article) -> Iterator[CheckHit]:
    subjects = article.subjects()
    if subjects in NON_HUMAN:
        for claim in [c for c in (article.headline, *article.main) if c is not None]:
            if not states_subject(claim) and (claim.headline or not hedged(claim)):
                basis = mentions(article, article.study().subject_basis)
                yield claim_hit(claim, basis, subjects=_SUBJECT_WORDS[subjects])
    yield from _general_claims_on_animal_evidence(article)


def _general_claims_on_animal_evidence(article: Article) -> Iterator[CheckHit]:
    """An unhedged causal claim about a topic the text backs only with animal or cell work."""
    animal_topics: set[str] = set()
    human_topics: set[str] = set()
    # Each sentence on animal or cell work, with its topic words and the cue that says so:
    # the basis of a finding whose topic it shares.
    animal_work: list[tuple[set[str], ArticleSentence, ScopedCue]] = []
    for sentence in article.prose():
        named = [
            c
            for c in sentence.item.cues
            if c.rule.category == "subject"
            or (c.rule.category == "design" and c.rule.value in ("animal", "in_vitro"))
        ]
        subjects = {c.rule.value for c in named}
        if subjects & NON_HUMAN or subjects & {"animal", "in_vitro"}:
            words = topic_words(sentence.item.sentence.text)
            animal_topics |= words
            cue = next(c for c in named if c.rule.value in NON_HUMAN | PRECLINICAL)
            animal_work.append((words, sentence, cue))
        elif "people" in subjects:
            human_topics |= topic_words(sentence.item.sentence.text)
    for sentence in article.prose():
        claim = sentence.claim
        if (
            claim is None
            or claim.primary
            or claim.headline
            or claim.strength is not Strength.CAUSAL
        ):
            continue
        if hedged(claim) or states_subject(claim):
            continue
        topic = topic_words(_subject_phrase(claim))
        if topic & animal_topics and not topic & human_topics:
            basis = mentions(article, ((s, c) for words, s, c in animal_work if topic & words))
            yield claim_hit(claim, basis, subjects="animal or cell studies")


def _subject_phrase(claim: Claim) -> str:
    """The words before the claim's relation: what it says something about."""
    relation = next((c for c in claim.cues if c.category == "relation"), None)
    if relation is None:
        return ""
    offset = claim.text.find(relation.text)
    return claim.text[: offset if offset > 0 else 0]
