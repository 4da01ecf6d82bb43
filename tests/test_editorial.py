"""Editorial checks, the evidence tag and the report card."""

from __future__ import annotations

from pathlib import Path

import pytest

import hedgecheck
from hedgecheck.errors import RuleError
from hedgecheck.loader import default_rules, load_rules
from hedgecheck.model import EvidenceTag
from hedgecheck.ruletest import run_check_examples
from hedgecheck.schema import ARTICLE_CRITERIA, ARTICLE_FEATURES, Check

RULES = default_rules()
EXAMPLES = Path(__file__).parent.parent / "examples"
KETAMINE = (EXAMPLES / "ketamine" / "ketamine-article.txt").read_text(encoding="utf-8")
CRITERIA = list(ARTICLE_CRITERIA)


@pytest.mark.parametrize("check", RULES.checks, ids=lambda c: c.id)
def test_every_check_raises_on_its_examples_and_not_on_its_counter_examples(check: Check) -> None:
    failures = [
        f"{r.status}: should {'raise' if r.expected else 'not raise'} on {r.text!r}"
        for r in run_check_examples(RULES, only=[check])
        if not r.ok
    ]
    assert not failures, f"{check.id}: " + "; ".join(failures)
    assert len(check.raise_examples) >= 1 and len(check.pass_examples) >= 1


def test_the_ketamine_headline_is_hedged_but_the_animal_highlight_is_flagged() -> None:
    report = hedgecheck.check(KETAMINE)
    codes = [f.code for f in report.findings]
    assert "EDT001" not in codes
    # Both unhedged causal highlights about psychedelics ("produce ... reductions in symptoms",
    # "enhance ... neuroplasticity") rest, in this article, on the mouse work alone.
    animal = [f for f in report.findings if f.code == "EDT002"]
    assert [f.text.split()[1] for f in animal] == ["produce", "enhance"]
    assert all(f.suggestion and "in mice" in f.suggestion for f in animal)


def test_a_cure_headline_over_the_same_body_is_flagged() -> None:
    report = hedgecheck.check(KETAMINE, title="Ketamine cures depression, study proves")
    headline = [f for f in report.findings if f.line == 0]
    assert {"EDT001", "HYP001"} <= {f.code for f in headline}
    overclaim = next(f for f in headline if f.code == "EDT001")
    assert "“may”" in overclaim.message


def test_quoted_advice_and_hype_are_the_sources_words() -> None:
    text = (
        "Tea and memory\n\nA new study found tea drinkers scored higher on memory tests. "
        "“It is a miracle cure, you should drink more tea,” said one participant."
    )
    report = hedgecheck.check(text)
    assert "EDT007" not in [f.code for f in report.findings]
    hype = next(f for f in report.findings if f.code == "HYP002")
    assert hype.quoted and hype.severity.value == "info"


def test_evidence_tag_from_the_text() -> None:
    tag = hedgecheck.check(KETAMINE).evidence_tag
    assert tag is not None
    assert (tag.peer_reviewed, tag.subjects) == ("no", "people")
    assert any("conference" in m.text for m in tag.basis)
    # The page never says how its small study in living people was done (no placebo, no
    # assignment, no follow-up), so it states no study type; the animal studies and the
    # trials it mentions are earlier work, and the pasted review abstracts come after a
    # subheading, outside the article's opening.
    assert tag.study_type is None and tag.design is None
    assert any(m.text == "living people" for m in tag.basis)
    mice = hedgecheck.check(
        "Drug reverses ageing\n\nIn a study published in Nature, the drug reversed ageing in mice."
    ).evidence_tag
    assert mice is not None and mice.subjects == "animals"
    review = hedgecheck.check(
        "Statins work\n\nA meta-analysis of 27 trials found statins lower heart attack risk."
    ).evidence_tag
    assert review is not None and review.study_type == "review / meta-analysis"
    assert hedgecheck.check("").evidence_tag is None


