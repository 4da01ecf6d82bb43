"""Load and validate rule packs (TOML), and compile them into one matcher.

A pack is a TOML file with a ``[pack]`` table and ``[[rules]]``; ``scoring.toml`` holds the
``[scoring]`` parameters instead. Everything is checked before any text is read: unknown keys,
bad patterns, duplicate ids and dangling references raise :class:`RuleError` naming file,
rule and key.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from hedgecheck.errors import RuleError

# Each category: the score axis it feeds, the values its rules may carry, and its defaults.
CATEGORIES: dict[str, dict[str, Any]] = {
    "hedge": {
        "axis": "certainty",
        "kinds": {
            "modal",
            "epistemic-verb",
            "epistemic-adverb",
            "epistemic-adjective",
            "epistemic-noun",
            "doxastic",
            "investigation",
            "condition",
            "knowledge-gap",
            "attribution",
            "compound",
            "absence-of-evidence",
            "approximator",
        },
        "direction": "both",
        "max_scope": 12,
        "claim": True,
    },
    "booster": {
        "axis": "certainty",
        "kinds": {"evidential", "adverb", "adjective", "absolute", "attribution", "modal"},
        "direction": "both",
        "max_scope": 12,
        "claim": True,
    },
    "hype": {
        "axis": "certainty",
        "kinds": {"superlative", "cure", "novelty", "advice"},
        "direction": "sentence",
        "max_scope": 0,
        "claim": False,
    },
    "negation": {
        "axis": "polarity",
        "kinds": {"particle", "verb", "determiner"},
        "direction": "forward",
        "max_scope": 6,
        "claim": False,
    },
    "relation": {
        "axis": "strength",
        "kinds": {"association", "comparison"},
        "values": {"correlational", "causal", "none"},
        "direction": "sentence",
        "max_scope": 0,
        "claim": True,
    },
    "design": {
        "axis": "evidence",
        "values": {
            "anecdote",
            "case_report",
            "in_vitro",
            "animal",
            "modelling",
            "pilot",
            "cross_sectional",
            "observational",
            "cohort",
            "case_control",
            "clinical_trial",
            "rct",
            "narrative_review",
            "systematic_review",
            "meta_analysis",
            "regulatory",
            "guideline",
        },
        "direction": "sentence",
        "max_scope": 0,
        "claim": False,
    },
    "subject": {
        "axis": "evidence",
        "values": {"people", "animals", "cells"},
        "direction": "sentence",
        "max_scope": 0,
        "claim": False,
    },
    "sample": {
        "axis": "evidence",
        "values": {"small", "large", "stated"},
        "direction": "sentence",
        "max_scope": 0,
        "claim": False,
    },
    "publication": {
        "axis": "evidence",
        "values": {"peer_reviewed", "not_peer_reviewed", "preprint", "conference", "unpublished"},
        "direction": "sentence",
        "max_scope": 0,
        "claim": False,
    },
    "limitation": {
        "axis": "evidence",
        "kinds": {
            "data",
            "knowledge-gap",
            "dose",
            "follow-up",
            "novelty",
            "control",
            "self-report",
            "surrogate",
            "caveat",
        },
        "direction": "sentence",
        "max_scope": 0,
        "claim": False,
    },
    "study": {
        "axis": "role",
        "values": {"primary", "background"},
        "direction": "sentence",
        "max_scope": 0,
        "claim": False,
    },
    "terminator": {"axis": "scope", "direction": "sentence", "max_scope": 0, "claim": False},
    "pseudo": {"axis": "scope", "direction": "sentence", "max_scope": 0, "claim": False},
    "clutter": {"axis": "role", "direction": "sentence", "max_scope": 0, "claim": False},
}

DIRECTIONS = {"forward", "backward", "both", "sentence"}
SCOPES = {"sentence", "document"}
LABELS = ("speculative", "preliminary", "supported", "established")
_ID = regex.compile(r"^[A-Z]{2,5}[0-9]{3}$")
_NAME = regex.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPAN_MARK = regex.compile(r"\[\[(.+?)\]\]")

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
    "summary",
    "why",
    "source",
    "examples",
}
_REQUIRED = ("id", "name", "category", "patterns", "summary", "why", "source", "examples")
_PACK_KEYS = {"name", "description", "version"}


@dataclass(frozen=True, slots=True)
class Example:
    """An example sentence; ``spans`` are the offsets the rule must match (empty for no_match)."""

    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """One cue rule, exactly as its pack states it, with defaults from its category."""

    id: str
    name: str
    category: str
    patterns: tuple[str, ...]
    summary: str
    why: str
    source: str
    pack: str
    file: str = ""
    kind: str | None = None
    value: str | None = None
    case_sensitive: bool = False
    direction: str = "sentence"
    max_scope: int = 0
    scope: str = "sentence"
    weight: float = 0.0
    cap: str | None = None
    floor: str | None = None
    conditional: bool = False
    claim: bool = False
    swallows: tuple[str, ...] = ()
    match_examples: tuple[Example, ...] = ()
    no_match_examples: tuple[Example, ...] = ()

    @property
    def axis(self) -> str:
        return CATEGORIES[self.category]["axis"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "kind": self.kind,
            "value": self.value,
            "patterns": list(self.patterns),
            "direction": self.direction,
            "max_scope": self.max_scope,
            "scope": self.scope,
            "weight": self.weight,
            "cap": self.cap,
            "floor": self.floor,
            "summary": self.summary,
            "why": self.why,
            "source": self.source,
            "pack": self.pack,
        }


@dataclass(frozen=True, slots=True)
class Scoring:
    """Parameters that turn cue weights into certainty, confidence and a label."""

    certainty_bias: float = 1.0
    confidence_bias: float = 0.0
    certainty_factor: float = 0.5
    repeat_decay: float = 0.5
    thresholds: tuple[float, float, float] = (-1.0, 0.5, 2.0)
    source: str = "built-in defaults"

    def label_rank(self, logit: float) -> int:
        """0..3: how many thresholds the confidence logit reaches."""
        return sum(1 for t in self.thresholds if logit >= t)


_SCORING_KEYS = {f.name for f in fields(Scoring)}


@dataclass(frozen=True, slots=True)
class CueMatch:
    """A raw match of one rule in the text, before scopes are resolved."""

    rule: Rule
    start: int
    end: int
    text: str


class Matcher:
    """All rule patterns compiled into one POSIX leftmost-longest alternation.

    One overlapped scan finds, at every position, the longest cue starting there; overlaps
    between positions are then resolved longest-first, so a pseudo-cue ("in May", "could
    not") swallows the shorter cue inside it.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._by_group: dict[str, Rule] = {}
        buckets: dict[str, list[str]] = {}
        anywhere: list[str] = []
        for rule in rules:
            for pattern in rule.patterns:
                group = f"g{len(self._by_group)}"
                self._by_group[group] = rule
                body = _body(pattern, rule.case_sensitive)
                branch = f"(?P<{group}>{body})(?!\\w)"
                firsts = _first_characters(body)
                if firsts is None:
                    anywhere.append(branch)
                for first in firsts or ():
                    buckets.setdefault(first, []).append(branch)
        # Branches are grouped by the characters they can start with, and the shared
        # word-start test stands outside the alternation: at each position only the few
        # branches that can start there are tried.
        parts = [
            f"(?=[{regex.escape(first)}{regex.escape(first.upper())}])(?:{'|'.join(group)})"
            for first, group in sorted(buckets.items())
        ]
        parts.extend(anywhere)
        start = r"(?:(?<!\w)|(?=[^\w\s]))"  # a word start, or punctuation such as ";"
        body = "(?p)" + start + "(?:" + "|".join(parts) + ")" if parts else "(?!)"
        self._pattern = regex.compile(body)

    def find(self, text: str, *, include_pseudo: bool = False) -> list[CueMatch]:
        """Cues in ``text``; pseudo-cues swallow what they overlap and are dropped unless
        ``include_pseudo`` (for rule tests and explanations)."""
        raw = [
            CueMatch(self._by_group[m.lastgroup], m.start(), m.end(), m.group())
            for m in self._pattern.finditer(text, overlapped=True)
            if m.end() > m.start()
        ]
        return _resolve_overlaps(raw, include_pseudo)


_FIRST_CHARACTERS = string.ascii_lowercase + string.digits + string.punctuation + "“”‘’–—•"


def _first_characters(body: str) -> set[str] | None:
    """Lower-case characters a match of ``body`` can begin with, or None when that cannot
    be told cheaply (a lookbehind first, or a start that accepts almost anything)."""
    body = _without_leading_lookbehind(body)
    if "(?<" in body:
        return None  # a lookbehind inside may let a branch start anywhere
    compiled = regex.compile(body)
    firsts = {
        ch
        for ch in _FIRST_CHARACTERS
        if compiled.fullmatch(ch, partial=True) or compiled.fullmatch(ch.upper(), partial=True)
    }
    if not firsts or len(firsts) > 12 or compiled.fullmatch("é", partial=True):
        return None
    return firsts


def _without_leading_lookbehind(body: str) -> str:
    """``(?i:(?<=is )risk)`` -> ``(?i:risk)``: a leading lookbehind consumes nothing, so the
    match still starts with what follows it."""
    prefix = body[: body.index(":") + 1] if body.startswith("(?") else ""
    rest = body[len(prefix) :]
    while rest.startswith(("(?<=", "(?<!")):
        depth = 0
        for index, ch in enumerate(rest):
            if ch == "\\":
                continue
            if ch == "(" and (index == 0 or rest[index - 1] != "\\"):
                depth += 1
            elif ch == ")" and rest[index - 1] != "\\":
                depth -= 1
                if depth == 0:
                    rest = rest[index + 1 :]
                    break
        else:
            return body
    return prefix + rest


def _body(pattern: str, case_sensitive: bool) -> str:
    return f"(?:{pattern})" if case_sensitive else f"(?i:{pattern})"


def _wrap(pattern: str, case_sensitive: bool) -> str:
    return rf"(?:(?<!\w)|(?=[^\w\s])){_body(pattern, case_sensitive)}(?!\w)"


def _resolve_overlaps(matches: list[CueMatch], include_pseudo: bool) -> list[CueMatch]:
    """Longest cue wins among overlapping cues; then each pseudo-cue swallows the cues it
    overlaps (all of them, or those its ``swallows`` names) that are no longer than itself."""
    cues = _longest_first([m for m in matches if m.rule.category != "pseudo"])
    pseudo = _longest_first([m for m in matches if m.rule.category == "pseudo"])
    result = [m for m in cues if not any(_swallows(p, m) for p in pseudo)]
    if include_pseudo:
        result.extend(pseudo)
    return sorted(result, key=lambda m: (m.start, m.end))


def _longest_first(matches: list[CueMatch]) -> list[CueMatch]:
    kept: list[CueMatch] = []
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if not any(match.start < k.end and k.start < match.end for k in kept):
            kept.append(match)
    return kept


def _swallows(pseudo: CueMatch, match: CueMatch) -> bool:
    overlaps = pseudo.start < match.end and match.start < pseudo.end
    if not overlaps or match.end - match.start > pseudo.end - pseudo.start:
        return False
    names = pseudo.rule.swallows
    return not names or match.rule.id in names or match.rule.category in names


@dataclass(frozen=True)
class RuleSet:
    """Validated rules from one or more packs, compiled once into a matcher."""

    rules: tuple[Rule, ...]
    scoring: Scoring = field(default_factory=Scoring)
    packs: tuple[str, ...] = ()
    matcher: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "matcher", Matcher(self.rules))

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


