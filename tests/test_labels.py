"""What each label means, pinned by anchor sentences a science editor would agree on."""

from __future__ import annotations

import pytest

import hedgecheck
from hedgecheck import Label

ANCHORS = [
    (
        "A meta-analysis of 27 randomised trials found that statins reduce heart attacks.",
        Label.ESTABLISHED,
    ),
    (
        "In 2019, the nasal spray received FDA approval for treatment-resistant depression.",
        Label.ESTABLISHED,
    ),
    (
        "A large randomised controlled trial found that the vaccine prevents severe illness.",
        Label.SUPPORTED,
    ),
    (
        "Clinical trials have demonstrated that the drug relieves migraine within hours.",
        Label.SUPPORTED,
    ),
    (
        "A small study suggests the drug may ease anxiety, though it has not been peer-reviewed.",
        Label.PRELIMINARY,
    ),
    ("In mice, the compound clearly reversed memory loss.", Label.PRELIMINARY),
    ("Coffee may reduce the risk of stroke.", Label.PRELIMINARY),
    (
        "It is possible that the supplement might perhaps slow ageing, but there is no evidence "
        "that it works.",
        Label.SPECULATIVE,
    ),
    ("Whether the drug could possibly prevent dementia remains unknown.", Label.SPECULATIVE),
]


@pytest.mark.parametrize(
    ("text", "label"), ANCHORS, ids=[a[1].value + str(i) for i, a in enumerate(ANCHORS)]
)
def test_anchor_sentences_get_the_label_an_editor_gives(text: str, label: Label) -> None:
    (claim,) = hedgecheck.check(text).claims
    trail = [(step.source, step.weight) for step in claim.explanation]
    assert claim.label is label, (claim.confidence, trail)


def test_every_label_explains_itself() -> None:
    for text, _ in ANCHORS:
        (claim,) = hedgecheck.check(text).claims
        assert claim.explanation[0].source == "bias"
        weighted = {c.rule for c in claim.cues if c.weight}
        assert weighted <= {step.source for step in claim.explanation}
