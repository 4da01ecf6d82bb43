"""ConText-style scope: what a cue governs, what swallows it, where its scope ends."""

from __future__ import annotations

import hedgecheck
from hedgecheck import Claim, Strength
from hedgecheck.evaluate import read
from hedgecheck.loader import default_rules


def _claim(text: str) -> Claim:
    claims = hedgecheck.check(text).claims
    assert claims, f"no claim found in {text!r}"
    return claims[0]


def _cue_texts(claim: Claim, category: str) -> list[str]:
    return [c.text.lower() for c in claim.cues if c.category == category and c.weight != 0]


BASE = _claim("Coffee reduces the risk of stroke.")


def test_may_not_is_still_a_hedge_and_negates() -> None:
    claim = _claim("The drug may not reduce pain in older adults.")
    assert _cue_texts(claim, "hedge") == ["may"]
    assert claim.negated
    assert claim.certainty < BASE.certainty


def test_no_evidence_that_is_absence_of_evidence_not_a_finding() -> None:
    claim = _claim("There is no evidence that coffee causes cancer.")
    assert "no evidence that" in _cue_texts(claim, "hedge")
    assert claim.certainty < BASE.certainty


def test_cannot_be_ruled_out_is_a_possibility_not_a_negation() -> None:
    claim = _claim("A causal link to cancer cannot be ruled out.")
    assert "cannot be ruled out" in _cue_texts(claim, "hedge")
    assert not claim.negated


def test_month_may_and_theresa_may_are_not_hedges() -> None:
    for text in (
        "In May 2024, the drug reduced pain in a trial.",
        "The trial, which ended May 12, showed the drug reduces pain.",
        "Theresa May said the drug reduces pain.",
    ):
        claim = _claim(text)
        assert "may" not in _cue_texts(claim, "hedge"), text


def test_could_not_is_negation_not_a_hedge() -> None:
    claim = _claim("The researchers could not show that the drug reduces pain.")
    assert "could" not in _cue_texts(claim, "hedge")
    assert claim.negated


def test_but_cuts_the_scope_of_a_later_hedge() -> None:
    claim = _claim("The drug reduced pain in the trial, but it may cause nausea in some patients.")
    assert claim.strength is Strength.CAUSAL
    # Outside the claim's scope the hedge still colours the sentence, at a fraction.
    hedged = _claim("The drug may reduce pain in the trial.")
    outside = next(c for c in claim.cues if c.text == "may")
    inside = next(c for c in hedged.cues if c.text == "may")
    assert inside.weight < outside.weight < 0
    assert any("outside the claim's scope" in step.note for step in claim.explanation)


def test_a_hedge_on_the_relation_makes_it_conditional() -> None:
    assert _claim("Coffee may reduce the risk of stroke.").strength is Strength.CONDITIONAL
    assert _claim("Coffee is linked to a lower risk of stroke.").strength is Strength.CORRELATIONAL
    assert BASE.strength is Strength.CAUSAL


def test_a_gerund_in_the_subject_leaves_the_claim_to_the_finite_verb() -> None:
    # "raising" names the exposure; the hedged "could lead to" is the claim.
    claim = _claim("Raising the price of alcohol could lead to fewer admissions.")
    assert claim.strength is Strength.CONDITIONAL
    # With no finite causal verb, the -ing form is still the relation.
    assert _claim("Exercise reducing pain, study finds.").strength is Strength.CAUSAL
    assert _claim("The drug reduced pain, but it may cause nausea.").strength is Strength.CAUSAL
    # A verb that opens a relative clause modifies a noun; the main clause's verb is the claim.
    relative = _claim("A checklist that virtually eliminated infections may reduce deaths.")
    assert relative.strength is Strength.CONDITIONAL
    purpose = _claim("A new treatment to protect patients against a superbug could save lives.")
    assert purpose.strength is Strength.CONDITIONAL
    assert _claim("The drug was shown to reduce pain.").strength is Strength.CAUSAL


