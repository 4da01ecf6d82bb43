"""Accuracy on the shared evaluation data; writes BENCHMARKS.md.

    python benchmarks/accuracy.py [--data ../shared/eval/dev] [--output BENCHMARKS.md]

Every figure in BENCHMARKS.md comes from this script. The ablation reruns each task with
(1) the lexicon only: every cue governs its whole sentence, no pseudo-cues, no terminators,
unit weights; (2) + scopes: directions, pseudo-cues and terminators, still unit weights;
(3) the packs as shipped, with their fitted and default weights.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from sections import kept_sections

from hedgecheck.evaluate import TASKS, evaluate
from hedgecheck.rules import RuleSet, default_rules

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"

# (task, file, metric path, trivial regex rule, goals: core issue / accuracy issue, best)
RUNS: list[tuple[str, str, tuple[str, ...], float, str, str]] = [
    ("hedge", "hedge-szeged-bio.jsonl", ("f1", "f1"), 0.73, "0.78 / 0.86", "0.864 (Tang 2010)"),
    ("certainty", "certainty-pei2021.jsonl", ("pearson",), 0.48, "0.55 / 0.63", "0.63 (SciBERT)"),
    ("strength", "strength-yu-pubmed.jsonl", ("macro_f1",), 0.55, "0.65 / 0.82", "0.878 (BioBERT)"),
    ("strength", "strength-yu-eureka.jsonl", ("macro_f1",), 0.56, "— / 0.80", "0.892 (BioBERT)"),
    ("strength", "strength-insciout-news.jsonl", ("macro_f1",), 0.37, "0.50 / 0.68", "none"),
    (
        "exaggeration",
        "exaggeration-wright2021.jsonl",
        ("macro_f1",),
        0.41,
        "0.48 / 0.60",
        "see Wright & Augenstein 2021",
    ),
    ("article", "article-fakehealth-story.jsonl", ("auc",), 0.51, "— / 0.70", "0.814 (CNN)"),
    (
        "article",
        "article-fakehealth-release.jsonl",
        ("criteria", "evidence", "auc"),
        0.52,
        "— / 0.70",
        "0.707 (LR, evidence criterion)",
    ),
    (
        "article",
        "article-fakehealth-release.jsonl",
        ("criteria", "sensational_language", "auc"),
        0.52,
        "— / 0.65",
        "0.570 (LR, sensational language)",
    ),
]


def lexicon_only(rules: RuleSet) -> RuleSet:
    kept = [
        dataclasses.replace(rule, direction="sentence", weight=_unit(rule.weight), cap=None)
        for rule in rules.rules
        if rule.category not in ("pseudo", "terminator")
    ]
    return RuleSet(rules=tuple(kept), scoring=rules.scoring, packs=rules.packs)


def with_scopes(rules: RuleSet) -> RuleSet:
    kept = [dataclasses.replace(rule, weight=_unit(rule.weight)) for rule in rules.rules]
    return RuleSet(rules=tuple(kept), scoring=rules.scoring, packs=rules.packs)


def _unit(weight: float) -> float:
    return (weight > 0) - (weight < 0)


VARIANTS: list[tuple[str, Callable[[RuleSet], RuleSet]]] = [
    ("lexicon only", lexicon_only),
    ("+ scope", with_scopes),
    ("+ weights (shipped)", lambda rules: rules),
]


def metric(metrics: dict[str, Any], path: tuple[str, ...]) -> float:
    value: Any = metrics
    for key in path:
        value = value[key]
    return float(value)


def _job(
    args: tuple[str, str, str, tuple[str, ...], str],
) -> tuple[str, str, tuple[str, ...], float, dict]:
    """One (variant, file) evaluation; runs in a worker process."""
    variant, task, file, path, data = args
    rules = dict(VARIANTS)[variant](default_rules())
    result = evaluate(task, Path(data) / file, rules=rules)
    halves = {}
    if variant == VARIANTS[-1][0]:
        items = [json.loads(line) for line in (Path(data) / file).open(encoding="utf-8")]
        for name, parity in (("even", 0), ("odd", 1)):
            chosen = [
                (i, p["prediction"])
                for n, (i, p) in enumerate(zip(items, result.predictions, strict=True))
                if n % 2 == parity
            ]
            scored = TASKS[task].score([i for i, _ in chosen], [p for _, p in chosen])
            halves[name] = metric(scored, path)
    return variant, file, path, metric(result.metrics, path), halves


def run(data: Path, jobs: int) -> tuple[list[dict[str, Any]], float]:
    started = time.perf_counter()
    present = [run for run in RUNS if (data / run[1]).exists()]
    work = [
        (name, task, file, path, str(data))
        for task, file, path, *_ in present
        for name, _ in VARIANTS
    ]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(_job, work))
    rows = []
    for task, file, path, trivial, floor, best in present:
        mine = [(v, value, h) for v, f, p, value, h in results if (f, p) == (file, path)]
        figures = {v: value for v, value, _ in mine}
        halves = next(h for _, _, h in mine if h)
        rows.append(
            {
                "task": task,
                "file": file,
                "metric": "/".join(path),
                "trivial": trivial,
                "floor": floor,
                "best": best,
                "figures": figures,
                "halves": halves,
            }
        )
        print(
            f"{task:13} {file:36} "
            + "  ".join(f"{v:.3f}" for v in figures.values())
            + f"  (even {halves['even']:.3f}, odd {halves['odd']:.3f})",
            flush=True,
        )
    if (data / "certainty-pei2021.jsonl").exists():
        rows.extend(_certainty_parts(data, default_rules()))
    return rows, time.perf_counter() - started


def _certainty_parts(data: Path, rules: RuleSet) -> list[dict[str, Any]]:
    """Pei & Jurgens by part: the weights are fitted on `train`, so `val` is held out."""
    task = TASKS["certainty"]
    lines = (data / "certainty-pei2021.jsonl").open(encoding="utf-8")
    items = [json.loads(line) for line in lines if line.strip()]
    rows = []
    for part in ("train", "val"):
        chosen = [i for i in items if i.get("part") == part]
        if len(chosen) < 3:
            continue
        scored = task.score(chosen, [task.predict(i, rules) for i in chosen])
        rows.append(
            {
                "task": f"certainty ({part} part, n={len(chosen)})",
                "file": "certainty-pei2021.jsonl",
                "metric": "pearson",
                "trivial": None,
                "floor": None,
                "best": "",
                "figures": {VARIANTS[-1][0]: scored["pearson"]},
            }
        )
    return rows


def write(rows: list[dict[str, Any]], seconds: float, output: Path) -> None:
    names = [name for name, _ in VARIANTS]
    lines = [
        "# Benchmarks",
        "",
        "Written by `python benchmarks/accuracy.py` (reads `../shared/eval/dev/`); rerun it to",
        "reproduce every figure. The data and the literature's anchors are described in",
        "`../shared/eval/README.md`. Weights on the certainty axis are fitted on the `train`",
        "part of the Pei & Jurgens data by `python benchmarks/fit_weights.py`; the `val` part",
        "is held out and reported separately below. The article models are fitted on the even",
        "lines of the two FakeHealth files by `python benchmarks/fit_article.py`, so for them",
        "the *odd half* column is the held-out figure. Nothing else is fitted.",
        "",
        "## Accuracy on dev",
        "",
        "| task | file | metric | trivial regex | goal (core / accuracy or editorial issue) | "
        + " | ".join(names)
        + " | even half | odd half | literature's best |",
        "|---" * (8 + len(names)) + "|",
    ]
    for row in rows:
        cells = [f"{row['figures'][n]:.3f}" if n in row["figures"] else "" for n in names]
        trivial = f"{row['trivial']:.2f}" if row["trivial"] is not None else ""
        floor = row["floor"] or ""
        halves = [
            f"{row['halves'][h]:.3f}" if h in row.get("halves", {}) else "" for h in ("even", "odd")
        ]
        lines.append(
            f"| {row['task']} | `{row['file']}` | {row['metric']} | {trivial} | "
            f"{floor} | " + " | ".join(cells + halves) + f" | {row['best']} |"
        )
    lines += [
        "",
        "Ablation columns: *lexicon only* — every cue governs its whole sentence, no",
        "pseudo-cues or terminators, unit weights; *+ scope* — ConText directions, maximum",
        "scopes, terminators and pseudo-cues, unit weights; *+ weights* — the packs as shipped.",
        "Rule patterns were developed on the items at even line positions of each file and",
        "checked on the odd ones: the *even half* / *odd half* columns give the shipped packs'",
        "figure on each half, so the gap between them shows how far the rules overfit. The",
        "exception is the last round of strength rules (the three `strength-*` files): its",
        "error analysis read the errors of both halves, to close the gap between them, so for",
        "those files the odd half is no longer untouched; the held-out check there is the",
        "private half, scored from outside. Fitted weights still see one part only: the",
        "certainty weights Pei & Jurgens' train part (`benchmarks/fit_weights.py`), the",
        "article models the even half (`benchmarks/fit_article.py`).",
        "",
        f"Run time of the whole script (three variants, all files, {os.cpu_count()} cores): "
        f"{seconds:.0f} s.",
        "",
    ]
    output.write_text("\n".join(lines) + kept_sections(output), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores)",
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no evaluation data at {args.data}")
    rows, seconds = run(args.data, args.jobs)
    write(rows, seconds, args.output)
    print(f"wrote {args.output} in {seconds:.0f} s")


if __name__ == "__main__":
    main()
