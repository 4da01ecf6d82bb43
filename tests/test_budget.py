"""Time budgets for the rules of untrusted packs: a rule slow enough to hang a scan but never
slow enough for the match timeout is switched off by its budget per file, per run, or by the
scan's budget for all of them; named in the report's errors, exit 2 on the command line."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import hedgecheck
from hedgecheck.budget import RuleBudget, ScanBudget
from hedgecheck.cli import main
from hedgecheck.config import load_config
from hedgecheck.errors import UsageError
from hedgecheck.loader import load_rules

KETAMINE = Path(__file__).parent.parent / "examples" / "ketamine" / "ketamine-article.txt"
PROSE = KETAMINE.read_text(encoding="utf-8")[:3000]

# About a third of a second at each cue start where it is tried, never a whole second: the
# match timeout never switches these off. The first opens anywhere (found by a scan of the
# text), the second with a word (the opening tables), the third at a sentence start.
SLOW = [
    r"(?:.|\n)*(?:.|\n)*[\x01\x02]",
    r"the(?:.|\n)*(?:.|\n)*[\x01\x02]",
    r"(?:(?<=^)|(?<=\.\s))(?:.|\n)*(?:.|\n)*[\x01\x02]",
]
EXAMPLE = "[[ab\\u0001]] c"


def _cues(report: hedgecheck.Report) -> list[tuple[str, int, int]]:
    return [(c.rule, c.start, c.end) for claim in report.claims for c in claim.cues]


def _pack(path: Path, *rules: tuple[str, str]) -> Path:
    """A pack of (id, pattern) rules, each with the example its pattern matches."""
    body = "".join(
        f"""[[rules]]
id = "{rule_id}"
name = "rule-{rule_id.lower()}"
category = "hedge"
kind = "modal"
patterns = ['{pattern}']
summary = "s"
why = "w"
source = "me"
examples.match = ["{EXAMPLE if "x01" in pattern else "[[may]] c"}"]
examples.no_match = ["x"]
"""
        for rule_id, pattern in rules
    )
    path.write_text('[pack]\nname = "house"\n' + body)
    return path


@pytest.fixture(scope="module")
def slow_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One slow rule, in one place for the module: loaded with the default packs it is
    compiled once and then read from the rule cache."""
    return _pack(tmp_path_factory.mktemp("slow") / "house.toml", ("HSE001", SLOW[0]))


@pytest.fixture(scope="module")
def slow_rules(slow_pack: Path) -> hedgecheck.RuleSet:
    return load_rules(slow_pack, include_defaults=True)


@pytest.mark.parametrize("pattern", SLOW)
def test_a_slow_rule_is_switched_off_by_its_budget_for_the_file(
    tmp_path: Path, pattern: str
) -> None:
    rules = load_rules(_pack(tmp_path / "house.toml", ("HSE001", pattern), ("HSE002", "may")))
    quick = load_rules(_pack(tmp_path / "quick.toml", ("HSE002", "may")))
    budget = ScanBudget(RuleBudget(file=0.3))
    started = time.monotonic()
    report = hedgecheck.check(PROSE, rules=rules, budget=budget)
    assert time.monotonic() - started < 60  # without the budget: minutes
    (error,) = report.errors
    assert "house.toml" in error and "rule 'HSE001'" in error and "for this file" in error
    # Switched off, the walk started again without it: the cues are those of the other
    # rule, wherever in the text the budget ran out.
    assert _cues(report) == _cues(hedgecheck.check(PROSE, rules=quick))
    assert {rule for rule, _, _ in _cues(report)} == {"HSE002"}


@pytest.mark.slow
def test_with_the_default_packs_the_other_rules_find_what_they_find_alone(
    slow_rules: hedgecheck.RuleSet,
) -> None:
    report = hedgecheck.check(PROSE, rules=slow_rules, budget=ScanBudget(RuleBudget(file=0.3)))
    assert "rule 'HSE001'" in report.errors[0]
    assert _cues(report) == _cues(hedgecheck.check(PROSE, rules=load_rules()))


def test_find_returns_what_its_call_switched_off_with_the_cues(
    slow_rules: hedgecheck.RuleSet,
) -> None:
    # The problems come back from the call that met them, not from the shared rule set: a
    # second call with the same budget finds the rule already off and says nothing, and a
    # call with a fresh budget meets it again.
    budget = ScanBudget(RuleBudget(file=0.3))
    found = slow_rules.find(PROSE, budget=budget)
    (problem,) = found.problems
    assert "rule 'HSE001'" in problem and "for this file" in problem
    assert "HSE001" not in {m.rule.id for m in (*found.cues, *found.notes)}
    again = slow_rules.find(PROSE, budget=budget)
    assert again.problems == () and again.cues == found.cues
    assert slow_rules.find(PROSE, budget=ScanBudget(RuleBudget(file=0.3))).problems


