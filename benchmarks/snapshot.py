"""Every output hedgecheck makes on the dev corpora and the examples, written to a folder.

    python benchmarks/snapshot.py OUT [--data ../shared/eval/dev] [--compare BEFORE]

A refactoring must not change what users see. Run this before the change into one folder and
after it into another with ``--compare`` naming the first: it prints every file that differs and
exits 1 if any does. The snapshot holds, for each dev corpus, ``evaluate``'s metrics and its
per-item predictions; for each corpus item, the JSON report of ``check`` on its text; every
scan format on the examples and the real articles; and the rule listing and documentation.
It reads the evaluation data at run time and writes only inside OUT (never commit OUT).
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"
TASK_OF = {
    "hedge-szeged-bio.jsonl": "hedge",
    "certainty-pei2021.jsonl": "certainty",
    "strength-yu-pubmed.jsonl": "strength",
    "strength-yu-eureka.jsonl": "strength",
    "strength-insciout-news.jsonl": "strength",
    "exaggeration-wright2021.jsonl": "exaggeration",
    "article-fakehealth-story.jsonl": "article",
    "article-fakehealth-release.jsonl": "article",
}
FORMATS = ("text", "concise", "json", "jsonl", "markdown", "github", "sarif", "html")
# Item fields that hold prose, in the order the reports are made.
TEXT_FIELDS = ("title", "text", "press_release", "abstract", "finding", "claim")


def _run(args: list[str], out: Path, cwd: Path = ROOT) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from hedgecheck.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )
    out.write_bytes(
        done.stdout + b"\n--- stderr ---\n" + done.stderr + f"\nexit {done.returncode}\n".encode()
    )


def _evaluate(data: Path, name: str, out: Path) -> None:
    task = TASK_OF[name]
    predictions = out / f"{name}.predictions.jsonl"
    _run(
        ["evaluate", task, str(data / name), "--predictions", str(predictions)],
        out / f"{name}.metrics",
    )


def _reports(data: Path, name: str, out: Path) -> None:
    import hedgecheck

    with (
        (data / name).open(encoding="utf-8") as lines,
        (out / f"{name}.reports.jsonl").open("w") as sink,
    ):
        for line in lines:
            item = json.loads(line)
            for field in TEXT_FIELDS:
                value = item.get(field)
                if isinstance(value, str) and value.strip():
                    report = hedgecheck.check(value)
                    sink.write(
                        json.dumps(report.to_dict(), sort_keys=False, ensure_ascii=False) + "\n"
                    )


def _scans(out: Path, data: Path) -> None:
    # Paths relative to a fixed folder, so that snapshots from two checkouts compare equal.
    places = {"examples": (ROOT, "examples"), "articles-real": (data / "articles-real", "articles")}
    for label, (folder, inside) in places.items():
        for form in FORMATS:
            args = ["scan", "--format", form, "--fail-on", "never", inside]
            _run(args, out / f"scan-{label}.{form}", cwd=folder)
    _run(["rules"], out / "rules-list")
    listing = (out / "rules-list").read_text(encoding="utf-8").split()
    ids = sorted({w for w in listing if len(w) == 6 and w[:3].isupper() and w[3:].isdigit()})
    for rule_id in ids:
        _run(["rules", rule_id], out / f"rule-{rule_id}")
    for example in sorted((ROOT / "examples").rglob("*")):
        if example.suffix in {".txt", ".md", ".html"}:
            inside = str(example.relative_to(ROOT))
            _run(["explain", inside], out / f"explain-{example.name}")
    _run(["rules", "test"], out / "rules-test")


def snapshot(out: Path, data: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    names = [name for name in TASK_OF if (data / name).exists()]
    with ProcessPoolExecutor(max_workers=max(1, (os.cpu_count() or 2))) as pool:
        jobs = [pool.submit(_evaluate, data, name, out) for name in names]
        jobs += [pool.submit(_reports, data, name, out) for name in names]
        jobs.append(pool.submit(_scans, out, data))
        for job in jobs:
            job.result()


def compare(before: Path, after: Path) -> int:
    differing = []
    for path in sorted(before.rglob("*")):
        twin = after / path.relative_to(before)
        if path.is_file() and not (twin.is_file() and filecmp.cmp(path, twin, shallow=False)):
            differing.append(path.relative_to(before))
    missing = [
        p.relative_to(after)
        for p in after.rglob("*")
        if not (before / p.relative_to(after)).exists()
    ]
    for name in differing:
        print(f"differs: {name}")
    for name in missing:
        print(f"new:     {name}")
    digest = hashlib.sha256()
    for path in sorted(after.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    count = sum(1 for p in after.rglob("*") if p.is_file())
    print(
        f"{count} files, sha256 {digest.hexdigest()[:16]};",
        f"{len(differing)} differ, {len(missing)} new",
    )
    return 1 if differing or missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot to compare against")
    args = parser.parse_args()
    snapshot(args.out.resolve(), args.data.resolve())
    return compare(args.compare, args.out) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
