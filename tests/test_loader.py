"""The loader rejects bad packs with an error naming file, rule and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from hedgecheck import RuleError, load_rules

GOOD = """
[pack]
name = "house"

[[rules]]
id = "HSE001"
name = "house-hedge"
category = "hedge"
kind = "modal"
patterns = ['perchance']
weight = -1.0
summary = "s"
why = "w"
source = "house style guide"
examples.match = ["It [[perchance]] works."]
examples.no_match = ["It works."]
"""


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


def test_extra_packs_extend_the_defaults(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, GOOD), include_defaults=True)
    assert rules.get("HSE001") is not None
    assert len(rules) > 50


def _pseudo_pack(tmp_path: Path, swallows: str) -> Path:
    text = (
        GOOD
        + f"""
[[rules]]
id = "HSE002"
name = "house-negation"
category = "negation"
patterns = ['not']
summary = "s"
why = "w"
source = "house"
examples.match = ["It did [[not]] work."]
examples.no_match = ["It works."]

[[rules]]
id = "HSE003"
name = "perchance-not"
category = "pseudo"
patterns = ['perchance not']
{swallows}
summary = "s"
why = "w"
source = "house"
examples.match = ["It [[perchance not]] works."]
examples.no_match = ["It works."]
"""
    )
    return _write(tmp_path, text)


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


def test_the_rule_cache_carries_compiled_branches_and_keeps_the_caches_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hedgecheck.rules as rules_module

    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "cache"))
    load_rules()
    cached = load_rules()  # from the cache: branches come compiled, and match as compiled
    assert cached.matcher._single_code and not cached.matcher._singles
    text = "Smith et al. found the drug may cure cancer in mice, a small study suggests."
    monkeypatch.setenv("HEDGECHECK_NO_CACHE", "1")
    assert cached.find(text) == load_rules().find(text)
    assert cached.matcher._singles, "the pickled branches were used"
    monkeypatch.delenv("HEDGECHECK_NO_CACHE")
    # Every other set of packs gets a cache of its own; only the most recent ones are kept.
    monkeypatch.setattr(rules_module, "_CACHES_KEPT", 3)
    default = next((tmp_path / "cache").glob("rules-*.pickle"))
    for number in range(5):
        pack = tmp_path / f"pack{number}.toml"
        pack.write_text(GOOD, encoding="utf-8")
        load_rules(pack)
        load_rules()  # the default packs stay in use
    kept = list((tmp_path / "cache").glob("rules-*.pickle"))
    assert len(kept) == 3 and default in kept


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
