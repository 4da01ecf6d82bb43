"""Load and validate rule packs (TOML), and compile them into one matcher.

A pack is a TOML file with a ``[pack]`` table and ``[[rules]]`` (and optionally
``[fragments]``, named sub-patterns its rules use as ``{{name}}``); ``scoring.toml`` holds the
``[scoring]`` parameters instead. Everything is checked before any text is read: unknown keys,
bad patterns, duplicate ids and dangling references raise :class:`RuleError` naming file,
rule and key.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import hmac
import itertools
import json
import logging
import os
import pickle
import re
import string
import sys
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from time import perf_counter
from typing import Any, BinaryIO

import regex

from hedgecheck.arguments import path_text, require
from hedgecheck.budget import ScanBudget, SwitchedOff
from hedgecheck.errors import RuleError
from hedgecheck.lexicon import Lexicon, read_lexicon
from hedgecheck.patterns import compiled
from hedgecheck.tomlfile import loads_toml, read_toml_bytes, toml_text
from hedgecheck.trust import PRIVATE_FILES as _PRIVATE_FILES
from hedgecheck.trust import SHARED_ANY as _SHARED_ANY
from hedgecheck.trust import SHARED_WRITE as _SHARED_WRITE
from hedgecheck.trust import Untrusted as _Untrusted
from hedgecheck.trust import check_private as _check_private
from hedgecheck.trust import open_regular as _open_regular

# The study designs a design cue, or a description of a study's method, may name.
DESIGNS = frozenset(
    {
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
    }
)

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
        "kinds": {"association", "comparison"},
        "values": {"correlational", "causal", "none"},
        "direction": "sentence",
        "max_scope": 0,
        "claim": True,
    },
    "design": {
        "axis": "evidence",
        "values": DESIGNS,
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
    # How a study was done, described rather than named ("followed 400,000 adults for 13
    # years", "given the drug or a dummy pill"): notes read by the evidence tag, weighing no
    # claim, matched by a layer of their own (RuleSet.methods).
    "method": {
        "axis": "role",
        "values": DESIGNS,
        "direction": "sentence",
        "max_scope": 0,
        "claim": False,
        "overlay": True,
        "layer": "methods",
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
            "authority": {"unnamed", "team", "named"},
            "risk": {"relative", "absolute"},
            "advice": {"personal", "professional"},
            "quantity": None,
            "cost": None,
            "harm": None,
            "alternative": None,
            "availability": None,
            "intervention": None,
            "conflict": {"funding", "disclosure", "none-declared"},
            "independent": None,
            "disease-mongering": None,
            "settled": None,
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
# Ids and names are checked with fullmatch: "$" also matches before a final newline, and
# "HYP001\n" passed as a new rule beside HYP001.
_ID = compiled(r"[A-Z]{2,5}[0-9]{3}")
_NAME = compiled(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SPAN_MARK = compiled(r"\[\[(.+?)\]\]")
# "(a+)+", "(\w+\s?)*": a group opening with an unbounded repeat, itself repeated without
# bound. The matcher's timeout catches what this cheap test misses.
_NESTED_REPEAT = compiled(
    r"\((?:\?:)?(?:\\[wsdWSD]|\[[^\]]+\]|\.|\w)[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\})"
)

# Constructs that crash the regex engine or blow up compiling, none of which a cue needs:
# a call of a group by itself or another ("(?R)?a" runs out of memory on any text); a
# back-reference by \g<...> to the whole match or to a group still open, which the engine
# does not refuse as it refuses "(a\1)"; and repeat counts whose product nests past
# _MAX_REPEAT ("a{4294967294}" or "(?:a{1000}){1000}" takes seconds to minutes and hundreds of
# megabytes to compile).
_RECURSION = compiled(r"\(\?(?:R|[+-]?\d+|&\w+|P>\w+)\)")
_GROUP_REFERENCE = compiled(r"\\g<(\w+)>")
_NUMBERED_REFERENCE = compiled(r"\\([1-9][0-9]?)")
_DIGITS = frozenset("123456789")
_COUNT = compiled(r"\{(\d*)(?:,(\d*))?\}")
_MAX_REPEAT = 1000
# Parentheses nested deeper than this overflow the Python stack of the engine's parser.
_MAX_NESTING = 100

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
    "summary",
    "why",
    "source",
    "examples",
}
_REQUIRED = ("id", "name", "category", "patterns", "summary", "why", "source", "examples")
_PACK_KEYS = {"name", "description", "version"}


def _by_init(item: Any) -> tuple[type[Any], tuple[Any, ...]]:
    """A frozen dataclass pickled as a call of its constructor. A rule cache holds some
    2,000 rules and examples: the setstate that dataclass gives them (fields() called per
    object, each field set in a Python loop) took a third of a one-line scan's rule
    loading."""
    return type(item), tuple(getattr(item, f.name) for f in fields(item))


@dataclass(frozen=True, slots=True)
class Example:
    """An example sentence; ``spans`` are the offsets the rule must match (empty for no_match)."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def __reduce__(self) -> tuple[type[Example], tuple[Any, ...]]:
        return _by_init(self)


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
    # A hype word that also states a relation ("cures", "wipes out"): each match counts as
    # a relation cue of this value too (see stated_relation).
    relation: str | None = None
    severity: str | None = None
    suggestion: str | None = None
    match_examples: tuple[Example, ...] = ()
    no_match_examples: tuple[Example, ...] = ()

    def __reduce__(self) -> tuple[type[Rule], tuple[Any, ...]]:
        return _by_init(self)

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
            "relation": self.relation,
            "severity": self.severity,
            "suggestion": self.suggestion,
            "summary": self.summary,
            "why": self.why,
            "source": self.source,
            "pack": self.pack,
        }


# The HealthNewsReview criteria of the report card, in its order.
ARTICLE_CRITERIA = (
    "costs",
    "benefits",
    "harms",
    "evidence",
    "disease_mongering",
    "conflicts",
    "alternatives",
    "availability",
    "novelty",
    "sensational_language",
)

# The counts that also come as 0/1 flags ("has_design"...).
ARTICLE_FLAGS = (
    "design",
    "trial",
    "observational",
    "preclinical",
    "sample",
    "limitation",
    "subject",
)

# What an article model may weigh, each read off a report by hedgecheck.evaluate.article_features:
# per criterion, whether the card satisfies it ("<criterion>") and log(1 + its evidence spans)
# ("<criterion>_spans"); log(1 + count) of the named cues and findings below; and for the
# study's design, kind of design, size, limits and subjects, whether the text states one at all
# ("has_<name>", 0 or 1: HealthNewsReview criterion 4 asks whether a text says what the evidence
# is, and how often it says so mostly measures how long the text is).
ARTICLE_FEATURES = frozenset(
    {
        *ARTICLE_CRITERIA,
        *(f"{c}_spans" for c in ARTICLE_CRITERIA),
        "claims",  # claims in the text (how much it says)
        "design",  # study-design cues on the evidence card ("randomised trial", "in mice")
        "trial",  # ... of which experiments in people ("randomised", "phase 2 trial")
        "observational",  # ... of which observational designs ("cohort", "retrospective")
        "preclinical",  # ... of which animal or lab designs ("mouse model", "in vitro")
        "sample",  # sample-size cues on the evidence card ("of 2,000 women")
        "limitation",  # stated limits on the evidence card ("small study", "more research")
        "subject",  # who was studied ("patients", "mice")
        "publication",  # publication status of the study (document cues)
        "hedge",  # hedges in the claims (not approximators)
        "negation",  # negations in the claims ("did not", "no evidence")
        "booster",  # boosters outside quotes
        "hype",  # hype words outside quotes
        "quoted_hype",  # hype words inside quotes
        "quoted_claims",  # claims that quote someone
        "overclaims",  # headline-stronger, animal-as-human, causal-on-correlation, certain-on-weak
        "relative_risk",  # relative-risk-without-absolute findings
        "advice",  # advice-from-single-study findings
        "unnamed_authority",  # unnamed-authority findings
        *(f"has_{name}" for name in ARTICLE_FLAGS),
    }
)
ARTICLE_MODELS = frozenset({"story", *ARTICLE_CRITERIA})


@dataclass(frozen=True, slots=True)
class ArticleModel:
    """A linear score over named article features (a logistic regression's logit)."""

    bias: float = 0.0
    weights: tuple[tuple[str, float], ...] = ()

    def score(self, features: Mapping[str, float]) -> float:
        return self.bias + sum(w * features.get(name, 0.0) for name, w in self.weights)


@dataclass(frozen=True, slots=True)
class Scoring:
    """Parameters that turn cue weights into certainty, confidence and a label, and, from an
    optional ``[article]`` table, the fitted article models (``story`` and per criterion)."""

    certainty_bias: float = 1.0
    confidence_bias: float = 0.0
    certainty_factor: float = 0.5
    repeat_decay: float = 0.5
    negation_certainty: float = 0.0
    thresholds: tuple[float, float, float] = (-1.0, 0.5, 2.0)
    source: str = "built-in defaults"
    article: tuple[tuple[str, ArticleModel], ...] = ()
    article_source: str = ""
    # (category, value, label) from the optional ``[grades]`` table: the highest label the
    # evidence a cue of that category and value states can support. With no table (the
    # built-in defaults) labels have no evidence ceiling.
    grades: tuple[tuple[str, str, str], ...] = ()
    grades_source: str = ""

    def label_rank(self, logit: float) -> int:
        """0..3: how many thresholds the confidence logit reaches."""
        return sum(1 for t in self.thresholds if logit >= t)

    def grade(self, rule: Rule) -> str | None:
        """The highest label the evidence a cue of ``rule`` states can support, or None when
        its category and value state no graded evidence."""
        for category, value, label in self.grades:
            if category == rule.category and value == rule.value:
                return label
        return None

    def article_model(self, name: str) -> ArticleModel | None:
        """The fitted model for ``story`` or a criterion, when ``[article]`` gives one."""
        return next((model for key, model in self.article if key == name), None)


_SCORING_KEYS = {f.name for f in fields(Scoring)} - {
    "article",
    "article_source",
    "grades",
    "grades_source",
}
# The categories whose values say what evidence a claim rests on, and so may be graded in
# ``[grades]``: the design, subjects, sample and publication of a study, and the study pack's
# reference to one ("a study found"). Certainty cues (hedges, boosters, hype) and relations
# are rhetoric or content, not evidence: they can never raise a label's ceiling.
GRADED_CATEGORIES = frozenset({"design", "method", "subject", "sample", "publication", "study"})

