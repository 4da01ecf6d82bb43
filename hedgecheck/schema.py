"""What a rule pack may say: the categories and their typed specs, the rule and check records,
the scoring parameters and the label, severity and direction names.

Nothing here reads a file or a text: :mod:`hedgecheck.loader` validates packs into these
records, :mod:`hedgecheck.matcher` matches the rules' patterns and :mod:`hedgecheck.scoring`
weighs the cues they find.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

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


class Category(StrEnum):
    """A rule's category; each member equals the name a pack writes (``"hedge"``)."""

    HEDGE = "hedge"
    BOOSTER = "booster"
    HYPE = "hype"
    NEGATION = "negation"
    RELATION = "relation"
    DESIGN = "design"
    SUBJECT = "subject"
    SAMPLE = "sample"
    PUBLICATION = "publication"
    LIMITATION = "limitation"
    STUDY = "study"
    METHOD = "method"
    AUTHORITY = "authority"
    RISK = "risk"
    ADVICE = "advice"
    QUANTITY = "quantity"
    COST = "cost"
    HARM = "harm"
    ALTERNATIVE = "alternative"
    AVAILABILITY = "availability"
    INTERVENTION = "intervention"
    CONFLICT = "conflict"
    INDEPENDENT = "independent"
    DISEASE_MONGERING = "disease-mongering"
    SETTLED = "settled"
    TERMINATOR = "terminator"
    PSEUDO = "pseudo"
    CLUTTER = "clutter"


@dataclass(frozen=True, slots=True, kw_only=True)
class CategorySpec:
    """A category: the score axis it feeds, the kinds or values its rules may carry (None:
    it takes none; a category with values needs one), its rules' defaults, and the matcher
    layer that matches them ("first"; "overlay" for the editorial notes, matched by a small
    matcher of their own so that they cannot hide or split a first-pass cue; "methods")."""

    axis: str
    kinds: frozenset[str] | None = None
    values: frozenset[str] | None = None
    direction: str = "sentence"
    max_scope: int = 0
    claim: bool = False
    severity: str | None = None
    layer: str = "first"


def _editorial(*kinds: str) -> CategorySpec:
    """Editorial cues feed the article checks and the report card, never a label."""
    return CategorySpec(axis="editorial", kinds=frozenset(kinds) or None, layer="overlay")


def _evidence(values: frozenset[str], *, axis: str = "evidence") -> CategorySpec:
    return CategorySpec(axis=axis, values=values)


CATEGORIES: Mapping[str, CategorySpec] = {
    Category.HEDGE: CategorySpec(
        axis="certainty",
        kinds=frozenset(
            {
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
            }
        ),
        direction="both",
        max_scope=12,
        claim=True,
    ),
    Category.BOOSTER: CategorySpec(
        axis="certainty",
        kinds=frozenset({"evidential", "adverb", "adjective", "absolute", "attribution", "modal"}),
        direction="both",
        max_scope=12,
        claim=True,
    ),
    Category.HYPE: CategorySpec(
        axis="certainty",
        kinds=frozenset({"superlative", "cure", "novelty", "advice"}),
        severity="warning",
    ),
    Category.NEGATION: CategorySpec(
        axis="polarity",
        kinds=frozenset({"particle", "verb", "determiner"}),
        direction="forward",
        max_scope=6,
    ),
    Category.RELATION: CategorySpec(
        axis="strength",
        kinds=frozenset({"association", "comparison"}),
        values=frozenset({"correlational", "causal", "none"}),
        claim=True,
    ),
    Category.DESIGN: _evidence(DESIGNS),
    Category.SUBJECT: _evidence(frozenset({"people", "animals", "cells"})),
    Category.SAMPLE: _evidence(frozenset({"small", "large", "stated"})),
    Category.PUBLICATION: _evidence(
        frozenset({"peer_reviewed", "not_peer_reviewed", "preprint", "conference", "unpublished"})
    ),
    Category.LIMITATION: CategorySpec(
        axis="evidence",
        kinds=frozenset(
            {
                "data",
                "knowledge-gap",
                "dose",
                "follow-up",
                "novelty",
                "control",
                "self-report",
                "surrogate",
                "caveat",
            }
        ),
    ),
    Category.STUDY: _evidence(frozenset({"primary", "background"}), axis="role"),
    # How a study was done, described rather than named ("followed 400,000 adults for 13
    # years", "given the drug or a dummy pill"): notes read by the evidence tag, weighing no
    # claim, matched by a layer of their own (RuleSet.methods).
    Category.METHOD: CategorySpec(axis="role", values=DESIGNS, layer="methods"),
    Category.AUTHORITY: _editorial("unnamed", "team", "named"),
    Category.RISK: _editorial("relative", "absolute"),
    Category.ADVICE: _editorial("personal", "professional"),
    Category.QUANTITY: _editorial(),
    Category.COST: _editorial(),
    Category.HARM: _editorial(),
    Category.ALTERNATIVE: _editorial(),
    Category.AVAILABILITY: _editorial(),
    Category.INTERVENTION: _editorial(),
    Category.CONFLICT: _editorial("funding", "disclosure", "none-declared"),
    Category.INDEPENDENT: _editorial(),
    Category.DISEASE_MONGERING: _editorial(),
    Category.SETTLED: _editorial(),
    Category.TERMINATOR: CategorySpec(axis="scope"),
    Category.PSEUDO: CategorySpec(axis="scope"),
    Category.CLUTTER: CategorySpec(axis="role"),
}