def test_report_card_has_the_ten_criteria_with_evidence_spans() -> None:
    report = hedgecheck.check(KETAMINE)
    assert [i.criterion for i in report.report_card] == CRITERIA
    assert {i.status for i in report.report_card} <= {"satisfied", "not satisfied"}
    harms = next(i for i in report.report_card if i.criterion == "harms")
    assert harms.status == "satisfied"
    for mention in harms.evidence:
        assert KETAMINE[mention.start : mention.end] == mention.text
    costs = next(i for i in report.report_card if i.criterion == "costs")
    assert costs.status == "not satisfied"
    priced = hedgecheck.check(
        "Pill eases pain\n\nThe pill eased pain in a trial. It costs $40 a month and insurers "
        "do not cover it. Side effects included nausea."
    )
    statuses = {i.criterion: i.status for i in priced.report_card}
    assert statuses["costs"] == statuses["harms"] == "satisfied"


def test_article_features_are_the_names_the_loader_accepts() -> None:
    from hedgecheck.evaluate import article_features

    features = article_features(hedgecheck.check(KETAMINE))
    assert set(features) == ARTICLE_FEATURES
    assert features["claims"] > 0 and features["harms"] == 1.0


def test_the_evidence_card_reads_methods_sentences_but_not_background() -> None:
    # "The randomised trial enrolled 90 children" states no finding, so it is no claim, yet
    # it is what says how strong the evidence is; the earlier studies' design is not this
    # study's.
    from hedgecheck.evaluate import article_features

    text = (
        "Drug clears hepatitis C in children\n\n"
        "A new drug cleared hepatitis C in children, researchers said.\n\n"
        "The randomised trial enrolled 90 children at ten hospitals.\n\n"
        "Previous observational studies have linked the infection to liver damage.\n"
    )
    report = hedgecheck.check(text)
    assert all("enrolled" not in claim.text for claim in report.claims)
    card = next(item for item in report.report_card if item.criterion == "evidence")
    assert [m.text for m in card.evidence] == ["randomised trial", "90"]
    features = article_features(report)
    assert features["trial"] > 0 and features["sample"] > 0
    assert features["observational"] == 0
    assert features["has_trial"] == features["has_sample"] == 1.0
    assert features["has_observational"] == features["has_limitation"] == 0.0
    # A design but no limit: HealthNewsReview criterion 4 is not met.
    assert card.status == "not satisfied"


def test_the_evidence_card_is_satisfied_by_a_design_and_a_stated_limit() -> None:
    # Criterion 4 asks whether the text says what kind of study it was and where that falls
    # short; an overclaim elsewhere is a finding of its own and does not decide the item.
    text = (
        "Coffee cuts the risk of stroke\n\n"
        "People who drank coffee had fewer strokes, an observational study of 2,000 adults "
        "found.\n\n"
        "The study cannot prove that coffee is the reason, the authors said.\n"
    )
    report = hedgecheck.check(text)
    card = next(item for item in report.report_card if item.criterion == "evidence")
    assert card.status == "satisfied"
    assert {"DES008", "LIM008"} <= {m.rule for m in card.evidence}


def test_the_default_article_models_score_stories_and_criteria() -> None:
    from hedgecheck.evaluate import RELEASE_CRITERIA, article_score, criterion_scores

    scoring = default_rules().scoring
    assert scoring.article_source and scoring.article_model("story") is not None
    report = hedgecheck.check(KETAMINE)
    assert set(criterion_scores(report, scoring)) == set(RELEASE_CRITERIA)
    assert isinstance(article_score(report, scoring), float)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("[article.story]\nbias = 1\n", "article.source"),
        ('[article]\nsource = "s"\n[article.plot]\nbias = 1\n', "article.plot"),
        ('[article]\nsource = "s"\n[article.story]\nwords = 1\n', "article.story.words"),
        ('[article]\nsource = "s"\n[article.story]\nclaims = "1"\n', "article.story.claims"),
    ],
)
def test_the_article_table_is_strict(tmp_path: Path, body: str, key: str) -> None:
    scoring = tmp_path / "scoring.toml"
    scoring.write_text("[scoring]\ncertainty_bias = 1.0\n" + body)
    with pytest.raises(RuleError, match=f"key '{key}'"):
        load_rules(scoring)


# --- issue 17: the overclaim checks on the classic cases, and two word senses ------------------


def _codes_on(text: str, code: str) -> list[str]:
    """The texts of the findings of ``code`` on ``text``."""
    return [f.text for f in hedgecheck.check(text).findings if f.code == code]


