"""`hedgecheck evaluate`: run a task over labelled data and score it.

The file contract is the one in ``shared/eval/README.md``: JSON lines, one item a line, with
``id`` and the task's fields. Each task derives its prediction from the same engine:

- hedge: 1 when any hedge cue (weight < 0, not an approximator) occurs in the text (the
  CoNLL-2010 Task 1 reading: a sentence with a cue is uncertain);
- certainty: the certainty of the text's least certain sentence, in [0, 1];
- strength: the highest relation strength over the text's sentences (0-3);
- exaggeration: the press release's strength against the abstract's, each the strongest
  relation the text asserts: a denied relation ("does not cut the risk", "had no effect on")
  counts as none, as InSciOut, whose coding Wright & Augenstein's labels come from, codes an
  explicit statement of no relationship (code 1 -> 0). The strength task keeps the relation
  a denial names, as Yu et al.'s annotators do ("did not improve DFS" is causal);
- article: from the report card and the cues behind it (``article_features``): per criterion
  a graded score, and a story's score. When ``scoring.toml`` has an ``[article]`` table (fitted
  by ``benchmarks/fit_article.py``), each is that model's logit over named features; otherwise
  a criterion scores 1 plus a little per span when satisfied, and a story sums its criteria
  (FakeHealth's stars count satisfied criteria).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hedgecheck.api import check
from hedgecheck.engine import analyse
from hedgecheck.errors import InputError, UsageError
from hedgecheck.loader import default_rules
from hedgecheck.metrics import auc, f1_binary, macro_f1, pearson, spearman
from hedgecheck.model import Mention, Report
from hedgecheck.ruleset import RuleSet
from hedgecheck.schema import ARTICLE_CRITERIA, ARTICLE_FLAGS, Rule, Scoring
from hedgecheck.scoring import assess, sigmoid

RELEASE_CRITERIA = ARTICLE_CRITERIA

_OVERCLAIMS = frozenset(
    {
        "headline-stronger-than-body",
        "animal-result-as-human",
        "causal-language-on-correlation",
        "certain-claim-on-weak-evidence",
    }
)


@dataclass(frozen=True, slots=True)
class Reading:
    """What the engine says about one short text, whatever its claims."""

    hedged: bool
    certainty: float
    strength: int
    # The strongest relation the text asserts rather than denies ("does not cut the risk"
    # asserts none): InSciOut codes an explicit denial as "no relationship" (code 1 -> 0).
    asserted: int = 0


def read(text: str, rules: RuleSet) -> Reading:
    """Score every sentence of ``text`` as if it were a claim."""
    analysis = analyse(text, rules)
    items = [s for s in analysis.sentences if s.sentence.role != "furniture"] or list(
        analysis.sentences
    )
    if not items:
        return Reading(hedged=False, certainty=sigmoid(rules.scoring.certainty_bias), strength=0)
    assessments = [assess(item, (), rules.scoring, lexicon=rules.lexicon) for item in items]
    hedged = any(_is_uncertainty(c.rule) for item in items for c in item.cues)
    return Reading(
        hedged=hedged,
        certainty=min(a.certainty for a in assessments),
        strength=max(a.strength.level for a in assessments),
        asserted=max(0 if a.negated else a.strength.level for a in assessments),
    )


def _is_uncertainty(rule: Rule) -> bool:
    """A hedge cue in the CoNLL-2010 sense; approximators ("about 20") blur a number, they
    do not doubt a proposition."""
    return rule.category == "hedge" and rule.weight < 0 and rule.kind != "approximator"


# Study designs by the kind of evidence they give (HealthNewsReview criterion 4; the AMS/SMC
# evidence labels): an experiment in people, an observation of people, or work before people.
_TRIALS = frozenset({"rct", "clinical_trial", "pilot"})
_OBSERVATIONAL = frozenset({"observational", "cohort", "case_control", "cross_sectional"})
_PRECLINICAL = frozenset({"animal", "in_vitro"})


def article_features(report: Report, rules: RuleSet | None = None) -> dict[str, float]:
    """The named features an article model weighs (``hedgecheck.schema.ARTICLE_FEATURES``):
    per criterion whether the card satisfies it and log(1 + its spans); log(1 + count) of the
    claims, of their cues by category and of the editorial findings; and whether the study's
    design, kind of design, size, limits and subjects are stated at all (``has_<name>``).

    The study's design, size and limits are counted where the evidence card lists them
    (every prose sentence about the study, not only its claims: "The trial enrolled 90
    children" is no claim but says what the evidence is); ``rules`` (the default packs when
    not given) tells which rule each listed span comes from."""
    ruleset = rules if rules is not None else default_rules()
    features: dict[str, float] = {}
    evidence: tuple[Mention, ...] = ()
    for item in report.report_card:
        features[item.criterion] = float(item.status == "satisfied")
        features[f"{item.criterion}_spans"] = math.log1p(len(item.evidence))
        if item.criterion == "evidence":
            evidence = item.evidence
    counts = dict.fromkeys(
        (
            *("design", "sample", "limitation", "subject", "hedge", "negation"),
            *("trial", "observational", "preclinical"),
            *("booster", "hype", "quoted_hype"),
        ),
        0,
    )
    for mention in evidence:
        rule = ruleset.get(mention.rule)
        if rule is None or rule.category not in ("design", "sample", "limitation"):
            continue
        counts[rule.category] += 1
        if rule.category == "design":
            counts["trial"] += rule.value in _TRIALS
            counts["observational"] += rule.value in _OBSERVATIONAL
            counts["preclinical"] += rule.value in _PRECLINICAL
    quoted_claims = 0
    for claim in report.claims:
        cues = [c for c in claim.cues if c.scope == "sentence"]
        quoted_claims += any(c.quoted for c in cues)
        for cue in cues:
            if cue.category == "hype":
                counts["quoted_hype" if cue.quoted else "hype"] += 1
            elif cue.category == "booster":
                counts["booster"] += not cue.quoted
            elif cue.category == "hedge":
                counts["hedge"] += cue.kind != "approximator"
            elif cue.category in ("subject", "negation"):
                counts[cue.category] += 1
    findings = [f.name for f in report.findings]
    counts["publication"] = sum(c.category == "publication" for c in report.study_cues)
    counts["claims"] = len(report.claims)
    counts["quoted_claims"] = quoted_claims
    counts["overclaims"] = sum(name in _OVERCLAIMS for name in findings)
    counts["relative_risk"] = findings.count("relative-risk-without-absolute")
    counts["advice"] = findings.count("advice-from-single-study")
    counts["unnamed_authority"] = findings.count("unnamed-authority")
    features.update({name: math.log1p(n) for name, n in counts.items()})
    features.update({f"has_{name}": float(counts[name] > 0) for name in ARTICLE_FLAGS})
    return features


def criterion_scores(
    report: Report, scoring: Scoring | None = None, *, rules: RuleSet | None = None
) -> dict[str, float]:
    """Per HealthNewsReview criterion, a graded score, higher = more likely satisfied: the
    fitted model's logit when ``scoring`` has one for it; otherwise satisfied counts 1 plus a
    little for each span behind it (more evidence, more confidence) and not satisfied counts
    0 less a little for each span that tells against it (hype, disease-mongering). ``rules``
    are the packs the report was checked with (see ``article_features``)."""
    fitted = scoring is not None and scoring.article
    features = article_features(report, rules) if fitted else {}
    scores: dict[str, float] = {}
    for item in report.report_card:
        model = scoring.article_model(item.criterion) if scoring is not None else None
        if model is not None:
            scores[item.criterion] = model.score(features)
            continue
        spans = min(len(item.evidence), 5) / 10
        scores[item.criterion] = (1.0 + spans) if item.status == "satisfied" else -spans
    return scores


def article_score(
    report: Report, scoring: Scoring | None = None, *, rules: RuleSet | None = None
) -> float:
    """How good the story's reporting is: the fitted ``story`` model's logit when ``scoring``
    has one (stars >= 3 against fewer); otherwise how many criteria it satisfies, graded
    (the FakeHealth stories' stars are HealthNewsReview's count of satisfied criteria).
    ``rules`` are the packs the report was checked with (see ``article_features``)."""
    model = scoring.article_model("story") if scoring is not None else None
    if model is not None:
        return model.score(article_features(report, rules))
    return sum(criterion_scores(report).values())


@dataclass(frozen=True)
class Task:
    name: str
    fields: tuple[str, ...]
    predict: Callable[[dict[str, Any], RuleSet], Any]
    score: Callable[[list[dict[str, Any]], list[Any]], dict[str, Any]]


def _predict_hedge(item: dict[str, Any], rules: RuleSet) -> int:
    return int(read(item["text"], rules).hedged)


def _predict_certainty(item: dict[str, Any], rules: RuleSet) -> float:
    return round(read(item["text"], rules).certainty, 4)


def _predict_strength(item: dict[str, Any], rules: RuleSet) -> int:
    return read(item["text"], rules).strength


def _predict_exaggeration(item: dict[str, Any], rules: RuleSet) -> str:
    release = read(item["press_release"], rules).asserted
    abstract = read(item["abstract"], rules).asserted
    if release > abstract:
        return "exaggerates"
    return "downplays" if release < abstract else "same"


def _predict_article(item: dict[str, Any], rules: RuleSet) -> Any:
    report = check(item["text"], title=item.get("title") or None, rules=rules)
    if "criteria" not in item:
        return round(article_score(report, rules.scoring, rules=rules), 4)
    scores = criterion_scores(report, rules.scoring, rules=rules)
    return {name: round(scores.get(name, 0.0), 4) for name in RELEASE_CRITERIA}


def _score_hedge(items: list[dict[str, Any]], predicted: list[Any]) -> dict[str, Any]:
    gold = [int(i["label"]) for i in items]
    return {"f1": f1_binary(gold, predicted), "n": len(items)}


def _score_certainty(items: list[dict[str, Any]], predicted: list[Any]) -> dict[str, Any]:
    gold = [float(i["label"]) for i in items]
    return {
        "pearson": pearson(predicted, gold),
        "spearman": spearman(predicted, gold),
        "n": len(items),
    }


def _score_classes(items: list[dict[str, Any]], predicted: list[Any]) -> dict[str, Any]:
    gold = [i["label"] for i in items]
    return {**macro_f1(gold, predicted), "n": len(items)}


def _score_article(items: list[dict[str, Any]], predicted: list[Any]) -> dict[str, Any]:
    if items and "criteria" in items[0]:
        result: dict[str, Any] = {}
        for name in RELEASE_CRITERIA:
            pairs = [
                (i["criteria"][name], p[name])
                for i, p in zip(items, predicted, strict=True)
                if i.get("criteria", {}).get(name) in (0, 1)
            ]
            if pairs:
                result[name] = {
                    "auc": auc([g for g, _ in pairs], [s for _, s in pairs]),
                    "n": len(pairs),
                }
        return {"criteria": result, "n": len(items)}
    gold = [int(float(i["label"]) >= 3) for i in items]
    return {"auc": auc(gold, predicted), "n": len(items)}


TASKS: dict[str, Task] = {
    "hedge": Task("hedge", ("text", "label"), _predict_hedge, _score_hedge),
    "certainty": Task("certainty", ("text", "label"), _predict_certainty, _score_certainty),
    "strength": Task("strength", ("text", "label"), _predict_strength, _score_classes),
    "exaggeration": Task(
        "exaggeration",
        ("press_release", "abstract", "label"),
        _predict_exaggeration,
        _score_classes,
    ),
    "article": Task("article", ("text",), _predict_article, _score_article),
}


@dataclass(frozen=True)
class Evaluation:
    task: str
    path: str
    metrics: dict[str, Any]
    predictions: list[dict[str, Any]]
    problems: list[InputError]


def evaluate(task: str, path: str | Path, *, rules: RuleSet | None = None) -> Evaluation:
    """Predict every item of ``path`` for ``task`` and score the predictions.

    Lines that cannot be read are skipped and returned in ``problems``; the rest is scored.
    """
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r} (choose from {', '.join(TASKS)})")
    spec = TASKS[task]
    ruleset = rules if rules is not None else default_rules()
    problems: list[InputError] = []
    items = list(_items(Path(path), spec, problems))
    if not items:
        raise InputError("no item could be read", path=str(path))
    predicted = [spec.predict(item, ruleset) for item in items]
    metrics = {"task": task, "file": str(path), **spec.score(items, predicted)}
    if problems:
        metrics["skipped"] = len(problems)
    predictions = [
        {"id": i.get("id", n), "prediction": p}
        for n, (i, p) in enumerate(zip(items, predicted, strict=True))
    ]
    return Evaluation(task, str(path), metrics, predictions, problems)


def _items(path: Path, spec: Task, problems: list[InputError]) -> Iterator[dict[str, Any]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    with handle:
        for number, line in enumerate(_lines(handle, path), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(
                    InputError(f"not valid JSON: {exc.msg}", path=str(path), line=number)
                )
                continue
            missing = [f for f in spec.fields if not isinstance(item, dict) or f not in item]
            if missing:
                problems.append(
                    InputError(
                        f"missing field(s) {', '.join(missing)} for task {spec.name}",
                        path=str(path),
                        line=number,
                    )
                )
                continue
            yield item


def _lines(handle: Any, path: Path) -> Iterator[str]:
    try:
        yield from handle
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path)) from exc
