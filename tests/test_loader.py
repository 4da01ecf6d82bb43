"""The loader rejects bad packs with an error naming file, rule and key."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from house_pack import HEADER, hedge_rule, house_rule, hype_rule, pseudo_rule

import hedgecheck
from hedgecheck import RuleError, Strength, default_rules, load_rules

GOOD = HEADER + hedge_rule(more="weight = -1.0")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "house.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_pack_loads_and_matches(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, GOOD))
    assert [r.id for r in rules.rules] == ["HSE001"]
    assert [m.text for m in rules.matcher.find("It perchance works.")] == ["perchance"]


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (('summary = "s"', "summary = \"s\"\ncolour = 'red'"), "colour", "unknown key"),
        (("patterns = ['perchance']", "patterns = ['(perchance']"), "patterns[0]", "bad pattern"),
        (('category = "hedge"', 'category = "hedges"'), "category", "unknown category"),
        (('kind = "modal"', 'kind = "modall"'), "kind", "expected one of"),
        (('source = "house style guide"\n', ""), "source", "missing"),
        (('examples.no_match = ["It works."]\n', ""), "examples.no_match", "non-empty"),
        (("weight = -1.0", "weight = 'low'"), "weight", "number"),
        (("weight = -1.0", "weight = -1.0\ncap = 'maybe'"), "cap", "expected one of"),
        (
            ("patterns = ['perchance']", "patterns = ['(?P<x>perchance)']"),
            "patterns[0]",
            "named groups",
        ),
        (("patterns = ['perchance']", "patterns = ['x*']"), "patterns[0]", "empty string"),
        (("It [[perchance]] works.", "It perchance works."), "examples.match", "no [[span]]"),
    ],
)
def test_errors_name_file_rule_and_key(
    tmp_path: Path, change: tuple[str, str], key: str, message: str
) -> None:
    old, new = change
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(RuleError) as info:
        load_rules(path)
    text = str(info.value)
    assert str(path) in text
    assert "HSE001" in text
    assert repr(key) in text
    assert message in text


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + GOOD.split('[pack]\nname = "house"\n', 1)[1])
    with pytest.raises(RuleError, match="duplicate id"):
        load_rules(path)


# Ids and names that look right but are not: "$" matched before a final newline, so
# "HYP001\n" loaded as a second HYP001. A TOML string can hold any of these.
_NEAR_IDS = [
    "HSE001\\n",  # trailing newline
    "HYP001\\n",  # ... duplicating a default rule's id
    "HYP001\\r\\n",
    " HSE001",  # leading space
    "HSE001 ",
    "\\tHSE001",
    "HSE001\\t",
    "HSE\\u0660\\u0660\\u0661",  # Arabic-Indic digits
    "HSE\\uff10\\uff10\\uff11",  # fullwidth digits
    "\\uff28SE001",  # fullwidth capital H
    "hse001",
    "HSE0011",
    "HSE001\\u200b",  # zero-width space
    "HSE001\\u0000",
]


@pytest.mark.slow
@pytest.mark.parametrize("rule_id", _NEAR_IDS)
def test_an_id_must_be_exactly_capitals_and_digits(tmp_path: Path, rule_id: str) -> None:
    path = _write(tmp_path, GOOD.replace('id = "HSE001"', f'id = "{rule_id}"'))
    with pytest.raises(RuleError, match="id must be") as info:
        load_rules(path, include_defaults=True)
    assert str(path) in str(info.value)
    assert info.value.path == str(path) and info.value.key == "id"
    assert info.value.rule == rule_id.encode().decode("unicode_escape")


@pytest.mark.parametrize("rule_id", ["EDT001\\n", " EDT101", "EDT\\u0661\\u0660\\u0661"])
def test_a_check_id_must_be_exactly_capitals_and_digits(tmp_path: Path, rule_id: str) -> None:
    check = f"""