@pytest.mark.slow
def test_a_rule_off_for_a_file_is_back_for_the_next_until_the_run_budget_is_spent(
    slow_rules: hedgecheck.RuleSet,
) -> None:
    budget = ScanBudget(RuleBudget(file=0.2, run=0.5))
    said = []
    for _ in range(10):
        said.append(hedgecheck.check(PROSE, rules=slow_rules, budget=budget).errors)
        if "for the run" in said[-1][0]:
            break
    # How many files the run's budget lasts depends on the machine's load: each file but
    # the last spent the file's budget, the last the run's.
    assert all(len(errors) == 1 and "for this file" in errors[0] for errors in said[:-1])
    assert "rest of this run" in said[-1][0]
    started = time.monotonic()
    assert hedgecheck.check(PROSE, rules=slow_rules, budget=budget).errors == ()  # said once
    assert time.monotonic() - started < 10
    assert budget.off == {"HSE001"}


@pytest.mark.slow
@pytest.mark.parametrize("text", ["Tea may help. ab\x01 c", "ab\x02 may", "It may.\nab\x01"])
def test_a_rule_switched_off_leaves_its_house_tier_and_the_shared_matcher_whole(
    slow_rules: hedgecheck.RuleSet, text: str
) -> None:
    # With the default packs the house rule is in a tier of its own (it wins overlaps); a
    # budget switches it off in that tier, and the shipped tier goes on as it was. The
    # slow rule opens anywhere: its tier's scans come from the rule cache, and must not
    # find it once it is off.
    matcher = slow_rules.matchers[0]
    house, shipped = matcher.tiers()
    assert {r.id for r in house.rules()} == {"HSE001"} and house.untrusted_ids() == {"HSE001"}
    assert shipped.untrusted_ids() == {"HSE001"} and "HSE001" in shipped.rule_ids()
    derived = matcher.without({"HSE001"})
    assert len(derived.tiers()) == 2 and derived.tiers()[0] is not house
    assert "HSE001" not in derived.rule_ids() and derived.untrusted_ids() == frozenset()
    before = [(m.rule.id, m.start, m.end) for m in matcher.find(text)]
    after = [(m.rule.id, m.start, m.end) for m in derived.find(text)]
    alone = [(m.rule.id, m.start, m.end) for m in load_rules().matchers[0].find(text)]
    assert "HSE001" in {rule for rule, _, _ in before}
    assert after == alone and "may" in {text[s:e] for _, s, e in after}
    assert [(m.rule.id, m.start, m.end) for m in matcher.find(text)] == before  # unchanged
    assert matcher.without({"NOT-A-RULE"}) is matcher


def test_the_scan_budget_switches_every_untrusted_rule_off(tmp_path: Path) -> None:
    pack = _pack(tmp_path / "house.toml", ("HSE001", SLOW[0]), ("HSE002", SLOW[1]))
    rules = load_rules(pack)
    budget = ScanBudget(RuleBudget(file=100, run=100, scan=0.4))
    report = hedgecheck.check(PROSE, rules=rules, budget=budget)
    (error,) = report.errors
    assert "scan's budget of 0.4 s" in error and "they are all off" in error
    assert budget.off == frozenset()  # no one rule spent its own budget
    started = time.monotonic()
    assert hedgecheck.check(PROSE, rules=rules, budget=budget).errors == ()
    assert time.monotonic() - started < 10


def test_the_shared_rule_set_keeps_the_rule_a_budget_switched_off(tmp_path: Path) -> None:
    # The rule matches a short text at once; in long prose it is slow and runs out of budget.
    pattern = r"zq(?:.|\n)*(?:.|\n)*[\x01\x02]"
    rules = load_rules(_pack(tmp_path / "house.toml", ("HSE001", pattern)))
    short = "Tea zqab\x01 here."
    slow_text = ("zq " * 300 + "\n") * 3
    budget = ScanBudget(RuleBudget(file=0.2))
    assert hedgecheck.check(slow_text, rules=rules, budget=budget).errors
    assert "HSE001" in budget.off
    found = hedgecheck.check(short, rules=rules, budget=budget)  # a new file: back on
    assert {rule for rule, _, _ in _cues(found)} == {"HSE001"}
    fresh = hedgecheck.check(slow_text[:100] + short, rules=rules)  # another scan's budget
    assert fresh.errors == () and {rule for rule, _, _ in _cues(fresh)} == {"HSE001"}