@pytest.mark.parametrize(
    "text",
    [
        # The standfirst says the headline again; the study itself hedges or only links.
        "Walking keeps the brain young\n\nA daily walk keeps the brain young. A study of 200 "
        "retirees suggests that walkers may score slightly better on memory tests.",
        "Olive oil protects the heart\n\nOlive oil protects your heart. Researchers found that "
        "people who used olive oil were less likely to have heart disease.",
        "Saunas prevent dementia\n\nRegular saunas prevent dementia. The researchers said men "
        "who used saunas often might have a lower risk, though the data were limited.",
    ],
)
def test_a_standfirst_repeating_the_headline_is_not_the_bodys_support(text: str) -> None:
    headline = text.split("\n")[0]
    assert _codes_on(text, "EDT001") == [headline]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "Blueberries prevent memory loss\n\nBlueberries can prevent memory loss in old age. "
            "The researchers fed blueberry extract to mice and found they remembered mazes "
            "better.",
            "in animals",
        ),
        (
            "Red grapes help you live longer - and now we know why\n\nRed grapes help you live "
            "longer, and now we know why. The researchers gave mice a grape compound and found "
            "it switched on a gene.",
            "in animals",
        ),
        (
            "Coffee cuts the risk of early death\n\nIn an observational study of 90,000 nurses, "
            "the researchers found coffee drinkers lived longer.",
            "correlational",
        ),
        (
            "Fasting reverses diabetes\n\nFasting reverses type 2 diabetes, according to results "
            "presented at a conference this week. The findings have not been peer-reviewed.",
            "conference",
        ),
        (
            "Chocolate reduces blood pressure\n\nEating dark chocolate reduces blood pressure, a "
            "pilot study of 12 adults found.",
            "pilot",
        ),
    ],
)
def test_a_causal_headline_over_weak_evidence_is_stronger_than_the_body(
    text: str, said: str
) -> None:
    report = hedgecheck.check(text)
    overclaim = [f for f in report.findings if f.code == "EDT001"]
    assert [f.text for f in overclaim] == [text.split("\n")[0]]
    assert said in overclaim[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Fasting reverses diabetes in mice\n\nFasting reverses type 2 diabetes in mice. The "
        "researchers fed mice on alternate days and tracked their blood sugar.",
        "Statins cut heart attacks\n\nStatins cut heart attacks. A randomised trial of 8,000 "
        "adults found that statins cut heart attacks by a third.",
        "Tea linked to fewer strokes\n\nDrinking tea every day is linked to fewer strokes. An "
        "observational study of 20,000 adults found tea drinkers had fewer strokes.",
        "Saunas may prevent dementia\n\nSaunas may prevent dementia. The researchers said men "
        "who used saunas often might have a lower risk.",
        # A null result: the negated headline says no more than the body.
        "Zinc does not prevent colds\n\nZinc does not prevent colds. In a trial of 5,000 "
        "adults, zinc was not linked to fewer colds.",
        # An echo that states its own evidence is the study speaking.
        "Drug prevents strokes\n\nIn a randomised trial of 5,000 adults, the drug prevented "
        "strokes. Patients on the drug were also less likely to have heart attacks.",
    ],
)
def test_a_headline_the_body_and_its_evidence_carry_is_not_flagged(text: str) -> None:
    assert _codes_on(text, "EDT001") == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (
            "Nuts and heart health\n\nIn a cohort study of 60,000 women followed for 20 years, "
            "those who ate nuts had fewer heart attacks. Eating nuts reduces the risk of heart "
            "attack, the authors said.",
            "Eating nuts reduces the risk of heart attack, the authors said.",
        ),
        (
            "Nuts and heart health\n\nIn a cohort study of 60,000 women followed for 20 years, "
            "those who ate nuts had fewer heart attacks. The risk of a heart attack can be "
            "reduced by eating a handful of nuts a day.",
            "The risk of a heart attack can be reduced by eating a handful of nuts a day.",
        ),
        (
            "Nuts and heart health\n\nAn observational study of 60,000 women found that those "
            "who ate nuts had fewer heart attacks. Nuts prevent heart attacks in women, the team "
            "concluded.",
            "Nuts prevent heart attacks in women, the team concluded.",
        ),
        (
            "Nuts cut heart attacks\n\nWomen who ate nuts were less likely to have heart attacks, "
            "according to a survey of 60,000 women.",
            "Nuts cut heart attacks",
        ),
    ],
)
def test_causal_words_on_an_observational_design_are_flagged(text: str, flagged: str) -> None:
    assert _codes_on(text, "EDT003") == [flagged]