[[checks]]
id = "{rule_id}"
name = "question-headline"
severity = "info"
summary = "s"
why = "w"
source = "house"
message = "m"
examples.raise = ["Does coffee cure cancer?"]
examples.pass = ["Coffee is a drink."]
"""
    path = _write(tmp_path, GOOD + check)
    with pytest.raises(RuleError, match="id must be") as info:
        load_rules(path)
    assert (info.value.path, info.value.key) == (str(path), "id")


@pytest.mark.parametrize(
    "name", ["house-hedge\\n", "house-hedge ", " house-hedge", "house\\thedge"]
)
def test_a_name_must_be_exactly_kebab_case(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, GOOD.replace('name = "house-hedge"', f'name = "{name}"'))
    with pytest.raises(RuleError, match="kebab-case") as info:
        load_rules(path)
    assert (info.value.path, info.value.rule, info.value.key) == (str(path), "HSE001", "name")


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('kind = ["modal"]', "kind"),
        ('kind = { a = "modal" }', "kind"),
        ('direction = ["forward"]', "direction"),
        ("scope = []", "scope"),
        ('cap = ["speculative"]', "cap"),
        ("severity = {}", "severity"),
        ('direction = "forward\\n"', "direction"),
        ('kind = "modal\\n"', "kind"),
    ],
)
def test_a_choice_given_as_a_list_or_table_is_an_error_not_a_crash(
    tmp_path: Path, line: str, key: str
) -> None:
    text = GOOD.replace('kind = "modal"\n', "") + line + "\n"
    path = _write(tmp_path, text)
    with pytest.raises(RuleError, match="expected") as info:
        load_rules(path)
    assert (info.value.path, info.value.rule, info.value.key) == (str(path), "HSE001", key)


def test_dangling_swallows_reference_is_rejected(tmp_path: Path) -> None:
    pseudo = GOOD.replace('category = "hedge"\nkind = "modal"', 'category = "pseudo"').replace(
        "weight = -1.0", "swallows = ['NOPE001']"
    )
    with pytest.raises(RuleError, match="NOPE001"):
        load_rules(_write(tmp_path, pseudo))


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[pack\nname=")
    with pytest.raises(RuleError, match="not valid TOML") as info:
        load_rules(path)
    assert str(path) in str(info.value)


def test_missing_pack_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no such rule pack"):
        load_rules(tmp_path / "absent.toml")


@pytest.mark.slow
def test_extra_packs_extend_the_defaults(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, GOOD), include_defaults=True)
    assert rules.get("HSE001") is not None
    assert len(rules) > 50


def _pseudo_pack(tmp_path: Path, swallows: str) -> Path:
    negation = house_rule(
        "HSE002",
        "not",
        name="house-negation",
        category="negation",
        kind=None,
        example="It did [[not]] work.",
        no_match="It works.",
        source="house",
    )
    pseudo = pseudo_rule(
        "HSE003",
        "perchance not",
        name="perchance-not",
        swallows=swallows,
        example="It [[perchance not]] works.",
    )
    return _write(tmp_path, GOOD + negation + pseudo)


def test_a_pseudo_cue_swallows_only_what_it_names(tmp_path: Path) -> None:
    text = "It perchance not works."
    every = load_rules(_pseudo_pack(tmp_path, ""))
    assert every.matcher.find(text) == []
    only_hedges = load_rules(_pseudo_pack(tmp_path, "swallows = ['hedge']"))
    assert [m.rule.id for m in only_hedges.matcher.find(text)] == ["HSE002"]
    assert [m.rule.id for m in only_hedges.matcher.find(text, include_pseudo=True)] == [
        "HSE003",
        "HSE002",
    ]


@pytest.mark.slow
def test_the_rule_cache_gives_the_same_rules_and_survives_bad_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hedgecheck import check

    text = "A small study suggests the drug may cure cancer, researchers said."
    monkeypatch.setenv("HEDGECHECK_NO_CACHE", "1")
    fresh = load_rules()
    monkeypatch.delenv("HEDGECHECK_NO_CACHE")
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "cache"))
    first = load_rules()
    (cached,) = (tmp_path / "cache").glob("rules-*.pickle")
    second = load_rules()
    assert fresh == first == second
    assert check(text, rules=second) == check(text, rules=fresh)
    cached.write_bytes(b"not a pickle")
    assert load_rules() == fresh  # a damaged cache is rebuilt
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(blocked / "cache"))
    assert load_rules() == fresh  # an unwritable cache folder is ignored


@pytest.mark.slow
def test_the_rule_cache_carries_compiled_branches_and_keeps_the_caches_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hedgecheck.rulecache as rulecache_module

    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "cache"))
    load_rules()
    cached = load_rules()  # from the cache: branches come compiled, and match as compiled
    assert cached.matcher._branch_code and not cached.matcher._branches_alone
    text = "Smith et al. found the drug may cure cancer in mice, a small study suggests."
    monkeypatch.setenv("HEDGECHECK_NO_CACHE", "1")
    assert cached.find(text) == load_rules().find(text)
    assert cached.matcher._branches_alone, "the pickled branches were used"
    monkeypatch.delenv("HEDGECHECK_NO_CACHE")
    # Every other set of packs gets a cache of its own; only the most recent ones are kept.
    monkeypatch.setattr(rulecache_module, "_CACHES_KEPT", 3)
    default = next((tmp_path / "cache").glob("rules-*.pickle"))
    for number in range(5):
        pack = tmp_path / f"pack{number}.toml"
        pack.write_text(GOOD, encoding="utf-8")
        load_rules(pack)
        load_rules()  # the default packs stay in use
    kept = list((tmp_path / "cache").glob("rules-*.pickle"))
    assert len(kept) == 3 and default in kept


def _swallower(tmp_path: Path, swallows: str, *, name: str = "house.toml") -> Path:
    """A house pack with a hype rule of its own and a pseudo rule that swallows
    ``swallows`` (a TOML line, or "" for no list) wherever a sentence says "trust us"."""
    trust = pseudo_rule(
        "HSE102",
        "trust us[^.]*",
        name="trust-us",
        swallows=swallows,
        example="Well, [[trust us, it works]].",
    )
    header = HEADER.replace('"house"', f'"{name.removesuffix(".toml")}"')
    path = tmp_path / name
    path.write_text(header + hype_rule("HSE101") + trust, encoding="utf-8")
    return path


HUSHED = "Trust us, this miracle drug may cure cancer and is a wonder pill."


@pytest.mark.slow
@pytest.mark.parametrize(
    ("swallows", "said", "hushed"),
    [
        ('swallows = ["hype", "hedge", "booster"]', "categories booster, hedge, hype", "HYP001"),
        ('swallows = ["hype"]', "categories hype;", "HYP001"),
        ('swallows = ["hedge"]', "categories hedge;", "HDG001"),
        ('swallows = ["HYP001"]', "rules HYP001;", "HYP001"),
        (
            'swallows = ["HSE101", "relation", "HDG001"]',
            "categories relation; rules HDG001",
            "HDG001",
        ),
        ("", "no swallows list", "HYP001"),
    ],
)
def test_a_house_pseudo_rule_that_swallows_built_in_cues_is_said_at_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swallows: str, said: str, hushed: str
) -> None:
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "cache"))
    path = _swallower(tmp_path, swallows)
    for _ in range(2):  # built, then read from the cache: said both times
        rules = load_rules(path, include_defaults=True)
        (warning,) = rules.warnings
        assert warning.startswith(f"{path}, rule 'HSE102': this pseudo rule")
        assert said in warning and "(built in)" in warning
    assert hushed not in {m.rule.id for m in rules.find(HUSHED).cues}  # what the warning says
    assert hushed in {m.rule.id for m in default_rules().find(HUSHED).cues}


@pytest.mark.parametrize(
    "swallows",
    ["", 'swallows = ["hype"]', 'swallows = ["HSE101"]', 'swallows = ["hype", "HSE101"]'],
)
def test_a_house_pseudo_rule_that_swallows_only_its_own_pack_says_nothing(
    tmp_path: Path, swallows: str
) -> None:
    alone = load_rules(_swallower(tmp_path, swallows))
    assert alone.warnings == ()
    assert [m.rule.id for m in alone.find("Trust us, a wonder pill.").cues] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "swallows", ['swallows = ["HSE101"]', 'swallows = ["advice", "authority"]']
)
def test_a_house_pseudo_rule_beside_the_defaults_that_cannot_reach_them_says_nothing(
    tmp_path: Path, swallows: str
) -> None:
    # Its own rule by id; or editorial categories, matched apart from the first pass.
    rules = load_rules(_swallower(tmp_path, swallows), include_defaults=True)
    assert rules.warnings == ()
    assert "HYP001" in {m.rule.id for m in rules.find(HUSHED).cues}


def test_the_default_packs_pseudo_rules_say_nothing() -> None:
    assert default_rules().warnings == ()
    assert any(r.category == "pseudo" and r.swallows for r in default_rules().rules)


def test_a_pseudo_rule_swallowing_another_house_pack_names_that_pack(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    first = _swallower(other, "")
    text = first.read_text().replace("HSE1", "OTH1").replace('name = "house"', 'name = "other"')
    first.write_text(
        text.replace('category = "pseudo"', 'category = "pseudo"\nswallows = ["hedge"]')
    )
    hype = _swallower(tmp_path, 'swallows = ["hype"]', name="mine.toml")
    rules = load_rules(first, hype)
    (warning,) = rules.warnings
    assert warning.startswith(f"{hype}, rule 'HSE102'")
    assert "categories hype; from other)" in warning


@pytest.mark.slow
def test_the_command_line_prints_load_warnings_on_stderr(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from hedgecheck.cli import main

    path = _swallower(tmp_path, 'swallows = ["hype", "hedge", "booster"]')
    text = tmp_path / "hushed.txt"
    text.write_text(HUSHED + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--rules", str(path), "--quiet", str(text)])
    assert f"hedgecheck: warning: {path}, rule 'HSE102'" in result.stderr
    assert "HYP001" not in result.stdout
    plain = CliRunner().invoke(main, ["scan", str(text)])
    assert "HYP001" in plain.stdout and "warning: " not in plain.stderr


GRADES = """[scoring]
certainty_bias = 1.0

