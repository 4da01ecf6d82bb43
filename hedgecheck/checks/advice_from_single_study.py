"""advice-from-single-study: advice to readers drawn from one study.

## What it finds
Advice in the writer's voice ("you should take", "swap your snacks for", "it's worth
trying") in an article about one study of its own. Advice in quotes is the source's; advice
a guideline or regulator gives, or an article whose own study is a review, guideline or
regulatory decision, is left alone.

## Why it matters
One result is rarely enough to change what people eat, take or do: it may not be repeated,
and it says nothing of who else it applies to. Advice belongs to guidelines and doctors.

## Example
    Oats and cholesterol

    A new study found oat eaters had lower cholesterol. You should eat porridge every day.

## Use instead
    Oats and cholesterol

    A new study found oat eaters had lower cholesterol.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article
from hedgecheck.checks._claims import note_hit
from hedgecheck.checks.registry import CheckHit, check

# Designs that give advice of their own: a review of the evidence, a guideline, a regulator.
_GUIDANCE = {"systematic_review", "meta_analysis", "guideline", "regulatory"}


@check("advice-from-single-study")
def advice_from_single_study(article: Article) -> Iterator[CheckHit]:
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
            yield note_hit(article, sentence, note, cue=note.match.text)