@pytest.mark.parametrize(
    "text",
    [
        "Nuts and heart health\n\nAn observational study of 60,000 women found that those who "
        "ate nuts had fewer heart attacks. The study cannot prove that nuts prevent heart "
        "attacks.",
        "Nuts and heart health\n\nAn observational study of 60,000 women found that those who "
        "ate nuts had fewer heart attacks. This does not mean that nuts prevent heart attacks, "
        "the authors said.",
        "Nuts and heart health\n\nIn a randomised trial of 6,000 women, those given nuts had "
        "fewer heart attacks. Eating nuts reduces the risk of heart attack, the authors said.",
        "Nuts and heart health\n\nAn observational study of 60,000 women found that those who "
        "ate nuts had fewer heart attacks. Earlier randomised trials showed that statins "
        "prevent heart attacks.",
    ],
)
def test_disclaimed_randomised_or_other_work_causal_words_are_not_flagged(text: str) -> None:
    assert _codes_on(text, "EDT003") == []


@pytest.mark.parametrize(
    ("text", "weakness"),
    [
        (
            "Beetroot and stamina\n\nA new study confirms that beetroot juice boosts stamina. "
            "The researchers gave the juice to mice and timed them on a wheel.",
            "in animals",
        ),
        (
            "Beetroot and stamina\n\nScientists have established that beetroot juice boosts "
            "stamina, in the first study of its kind. Forty cyclists drank the juice for a week.",
            "the first of its kind",
        ),
        (
            "Beetroot and stamina\n\nBeetroot juice boosts stamina, and now we know why. In a "
            "study of 40 cyclists, the juice widened blood vessels.",
            "a single study",
        ),
        (
            "Beetroot and stamina\n\nThe study proves that beetroot juice boosts stamina. The "
            "preprint, posted online this week, followed 40 cyclists.",
            "a preprint",
        ),
    ],
)
def test_a_settled_claim_on_a_first_single_animal_or_unreviewed_study_is_flagged(
    text: str, weakness: str
) -> None:
    report = hedgecheck.check(text)
    flagged = [f for f in report.findings if f.code == "EDT004"]
    assert len(flagged) == 1 and weakness in flagged[0].message


# --- the evidence tag: the article's own study as the text describes it ----------------------


def _tag(text: str) -> EvidenceTag:
    tag = hedgecheck.check(text).evidence_tag
    assert tag is not None
    return tag


@pytest.mark.parametrize(
    ("text", "study_type", "design", "subjects"),
    [
        # a group followed over time, never called a cohort
        (
            "Tea and the heart\n\nResearchers followed 90,000 adults for 12 years and found "
            "that tea drinkers had fewer heart attacks.",
            "observational",
            "cohort study",
            "people",
        ),
        (
            "Walking and memory\n\nThe team tracked the health of 5,000 retired teachers "
            "over a decade. Brisk walkers kept sharper memories, they said.",
            "observational",
            "cohort study",
            "people",
        ),
        (
            "Sleep and mood\n\nThe scientists asked 3,000 students how long they slept and "
            "how often they felt low. Short sleepers felt low more often.",
            "observational",
            "observational study",
            "people",
        ),
        # a trial described by its placebo, its dose arms or its phase
        (
            "Pill eases migraine\n\nHalf of the 400 volunteers were given the new pill and "
            "half a dummy pill. Headaches fell by a third in the first group.",
            "clinical trial",
            "clinical trial",
            "people",
        ),
        (
            "Gel heals ulcers\n\nIn the phase 3 study, the gel healed more ulcers than a "
            "placebo did, the company said.",
            "clinical trial",
            "clinical trial",
            "people",
        ),
        (
            "Vaccine works\n\nVolunteers were randomly assigned to the vaccine or a salt-water "
            "shot, and the vaccine cut infections by half.",
            "clinical trial",
            "randomised trial",
            "people",
        ),
        # animals described by what was done to them
        (
            "Sugar and the liver\n\nScientists fed mice a sugary diet for eight weeks and "
            "found fat building up in their livers. The result could help people one day.",
            "animal",
            "animal study",
            "animals",
        ),
        (
            "Gene and anxiety\n\nRats that were bred without the gene were calmer in mazes, "
            "the researchers found. Anxiety affects 300 million people worldwide.",
            "animal",
            "animal study",
            "animals",
        ),
        # many studies pooled or reviewed
        (
            "Fish oil and the heart\n\nThe authors pooled the results of 19 earlier trials "
            "and found no clear benefit.",
            "review / meta-analysis",
            "meta-analysis",
            None,
        ),
        (
            "Vitamin C and colds\n\nThe team looked at 29 studies of vitamin C and found "
            "that it barely shortens a cold.",
            "review / meta-analysis",
            "systematic review",
            None,
        ),
        (
            "Vitamin C and colds\n\nAn analysis of data from 29 previous studies found that "
            "vitamin C barely shortens a cold.",
            "review / meta-analysis",
            "systematic review",
            None,
        ),
        # guidance, a regulator's decision, a model
        (
            "Screening at 45\n\nThe cancer society issued new guidelines on Monday that "
            "lower the screening age to 45.",
            "guideline",
            "guideline",
            "people",
        ),
        (
            "Regulator approves weight-loss jab\n\nThe US Food and Drug Administration has "
            "approved the weekly jab for adults with obesity.",
            "regulatory decision",
            "regulatory decision",
            "people",
        ),
        (
            "Sugar tax would save lives\n\nThe researchers estimated the deaths a tax could "
            "prevent using a microsimulation model of the population.",
            "modelling",
            "modelling study",
            None,
        ),
    ],
)
def test_the_study_type_is_read_from_how_the_article_describes_its_study(
    text: str, study_type: str, design: str, subjects: str | None
) -> None:
    tag = _tag(text)
    assert (tag.study_type, tag.design, tag.subjects) == (study_type, design, subjects)
    # the tag points at what it rests on
    assert tag.basis and all(text[m.start : m.end] == m.text for m in tag.basis)


