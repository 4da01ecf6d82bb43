"""Fit the certainty-axis weights on Pei & Jurgens' train part.

    python benchmarks/fit_weights.py [--data ../shared/eval/dev] [--dry-run]

The model is the prediction `hedgecheck evaluate certainty` makes, fitted as it is made: a
sentence's certainty logit is the bias plus its certainty cues' weights, summed sub-additively
(`repeat_decay`, cues outside the claim's scope at their fraction); an item scores the sigmoid
of its least certain sentence. Pearson r with the 1-6 rating is the measure, so the loss is the
squared error of the best affine map from that score onto the rating (minimising it maximises r).

Weights are partially pooled (a hierarchical ridge): a rule seen in at least MIN_SEEN training
items gets its own weight, pulled towards the mean of its kind ("modal" hedges, "evidential"
boosters, ...); each kind's mean is pulled towards its category's literature default. A rule
seen less takes its kind's fitted mean where two or more rules of the kind were fitted, and
otherwise keeps the weight its pack states, carried into the fitted unit (see borrow and
carry_scale). Every weight keeps its category's sign (a hedge never raises certainty). Free
weights start from the category defaults, not from the packs, so a second run returns the
same weights. The penalty is chosen by 5-fold cross-validation on the train part; the `val`
part is never read. The certainty bias stays as scoring.toml sets it (it trades off against
the weights' scale); certainty_factor and confidence_bias are refitted so that claim labels
stay where they were. Run it after a change to the packs, then regenerate the golden files
and BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import regex

from hedgecheck.engine import analyse
from hedgecheck.loader import default_rules
from hedgecheck.metrics import pearson
from hedgecheck.ruleset import RuleSet, default_rules_path
from hedgecheck.schema import Rule
from hedgecheck.scoring import certainty_cues

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"
PENALTIES = (0.1, 0.3, 1.0, 3.0)
FOLDS = 5
MIN_SEEN = 4
STEPS = 600
ROUNDS = 6
RATE = 0.03
MIN_WEIGHT = 0.05
# Where a kind's mean weight is pulled: the packs' literature defaults per category.
CATEGORY_PRIOR = {"hedge": -0.8, "booster": 0.6, "hype": 0.5}

# The scoring parameter fitted alongside the rule weights: the weight of a determiner negation.
NEGATION = "negation_certainty"
# One item: per sentence, its certainty cues as (rule id, fraction of the weight that counts).
Item = list[list[tuple[str, float]]]


def features(text: str, rules: RuleSet) -> Item:
    """The cues `hedgecheck evaluate certainty` weighs, sentence by sentence: a certainty
    rule's id with the fraction of its weight that counts, or NEGATION for a denial."""
    analysis = analyse(text, rules)
    items = [s for s in analysis.sentences if s.sentence.role != "furniture"] or list(
        analysis.sentences
    )
    unit = dataclasses.replace(rules.scoring, negation_certainty=1.0)
    return [
        [
            (c.rule.id, w / c.rule.weight) if c.rule.axis == "certainty" else (NEGATION, w)
            for c, w in certainty_cues(item, item.governing(), unit)
        ]
        for item in items
    ]


@dataclass
class Model:
    bias: float
    weights: dict[str, float]
    decay: float
    kinds: dict[str, float] = field(default_factory=dict)

    def logit(self, sentence: list[tuple[str, float]]) -> tuple[float, dict[str, float]]:
        """The sentence's logit and its derivative by each rule's weight."""
        scaled = [(rid, self.weights[rid] * f, f) for rid, f in sentence if self.weights[rid]]
        total, grad = self.bias, Counter[str]()
        for sign in (1, -1):
            group = sorted((s for s in scaled if s[1] * sign > 0), key=lambda s: -abs(s[1]))
            for rank, (rid, weight, factor) in enumerate(group):
                total += weight * self.decay**rank
                grad[rid] += factor * self.decay**rank
        return total, grad

    def score(self, item: Item) -> tuple[float, dict[str, float]]:
        if not item:
            return self.bias, {}
        return min((self.logit(s) for s in item), key=lambda pair: pair[0])


def start_model(rules: RuleSet) -> Model:
    """The packs' weights as they stand: the starting point of the descent."""
    scoring = rules.scoring
    weights = {r.id: r.weight for r in rules.rules if r.axis == "certainty"}
    weights[NEGATION] = scoring.negation_certainty or 0.5
    return Model(scoring.certainty_bias, weights, scoring.repeat_decay)


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))


def _affine(xs: list[float], ys: list[float]) -> tuple[float, float]:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return my - slope * mx, slope


def free_rules(rows: list[tuple[Item, float]], rules: dict[str, Rule]) -> list[str]:
    """The weights the data can speak for: rules seen in at least MIN_SEEN items."""
    seen = Counter(rid for item, _ in rows for rid in {r for s in item for r, _ in s})
    return sorted(
        rid for rid in seen if seen[rid] >= MIN_SEEN and (rid == NEGATION or rules[rid].weight)
    )


