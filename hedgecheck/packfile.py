"""One pack file's TOML, validated into records: a pack's ``[pack]`` table, its
``[[rules]]`` and ``[[checks]]`` (and ``[fragments]``, named sub-patterns its rules use as
``{{name}}``), or a scoring file's ``[scoring]``, ``[grades]`` and ``[article]`` tables.

Everything is checked before any text is read: unknown keys, bad patterns and values of the
wrong kind raise :class:`~hedgecheck.errors.RuleError` naming file, rule and key. What
needs every pack at once (duplicate ids, dangling references) is checked by
:mod:`hedgecheck.loader`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import fields
from pathlib import Path
from typing import Any

import regex

from hedgecheck.errors import RuleError
from hedgecheck.patterns import compiled
from hedgecheck.patternsafety import checked_patterns
from hedgecheck.rewrites import parse_rewrites
from hedgecheck.schema import (
    ARTICLE_FEATURES,
    ARTICLE_MODELS,
    CATEGORIES,
    DIRECTIONS,
    GRADED_CATEGORIES,
    LABELS,
    SCOPES,
    SEVERITIES,
    ArticleModel,
    Category,
    CategorySpec,
    Check,
    Example,
    Rule,
    Scoring,
)

# Ids and names are checked with fullmatch: "$" also matches before a final newline, and
# "HYP001\n" passed as a new rule beside HYP001.
ID_FORMAT = compiled(r"[A-Z]{2,5}[0-9]{3}")
_NAME = compiled(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SPAN_MARK = compiled(r"\[\[(.+?)\]\]")

_RULE_KEYS = {
    "id",
    "name",
    "category",
    "kind",
    "value",
    "patterns",
    "case_sensitive",
    "direction",
    "max_scope",
    "scope",
    "weight",
    "cap",
    "floor",
    "conditional",
    "claim",
    "swallows",
    "relation",
    "severity",
    "suggestion",
    "rewrites",
    "summary",
    "why",
    "source",
    "examples",
}
_REQUIRED = ("id", "name", "category", "patterns", "summary", "why", "source", "examples")
_PACK_KEYS = {"name", "description", "version"}
_SCORING_KEYS = {f.name for f in fields(Scoring)} - {
    "article",
    "article_source",
    "grades",
    "grades_source",
}
_CHECK_KEYS = {
    "id",
    "name",
    "severity",
    "summary",
    "why",
    "source",
    "message",
    "suggestion",
    "examples",
}
_CHECK_REQUIRED = ("id", "name", "severity", "summary", "why", "source", "message", "examples")


def parse_scoring(data: Mapping[str, Any], path: Path) -> Scoring:
    extra = set(data) - {"scoring", "article", "grades"}
    if extra:
        raise RuleError(
            "a scoring file holds only [scoring], [grades] and [article]",
            path=str(path),
            key=min(extra),
        )
    table = data["scoring"]
    unknown = set(table) - _SCORING_KEYS
    if unknown:
        raise RuleError("unknown key", path=str(path), key=f"scoring.{min(unknown)}")
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key == "source":
            values[key] = _expect(raw, str, path, "", "scoring.source")
        elif key == "thresholds":
            if not (
                isinstance(raw, list)
                and len(raw) == 3
                and all(_is_number(v) for v in raw)
                and raw == sorted(raw)
            ):
                raise RuleError(
                    "expected three ascending numbers", path=str(path), key="scoring.thresholds"
                )
            values[key] = tuple(float(v) for v in raw)
        else:
            if not _is_number(raw):
                raise RuleError("expected a number", path=str(path), key=f"scoring.{key}")
            values[key] = float(raw)
    if "article" in data:
        values["article"], values["article_source"] = _parse_article(data["article"], path)
    if "grades" in data:
        values["grades"], values["grades_source"] = _parse_grades(data["grades"], path)
    return Scoring(**values)


def _parse_grades(table: Any, path: Path) -> tuple[tuple[tuple[str, str, str], ...], str]:
    """``[grades]``: a ``source`` string and one sub-table per graded category, each value
    of the category keyed to the highest label that evidence can support
    (``[grades.design]`` ``rct = "supported"``). Keyed by category and value, not by rule,
    so that a house pack's design or publication rule takes part by its value alone."""
    if not isinstance(table, dict):
        raise RuleError("expected a table", path=str(path), key="grades")
    if "source" not in table:
        raise RuleError("missing key", path=str(path), key="grades.source")
    source = _expect(table["source"], str, path, "", "grades.source")
    grades: list[tuple[str, str, str]] = []
    for category, entry in table.items():
        if category == "source":
            continue
        where = f"grades.{category}"
        if category not in GRADED_CATEGORIES:
            graded = ", ".join(sorted(GRADED_CATEGORIES))
            raise RuleError(
                f"not a category that states evidence (one of {graded})", path=str(path), key=where
            )
        if not isinstance(entry, dict):
            raise RuleError("expected a table", path=str(path), key=where)
        for value, label in entry.items():
            if value not in CATEGORIES[category].values:  # type: ignore[operator]
                raise RuleError(
                    f"not a value of category {category!r}", path=str(path), key=f"{where}.{value}"
                )
            if label not in LABELS:
                raise RuleError(
                    f"expected a label ({', '.join(LABELS)})",
                    path=str(path),
                    key=f"{where}.{value}",
                )
            grades.append((category, value, label))
    return tuple(grades), source