@pytest.mark.parametrize(
    ("text", "study_type", "subjects"),
    [
        # earlier work in a stronger design is background, not the article's study
        (
            "Coffee and gout\n\nPrevious randomised trials of coffee were small. The new "
            "study followed 20,000 men for 15 years and found fewer cases of gout.",
            "observational",
            "people",
        ),
        # earlier animal work does not make a study in people an animal study
        (
            "Drug eases depression\n\nAnimal studies suggest the drug grows new synapses. "
            "The researchers gave 60 patients the drug or a placebo for six weeks.",
            "clinical trial",
            "people",
        ),
        # and earlier trials in people do not make a mouse study a trial
        (
            "Compound reverses memory loss\n\nEarlier trials of similar drugs failed in "
            "people. The team gave the compound to 30 mice and their memory recovered.",
            "animal",
            "animals",
        ),
    ],
)
def test_the_articles_own_study_outweighs_background_designs(
    text: str, study_type: str, subjects: str
) -> None:
    tag = _tag(text)
    assert (tag.study_type, tag.subjects) == (study_type, subjects)


@pytest.mark.parametrize(
    "text",
    [
        # A journal publication outranks a conference talk of the same results.
        "Beetroot and stamina\n\nFor the first time, a drink has been shown to boost stamina, "
        "in a randomised trial of 4,000 adults published today in the Lancet and presented at "
        "a sports medicine conference.",
        "Beetroot and stamina\n\nBeetroot juice boosts stamina, according to a trial published "
        "today in the Lancet. The results were also presented at a conference in Rome.",
        # A first study reported firmly but not as settled.
        "Beetroot and stamina\n\nIn the first study of its kind, beetroot juice boosted stamina "
        "in 400 cyclists, the researchers found.",
        "Beetroot and stamina\n\nA new study found that beetroot juice boosted stamina in 40 "
        "cyclists. The researchers fed the juice to the riders for a week.",
        "Beetroot and stamina\n\nA meta-analysis of 40 trials confirms that beetroot juice "
        "boosts stamina.",
    ],
)
def test_a_reviewed_or_modestly_reported_study_is_not_weak_evidence(text: str) -> None:
    assert _codes_on(text, "EDT004") == []


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        (
            "Sleep and memory\n\nStudies have linked short sleep to poor memory. A night of rest "
            "helps, experts say.",
            ["Studies have linked", "experts say"],
        ),
        (
            "Sleep and memory\n\nPeople who slept longer remembered more words. It is a real "
            "advance, said one expert.",
            ["said one expert"],
        ),
        (
            "Sleep and memory\n\nExperts hailed the finding as a turning point for sleep research.",
            ["Experts hailed"],
        ),
        (
            "Sleep and memory\n\nPeople who slept longer remembered more words, the researchers "
            "said.",
            ["the researchers said"],
        ),
        (
            # A named team does not name the doctors who warn.
            "Sleep and memory\n\nDr Ines Moreau and her team tested 200 students. Doctors warn "
            "that short sleep harms memory.",
            ["Doctors warn"],
        ),
    ],
)
def test_unnamed_experts_and_studies_are_flagged(text: str, cues: list[str]) -> None:
    assert _codes_on(text, "EDT005") == cues


