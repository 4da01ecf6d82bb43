"""Whole real articles judged as an editor would: headline, evidence tag, label, findings.

    python benchmarks/articles.py [--data ../shared/eval/dev/articles-real] [--write]

Reads ``gold.jsonl`` of the articles folder (see its README) and scores the scan of every
article the way that README defines the figures:

- *headline found*: the report's headline equals the gold one, whitespace and quote marks
  normalised;
- *evidence tag* fields (peer-reviewed, study type, subjects): equal to the gold value, over
  the articles where the gold value is not null;
- *label within range*: the article's label lies in ``min_label`` .. ``max_label``;
- *raise_recall*: the share of ``must_raise`` items for which a finding of that code (``HYP``:
  any hype code), of any severity, overlaps the quote;
- *false_alarms*: the share of ``must_not_raise`` items that a finding of that code at
  warning or error overlaps (hype: above info, which is the same test).

The articles are split in two by their position in ``gold.jsonl``: the *read* half (even
positions) whose misses a developer may read to find a class of wording to fix, and the
*held-back* half (odd positions) that is only ever summed, so that its figures estimate how
a change carries over to articles nobody studied. The script prints the figures for all
articles and for each half side by side, then the read half's misses and false alarms
(``--misses all`` prints the held-back half's too: that spends it as an estimate).
``--write`` puts the table into BENCHMARKS.md. The texts are
other people's: they are read from ``../shared`` at run time and never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sections import write_section

from hedgecheck import Report, Severity, check, default_rules
from hedgecheck.reading import read_path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev" / "articles-real"
LABELS = ("speculative", "preliminary", "supported", "established")
TAG_FIELDS = {
    "peer_reviewed": "evidence tag: peer-reviewed",
    "study_type": "evidence tag: study type",
    "subjects": "evidence tag: subjects",
}
# (figure, target, higher is better) as the issue "Right on real articles" sets them.
TARGETS = {
    "headline found": (0.95, True),
    "evidence tag: peer-reviewed": (0.85, True),
    "evidence tag: study type": (0.75, True),
    "evidence tag: subjects": (0.85, True),
    "article label within the editor's range": (0.90, True),
    "clear-cut problems raised (raise_recall)": (0.75, True),
    "findings raised where an editor says no (false_alarms)": (0.05, False),
}
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "`": "'"})


HALVES = ("read", "held-back")


@dataclass
class Tally:
    """Hits over scored items for each figure, and what went wrong, by article."""

    hits: dict[str, int] = field(default_factory=dict)
    scored: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def count(self, figure: str, good: bool) -> None:
        self.scored[figure] = self.scored.get(figure, 0) + 1
        self.hits[figure] = self.hits.get(figure, 0) + int(good)

    def share(self, figure: str) -> float | None:
        total = self.scored.get(figure, 0)
        return self.hits.get(figure, 0) / total if total else None


def normalised(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").translate(_QUOTES)).strip()


def overlaps(report: Report, code: str, start: int, end: int, *, at_least: Severity) -> bool:
    return any(
        (finding.code.startswith("HYP") if code == "HYP" else finding.code == code)
        and finding.severity.rank >= at_least.rank
        and finding.start < end
        and finding.end > start
        for finding in report.findings
    )


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]


def score_article(gold: dict[str, Any], text: str, report: Report, tally: Tally) -> None:
    name = gold["id"]
    found = normalised(report.headline) == normalised(gold["headline"])
    tally.count("headline found", found)
    if not found:
        tally.misses.append(f"{name}: headline {report.headline!r}, editor {gold['headline']!r}")
    _score_tag(gold, report, tally)
    _score_label(gold, report, tally)
    _score_findings(gold, text, report, tally)


def _score_tag(gold: dict[str, Any], report: Report, tally: Tally) -> None:
    tag = report.evidence_tag.to_dict() if report.evidence_tag else {}
    for key, figure in TAG_FIELDS.items():
        if gold.get(key) is None:
            continue
        ours = tag.get(key)
        good = normalised(str(ours)).lower() == normalised(gold[key]).lower()
        tally.count(figure, good)
        if not good:
            tally.misses.append(f"{gold['id']}: {key} {ours!r}, editor {gold[key]!r}")


def _score_label(gold: dict[str, Any], report: Report, tally: Tally) -> None:
    label = report.label.value if report.label else None
    low, high = LABELS.index(gold["min_label"]), LABELS.index(gold["max_label"])
    good = label in LABELS and low <= LABELS.index(label) <= high
    tally.count("article label within the editor's range", good)
    if not good:
        span = f"{gold['min_label']}..{gold['max_label']}"
        tally.misses.append(f"{gold['id']}: label {label}, editor {span}")


def _score_findings(gold: dict[str, Any], text: str, report: Report, tally: Tally) -> None:
    for item in gold.get("must_raise", []):
        spans = quote_spans(text, item["quote"])
        good = any(overlaps(report, item["code"], *s, at_least=Severity.INFO) for s in spans)
        tally.count("clear-cut problems raised (raise_recall)", good)
        if not good:
            tally.misses.append(f"{gold['id']}: missed {item['code']} on {_short(item['quote'])}")
    for item in gold.get("must_not_raise", []):
        spans = quote_spans(text, item["quote"])
        wrong = any(overlaps(report, item["code"], *s, at_least=Severity.WARNING) for s in spans)
        tally.count("findings raised where an editor says no (false_alarms)", wrong)
        if wrong:
            tally.misses.append(
                f"{gold['id']}: false alarm {item['code']} on {_short(item['quote'])}"
            )


def _short(quote: str, width: int = 90) -> str:
    return repr(quote if len(quote) <= width else quote[: width - 1] + "…")


def run(data: Path) -> dict[str, Tally]:
    """A tally for all articles and one for each half."""
    rules = default_rules()
    tallies = {"all": Tally(), **{half: Tally() for half in HALVES}}
    lines = [x for x in (data / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    for position, line in enumerate(lines):
        gold = json.loads(line)
        source = read_path(str(data / gold["file"]))
        if not hasattr(source, "text"):
            raise SystemExit(f"{gold['file']}: {source}")
        report = check(source.text, rules=rules, path=gold["file"], format="text")
        for name in ("all", HALVES[position % 2]):
            score_article(gold, source.text, report, tallies[name])
    return tallies


def table(tallies: dict[str, Tally]) -> list[str]:
    lines = [
        "| figure | all dev articles | read half | held-back half | target | met (all) |",
        "|---|---|---|---|---|---|",
    ]
    for figure, (target, higher) in TARGETS.items():
        share = tallies["all"].share(figure)
        met = share is not None and (share >= target if higher else share <= target)
        sign = "≥" if higher else "≤"
        cells = [_cell(tallies[name], figure) for name in ("all", *HALVES)]
        lines.append(
            f"| {figure} | {' | '.join(cells)} | {sign} {target:.2f} | {'yes' if met else 'no'} |"
        )
    return lines


def _cell(tally: Tally, figure: str) -> str:
    share = tally.share(figure)
    hits, total = tally.hits.get(figure, 0), tally.scored.get(figure, 0)
    return f"{share:.2f} ({hits}/{total})" if share is not None else "—"


def section(tallies: dict[str, Tally], data: Path) -> str:
    articles = tallies["all"].scored.get("headline found", 0)
    return "\n".join(
        [
            "<!-- articles:start -->",
            "## Whole real articles (an editor's judgments)",
            "",
            f"Written by `python benchmarks/articles.py --write`: the {articles} real news pages",
            f"and press releases of `{_shown(data)}`, each scanned whole as plain text and scored",
            "as that folder's README defines the figures (headline, evidence tag, label range,",
            "`must_raise` and `must_not_raise` findings). The script also prints every miss and",
            "false alarm of the read half. The *read* half (even positions of `gold.jsonl`) is",
            "the one whose misses were read to find classes of wording to fix; the *held-back*",
            "half (odd positions) was only ever summed, so it estimates how the fixes carry",
            "over. A further half of such articles is held out and scored from outside.",
            "How far the held-back half is untouched: the script's first run, before it had",
            "halves, printed the misses of all 21 articles once; the fixes of issue 17 were",
            "specified from the issue's classes of wording and written from the read half's",
            "misses; two slips are disclosed in that session's closing note (two held-back",
            "gold lines printed, and one summed held-back figure used to choose where the",
            "standfirst goes). One read-half gold headline is the page's first line,",
            '"Advertisement" (a scraping artifact); hedgecheck takes the real title there and',
            "counts a miss.",
            "",
            *table(tallies),
            "<!-- articles:end -->",
            "",
        ]
    )


def _shown(data: Path) -> str:
    try:
        return "../" + str(data.resolve().relative_to(ROOT.parent))
    except ValueError:
        return str(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write", action="store_true", help="put the table into BENCHMARKS.md")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--misses",
        choices=("read", "all"),
        default="read",
        help="whose misses to print: the read half (default) or all (spends the held-back half)",
    )
    args = parser.parse_args()
    if not (args.data / "gold.jsonl").is_file():
        raise SystemExit(f"no gold.jsonl in {args.data}")
    tallies = run(args.data)
    print("\n".join(table(tallies)))
    shown = tallies[args.misses]
    print(f"\nmisses and false alarms, {args.misses} half ({len(shown.misses)}):")
    for miss in shown.misses:
        print(f"  {miss}")
    if args.write:
        write_section(section(tallies, args.data), args.output, "articles")
        print(f"\nwrote the articles section of {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
