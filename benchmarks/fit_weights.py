"""Fit the certainty axis (cue weights, certainty bias) on Pei & Jurgens' train part.

    python benchmarks/fit_weights.py [--data ../shared/eval/dev] [--dry-run]

The model is the prediction `hedgecheck evaluate certainty` makes, fitted as it is made: a
sentence's certainty logit is the bias plus its certainty cues' weights, summed sub-additively
(`repeat_decay`, cues outside the claim's scope at their fraction); an item scores the sigmoid
of its least certain sentence. Pearson r with the 1-6 rating is the measure, so the loss is the
squared error of the best affine map from that score onto the rating (minimising it maximises r).

Weights are partially pooled (a hierarchical ridge): a rule seen in at least MIN_SEEN training
items gets its own weight, pulled towards the mean of its kind ("modal" hedges, "evidential"
boosters, ...); each kind's mean is pulled towards its category's literature default. A rule
seen less keeps the weight its pack states. Every weight keeps its category's sign (a hedge
never raises certainty). Nothing pulls towards the weights the packs hold now, so a second run
returns the same weights. The penalty is chosen by 5-fold cross-validation on the train part;
the `val` part is never read. The certainty bias goes to rules/scoring.toml, with
confidence_bias moved by the opposite amount (times certainty_factor), so claim labels do not
shift with the bias alone. Run it after a change to the packs, then regenerate the golden files
and BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import regex

from hedgecheck.engine import analyse
from hedgecheck.rules import Rule, RuleSet, default_rules, default_rules_path
from hedgecheck.scoring import certainty_cues

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"
PENALTIES = (1.0, 3.0, 10.0, 30.0)
FOLDS = 5
MIN_SEEN = 4
STEPS = 1500
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
            return _sigmoid(self.bias), {}
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


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    vx = sum((x - mx) ** 2 for x in xs)
    vy = sum((y - my) ** 2 for y in ys)
    return cov / math.sqrt(vx * vy) if vx and vy else 0.0


def fit(
    rows: list[tuple[Item, float]],
    rules: dict[str, Rule],
    start: Model,
    penalty: float,
) -> Model:
    """Adam on the loss above; signs are kept by projection after every step."""
    seen = Counter(rid for item, _ in rows for rid in {r for s in item for r, _ in s})
    free = sorted(
        rid for rid in seen if seen[rid] >= MIN_SEEN and (rid == NEGATION or rules[rid].weight)
    )
    sign = {rid: 1.0 if rid == NEGATION or rules[rid].weight > 0 else -1.0 for rid in free}
    kind = {rid: f"{rules[rid].category}/{rules[rid].kind}" for rid in free if rid != NEGATION}
    means = {k: CATEGORY_PRIOR[k.split("/")[0]] for k in kind.values()}
    model = Model(start.bias, dict(start.weights), start.decay)
    params = ["bias", *free, *(f"mean:{k}" for k in means)]
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
            grad["bias"] += g
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
            if name == "bias":
                model.bias -= delta
            elif name.startswith("mean:"):
                k = name[5:]
                means[k] = _signed(means[k] - delta, CATEGORY_PRIOR[k.split("/")[0]])
            else:
                model.weights[name] = _signed(model.weights[name] - delta, sign[name])
    return model


def _signed(value: float, sign: float) -> float:
    """Keep the category's sign and a token magnitude: a fitted zero would silently stop a
    hedge from counting as a hedge at all."""
    return max(value, MIN_WEIGHT) if sign > 0 else min(value, -MIN_WEIGHT)


def predict(model: Model, items: list[Item]) -> list[float]:
    return [_sigmoid(model.score(item)[0]) for item in items]


def cross_validate(rows: list[tuple[Item, float]], rules: dict[str, Rule], start: Model) -> float:
    """The penalty whose out-of-fold predictions correlate best with the ratings."""
    order = list(range(len(rows)))
    random.Random(2021).shuffle(order)
    best = (-2.0, PENALTIES[0])
    for penalty in PENALTIES:
        predicted = [0.0] * len(rows)
        for fold in range(FOLDS):
            held = set(order[fold::FOLDS])
            model = fit([r for i, r in enumerate(rows) if i not in held], rules, start, penalty)
            for i in held:
                predicted[i] = predict(model, [rows[i][0]])[0]
        r = pearson(predicted, [y for _, y in rows])
        print(f"penalty {penalty:5g}: cross-validated r = {r:.4f}")
        best = max(best, (r, penalty))
    return best[1]


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
    model = fit(rows, by_id, start, penalty)
    fitted = pearson(predict(model, [x for x, _ in rows]), [y for _, y in rows])
    print(f"penalty {penalty:g}; train r = {fitted:.4f}")
    negation = round(model.weights.pop(NEGATION), 2)
    weights = {
        rid: round(w, 2)
        for rid, w in model.weights.items()
        if abs(round(w, 2) - by_id[rid].weight) >= 0.005
    }
    for rid, weight in sorted(weights.items()):
        print(f"{rid} {by_id[rid].name:32} {by_id[rid].weight:+.2f} -> {weight:+.2f}")
    bias = round(model.bias, 2)
    shift = scoring.certainty_factor * (bias - scoring.certainty_bias)
    confidence_bias = round(scoring.confidence_bias - shift, 2)
    print(f"certainty_bias {scoring.certainty_bias:g} -> {bias:g}; confidence {confidence_bias:g}")
    print(f"negation_certainty {scoring.negation_certainty:g} -> {negation:g}")
    if not args.dry_run:
        print(f"updated {write_back(weights, by_id)} weight(s) from {len(train)} train items")
        values = {
            "certainty_bias": bias,
            "confidence_bias": confidence_bias,
            "negation_certainty": negation,
        }
        write_scoring(Path(default_rules_path()) / "scoring.toml", values)


if __name__ == "__main__":
    main()