def fit(
    rows: list[tuple[Item, float]],
    rules: dict[str, Rule],
    start: Model,
    penalty: float,
    free: list[str] | None = None,
) -> Model:
    """Adam on the loss above; signs are kept by projection after every step."""
    free = free_rules(rows, rules) if free is None else free
    sign = {rid: 1.0 if rid == NEGATION or rules[rid].weight > 0 else -1.0 for rid in free}
    kind = {rid: f"{rules[rid].category}/{rules[rid].kind}" for rid in free if rid != NEGATION}
    means = {k: CATEGORY_PRIOR[k.split("/")[0]] for k in kind.values()}
    # Free weights start from their category's default, not from the packs: the result then
    # depends on the data alone (and cross-validation folds see nothing of the held-out fold).
    model = Model(start.bias, dict(start.weights), start.decay)
    for rid in free:
        model.weights[rid] = CATEGORY_PRIOR[rules[rid].category] if rid in kind else 0.5
    params = [*free, *(f"mean:{k}" for k in means)]
    moment = dict.fromkeys(params, 0.0)
    velocity = dict.fromkeys(params, 0.0)
    ys = [y for _, y in rows]
    for step in range(1, STEPS + 1):
        scored = [model.score(item) for item, _ in rows]
        xs = [_sigmoid(z) for z, _ in scored]
        offset, slope = _affine(xs, ys)
        grad = Counter[str]()
        for (_, dz), x, y in zip(scored, xs, ys, strict=True):
            g = -2.0 * slope * (y - offset - slope * x) * x * (1.0 - x)
            for rid, d in dz.items():
                if rid in sign:
                    grad[rid] += g * d
        for rid in kind:
            pull = 2.0 * penalty * (model.weights[rid] - means[kind[rid]])
            grad[rid] += pull
            grad[f"mean:{kind[rid]}"] -= pull
        for k, mean in means.items():
            grad[f"mean:{k}"] += 2.0 * penalty * (mean - CATEGORY_PRIOR[k.split("/")[0]])
        for name in params:
            moment[name] = 0.9 * moment[name] + 0.1 * grad[name]
            velocity[name] = 0.999 * velocity[name] + 0.001 * grad[name] ** 2
            delta = RATE * (moment[name] / (1 - 0.9**step))
            delta /= math.sqrt(velocity[name] / (1 - 0.999**step)) + 1e-8
            if name.startswith("mean:"):
                k = name[5:]
                means[k] = _signed(means[k] - delta, CATEGORY_PRIOR[k.split("/")[0]])
            else:
                model.weights[name] = _signed(model.weights[name] - delta, sign[name])
    model.kinds = {k: v for k, v in means.items() if sum(g == k for g in kind.values()) >= 2}
    return model


def _signed(value: float, sign: float) -> float:
    """Keep the category's sign and a token magnitude: a fitted zero would silently stop a
    hedge from counting as a hedge at all."""
    return max(value, MIN_WEIGHT) if sign > 0 else min(value, -MIN_WEIGHT)


def predict(model: Model, items: list[Item]) -> list[float]:
    return [_sigmoid(model.score(item)[0]) for item in items]


def cross_validate(rows: list[tuple[Item, float]], rules: dict[str, Rule], start: Model) -> float:
    """The penalty whose mean fold r is best (printed with its standard error). Every fold fits
    the rules the whole train part frees, so no fold uses a weight an earlier run fitted on
    its held-out items."""
    free = free_rules(rows, rules)
    order = list(range(len(rows)))
    random.Random(2021).shuffle(order)
    scores: dict[float, tuple[float, float]] = {}
    for penalty in PENALTIES:
        folds = []
        for fold in range(FOLDS):
            held = order[fold::FOLDS]
            kept = [r for i, r in enumerate(rows) if i not in set(held)]
            model = fit(kept, rules, start, penalty, free)
            predicted = predict(model, [rows[i][0] for i in held])
            folds.append(pearson(predicted, [rows[i][1] for i in held]))
        mean = sum(folds) / FOLDS
        error = math.sqrt(sum((r - mean) ** 2 for r in folds) / (FOLDS - 1) / FOLDS)
        scores[penalty] = (mean, error)
        print(f"penalty {penalty:5g}: cross-validated r = {mean:.4f} +- {error:.4f}")
    return max(scores, key=lambda p: scores[p][0])


def borrow(model: Model, rules: dict[str, Rule], fitted: list[str]) -> list[str]:
    """Give a rule the data could not fit its kind's fitted mean, where at least two rules of
    the kind were fitted (the hierarchical model's estimate for a rule of that kind); return
    the rules left to carry_scale."""
    left = []
    for rid, weight in model.weights.items():
        if rid in fitted or not weight:
            continue
        key = f"{rules[rid].category}/{rules[rid].kind}"
        if key in model.kinds:
            model.weights[rid] = model.kinds[key]
        else:
            left.append(rid)
    return left


