"""`hedgecheck evaluate`: run a task over labelled data and score it.

The file contract is the one in ``shared/eval/README.md``: JSON lines, one item a line, with
``id`` and the task's fields. Each task derives its prediction from the same engine:

- hedge: 1 when any hedge cue (weight < 0, not an approximator) occurs in the text (the
  CoNLL-2010 Task 1 reading: a sentence with a cue is uncertain);
- certainty: the certainty of the text's least certain sentence, in [0, 1];
- strength: the highest relation strength over the text's sentences (0-3);
- exaggeration: the press release's strength against the abstract's;
- article: from the report card: per criterion a graded score (satisfied, and how many spans
  back it); a story's score is their sum (FakeHealth's stars count satisfied criteria).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hedgecheck.api import check
from hedgecheck.engine import analyse
from hedgecheck.errors import InputError, UsageError
from hedgecheck.metrics import auc, f1_binary, macro_f1, pearson, spearman
from hedgecheck.model import Report
from hedgecheck.rules import Rule, RuleSet, default_rules
from hedgecheck.scoring import assess, sigmoid

RELEASE_CRITERIA = (
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


@dataclass(frozen=True, slots=True)
class Reading:
    """What the engine says about one short text, whatever its claims."""

    hedged: bool
    certainty: float
    strength: int


def read(text: str, rules: RuleSet) -> Reading:
    """Score every sentence of ``text`` as if it were a claim."""
    analysis = analyse(text, rules)
    items = [s for s in analysis.sentences if s.sentence.role != "furniture"] or list(
        analysis.sentences
    )
    if not items:
        return Reading(hedged=False, certainty=sigmoid(rules.scoring.certainty_bias), strength=0)
    assessments = [assess(item, (), rules.scoring) for item in items]
    hedged = any(_is_uncertainty(c.rule) for item in items for c in item.cues)
    return Reading(
        hedged=hedged,
        certainty=min(a.certainty for a in assessments),
        strength=max(a.strength.level for a in assessments),
    )


def _is_uncertainty(rule: Rule) -> bool:
    """A hedge cue in the CoNLL-2010 sense; approximators ("about 20") blur a number, they
    do not doubt a proposition."""
    return rule.category == "hedge" and rule.weight < 0 and rule.kind != "approximator"


def criterion_scores(report: Report) -> dict[str, float]:
    """Per HealthNewsReview criterion, a graded score from the report card: satisfied counts
    1 plus a little for each span behind it (more evidence, more confidence); not satisfied
    counts 0 less a little for each span that tells against it (hype, disease-mongering)."""
    scores: dict[str, float] = {}
    for item in report.report_card:
        spans = min(len(item.evidence), 5) / 10
        scores[item.criterion] = (1.0 + spans) if item.status == "satisfied" else -spans
    return scores


def article_score(report: Report) -> float:
    """How many criteria the story satisfies, graded (the FakeHealth stories' stars are
    HealthNewsReview's count of satisfied criteria)."""
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
    release = read(item["press_release"], rules).strength
    abstract = read(item["abstract"], rules).strength
    if release > abstract:
        return "exaggerates"
    return "downplays" if release < abstract else "same"


def _predict_article(item: dict[str, Any], rules: RuleSet) -> Any:
    report = check(item["text"], title=item.get("title") or None, rules=rules)
    if "criteria" not in item:
        return round(article_score(report), 4)
    scores = criterion_scores(report)
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