[grades]
source = "house evidence ladder"

[grades.design]
rct = "supported"
"""
FRAGMENTS = GOOD.replace(
    "[[rules]]",
    "[fragments]\nsoft = 'perchance|mayhap'\nsofter = '(?:{{soft}})\\s+so'\n\n[[rules]]",
)


def test_fragments_are_written_into_the_patterns_that_name_them(tmp_path: Path) -> None:
    pack = FRAGMENTS.replace("patterns = ['perchance']", "patterns = ['{{softer}}', 'x{{soft}}']")
    rules = load_rules(_write(tmp_path, pack))
    rule = rules.rules[0]
    assert rule.patterns == ("(?:(?:(?:perchance|mayhap))\\s+so)", "x(?:perchance|mayhap)")
    found = [m.text for m in rules.matcher.find("It mayhap so works, xperchance.")]
    assert found == ["mayhap so", "xperchance"]


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (('rct = "supported"', 'rct = "strong"'), "grades.design.rct", "expected a label"),
        (('rct = "supported"', 'rcts = "supported"'), "grades.design.rcts", "not a value"),
        (("[grades.design]", "[grades.booster]"), "grades.booster", "not a category that"),
        (("[grades.design]", "[grades.relation]"), "grades.relation", "not a category that"),
        (('source = "house evidence ladder"\n', ""), "grades.source", "missing key"),
        (
            ('[grades.design]\nrct = "supported"\n', 'design = "supported"\n'),
            "grades.design",
            "expected a table",
        ),
    ],
)
def test_a_bad_grade_table_names_file_and_key(
    tmp_path: Path, change: tuple[str, str], key: str, message: str
) -> None:
    old, new = change
    assert old in GRADES
    path = tmp_path / "scoring.toml"
    path.write_text(GRADES.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(path)
    text = str(info.value)
    assert str(path) in text and repr(key) in text and message in text


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (("patterns = ['perchance']", "patterns = ['{{nowhere}}']"), "patterns[0]", "no fragment"),
        (("soft = 'perchance|mayhap'", "soft = '{{softer}}'"), "fragments.soft", "itself"),
        (("soft = 'perchance|mayhap'", "soft = '(perchance'"), "fragments.soft", "bad pattern"),
        (("soft = 'perchance|mayhap'", "Soft = 'perchance'"), "fragments.Soft", "lower case"),
        (("soft = 'perchance|mayhap'", "soft = 3"), "fragments.soft", "non-empty"),
    ],
)
def test_fragment_errors_name_file_and_key(
    tmp_path: Path, change: tuple[str, str], key: str, message: str
) -> None:
    old, new = change
    assert old in FRAGMENTS
    path = _write(tmp_path, FRAGMENTS.replace(old, new))
    with pytest.raises(RuleError) as info:
        load_rules(path)
    text = str(info.value)
    assert str(path) in text and repr(key) in text and message in text


def test_a_house_scoring_file_grades_a_house_design_rule(tmp_path: Path) -> None:
    (tmp_path / "scoring.toml").write_text(GRADES, encoding="utf-8")
    design = GOOD.replace(
        'category = "hedge"\nkind = "modal"', 'category = "design"\nvalue = "rct"'
    )
    (tmp_path / "house.toml").write_text(design.replace("weight = -1.0", "weight = 0.0"))
    rules = load_rules(tmp_path)
    assert rules.scoring.grades == (("design", "rct", "supported"),)
    assert rules.scoring.grade(rules.rules[0]) == "supported"
    # Without a [grades] table the scoring grades nothing and labels have no ceiling.
    assert load_rules(_write(tmp_path, GOOD)).scoring.grade(rules.rules[0]) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "modal"', 'kind = "modal"\nrelation = "causal"'), "only hype rules"),
        (
            (
                'category = "hedge"\nkind = "modal"',
                'category = "hype"\nkind = "cure"\nrelation = "none"',
            ),
            "expected one of causal, correlational",
        ),
    ],
)
def test_a_stated_relation_is_checked(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    with pytest.raises(RuleError) as info:
        load_rules(_write(tmp_path, GOOD.replace(old, new)))
    assert "'relation'" in str(info.value) and message in str(info.value)


HYPE_VERB = (
    HEADER
    + house_rule(
        "HSE001",
        "zorbs",
        name="zorb",
        category="hype",
        kind="cure",
        more='relation = "causal"\nweight = 0.8',
        example="It [[zorbs]] pain.",
        no_match="It works.",
        source="house style guide",
    )
    + pseudo_rule(
        "HSE002",
        "as it zorbs",
        name="as-it-zorbs",
        swallows='swallows = ["relation"]',
        example="Pain fades [[as it zorbs]].",
    )
)


def test_a_hype_word_states_its_relation_unless_a_pseudo_cue_swallows_it(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, HYPE_VERB))
    (claim,) = hedgecheck.check("It zorbs pain.", rules=rules).claims
    assert claim.strength is Strength.CAUSAL
    assert [(c.rule, c.category) for c in claim.cues] == [
        ("HSE001", "hype"),
        ("HSE001", "relation"),
    ]
    assert [f.code for f in hedgecheck.check("It zorbs pain.", rules=rules).findings] == ["HSE001"]
    report = hedgecheck.check("Pain fades as it zorbs.", rules=rules)
    assert not report.claims  # the hype stays, but states no relation here
    assert [f.code for f in report.findings] == ["HSE001"]


# Constructs that crash the regex engine ("(?R)?a" runs out of memory on any text) or take
# minutes and gigabytes to compile: refused before the pattern is compiled.
@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(?R)?perchance", "calls a group recursively"),
        (r"perchance(?0)?", "calls a group recursively"),
        (r"(per)(?1)?chance", "calls a group recursively"),
        (r"(per(?-1)?)chance", "calls a group recursively"),
        (r"(?:per(?&x)?)chance", "calls a group recursively"),
        (r"(?:per(?P>x)?)chance", "calls a group recursively"),
        (r"(per\g<1>?)chance", "refers back to a group that is still open"),
        (r"perchance\g<0>?", "refers back to a group that is still open"),
        (r"(per(chance\g<2>))", "refers back to a group that is still open"),
        (r"(per\1)chance", "cannot refer to an open group at position 6"),
        (r"(per)\1?chance", "numbered back-reference"),
        (r"(per)\g<1>?chance", "numbered back-reference"),
        (r"(p)(e)(r)\3?chance", "numbered back-reference"),
        (r"perchance{4294967294}", "repeats 4,294,967,294 times"),
        (r"(?:per{1000}){1000}chance", "repeats 1,000,000 times"),
        (r"(?:(?:p{20}){20}e){20}rchance", "repeats 8,000 times"),
        (r"perchance[a-z]{,5000}", "repeats 5,000 times"),
        ("(" * 150 + "perchance" + ")" * 150, "groups nest deeper than 100"),
    ],
)
def test_constructs_that_crash_or_explode_are_refused_at_load(
    tmp_path: Path, pattern: str, message: str
) -> None:
    path = _write(tmp_path, GOOD.replace("patterns = ['perchance']", f"patterns = ['{pattern}']"))
    started = time.monotonic()
    with pytest.raises(RuleError) as info:
        load_rules(path)
    assert time.monotonic() - started < 10
    assert info.value.path == str(path) and info.value.rule == "HSE001"
    assert info.value.key == "patterns[0]" and message in str(info.value)


# Look-alikes of those constructs that are fine: an escaped backslash before a digit, escaped or
# bracketed parentheses, counts whose product stays small.
@pytest.mark.parametrize(
    "pattern",
    [
        r"perchance(?:\\1)?",
        r"perchance[\1]?",
        r"perchance(?:\(\?R\))?",
        r"perchance[(?R)]?",
        r"(?:per{1,30}){1,30}chance",
        r"perchance(?:\W+\w+){0,6}",
        r"perchance[^.]{0,200}?",
    ],
)
def test_look_alikes_of_refused_constructs_load(tmp_path: Path, pattern: str) -> None:
    path = _write(tmp_path, GOOD.replace("patterns = ['perchance']", f"patterns = ['{pattern}']"))
    found = [m.text for m in load_rules(path).matcher.find("It perchance works.")]
    assert len(found) == 1 and found[0].startswith("perchance")  # the longest match wins


# -- [[lexicon]] entries -------------------------------------------------------------------

LEXICON = """
[pack]
name = "house-lexicon"