def carry_scale(
    before: Model, after: Model, items: list[Item], kept_ids: list[str]
) -> tuple[float, float]:
    """Rescale the pack weights of rules no fitted kind speaks for; return (slope, intercept)
    of the old logits on the new ones.

    Pearson r does not pin the unit of the logits, and a refit can stretch them all ("may"
    from -1.8 to -2.8) while the label thresholds stay in the old unit. The old certainty
    logits are regressed on the new ones over the train items; the kept weights are divided by
    the slope (so they keep their place among the fitted ones) and the caller folds the map
    into certainty_factor and confidence_bias, so claim labels stay where they were.
    """
    old = [before.score(item)[0] for item in items]
    kept = {rid: before.weights[rid] for rid in kept_ids}
    slope, intercept = 1.0, 0.0
    for _ in range(5):
        for rid, weight in kept.items():
            after.weights[rid] = weight / slope
        new = [after.score(item)[0] for item in items]
        intercept, slope = _affine(new, old)
    return slope, intercept


def write_back(weights: dict[str, float], rules: dict[str, Rule]) -> int:
    changed = 0
    by_file: dict[str, list[str]] = {}
    for rid in weights:
        by_file.setdefault(rules[rid].file, []).append(rid)
    for file, ids in by_file.items():
        text = Path(file).read_text(encoding="utf-8")
        for rid in ids:
            text, n = _set_weight(text, rid, weights[rid])
            changed += n
        Path(file).write_text(text, encoding="utf-8")
    return changed


def _set_weight(text: str, rid: str, weight: float) -> tuple[str, int]:
    block = regex.search(rf'(?ms)^id\s*=\s*"{rid}"\s*$.*?(?=^\[\[rules\]\]|\Z)', text)
    if block is None:
        return text, 0
    body = block.group()
    line = f"weight = {weight:g}"
    if regex.search(r"(?m)^weight\s*=.*$", body):
        new = regex.sub(r"(?m)^weight\s*=.*$", line, body, count=1)
    else:
        new = regex.sub(rf'(?m)^(id\s*=\s*"{rid}")\s*$', rf"\1\n{line}", body, count=1)
    return text[: block.start()] + new + text[block.end() :], 1


def write_scoring(path: Path, values: dict[str, float]) -> None:
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        text = regex.sub(rf"(?m)^{key}\s*=.*$", f"{key} = {value:g}", text, count=1)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the packs")
    parser.add_argument("--penalty", type=float, help="skip cross-validation, use this penalty")
    args = parser.parse_args()
    source = args.data / "certainty-pei2021.jsonl"
    if not source.exists():
        raise SystemExit(f"no file {source}")
    rules = default_rules()
    if Path(rules.rules[0].file).parent != Path(default_rules_path()):
        raise SystemExit("packs are not the editable source tree; install with pip -e")
    items = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    train = [i for i in items if i.get("part") == "train"]
    rows = [(features(i["text"], rules), float(i["label"])) for i in train]
    by_id = {rule.id: rule for rule in rules.rules}
    scoring = rules.scoring
    start = start_model(rules)
    penalty = args.penalty if args.penalty is not None else cross_validate(rows, by_id, start)
    # The borrowed and rescaled weights of rare rules enter the next fit; a few rounds settle
    # them, so that running the script again changes nothing.
    items = [x for x, _ in rows]
    factor, offset = scoring.certainty_factor, scoring.confidence_bias
    before = start
    for _ in range(ROUNDS):
        model = fit(rows, by_id, before, penalty)
        left = borrow(model, by_id, free_rules(rows, by_id))
        slope, intercept = carry_scale(before, model, items, left)
        offset += factor * intercept
        factor *= slope
        print(f"round: old logit = {slope:.3f} x new {intercept:+.3f}")
        if abs(slope - 1) < 0.005 and abs(intercept) < 0.005:
            break
        before = model
    print(
        f"penalty {penalty:g}; train r = {pearson(predict(model, items), [y for _, y in rows]):.4f}"
    )
    factor, offset = round(factor, 2), round(offset, 2)
    negation = round(model.weights.pop(NEGATION), 2)
    weights = {
        rid: round(w, 2)
        for rid, w in model.weights.items()
        if abs(round(w, 2) - by_id[rid].weight) >= 0.005
    }
    fitted_ids = set(free_rules(rows, by_id))
    for rid, weight in sorted(weights.items()):
        if rid in fitted_ids:
            print(f"{rid} {by_id[rid].name:32} {by_id[rid].weight:+.2f} -> {weight:+.2f}")
    print(f"negation_certainty {scoring.negation_certainty:g} -> {negation:g}")
    print(
        f"certainty_factor {scoring.certainty_factor:g} -> {factor:g}; confidence_bias {offset:g}"
    )
    if not args.dry_run:
        print(f"updated {write_back(weights, by_id)} weight(s) from {len(train)} train items")
        values = {
            "negation_certainty": negation,
            "certainty_factor": factor,
            "confidence_bias": offset,
        }
        write_scoring(Path(default_rules_path()) / "scoring.toml", values)


if __name__ == "__main__":
    main()