def _parse_article(table: Any, path: Path) -> tuple[tuple[tuple[str, ArticleModel], ...], str]:
    """``[article]``: a ``source`` string and one sub-table per model (``story`` or a
    criterion), each a ``bias`` and weights keyed by names from ARTICLE_FEATURES."""
    if not isinstance(table, dict):
        raise RuleError("expected a table", path=str(path), key="article")
    if "source" not in table:
        raise RuleError("missing key", path=str(path), key="article.source")
    source = _expect(table["source"], str, path, "", "article.source")
    models: list[tuple[str, ArticleModel]] = []
    for name, entry in table.items():
        if name == "source":
            continue
        where = f"article.{name}"
        if name not in ARTICLE_MODELS:
            raise RuleError("unknown article model", path=str(path), key=where)
        if not isinstance(entry, dict):
            raise RuleError("expected a table", path=str(path), key=where)
        weights: list[tuple[str, float]] = []
        for feature, raw in entry.items():
            if feature != "bias" and feature not in ARTICLE_FEATURES:
                raise RuleError("unknown article feature", path=str(path), key=f"{where}.{feature}")
            if not _is_number(raw):
                raise RuleError("expected a number", path=str(path), key=f"{where}.{feature}")
            if feature != "bias":
                weights.append((feature, float(raw)))
        models.append((name, ArticleModel(float(entry.get("bias", 0.0)), tuple(weights))))
    return tuple(models), source


def parse_pack(data: Mapping[str, Any], path: Path) -> tuple[str, list[Rule], list[Check]]:
    extra = set(data) - {"pack", "fragments", "rules", "checks", "lexicon"}
    if extra:
        raise RuleError("unknown top-level key", path=str(path), key=min(extra))
    pack = data.get("pack")
    if not isinstance(pack, dict) or not isinstance(pack.get("name"), str):
        raise RuleError("missing [pack] table with a name", path=str(path), key="pack.name")
    unknown = set(pack) - _PACK_KEYS
    if unknown:
        raise RuleError("unknown key", path=str(path), key=f"pack.{min(unknown)}")
    entries = data.get("rules", [])
    if not isinstance(entries, list):
        raise RuleError("expected an array of tables [[rules]]", path=str(path), key="rules")
    checks = data.get("checks", [])
    if not isinstance(checks, list):
        raise RuleError("expected an array of tables [[checks]]", path=str(path), key="checks")
    fragments = parse_fragments(data.get("fragments", {}), path)
    return (
        pack["name"],
        [_parse_rule(entry, path, pack["name"], fragments) for entry in entries],
        [_parse_check(entry, path, pack["name"]) for entry in checks],
    )


# "{{amount}}" in a pattern stands for the pack's fragment "amount": a grammar (a risk
# statement is an amount, a direction and a measure) is written once and shared by the rules
# that need it, instead of copied into each. No regex construct uses double braces.
_FRAGMENT_REF = compiled(r"\{\{([a-z][a-z0-9_]*)\}\}")
_FRAGMENT_NAME = compiled(r"^[a-z][a-z0-9_]*$")


# How a table's errors are raised: a message and the key it is about.
Fail = Callable[[str, str], RuleError]


