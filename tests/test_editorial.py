"""Editorial checks, the evidence tag and the report card."""

from __future__ import annotations

from pathlib import Path

import pytest

import hedgecheck
from hedgecheck.editorial import CHECKS
from hedgecheck.errors import RuleError
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
