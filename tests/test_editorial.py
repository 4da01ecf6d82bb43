"""Editorial checks, the evidence tag and the report card."""

from __future__ import annotations

from pathlib import Path

import pytest

import hedgecheck
from hedgecheck.editorial import CHECKS
from hedgecheck.errors import RuleError
from hedgecheck.model import EvidenceTag
from hedgecheck.rules import (
    ARTICLE_CRITERIA,
    ARTICLE_FEATURES,
    CHECK_NAMES,
    Check,
    default_rules,
    load_rules,
)
from hedgecheck.ruletest import run_check_examples

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


def test_every_check_name_has_an_implementation_and_a_default_entry() -> None:
    assert set(CHECKS) == CHECK_NAMES
    assert {c.name for c in RULES.checks} == CHECK_NAMES


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


def test_a_check_naming_no_implementation_is_a_rule_error(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    pack.write_text(
        '[pack]\nname = "house"\n[[checks]]\nid = "HSE001"\nname = "too-long"\n'
        'severity = "info"\nsummary = "s"\nwhy = "w"\nsource = "s"\nmessage = "m"\n'
        'examples.raise = ["x"]\nexamples.pass = ["y"]\n'
    )
    with pytest.raises(RuleError, match=r"house.toml, rule 'HSE001', key 'name': no such check"):
        load_rules(pack)


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
    cues, _ = RULES.find(text)
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

    from hedgecheck.editorial import _DESIGN_NAMES, _STUDY_TYPES
    from hedgecheck.rules import DESIGNS

    schema = json.loads(
        (Path(__file__).parent.parent / "schema" / "hedgecheck-report.schema.json").read_text()
    )
    tag = schema["$defs"]["evidence_tag"]["properties"]
    assert set(_STUDY_TYPES) == set(_DESIGN_NAMES) == DESIGNS
    assert set(tag["study_type"]["enum"]) == {*_STUDY_TYPES.values(), None}
    assert set(tag["design"]["enum"]) == {*_DESIGN_NAMES.values(), None}
    assert _STUDY_TYPES["rct"] == _STUDY_TYPES["clinical_trial"] == "clinical trial"