def test_a_quick_house_rule_keeps_its_budget_over_a_long_text(tmp_path: Path) -> None:
    rules = load_rules(_pack(tmp_path / "house.toml", ("HSE001", r"\w+-induced|ketamine|may")))
    text = KETAMINE.read_text(encoding="utf-8") * 20
    budget = ScanBudget(RuleBudget(file=2))
    report = hedgecheck.check(text, rules=rules, budget=budget)
    assert report.errors == () and budget.off == frozenset()
    assert "HSE001" in {rule for rule, _, _ in _cues(report)}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("file", 0),
        ("run", -1),
        ("scan", math.inf),
        ("file", math.nan),
        ("run", True),
        ("scan", "9"),
        ("file", 2e6),
    ],
)
def test_a_budget_must_be_a_finite_number_of_seconds_above_zero(key: str, value: object) -> None:
    with pytest.raises(UsageError, match=f"RuleBudget\\(\\): {key}"):
        RuleBudget(**{key: value})  # type: ignore[arg-type]


def test_check_refuses_a_budget_of_the_wrong_type() -> None:
    with pytest.raises(UsageError, match=r"check\(\): budget must be ScanBudget or None"):
        hedgecheck.check("Tea may help.", budget=RuleBudget())  # type: ignore[arg-type]


def _scan(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_the_cli_names_the_rule_over_budget_and_exits_2_for_each_file(
    tmp_path: Path, slow_pack: Path
) -> None:
    pack = slow_pack
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt"):
        (docs / name).write_text(PROSE)
    code, out, err = _scan(
        "--rules", str(pack), "--rule-budget", "file=0.2", "--format", "json", str(docs)
    )
    assert code == 2
    assert err.count("rule 'HSE001': spent its budget of 0.2 s") == 2
    assert [len(f["claims"]) > 0 for f in json.loads(out)["files"]] == [True, True]


@pytest.mark.slow
def test_the_config_sets_the_budget_and_the_cli_overrides_it(
    tmp_path: Path, slow_pack: Path
) -> None:
    pack = slow_pack
    (tmp_path / "doc.txt").write_text(PROSE)
    (tmp_path / ".hedgecheck.toml").write_text("[rule-budget]\nfile = 0.2\nrun = 100\n")
    code, _, err = _scan("--rules", str(pack), "--format", "json", str(tmp_path))
    assert code == 2 and "spent its budget of 0.2 s" in err
    code, _, err = _scan("--rules", str(pack), "--rule-budget", "file=0.25", str(tmp_path))
    assert code == 2 and "spent its budget of 0.25 s" in err


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("rule-budget = 5\n", "'rule-budget': expected a table of seconds"),
        ("[rule-budget]\nfiles = 5\n", "'rule-budget.files': unknown key"),
        ("[rule-budget]\nfile = 0\n", "'rule-budget.file': expected a number of seconds above 0"),
        ("[rule-budget]\nscan = inf\n", "'rule-budget.scan': expected a number of seconds above 0"),
        ("[rule-budget]\nrun = 'ten'\n", "'rule-budget.run': expected a number of seconds"),
    ],
)
def test_a_bad_budget_in_the_config_names_file_and_key(
    tmp_path: Path, config: str, message: str
) -> None:
    (tmp_path / ".hedgecheck.toml").write_text(config)
    (tmp_path / "doc.txt").write_text("Tea may help.\n")
    code, _, err = _scan(str(tmp_path))
    assert code == 2 and ".hedgecheck.toml" in err and message in err


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("file", "expected KEY=SECONDS"),
        ("speed=1", "expected KEY=SECONDS"),
        ("run=inf", "above 0"),
        ("scan=x", "x"),
    ],
)
def test_a_bad_rule_budget_option_is_a_usage_error(
    option: str, message: str, tmp_path: Path
) -> None:
    (tmp_path / "doc.txt").write_text("Tea may help.\n")
    code, _, err = _scan("--rule-budget", option, str(tmp_path))
    assert code == 2 and f"--rule-budget {option!r}" in err and message in err


def test_the_readme_config_example_sets_the_documented_defaults(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n[tool.hedgecheck]\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text(
        "[tool.hedgecheck]\n" + example.replace("house-style.toml", "x.toml")
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert config.rule_budget == RuleBudget()
    documented = readme.split("### Rule budgets", 1)[1].split("###", 1)[0]
    for key in ("file", "run", "scan"):
        assert f"| `{key}`" in documented
        assert f"| {getattr(RuleBudget(), key):g} s |" in documented