def opened_table(
    entry: Any,
    path: Path,
    *,
    table: str,
    keys: AbstractSet[str],
    required: Iterable[str],
    example: str,
) -> tuple[str, Fail]:
    """The checks every ``[[rules]]``, ``[[checks]]`` and ``[[lexicon]]`` table opens with:
    a table, no unknown key, every required key, an id of the house form (``example``).
    Returns the id and how to raise an error naming file, id and key."""
    if not isinstance(entry, dict):
        raise RuleError(f"each [[{table}]] entry must be a table", path=str(path))
    ident = entry.get("id") if isinstance(entry.get("id"), str) else ""

    def fail(message: str, key: str) -> RuleError:
        return RuleError(message, path=str(path), rule=ident, key=key)

    unknown = set(entry) - keys
    if unknown:
        raise fail(f"unknown key (allowed: {', '.join(sorted(keys))})", min(unknown))
    for key in required:
        if key not in entry:
            raise fail("required key is missing", key)
    if not isinstance(entry["id"], str):
        raise fail("expected str", "id")
    if not ID_FORMAT.fullmatch(ident):
        raise fail(f"id must be 2-5 capital letters and 3 digits, e.g. {example}", "id")
    return ident, fail


def parse_fragments(raw: Any, path: Path) -> dict[str, str]:
    """The pack's named sub-patterns, each with its own references expanded."""
    if not isinstance(raw, dict):
        raise RuleError("expected a table of named sub-patterns", path=str(path), key="fragments")
    expanded: dict[str, str] = {}

    def expand(name: str, trail: tuple[str, ...]) -> str:
        if name in expanded:
            return expanded[name]
        key = f"fragments.{name}"
        if name in trail:
            cycle = " -> ".join((*trail[trail.index(name) :], name))
            raise RuleError(f"fragment refers to itself ({cycle})", path=str(path), key=key)
        body = raw[name]
        if not _FRAGMENT_NAME.match(name):
            raise RuleError(
                "fragment names are lower case letters, digits and _", path=str(path), key=key
            )
        if not isinstance(body, str) or not body:
            raise RuleError("expected a non-empty regex pattern", path=str(path), key=key)

        def fail(message: str, _: str) -> RuleError:
            return RuleError(message, path=str(path), key=key)

        text = _substitute(body, raw, fail, lambda ref: expand(ref, (*trail, name)))
        try:
            regex.compile(text)
        except regex.error as exc:
            raise RuleError(f"bad pattern {body!r}: {exc}", path=str(path), key=key) from exc
        expanded[name] = text
        return text

    for name in raw:
        expand(name, ())
    return expanded


def _substitute(pattern: str, known: Mapping[str, Any], fail: Any, body: Any) -> str:
    """``pattern`` with each ``{{name}}`` replaced by its fragment, as a group of its own."""

    def replace(ref: regex.Match[str]) -> str:
        name = ref.group(1)
        if name not in known:
            defined = ", ".join(sorted(known)) or "none"
            raise fail(f"no fragment {{{{{name}}}}} in this pack (defined: {defined})", "")
        return f"(?:{body(name)})"

    return _FRAGMENT_REF.sub(replace, pattern)


def _parse_check(entry: Any, path: Path, pack: str) -> Check:
    cid, fail = opened_table(
        entry, path, table="checks", keys=_CHECK_KEYS, required=_CHECK_REQUIRED, example="EDT001"
    )
    # The registry of checks (hedgecheck.checks): imported here, as the checks read the analysis.
    from hedgecheck.checks.registry import CHECKS, no_such_check

    if not _one_of(entry["name"], CHECKS):
        raise fail(no_such_check(), "name")
    if not _one_of(entry["severity"], SEVERITIES):
        raise fail(f"expected one of {', '.join(SEVERITIES)}", "severity")
    examples = entry["examples"]
    if not isinstance(examples, dict) or set(examples) != {"raise", "pass"}:
        raise fail("expected a table with raise and pass lists", "examples")
    for key in ("raise", "pass"):
        items = examples[key]
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise fail("expected a non-empty list of texts", f"examples.{key}")
    return Check(
        id=cid,
        name=entry["name"],
        severity=entry["severity"],
        summary=text_field(entry, "summary", fail),
        why=text_field(entry, "why", fail),
        source=text_field(entry, "source", fail),
        message=text_field(entry, "message", fail),
        pack=pack,
        file=str(path),
        suggestion=text_field(entry, "suggestion", fail) if "suggestion" in entry else None,
        raise_examples=tuple(examples["raise"]),
        pass_examples=tuple(examples["pass"]),
    )


