"""House rules: a pack the user adds wins over the shipped packs where their cues overlap,
the loader names a shipped rule that still shadows one, ``rules test`` names the rule that
took a missed match, ``rules ID --rules PACK`` documents a house rule, and ``exclude`` and
``overrides.files`` match paths by one function."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgecheck import check, default_rules, load_rules
from hedgecheck.cli import main
from hedgecheck.config import Config, Override
from hedgecheck.findings import FindingPolicy
from hedgecheck.matcher import Matcher
from hedgecheck.overlaps import pseudo_swallows
from hedgecheck.ruleset import RuleSet, default_rules_path, shipped_packs

RULE = """
[[rules]]
id = "{id}"
name = "{name}"
category = "{category}"
kind = "{kind}"
patterns = [{patterns}]
weight = {weight}
{extra}
summary = "House rule {id}."
why = "The house style guide asks for it."
source = "house style guide"
examples.match = [{match}]
examples.no_match = ["Nothing to see."]
"""


def _rule(
    rule_id: str,
    patterns: list[str],
    match: list[str],
    *,
    category: str = "hedge",
    kind: str = "modal",
    weight: float = -1.0,
    extra: str = "",
) -> str:
    return RULE.format(
        id=rule_id,
        name=f"house-{rule_id.lower()}",
        category=category,
        kind=kind,
        patterns=", ".join(f"'{p}'" for p in patterns),
        weight=weight,
        extra=extra,
        match=", ".join(f'"{m}"' for m in match),
    )


def _pack(path: Path, *rules: str, name: str = "house") -> Path:
    path.write_text(f'[pack]\nname = "{name}"\n' + "".join(rules), encoding="utf-8")
    return path


def _found(rules: RuleSet, text: str) -> list[tuple[str, str]]:
    return [(m.rule.id, m.text) for m in rules.matcher.find(text)]


# One house pack for the tests below (loading the shipped packs with a new pack costs a
# rule-cache build, so they share it). Its rules overlap shipped cues in every way: the same
# words (HYP004 "game changer"), a shorter cue at the same start (SMP001 "small study"), a
# shorter cue starting later (REL055 "reduces risk"), a longer one starting earlier (BST003
# "found"), and two shipped cues at once; HSE201 is shadowed in one example by a shipped
# guard (PSE001 "in May"), HSE102 in one by another house rule (HSE303), and HSE304 matches
# nothing.
HOUSE = [
    _rule("HSE101", ["game changer"], ["A [[game changer]]."], category="hype", kind="superlative"),
    _rule("HSE102", ["small"], ["A [[small]] thing.", "So [[small]] it was."]),
    _rule("HSE103", ["risk"], ["Some [[risk]]."]),
    _rule("HSE104", ["have found"], ["We [[have found]] it."], category="booster", kind="modal"),
    _rule("HSE105", ["reduces"], ["It [[reduces]] pain."]),
    _rule(
        "HSE106", ["proves that"], ["It [[proves that]] works."], category="booster", kind="modal"
    ),
    _rule("HSE201", ["may"], ["It [[may]] work.", "Results came in [[May]]."]),
    _rule("HSE203", ["study found"], ["A [[study found]] it."], category="booster", kind="modal"),
    _rule("HSE205", ["not"], ["It is [[not]] so."], category="negation", kind="particle"),
    _rule("HSE303", ["so small"], ["It was [[so small]]."]),
    _rule("HSE304", ["zzz"], ["It [[never]] matches."]),
    _rule(
        "HSE401",
        ["marvel"],
        ["A [[marvel]]."],
        category="hype",
        kind="superlative",
        extra='severity = "warning"',
    ),
    _rule(
        "HSE402",
        ["wonderment"],
        ["A [[wonderment]]."],
        category="hype",
        kind="superlative",
        extra='severity = "off"',
    ),
]


@pytest.fixture(scope="module")
def house_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _pack(tmp_path_factory.mktemp("house") / "house.toml", *HOUSE)


@pytest.fixture(scope="module")
def house(house_pack: Path) -> RuleSet:
    return load_rules(house_pack, include_defaults=True)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        ("This is a game changer for patients.", [("HSE101", "game changer")], {"HYP004"}),
        (
            "A small study found that it works.",
            [("HSE102", "small"), ("HSE203", "study found")],
            {"SMP001", "BST003"},
        ),
        (
            "This proves that the diet reduces risk.",
            [("HSE106", "proves that"), ("HSE105", "reduces"), ("HSE103", "risk")],
            {"BST004", "REL055"},
        ),
        (
            "Scientists have found a link between coffee and cancer.",
            [("HSE104", "have found")],
            {"BST003"},
        ),
    ],
)
def test_a_house_cue_wins_over_the_shipped_cue_it_overlaps(
    house: RuleSet, text: str, kept: list[tuple[str, str]], dropped: set[str]
) -> None:
    assert dropped <= {rule_id for rule_id, _ in _found(default_rules(), text)}
    found = _found(house, text)
    assert [f for f in found if f[0].startswith("HSE")] == kept
    assert not dropped & {rule_id for rule_id, _ in found}
    # The house cue reaches the report: a claim's cue, or a finding of its own (hype).
    report = check(text, rules=house)
    cues = {cue.rule for claim in report.claims for cue in claim.cues}
    assert {rule_id for rule_id, _ in kept} <= cues | {f.code for f in report.findings}


def test_the_shipped_packs_alone_keep_one_matcher_per_layer() -> None:
    for matcher in default_rules().matchers:
        assert matcher.tiers() == (matcher,)


def test_a_pack_loaded_alone_keeps_one_matcher(tmp_path: Path) -> None:
    alone = load_rules(_pack(tmp_path / "house.toml", *HOUSE[:3]))
    assert alone.matcher.tiers() == (alone.matcher,)
    assert _found(alone, "A small game changer.") == [
        ("HSE102", "small"),
        ("HSE101", "game changer"),
    ]


_VOCABULARY = """may May in the a small study found that proves reduces risk game changer for
    patients not only if needed . , ; but could so have"""
_WORDS = st.sampled_from(_VOCABULARY.split())


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, max_size=25).map(" ".join))
def test_every_house_cue_survives_but_where_a_shipped_guard_says_no_cue(
    house: RuleSet, text: str
) -> None:
    shipped = default_rules_path()
    house_rules = [r for r in house.rules if Path(r.file).parent != shipped]
    alone = Matcher(house_rules, shipped=shipped_packs()).find(text)
    found = house.matcher.find(text, include_pseudo=True)
    guards = [m for m in found if m.rule.category == "pseudo"]
    kept_house = [m for m in found if m.rule.id.startswith("HSE")]
    kept_shipped = [m for m in found if m.rule.category != "pseudo" and m not in kept_house]
    for cue in alone:
        swallowed = any(pseudo_swallows(g, cue) for g in guards)
        assert (cue in kept_house) != swallowed, (cue, found)
    for cue in kept_shipped:
        assert not any(h.start < cue.end and cue.start < h.end for h in kept_house)


# -- the loader names a shipped rule that shadows a house rule ------------------------------


@pytest.mark.slow
def test_the_loader_names_the_shipped_guard_that_shadows_a_house_rule(
    house_pack: Path, house: RuleSet
) -> None:
    (warning,) = house.warnings
    assert warning.startswith(f"{house_pack}, rule 'HSE201': shipped rule 'PSE001'")
    assert "'Results came in May.'" in warning and "takes 'in May'" in warning
    # Alone, nothing shadows it; and the warning comes back from the rule cache.
    assert not load_rules(house_pack).warnings
    assert load_rules(house_pack, include_defaults=True).warnings == house.warnings
    result = CliRunner().invoke(main, ["rules", "--rules", str(house_pack)])
    assert "warning: " in result.stderr and "'PSE001'" in result.stderr


# -- rules test names the rule that took a missed match ---------------------------------------


@pytest.mark.slow
def test_rules_test_names_the_rule_that_took_the_match(house_pack: Path, house: RuleSet) -> None:
    result = CliRunner().invoke(main, ["rules", "test", str(house_pack)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    by_rule = {line.split(": ")[1].split()[0]: line for line in lines if ": HSE" in line}
    assert set(by_rule) == {"HSE201", "HSE102", "HSE304"}, lines
    assert "PSE001 took the match ('in May', pseudo, pattern '(?i:in|on|" in by_rule["HSE201"]
    assert "(expected ['May'])" in by_rule["HSE201"]
    assert "HSE303 took the match ('So small', hedge, pattern 'so small'" in by_rule["HSE102"]
    # A rule that matches nothing alone was taken by nobody: the plain message.
    assert by_rule["HSE304"].endswith("(expected ['never'], found nothing)")
    # HSE201's other example is validated: a house rule that copies a shipped one ("may").
    assert lines[-1].startswith(f"{len(HOUSE)} rule(s), 0 check(s), ")
    assert lines[-1].endswith(" 0 false positive, 3 missed")


# -- hedgecheck rules ID --rules PACK -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["rules", "HSE101", "--rules", "{pack}"],
        ["rules", "--rules", "{pack}", "HSE101"],
        ["rules", "--rules={pack}", "hse101"],
        ["rules", "show", "HSE101", "--rules", "{pack}"],
    ],
)
def test_rules_documents_a_house_rule(house_pack: Path, house: RuleSet, args: list[str]) -> None:
    pack = house_pack
    result = CliRunner().invoke(main, [a.format(pack=pack) for a in args])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("HSE101 house-hse101 (house)\n")
    assert "House rule HSE101." in result.stdout and "house style guide" in result.stdout


@pytest.mark.slow
def test_rules_documents_the_config_packs_and_loads_a_pack_named_twice_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, house_pack: Path, house: RuleSet
) -> None:
    pack = house_pack
    (tmp_path / ".hedgecheck.toml").write_text(f"rules = [{str(pack)!r}]\n")
    monkeypatch.chdir(tmp_path)
    for args in (["rules", "HSE101"], ["rules", "HSE101", "--rules", str(pack)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("HSE101 house-hse101 (house)\n")
    listing = CliRunner().invoke(main, ["rules"])
    assert "HSE101  hype" in listing.stdout
    unknown = CliRunner().invoke(main, ["rules", "HSE999"])
    assert unknown.exit_code == 2 and "no rule 'HSE999'" in unknown.stderr


def test_rules_names_a_broken_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".hedgecheck.toml").write_text('rules = ["missing.toml"]\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["rules", "HYP002"])
    assert result.exit_code == 2 and "missing.toml" in result.stderr


# -- severity "off" is the same in a pack and in the config ---------------------------------

HYPE_TEXT = "The zorb diet is a marvel and a wonderment, a small study of 40 people suggests."


@pytest.mark.slow
@pytest.mark.parametrize(("config", "raised"), [({}, {"HSE401"}), ({"HSE401": "off"}, set())])
def test_severity_off_in_a_pack_and_in_the_config(
    house: RuleSet, config: dict[str, str], raised: set[str]
) -> None:
    report = check(HYPE_TEXT, rules=house, policy=FindingPolicy.build(severity=config))
    assert {f.code for f in report.findings} & {"HSE401", "HSE402"} == raised
    # Off or not, the cues still count towards the claim's label.
    assert {"HSE401", "HSE402"} <= {cue.rule for claim in report.claims for cue in claim.cues}


# -- exclude and overrides.files: one way to match a path -----------------------------------

_FILES = ["top.md", "docs/a.md", "docs/drafts/b.md", "docs/sub/c.md", "other/drafts/d.md"]
_GLOBS = ["drafts", "drafts/", "docs/drafts/*", "sub/*.md", "*.md", "a.md", "other", "zzz"]


@pytest.mark.parametrize("glob", _GLOBS)
def test_exclude_and_overrides_files_match_the_same_paths(tmp_path: Path, glob: str) -> None:
    for name in _FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("A miracle cure.\n")
    config = Config(
        path=tmp_path / ".hedgecheck.toml",
        exclude=(glob,),
        overrides=(Override((glob,), FindingPolicy.build(ignore=("hype",))),),
        folders=(tmp_path / "docs",),
    )
    for name in _FILES:
        overridden = config.policy_for(str(tmp_path / name)) != config.policy
        assert config.excludes(tmp_path / name) == overridden, name


@pytest.mark.parametrize(("glob", "skipped"), [("sub/*.md", {"c.md"}), ("drafts", {"b.md"})])
def test_a_scan_skips_and_overrides_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, glob: str, skipped: set[str]
) -> None:
    for name in _FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("A miracle cure.\n")
    monkeypatch.chdir(tmp_path)

    def scan(config: str) -> dict[str, list[str]]:
        (tmp_path / ".hedgecheck.toml").write_text(config)
        import json

        result = CliRunner().invoke(main, ["scan", "--format", "json", "docs"])
        assert result.exit_code in (0, 1), result.output
        files = json.loads(result.stdout)["files"]
        return {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in files}

    excluded = scan(f'exclude = ["{glob}"]\n')
    overridden = scan(f'[[overrides]]\nfiles = ["{glob}"]\nignore = ["hype"]\n')
    assert set(overridden) - set(excluded) == skipped
    assert {name for name, codes in overridden.items() if not codes} == skipped
