"""Fit the certainty-axis weights (hedge, booster, hype rules) on Pei & Jurgens' train part.

    python benchmarks/fit_weights.py [--data ../shared/eval/dev] [--dry-run]

A linear model, certainty rating ~ bias + sum of governing cue weights, is fitted by
coordinate descent with a ridge penalty that pulls each weight towards the value its pack
already states (so a rule seen rarely keeps its literature-based default) and with the sign
its category implies (a hedge never raises certainty). The ratings are 1-6, so one rating
point is one logit unit on the certainty axis. The result is written back into the packs'
``weight =`` lines; the `val` part stays held out for BENCHMARKS.md. Because the pull is towards
the weights the packs hold, a second run moves them a little further; run it once after a
change to the packs, then regenerate the golden files and BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import regex

from hedgecheck.engine import analyse
from hedgecheck.rules import Rule, RuleSet, default_rules, default_rules_path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"
PENALTY = 4.0
MIN_SEEN = 4
SWEEPS = 200
MIN_WEIGHT = 0.05


def features(text: str, rules: RuleSet) -> Counter[str]:
    counts: Counter[str] = Counter()
    for item in analyse(text, rules).sentences:
        if item.sentence.role == "furniture":
            continue
        for cue in item.governing():
            if cue.rule.axis == "certainty" and cue.rule.weight != 0:
                counts[cue.rule.id] += 1
    return counts


def fit(rows: list[tuple[Counter[str], float]], priors: dict[str, Rule]) -> dict[str, float]:
    seen = Counter(rid for x, _ in rows for rid in x)
    fitted = {rid: priors[rid].weight for rid in seen if seen[rid] >= MIN_SEEN}
    mean = sum(y for _, y in rows) / len(rows)
    bias = mean
    for _ in range(SWEEPS):
        residuals = [y - bias - sum(fitted.get(r, 0.0) * n for r, n in x.items()) for x, y in rows]
        bias += sum(residuals) / len(rows)
        for rid in fitted:
            old = fitted[rid]
            num = PENALTY * priors[rid].weight
            den = PENALTY
            for (x, _), res in zip(rows, residuals, strict=True):
                n = x.get(rid, 0)
                if n:
                    num += n * (res + old * n)
                    den += n * n
            new = num / den
            # Keep the category's sign and a token magnitude: a fitted zero would silently
            # stop a hedge from counting as a hedge at all.
            new = min(new, -MIN_WEIGHT) if priors[rid].weight < 0 else max(new, MIN_WEIGHT)
            fitted[rid] = new
            for i, (x, _) in enumerate(rows):
                n = x.get(rid, 0)
                if n:
                    residuals[i] -= (new - old) * n
    return {rid: round(w, 2) for rid, w in fitted.items() if abs(w - priors[rid].weight) >= 0.01}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the packs")
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
    weights = fit(rows, by_id)
    for rid, weight in sorted(weights.items()):
        print(f"{rid} {by_id[rid].name:32} {by_id[rid].weight:+.2f} -> {weight:+.2f}")
    if not args.dry_run:
        print(f"updated {write_back(weights, by_id)} weight(s) from {len(train)} train items")


if __name__ == "__main__":
    main()