def _parse_rule(
    entry: Any, path: Path, pack: str, fragments: Mapping[str, str] | None = None
) -> Rule:
    rid_text, fail = opened_table(
        entry, path, table="rules", keys=_RULE_KEYS, required=_REQUIRED, example="HDG001"
    )
    name = _expect(entry["name"], str, path, rid_text, "name")
    if not _NAME.fullmatch(name):
        raise fail("name must be kebab-case", "name")
    category = _expect(entry["category"], str, path, rid_text, "category")
    if category not in CATEGORIES:
        raise fail(f"unknown category (allowed: {', '.join(sorted(CATEGORIES))})", "category")
    spec = CATEGORIES[category]
    kind = _optional_choice(entry, "kind", spec.kinds, fail)
    value = _optional_choice(entry, "value", spec.values, fail)
    if spec.values is not None and value is None:
        raise fail(f"category {category!r} needs a value", "value")
    raw = expand_fragments(entry["patterns"], fragments or {}, fail)
    patterns = checked_patterns(raw, bool(entry.get("case_sensitive", False)), fail)
    direction = entry.get("direction", spec.direction)
    if not _one_of(direction, DIRECTIONS):
        raise fail(f"expected one of {', '.join(sorted(DIRECTIONS))}", "direction")
    scope = entry.get("scope", "sentence")
    if not _one_of(scope, SCOPES):
        raise fail("expected 'sentence' or 'document'", "scope")
    cap, floor = entry.get("cap"), entry.get("floor")
    for key, bound in (("cap", cap), ("floor", floor)):
        if bound is not None and not _one_of(bound, LABELS):
            raise fail(f"expected one of {', '.join(LABELS)}", key)
    rule = Rule(
        id=rid_text,
        name=name,
        category=category,
        patterns=patterns,
        summary=text_field(entry, "summary", fail),
        why=text_field(entry, "why", fail),
        source=text_field(entry, "source", fail),
        pack=pack,
        file=str(path),
        kind=kind,
        value=value,
        case_sensitive=flag_field(entry, "case_sensitive", False, fail),
        direction=direction,
        max_scope=_max_scope(entry, spec, fail),
        scope=scope,
        weight=_weight(entry, fail),
        cap=cap,
        floor=floor,
        conditional=flag_field(entry, "conditional", False, fail),
        claim=flag_field(entry, "claim", spec.claim, fail),
        swallows=_swallows_list(entry, category, fail),
        relation=_relation(entry, category, fail),
        severity=(severity := _severity(entry, spec, fail)),
        suggestion=text_field(entry, "suggestion", fail) if "suggestion" in entry else None,
        rewrites=parse_rewrites(entry, severity=severity, fragments=fragments or {}, fail=fail),
    )
    match, no_match = _examples(entry["examples"], fail)
    return _with_examples(rule, match, no_match)


def _with_examples(rule: Rule, match: tuple[Example, ...], no_match: tuple[Example, ...]) -> Rule:
    values = {f.name: getattr(rule, f.name) for f in fields(Rule)}
    values.update(match_examples=match, no_match_examples=no_match)
    return Rule(**values)


