"""unnamed-authority: an appeal to experts or studies that names no one.

## What it finds
"Experts say", "studies show", "said one doctor" in the writer's voice, with no named
person, journal or institution in the same sentence; and "the researchers said" when the
article names neither the study, its journal nor its authors (once it does, the
researchers are that study's team). Quoted words are the source's, not the writer's.

## Why it matters
A reader can check a named source and weigh its interests; "experts" lend the weight of a
consensus without showing that there is one.

## Example
    Cold showers and mood

    Cold showers lift your mood, doctors say.

## Use instead
    Cold showers and mood

    Cold showers lifted mood in a trial of 60 adults published in the journal Mood.
"""

from __future__ import annotations

from collections.abc import Iterator

from hedgecheck.article import Article
from hedgecheck.checks._claims import note_hit
from hedgecheck.checks.registry import CheckHit, check


@check("unnamed-authority")
def unnamed_authority(article: Article) -> Iterator[CheckHit]:
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
        yield note_hit(article, sentence, note, cue=note.match.text)


def _names_a_source(article: Article) -> bool:
    return next(article.notes("authority", "named"), None) is not None or any(
        c.rule.value == "peer_reviewed" for c in article.publication()
    )
