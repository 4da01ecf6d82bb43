"""The lexicon: the words and patterns the analysis reads language by, as pack entries that a
house pack can replace (and the default entries untouched by that)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from hedgecheck import RuleSet, check, default_rules, load_rules
from hedgecheck.cli import main
from hedgecheck.engine import analyse
from hedgecheck.lexicon import USES, Lexicon, default_lexicon
from hedgecheck.ruletest import FALSE_POSITIVE, MISSED, run_lexicon_examples
from hedgecheck.text import segment

# A claim whose strength turns on "appears" being a raising verb.
STRENGTH_TEXT = "The drug appears to reduce pain, but it caused nausea in the trial.\n"

ENTRY = """
[[lexicon]]
id = "HSE{number}"
name = "{name}"
{content}
summary = "s"
why = "w"
source = "house style"
examples.match = [{match}]
examples.no_match = [{no_match}]
"""


def _entry(number: int, name: str, content: str, match: str, no_match: str) -> str:
    return ENTRY.format(number=number, name=name, content=content, match=match, no_match=no_match)


def _words(name: str, *, extra: tuple[str, ...] = (), drop: tuple[str, ...] = ()) -> str:
    """The shipped words of ``name``, ``extra`` added and ``drop`` left out."""
    shipped = default_rules().lexicon.term(name).words
    return "words = [" + ", ".join(f'"{w}"' for w in sorted({*shipped, *extra} - {*drop})) + "]"


@pytest.fixture(scope="module")
def house_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A house pack that replaces four entries: an abbreviation and section names more, a
    raising verb less, and page controls of its own."""
    path = tmp_path_factory.mktemp("lexicon") / "house-lexicon.toml"
    entries = [
        _entry(901, "abbreviations", _words("abbreviations", extra=("resp",)), '"resp"', '"re"'),
        _entry(
            902,
            "section-words",
            _words("section-words", extra=("gadgets", "gizmos", "daily")),
            '"Gadgets"',
            '"Drug"',
        ),
        _entry(
            903, "raising-verbs", _words("raising-verbs", drop=("appears",)), '"seems"', '"appears"'
        ),
        _entry(
            904,
            "page-controls",
            "patterns = ['print\\s+edition']",
            '"Print edition"',
            '"Skip to main content"',
        ),
    ]
    path.write_text('[pack]\nname = "house-lexicon"\n' + "".join(entries), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def house(house_pack: Path) -> RuleSet:
    return load_rules(house_pack, include_defaults=True)


def test_the_default_packs_give_every_entry_the_analysis_reads() -> None:
    lexicon = default_rules().lexicon
    assert {e.name for e in lexicon.entries} == set(USES)
    assert not lexicon.replaced


def test_every_default_entry_has_a_source_and_three_examples_of_each_kind() -> None:
    for entry in default_rules().lexicon.entries:
        assert entry.source.strip() and entry.why.strip(), entry.id
        assert len(entry.match_examples) >= 3, entry.id
        assert len(entry.no_match_examples) >= 3, entry.id


def test_a_wrong_example_is_reported_as_missed_or_false_positive() -> None:
    entry = default_rules().lexicon.get("LEX014")
    assert entry is not None
    wrong = dataclasses.replace(entry, match_examples=("Drive",), no_match_examples=("Dr",))
    statuses = [r.status for r in run_lexicon_examples(default_rules().lexicon, only=[wrong])]
    assert statuses == [MISSED, FALSE_POSITIVE]


def test_the_lexicon_comes_compiled_from_the_rule_cache() -> None:
    again = load_rules()
    assert again.lexicon == default_rules().lexicon
    assert default_lexicon() is default_rules().lexicon
    assert set(again.lexicon.terms) == set(USES)


def test_the_house_entries_replace_the_shipped_ones_which_stay_the_default(
    house: RuleSet,
) -> None:
    replaced = {e.id for e in house.lexicon.replaced}
    assert replaced == {"LEX014", "LEX012", "LEX018", "LEX006"}
    assert sum("replaces 'LEX0" in w for w in house.warnings) == 4
    assert default_rules().lexicon.term("abbreviations").has("dr")
    assert not default_rules().lexicon.term("abbreviations").has("resp")


def test_a_long_line_is_cut_into_parts_by_the_rule_sets_abbreviations(house: RuleSet) -> None:
    from hedgecheck.parts import check_parts, part_spans, piece_chars
    from hedgecheck.reading import lines_of

    size = 400
    longest = piece_chars(size)
    before = "word " * (longest * 3 // 4 // 5)
    text = before + "Scores were 3 and 4 resp. The trial ended early " + "word " * longest
    assert "\n" not in text and len(text) > 2 * longest

    def piece_ends(lexicon: Lexicon | None) -> list[int]:
        pieces = list(lines_of([text], longest=longest, lexicon=lexicon))
        return [sum(map(len, pieces[: i + 1])) for i in range(len(pieces))]

    sentence_start = text.index("The trial")
    assert sentence_start in piece_ends(None)
    assert sentence_start not in piece_ends(house.lexicon)  # after "resp." none starts
    house_spans = part_spans(text, size=size, lexicon=house.lexicon)
    assert house_spans != part_spans(text, size=size)
    parts = [r.part for r in check_parts(text, size=size, rules=house)]
    assert [(p.start, p.end) for p in parts if p is not None] == house_spans


def test_a_house_abbreviation_keeps_a_sentence_whole(house: RuleSet) -> None:
    text = "Scores were 3 and 4 resp. The trial ended early.\n"
    assert len(segment(text)) == 2
    assert [s.text for s in segment(text, lexicon=house.lexicon)] == [text.strip()]
    # the engine segments with the rule set's lexicon
    assert len(analyse(text, house).sentences) == 1
    assert len(analyse(text, default_rules()).sentences) == 2
    assert len(segment(text)) == 2  # the default lexicon is untouched


def test_house_section_words_make_a_kicker_of_a_title_line(house: RuleSet) -> None:
    text = (
        "Gadgets And Gizmos Daily\n\nDrug eases pain in small trial\n\n"
        "The drug eased pain in a trial of 40 adults, the researchers said.\n"
    )
    heads = [s.text for s in segment(text) if s.role == "headline"]
    assert heads == ["Gadgets And Gizmos Daily"]
    roles = {s.text: s.role for s in segment(text, lexicon=house.lexicon)}
    assert roles["Drug eases pain in small trial"] == "headline"
    assert roles["Gadgets And Gizmos Daily"] == "furniture"


def test_house_page_controls_replace_the_shipped_ones_whole(house: RuleSet) -> None:
    text = "The drug eased pain in a trial of 40 adults.\n\nPrint edition\n\nSkip to main content\n"
    default = {s.text: s.role for s in segment(text)}
    assert default["Print edition"] == "heading"
    assert default["Skip to main content"] == "furniture"
    roles = {s.text: s.role for s in segment(text, lexicon=house.lexicon)}
    assert roles["Print edition"] == "furniture"
    assert roles["Skip to main content"] != "furniture"


def test_a_house_raising_verb_list_changes_a_claims_strength(house: RuleSet) -> None:
    text = STRENGTH_TEXT
    assert check(text).claims[0].strength != check(text, rules=house).claims[0].strength


def test_a_house_pack_alone_takes_the_default_entries_it_does_not_give(
    house_pack: Path,
) -> None:
    alone = load_rules(house_pack)
    assert len(alone.lexicon.entries) == 4
    assert alone.lexicon.term("abbreviations").has("resp")
    assert alone.lexicon.term("small-words") is default_rules().lexicon.term("small-words")
    assert Lexicon().term("byline") is default_rules().lexicon.term("byline")


def test_rules_lists_documents_and_tests_the_entries(tmp_path: Path) -> None:
    listing = CliRunner().invoke(main, ["rules"])
    line = next(x for x in listing.output.splitlines() if x.startswith("LEX014"))
    assert "lexicon" in line and "abbreviations" in line
    shown = CliRunner().invoke(main, ["rules", "lex014"])
    assert shown.exit_code == 0
    assert "## Applied" in shown.output and "## Words" in shown.output and "Kiss" in shown.output
    failing = tmp_path / "failing.toml"
    entry = _entry(901, "abbreviations", 'words = ["resp"]', '"resp"', '"resp"')
    failing.write_text('[pack]\nname = "failing"\n' + entry, encoding="utf-8")
    tested = CliRunner().invoke(main, ["rules", "test", str(failing)])
    assert tested.exit_code == 1
    assert "HSE901 False positive: 'resp' should not apply" in tested.output
    summary = tested.output.splitlines()[-1]
    assert summary.startswith("0 rule(s), 0 check(s), 1 lexicon entr(ies), 2 example(s)")