def _expect(value: Any, kind: type, path: Path, rule: str, key: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise RuleError(f"expected {kind.__name__}", path=str(path), rule=rule, key=key)
    return value


def _one_of(value: Any, allowed: Iterable[str]) -> bool:
    """Whether ``value`` is one of the ``allowed`` strings: a list or table from the TOML is
    no choice (and cannot be looked up in a set)."""
    return isinstance(value, str) and value in allowed


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def text_field(entry: Mapping[str, Any], key: str, fail: Any) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise fail("expected a non-empty string", key)
    return value.strip()


def flag_field(entry: Mapping[str, Any], key: str, default: bool, fail: Any) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise fail("expected true or false", key)
    return value


def _weight(entry: Mapping[str, Any], fail: Any) -> float:
    value = entry.get("weight", 0.0)
    if not _is_number(value) or not -10 <= value <= 10:
        raise fail("expected a number between -10 and 10", "weight")
    return float(value)


def _severity(entry: Mapping[str, Any], spec: CategorySpec, fail: Any) -> str | None:
    """A rule with a severity raises a finding wherever it fires; "off" raises none."""
    value = entry.get("severity", spec.severity)
    if value is None or value == "off":
        return None
    if not _one_of(value, SEVERITIES):
        raise fail(f"expected one of {', '.join(SEVERITIES)} or off", "severity")
    return value


def _max_scope(entry: Mapping[str, Any], spec: CategorySpec, fail: Any) -> int:
    value = entry.get("max_scope", spec.max_scope)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise fail("expected a whole number of tokens from 0 to 100", "max_scope")
    return value


def _optional_choice(
    entry: Mapping[str, Any], key: str, allowed: AbstractSet[str] | None, fail: Any
) -> str | None:
    if key not in entry:
        return None
    value = entry[key]
    if allowed is None:
        raise fail(f"this category takes no {key}", key)
    if not _one_of(value, allowed):
        raise fail(f"expected one of {', '.join(sorted(allowed))}", key)
    return value


def expand_fragments(raw: Any, fragments: Mapping[str, str], fail: Any) -> Any:
    """The rule's patterns with the pack's fragments written out (what is matched and
    listed); anything not a list of strings is left for ``_patterns`` to reject."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        return raw
    expanded = []
    for index, pattern in enumerate(raw):

        def at(message: str, _: str, index: int = index) -> RuleError:
            return fail(message, f"patterns[{index}]")

        expanded.append(_substitute(pattern, fragments, at, fragments.__getitem__))
    return expanded


# The relations a hype word may state besides its hype: a relation of no kind ("none")
# names nothing for the word to state.
_STATED_RELATIONS = tuple(sorted(CATEGORIES[Category.RELATION].values - {"none"}))  # type: ignore[operator]


def _relation(entry: Mapping[str, Any], category: str, fail: Any) -> str | None:
    """``relation``: the relation a hype rule's words state as well ("cures" is causal)."""
    if "relation" not in entry:
        return None
    if category != Category.HYPE:
        raise fail("only hype rules state a relation besides their own category", "relation")
    value = entry["relation"]
    if value not in _STATED_RELATIONS:
        raise fail(f"expected one of {', '.join(_STATED_RELATIONS)}", "relation")
    return str(value)


def _swallows_list(entry: Mapping[str, Any], category: str, fail: Any) -> tuple[str, ...]:
    if "swallows" not in entry:
        return ()
    if category != Category.PSEUDO:
        raise fail("only pseudo rules swallow other cues", "swallows")
    value = entry["swallows"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail("expected a list of rule ids or categories", "swallows")
    return tuple(value)


def example_lists(raw: Any, fail: Fail) -> dict[str, list[str]]:
    """An ``examples`` table of a rule or lexicon entry, checked: its ``match`` and
    ``no_match`` lists of texts, by key."""
    if not isinstance(raw, dict):
        raise fail("expected a table with match and no_match lists", "examples")
    unknown = set(raw) - {"match", "no_match"}
    if unknown:
        raise fail("unknown key", f"examples.{min(unknown)}")
    for key in ("match", "no_match"):
        items = raw.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise fail("expected a non-empty list of strings", f"examples.{key}")
    return {key: raw[key] for key in ("match", "no_match")}


def _examples(raw: Any, fail: Any) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    lists = example_lists(raw, fail)
    match, no_match = (
        tuple(_parse_example(item, key, fail) for item in lists[key]) for key in lists
    )
    return match, no_match


def _parse_example(item: str, key: str, fail: Any) -> Example:
    spans: list[tuple[int, int]] = []
    plain: list[str] = []
    cursor = 0
    length = 0
    for mark in _SPAN_MARK.finditer(item):
        before = item[cursor : mark.start()]
        plain.append(before)
        length += len(before)
        spans.append((length, length + len(mark.group(1))))
        plain.append(mark.group(1))
        length += len(mark.group(1))
        cursor = mark.end()
    plain.append(item[cursor:])
    if key == "match" and not spans:
        raise fail(f"match example has no [[span]]: {item!r}", "examples.match")
    if key == "no_match" and spans:
        raise fail(f"no_match example must not mark a span: {item!r}", "examples.no_match")
    return Example(text="".join(plain), spans=tuple(spans))
