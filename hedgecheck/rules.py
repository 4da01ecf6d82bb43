"""Load and validate rule packs (TOML), and compile them into one matcher.

A pack is a TOML file with a ``[pack]`` table and ``[[rules]]``; ``scoring.toml`` holds the
``[scoring]`` parameters instead. Everything is checked before any text is read: unknown keys,
bad patterns, duplicate ids and dangling references raise :class:`RuleError` naming file,
rule and key.
"""

from __future__ import annotations

import string
import tomllib
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
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
        "severity": "warning",
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
        "values": {"correlational", "causal"},
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
    # Editorial cues feed the article checks and the report card, never a label. They are
    # matched by a second, small matcher so they cannot hide or split a first-pass cue.
    **{
        name: {
            "axis": "editorial",
            "direction": "sentence",
            "max_scope": 0,
            "claim": False,
            "overlay": True,
            **({"kinds": kinds} if kinds else {}),
        }
        for name, kinds in {
            "authority": {"unnamed", "named"},
            "risk": {"relative", "absolute"},
            "advice": {"personal", "professional"},
            "quantity": None,
            "cost": None,
            "harm": None,
            "alternative": None,
            "availability": None,
            "conflict": {"funding", "disclosure", "none-declared"},
            "independent": None,
            "disease-mongering": None,
        }.items()
    },
    "terminator": {"axis": "scope", "direction": "sentence", "max_scope": 0, "claim": False},
    "pseudo": {"axis": "scope", "direction": "sentence", "max_scope": 0, "claim": False},
    "clutter": {"axis": "role", "direction": "sentence", "max_scope": 0, "claim": False},
}

DIRECTIONS = {"forward", "backward", "both", "sentence"}
SCOPES = {"sentence", "document"}
LABELS = ("speculative", "preliminary", "supported", "established")
SEVERITIES = ("info", "warning", "error")
_ID = regex.compile(r"^[A-Z]{2,5}[0-9]{3}$")
_NAME = regex.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPAN_MARK = regex.compile(r"\[\[(.+?)\]\]")
# "(a+)+", "(\w+\s?)*": a group opening with an unbounded repeat, itself repeated without
# bound. The matcher's timeout catches what this cheap test misses.
_NESTED_REPEAT = regex.compile(
    r"\((?:\?:)?(?:\\[wsdWSD]|\[[^\]]+\]|\.|\w)[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\})"
)

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
    "severity",
    "suggestion",
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
    severity: str | None = None
    suggestion: str | None = None
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
            "severity": self.severity,
            "suggestion": self.suggestion,
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

# The article-level checks hedgecheck implements (hedgecheck.editorial); a pack's [[checks]]
# entry names one of them and gives it an id, a severity and its words.
CHECK_NAMES = frozenset(
    {
        "headline-stronger-than-body",
        "animal-result-as-human",
        "causal-language-on-correlation",
        "certain-claim-on-weak-evidence",
        "unnamed-authority",
        "relative-risk-without-absolute",
        "advice-from-single-study",
        "question-headline",
        "under-claim",
    }
)
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