[[lexicon]]
id = "HSE901"
name = "abbreviations"
words = ["al", "dr", "resp"]
summary = "s"
why = "w"
source = "house style"
examples.match = ["resp", "Dr"]
examples.no_match = ["respond"]
"""


def test_a_good_lexicon_entry_loads(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, LEXICON))
    assert [e.id for e in rules.lexicon.entries] == ["HSE901"]
    assert rules.lexicon.term("abbreviations").has("RESP")


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (('summary = "s"', "summary = \"s\"\ncolour = 'red'"), "colour", "unknown key"),
        (('name = "abbreviations"', 'name = "abbreviation"'), "name", "no such lexicon entry"),
        (('source = "house style"\n', ""), "source", "missing"),
        (('id = "HSE901"', 'id = "HSE9011"'), "id", "capital letters"),
        (('words = ["al", "dr", "resp"]', "patterns = ['dr']"), "patterns", "give words"),
        (
            ('words = ["al", "dr", "resp"]', 'words = ["al"]\npatterns = ["dr"]'),
            "words",
            "either words or patterns",
        ),
        (('words = ["al", "dr", "resp"]', 'words = ["et al"]'), "words[0]", "no white space"),
        (('words = ["al", "dr", "resp"]', "words = []"), "words", "non-empty list"),
        (('examples.no_match = ["respond"]\n', ""), "examples.no_match", "non-empty"),
        (('why = "w"', 'why = "w"\ncase_sensitive = "no"'), "case_sensitive", "true or false"),
    ],
)
def test_lexicon_errors_name_file_entry_and_key(
    tmp_path: Path, change: tuple[str, str], key: str, message: str
) -> None:
    old, new = change
    assert old in LEXICON
    path = _write(tmp_path, LEXICON.replace(old, new))
    with pytest.raises(RuleError) as info:
        load_rules(path)
    text = str(info.value)
    assert str(path) in text
    assert "HSE901" in text or key == "id"
    assert repr(key) in text
    assert message in text


PATTERNED = (
    LEXICON.replace('name = "abbreviations"', 'name = "copulas"')
    .replace('words = ["al", "dr", "resp"]', "patterns = ['\\b(?:is|was|{{adverb}})$']")
    .replace('examples.match = ["resp", "Dr"]', 'examples.match = ["It was [[linked]] to"]')
    .replace('examples.no_match = ["respond"]', 'examples.no_match = ["genes [[linked]] to"]')
    + "\n[fragments]\nadverb = '\\w+ly'\n"
)


def test_a_patterned_entry_takes_the_packs_fragments(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, PATTERNED))
    (entry,) = rules.lexicon.entries
    assert entry.patterns == ("\\b(?:is|was|(?:\\w+ly))$",)
    assert rules.lexicon.term("copulas").pattern.search("strongly")


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ("{{adverb}}", "{{adverbs}}", "patterns[0]", "no fragment"),
        ("{{adverb}}", "(x", "patterns[0]", "bad pattern"),
        ("{{adverb}}", "(?:a+)+", "patterns[0]", "backtrack"),
        ("It was [[linked]] to", "It was linked to", "examples.match", "mark the cue"),
        ('why = "w"', "why = \"w\"\nclue = '('", "clue", "bad pattern"),
    ],
)
def test_bad_patterned_entries_are_refused(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    assert old in PATTERNED
    path = _write(tmp_path, PATTERNED.replace(old, new))
    with pytest.raises(RuleError) as info:
        load_rules(path)
    assert str(path) in str(info.value) and "HSE901" in str(info.value)
    assert repr(key) in str(info.value) and message in str(info.value)


def test_a_lexicon_id_must_be_unique_among_rules_and_entries(tmp_path: Path) -> None:
    path = _write(
        tmp_path, GOOD + LEXICON.split('name = "house-lexicon"\n', 1)[1].replace("HSE901", "HSE001")
    )
    with pytest.raises(RuleError, match="duplicate id"):
        load_rules(path)
    with pytest.raises(RuleError, match="duplicate id"):
        load_rules(_write(tmp_path, LEXICON.replace("HSE901", "LEX014")), include_defaults=True)
    with pytest.raises(RuleError, match="reserved"):
        load_rules(_write(tmp_path, LEXICON.replace("HSE901", "LBL001")))


def test_one_pack_may_not_give_an_entry_twice(tmp_path: Path) -> None:
    twice = LEXICON + LEXICON.split('name = "house-lexicon"\n', 1)[1].replace("HSE901", "HSE902")
    with pytest.raises(RuleError, match="already given by HSE901"):
        load_rules(_write(tmp_path, twice))


def test_a_house_entry_replaces_the_default_and_the_loader_says_so(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, LEXICON), include_defaults=True)
    assert rules.lexicon.get("HSE901") in rules.lexicon.entries
    assert [e.id for e in rules.lexicon.replaced] == ["LEX014"]
    (said,) = [w for w in rules.warnings if "HSE901" in w]
    assert "replaces 'LEX014'" in said and "lexicon.toml" in said
    assert len(rules.lexicon.entries) == len(default_rules().lexicon.entries)
