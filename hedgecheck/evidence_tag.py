"""The evidence tag: the AMS / Science Media Centre label of the article's own study."""

from __future__ import annotations

from hedgecheck.article import Article
from hedgecheck.model import EvidenceTag
from hedgecheck.study import DESIGN_NAMES, STUDY_TYPES


def evidence_tag(article: Article) -> EvidenceTag | None:
    """The AMS / Science Media Centre label of the article's own study, with the spans each
    field rests on: the publication cues, then the design's and the subjects' strongest."""
    if next(article.prose(), None) is None:
        return None
    reviewed, published = article.review_status()
    study = article.study()
    basis = [article.study_mention(cue) for cue in published]
    for sentence, cue in (*study.design_basis, *study.subject_basis):
        mention = article.mention(cue, sentence)
        if mention not in basis:
            basis.append(mention)
    return EvidenceTag(
        peer_reviewed=reviewed,
        study_type=STUDY_TYPES.get(study.design or ""),
        design=DESIGN_NAMES.get(study.design or ""),
        subjects=study.subjects,
        basis=tuple(basis),
    )