@pytest.mark.parametrize(
    "text",
    [
        "Sleep and memory\n\nPeople who slept longer remembered more words, according to a study "
        "published in the journal Sleep. The effect was strong, the researchers said.",
        "Sleep and memory\n\nPeople who slept longer remembered more words, said lead author "
        "Hana Kovac. The researchers said the effect was strong.",
        "Sleep and memory\n\nDr Ines Moreau and her team tested 200 students. Scientists "
        "believe sleep clears the brain.",
        "Sleep and memory\n\nTomas Berg of the Oslo sleep clinic led the work. The effect lasted "
        "a month, according to the authors.",
    ],
)
def test_the_team_of_a_named_study_is_not_an_unnamed_authority(text: str) -> None:
    assert _codes_on(text, "EDT005") == []


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            "Coffee and the liver\n\nA new study of 3,000 adults found that coffee drinkers had "
            "healthier livers. So don't stop at one cup.",
            "don't stop at",
        ),
        (
            "Coffee and the liver\n\nA new study of 3,000 adults found that coffee drinkers had "
            "healthier livers. We should all make coffee part of our daily menu.",
            "make coffee part of our daily menu",
        ),
        (
            "Lentils and blood sugar\n\nLentil eaters had steadier blood sugar, a new study "
            "found. Add a handful of lentils to your lunch.",
            "Add a handful of lentils to your lunch",
        ),
        (
            "Lentils and blood sugar\n\nLentil eaters had steadier blood sugar, a new study "
            "found. Swap rice for lentils at dinner.",
            "Swap",
        ),
        (
            "Lentils and blood sugar\n\nLentil eaters had steadier blood sugar, a new study "
            "found. It's worth adding lentils to soups and stews.",
            "It's worth adding",
        ),
        (
            "Lentils and blood sugar\n\nLentil eaters had steadier blood sugar, a new study "
            "found. There's no reason not to eat more of them.",
            "There's no reason not to",
        ),
        (
            "Lentils and blood sugar\n\nLentil eaters had steadier blood sugar, a new study "
            "found. The chance of diabetes can be reduced by eating lentils twice a week.",
            "can be reduced by eating",
        ),
        (
            "Aspirin and cancer\n\nA new trial found aspirin lowered the risk of bowel cancer. "
            "Patients can easily take a low dose and be prescribed it by their GP.",
            "can easily take",
        ),
    ],
)
def test_advice_in_its_many_forms_is_flagged(text: str, cue: str) -> None:
    assert _codes_on(text, "EDT007") == [cue]


@pytest.mark.parametrize(
    "text",
    [
        "Lentils and blood sugar\n\nLentil eaters had steadier blood sugar, a new study found. "
        "The volunteers who swap rice for lentils ate less.",
        "Lentils and blood sugar\n\nLentil eaters had steadier blood sugar, a new study found. "
        "“Add lentils to your diet,” said Dr Rhea Patel.",
        "Salt guidelines\n\nNew national guidelines advise adults to eat less salt. You should "
        "cut salt to 6 grams a day, the guideline says.",
        "Lentils and blood sugar\n\nLentil eaters had steadier blood sugar, a new study found. "
        "They say there is no need to change your diet just yet.",
        # No study to draw the advice from.
        "Kitchen tips\n\nSwap rice for lentils at dinner. Add herbs to your plate.",
    ],
)
def test_descriptions_quotes_guidelines_and_caution_are_not_advice(text: str) -> None:
    assert _codes_on(text, "EDT007") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Volunteers who ate soup from a can every day had more BPA in their urine.",
        "The can's lining released more of the chemical when heated.",
        "Each 12-ounce can of soda held 40 grams of sugar, the team reported.",
        "The trial tested galcanezumab (gal-can-EZ-oo-mab) in 900 adults with migraine.",
        "Readings sent over the pump's CAN bus showed the dose was delivered.",
    ],
)
def test_can_as_a_tin_or_a_syllable_is_no_booster(sentence: str) -> None:
    report = hedgecheck.check(sentence)
    assert all(cue.rule != "BST040" for claim in report.claims for cue in claim.cues)


