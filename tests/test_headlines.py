"""The headline of a scraped plain-text page, and the furniture around it."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck.text import segment

BODY = (
    "People who walked every day slept better in a trial of 300 adults, the researchers "
    "reported. The team plans a larger trial next year."
)


def _headline(text: str) -> str | None:
    return next((s.text for s in segment(text) if s.role == "headline"), None)


def _roles(text: str) -> dict[str, str]:
    return {s.text: s.role for s in segment(text)}


DATE_LINES = [
    "Updated 9:05 AM ET, Tue July 8, 2025",
    "Updated 11:20 PM EDT, Sat 14 June 2025",
    "Published: 3 March 2021 | 6 min read",
    "Published 22 Sep 2023 · 3 min read",
    "April 2, 2024 at 11:40 am",
    "Oct. 9, 2019 at 8:00 p.m.",
    "5 hours ago",
    "Posted 2 days ago",
    "Published about an hour ago",
    "Last modified on Fri 7 Aug 2020 08.12 BST",
    "First published on Sun 1 Mar 2020 12.00 GMT",
    "Updated: 16:20, 9 Nov 2022",
    "2023-05-14",
    "2023-05-14T08:30:00Z",
    "12/05/2023 07:30",
    "By Jane Q. Public | 14 May 2023",
    "Reading time: 4 minutes",
    "Embargoed until 00:01 GMT, 5 June 2024",
    "This article is more than 3 years old",
]
HEADLINES = [
    "Can a daily walk keep dementia away?",
    "Green tea drinkers sleep better, researchers say",
    "‘Wonder jab’ halves migraine days",
    "Is screen time really bad for toddlers?",
]


@pytest.mark.parametrize("date", DATE_LINES)
@pytest.mark.parametrize("headline", HEADLINES)
def test_a_date_line_under_the_headline_is_furniture_never_the_headline(
    headline: str, date: str
) -> None:
    for gap in ("\n", "\n\n"):
        text = f"{headline}{gap}{date}\n\n{BODY}"
        assert _headline(text) == headline, (gap, date)
        assert _roles(text)[date] == "furniture"


@pytest.mark.parametrize("date", DATE_LINES[::3])
def test_a_question_headline_above_a_date_line_is_flagged_as_a_question(date: str) -> None:
    for question in ("Does coffee protect the heart?", "Could fasting slow ageing?"):
        report = hedgecheck.check(f"{question}\n{date}\n\n{BODY}", format="text")
        assert report.headline == question
        assert any(f.code == "EDT008" and f.line == 1 for f in report.findings), date


def test_a_date_line_alone_above_the_story_is_not_the_headline() -> None:
    for date in DATE_LINES:
        assert _headline(f"{date}\n\n{BODY}") is None, date


@pytest.mark.parametrize(
    "headline",
    [
        "'Supermouse' bred to run twice as far",
        '"Miracle" pill melts away belly fat',
        "‘Game changer’ jab halves migraine days",
        "“Staggering” rise in sleep problems among teens",
        "“Wonder drug” for gout works in weeks",
        "«Historic» vaccine result stuns doctors",
        "'Life-changing' implant lets paralysed man walk",
    ],
)
def test_a_headline_opening_with_a_quoted_word_is_the_headline(headline: str) -> None:
    for below in ("\n\n", "\nMarch 3, 2024\n\n", "\nBy Jane Doe\n\n"):
        assert _headline(f"{headline}{below}{BODY}") == headline, below


def test_a_quotation_is_still_prose() -> None:
    quotations = [
        "‘It changed my life,’ she said of the implant",
        '"We were surprised by how well it worked" the lead author told reporters',
        "“It was hard to watch my father forget us",
    ]
    for quotation in quotations:
        text = f"Implant helps paralysed patients walk\n\n{BODY}\n\n{quotation}\n\n{BODY}"
        assert _roles(text)[quotation] == "body", quotation


KICKERS = [
    "HEALTH",
    "Exclusive",
    "Science news",
    "Mental health",
    "Health & Science",
    "WORLD NEWS",
    "Health and Wellness News",
    "Home > Health > Nutrition",
    "Science | Health",
]


@pytest.mark.parametrize("kicker", KICKERS)
def test_the_title_under_a_kicker_is_the_headline_and_the_kicker_is_furniture(
    kicker: str,
) -> None:
    titles = [
        "Ketamine cures depression, study proves",
        "Turmeric reverses arthritis in weeks",
        "Could fasting slow ageing?",
        "Vitamin D Pills Don't Prevent Falls: Results From A Big Trial",
        "Ketamine cures depression, study proves.",
    ]
    for title in titles:
        for gap in ("\n", "\n\n"):
            text = f"{kicker}{gap}{title}\n\n{BODY}"
            assert _headline(text) == title, (gap, title)
            assert _roles(text)[kicker] == "furniture"


def test_a_hyped_title_under_a_kicker_raises_its_finding() -> None:
    for kicker in ("HEALTH", "Exclusive", "Science news"):
        for title in ("Ketamine cures depression, study proves", "Miracle pill melts belly fat"):
            report = hedgecheck.check(f"{kicker}\n{title}\n\n{BODY}", format="text")
            assert report.headline == title
            assert any(f.code.startswith("HYP") and f.line == 2 for f in report.findings), title


def test_a_name_or_outlet_above_a_lede_does_not_make_the_lede_a_headline() -> None:
    for above in ("Jane Doe\nDAILY EXAMPLE", "Photo", "En Español"):
        text = f"{above}\n\nA nurse in Ohio has tried every drug for her migraines.\n\n{BODY}"
        assert _headline(text) is None, above


STANDFIRSTS = [
    "A new technique leaves old animals looking younger and living longer",
    "Drinking three cups a day protects the heart from disease, researchers claim",
    "But doctors say the new guidelines might take years to catch on",
]


@pytest.mark.parametrize("standfirst", STANDFIRSTS)
def test_the_standfirst_under_the_headline_is_prose_about_the_study(standfirst: str) -> None:
    for between in ("\n\n", "\n", "\nJune 3, 2024\n\n"):
        text = f"Scientists reverse ageing in mice{between}{standfirst}\n\n{BODY}"
        roles = _roles(text)
        assert roles["Scientists reverse ageing in mice"] == "headline"
        assert roles[standfirst] == "standfirst", between


def test_a_claim_in_the_standfirst_is_checked_like_the_story() -> None:
    text = (
        "Coffee and the heart\n\n"
        "Drinking three cups a day protects the heart from disease\n\n"
        "People who drank coffee may have had a slightly lower risk of heart disease, "
        "according to an observational study of 3,000 adults."
    )
    report = hedgecheck.check(text, format="text")
    standfirst = next(c for c in report.claims if c.line == 3)
    assert standfirst.primary and not standfirst.headline
    assert any(f.code == "EDT003" and f.line == 3 for f in report.findings)


def test_a_caption_label_or_deck_under_the_headline_is_not_a_standfirst() -> None:
    below = [
        "A woman drinks coffee in a cafe in Rome (Photo: Jane Doe)",
        "Read part two: how the drug was found by accident",
        "Researchers From Five Universities Report Their Findings",
    ]
    for line in below:
        text = f"Scientists reverse ageing in mice\n\n{line}\n\n{BODY}"
        assert _roles(text)[line] != "standfirst", line


@pytest.mark.parametrize(
    "chrome",
    [
        "Advertisement",
        "Skip to main content",
        "Menu",
        "Sign in",
        "Sign in | Subscribe",
        "Menu Search Sign in",
        "Back to previous page",
        "Share this article",
        "Listen to this article",
        "We use cookies to give you the best experience. By continuing you agree to our use "
        "of cookies.",
        "This site uses cookies to analyse traffic. Manage cookie settings",
        "Accept all cookies",
    ],
)
def test_page_controls_at_the_top_are_furniture_never_the_headline(chrome: str) -> None:
    title = "Blueberries sharpen memory in older adults"
    for gap in ("\n", "\n\n"):
        text = f"{chrome}{gap}{title}\n\n{BODY}"
        assert _headline(text) == title, gap
        assert _roles(text)[chrome] == "furniture"


def test_a_release_dateline_alone_on_its_line_is_furniture() -> None:
    for dateline in ("BOSTON, May 3, 2016 /PRNewswire/ --", "ST. LOUIS, Mo., Jan. 8, 2020 —"):
        title = "Palliative care visits cut hospital stays for cancer patients"
        text = f"{dateline}\n\n{title}\n\n{BODY}"
        assert _headline(text) == title
        assert _roles(text)[dateline] == "furniture"


def test_a_phone_number_is_not_a_headline() -> None:
    text = f"MEDIA CONTACT:\nJane Doe\n555-010-1234\n\n{BODY}"
    assert _headline(text) is None


# Properties: any headline over any date stamp, under any kicker, below any page controls.
SUBJECTS = st.sampled_from(
    ["Coffee", "A daily walk", "Green tea", "Fasting", "A new jab", "Sleep loss", "Vitamin D"]
)
VERBS = st.sampled_from(
    ["cuts the risk of", "is linked to", "may ease", "slows", "reverses", "protects against"]
)
OBJECTS = st.sampled_from(["dementia", "heart disease", "migraine", "liver damage", "gout"])
QUOTES = st.sampled_from([("", ""), ("'", "'"), ('"', '"'), ("‘", "’"), ("“", "”")])


@st.composite
def headlines(draw: st.DrawFn) -> str:
    opening, closing = draw(QUOTES)
    line = f"{opening}{draw(SUBJECTS)}{closing} {draw(VERBS)} {draw(OBJECTS)}"
    return line + draw(st.sampled_from(["", "?", "!", ", study finds", ", scientists say"]))


MONTHS = st.sampled_from(["January", "Feb.", "March", "Sept", "Oct", "December", "Jun"])
WEEKDAYS = st.sampled_from(["", "Mon ", "Tuesday, ", "Wed. ", "Sun "])
UNITS = st.sampled_from(["minutes", "hours", "days", "weeks"])
CLOCKS = st.sampled_from(["", " 10:42 AM", " at 3:15 pm", " 17.01 GMT", " 08:30 EST", " 9 a.m."])


@st.composite
def date_lines(draw: st.DrawFn) -> str:
    day, year = draw(st.integers(1, 28)), draw(st.integers(1995, 2030))
    month = draw(MONTHS)
    date = draw(
        st.sampled_from(
            [
                f"{draw(WEEKDAYS)}{month} {day}, {year}{draw(CLOCKS)}",
                f"{draw(WEEKDAYS)}{day} {month} {year}{draw(CLOCKS)}",
                f"{year}-{day:02d}-{day:02d}",
                f"{draw(st.integers(1, 59))} {draw(UNITS)} ago",
            ]
        )
    )
    label = draw(
        st.sampled_from(
            ["", "Updated ", "Published: ", "Last modified on ", "Posted ", "Updated: "]
        )
    )
    tail = draw(st.sampled_from(["", " | 4 min read", " · 12 min read"]))
    return f"{label}{date}{tail}"


@settings(max_examples=150, deadline=None)
@given(headlines(), date_lines(), st.sampled_from(["\n", "\n\n"]))
def test_any_headline_above_any_date_line_is_the_headline(
    headline: str, date: str, gap: str
) -> None:
    text = f"{headline}{gap}{date}\n\n{BODY}"
    assert _headline(text) == headline
    assert _roles(text)[date] == "furniture"


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(KICKERS), headlines(), st.sampled_from(["\n", "\n\n"]))
def test_any_headline_under_any_kicker_is_the_headline(
    kicker: str, headline: str, gap: str
) -> None:
    assert _headline(f"{kicker}{gap}{headline}\n\n{BODY}") == headline


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Advertisement", "Skip to main content", "Menu", "Sign in", "Search"]),
        min_size=1,
        max_size=4,
    ),
    headlines(),
)
def test_any_headline_below_page_controls_is_the_headline(chrome: list[str], headline: str) -> None:
    assert _headline("\n".join([*chrome, headline]) + f"\n\n{BODY}") == headline


@pytest.mark.slow
def test_a_long_run_of_spaces_in_a_furniture_line_costs_linear_time() -> None:
    """Regression: two runs of white space meeting in a pattern ("Updated" + spaces) were
    tried at every split of a long gap: 20,000 spaces cost half a minute."""
    openings = ["Updated", "Last modified on", "4", "Sign in", "12 comments", "Home >", "3,"]
    for opening in openings:
        for ending in ("x", "2014", "read", "Menu"):
            started = time.monotonic()
            segment(f"{opening}{' ' * 50_000}{ending}\n\n{BODY}")
            assert time.monotonic() - started < 5, (opening, ending)
