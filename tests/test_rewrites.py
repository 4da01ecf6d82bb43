"""Rewrites: the edit a rule's finding offers, from the pack to every output that shows it."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck.errors import RuleError
from hedgecheck.formats import sarif_format, text_format
from hedgecheck.formats.html_format import render as render_html
from hedgecheck.loader import default_rules
from hedgecheck.model import Edit, Report
from hedgecheck.packfile import parse_pack
from hedgecheck.rewrites import applied, rewrite_of
from hedgecheck.ruletest import MISSED, run_rewrite_examples
from hedgecheck.schema import Rewrite

RULES = default_rules()
REWRITING = [rule for rule in RULES.rules if rule.rewrites]


def _edited(text: str, report: Report) -> str:
    """``text`` with every finding's rewrite made, last first so offsets hold."""
    for finding in sorted(report.findings, key=lambda f: -f.start):
        if finding.edit is not None:
            text = applied(text, finding.edit)
    return text


# -- the packs' own examples ------------------------------------------------------------------


def test_the_hype_pack_offers_rewrites() -> None:
    assert len(REWRITING) >= 5
    assert all(rule.severity is not None for rule in REWRITING)


@pytest.mark.parametrize("rule", REWRITING, ids=lambda r: r.id)
def test_every_rewrite_example_is_rewritten_as_written(rule: Any) -> None:
    failures = [
        f"{r.text!r}: wanted {r.wanted!r}, got {r.got!r}"
        for r in run_rewrite_examples(RULES, only=[rule])
        if not r.ok
    ]
    assert not failures, f"{rule.id}: " + "; ".join(failures)


def test_a_wrong_rewrite_example_is_reported_missed() -> None:
    rule = RULES.get("HYP006")
    assert rule is not None
    wrong = Rewrite(
        rule.rewrites[0].pattern,
        "",
        (
            ("They ran a [[groundbreaking]] study.", "They ran a bold study."),
            ("A plain sentence with [[groundbreaking]] in it.", "unchanged"),
        ),
    )
    results = run_rewrite_examples(RULES, only=[replace(rule, rewrites=(wrong,))])
    assert [r.status for r in results] == [MISSED, MISSED]
    assert results[0].got == "They ran a study."


# -- what a rewrite keeps: case, articles, denials, markup -----------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A remarkable increase was seen.", "An increase was seen."),
        ("An astonishing drop was seen.", "A drop was seen."),
        ("AN extraordinary result.", "A result."),
        ("Stunning gains came fast.", "Gains came fast."),
        ("The firm sold a miracle drug.", "The firm sold a drug."),
        ("It is not a miracle drug.", "It is not a miracle drug."),
    ],
)
def test_a_rewrite_keeps_the_sentence_grammatical(text: str, expected: str) -> None:
    assert _edited(text, hedgecheck.check(text)) == expected


def test_the_edit_points_into_the_markup_source() -> None:
    source = "# Trial news\n\nThe team ran a *large* and groundbreaking study of sleep.\n"
    report = hedgecheck.check(source, format="markdown")
    (finding,) = [f for f in report.findings if f.code == "HYP006"]
    assert finding.edit == Edit(
        start=source.index("groundbreaking"),
        end=source.index("study"),
        text="groundbreaking ",
        replacement="",
    )
    assert _edited(source, report).endswith("a *large* and study of sleep.\n")


@pytest.mark.parametrize(
    ("source", "format"),
    [
        ("The team ran a **groundbreaking** study of sleep.\n", "markdown"),
        ("<p>The team ran a <b>groundbreaking</b> study of sleep.</p>", "html"),
    ],
)
def test_no_edit_is_offered_across_markup(source: str, format: str) -> None:
    report = hedgecheck.check(source, format=format)
    (finding,) = [f for f in report.findings if f.code == "HYP006"]
    assert finding.edit is None


def test_a_rewrite_in_a_separate_title_points_into_the_title() -> None:
    title = "A revolutionary pill for gout"
    report = hedgecheck.check("Doctors tested it on 20 people.", title=title)
    (finding,) = [f for f in report.findings if f.code == "HYP005"]
    assert finding.edit is not None and finding.line == 0
    assert applied(title, finding.edit) == "A pill for gout"


def test_a_house_rewrite_that_runs_too_long_offers_none() -> None:
    rule = RULES.get("HYP006")
    assert rule is not None
    slow = Rewrite("groundbreaking(?:(?:a|aa)+)+b", "", (("x", "x"),))
    text = "groundbreaking" + "a" * 40
    assert rewrite_of(text, 0, 14, replace(rule, rewrites=(slow,))) is None


# -- the property: a rewrite removes the hype it was offered for ------------------------------

