"""What each label means, pinned by anchor sentences a science editor would agree on."""

from __future__ import annotations

import pytest

import hedgecheck
from hedgecheck import Label, Strength

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
    ("A cohort study suggests coffee may reduce the risk of stroke.", Label.PRELIMINARY),
    ("Coffee may reduce the risk of stroke.", Label.SPECULATIVE),
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


# Support that is only rhetoric: a vague appeal to research or experts, hearsay, or a study
# named without its design. Boosters and hype raise certainty, never the evidence.
RHETORIC = [
    "Turmeric cures inflammation, studies prove.",
    "Beetroot juice lowers blood pressure, research shows.",
    "Experts agree that walking prevents dementia.",
    "It is well known that fish oil protects the heart.",
    "Kale is a superfood that reportedly slashes cancer risk, a study found.",
    "A new study proves that cinnamon definitely melts away belly fat.",
    "Scientists say that green tea undoubtedly burns fat.",
]


@pytest.mark.parametrize("text", RHETORIC)
def test_rhetoric_alone_never_supports_a_claim(text: str) -> None:
    (claim,) = hedgecheck.check(text).claims
    assert claim.label.rank <= Label.PRELIMINARY.rank, claim.explanation
    assert claim.evidence.grade in ("speculative", "preliminary")


@pytest.mark.parametrize(
    "text",
    [
        "Kale slashes cancer risk, a study found.",
        "The researchers found that cocoa clearly boosts memory.",
        "A new study proves that beetroot juice lowers blood pressure.",
    ],
)
def test_a_study_named_without_its_design_is_preliminary_evidence(text: str) -> None:
    (claim,) = hedgecheck.check(text).claims
    assert claim.label is Label.PRELIMINARY
    assert claim.evidence.grade == "preliminary"
    ceiling = next(s for s in claim.explanation if s.axis == "ceiling")
    assert ceiling.source.startswith("STU") and "preliminary" in ceiling.note


# Hype pages: the worst overclaims, with no evidence at all.
HYPE = [
    "This pill cures cancer.",
    "Garlic is a miracle cure for colds.",
    "This revolutionary tea banishes migraines for good.",
    "Cinnamon is a game-changer that melts away belly fat.",
    "Lemon water clearly wipes out toxins.",
    "The juice can cure diabetes.",
    "This revolutionary pill prevents cancer.",
    "Lemon water clearly reverses ageing, and it is a miracle.",
    "The breakthrough drink beats diabetes.",
]


@pytest.mark.parametrize("text", HYPE)
def test_hype_with_no_evidence_is_a_speculative_causal_claim(text: str) -> None:
    (claim,) = hedgecheck.check(text).claims
    assert claim.label is Label.SPECULATIVE
    assert claim.strength is Strength.CAUSAL
    assert claim.certainty > 0.8  # the hype still reads as firm: certainty is its own axis
    ceiling = next(s for s in claim.explanation if s.axis == "ceiling")
    assert (ceiling.source, ceiling.note) == (
        "evidence",
        "label held at speculative: no evidence stated",
    )


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "A large randomised controlled trial found that the vaccine prevents severe illness.",
            Label.SUPPORTED,
        ),
        (
            "Volunteers were randomly assigned to the diet, which reduced their weight.",
            Label.SUPPORTED,
        ),
        (
            "The findings, published in The Lancet, show that the drug lowers blood pressure.",
            Label.SUPPORTED,
        ),
        (
            "A systematic review of 40 trials concluded that exercise reduces depression.",
            Label.ESTABLISHED,
        ),
        (
            "Current guidelines recommend statins because they prevent heart attacks.",
            Label.ESTABLISHED,
        ),
        (
            "The drug received FDA approval after trials showed it reduced relapses.",
            Label.ESTABLISHED,
        ),
    ],
)
def test_strong_evidence_can_reach_the_upper_labels(text: str, label: Label) -> None:
    (claim,) = hedgecheck.check(text).claims
    assert claim.label is label
    assert claim.evidence.grade == label.value


@pytest.mark.parametrize(
    ("plain", "hedged"),
    [
        (
            "A meta-analysis of 27 trials found that statins reduce heart attacks.",
            "A meta-analysis of 27 trials found that statins might possibly reduce heart attacks.",
        ),
        (
            "A randomised controlled trial found that the vaccine prevents severe illness.",
            "A randomised controlled trial found that the vaccine may prevent severe illness.",
        ),
        (
            "Current guidelines recommend statins because they prevent heart attacks.",
            "Current guidelines recommend statins as they could perhaps prevent heart attacks.",
        ),
    ],
)
def test_hedging_lowers_a_claim_below_its_evidence(plain: str, hedged: str) -> None:
    (strong,) = hedgecheck.check(plain).claims
    (weak,) = hedgecheck.check(hedged).claims
    assert weak.evidence.grade == strong.evidence.grade
    assert weak.label.rank < strong.label.rank