def test_prepositions_and_time_words_are_not_hedges() -> None:
    claim = _claim(
        "Little is known about how the drug improves mood within hours, around the time of "
        "treatment, almost immediately."
    )
    hedges = _cue_texts(claim, "hedge")
    assert "little is known" in hedges
    assert not {"about", "around", "within", "almost"} & set(hedges)


def test_quoted_cues_are_marked_as_quoted() -> None:
    claim = _claim("“The drug may reduce pain,” the researcher said.")
    may = next(c for c in claim.cues if c.text == "may")
    assert may.quoted


STUDY = """Coffee may protect the heart, small study suggests

A new study of 30 adults suggests that coffee may protect the heart.

The findings were presented at a cardiology conference and have not been peer-reviewed yet.

In recent years, large randomised trials have demonstrated that statins reduce heart attacks.
"""


def test_study_level_cues_reach_the_study_claims_not_the_background() -> None:
    report = hedgecheck.check(STUDY)
    headline, lede = report.claims[0], report.claims[1]
    assert headline.headline
    for claim in (headline, lede):
        documents = {c.value for c in claim.cues if c.scope == "document"}
        assert {"not_peer_reviewed", "conference"} <= documents, claim.text
    background = next(c for c in report.claims if c.text.startswith("In recent years"))
    assert not [c for c in background.cues if c.scope == "document"]
    assert background.label.rank > headline.label.rank


def test_animal_subjects_cap_the_label_at_preliminary() -> None:
    claim = _claim("In a large randomised trial in mice, the drug clearly reduced tumours.")
    assert claim.evidence.subjects == "animals"
    assert claim.label.rank <= hedgecheck.Label.PRELIMINARY.rank


def test_a_separate_title_and_the_body_keep_their_own_cue_weights() -> None:
    # "may" in the title and "small study" in the body both start at offset 7.
    report = hedgecheck.check(
        "Tested small study of 20 adults. The findings have not been peer-reviewed.",
        title="Coffee may help the heart",
    )
    headline = report.claims[0]
    assert headline.headline and headline.line == 0
    weights = {c.text: c.weight for c in headline.cues}
    assert weights["may"] < -1.0
    assert weights["small study"] < 0 and weights["small study"] != weights["may"]


def test_a_flat_denial_reads_as_committed() -> None:
    claim = _claim("The drug had no effect on pain in older adults.")
    assert claim.certainty > BASE.certainty
    assert any("a flat denial" in step.note for step in claim.explanation)


def test_a_comparison_yields_to_a_causal_verb_an_association_does_not() -> None:
    assert _claim("The drug reduced pain compared with placebo.").strength is Strength.CAUSAL
    assert (
        _claim("Coffee was associated with reduced mortality.").strength is Strength.CORRELATIONAL
    )
    assert _claim("Smokers had a higher risk than non-smokers.").strength is Strength.CORRELATIONAL


def test_an_association_that_describes_the_object_leaves_the_causal_claim() -> None:
    claim = _claim("Walking reduces the risk of limitations associated with arthritis.")
    assert claim.strength is Strength.CAUSAL
    # As the predicate (with a copula) the association still wins.
    assert (
        _claim("Walking reduces pain and is associated with arthritis.").strength
        is Strength.CORRELATIONAL
    )


def test_a_hedged_predicate_of_use_states_no_relation() -> None:
    assert _claim("The index may be used to monitor patients.").strength is Strength.NONE
    assert _claim("The index may help patients sleep.").strength is Strength.CONDITIONAL


def test_a_modal_on_research_still_to_be_done_states_no_relation() -> None:
    rules = default_rules()
    assert (
        read("Further studies may improve the understanding of the disease.", rules).strength == 0
    )
    assert read("Future research might investigate how diet can be improved.", rules).strength == 0
    # A modal whose subject is not research keeps its conditional reading.
    assert (
        read("Incorporation of this signature in prospective studies may help.", rules).strength
        == 2
    )


