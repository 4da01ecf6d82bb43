"""Risk statements: relative changes without absolute numbers (EDT006), and the report card's
reading of risk and weight words (a lower risk is a benefit, a lost pound is no cost).

Every text here is written for these tests; each class is tried in several wordings.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck.model import CardItem

HEADLINE = "Tea and heart health\n\n"
STUDY = "The researchers followed 4,000 adults for eight years."
FILLER = "Volunteers filled in a diet diary each month."
PILL = "Half of them took a daily pill."

# Relative changes in risk, each a different production of the grammar.
RELATIVE = [
    "Green tea drinkers cut their risk of a heart attack by 30 percent.",
    "Drinking green tea reduced strokes and heart failure by about a fifth.",
    "Tea drinkers were 24% less likely to need a bypass.",
    "Heavy drinkers of tea had 18 per cent lower odds of angina.",
    "Their risk of an irregular heartbeat was 40% higher without tea.",
    "Tea drinking halved the risk of a second stroke.",
    "Green tea was tied to a one-third reduction in cardiac deaths.",
    "People who skipped tea were twice as likely to have a stroke.",
    "Non-drinkers faced a two-fold increase in the risk of heart failure.",
    "Among tea drinkers the risk of dying early fell by a quarter.",
    "Three cups a day cut heart attacks in half, the team said.",
    "The tea group had an approximately 12 percent lower risk of death.",
]

# Absolute figures a reader can size the change by.
ABSOLUTE = [
    "Heart attacks fell from 4 in 100 to 3 in 100 people.",
    "The rate dropped from 6.1% to 4.3% over the study.",
    "Strokes struck 1.8 percent vs 2.6 percent of the two groups.",
    "That is 9 of 1,000 adults instead of 13 of 1,000 adults.",
    "The number needed to treat was 60.",
    "In absolute terms the difference was small.",
    "The gap between the groups was one percentage point.",
    "2.2% of tea drinkers and 3.1% of the others had a heart attack.",
]

# Percentages that state no relative change in risk.
NOT_RELATIVE = [
    "About 50% of the volunteers drank tea daily.",
    "The 95% confidence interval was wide.",
    "Roughly 10 percent of adults have high blood pressure.",
    "The drug showed a 30% response rate in the first month.",
    "Hospital stays were reduced from 12% to 8% of admissions.",
    "Blood pressure fell by 5% within two weeks.",
    "One-third of the participants dropped out.",
    "The price of green tea rose by 40% this year.",
    "Nearly half of the group were women.",
    "Risk factors such as smoking were 20% more common in men.",
]


def _edt006(text: str) -> list[hedgecheck.Finding]:
    return [f for f in hedgecheck.check(text).findings if f.code == "EDT006"]


@pytest.mark.parametrize("relative", RELATIVE)
def test_a_relative_change_alone_raises_edt006(relative: str) -> None:
    found = _edt006(HEADLINE + f"{STUDY} {relative} {FILLER}")
    assert len(found) == 1
    assert found[0].text in relative
    assert found[0].severity.value == "warning"
    assert found[0].text in found[0].message


@pytest.mark.parametrize("absolute", ABSOLUTE)
@pytest.mark.parametrize("relative", RELATIVE[::3])
@pytest.mark.parametrize("where", ["same", "after", "before", "next paragraph"])
def test_absolute_figures_nearby_answer_a_relative_change(
    relative: str, absolute: str, where: str
) -> None:
    text = {
        "same": f"{relative[:-1]}; {absolute[0].lower()}{absolute[1:]}",
        "after": f"{relative} {absolute}",
        "before": f"{absolute} {relative}",
        "next paragraph": f"{relative}\n\n{absolute}",
    }[where]
    assert _edt006(HEADLINE + f"{STUDY} {FILLER}\n\n{text}") == []


@pytest.mark.parametrize("absolute", ABSOLUTE[::2])
def test_absolute_figures_two_sentences_away_do_not_answer_it(absolute: str) -> None:
    text = HEADLINE + f"{RELATIVE[0]} {STUDY} {FILLER} {absolute}"
    assert [f.text for f in _edt006(text)] == ["cut their risk of a heart attack by 30 percent"]


@pytest.mark.parametrize("absolute", ABSOLUTE[1::2])
def test_a_relative_headline_is_answered_anywhere_in_the_body(absolute: str) -> None:
    body = f"{STUDY} {FILLER} The team met every spring. {absolute}"
    assert _edt006(f"Green tea halves the risk of stroke\n\n{body}") == []
    assert [f.line for f in _edt006(f"Green tea halves the risk of stroke\n\n{STUDY}")] == [1]


@pytest.mark.parametrize("sentence", NOT_RELATIVE)
def test_percentages_that_are_no_relative_change_raise_nothing(sentence: str) -> None:
    assert _edt006(HEADLINE + f"{STUDY} {sentence} {FILLER}") == []


@settings(max_examples=60, deadline=None)
@given(
    before=st.lists(st.sampled_from([STUDY, FILLER, *NOT_RELATIVE]), max_size=3),
    relative=st.sampled_from(RELATIVE),
    absolute=st.sampled_from(ABSOLUTE),
    after=st.lists(st.sampled_from([STUDY, FILLER, *RELATIVE]), max_size=3),
)
def test_an_absolute_sentence_after_a_relative_one_never_adds_edt006(
    before: list[str], relative: str, absolute: str, after: list[str]
) -> None:
    plain = _edt006(HEADLINE + " ".join([*before, relative, *after]))
    answered = _edt006(HEADLINE + " ".join([*before, relative, absolute, *after]))
    assert Counter(f.text for f in answered) <= Counter(f.text for f in plain)
    start = len(HEADLINE + " ".join([*before, ""]))
    assert not [f for f in answered if start <= f.start < start + len(relative)]


def _card(text: str) -> dict[str, CardItem]:
    return {item.criterion: item for item in hedgecheck.check(text).report_card}


@pytest.mark.parametrize(
    "benefit",
    [
        "Coffee drinkers had a lower risk of death.",
        "The pill reduced the risk of dying from heart disease.",
        "Walkers saw fewer heart attacks and reduced mortality.",
        "In the treated group the risk of stroke fell sharply.",
        "The vaccine brought a reduction in the risk of infection.",
        "The trial enrolled adults at high risk of stroke.",
    ],
)
def test_a_smaller_risk_is_no_harm_on_the_report_card(benefit: str) -> None:
    # a pill named, so that the use criteria apply and the harm reading is what is tested
    harms = _card(HEADLINE + f"{STUDY} {PILL} {benefit}")["harms"]
    assert harms.status == "not satisfied", harms.evidence


@pytest.mark.parametrize(
    "harm",
    [
        "The pill raised the risk of bleeding.",
        "Doctors weighed the risks of surgery against the benefits.",
        "The most common side effects were nausea and dizziness.",
        "Two serious adverse events were reported.",
    ],
)
def test_a_harm_of_the_intervention_is_still_a_harm(harm: str) -> None:
    assert _card(HEADLINE + f"{STUDY} {harm}")["harms"].status == "satisfied"


@pytest.mark.parametrize(
    "weight",
    [
        "She lost 30 pounds in a year on the diet.",
        "Volunteers who shed 10 kilograms slept better.",
        "Men on the drug gained an average of 4 pounds.",
        "By the end he was 20 pounds lighter.",
        "Patients were told to lose weight before surgery.",
        "Most had dropped about 12 pounds of fat by spring.",
    ],
)
def test_a_body_weight_is_no_cost(weight: str) -> None:
    costs = _card(HEADLINE + f"{STUDY} {PILL} {weight}")["costs"]
    assert costs.status == "not satisfied", costs.evidence


@pytest.mark.parametrize(
    ("price", "text"),
    [
        ("A month of the cream costs 30 pounds.", "30 pounds"),
        ("The home kit, at £30, is sold online.", "£30"),
        ("The $20 test is sold in pharmacies.", "$20"),
        ("A dose is priced at €45 a dose in Spain.", "€45 a dose"),
        ("Each scan is billed at 2,000 pounds by private clinics.", "2,000 pounds"),
    ],
)
def test_money_is_a_cost(price: str, text: str) -> None:
    costs = _card(HEADLINE + f"{STUDY} {price}")["costs"]
    assert costs.status == "satisfied"
    assert [m.text for m in costs.evidence] == [text]