_OPENINGS = ["They found a ", "Experts hailed the ", "Sellers push ", "It is a ", "A "]
_CUES = [
    "groundbreaking study",
    "revolutionary pill",
    "miracle drug",
    "wonder cure",
    "remarkable increase",
    "transformative therapy",
    "magic bullet",
    "cutting-edge scanner",
]
_ENDINGS = [" for pain.", " in mice.", ", the firm says.", "."]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_OPENINGS), st.sampled_from(_CUES), st.sampled_from(_ENDINGS)),
        min_size=1,
        max_size=4,
    )
)
def test_made_rewrites_remove_their_findings(sentences: list[tuple[str, str, str]]) -> None:
    text = " ".join("".join(parts) for parts in sentences)
    report = hedgecheck.check(text)
    offered = [f for f in report.findings if f.edit is not None]
    for finding in offered:
        assert finding.edit is not None
        assert text[finding.edit.start : finding.edit.end] == finding.edit.text
    rewritten = _edited(text, report)
    left = {f.code for f in hedgecheck.check(rewritten).findings if f.edit is not None}
    assert not left & {f.code for f in offered}, rewritten


# -- outputs -----------------------------------------------------------------------------------

_TEXT = "They ran a groundbreaking study of sleep in 40 adults.\n"


def test_text_format_shows_the_rewrite() -> None:
    out = text_format.render([hedgecheck.check(_TEXT, path="draft.txt")])
    assert "rewrite: drop “groundbreaking”" in out


def test_html_report_shows_the_rewrite() -> None:
    out = render_html([hedgecheck.check(_TEXT, path="draft.txt")])
    assert "Rewrite: drop “groundbreaking”" in out


def test_sarif_fix_replaces_the_words() -> None:
    log = json.loads(sarif_format.render([hedgecheck.check(_TEXT, path="draft.txt")]))
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "HYP006"]
    (fix,) = result["fixes"]
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    start = replacement["deletedRegion"]["charOffset"]
    end = start + replacement["deletedRegion"]["charLength"]
    made = _TEXT[:start] + replacement["insertedContent"]["text"] + _TEXT[end:]
    assert made == "They ran a study of sleep in 40 adults.\n"


def test_json_has_the_edit_and_leaves_it_out_without_one() -> None:
    findings = hedgecheck.check(_TEXT + "It is no miracle cure.\n").to_dict()["findings"]
    by_code = {f["code"]: f for f in findings}
    assert by_code["HYP006"]["edit"] == {
        "start": 11,
        "end": 26,
        "text": "groundbreaking ",
        "replacement": "",
    }
    assert "edit" not in by_code["HYP002"]


# -- a pack's rewrites are checked when it loads ---------------------------------------------

_RULE = """
[[rules]]
id = "HSE001"
name = "marvel"
category = "hype"
kind = "superlative"
patterns = ['marvell?ous']
{severity}
summary = "s"
why = "w"
source = "house"
examples.match = ["A [[marvellous]] pill."]
examples.no_match = ["A pill."]
"""
_REWRITE = """
[[rules.rewrites]]
pattern = '{pattern}'
to = '{to}'
examples = [{examples}]
"""
_GOOD = ", ".join(
    [
        '["A [[marvellous]] pill.", "A pill."]',
        '["A [[marvelous]] cure.", "A cure."]',
        '["It was [[marvellous]].", "It was marvellous."]',
    ]
)


def _parse(*, severity: str = 'severity = "warning"', **rewrite: str) -> Any:
    values = {"pattern": r"marvell?ous\s+(?=[a-z])", "to": "", "examples": _GOOD, **rewrite}
    text = '[pack]\nname = "house"\n' + _RULE.format(severity=severity) + _REWRITE.format(**values)
    return parse_pack(tomllib.loads(text), Path("house.toml"))


def test_a_good_rewrite_loads() -> None:
    _, (rule,), _ = _parse()
    assert rule.rewrites[0].to == "" and len(rule.rewrites[0].examples) == 3


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"severity": 'severity = "off"'}, "rewrites", "severity"),
        ({"to": r"\2"}, "rewrites[0].to", "bad replacement"),
        ({"pattern": "marvel(?:"}, "rewrites[0].pattern", "bad pattern"),
        ({"examples": '["A [[marvellous]] pill.", "A pill."]'}, "rewrites[0].examples", "pairs"),
        (
            {"examples": '["A pill.", "A pill."], ["B", "B"], ["C", "C"]'},
            "rewrites[0].examples[0]",
            "[[cue]]",
        ),
        (
            {"examples": '["A [[m]].", "A m."], ["B [[m]].", "B m."], ["C [[m]].", "C m."]'},
            "rewrites[0].examples",
            "no example is rewritten",
        ),
    ],
)
def test_a_bad_rewrite_is_refused_naming_file_rule_and_key(
    changes: dict[str, str], key: str, words: str
) -> None:
    with pytest.raises(RuleError) as caught:
        _parse(**changes)
    assert (caught.value.path, caught.value.rule, caught.value.key) == ("house.toml", "HSE001", key)
    assert words in str(caught.value)


def test_an_unknown_key_in_a_rewrite_is_refused() -> None:
    text = '[pack]\nname = "house"\n' + _RULE.format(severity='severity = "warning"')
    text += _REWRITE.format(pattern="marvellous", to="", examples=_GOOD) + "with = 1\n"
    with pytest.raises(RuleError) as caught:
        parse_pack(tomllib.loads(text), Path("house.toml"))
    assert caught.value.key == "rewrites[0].with"
