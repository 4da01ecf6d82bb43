"""question-headline: a headline asked as a question.

## What it finds
A headline that ends with a question mark.

## Why it matters
A question lets a headline suggest a claim ("Could this pill end migraines?") that the
article does not make and the study does not support; the answer is usually no.

## Example
    Could a daily walk end back pain?

    In a trial of 200 adults, walking three times a week eased back pain.

## Use instead
    Walking eased back pain in a trial of 200 adults

    In a trial of 200 adults, walking three times a week eased back pain.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article
from hedgecheck.checks._claims import claim_hit
from hedgecheck.checks.registry import CheckHit, check


@check("question-headline")
def question_headline(article: Article) -> Iterator[CheckHit]:
    headline = article.headline
    if headline is not None and headline.text.rstrip().endswith("?"):
        yield claim_hit(headline)
