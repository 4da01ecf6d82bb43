"""The registry of article checks: a check is a function registered with ``@check`` and a
``[[checks]]`` block that names it, from inside the package or outside it; the built-in
checks are one module each, documented in the same sections, and every one is configured by
the shipped packs."""

from __future__ import annotations

import pkgutil
import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import hedgecheck
import hedgecheck.checks
from hedgecheck.article import Article
from hedgecheck.checks import registry
from hedgecheck.checks.registry import CHECKS, CheckHit, check
from hedgecheck.errors import RuleError, UsageError
from hedgecheck.loader import default_rules, load_rules
from hedgecheck.ruletest import run_check_examples

RULES = default_rules()
SECTIONS = ("What it finds", "Why it matters", "Example", "Use instead")

# A house pack that configures a check hedgecheck does not ship: the one registered below.
HOUSE_PACK = """[pack]
name = "house"

[[checks]]
id = "HSE101"
name = "headline-exclamation"
severity = "info"
summary = "A headline that ends with an exclamation mark."
why = "An exclamation mark sells a result instead of reporting it."
source = "house style guide"
message = "The headline ends with {mark}"
suggestion = "End the headline without the exclamation mark."
examples.raise = [
  "Walking keeps the heart young!\\n\\nIn a study of 900 adults, walkers lived longer.",
]
examples.pass = [
  "Walking keeps the heart young\\n\\nIn a study of 900 adults, walkers lived longer.",
]
"""
EXCLAIMING = "Walking keeps the heart young!\n\nIn a study of 900 adults, walkers lived longer."


def headline_exclamation(article: Article) -> Iterator[CheckHit]:
    """A check from outside the package: the headline's claim, when it ends with "!"."""
    headline = article.headline
    if headline is not None and headline.text.rstrip().endswith("!"):
        yield CheckHit(
            headline.start,
            headline.end,
            headline.line,
            headline.column,
            headline.text,
            {"mark": "“!”"},
        )


@pytest.fixture
def registered() -> Iterator[None]:
    """``headline_exclamation`` registered for one test, as a plug-in module would do it."""
    check("headline-exclamation")(headline_exclamation)
    try:
        yield
    finally:
        registry._registered.pop("headline-exclamation", None)


@pytest.fixture
def house_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "house.toml"
    pack.write_text(HOUSE_PACK, encoding="utf-8")
    return pack


def test_a_check_registered_from_outside_runs_from_its_pack(
    registered: None, house_pack: Path
) -> None:
    rules = load_rules(house_pack, include_defaults=True)
    findings = hedgecheck.check(EXCLAIMING, rules=rules).findings
    found = [f for f in findings if f.code == "HSE101"]
    assert [(f.name, f.text, f.line) for f in found] == [
        ("headline-exclamation", "Walking keeps the heart young!", 1)
    ]
    assert found[0].message == "The headline ends with “!”"
    assert found[0].suggestion == "End the headline without the exclamation mark."
    house = [c for c in rules.checks if c.pack == "house"]
    assert all(result.ok for result in run_check_examples(rules, only=house))


def test_a_check_block_naming_no_registered_check_is_refused(house_pack: Path) -> None:
    with pytest.raises(RuleError) as refused:
        load_rules(house_pack)
    error = refused.value
    assert (Path(error.path).name, error.rule, error.key) == ("house.toml", "HSE101", "name")
    assert "house.toml, rule 'HSE101', key 'name': no such check (known: " in str(error)
    assert "headline-exclamation" not in str(error).split("known:")[1]


def test_a_rule_set_naming_a_check_no_longer_registered_is_refused_when_it_runs(
    registered: None, house_pack: Path
) -> None:
    # As a rule set from the rule cache may be: validated in a process that had the check.
    rules = load_rules(house_pack, include_defaults=True)
    registry._registered.pop("headline-exclamation")
    with pytest.raises(RuleError, match=r"rule 'HSE101', key 'name': no such check"):
        hedgecheck.check(EXCLAIMING, rules=rules)


def test_a_name_belongs_to_one_function_and_is_written_as_packs_write_names() -> None:
    with pytest.raises(UsageError, match=r"already registered by hedgecheck\.checks\."):
        check("question-headline")(headline_exclamation)
    for name in ("Question Headline", "question_headline", "", "-x"):
        with pytest.raises(UsageError, match="lower-case words joined by hyphens"):
            check(name)
    # registering the same function again changes nothing
    function = CHECKS["question-headline"]
    assert check("question-headline")(function) is function


def test_every_built_in_check_is_configured_by_the_shipped_packs() -> None:
    assert {c.name for c in RULES.checks} == set(CHECKS)


def _check_modules() -> list[str]:
    return [
        m.name
        for m in pkgutil.iter_modules(hedgecheck.checks.__path__)
        if not m.name.startswith("_") and m.name != "registry"
    ]


def test_each_check_module_registers_one_check_named_as_the_module() -> None:
    modules = {f"hedgecheck.checks.{name}" for name in _check_modules()}
    assert {function.__module__ for function in CHECKS.values()} == modules
    for name, function in CHECKS.items():
        assert function.__module__.rsplit(".", 1)[1] == name.replace("-", "_")


def _section(doc: str, title: str) -> str:
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
    assert found, title
    return textwrap.dedent(found.group(1)).strip("\n")


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_each_check_is_documented_and_its_example_raises_it(name: str) -> None:
    module = sys.modules[CHECKS[name].__module__]
    doc = module.__doc__ or ""
    assert doc.startswith(f"{name}: ")
    assert [h for h in re.findall(r"^## (.+)$", doc, re.M)] == list(SECTIONS)

    def raised(title: str) -> bool:
        findings = hedgecheck.check(_section(doc, title), rules=RULES).findings
        return any(f.name == name for f in findings)

    assert raised("Example")
    assert not raised("Use instead")