def test_an_evidential_verb_without_a_relation_states_none() -> None:
    rules = default_rules()
    assert read("Fat grafting seems to be a safe procedure.", rules).strength == 0
    assert read("The drug appears to reduce pain.", rules).strength == 2
    assert read("The marker may help stratify patients.", rules).strength == 2


def test_potentially_before_a_causal_word_makes_it_conditional() -> None:
    rules = default_rules()
    assert read("The damage potentially caused by blows was studied.", rules).strength == 2
    assert read("It is a potentially beneficial approach.", rules).strength == 2
    # Forward only: a later "potentially" on a noun does not hedge the verb before it.
    assert read("The pills reduce the risk of potentially fatal clots.", rules).strength == 3
    # With no relation named, it judges a property ("potentially helpful supplements").
    assert read("Use of potentially helpful supplements is indicated.", rules).strength == 0


def test_a_participle_that_opens_the_sentence_is_no_causal_verb() -> None:
    rules = default_rules()
    assert read("Reduced salivary flow was found in the group.", rules).strength == 0
    assert read("Improved techniques may help recovery.", rules).strength == 2
    assert read("Exercise reduced pain.", rules).strength == 3
    # A second participle coordinated with the opening one is in the same subject.
    both = "Reduced fibrinogen and increased albumin are consistent with less inflammation."
    assert read(both, rules).strength == 0
    assert read("Reduced salt intake and exercise improved blood pressure.", rules).strength == 3


def test_a_hedge_inside_a_recommendation_states_no_relation() -> None:
    rules = default_rules()
    # "may" lies in the span a recommendation pseudo-cue swallowed: it hedges the advice's
    # reason, not a relation the sentence claims.
    advice = "The cost of coaching may be high, and thus programmes should be targeted at some."
    assert read(advice, rules).strength == 0
    # The same hedge outside any recommendation keeps its conditional reading.
    assert read("The cost of coaching may be high.", rules).strength == 2
    # A finding joined by "and" to a recommendation is no part of the advice's subject.
    finding = "Fluoride could be causing weight gain and councils should stop adding it."
    assert read(finding, rules).strength == 2


def test_a_sentence_about_earlier_work_states_no_relation() -> None:
    rules = default_rules()
    assert read("Previous research has linked night shifts with obesity.", rules).strength == 0
    assert read("Previous studies suggested smoking reduced life expectancy.", rules).strength == 0
    # Set against the present study, or bare "research", it is the claim's own.
    contrast = "Previous studies found no effect, but the new study shows that it reduces pain."
    assert read(contrast, rules).strength == 3
    assert read("Research has found that the drug reduces pain.", rules).strength == 3
    # A "but" that brings no relation of its own still speaks of the earlier work.
    mixed = "Previous work examined pollution caused by traffic, but the results were mixed."
    assert read(mixed, rules).strength == 0
    against = "Previous work examined pollution caused by traffic, but it also raises risk."
    assert read(against, rules).strength == 3


def test_a_yes_no_question_asks_rather_than_states_a_relation() -> None:
    rules = default_rules()
    assert read("Could lithium slow down ageing?", rules).strength == 0
    assert read("Psychology: does gaming really cause bad behaviour?", rules).strength == 0
    assert read("Is there a link between diet and acne?", rules).strength == 0
    # A wh-question presupposes its relation; an answer after the question states it.
    assert read("Which factors influence the use of these tests?", rules).strength == 3
    assert read("Can coffee help? It reduces the risk of stroke.", rules).strength == 3


def test_impersonal_advice_states_no_relation() -> None:
    rules = default_rules()
    # The hedge and the relation lie inside advice ("it may be important to ..."): no claim.
    assert read("It may be important to target motivation in this group.", rules).strength == 0
    advice = "It is important to run interventions to improve self-acceptance in these women."
    assert read(advice, rules).strength == 0
    # A finding beside the advice keeps its reading.
    assert read("The drug reduced pain.", rules).strength == 3
