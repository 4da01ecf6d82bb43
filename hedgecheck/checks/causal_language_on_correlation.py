"""causal-language-on-correlation: causal words for a result that shows an association.

## What it finds
A claim about the article's own study (its headline, its findings, and the writer's other
claims on the same topic) that states cause ("prevents", "cuts", "boosts") when the study
is observational (a cohort, case-control or cross-sectional study), or a causal headline
over a body that only reports an association. A sentence that denies or doubts the causal
link ("cannot prove that ...") is left alone.

## Why it matters
An observational study sees that two things go together; it cannot tell which causes which,
or whether something else causes both. Causal words tell readers that changing one thing
will change the other.

## Example
    Gardening protects the brain

    In a cohort study of 8,000 retirees, those who gardened had less dementia.

## Use instead
    Gardening linked to less dementia

    In a cohort study of 8,000 retirees, those who gardened had less dementia.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article
from hedgecheck.checks._claims import about_the_study, claim_hit, cue_mention, mentions
from hedgecheck.checks.registry import CheckHit, check
from hedgecheck.model import Claim, Mention, Strength
from hedgecheck.study import OBSERVATIONAL, STRONG_DESIGNS, STUDY_TYPES

# Designs that test a cause: their causal words are what they found.
_EXPERIMENTS = {"rct", "clinical_trial", *STRONG_DESIGNS}


@check("causal-language-on-correlation")
def causal_language_on_correlation(article: Article) -> Iterator[CheckHit]:
    design = article.design()
    body = article.main
    correlational_body = (
        bool(body)
        and all(
            c.strength is Strength.CORRELATIONAL for c in body if c.strength is not Strength.NONE
        )
        and any(c.strength is Strength.CORRELATIONAL for c in body)
    )
    for sentence in about_the_study(article):
        claim = sentence.claim
        if claim is None or claim.strength is not Strength.CAUSAL or _disclaims_cause(claim):
            continue
        own = claim.evidence.design or design
        if own in OBSERVATIONAL:
            described = STUDY_TYPES[own] + ("" if own == "observational" else f" ({own})")
            basis = _design_mentions(article, claim, own)
        elif claim.headline and correlational_body and own not in _EXPERIMENTS:
            described = "described in the body as an association"
            basis = [cue_mention(c) for b in body for c in b.cues if c.category == "relation"]
        else:
            continue
        cue = next((c for c in claim.cues if c.category == "relation"), None)
        yield claim_hit(claim, basis, cue=cue.text if cue else claim.text[:40], design=described)


def _design_mentions(article: Article, claim: Claim, design: str) -> list[Mention]:
    """Where the design a check read is stated: in the claim, else in the study's reading."""
    own = [cue_mention(c) for c in claim.cues if c.category == "design" and c.value == design]
    return own or mentions(article, article.study().design_basis)


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