@dataclass(frozen=True, slots=True)
class Check:
    """An article-level editorial check, as its pack states it, with texts that must and
    must not raise it."""

    id: str
    name: str
    severity: str
    summary: str
    why: str
    source: str
    message: str
    pack: str
    file: str = ""
    suggestion: str | None = None
    raise_examples: tuple[str, ...] = ()
    pass_examples: tuple[str, ...] = ()


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
        # (first, second) characters -> branches, in rule order so that when two rules match
        # the same text the one defined first wins; "" keys a character the branch does not
        # constrain.
        self._branches: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for rule in rules:
            for pattern in rule.patterns:
                group = f"g{len(self._by_group)}"
                self._by_group[group] = rule
                body = _body(pattern, rule.case_sensitive)
                branch = (len(self._by_group), f"(?P<{group}>{_guarded(body)})(?!\\w)")
                for key in _openings(body):
                    self._branches.setdefault(key, []).append(branch)
        self._compiled: dict[tuple[str, str], regex.Pattern[str] | None] = {}
        self._disabled: set[int] = set()
        self.problems: list[str] = []

    def find(self, text: str, *, include_pseudo: bool = False) -> list[CueMatch]:
        """Cues in ``text``; pseudo-cues swallow what they overlap and are dropped unless
        ``include_pseudo`` (for rule tests and explanations)."""
        raw = []
        compiled, rules = self._compiled, self._by_group
        window = _Window(text)
        for start in _CUE_STARTS.finditer(text):
            position = start.start()
            key = (text[position].lower(), _second(text, position + 1))
            pattern = compiled[key] if key in compiled else self._compile(key)
            if pattern is None:
                continue
            found = self._match(pattern, key, text, position, window.end(position))
            if found is not None and found.end() > position:
                raw.append(CueMatch(rules[found.lastgroup], position, found.end(), found.group()))
        return _resolve_overlaps(raw, include_pseudo)

    def _match(
        self,
        pattern: regex.Pattern[str],
        key: tuple[str, str],
        text: str,
        position: int,
        end: int,
    ) -> regex.Match[str] | None:
        """A match at ``position`` ending by ``end``; a pattern that runs past the timeout (an
        untrusted pack's catastrophic backtracking) is disabled, named in ``problems``, and
        the scan goes on."""
        try:
            return pattern.match(text, position, end, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            self._disable_slow_branches(key, text, position, end)
            retry = self._compile(key)
            return retry.match(text, position, end, timeout=MATCH_TIMEOUT) if retry else None

    def _disable_slow_branches(
        self, key: tuple[str, str], text: str, position: int, end: int
    ) -> None:
        for index, branch in self._candidates(key):
            try:
                _alternation([branch]).match(text, position, end, timeout=MATCH_TIMEOUT)
            except TimeoutError:
                rule = self._by_group[f"g{index - 1}"]
                self._disabled.add(index)
                self.problems.append(
                    f"{rule.file}, rule {rule.id!r}: a pattern ran past the {MATCH_TIMEOUT:g} s "
                    "match timeout (catastrophic backtracking?); the rule is off for the rest "
                    "of this run"
                )
        self._compiled.clear()

    def _candidates(self, key: tuple[str, str]) -> list[tuple[int, str]]:
        first = key[0]
        found = {
            *self._branches.get(key, ()),
            *self._branches.get((first, ""), ()),
            *self._branches.get(("", ""), ()),
        }
        return sorted(b for b in found if b[0] not in self._disabled)

    def _compile(self, key: tuple[str, str]) -> regex.Pattern[str] | None:
        """The alternation of the branches that can open with ``key``, compiled on first
        use: a text meets a few hundred of the possible openings, and each alternation is
        small, so start-up stays cheap and each position tries only a handful of branches."""
        found = self._candidates(key)
        pattern = _alternation([b for _, b in found]) if found else None
        self._compiled[key] = pattern
        return pattern


# Seconds one match attempt may take before its pattern is judged pathological; a real cue
# pattern takes microseconds.
MATCH_TIMEOUT = 1.0

# How far past its start a cue (with what its lookaheads read) may reach. A cue is a phrase
# or, for a pseudo-cue, the rest of a clause; without a bound, patterns that read to the end
# of a clause ("[^.;!?]*") or along a run of word characters and dots (an e-mail address)
# cost the length of the run at every cue start in it: quadratic in a long unpunctuated line.
CUE_REACH = 1000
_SPACE = regex.compile(r"\s")


class _Window:
    """Where a match starting at a position must end: the first whitespace at least
    ``CUE_REACH`` characters on (so that no word is cut and ``(?!\\w)`` still means the end of
    a word), or ``2 * CUE_REACH`` on inside a longer unbroken run. Starts come in order, so
    each search resumes where the last one stopped: linear in the text overall."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._space = -1  # the last whitespace found
        self._clear_to = 0  # no whitespace in [_clear_from, _clear_to)
        self._clear_from = 0

    def end(self, position: int) -> int:
        text = self._text
        reach = position + CUE_REACH
        if reach >= len(text):
            return len(text)
        hard = min(len(text), reach + CUE_REACH)
        if self._space >= reach:
            return min(self._space, hard)
        begin = reach
        if self._clear_from <= reach < self._clear_to:
            begin = self._clear_to
        found = _SPACE.search(text, begin, hard) if begin < hard else None
        if found is None:
            self._clear_from, self._clear_to = reach, hard
            return hard
        self._space = found.start()
        return self._space


# Where a cue may begin: a word start, or a punctuation mark such as ";".
_CUE_STARTS = regex.compile(r"(?<!\w)\S|[^\w\s]")


def _alternation(branches: list[str]) -> regex.Pattern[str]:
    """Branches as one POSIX (leftmost-longest) alternation."""
    return regex.compile("(?p)(?:" + "|".join(branches) + ")")


_FIRST_CHARACTERS = string.ascii_lowercase + string.digits + string.punctuation + "“”‘’–—•"
_SECOND_CHARACTERS = _FIRST_CHARACTERS + " "


def _second(text: str, position: int) -> str:
    """The character after a cue's first, as the opening table keys it."""
    if position >= len(text):
        return "$"
    ch = text[position].lower()
    if ch.isspace():
        return " "
    return ch if ch in _SECOND_CHARACTERS else "?"


def _openings(body: str) -> list[tuple[str, str]]:
    """The (first, second) character keys a match of ``body`` can open with; "" where a
    character cannot be told cheaply (a leading lookbehind, a one-character cue, a class
    that accepts almost anything)."""
    firsts = _first_characters(body)
    if firsts is None:
        return [("", "")]
    compiled = regex.compile(_without_leading_lookbehind(body))
    keys: list[tuple[str, str]] = []
    for first in sorted(firsts):
        variants = {first, first.upper()}
        if any(compiled.fullmatch(v) for v in variants) or any(
            compiled.fullmatch(v + other, partial=True) for v in variants for other in "é?"
        ):
            keys.append((first, ""))
            continue
        seconds = [
            ch
            for ch in _SECOND_CHARACTERS
            if any(
                compiled.fullmatch(v + c, partial=True) for v in variants for c in {ch, ch.upper()}
            )
        ]
        keys.extend((first, ch) for ch in seconds)
    return keys


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


def _guarded(body: str) -> str:
    """``(?<!X)Y`` as ``(?=Y)(?<!X)Y``: the same matches, but the lookbehind is tried only
    where the cue itself is. In an alternation the engine tests a leading lookbehind at every
    position it tries; one that reads back to the last full stop (``[^.;]*``) then costs the
    length of the clause at every word, quadratic in a long unpunctuated line."""
    rest = _without_leading_lookbehind(body)
    return body if rest == body else f"(?={rest}){body}"


def _body(pattern: str, case_sensitive: bool) -> str:
    return f"(?:{pattern})" if case_sensitive else f"(?i:{pattern})"


def _wrap(pattern: str, case_sensitive: bool) -> str:
    return rf"(?:(?<!\w)|(?=[^\w\s])){_body(pattern, case_sensitive)}(?!\w)"


def _resolve_overlaps(matches: list[CueMatch], include_pseudo: bool) -> list[CueMatch]:
    """Longest cue wins among overlapping cues; then each pseudo-cue swallows the cues it
    overlaps (all of them, or those its ``swallows`` names) that are no longer than itself."""
    cues = _longest_first([m for m in matches if m.rule.category != "pseudo"])
    pseudo = _longest_first([m for m in matches if m.rule.category == "pseudo"])
    # Kept pseudo-cues do not overlap, so sorted by start their ends rise too: the ones a
    # cue overlaps are found by bisection, and a long text costs no more per cue.
    pseudo_by_start = sorted(pseudo, key=lambda m: m.start)
    starts = [p.start for p in pseudo_by_start]
    result = []
    for match in cues:
        index = bisect_left(starts, match.end) - 1
        swallowed = False
        while index >= 0 and pseudo_by_start[index].end > match.start:
            if _swallows(pseudo_by_start[index], match):
                swallowed = True
                break
            index -= 1
        if not swallowed:
            result.append(match)
    if include_pseudo:
        result.extend(pseudo)
    return sorted(result, key=lambda m: (m.start, m.end))


def _longest_first(matches: list[CueMatch]) -> list[CueMatch]:
    """The longest of overlapping matches (the earliest among equals), longest first.

    Only matches in one run of overlapping matches can shut each other out, so each run is
    resolved on its own: linear in the number of runs rather than quadratic in the text.
    """
    kept: list[CueMatch] = []
    run: list[CueMatch] = []
    run_end = -1
    for match in sorted(matches, key=lambda m: m.start):  # stable: equal starts keep order
        if run and match.start >= run_end:
            kept.extend(_longest_first_in_run(run))
            run = []
        run.append(match)
        run_end = max(run_end, match.end) if len(run) > 1 else match.end
    kept.extend(_longest_first_in_run(run))
    return sorted(kept, key=lambda m: (m.start - m.end, m.start))


def _longest_first_in_run(matches: list[CueMatch]) -> list[CueMatch]:
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
    checks: tuple[Check, ...] = ()
    matcher: Matcher = field(init=False, repr=False, compare=False)
    overlay: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        first = [r for r in self.rules if not CATEGORIES[r.category].get("overlay")]
        second = [r for r in self.rules if CATEGORIES[r.category].get("overlay")]
        object.__setattr__(self, "matcher", Matcher(first))
        object.__setattr__(self, "overlay", Matcher(second))

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def matcher_for(self, rule: Rule) -> Matcher:
        """The matcher that holds ``rule``: the first pass, or the editorial overlay."""
        return self.overlay if CATEGORIES[rule.category].get("overlay") else self.matcher

    def check(self, name: str) -> Check | None:
        return next((check for check in self.checks if check.name == name), None)


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
    checks: list[Check] = []
    scoring = Scoring()
    packs: list[str] = []
    for path in files:
        data = _read_toml(path)
        if "scoring" in data:
            scoring = _parse_scoring(data, path)
            continue
        name, pack_rules, pack_checks = _parse_pack(data, path)
        packs.append(name)
        rules.extend(pack_rules)
        checks.extend(pack_checks)
    _check_ids(rules, checks)
    return RuleSet(rules=tuple(rules), scoring=scoring, packs=tuple(packs), checks=tuple(checks))


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


def _parse_pack(data: Mapping[str, Any], path: Path) -> tuple[str, list[Rule], list[Check]]:
    extra = set(data) - {"pack", "rules", "checks"}
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
    return (
        pack["name"],
        [_parse_rule(entry, path, pack["name"]) for entry in entries],
        [_parse_check(entry, path, pack["name"]) for entry in checks],
    )


def _parse_check(entry: Any, path: Path, pack: str) -> Check:
    if not isinstance(entry, dict):
        raise RuleError("each [[checks]] entry must be a table", path=str(path))
    cid = entry.get("id") if isinstance(entry.get("id"), str) else ""

    def fail(message: str, key: str) -> RuleError:
        return RuleError(message, path=str(path), rule=cid, key=key)

    unknown = set(entry) - _CHECK_KEYS
    if unknown:
        raise fail(f"unknown key (allowed: {', '.join(sorted(_CHECK_KEYS))})", min(unknown))
    for key in ("id", "name", "severity", "summary", "why", "source", "message", "examples"):
        if key not in entry:
            raise fail("required key is missing", key)
    if not _ID.match(cid):
        raise fail("id must be 2-5 capital letters and 3 digits, e.g. EDT001", "id")
    if entry["name"] not in CHECK_NAMES:
        raise fail(f"no such check (known: {', '.join(sorted(CHECK_NAMES))})", "name")
    if entry["severity"] not in SEVERITIES:
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
        summary=_text(entry, "summary", fail),
        why=_text(entry, "why", fail),
        source=_text(entry, "source", fail),
        message=_text(entry, "message", fail),
        pack=pack,
        file=str(path),
        suggestion=_text(entry, "suggestion", fail) if "suggestion" in entry else None,
        raise_examples=tuple(examples["raise"]),
        pass_examples=tuple(examples["pass"]),
    )


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
        severity=_severity(entry, spec, fail),
        suggestion=_text(entry, "suggestion", fail) if "suggestion" in entry else None,
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


