"""relative-risk-without-absolute: a relative change in risk with no absolute figure near it.

## What it finds
A relative risk ("halves the risk", "30% less likely") with no absolute figure in the same
sentence, the one before or the one after. A headline's relative figure is answered by an
absolute one anywhere in the article, since the body is where a headline's numbers are
explained.

## Why it matters
A relative change says nothing of how common the outcome was to begin with: halving a risk
of 2 in 10,000 spares one person in 10,000. Readers given only the relative figure think
the benefit far larger than it is.

## Example
    Daily aspirin and bowel cancer

    Taking aspirin every day lowered the risk of bowel cancer by 40%, the study found.

## Use instead
    Daily aspirin and bowel cancer

    Taking aspirin every day lowered the risk of bowel cancer by 40%, from 5 in 1,000 people
    to 3 in 1,000.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article, ArticleSentence
from hedgecheck.checks._claims import note_hit
from hedgecheck.checks.registry import CheckHit, check


@check("relative-risk-without-absolute")
def relative_risk_without_absolute(article: Article) -> Iterator[CheckHit]:
    """A relative change in risk with no absolute figure near it.

    Near means in the same sentence, the sentence before or the sentence after (furniture
    and headings skipped): that is where news gives the baseline of a result ("cut the risk
    by a third. Strokes fell from 3 in 100 to 2 in 100."), and a paragraph is no measure,
    as scraped pages put every sentence in one or all in one. Absolute figures are the risk
    cues of kind "absolute": a baseline ("from 12% to 8%", "from 2 in 100 to 1 in 100"),
    both groups' rates ("1.9% vs 2.4%"), a count in a group ("12 of 1,000 women"),
    percentage points, the number needed to treat, or the words "absolute risk"."""
    if next(article.notes("risk", "relative"), None) is None:
        return  # most articles state no relative risk: spare them the walk below
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
                yield note_hit(article, sentence, note, cue=note.match.text)


def _states(sentence: ArticleSentence, kind: str) -> bool:
    return any(n.rule.category == "risk" and n.rule.kind == kind for n in sentence.item.notes)