@pytest.mark.parametrize(
    "text",
    [
        "A randomised trial in mice found the drug clearly reverses memory loss.",
        "The study in mice, published in Nature, shows the compound reverses memory loss.",
        "A meta-analysis found that the diet prevents tumours in rats.",
        "A systematic review of mouse experiments found that fasting extends lifespan.",
    ],
)
def test_an_animal_cap_wins_over_strong_evidence(text: str) -> None:
    (claim,) = hedgecheck.check(text).claims
    assert claim.label is Label.PRELIMINARY
    assert claim.explanation[-1].axis == "cap"


def test_a_headline_rests_on_the_study_the_body_describes() -> None:
    body = (
        "In a large trial, 2,000 adults were randomly assigned to aspirin or a dummy pill, "
        "and the researchers found aspirin cut bowel cancer risk by a fifth."
    )
    report = hedgecheck.check("Daily aspirin cuts bowel cancer risk\n\n" + body)
    headline = report.claims[0]
    assert headline.headline and headline.label is Label.SUPPORTED
    ceiling = next(s for s in headline.explanation if s.axis == "ceiling")
    assert ceiling.source == "DES012" and "(study-level)" in ceiling.note
    assert report.label is Label.SUPPORTED
    # A design named only for earlier, background work does not lift the new study's claims.
    background = (
        "In a large study of 2,000 adults, the researchers found aspirin takers had less "
        "bowel cancer. Earlier randomised trials had tested the drug."
    )
    report = hedgecheck.check("Daily aspirin cuts bowel cancer risk\n\n" + background)
    assert report.claims[0].label is Label.PRELIMINARY
    assert report.label is Label.PRELIMINARY


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Green tea is a miracle cure for dementia\n\nIn a study of 500 adults, green tea "
            "drinkers were less likely to develop dementia, the researchers found.",
            "EDT003",
        ),
        (
            "Beet juice wipes out high blood pressure\n\nIn a survey of 800 adults, the "
            "researchers found that juice drinkers had lower blood pressure.",
            "EDT003",
        ),
        (
            "Turmeric cures arthritis\n\nA small study suggests turmeric may ease joint pain in "
            "some patients. The study has not been peer-reviewed.",
            "EDT004",
        ),
        (
            "Honey banishes coughs\n\nThe findings were presented at a conference and have not "
            "been peer-reviewed.",
            "EDT004",
        ),
    ],
)
def test_hype_verb_headlines_are_claims_the_overclaim_checks_read(text: str, code: str) -> None:
    report = hedgecheck.check(text)
    headline = report.claims[0]
    assert headline.headline and headline.strength is Strength.CAUSAL
    assert code in {f.code for f in report.findings if f.line == 1}


@pytest.mark.parametrize(
    ("text", "grade", "rule"),
    [
        # A regulator's decision described, never named as a design noun.
        (
            "Agency clears new migraine pill\n\nThe European Medicines Agency has approved a "
            "daily pill for chronic migraine, the first of its class.",
            Label.ESTABLISHED,
            "MTH010",
        ),
        # A trial described by its placebo arm.
        (
            "Fish oil lowers triglycerides\n\nIn a new study, 800 adults took fish oil or a "
            "placebo pill for a year, and triglycerides fell.",
            Label.SUPPORTED,
            "MTH003",
        ),
        # A cohort described by its follow-up: preliminary, whatever the headline says.
        (
            "Walking adds years to life\n\nThe researchers followed 60,000 retirees for 12 "
            "years and recorded how far they walked each week.",
            Label.PRELIMINARY,
            None,
        ),
    ],
)
def test_a_headline_rests_on_the_design_the_evidence_tag_reads(
    text: str, grade: Label, rule: str | None
) -> None:
    # The design is only described ("has approved", "a placebo pill", "followed for 12
    # years"); the evidence tag reads it, and the headline's ceiling rests on that reading.
    report = hedgecheck.check(text)
    headline = report.claims[0]
    assert headline.headline and headline.evidence.grade == grade.value
    assert headline.label.rank <= grade.rank
    ceiling = [step.source for step in headline.explanation if step.axis == "ceiling"]
    assert ceiling and (rule is None or rule in ceiling)
    # Without the description the headline stands on nothing it states.
    assert hedgecheck.check(text.split("\n\n")[0]).claims[0].label is Label.SPECULATIVE


@pytest.mark.parametrize(
    "sample",
    [
        "took nineteen healthy women",
        "enrolled twelve older men",
        "gave 14 volunteers",
        "a small trial of 200 adults",
        "recruited just 20 patients",
    ],
)
def test_a_small_sample_holds_a_published_study_at_preliminary(sample: str) -> None:
    text = (
        "Cocoa sharpens memory\n\nThe study, published in the journal Neurology, "
        f"{sample} and tested their memory after a month of cocoa."
    )
    report = hedgecheck.check(text)
    assert report.claims[0].label is Label.PRELIMINARY
    assert report.label is Label.PRELIMINARY
    # The same published study of a large sample is not held there.
    large = text.replace(sample, "gave 2,000 adults")
    assert hedgecheck.check(large).claims[0].label is Label.SUPPORTED