@pytest.mark.parametrize(
    "sentence",
    [
        "May saw a rise in flu cases, and the new vaccine cut infections by half.",
        "MAY 3, 2021 -- The new vaccine cut infections by half, the health agency said.",
        "May's figures show the new vaccine cut infections by half.",
        "In April, May and June the new vaccine cut infections by half.",
    ],
)
def test_the_month_may_is_no_hedge(sentence: str) -> None:
    report = hedgecheck.check(sentence)
    cues = [cue for claim in report.claims for cue in claim.cues]
    assert cues and all(cue.rule != "HDG001" for cue in cues)
    assert all(claim.strength.value != "conditional" for claim in report.claims)


def test_the_modal_can_and_may_are_still_read_beside_the_noun_and_the_month() -> None:
    report = hedgecheck.check("In May, a can of beans a day may cut cholesterol. Beans can help.")
    rules = [cue.rule for claim in report.claims for cue in claim.cues]
    assert rules.count("HDG001") == 1 and rules.count("BST040") == 1


@pytest.mark.parametrize(
    "text",
    [
        "Diet and weight\n\nA survey of 4,000 U.S. men and women found snackers weighed more.",
        "Coffee drinkers live longer\n\nDrinkers of three cups a day died less often.",
        "Soda and waistlines\n\nThose who drank two sodas a day gained the most weight.",
        "Drug helps stroke survivors\n\nA study tested the drug in stroke survivors.",
    ],
)
def test_people_are_the_subjects_when_the_sample_is_described_without_in_humans(
    text: str,
) -> None:
    assert _tag(text).subjects == "people"


@pytest.mark.parametrize(
    ("text", "reviewed"),
    [
        # a journal publication stands, even when the work was also presented at a meeting
        (
            "Drug cuts heart attacks\n\nThe results were published Sunday in the New England "
            "Journal of Medicine and presented at a heart meeting in Paris.",
            "yes",
        ),
        (
            "Diet and memory\n\nThe study, reported in the American Journal of Clinical "
            "Nutrition, was also presented at a conference.",
            "yes",
        ),
        (
            "Vitamin D fails\n\nThe trial's results: Lee K et al. Vitamin D and falls. "
            "N Engl J Med 2020;383:1200-9.",
            "yes",
        ),
        # a meeting alone, a preprint, or an explicit "not reviewed" say no
        (
            "Drug cuts heart attacks\n\nThe results were presented at a heart meeting in Paris.",
            "no",
        ),
        (
            "Drug cuts heart attacks\n\nThe study, posted on medRxiv, was also presented "
            "at a meeting; it will be published in the Lancet later.",
            "no",
        ),
        (
            "Drug cuts heart attacks\n\nThe findings, published in the journal Heart, have "
            "not been peer-reviewed yet, the authors say.",
            "no",
        ),
        (
            "Drug cuts heart attacks\n\nThe results were presented at a meeting and are "
            "considered preliminary until published in a peer-reviewed journal.",
            "no",
        ),
        # a publication still to come is not a publication
        (
            "Drug cuts heart attacks\n\nThe researchers say the study will be published in "
            "Nature next month.",
            "not stated",
        ),
    ],
)
def test_peer_review_weighs_explicit_no_then_journal_then_meeting(text: str, reviewed: str) -> None:
    assert _tag(text).peer_reviewed == reviewed


def test_a_journal_publication_is_no_weakness_for_a_trial_also_presented_at_a_meeting() -> None:
    text = (
        "Drug cuts repeat heart attacks\n\nA new drug cuts repeat heart attacks, a large trial "
        "found. The results were published today in the Lancet and presented at a meeting."
    )
    assert "EDT004" not in {f.code for f in hedgecheck.check(text).findings}