DIRECTIONS = frozenset({"forward", "backward", "both", "sentence"})
SCOPES = frozenset({"sentence", "document"})
LABELS = ("speculative", "preliminary", "supported", "established")
SEVERITIES = ("info", "warning", "error")

# The categories whose values say what evidence a claim rests on, and so may be graded in
# ``[grades]``: the design, subjects, sample and publication of a study, and the study pack's
# reference to one ("a study found"). Certainty cues (hedges, boosters, hype) and relations
# are rhetoric or content, not evidence: they can never raise a label's ceiling.
GRADED_CATEGORIES = frozenset(
    {
        Category.DESIGN,
        Category.METHOD,
        Category.SUBJECT,
        Category.SAMPLE,
        Category.PUBLICATION,
        Category.STUDY,
    }
)

# The codes of the findings hedgecheck raises itself (hedgecheck.gate.BUILTIN): an unused
# suppression and the label gate. No pack may take them.
RESERVED_IDS = frozenset({"HCS001", "LBL001"})


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
class Rewrite:
    """A rewrite a rule's finding offers: where ``pattern`` matches at the cue (it may look
    around the cue and take in the space after it), the match is replaced by ``to`` (with
    ``\\1`` for its groups; empty to drop the words). ``examples`` pair a text whose cue is
    marked ``[[cue]]`` with the text as rewritten (the same text where no rewrite applies)."""

    pattern: str
    to: str
    examples: tuple[tuple[str, str], ...]

    def __reduce__(self) -> tuple[type[Rewrite], tuple[Any, ...]]:
        return _by_init(self)


@dataclass(frozen=True, slots=True)
class Documented:
    """What every entry of a pack states: a stable id, a name for what it is, its
    documentation (summary, why, source) and where it comes from (pack and file). Rules,
    checks and lexicon entries share it, so one renderer documents all three."""

    id: str
    name: str
    summary: str
    why: str
    source: str
    pack: str
    file: str

    def __reduce__(self) -> tuple[type[Documented], tuple[Any, ...]]:
        return _by_init(self)


@dataclass(frozen=True, slots=True)
class RuleMeta(Documented):
    """What a cue rule and an article check both add: the finding it raises (severity,
    None for none) and the suggested rewrite."""

    severity: str | None
    suggestion: str | None


@dataclass(frozen=True, slots=True)
class Rule(RuleMeta):
    """One cue rule, exactly as its pack states it, with defaults from its category."""

    category: str
    patterns: tuple[str, ...]
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
    rewrites: tuple[Rewrite, ...] = ()
    match_examples: tuple[Example, ...] = ()
    no_match_examples: tuple[Example, ...] = ()

    @property
    def axis(self) -> str:
        return CATEGORIES[self.category].axis

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
            "rewrites": [{"pattern": r.pattern, "to": r.to} for r in self.rewrites],
            "summary": self.summary,
            "why": self.why,
            "source": self.source,
            "pack": self.pack,
        }


@dataclass(frozen=True, slots=True)
class Check(RuleMeta):
    """An article-level editorial check, as its pack states it, with texts that must and
    must not raise it."""

    message: str
    raise_examples: tuple[str, ...] = ()
    pass_examples: tuple[str, ...] = ()


@functools.cache
def stated_relation(rule: Rule) -> Rule:
    """The relation cue a hype rule's match states as well: the same rule (id, name and
    texts) in the relation category with the rule's ``relation`` as its value, weighing
    nothing and raising no finding, so that strength, the claim's focus and the checks read
    "X cures Y" as they read "X reduces Y"."""
    return replace(
        rule,
        category=Category.RELATION.value,
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
        rewrites=(),
    )


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