def _severity(entry: Mapping[str, Any], spec: Mapping[str, Any], fail: Any) -> str | None:
    """A rule with a severity raises a finding wherever it fires; "off" raises none."""
    value = entry.get("severity", spec.get("severity"))
    if value is None or value == "off":
        return None
    if value not in SEVERITIES:
        raise fail(f"expected one of {', '.join(SEVERITIES)} or off", "severity")
    return value


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
        nested = _NESTED_REPEAT.search(pattern)
        if nested:
            raise fail(
                f"{nested.group()!r} repeats a group that starts with a repeat, which can "
                "backtrack catastrophically; bound the outer repeat or anchor the group",
                f"patterns[{index}]",
            )
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


def _check_ids(rules: list[Rule], checks: Sequence[Check] = ()) -> None:
    seen: dict[str, str] = {}
    for item in [*rules, *checks]:
        if item.id in seen:
            raise RuleError(
                f"duplicate id (also in {seen[item.id]})", path=item.file, rule=item.id, key="id"
            )
        seen[item.id] = item.file
    names: dict[str, str] = {}
    for check in checks:
        if check.name in names:
            raise RuleError(
                f"check {check.name!r} is already given by {names[check.name]}",
                path=check.file,
                rule=check.id,
                key="name",
            )
        names[check.name] = check.id
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