def default_rules_path() -> Path:
    """Folder of the default packs inside the installed package."""
    return Path(str(resources.files("hedgecheck.packs")))


_DEFAULT: RuleSet | None = None


def default_rules() -> RuleSet:
    """The default packs, loaded and compiled once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_rules()
    return _DEFAULT


def load_rules(*paths: str | Path, include_defaults: bool = False) -> RuleSet:
    """Load packs from files or folders (``*.toml``); no paths means the default packs."""
    targets = [Path(p) for p in paths]
    if not targets or include_defaults:
        targets.insert(0, default_rules_path())
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(target.glob("*.toml")))
        elif target.is_file():
            files.append(target)
        else:
            raise RuleError("no such rule pack file or folder", path=str(target))
    rules: list[Rule] = []
    scoring = Scoring()
    packs: list[str] = []
    for path in files:
        data = _read_toml(path)
        if "scoring" in data:
            scoring = _parse_scoring(data, path)
            continue
        name, pack_rules = _parse_pack(data, path)
        packs.append(name)
        rules.extend(pack_rules)
    _check_ids(rules)
    return RuleSet(rules=tuple(rules), scoring=scoring, packs=tuple(packs))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"not valid TOML: {exc}", path=str(path)) from exc
    except OSError as exc:
        raise RuleError(f"cannot read: {exc.strerror}", path=str(path)) from exc


def _parse_scoring(data: Mapping[str, Any], path: Path) -> Scoring:
    extra = set(data) - {"scoring"}
    if extra:
        raise RuleError("a scoring file holds only [scoring]", path=str(path), key=min(extra))
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
    return Scoring(**values)


def _parse_pack(data: Mapping[str, Any], path: Path) -> tuple[str, list[Rule]]:
    extra = set(data) - {"pack", "rules"}
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
    return pack["name"], [_parse_rule(entry, path, pack["name"]) for entry in entries]


def _parse_rule(entry: Any, path: Path, pack: str) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError("each [[rules]] entry must be a table", path=str(path))
    rid = entry.get("id", "")
    rid_text = rid if isinstance(rid, str) else ""

    def fail(message: str, key: str) -> RuleError:
        return RuleError(message, path=str(path), rule=rid_text, key=key)

    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise fail(f"unknown key (allowed: {', '.join(sorted(_RULE_KEYS))})", min(unknown))
    for key in _REQUIRED:
        if key not in entry:
            raise fail("required key is missing", key)
    if not _ID.match(_expect(rid, str, path, rid_text, "id")):
        raise fail("id must be 2-5 capital letters and 3 digits, e.g. HDG001", "id")
    name = _expect(entry["name"], str, path, rid_text, "name")
    if not _NAME.match(name):
        raise fail("name must be kebab-case", "name")
    category = _expect(entry["category"], str, path, rid_text, "category")
    if category not in CATEGORIES:
        raise fail(f"unknown category (allowed: {', '.join(sorted(CATEGORIES))})", "category")
    spec = CATEGORIES[category]
    kind = _optional_choice(entry, "kind", spec.get("kinds"), fail)
    value = _optional_choice(entry, "value", spec.get("values"), fail)
    if "values" in spec and value is None:
        raise fail(f"category {category!r} needs a value", "value")
    patterns = _patterns(entry["patterns"], bool(entry.get("case_sensitive", False)), fail)
    direction = entry.get("direction", spec["direction"])
    if direction not in DIRECTIONS:
        raise fail(f"expected one of {', '.join(sorted(DIRECTIONS))}", "direction")
    scope = entry.get("scope", "sentence")
    if scope not in SCOPES:
        raise fail("expected 'sentence' or 'document'", "scope")
    cap, floor = entry.get("cap"), entry.get("floor")
    for key, bound in (("cap", cap), ("floor", floor)):
        if bound is not None and bound not in LABELS:
            raise fail(f"expected one of {', '.join(LABELS)}", key)
    rule = Rule(
        id=rid,
        name=name,
        category=category,
        patterns=patterns,
        summary=_text(entry, "summary", fail),
        why=_text(entry, "why", fail),
        source=_text(entry, "source", fail),
        pack=pack,
        file=str(path),
        kind=kind,
        value=value,
        case_sensitive=_flag(entry, "case_sensitive", False, fail),
        direction=direction,
        max_scope=_max_scope(entry, spec, fail),
        scope=scope,
        weight=_weight(entry, fail),
        cap=cap,
        floor=floor,
        conditional=_flag(entry, "conditional", False, fail),
        claim=_flag(entry, "claim", spec["claim"], fail),
        swallows=_swallows_list(entry, category, fail),
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


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(entry: Mapping[str, Any], key: str, fail: Any) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise fail("expected a non-empty string", key)
    return value.strip()


def _flag(entry: Mapping[str, Any], key: str, default: bool, fail: Any) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise fail("expected true or false", key)
    return value


def _weight(entry: Mapping[str, Any], fail: Any) -> float:
    value = entry.get("weight", 0.0)
    if not _is_number(value) or not -10 <= value <= 10:
        raise fail("expected a number between -10 and 10", "weight")
    return float(value)


def _max_scope(entry: Mapping[str, Any], spec: Mapping[str, Any], fail: Any) -> int:
    value = entry.get("max_scope", spec["max_scope"])
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise fail("expected a whole number of tokens from 0 to 100", "max_scope")
    return value


def _optional_choice(
    entry: Mapping[str, Any], key: str, allowed: set[str] | None, fail: Any
) -> str | None:
    if key not in entry:
        return None
    value = entry[key]
    if allowed is None:
        raise fail(f"this category takes no {key}", key)
    if value not in allowed:
        raise fail(f"expected one of {', '.join(sorted(allowed))}", key)
    return value


def _patterns(raw: Any, case_sensitive: bool, fail: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p for p in raw):
        raise fail("expected a non-empty list of regex patterns", "patterns")
    for index, pattern in enumerate(raw):
        try:
            compiled = regex.compile(_wrap(pattern, case_sensitive))
        except regex.error as exc:
            raise fail(f"bad pattern {pattern!r}: {exc}", f"patterns[{index}]") from exc
        if compiled.groupindex:
            raise fail("named groups are reserved for the matcher", f"patterns[{index}]")
        if compiled.match(""):
            raise fail("pattern matches the empty string", f"patterns[{index}]")
    return tuple(raw)


def _swallows_list(entry: Mapping[str, Any], category: str, fail: Any) -> tuple[str, ...]:
    if "swallows" not in entry:
        return ()
    if category != "pseudo":
        raise fail("only pseudo rules swallow other cues", "swallows")
    value = entry["swallows"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail("expected a list of rule ids or categories", "swallows")
    return tuple(value)


def _examples(raw: Any, fail: Any) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    if not isinstance(raw, dict):
        raise fail("expected a table with match and no_match lists", "examples")
    unknown = set(raw) - {"match", "no_match"}
    if unknown:
        raise fail("unknown key", f"examples.{min(unknown)}")
    parsed = {}
    for key in ("match", "no_match"):
        items = raw.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise fail("expected a non-empty list of strings", f"examples.{key}")
        parsed[key] = tuple(_parse_example(item, key, fail) for item in items)
    return parsed["match"], parsed["no_match"]


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


def _check_ids(rules: list[Rule]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(
                f"duplicate id (also in {seen[rule.id]})", path=rule.file, rule=rule.id, key="id"
            )
        seen[rule.id] = rule.file
    known = set(seen) | set(CATEGORIES)
    for rule in rules:
        for ref in rule.swallows:
            if ref not in known:
                raise RuleError(
                    f"swallows {ref!r}, which is no rule id or category",
                    path=rule.file,
                    rule=rule.id,
                    key="swallows",
                )