@pytest.mark.parametrize(
    ("text", "animal"),
    [
        # a stage of a disease in living people
        ("Blood test\n\nA new test spots preclinical dementia in 500 older adults.", False),
        ("Scans\n\nThe scans were done in people with preclinical Alzheimer's disease.", False),
        ("Memory\n\nMemory slips in the preclinical stage of Parkinson's are subtle.", False),
        # laboratory and animal work
        ("Drug\n\nPreclinical studies of the drug showed it was safe in rats.", True),
        ("Drug\n\nThe compound worked in preclinical models of the disease.", True),
        ("Drug\n\nThe work is still preclinical, the team said.", True),
    ],
)
def test_preclinical_as_a_disease_stage_is_not_animal_research(text: str, animal: bool) -> None:
    cues = RULES.find(text).cues
    assert any(c.rule.id == "DES004" for c in cues) == animal
    assert (_tag(text).study_type == "animal") == animal


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Novartis, the drug's maker, sponsored the study.", True),
        ("The company paid for the trial.", True),
        ("It was an industry-funded trial.", True),
        ("The work was supported by a grant from a public health charity.", True),
        ("The claim is supported by the evidence.", False),
        ("The team sponsored a local football club.", False),
    ],
)
def test_the_conflicts_criterion_reads_who_paid_for_the_study(sentence: str, named: bool) -> None:
    text = f"Drug lowers heart risk\n\nA new drug lowered heart risk in a trial. {sentence}"
    card = {item.criterion: item.status for item in hedgecheck.check(text).report_card}
    assert (card["conflicts"] == "satisfied") == named


def test_the_tag_vocabulary_is_the_schema_and_each_design_has_a_study_type() -> None:
    import json

    from hedgecheck.schema import DESIGNS
    from hedgecheck.study import DESIGN_NAMES, STUDY_TYPES

    schema = json.loads(
        (Path(__file__).parent.parent / "schema" / "hedgecheck-report.schema.json").read_text()
    )
    tag = schema["$defs"]["evidence_tag"]["properties"]
    assert set(STUDY_TYPES) == set(DESIGN_NAMES) == DESIGNS
    assert set(tag["study_type"]["enum"]) == {*STUDY_TYPES.values(), None}
    assert set(tag["design"]["enum"]) == {*DESIGN_NAMES.values(), None}
    assert STUDY_TYPES["rct"] == STUDY_TYPES["clinical_trial"] == "clinical trial"


_USE_CRITERIA = ("costs", "harms", "alternatives", "availability")


@pytest.mark.parametrize(
    "text",
    [
        "Brain region lights up when people feel awe, a study of 40 adults found.",
        "Sleep loss changes how brain regions talk to each other, a study of 30 volunteers finds.",
        "Older stars spin more slowly than young ones, astronomers report.",
        "Coffee drinkers live longer, a study of 400,000 adults found.",
    ],
)
def test_use_criteria_do_not_apply_to_a_story_that_names_no_intervention(text: str) -> None:
    card = {item.criterion: item for item in hedgecheck.check(text).report_card}
    for criterion in _USE_CRITERIA:
        assert card[criterion].status == "not applicable", criterion
        assert card[criterion].note.startswith("not applicable: the article names no treatment")
        assert card[criterion].evidence == ()
    # the criteria of any story are still judged
    for criterion in ("benefits", "evidence", "conflicts", "novelty", "sensational_language"):
        assert card[criterion].status != "not applicable", criterion


@pytest.mark.parametrize(
    "text",
    [
        "Drug X may treat migraine, a small study suggests.",
        "A vaccine prevents flu in older adults, a study of 2,000 people finds.",
        "This cream is a cure for acne.",
        "In a randomised trial of 300 adults, those given the drug slept longer.",
        "The pill proved effective against gout in 80 patients.",
        "The test costs $50 and showed a link between sleep and memory in 40 adults.",
        "Coffee drinkers live longer, a study finds, though side effects included insomnia.",
        "The drug may help.",
        "Children given the nasal spray vaccine missed fewer school days.",
        "A home blood test spotted the disease in 30 of 40 people.",
    ],
)
def test_use_criteria_apply_when_the_story_names_an_intervention(text: str) -> None:
    card = {item.criterion: item.status for item in hedgecheck.check(text).report_card}
    assert all(card[criterion] != "not applicable" for criterion in _USE_CRITERIA), card
    # the reference page says ketamine "may treat depression": the use criteria apply
    ketamine = {i.criterion: i.status for i in hedgecheck.check(KETAMINE).report_card}
    assert "not applicable" not in ketamine.values()