# The codes of the findings hedgecheck raises itself (hedgecheck.gate.BUILTIN): an unused
# suppression and the label gate. No pack may take them.
RESERVED_IDS = frozenset({"HCS001", "LBL001"})

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
    """Every rule pattern, matched POSIX leftmost-longest in one scan of the text.

    At every cue start the branches that can open with the text's first three characters
    are tried, and the longest cue starting there is kept; overlaps
    between positions are then resolved longest-first, so a pseudo-cue ("in May", "could
    not") swallows the shorter cue inside it.

    Rules from outside the shipped packs (a house pack) are matched by a matcher of their
    own, walked with this one, so that at every cue start both tiers have their say: a
    house cue then wins over every shipped cue it overlaps, whatever their lengths (see
    _resolve_overlaps). With rules of one tier only, there is one matcher, as before.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._by_group: dict[str, Rule] = {}
        # (first, second) characters -> branches, in rule order so that when two rules match
        # the same text the one defined first wins; "" keys a character the branch does not
        # constrain.
        self._branches: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self._bodies: dict[int, str] = {}
        self._sources: dict[int, str] = {}
        self._thirds: dict[int, dict[str, frozenset[str] | None] | None] = {}
        # Branches that can open with almost any word ("\w+-induced", an e-mail address, a
        # sentence start): kept out of the opening tables, where they would be tried at
        # every word, and found by one scan of the text in C instead (_anywhere_starts).
        self._anywhere: list[int] = []
        rules = list(rules)
        shipped = default_rules_path()
        house = [rule for rule in rules if Path(rule.file).parent != shipped]
        # The house tier is a matcher of untrusted rules: a scan's budget charges and
        # switches off its rules as it would those of a matcher of house rules alone.
        self._house: Matcher | None = None
        if house and len(house) < len(rules):
            rules = [rule for rule in rules if Path(rule.file).parent == shipped]
            self._house = Matcher(house)
        for rule in rules:
            for pattern in rule.patterns:
                group = f"g{len(self._by_group)}"
                self._by_group[group] = rule
                body = _body(pattern, rule.case_sensitive)
                branch = (len(self._by_group), f"(?P<{group}>{_guarded(body)})(?!\\w)")
                self._bodies[branch[0]] = body
                self._sources[branch[0]] = branch[1]
                keys = _openings(body)
                if _opens_anywhere(body, keys):
                    self._anywhere.append(branch[0])
                    continue
                for key in keys:
                    self._branches.setdefault(key, []).append(branch)
                self._thirds[branch[0]] = _third_characters(body, keys)
        # The shipped packs are vetted (nested repeats rejected at load, the hostile-input
        # corpus in the tests) and the cue window bounds what any match reads, so their
        # matches skip the timeout, whose clock reads cost a third of the matching time.
        # Packs from anywhere else are untrusted: with one of their rules every match is
        # timed, and what their branches spend is charged to the scan's budget.
        self._untrusted = frozenset(
            int(group[1:]) + 1
            for group, rule in self._by_group.items()
            if Path(rule.file).parent != shipped
        )
        self._timed = bool(self._untrusted)
        self._rule_ids = frozenset(rule.id for rule in rules)
        self._untrusted_ids = frozenset(self.rule_of(i).id for i in self._untrusted)
        # The text's first three characters at a cue start -> how to match there: None (no
        # branch can open with them), the few branches that can, each tried alone (_Rare),
        # or, once the opening has been met often, their alternation compiled as one.
        self._by_prefix: dict[str, regex.Pattern[str] | _Rare | None] = {}
        self._by_branches: dict[tuple[int, ...], regex.Pattern[str]] = {}
        self._singles: dict[int, regex.Pattern[str]] = {}
        # Each branch compiled alone, as pickled bytes (the regex module pickles a pattern
        # with its compiled code): kept in the rule cache, so that a process unpickles a
        # branch in microseconds on first use instead of compiling it in about a third of
        # a millisecond (a third of a second for a corpus, in every worker).
        self._single_code: dict[int, bytes] = {}
        # The same for the alternations of the openings common in English prose (learned from
        # the packs' own examples by compile_branches): an opening with one of these is
        # matched by one call from its first sighting, and no process spends the half second
        # that compiling them at _OFTEN sightings each would cost.
        self._alternation_code: dict[tuple[int, ...], bytes] = {}
        # And the scans for the branches that open anywhere (_anywhere_scans), which every
        # text needs: compiling them is most of a one-line scan's matching time.
        self._anywhere_code: bytes | None = None
        self._openers: dict[int, regex.Pattern[str] | None] = {}
        # The openings _may_open compiles (for the few branches the three-character table
        # cannot tell), pickled like the branches: one costs a one-line scan 10 ms.
        self._opener_code: dict[int, bytes] = {}
        # A two-character opening (lower case) -> its candidate branches, each with the
        # third characters it can go on with (None: any; "": ask _may_open).
        self._plans: dict[str, list[tuple[int, frozenset[str] | str | None]]] = {}
        # The scans and the alternation of the branches that open anywhere, built on first
        # use (see _anywhere_scans), or read from _anywhere_code, and published in one
        # assignment, so that a thread never sees them half built.
        self._anywhere_tables: _AnywhereTables | None = None

    def __getstate__(self) -> dict[str, Any]:
        """The opening tables without compiled patterns (those are rebuilt on first use)."""
        state = dict(self.__dict__)
        for name in ("_by_prefix", "_by_branches", "_singles", "_openers", "_plans"):
            state[name] = {}
        state["_anywhere_tables"] = None
        return state

    @property
    def timeout(self) -> float:
        """Seconds one timed match may take."""
        return MATCH_TIMEOUT

    def rule_of(self, index: int) -> Rule:
        """The rule of branch ``index``."""
        return self._by_group[f"g{index - 1}"]

    def rule_ids(self) -> frozenset[str]:
        """The ids of the rules of both tiers."""
        return self._rule_ids | self._house.rule_ids() if self._house else self._rule_ids

    def untrusted_ids(self) -> frozenset[str]:
        """The ids of the rules from packs outside the shipped ones, of both tiers."""
        house = self._house
        return self._untrusted_ids | house.untrusted_ids() if house else self._untrusted_ids

    def is_untrusted(self, index: int) -> bool:
        return index in self._untrusted

    def branches_of(self, key: str | tuple[int, ...]) -> tuple[int, ...]:
        """The branches a timed call tried: given, or those that open with a prefix."""
        return self._branches_for(key) if isinstance(key, str) else key

    def time_alone(
        self, indices: Iterable[int], text: str, position: int, end: int
    ) -> list[tuple[int, float | None]]:
        """Each branch matched alone at ``position``, with the seconds it took (None when
        it ran past the timeout): what a slow or sampled call is charged by."""
        timed: list[tuple[int, float | None]] = []
        for index in indices:
            single = self._single(index)
            started = perf_counter()
            try:
                single.match(text, position, end, timeout=MATCH_TIMEOUT)
            except TimeoutError:
                timed.append((index, None))
                continue
            timed.append((index, perf_counter() - started))
        return timed

    def without(self, off: AbstractSet[str]) -> Matcher:
        """This matcher less the rules whose ids are in ``off`` (switched off by one scan's
        budget), in both tiers: a copy sharing the compiled branches, the opening tables of
        a tier that lost rules rebuilt without their branches (a tier that lost none is
        shared as it is). The shared matcher itself never changes."""
        house = self._house.without(off) if self._house is not None else None
        dropped = {index for index in self._bodies if self.rule_of(index).id in off}
        if not dropped:
            if house is self._house:
                return self
            kept = object.__new__(Matcher)
            kept.__dict__.update(self.__dict__)  # warm tables and all: the same branches
            kept._house = house
            return kept
        kept = copy.copy(self)  # through __getstate__: the tables built from branches emptied
        kept._house = house
        kept._branches = {
            key: [b for b in branches if b[0] not in dropped]
            for key, branches in self._branches.items()
        }
        kept._anywhere = [index for index in self._anywhere if index not in dropped]
        if len(kept._anywhere) < len(self._anywhere):
            kept._anywhere_code = None  # the cached scans would find the dropped branches
        kept._untrusted = self._untrusted - dropped
        kept._timed = bool(kept._untrusted)
        kept._rule_ids = self._rule_ids - off
        kept._untrusted_ids = self._untrusted_ids - off
        kept._singles, kept._openers = self._singles, self._openers
        return kept

    def tiers(self) -> tuple[Matcher, ...]:
        """The matchers walked for this one, the house rules' first (they win overlaps)."""
        return (self._house, self) if self._house is not None else (self,)

    def rules(self) -> list[Rule]:
        """Every rule this matcher matches, of both tiers."""
        return [rule for tier in self.tiers() for rule in tier._by_group.values()]

    def compile_branches(self, prose: str = "") -> None:
        """Compile every branch alone, and the alternation of every opening met in
        ``prose`` (a sample of the language the rules read), ahead of use, to be pickled
        with the rules."""
        if self._house is not None:
            self._house.compile_branches(prose)
        tabled = {index for branches in self._branches.values() for index, _ in branches}
        # The branches that open anywhere too: those behind an assertion are each matched
        # alone where their opening holds, which every text needs.
        for index in sorted(tabled | set(self._anywhere)):
            self._single_code[index] = _pickled(_alternation([self._sources[index]]))
        openings = {prose[m.start() : m.start() + 3] for m in _CUE_STARTS.finditer(prose)}
        for kept in sorted({self._branches_for(prefix) for prefix in openings}):
            if len(kept) > 1:
                branches = [self._sources[i] for i in kept]
                self._alternation_code[kept] = _pickled(_alternation(branches))
        for index, thirds in self._thirds.items():
            opener = self._opener(index) if thirds is None else None
            if opener is not None:
                self._opener_code[index] = _pickled(opener)
        tables = self._anywhere_tables = self._build_anywhere()
        self._anywhere_code = pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL)

    def find(
        self, text: str, *, include_pseudo: bool = False, budget: ScanBudget | None = None
    ) -> list[CueMatch]:
        """Cues in ``text``; pseudo-cues swallow what they overlap and are dropped unless
        ``include_pseudo`` (for rule tests and explanations)."""
        return find_together((self,), text, include_pseudo=include_pseudo, budget=budget)[0]

    def _match_at(
        self,
        entry: regex.Pattern[str] | _Rare,
        prefix: str,
        text: str,
        position: int,
        end: int,
        budget: ScanBudget,
    ) -> regex.Match[str] | None:
        if entry.__class__ is _Rare:
            return self._match_alone(entry, prefix, text, position, end, budget)  # type: ignore[arg-type]
        if self._timed:
            return self._match(entry, prefix, text, position, end, budget)  # type: ignore[arg-type]
        return entry.match(text, position, end)  # type: ignore[union-attr]

    def _for_prefix(self, prefix: str) -> regex.Pattern[str] | _Rare | None:
        """How to match at a cue opening with ``prefix``: None when no branch can, their
        alternation when it was compiled ahead, else the branches to try one by one."""
        if len(self._by_prefix) >= _PREFIX_CACHE_SIZE:
            self._by_prefix.clear()
        kept = self._branches_for(prefix)
        code = self._alternation_code.get(kept)
        entry: regex.Pattern[str] | _Rare | None = _Rare(kept) if kept else None
        if code is not None:
            found = self._by_branches.get(kept)
            entry = self._by_branches[kept] = found or pickle.loads(code)
        self._by_prefix[prefix] = entry
        return entry

    def _branches_for(self, prefix: str) -> tuple[int, ...]:
        """The branches a match opening with ``prefix`` can come from: the (first, second)
        table's candidates, less those whose pattern cannot begin with these characters.
        Only ever drops branches that cannot match here, in rule order, so the
        leftmost-longest result is unchanged."""
        lower = prefix.lower()
        if len(lower) != 3 or not all(c in _SECOND_CHARACTERS for c in lower):
            return tuple(i for i, _ in self._candidates(_key(prefix)) if self._may_open(i, prefix))
        plan = self._plans.get(lower[:2])
        if plan is None:
            plan = self._plans[lower[:2]] = self._plan(lower[:2])
        third = lower[2]
        return tuple(
            i
            for i, allowed in plan
            if allowed is None or (self._may_open(i, prefix) if allowed == "" else third in allowed)
        )

    def _plan(self, opening: str) -> list[tuple[int, frozenset[str] | str | None]]:
        """The candidates for a two-character ``opening``, with what each allows next: the
        three-character table's answer once per opening instead of once per prefix."""
        plan: list[tuple[int, frozenset[str] | str | None]] = []
        for index, _ in self._candidates(_key(opening)):
            thirds = self._thirds[index]
            if thirds is None:
                plan.append((index, ""))
            elif opening in thirds:
                plan.append((index, thirds[opening]))
        return plan

    def _match_alone(
        self, entry: _Rare, prefix: str, text: str, position: int, end: int, budget: ScanBudget
    ) -> regex.Match[str] | None:
        """Each branch tried alone, the longest match kept (the first branch on a tie, as
        the alternation would). An opening met ``_OFTEN`` times gets its alternation
        compiled instead: a few hundred common openings then cost one call each, while
        the thousands of rare ones never pay for compiling an alternation."""
        entry.seen += 1
        pattern = self._alternation_of(entry.branches) if entry.seen >= _OFTEN else None
        if pattern is None and entry.seen >= _OFTEN:
            entry.seen = -(2**62)  # the budget is spent: this opening stays one by one
        elif pattern is not None:
            self._by_prefix[prefix] = pattern
            if self._timed:
                return self._match(pattern, entry.branches, text, position, end, budget)
            return pattern.match(text, position, end)
        best = None
        for index in entry.branches:
            found = self._match_single(index, text, position, end, budget)
            if found is not None and (best is None or found.end() > best.end()):
                best = found
        return best

    def _match_single(
        self, index: int, text: str, position: int, end: int, budget: ScanBudget
    ) -> regex.Match[str] | None:
        single = self._single(index)
        if not self._timed:
            return single.match(text, position, end)
        started = perf_counter()
        try:
            found = single.match(text, position, end, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            budget.timed_out(self, (index,), text, position, end)
            return None
        budget.charge_one(self, index, perf_counter() - started)
        return found

    def _single(self, index: int) -> regex.Pattern[str]:
        single = self._singles.get(index)
        if single is None:
            code = self._single_code.get(index)
            single = self._singles[index] = (
                pickle.loads(code) if code else _alternation([self._sources[index]])
            )
        return single

    def _alternation_of(self, indices: tuple[int, ...]) -> regex.Pattern[str] | None:
        """The compiled alternation of these branches; None once ``_COMPILED_BUDGET`` of
        them are compiled and this one is not among them (one branch is its own alternation,
        compiled once whatever the budget)."""
        if len(indices) == 1:
            return self._single(indices[0])
        pattern = self._by_branches.get(indices)
        if pattern is None and len(self._by_branches) >= _COMPILED_BUDGET:
            return None
        if pattern is None:
            branches = [self._sources[i] for i in indices]
            pattern = self._by_branches[indices] = _alternation(branches)
        return pattern

    def _may_open(self, index: int, prefix: str) -> bool:
        """Whether branch ``index`` can match text that starts with ``prefix``: a prefix of
        a longer match, or a whole match of one or two characters. Told from the table of
        three-character openings worked out at load (and cached with the rules) when it
        covers these characters, else by compiling the branch's opening alone."""
        thirds = self._thirds[index]
        lower = prefix.lower()
        if thirds is not None and len(lower) == 3 and all(c in _SECOND_CHARACTERS for c in lower):
            if lower[:2] not in thirds:
                return False
            allowed = thirds[lower[:2]]
            return allowed is None or lower[2] in allowed
        opener = self._opener(index)
        if opener is None:
            return True
        if opener.fullmatch(prefix, partial=True):
            return True
        return any(opener.fullmatch(prefix[:k]) for k in range(1, len(prefix)))

    def _opener(self, index: int) -> regex.Pattern[str] | None:
        """Branch ``index``'s opening compiled alone, or None when it cannot be told alone."""
        if index not in self._openers:
            code = self._opener_code.get(index)
            body = _without_leading_lookbehind(self._bodies[index])
            # A lookbehind inside may look at text before the cue: it cannot be told alone.
            self._openers[index] = (
                pickle.loads(code) if code else None if "(?<" in body else regex.compile(body)
            )
        return self._openers[index]

    def _match(
        self,
        pattern: regex.Pattern[str],
        branches: str | tuple[int, ...],
        text: str,
        position: int,
        end: int,
        budget: ScanBudget,
    ) -> regex.Match[str] | None:
        """A timed match at ``position`` ending by ``end``, charged to ``budget`` (the
        branches it tried are given, or told by their prefix, and worked out only when the
        call is to be charged to them). A pattern that runs past the timeout (an untrusted
        pack's catastrophic backtracking) is switched off by the budget, and the walk over
        the text starts again without it."""
        started = perf_counter()
        try:
            found = pattern.match(text, position, end, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            budget.timed_out(self, self.branches_of(branches), text, position, end)
            return None
        budget.charge(self, branches, perf_counter() - started, text, position, end)
        return found

    def _anywhere_starts(self, text: str, budget: ScanBudget) -> set[int]:
        """Where a branch that can open anywhere matches in ``text``. Each such branch
        scans the text in C, alone, so that the engine's own search for a required string
        such as "@" or "-induced" skips most of it, and the scan's matches are kept to cue
        starts after. A branch that opens with an assertion (a sentence start) has no such
        search: the places where its opening holds are scanned for once (branches with the
        same opening share the scan), and the branch is matched at each within its cue
        window. A start found here is then matched within its cue window by the walk, so a
        cue is found as the opening tables would find it.

        Scans run piece by piece. A scan reads past its piece (by a cue window more), so
        on a hostile text it can cost the square of the piece: a piece whose scan takes
        longer than ``_PIECE_SECONDS`` has each of its cue starts tried instead. In an
        untrusted pack each piece's scan is charged to its branches."""
        starts: set[int] = set()
        scans, openings = self._anywhere_scans()
        timed = self._timed
        for scan, index in scans:
            for begin in range(0, len(text), _PIECE):
                started = perf_counter() if timed else 0.0
                starts.update(_scan_piece(scan, text, begin, guarded=False, timeout=_PIECE_SECONDS))
                if timed:
                    budget.charge_one(self, index, perf_counter() - started)
        for opening, indices in openings:
            window = _Window(text)
            for begin in range(0, len(text), _PIECE):
                started = perf_counter() if timed else 0.0
                found = _scan_piece(opening, text, begin, timeout=_PIECE_SECONDS)
                if timed:
                    for index in indices:
                        budget.charge_one(self, index, (perf_counter() - started) / len(indices))
                for position in found:
                    end = window.end(position)
                    if any(self._opens_here(i, text, position, end, budget) for i in indices):
                        starts.add(position)
        return starts

    def _opens_here(
        self, index: int, text: str, position: int, end: int, budget: ScanBudget
    ) -> bool:
        return self._match_single(index, text, position, end, budget) is not None

    def _anywhere_scans(
        self,
    ) -> tuple[
        list[tuple[regex.Pattern[str], int]], list[tuple[regex.Pattern[str], tuple[int, ...]]]
    ]:
        """The scans for the branches that open anywhere: each branch that opens with
        characters, alone, with that branch; and each assertion that opens a branch, kept
        to cue starts, with the branches it opens (a branch whose opening cannot be told
        apart is its own)."""
        tables = self._anywhere_tables
        if tables is None:
            # Built whole (or read whole from the rule cache), then published: threads
            # sharing the matcher may build it twice, and each sees either none of it or
            # all of it.
            code = self._anywhere_code
            built = pickle.loads(code) if code is not None else self._build_anywhere()
            tables = self._anywhere_tables = built
        return tables.scans, tables.openings

    def _build_anywhere(self) -> _AnywhereTables:
        """The scans, with the branches' alternation, which matches at a start they found.

        Kept to cue starts by a leading assertion, a branch's scan would lose the engine's
        fast search for its first characters ("\\p{Lu}" before "et al." runs ten times
        slower), which is why those are scanned bare."""
        kept = tuple(self._anywhere)
        scans: _Scans = []
        grouped: dict[str, list[int]] = {}
        for index in kept:
            body = self._bodies[index]
            if not _opens_with_assertion(body):
                scans.append((regex.compile(self._sources[index]), index))
                continue
            opening = _leading_assertion(body) or body
            grouped.setdefault(opening, []).append(index)
        openings = [
            (regex.compile(f"{_AT_CUE_START}{opening}"), tuple(indices))
            for opening, indices in grouped.items()
        ]
        pattern = _alternation([self._sources[i] for i in kept]) if kept else None
        return _AnywhereTables(scans, openings, pattern, kept)

    def _match_anywhere(
        self,
        found: regex.Match[str] | None,
        text: str,
        position: int,
        end: int,
        budget: ScanBudget,
    ) -> regex.Match[str] | None:
        """The longer of ``found`` (from the opening tables) and the match of the branches
        that open anywhere; on a tie the branch defined first, as in one alternation."""
        other = self._anywhere_match(text, position, end, budget)
        if other is None:
            return found
        if found is None or other.end() > found.end():
            return other
        if other.end() == found.end() and _branch_of(other) < _branch_of(found):
            return other
        return found

    def _anywhere_match(
        self, text: str, position: int, end: int, budget: ScanBudget
    ) -> regex.Match[str] | None:
        """The branches that open anywhere, matched at ``position`` (timed in an untrusted
        pack)."""
        self._anywhere_scans()
        tables = self._anywhere_tables
        if tables is None or tables.pattern is None:
            return None
        if not self._timed:
            return tables.pattern.match(text, position, end)
        return self._match(tables.pattern, tables.branches, text, position, end, budget)

    def _candidates(self, key: tuple[str, str]) -> list[tuple[int, str]]:
        first = key[0]
        found = {
            *self._branches.get(key, ()),
            *self._branches.get((first, ""), ()),
            *self._branches.get(("", ""), ()),
        }
        return sorted(found)


# Scans for branches that open anywhere, each with its branch; and assertions that open
# branches (kept to cue starts), each with the branches it opens (or a whole branch whose
# opening could not be told apart, and that branch).
_Scans = list[tuple[regex.Pattern[str], int]]
_Openings = list[tuple[regex.Pattern[str], tuple[int, ...]]]


@dataclass(frozen=True, slots=True)
class _AnywhereTables:
    """How a matcher finds the branches that open anywhere (see Matcher._anywhere_starts)."""

    scans: _Scans
    openings: _Openings
    pattern: regex.Pattern[str] | None
    branches: tuple[int, ...]


def find_together(
    matchers: Sequence[Matcher],
    text: str,
    *,
    include_pseudo: bool = False,
    budget: ScanBudget | None = None,
) -> list[list[CueMatch]]:
    """The cues of each matcher in ``text``, from one walk over its cue starts (the first
    pass and the editorial overlay, and the house rules' tier of each, share the walk, the
    prefixes and the cue window).

    What untrusted rules spend is charged to ``budget`` (a fresh one when None); when one
    of them is switched off the walk starts again without it, so the cues found never
    depend on where in the text a budget ran out."""
    budget = budget if budget is not None else ScanBudget()
    while True:
        try:
            return _walk([budget.active(m) for m in matchers], text, include_pseudo, budget)
        except SwitchedOff:
            continue


def _walk(
    matchers: Sequence[Matcher], text: str, include_pseudo: bool, budget: ScanBudget
) -> list[list[CueMatch]]:
    tiers = [m.tiers() for m in matchers]
    walked = [tier for both in tiers for tier in both]
    found_by: list[list[CueMatch]] = [[] for _ in walked]
    tables = [
        (m, m._by_prefix, m._by_group, found_by[i], m._anywhere_starts(text, budget), m._timed)
        for i, m in enumerate(walked)
    ]
    window = _Window(text)
    for start in _CUE_STARTS.finditer(text):
        position = start.start()
        prefix = text[position : position + 3]
        end = -1
        for matcher, by_prefix, rules, raw, anywhere, timed in tables:
            entry = by_prefix.get(prefix, _UNSEEN)
            if entry is _UNSEEN:
                entry = matcher._for_prefix(prefix)
            opens_anywhere = position in anywhere
            if entry is None and not opens_anywhere:
                continue
            if end < 0:
                end = window.end(position)
            if entry is None:
                found = None
            elif timed or entry.__class__ is _Rare:
                found = matcher._match_at(entry, prefix, text, position, end, budget)
            else:  # the common case, spelled out: one call into the regex engine
                found = entry.match(text, position, end)
            if opens_anywhere:
                found = matcher._match_anywhere(found, text, position, end, budget)
            if found is not None and found.end() > position:
                raw.append(CueMatch(rules[found.lastgroup], position, found.end(), found.group()))
    result = []
    raws = iter(found_by)
    for both in tiers:
        house = next(raws) if len(both) == 2 else []
        result.append(_resolve_overlaps(next(raws), include_pseudo, house=house))
    return result


_UNSEEN = object()  # a prefix not in the table yet


class _Rare:
    """The branches that can open with a three-character prefix, and how often it was met."""

    __slots__ = ("branches", "seen")

    def __init__(self, branches: tuple[int, ...]) -> None:
        self.branches = branches
        self.seen = 0


# Times a cue opening is met before its branches are compiled into one alternation, and
# the most alternations one matcher compiles: each holds tens of kilobytes, and without a
# bound memory would creep up over a long corpus as more openings pass _OFTEN.
_OFTEN = 256
_COMPILED_BUDGET = 384


# Seconds one match attempt may take before its pattern is judged pathological; a real cue
# pattern takes microseconds.
MATCH_TIMEOUT = 1.0

# How far past its start a cue (with what its lookaheads read) may reach. A cue is a phrase
# or, for a pseudo-cue, the rest of a clause; without a bound, patterns that read to the end
# of a clause ("[^.;!?]*") or along a run of word characters and dots (an e-mail address)
# cost the length of the run at every cue start in it: quadratic in a long unpunctuated line.
CUE_REACH = 1000
_SPACE = compiled(r"\s")
_SLACK = 256


class _Window:
    """Where a match starting at a position must end: a whitespace between ``CUE_REACH`` and
    ``CUE_REACH + _SLACK`` characters on (so that no word is cut and ``(?!\\w)`` still means
    the end of a word), or ``2 * CUE_REACH`` on inside a longer unbroken run. Starts come in
    order, so each search resumes where the last one stopped: linear in the text overall."""

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
        ahead = reach + _SLACK
        if begin < ahead < hard:
            # A whitespace a little further on serves the next starts too: one search per
            # _SLACK characters instead of one per word.
            found = _SPACE.search(text, ahead, hard)
            if found is not None:
                self._space = found.start()
                return self._space
        found = _SPACE.search(text, begin, hard) if begin < hard else None
        if found is None:
            self._clear_from, self._clear_to = reach, hard
            return hard
        self._space = found.start()
        return self._space


# Where a cue may begin: a word start, or a punctuation mark such as ";".
_CUE_STARTS = compiled(r"(?<!\w)\S|[^\w\s]")


# Characters of text whose starts one scan for the branches that open anywhere covers, and
# the time such a scan may take (a few milliseconds on prose) before its piece is matched
# start by start instead.
_PIECE = 16384
_PIECE_SECONDS = 0.05
# A cue start (as _CUE_STARTS finds them), as a condition at the current position.
_AT_CUE_START = r"(?:(?<!\w)(?=\S)|(?=[^\w\s]))"
_CUE_START_HERE = compiled(_AT_CUE_START)


def _scan_piece(
    scan: regex.Pattern[str],
    text: str,
    begin: int,
    *,
    guarded: bool = True,
    timeout: float | None,
) -> list[int]:
    """The cue starts in ``text[begin:begin + _PIECE]`` where ``scan`` matches (reading on a
    cue window past the piece), or every cue start there if the scan runs out of time.
    An unguarded scan may match elsewhere too: those starts are dropped."""
    last = min(len(text), begin + _PIECE)
    stop = min(len(text), last + 2 * CUE_REACH + _SLACK)
    try:
        found = scan.finditer(text, begin, stop, overlapped=True, timeout=timeout)
        starts = [m.start() for m in found if m.start() < last]
        if guarded:
            return starts
        return [start for start in starts if _CUE_START_HERE.match(text, start)]
    except TimeoutError:
        return [m.start() for m in _CUE_STARTS.finditer(text, begin, last)]


def _opens_with_assertion(body: str) -> bool:
    """Whether a pattern's first item is a zero-width assertion (a lookaround, ``\\b``,
    ``^``), looking inside its inline flags and non-capturing groups."""
    rest = body
    while True:
        flags = regex.match(r"\(\?[a-zA-Z-]*:", rest)
        if flags is None:
            break
        rest = rest[flags.end() :]
    return rest.startswith(("(?<=", "(?<!", "(?=", "(?!", "\\b", "^", "\\A"))


def _leading_assertion(body: str) -> str | None:
    """``(?i:(?<=^|\\n)[^.]*?...)`` -> ``(?i:(?<=^|\\n))``: the zero-width item a pattern
    opens with, inside its flags; None when it opens otherwise or cannot be told."""
    wrapper = regex.match(r"\(\?[a-zA-Z-]*:", body)
    if wrapper is None:
        return None
    item = _first_group(body[wrapper.end() :])
    if item is None or not _zero_width(item):
        return None
    return f"{wrapper.group()}{item})"


def _zero_width(item: str) -> bool:
    """Whether a group is a lookaround, or a group of alternatives that all are."""
    if item.startswith(("(?<=", "(?<!", "(?=", "(?!")):
        return True
    if not item.startswith("(?:"):
        return False
    alternatives = _top_level_alternatives(item[3:-1])
    return all(_first_group(a) == a and _zero_width(a) for a in alternatives)


def _first_group(pattern: str) -> str | None:
    """The parenthesised group ``pattern`` opens with, or None."""
    if not pattern.startswith("("):
        return None
    depth = 0
    for index, ch in _syntax(pattern):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return pattern[: index + 1]
    return None


def _top_level_alternatives(pattern: str) -> list[str]:
    """``a|(b|c)|d`` -> ``["a", "(b|c)", "d"]``."""
    cuts, depth = [-1], 0
    for index, ch in _syntax(pattern):
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            cuts.append(index)
    cuts.append(len(pattern))
    return [pattern[a + 1 : b] for a, b in itertools.pairwise(cuts)]


def _syntax(pattern: str) -> Iterator[tuple[int, str]]:
    """The parentheses and bars of a pattern with their offsets, leaving out escaped ones
    and those inside character classes."""
    index, in_class = 0, False
    while index < len(pattern):
        ch = pattern[index]
        if ch == "\\":
            index += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "]":
                index += 1  # "[]...]": a literal "]" first
        elif ch in "()|":
            yield index, ch
        index += 1


def _branch_of(match: regex.Match[str]) -> int:
    """The branch number of a match: its group is named ``g<number - 1>``."""
    return int(match.lastgroup[1:]) + 1  # type: ignore[index]


def _opens_anywhere(body: str, keys: list[tuple[str, str]]) -> bool:
    """Whether a branch can open with almost any word: its first characters are not told
    (``keys`` has no first character) and its opening accepts letters that begin no
    English word, or cannot be told apart from the text before it (a lookbehind inside)."""
    if ("", "") not in keys:
        return False
    opening = _without_leading_lookbehind(body)
    if "(?<=" in opening or "(?<!" in opening:
        return True
    compiled = regex.compile(opening)
    return any(compiled.fullmatch(probe, partial=True) for probe in ("xqz", "Xqz", "qzx"))


# Distinct three-character openings remembered per matcher before the table starts afresh,
# so that memory stays bounded on any input.
_PREFIX_CACHE_SIZE = 200_000


def _key(prefix: str) -> tuple[str, str]:
    """The (first, second) opening-table key of a cue that starts with ``prefix``."""
    return prefix[0].lower(), _second(prefix, 1)


def _pickled(pattern: regex.Pattern[str]) -> bytes:
    return pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL)


def _alternation(branches: list[str]) -> regex.Pattern[str]:
    """Branches as one POSIX (leftmost-longest) alternation."""
    return regex.compile("(?p)(?:" + "|".join(branches) + ")")


# Currency signs beyond "$" are here so that a cue may open with one ("£30", "€20 a dose").
_FIRST_CHARACTERS = string.ascii_lowercase + string.digits + string.punctuation + "“”‘’–—•£€"
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
    cased = _cased(body)
    keys: list[tuple[str, str]] = []
    for first in sorted(firsts):
        variants = cased(first)
        if any(compiled.fullmatch(v) for v in variants) or any(
            compiled.fullmatch(v + other, partial=True) for v in variants for other in "é?"
        ):
            keys.append((first, ""))
            continue
        seconds = [
            ch
            for ch in _SECOND_CHARACTERS
            if any(compiled.fullmatch(v + c, partial=True) for v in variants for c in cased(ch))
        ]
        keys.extend((first, ch) for ch in seconds)
    return keys


def _third_characters(
    body: str, keys: list[tuple[str, str]]
) -> dict[str, frozenset[str] | None] | None:
    """For each two-character opening of ``body`` (lower case), the third characters a
    match can go on with (None: any, the two already being a whole match); None when the
    openings are not all told by two characters."""
    if not keys or any(not first or not second for first, second in keys):
        return None
    stripped = _without_leading_lookbehind(body)
    if "(?<" in stripped:
        return None
    compiled = regex.compile(stripped)
    cased = _cased(body)
    table: dict[str, frozenset[str] | None] = {}
    for first, second in keys:
        opening = first + second
        variants = cased(opening, first + second.upper())
        if any(compiled.fullmatch(v) or compiled.fullmatch(v[0]) for v in variants):
            table[opening] = None
            continue
        table[opening] = frozenset(
            ch
            for ch in _SECOND_CHARACTERS
            if any(
                compiled.fullmatch(v + c, partial=True) or compiled.fullmatch(v + c)
                for v in variants
                for c in cased(ch)
            )
        )
    return table


def _first_characters(body: str) -> set[str] | None:
    """Lower-case characters a match of ``body`` can begin with, or None when that cannot
    be told cheaply (a lookbehind first, or a start that accepts almost anything)."""
    body = _without_leading_lookbehind(body)
    if "(?<" in body:
        return None  # a lookbehind inside may let a branch start anywhere
    compiled = regex.compile(body)
    cased = _cased(body)
    firsts = {
        ch
        for ch in _FIRST_CHARACTERS
        if any(compiled.fullmatch(c, partial=True) for c in cased(ch))
    }
    if not firsts or len(firsts) > 24 or compiled.fullmatch("é", partial=True):
        return None
    return firsts


def _cased(body: str) -> Callable[..., tuple[str, ...]]:
    """How to probe ``body`` with a lower-case string (and, for an opening, its mixed-case
    form): in every case it can take, or, when the whole body matches without regard to
    case, in lower case alone. The opening tables are worked out by probing each pattern
    with every character that may follow; done in every case, that was half the time of
    building the default packs' rules."""
    if _case_blind(body):
        return lambda text, *_: (text,)
    return lambda text, *mixed: tuple(
        {text, text.upper(), text.capitalize(), *mixed, *(m.upper() for m in mixed)}
    )


def _case_blind(body: str) -> bool:
    """Whether ``body`` matches a text whatever the case of its ASCII letters: it is
    wrapped case-insensitive, the wrapper holds all of it (a pattern such as ``a)(?:b``
    would close it early), and nothing in it can switch that off again (an inline flag
    group that removes a flag, such as ``(?-i:FDA)``, is taken to switch it off)."""
    return body.startswith("(?i:") and _FLAG_OFF.search(body) is None and _first_group(body) == body


# An inline flag group that turns a flag off ("(?-i:", "(?s-i)", "(?^"), escaped or not.
_FLAG_OFF = compiled(r"\(\?[a-zA-Z]*[-^]")


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


def _resolve_overlaps(
    matches: list[CueMatch], include_pseudo: bool, *, house: Sequence[CueMatch] = ()
) -> list[CueMatch]:
    """Longest cue wins among overlapping cues, a ``house`` cue (from a pack outside the
    shipped ones) over every shipped cue; then each pseudo-cue swallows the cues it
    overlaps (all of them, or those its ``swallows`` names) that are no longer than itself.
    A pseudo-cue says no cue is here ("in May"), not which rule wins, so the shipped ones
    swallow house cues too: the loader warns when one does so in a house rule's example."""
    cues = _longest_first(
        [m for m in house if m.rule.category != "pseudo"],
        [m for m in matches if m.rule.category != "pseudo"],
    )
    # Each tier's pseudo-cues are kept apart, so that neither tier's guards drop the other's.
    tiers = [
        _disjoint_by_start(_longest_first([m for m in found if m.rule.category == "pseudo"]))
        for found in (house, matches)
        if found
    ]

    def swallowed(match: CueMatch) -> bool:
        for starts, by_start in tiers:
            index = bisect_left(starts, match.end) - 1
            while index >= 0 and by_start[index].end > match.start:
                if pseudo_swallows(by_start[index], match):
                    return True
                index -= 1
        return False

    result = [m for m in cues if not swallowed(m)]
    if include_pseudo:
        result.extend(m for _, by_start in tiers for m in by_start)
    return sorted(result, key=lambda m: (m.start, m.end))


def _disjoint_by_start(pseudo: list[CueMatch]) -> tuple[list[int], list[CueMatch]]:
    """Disjoint pseudo-cues sorted by start, and their starts: their ends are sorted too,
    so the ones a cue overlaps are a run ending just before the first that starts at its
    end."""
    by_start = sorted(pseudo, key=lambda m: m.start)
    return [p.start for p in by_start], by_start


def _longest_first(*tiers: list[CueMatch]) -> list[CueMatch]:
    """Tier by tier, longest first (then leftmost), each kept unless it overlaps one already
    kept. A match clashes only with matches it overlaps, so each run of overlapping matches
    (of any tier) is settled on its own: one list of every kept start for the whole text
    would shift on each insert, quadratic in a long text."""
    kept: list[tuple[int, CueMatch]] = []
    run: list[tuple[int, CueMatch]] = []
    reach = -1
    ranked = ((rank, match) for rank, tier in enumerate(tiers) for match in tier)
    for rank, match in sorted(ranked, key=lambda item: item[1].start):
        if match.start >= reach:
            kept += _longest_first_in(run)
            run, reach = [], match.end
        run.append((rank, match))
        reach = max(reach, match.end)
    kept += _longest_first_in(run)
    return [match for _, match in sorted(kept, key=_tier_longest_leftmost)]


def _longest_first_in(run: list[tuple[int, CueMatch]]) -> list[tuple[int, CueMatch]]:
    """``_longest_first`` of a run of (tier, match): the kept spans are disjoint, so only
    the last one starting before a match's end can overlap it."""
    kept: list[tuple[int, CueMatch]] = []
    starts: list[int] = []
    ends: list[int] = []
    for rank, match in sorted(run, key=_tier_longest_leftmost):
        index = bisect_left(starts, match.end)
        if index and ends[index - 1] > match.start:
            continue
        kept.append((rank, match))
        starts.insert(index, match.start)
        ends.insert(index, match.end)
    return kept


def _longest_leftmost(match: CueMatch) -> tuple[int, int]:
    return match.start - match.end, match.start


def _tier_longest_leftmost(ranked: tuple[int, CueMatch]) -> tuple[int, int, int]:
    return (ranked[0], *_longest_leftmost(ranked[1]))


def pseudo_swallows(pseudo: CueMatch, match: CueMatch) -> bool:
    """Whether a pseudo-cue swallows a cue it overlaps (one no longer than itself, of the
    rules or categories its ``swallows`` names, or any)."""
    overlaps = pseudo.start < match.end and match.start < pseudo.end
    if not overlaps or match.end - match.start > pseudo.end - pseudo.start:
        return False
    names = pseudo.rule.swallows
    return not names or match.rule.id in names or match.rule.category in names


@dataclass(frozen=True)
class RuleSet:
    """Validated rules from one or more packs, compiled once into a matcher.

    ``warnings`` are what loading found worth saying that is no error: a pack's pseudo rule
    that swallows other packs' cues, a rule cache that was not used. The library says them
    nowhere; the command line prints them on stderr."""

    rules: tuple[Rule, ...]
    scoring: Scoring = field(default_factory=Scoring)
    packs: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    # The words and patterns the analysis reads language by (see hedgecheck.lexicon).
    lexicon: Lexicon = field(default_factory=Lexicon)
    warnings: tuple[str, ...] = field(default=(), compare=False)
    matcher: Matcher = field(init=False, repr=False, compare=False)
    overlay: Matcher = field(init=False, repr=False, compare=False)
    # Descriptions of a study's method ("followed 400,000 adults for 13 years") run over the
    # words of cues and notes alike ("treated", "compared with placebo"): matched apart, so
    # that they neither hide nor are hidden by either.
    methods: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        layers: dict[str, list[Rule]] = {"first": [], "overlay": [], "methods": []}
        for rule in self.rules:
            layers[_layer(rule)].append(rule)
        object.__setattr__(self, "matcher", Matcher(layers["first"]))
        object.__setattr__(self, "overlay", Matcher(layers["overlay"]))
        object.__setattr__(self, "methods", Matcher(layers["methods"]))

    @property
    def matchers(self) -> tuple[Matcher, Matcher, Matcher]:
        """The first pass, the editorial overlay and the method descriptions."""
        return self.matcher, self.overlay, self.methods

    def example_prose(self) -> str:
        """The rules' and checks' example sentences: a sample of the prose they read."""
        texts = [e.text for r in self.rules for e in (*r.match_examples, *r.no_match_examples)]
        texts += [t for c in self.checks for t in (*c.raise_examples, *c.pass_examples)]
        return "\n".join(texts)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def find(
        self, text: str, *, include_pseudo: bool = False, budget: ScanBudget | None = None
    ) -> tuple[list[CueMatch], list[CueMatch]]:
        """The first pass's cues, and the editorial overlay's and the method descriptions'
        notes, in ``text``, in one scan; with ``include_pseudo`` the pseudo-cues that
        swallowed others are kept among them. What the rules of untrusted packs spend is
        charged to ``budget`` (see ``hedgecheck.budget``)."""
        cues, notes, described = find_together(
            self.matchers, text, include_pseudo=include_pseudo, budget=budget
        )
        if described:
            notes = sorted([*notes, *described], key=lambda m: (m.start, m.end))
        return cues, notes

    def matcher_for(self, rule: Rule) -> Matcher:
        """The matcher that holds ``rule``: the first pass, the editorial overlay or the
        method descriptions."""
        return {"first": self.matcher, "overlay": self.overlay, "methods": self.methods}[
            _layer(rule)
        ]

    def check(self, name: str) -> Check | None:
        return next((check for check in self.checks if check.name == name), None)


def match_takers(ruleset: RuleSet, rule: Rule, example: Example) -> tuple[CueMatch, ...]:
    """The other rules' matches that took a match example's marked spans from ``rule``:
    spans the rule matches alone but not among the whole rule set, and the matches there
    that overlap them (cues) or swallow them (pseudo-cues)."""
    alone = {(m.start, m.end) for m in Matcher([rule]).find(example.text, include_pseudo=True)}
    found = ruleset.matcher_for(rule).find(example.text, include_pseudo=True)
    kept = {(m.start, m.end) for m in found if m.rule.id == rule.id}
    takers: dict[CueMatch, None] = {}
    for start, end in example.spans:
        if (start, end) not in alone or (start, end) in kept:
            continue
        own = CueMatch(rule, start, end, example.text[start:end])
        for other in found:
            if other.rule.id == rule.id:
                continue
            if other.rule.category == "pseudo":
                took = pseudo_swallows(other, own)
            else:
                took = other.start < end and start < other.end
            if took:
                takers[other] = None
    return tuple(takers)


def pattern_of(match: CueMatch, text: str) -> str:
    """Which of its rule's patterns made ``match`` in ``text`` (the first, when none can be
    told alone)."""
    rule = match.rule
    for pattern in rule.patterns:
        compiled = regex.compile(_wrap(pattern, rule.case_sensitive))
        try:  # a house pack's pattern is untrusted, here as in the matcher
            found = compiled.match(text, match.start, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            continue
        if found is not None and found.end() == match.end:
            return pattern
    return rule.patterns[0]


def _shadow_warnings(ruleset: RuleSet) -> tuple[str, ...]:
    """A warning for each house rule whose own match example a shipped rule takes from it.
    A house cue wins over every shipped cue it overlaps, so only a shipped pseudo-cue (a
    guard such as "in May" that says no cue is here) can: the house pack's writer is told
    which, at load, instead of finding the rule silent."""
    shipped = default_rules_path()
    tiers = {Path(r.file).parent == shipped for r in ruleset.rules}
    if len(tiers) < 2:
        return ()
    found: list[str] = []
    for rule in ruleset.rules:
        if Path(rule.file).parent == shipped:
            continue
        for example in rule.match_examples:
            for taker in match_takers(ruleset, rule, example):
                if Path(taker.rule.file).parent != shipped:
                    continue
                pattern = pattern_of(taker, example.text)
                found.append(
                    f"{rule.file}, rule {rule.id!r}: shipped rule {taker.rule.id!r} "
                    f"({taker.rule.pack}, {taker.rule.category}, pattern {pattern!r}) shadows "
                    f"it in its example {example.text!r}: it takes {taker.text!r}"
                )
    return tuple(found)


def _layer(rule: Rule) -> str:
    """Which matcher a rule's category is matched by: "first", "overlay" or "methods"."""
    spec = CATEGORIES[rule.category]
    return spec.get("layer") or ("overlay" if spec.get("overlay") else "first")


def default_rules_path() -> Path:
    """Folder of the default packs inside the installed package: the folder of the
    hedgecheck.packs package, found as importlib.resources finds it (which imports
    tempfile and shutil, some 10 ms of a warm start, to no use here)."""
    import hedgecheck.packs

    return Path(hedgecheck.packs.__path__[0])


_DEFAULT: RuleSet | None = None


def default_rules() -> RuleSet:
    """The default packs, loaded and compiled once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_rules()
    return _DEFAULT


def load_rules(*paths: str | Path, include_defaults: bool = False) -> RuleSet:
    """Load packs from files or folders (``*.toml``); no paths means the default packs.

    A build of the rules from their packs that takes more than ``SLOW_BUILD`` seconds is
    announced, once, as an INFO record of the ``hedgecheck`` logger (the command line
    shows it on stderr)."""
    require(include_defaults, bool, argument="load_rules(): include_defaults")
    targets = [Path(path_text(p, argument="load_rules(): each path")) for p in paths]
    if not targets or include_defaults:
        targets.insert(0, default_rules_path())
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(target.glob("*.toml")))
        elif os.path.lexists(target):
            files.append(target)  # whatever it is, the reader names what is wrong with it
        else:
            raise RuleError("no such rule pack file or folder", path=str(target))
    # A pack named twice (by the config and by --rules) is loaded once, not refused for
    # defining its ids twice.
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    files = list(unique.values())
    # Each pack is read once, within bounds: the cache key and the parser see the same bytes.
    packs = [(path, read_toml_bytes(path)) for path in files]
    notices: list[str] = []
    shipped = _read_shipped(packs, notices) if targets == [default_rules_path()] else None
    if shipped is not None:
        return shipped
    cache = _RuleCache.open(packs, notices)
    try:
        cached = cache.read(notices) if cache is not None else None
        if cached is not None:
            return _with_notices(cached, notices)
        with _announced_if_slow(len(packs), cached=cache is not None):
            ruleset = _compiled(packs) if cache is not None else _load_files(packs)
        if cache is not None:
            cache.write(ruleset, notices)
    finally:
        if cache is not None:
            cache.close()
    return _with_notices(ruleset, notices)


def _with_notices(ruleset: RuleSet, notices: list[str]) -> RuleSet:
    """What the caches noticed is said of this load only, so it joins the rule set's
    warnings after the rule set went into (or came out of) a cache."""
    if notices:
        object.__setattr__(ruleset, "warnings", (*ruleset.warnings, *notices))
    return ruleset


def _compiled(files: list[tuple[Path, bytes]]) -> RuleSet:
    """The rules of ``files`` with every branch, and the alternations met in their
    examples' prose, compiled ahead: what a cache holds."""
    ruleset = _load_files(files)
    prose = ruleset.example_prose()
    for matcher in ruleset.matchers:
        matcher.compile_branches(prose)
    return ruleset


# Seconds a build of the rules from their packs runs before it is announced: a warm cache
# loads in a few hundredths of a second, a build of the default packs takes several seconds.
SLOW_BUILD = 1.0
_LOG = logging.getLogger("hedgecheck")


@contextlib.contextmanager
def _announced_if_slow(packs: int, *, cached: bool) -> Iterator[None]:
    """While the block runs, a timer that logs what is happening if it runs past
    ``SLOW_BUILD`` seconds: the library prints nothing itself."""
    counted = f"{packs} pack{'' if packs == 1 else 's'}"
    what = (
        f"building the rule cache for {counted} (once per set of packs)…"
        if cached
        else f"compiling the rules of {counted} (the rule cache is off)…"
    )
    timer = threading.Timer(SLOW_BUILD, _LOG.info, args=(what,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _load_files(files: list[tuple[Path, bytes]]) -> RuleSet:
    rules: list[Rule] = []
    checks: list[Check] = []
    scoring = Scoring()
    packs: list[str] = []
    parsed: list[tuple[Path, dict[str, Any]]] = []
    texts = [(path, toml_text(raw, path=path)) for path, raw in files]
    for path, text in texts:
        data = loads_toml(text, path=path)
        if "scoring" in data:
            scoring = _parse_scoring(data, path)
            continue
        name, pack_rules, pack_checks = _parse_pack(data, path)
        packs.append(name)
        rules.extend(pack_rules)
        checks.extend(pack_checks)
        parsed.append((path, data))
    _check_ids(rules, checks)
    lexicon, replaced = read_lexicon(parsed, taken={i.id: i.file for i in (*rules, *checks)})
    ruleset = RuleSet(
        rules=tuple(rules),
        scoring=scoring,
        packs=tuple(packs),
        checks=tuple(checks),
        lexicon=lexicon,
        warnings=(*_swallow_warnings(rules), *replaced),
    )
    shadows = _shadow_warnings(ruleset)
    if shadows:
        object.__setattr__(ruleset, "warnings", (*ruleset.warnings, *shadows))
    return ruleset


def _swallow_warnings(rules: Sequence[Rule]) -> tuple[str, ...]:
    """A warning for each pseudo rule from outside the shipped packs that swallows cues of
    other packs (by category, by id, or all of them when it has no ``swallows`` list):
    wherever it matches, their cues and findings leave the report without a trace, so a
    house pack could quietly switch the built-in rules off. The shipped packs' own pseudo
    rules are vetted with them and say nothing."""
    shipped = default_rules_path()
    # A first-pass pseudo-cue swallows first-pass cues only: the editorial overlay and the
    # method descriptions are matched apart from it.
    swallowable = [r for r in rules if r.category != "pseudo" and _layer(r) == "first"]
    found: list[str] = []
    for rule in rules:
        if rule.category != "pseudo" or Path(rule.file).parent == shipped:
            continue
        named = set(rule.swallows)
        hit = [
            other
            for other in swallowable
            if other.file != rule.file
            and (not named or other.id in named or other.category in named)
        ]
        if hit:
            found.append(_swallow_warning(rule, hit, shipped))
    return tuple(found)


def _swallow_warning(rule: Rule, hit: Sequence[Rule], shipped: Path) -> str:
    named = set(rule.swallows)
    categories = sorted({r.category for r in hit if not named or r.category in named})
    ids = sorted({r.id for r in hit if r.id in named})
    what = [f"categories {', '.join(categories)}"] if categories else []
    what += [f"rules {', '.join(ids)}"] if ids else []
    packs = sorted(
        {f"{r.pack} (built in)" if Path(r.file).parent == shipped else r.pack for r in hit}
    )
    how = f"swallows = {list(rule.swallows)}" if named else "no swallows list"
    return (
        f"{rule.file}, rule {rule.id!r}: this pseudo rule ({how}) swallows the cues of other "
        f"packs ({'; '.join(what)}; from {', '.join(packs)}): wherever it matches, their "
        "cues and findings are dropped from the report"
    )


# -- the rule cache ---------------------------------------------------------------------
#
# Validating the packs and working out which characters each of ~800 patterns can open with
# takes most of a short run's time. The result (rules, opening tables, and each pattern
# compiled) is pickled in the user's cache folder, keyed by a hash of every pack file's path
# and bytes, this module's source, and the Python and regex versions; any change to those
# makes a new key. HEDGECHECK_CACHE_DIR moves the folder, HEDGECHECK_NO_CACHE=1 turns the
# cache off. Nothing is ever written beside the packs or the scanned files, and a cache that
# cannot be written is ignored.
#
# Unpickling runs whatever code the bytes name, so a cache is unpickled only once it is
# known to be this user's own writing: the folder, the key file and the cache file belong
# to the effective user; the folder and the cache are writable by no one else and the key
# readable by no one else; neither file is a symbolic link (each is opened with O_NOFOLLOW
# relative to the open folder, and checked by fstat on what was opened); and the cache's
# bytes carry an HMAC-SHA256, under a random key of the user's, over the pack set's hash
# and the bytes themselves. After unpickling, the rule set must hold every rule its header
# lists (and the packs' id lines name). Whatever fails, the rules are built from the packs,
# with a warning. A format without code was measured and not taken: the patterns would
# have to be compiled again, about 0.6 s of a short run's patterns against 10 ms to
# unpickle them (regex keeps no compiled form outside a pickle, and its compiled code
# given from a file would need the same protection).

_CACHE_MAGIC = b"hedgecheck rule cache 3\n"
_TAG_BYTES = hashlib.sha256().digest_size
_KEY_FILE = "cache-key"
_KEY_BYTES = 32
# An id line of a pack as packs write them (id = "HDG001"), after a line feed: the ids a
# cached rule set must hold, read off the pack bytes hashed for the key (an id in an inline
# table is not seen). The standard re module finds them ten times faster than regex here.
_ID_LINE = re.compile(rb"""\n[ \t]*id[ \t]*=[ \t]*["']([A-Z]{2,5}[0-9]{3})["']""")
_REBUILT = "not used; the rules were built from the packs"


def _cache_folder() -> Path | None:
    if os.environ.get("HEDGECHECK_NO_CACHE") or not _PRIVATE_FILES:
        return None
    chosen = os.environ.get("HEDGECHECK_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "hedgecheck"
    try:
        return Path.home() / ".cache" / "hedgecheck"
    except RuntimeError:  # no home folder
        return None


class _RuleCache:
    """The cache folder, open and checked private to this user, and the cache of one set of
    pack files in it."""

    def __init__(self, folder: Path, descriptor: int, digest: bytes, ids: frozenset[str]):
        self.folder = folder
        self.descriptor = descriptor  # every file is opened relative to it
        self.digest = digest
        self.name = f"rules-{digest.hex()[:32]}.pickle"
        self.ids = ids
        self._key: bytes | None = None
        self._key_state = ""  # "", then "read", "missing" or "untrusted"

    @classmethod
    def open(cls, files: list[tuple[Path, bytes]], notices: list[str]) -> _RuleCache | None:
        """The cache for ``files``, its folder made (0700) if need be; None when the cache
        is off, or its folder cannot be made or trusted (which ``notices`` tells)."""
        folder = _cache_folder()
        keyed = _pack_digest(files) if folder is not None else None
        if folder is None or keyed is None:
            return None
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return None  # no folder, and none can be made: no cache this time
        try:
            _check_private(os.fstat(descriptor), _SHARED_WRITE)
        except _Untrusted as exc:
            os.close(descriptor)
            notices.append(
                f"rule cache folder {folder} {exc}, so the rule cache is off (make it "
                "private with chmod 700, or set HEDGECHECK_CACHE_DIR to a folder of your own)"
            )
            return None
        return cls(folder, descriptor, *keyed)

    def close(self) -> None:
        os.close(self.descriptor)

    def read(self, notices: list[str]) -> RuleSet | None:
        """The cached rule set, or None when there is none yet or it cannot be trusted
        (``notices`` says why)."""
        where = self.folder / self.name
        try:
            with self._open(self.name, _SHARED_WRITE) as handle:
                data = handle.read()
                os.utime(handle.fileno())  # used now: pruning keeps the caches in use
        except FileNotFoundError:
            return None  # not cached yet
        except _Untrusted as exc:
            notices.append(f"rule cache {where} {exc}: {_REBUILT}")
            return None
        except OSError:
            return None
        key = self.key(notices, create=False)
        if key is None:
            if self._key_state == "missing":
                notices.append(
                    f"rule cache {where} cannot be checked, its key "
                    f"{self.folder / _KEY_FILE} being gone: {_REBUILT}"
                )
            return None
        ruleset, problem = _unsealed(data, key, self.digest, self.ids)
        if problem:
            notices.append(f"rule cache {where} {problem}: {_REBUILT}")
        return ruleset

    def write(self, ruleset: RuleSet, notices: list[str]) -> None:
        """``ruleset`` sealed into the cache (written aside and renamed into place); a
        cache that cannot be written only costs the next run its load time."""
        key = self.key(notices, create=True)
        if key is None:
            return
        import secrets  # only to write: a warm start never needs it

        temporary = f".rules-{secrets.token_hex(8)}"
        try:
            data = _sealed(ruleset, key, self.digest)
            self._write_new(temporary, data)
            os.replace(temporary, self.name, src_dir_fd=self.descriptor, dst_dir_fd=self.descriptor)
        except (OSError, pickle.PicklingError, RecursionError):
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self.descriptor)
            return
        self._prune()

    def key(self, notices: list[str], *, create: bool) -> bytes | None:
        """This user's cache key; with ``create``, a new one when there is none or the one
        there is not to be trusted."""
        if not self._key_state:
            self._key = self._read_key(notices)
        if self._key is None and create:
            self._key = self._new_key()
        return self._key

    def _read_key(self, notices: list[str]) -> bytes | None:
        where = self.folder / _KEY_FILE
        self._key_state = "read"
        try:
            with self._open(_KEY_FILE, _SHARED_ANY) as handle:
                key = handle.read(_KEY_BYTES + 1)
            if len(key) != _KEY_BYTES:
                raise _Untrusted(f"does not hold a {_KEY_BYTES}-byte key")
            return key
        except FileNotFoundError:
            self._key_state = "missing"
        except _Untrusted as exc:
            self._key_state = "untrusted"
            notices.append(
                f"rule cache key {where} {exc}: the caches are {_REBUILT}, and a new key "
                "replaces it"
            )
        except OSError:
            self._key_state = "untrusted"
        return None

    def _new_key(self) -> bytes | None:
        """A new random key, linked into place so that of two processes making one at once
        both use the first; the caches made with no key or an untrusted one are deleted."""
        import secrets

        key = secrets.token_bytes(_KEY_BYTES)
        temporary = f".key-{secrets.token_hex(8)}"
        folder = self.descriptor
        try:
            self._write_new(temporary, key)
            if self._key_state == "untrusted":
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(_KEY_FILE, dir_fd=folder)
            os.link(temporary, _KEY_FILE, src_dir_fd=folder, dst_dir_fd=folder)
        except FileExistsError:
            self._key_state = ""
            return self.key([], create=False)
        except OSError:
            return None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
        self._prune(keep=0)
        return key

    def _open(self, name: str, shared: int) -> BinaryIO:
        """``name`` in the folder opened for reading: never through a symbolic link, and
        only a regular file of this user's (else ``_Untrusted``)."""
        return _open_regular(self.descriptor, name, shared)

    def _write_new(self, name: str, data: bytes) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        descriptor = os.open(name, flags, 0o600, dir_fd=self.descriptor)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)

    def _prune(self, *, keep: int | None = None) -> None:
        """Drop all but the ``_CACHES_KEPT`` most recently used rule caches, so the folder
        does not grow with every set of packs ever loaded (each cache holds every pattern
        compiled)."""
        kept = _CACHES_KEPT if keep is None else keep
        folder = self.descriptor
        try:
            names = [n for n in os.listdir(folder) if _CACHE_NAME.fullmatch(n)]
            used = sorted(
                names,
                key=lambda n: os.stat(n, dir_fd=folder, follow_symlinks=False).st_mtime,
                reverse=True,
            )
            for stale in used[kept:]:
                os.unlink(stale, dir_fd=folder)
        except OSError:
            pass  # another process pruned first


# Rule caches kept: one per set of pack files in use (the default packs, a house style,
# the packs a test suite writes), the least recently used going first.
_CACHES_KEPT = 16
_CACHE_NAME = compiled(r"rules-[0-9a-f]{32}\.pickle")


def _pack_digest(
    files: list[tuple[Path, bytes]], *, by_name: bool = False
) -> tuple[bytes, frozenset[str]] | None:
    """The cache key of a set of pack files (each path with its bytes), and the ids their
    id lines name. ``by_name`` keys each file by its name instead of its path: the shipped
    cache is made in the build folder and read where the wheel was installed."""
    digest = hashlib.sha256()
    ids: set[str] = set()
    try:
        digest.update(Path(__file__).read_bytes())
        digest.update(Path(__file__).with_name("lexicon.py").read_bytes())
    except OSError:
        return None  # the loader cannot be read, so no key can be trusted: no cache
    for path, data in files:
        digest.update(f"\0{path.name if by_name else path}\0{len(data)}\0".encode())
        digest.update(data)
        ids.update(m.decode() for m in _ID_LINE.findall(b"\n" + data))
    digest.update(f"{sys.version}\0{regex.__version__}".encode())
    return digest.digest(), frozenset(ids)


def _sealed(ruleset: RuleSet, key: bytes, digest: bytes) -> bytes:
    """The cache file's bytes: a mark, the tag, and the manifest (JSON) and pickle it
    covers."""
    body = _payload(ruleset)
    return _CACHE_MAGIC + _tag(key, digest, body) + body


def _payload(ruleset: RuleSet) -> bytes:
    """The manifest (JSON, its length first) and the pickle of ``ruleset``."""
    manifest = json.dumps(_manifest(ruleset)).encode()
    body = len(manifest).to_bytes(4, "big") + manifest
    return body + pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL)


def _tag(key: bytes, digest: bytes, body: bytes | memoryview) -> bytes:
    """HMAC-SHA256 over the format mark, the pack set's key (so a cache cannot pass for
    another pack set's) and the body."""
    mac = hmac.new(key, _CACHE_MAGIC, hashlib.sha256)
    mac.update(digest)
    mac.update(body)
    return mac.digest()


def _unsealed(
    data: bytes, key: bytes, digest: bytes, ids: frozenset[str]
) -> tuple[RuleSet | None, str | None]:
    """The rule set in a cache file's bytes, or None and what is wrong with them. Nothing
    is unpickled before the tag is checked."""
    head = len(_CACHE_MAGIC) + _TAG_BYTES
    if not data.startswith(_CACHE_MAGIC) or len(data) < head + 4:
        return None, "is not a rule cache of this version (or is cut short)"
    view = memoryview(data)
    body = view[head:]
    if not hmac.compare_digest(view[len(_CACHE_MAGIC) : head], _tag(key, digest, body)):
        return None, (
            "fails its integrity check (changed, cut short, or not written by hedgecheck "
            "with this user's key)"
        )
    return _unpickled(body, ids)


def _unpickled(body: memoryview, ids: frozenset[str]) -> tuple[RuleSet | None, str | None]:
    """The rule set in a trusted payload, or None and what is wrong with it: it must hold
    every rule its manifest lists and its packs' id lines name."""
    size = int.from_bytes(body[:4], "big")
    try:
        manifest = json.loads(bytes(body[4 : 4 + size]))
        ruleset = pickle.loads(body[4 + size :])
    except Exception:  # a sealed cache that still cannot be read: rebuild
        return None, "cannot be read"
    if not isinstance(ruleset, RuleSet) or _manifest(ruleset) != manifest:
        return None, "does not hold the rules it lists"
    if set(manifest["matched"]) != set(manifest["rules"]):
        return None, "does not match every rule it holds"
    missing = ids - {r.id for r in ruleset.rules} - {c.id for c in ruleset.checks}
    missing -= {e.id for e in (*ruleset.lexicon.entries, *ruleset.lexicon.replaced)}
    if missing:
        return None, f"lacks rules its packs define ({', '.join(sorted(missing)[:5])})"
    return ruleset, None


def _manifest(ruleset: RuleSet) -> dict[str, list[str]]:
    """What a cached rule set holds: its rules, checks and packs, and the rules its
    matchers match (each rule has a pattern, so every one of them)."""
    matched = {r.id for m in ruleset.matchers for r in m.rules()}
    return {
        "rules": [r.id for r in ruleset.rules],
        "checks": [c.id for c in ruleset.checks],
        "packs": list(ruleset.packs),
        "matched": sorted(matched),
    }


# -- the shipped cache ------------------------------------------------------------------
#
# A wheel carries the default packs compiled (setup.py runs build_shipped_cache when the
# wheel is built), so that the first run after an install reads them as fast as later ones.
# The file is part of the installed package and as trusted as its code, so it carries no
# HMAC; it is unpickled only when it is a regular file (no symbolic link) in the package's
# packs folder, owned by the owner of this module and writable by no one else, and made from
# packs with exactly the installed packs' names and bytes, this module's source and this
# Python and regex (its key, first in the file). Anything else falls back on the user's
# cache: an editable install (its packs are the source tree's rules/ folder), packs edited
# after the install, another regex.

SHIPPED_CACHE = "rules.pickle"
_SHIPPED_MAGIC = b"hedgecheck shipped rule cache 2\n"


def _read_shipped(
    files: list[tuple[Path, bytes]], notices: list[str], *, folder: Path | None = None
) -> RuleSet | None:
    """The packs ``files`` of ``folder`` (the default packs) as compiled when the wheel was
    built, or None when there is no such file, it is off or stale, or cannot be trusted
    (which ``notices`` tells)."""
    folder = folder or default_rules_path()
    if os.environ.get("HEDGECHECK_NO_CACHE") or not _PRIVATE_FILES:
        return None
    if folder.parent != _package_folder():
        return None  # not an installed wheel's packs (an editable install's, say)
    where = folder / SHIPPED_CACHE
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            owner = _package_owner()
            with _open_regular(descriptor, SHIPPED_CACHE, _SHARED_WRITE, owner=owner) as handle:
                data = handle.read()
        finally:
            os.close(descriptor)
    except _Untrusted as exc:
        notices.append(f"shipped rule cache {where} {exc}: not used")
        return None
    except OSError:
        return None  # none shipped (a wheel built without it), or unreadable
    keyed = _pack_digest(files, by_name=True)
    head = len(_SHIPPED_MAGIC) + _TAG_BYTES
    if (
        keyed is None
        or not data.startswith(_SHIPPED_MAGIC)
        or data[len(_SHIPPED_MAGIC) : head] != keyed[0]
    ):
        return None  # made for other packs, another Python or another regex
    ruleset, problem = _unpickled(memoryview(data)[head:], keyed[1])
    if ruleset is None:
        notices.append(f"shipped rule cache {where} {problem}: not used")
        return None
    return _relocated(ruleset, folder)


def _package_folder() -> Path:
    return Path(__file__).parent


def _package_owner() -> int:
    """The owner of the package's own modules, who alone may have written its cache."""
    return os.stat(__file__).st_uid


def _relocated(ruleset: RuleSet, folder: Path) -> RuleSet:
    """``ruleset`` with each rule's, check's and lexicon entry's file in ``folder``: the
    shipped cache was made from the packs in the build folder. Done in place, before any
    rule is hashed, on the objects the matchers share."""
    # By file name, a path built once per pack: building one per rule with pathlib took a
    # fifth of the time to load the shipped cache.
    moved: dict[str, str] = {}
    for item in (*ruleset.rules, *ruleset.checks, *ruleset.lexicon.entries):
        if item.file not in moved:
            moved[item.file] = str(folder / Path(item.file).name)
        object.__setattr__(item, "file", moved[item.file])
    return ruleset


def build_shipped_cache(folder: Path | None = None) -> Path:
    """Compile the packs of ``folder`` (by default this not yet installed package's
    default packs) into the cache file beside them, as a wheel ships it; run by setup.py
    when a wheel is built."""
    folder = folder or default_rules_path()
    files = [(path, read_toml_bytes(path)) for path in sorted(folder.glob("*.toml"))]
    keyed = _pack_digest(files, by_name=True)
    if keyed is None:
        raise RuleError("cannot read the default packs", path=str(folder))
    data = _SHIPPED_MAGIC + keyed[0] + _payload(_compiled(files))
    target = folder / SHIPPED_CACHE
    import secrets

    temporary = target.with_name(f".{SHIPPED_CACHE}-{secrets.token_hex(8)}")
    temporary.write_bytes(data)
    temporary.chmod(0o644)
    temporary.replace(target)
    return target


def _parse_scoring(data: Mapping[str, Any], path: Path) -> Scoring:
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
            if value not in CATEGORIES[category]["values"]:
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


def _parse_pack(data: Mapping[str, Any], path: Path) -> tuple[str, list[Rule], list[Check]]:
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
    fragments = _parse_fragments(data.get("fragments", {}), path)
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


def _parse_fragments(raw: Any, path: Path) -> dict[str, str]:
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
    if not _ID.fullmatch(cid):
        raise fail("id must be 2-5 capital letters and 3 digits, e.g. EDT001", "id")
    if not _one_of(entry["name"], CHECK_NAMES):
        raise fail(f"no such check (known: {', '.join(sorted(CHECK_NAMES))})", "name")
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


def _parse_rule(
    entry: Any, path: Path, pack: str, fragments: Mapping[str, str] | None = None
) -> Rule:
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
    if not _ID.fullmatch(_expect(rid, str, path, rid_text, "id")):
        raise fail("id must be 2-5 capital letters and 3 digits, e.g. HDG001", "id")
    name = _expect(entry["name"], str, path, rid_text, "name")
    if not _NAME.fullmatch(name):
        raise fail("name must be kebab-case", "name")
    category = _expect(entry["category"], str, path, rid_text, "category")
    if category not in CATEGORIES:
        raise fail(f"unknown category (allowed: {', '.join(sorted(CATEGORIES))})", "category")
    spec = CATEGORIES[category]
    kind = _optional_choice(entry, "kind", spec.get("kinds"), fail)
    value = _optional_choice(entry, "value", spec.get("values"), fail)
    if "values" in spec and value is None:
        raise fail(f"category {category!r} needs a value", "value")
    raw = _expand_fragments(entry["patterns"], fragments or {}, fail)
    patterns = _patterns(raw, bool(entry.get("case_sensitive", False)), fail)
    direction = entry.get("direction", spec["direction"])
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
        relation=_relation(entry, category, fail),
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


def _one_of(value: Any, allowed: Iterable[str]) -> bool:
    """Whether ``value`` is one of the ``allowed`` strings: a list or table from the TOML is
    no choice (and cannot be looked up in a set)."""
    return isinstance(value, str) and value in allowed


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
    if not _one_of(value, SEVERITIES):
        raise fail(f"expected one of {', '.join(SEVERITIES)} or off", "severity")
    return value


def _max_scope(entry: Mapping[str, Any], spec: Mapping[str, Any], fail: Any) -> int:
    value = entry.get("max_scope", spec["max_scope"])
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


def _expand_fragments(raw: Any, fragments: Mapping[str, str], fail: Any) -> Any:
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


def _patterns(raw: Any, case_sensitive: bool, fail: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p for p in raw):
        raise fail("expected a non-empty list of regex patterns", "patterns")
    for index, pattern in enumerate(raw):
        refused = _refused_construct(pattern)
        if refused:
            raise fail(f"bad pattern {pattern!r}: {refused}", f"patterns[{index}]")
        try:
            compiled = regex.compile(_wrap(pattern, case_sensitive))
        except regex.error as exc:
            message = _unwrapped(exc, case_sensitive)
            raise fail(f"bad pattern {pattern!r}: {message}", f"patterns[{index}]") from exc
        except (RecursionError, MemoryError, OverflowError) as exc:
            # What the checks above missed: named, not a traceback.
            message = f"the regex engine cannot compile it ({type(exc).__name__})"
            raise fail(f"bad pattern {pattern!r}: {message}", f"patterns[{index}]") from None
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


def _refused_construct(pattern: str) -> str | None:
    """Why ``pattern`` holds a construct that crashes the regex engine or explodes when
    compiled, checked before it is compiled; None when it holds none."""
    events = _pattern_events(pattern)
    open_groups: list[int | None] = []  # the number of each open group (None: not capturing)
    number = 0
    weights = [1]  # per open group: the largest nested repeat count product inside it
    closed = 1  # that product of the group that closed last
    for offset, kind in events:
        if kind == "(":
            if _RECURSION.match(pattern, offset):
                end = _RECURSION.match(pattern, offset).end()  # type: ignore[union-attr]
                return (
                    f"{pattern[offset:end]!r} calls a group recursively, which can recurse "
                    "without bound"
                )
            capturing = not pattern.startswith("(?", offset)
            number += capturing
            open_groups.append(number if capturing else None)
            weights.append(1)
            if len(open_groups) > _MAX_NESTING:
                return f"groups nest deeper than {_MAX_NESTING}"
        elif kind == ")" and open_groups:
            open_groups.pop()
            closed = weights.pop()
            weights[-1] = max(weights[-1], closed)
        elif kind == "\\g":
            reference = _GROUP_REFERENCE.match(pattern, offset)
            if reference and (
                reference.group(1) == "0" or _is_open(reference.group(1), open_groups)
            ):
                return (
                    f"{reference.group()!r} refers back to a group that is still open, which "
                    "the engine cannot match"
                )
            if reference and reference.group(1).isdigit():
                return _numbered_reference(reference.group())
        elif kind == "\\N":
            reference = _NUMBERED_REFERENCE.match(pattern, offset)
            if reference and not _is_open(reference.group(1), open_groups):
                return _numbered_reference(reference.group())  # an open one: the engine says
        elif kind == "{":
            count = _COUNT.match(pattern, offset)
            if count is None:
                continue
            bound = max((int(n) for n in count.groups() if n), default=0)
            after_group = offset > 0 and pattern[offset - 1] == ")"
            product = bound * (closed if after_group else 1)
            if product > _MAX_REPEAT:
                return (
                    f"{count.group()!r} repeats {product:,} times with the counts around it, "
                    f"above {_MAX_REPEAT:,}: compiling that can take minutes and gigabytes, "
                    "and a cue is a phrase"
                )
            weights[-1] = max(weights[-1], product)
    return None


def _numbered_reference(reference: str) -> str:
    # The matcher puts every pattern in one alternation, inside a group naming its rule and
    # after the groups of the patterns before it, so a number points at another group there.
    return (
        f"{reference!r} is a numbered back-reference, whose number shifts when the pattern "
        "joins the others (and named groups are the matcher's own): spell the words out"
    )


def _is_open(reference: str, open_groups: list[int | None]) -> bool:
    return reference.isdigit() and int(reference) in open_groups


def _pattern_events(pattern: str) -> list[tuple[int, str]]:
    """The parentheses, \\g references and braces of a pattern, with their offsets, leaving
    out escaped ones and those inside character classes."""
    events: list[tuple[int, str]] = []
    index, in_class = 0, False
    while index < len(pattern):
        ch = pattern[index]
        if ch == "\\":
            if not in_class and pattern.startswith("\\g<", index):
                events.append((index, "\\g"))
            elif not in_class and pattern[index + 1 : index + 2] in _DIGITS:
                events.append((index, "\\N"))
            index += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "]":
                index += 1  # "[]...]": a literal "]" first
        elif ch in "(){":
            events.append((index, ch))
        index += 1
    return events


def _unwrapped(exc: regex.error, case_sensitive: bool) -> str:
    """The engine's message, its position counted in the pattern as written rather than in
    the matcher's wrapping of it."""
    message = getattr(exc, "msg", str(exc))
    where = getattr(exc, "pos", None)
    if where is None:
        return message
    before = len(_wrap("", case_sensitive)) - len("(?!\\w)") - 1
    return f"{message} at position {max(0, where - before)}"


# The relations a hype word may state besides its hype: a relation of no kind ("none")
# names nothing for the word to state.
_STATED_RELATIONS = tuple(sorted(CATEGORIES["relation"]["values"] - {"none"}))


def _relation(entry: Mapping[str, Any], category: str, fail: Any) -> str | None:
    """``relation``: the relation a hype rule's words state as well ("cures" is causal)."""
    if "relation" not in entry:
        return None
    if category != "hype":
        raise fail("only hype rules state a relation besides their own category", "relation")
    value = entry["relation"]
    if value not in _STATED_RELATIONS:
        raise fail(f"expected one of {', '.join(_STATED_RELATIONS)}", "relation")
    return str(value)


@functools.cache
def stated_relation(rule: Rule) -> Rule:
    """The relation cue a hype rule's match states as well: the same rule (id, name and
    texts) in the relation category with the rule's ``relation`` as its value, weighing
    nothing and raising no finding, so that strength, the claim's focus and the checks read
    "X cures Y" as they read "X reduces Y"."""
    return replace(
        rule,
        category="relation",
        kind=None,
        value=rule.relation,
        direction="sentence",
        max_scope=0,
        scope="sentence",
        weight=0.0,
        cap=None,
        floor=None,
        conditional=False,
        claim=True,
        relation=None,
        severity=None,
        suggestion=None,
    )


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
        if item.id in RESERVED_IDS:
            raise RuleError(
                "id reserved for a finding hedgecheck raises itself (see hedgecheck rules "
                f"{item.id})",
                path=item.file,
                rule=item.id,
                key="id",
            )
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
