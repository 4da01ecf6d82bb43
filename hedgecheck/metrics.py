"""Plain-Python metrics for the evaluation tasks (no numpy needed at run time)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence


def f1_binary(gold: Sequence[int], predicted: Sequence[int], positive: int = 1) -> dict[str, float]:
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == positive and p == positive)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != positive and p == positive)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == positive and p != positive)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def macro_f1(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, object]:
    classes = sorted(set(gold), key=str)
    per_class = {
        str(c): f1_binary([g == c for g in gold], [p == c for p in predicted], True)
        for c in classes
    }
    accuracy = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold)
    return {
        "macro_f1": sum(v["f1"] for v in per_class.values()) / len(per_class),
        "accuracy": accuracy,
        "per_class": per_class,
        "confusion": confusion(gold, predicted),
    }


def confusion(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, dict[str, int]]:
    """gold class -> predicted class -> count."""
    table: dict[str, dict[str, int]] = {}
    for g, p in zip(gold, predicted, strict=True):
        row = table.setdefault(str(g), {})
        row[str(p)] = row.get(str(p), 0) + 1
    return table


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    n = len(x)
    if n < 2:
        return 0.0
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else 0.0


def ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (1-based), ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    return pearson(ranks(x), ranks(y))


def auc(gold: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve (Mann-Whitney), ties counted half."""
    positives = sum(1 for g in gold if g)
    negatives = len(gold) - positives
    if not positives or not negatives:
        return 0.5
    r = ranks(scores)
    rank_sum = sum(rank for rank, g in zip(r, gold, strict=True) if g)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
