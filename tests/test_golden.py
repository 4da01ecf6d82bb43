"""Layer 2: golden end-to-end reports, reviewed by a person (scripts/update_golden.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

import hedgecheck
from hedgecheck import Label

EXAMPLES = Path(__file__).parent.parent / "examples"
KETAMINE = EXAMPLES / "ketamine" / "ketamine-article.txt"
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html"}


def _golden_file(source: Path) -> Path:
    return source.parent / f"expected{'' if source.suffix == '.txt' else source.suffix}.json"


CASES = sorted(p for p in EXAMPLES.glob("*/*") if p.suffix in FORMATS and _golden_file(p).exists())


@pytest.mark.parametrize("source", CASES, ids=lambda p: f"{p.parent.name}{p.suffix}")
def test_report_matches_the_reviewed_golden_file(source: Path) -> None:
    expected = json.loads(_golden_file(source).read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    actual = hedgecheck.check(text, path=expected["path"], format=FORMATS[source.suffix])
    assert actual.to_dict() == expected


def test_every_example_has_a_golden_file() -> None:
    sources = [p for p in EXAMPLES.glob("*/*") if p.suffix in FORMATS]
    assert sources and all(_golden_file(p).exists() for p in sources)


@pytest.fixture(scope="module")
def ketamine() -> hedgecheck.Report:
    return hedgecheck.check(KETAMINE.read_text(encoding="utf-8"))


def _find(report: hedgecheck.Report, start: str) -> hedgecheck.Claim:
    return next(c for c in report.claims if c.text.startswith(start))


def test_headline_and_lede_are_preliminary_with_their_cues(ketamine: hedgecheck.Report) -> None:
    headline = ketamine.claims[0]
    assert headline.headline
    assert headline.text.endswith("small study suggests")
    lede = _find(ketamine, "DENVER—A single dose")
    for claim in (headline, lede):
        assert claim.label is Label.PRELIMINARY, claim.text
        values = {c.value for c in claim.cues if c.scope == "document"}
        assert {"not_peer_reviewed", "conference"} <= values
    texts = {c.text.lower() for c in headline.cues}
    assert {"may", "suggests", "small study"} <= texts


def test_background_trials_and_approval_are_well_supported(ketamine: hedgecheck.Report) -> None:
    trials = _find(ketamine, "In recent years")
    approval = _find(ketamine, "In 2019, esketamine received FDA approval")
    for claim in (trials, approval):
        assert claim.label in (Label.SUPPORTED, Label.ESTABLISHED), claim.text
        assert not [c for c in claim.cues if c.scope == "document"]


def test_animal_studies_are_at_most_preliminary(ketamine: hedgecheck.Report) -> None:
    claim = _find(ketamine, "Animal studies suggest that ketamine almost immediately")
    assert claim.label.rank <= Label.PRELIMINARY.rank
    assert claim.evidence.subjects == "animals"


def test_limited_data_claim_is_weak(ketamine: hedgecheck.Report) -> None:
    claim = _find(ketamine, "Despite limited data")
    assert claim.label in (Label.SPECULATIVE, Label.PRELIMINARY)


def test_page_clutter_gives_no_claims(ketamine: hedgecheck.Report) -> None:
    clutter = (
        "Sunday, June 22",
        "HomePsychotropic",
        "(Image credit",
        "RELATED ARTICLES",
        "- Advertisment -",
        "Advertisment",
        "Play and Bet",
        "Recent Comments",
        "Highlights",
        "Abstract",
        "Science Direct",
        "Springer Nature",
        "latest",
    )
    for claim in ketamine.claims:
        assert not claim.text.startswith(clutter), claim.text
    assert ketamine.label is Label.PRELIMINARY


def test_the_same_page_with_the_drug_renamed_comes_out_the_same() -> None:
    text = KETAMINE.read_text(encoding="utf-8")
    renamed = regex.sub(r"ketamine", "zorbatine", text)
    renamed = regex.sub(r"Ketamine", "Zorbatine", renamed)
    original, other = hedgecheck.check(text), hedgecheck.check(renamed)
    assert [_shape(c) for c in original.claims] == [_shape(c) for c in other.claims]
    assert original.label == other.label


def _shape(claim: hedgecheck.Claim) -> tuple:
    return (claim.label, claim.strength, claim.headline, tuple(c.rule for c in claim.cues))
