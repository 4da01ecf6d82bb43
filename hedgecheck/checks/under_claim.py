"""under-claim: a heavily hedged claim on strong evidence.

## What it finds
A claim whose own evidence is a meta-analysis, systematic review, randomised trial,
guideline or regulatory decision, hedged at least twice in its sentence ("may possibly",
"might perhaps suggest") so that its certainty falls below a third.

## Why it matters
Hedging a well-established result as if it were a guess misleads as much as overclaiming a
weak one: readers learn to doubt what the evidence supports.

## Example
    Vaccines and measles

    A meta-analysis of 40 trials suggests the vaccine might possibly prevent measles.

## Use instead
    Vaccines and measles

    A meta-analysis of 40 trials found that the vaccine prevents measles.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article
from hedgecheck.checks._claims import claim_hit, hedges
from hedgecheck.checks.registry import CheckHit, check
from hedgecheck.study import DESIGN_NAMES, STRONG_DESIGNS


@check("under-claim")
def under_claim(article: Article) -> Iterator[CheckHit]:
    for claim in article.claims:
        design = claim.evidence.design
        if design in STRONG_DESIGNS and len(hedges(claim)) >= 2 and claim.certainty < 0.35:
            yield claim_hit(claim, design=DESIGN_NAMES.get(design, design))
