"""Clutter taken as claims, on scraped news stories labelled by hand.

    python benchmarks/clutter.py [--data ../shared/eval/dev] [--labels FILE] [--show]

benchmarks/clutter-labels.tsv labels every non-blank line of a fixed sample of
article-fakehealth-story.jsonl as `prose` or `clutter` (the stories themselves stay in the
shared data). Each labelled story is run through ``hedgecheck.check(text, title=title)`` and
every claim is mapped to the line it starts on. The main figure is the share of claims that
start on a clutter line. The secondary figure guards against fixes that just drop lines:
of the prose lines that hold a claim cue (a rule that marks a claim), the share on which no
claim lies, split by why (the line was taken as furniture or a heading, a clutter rule
matched, or neither). Two more figures show clutter that no claim cue happened to expose: clutter
lines read as body prose (a claim cue would make them claims) and, with the title withheld
as the CLI does for a plain file, headlines picked from a clutter line (a line that merely
repeats the title is the right headline then, and is not counted).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sections import markers, write_section

from hedgecheck import check
from hedgecheck.loader import default_rules
from hedgecheck.text import LineIndex, segment

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"
DEFAULT_LABELS = ROOT / "benchmarks" / "clutter-labels.tsv"
DATA_FILE = "article-fakehealth-story.jsonl"


@dataclass
class Tally:
    claims: int = 0
    clutter_claims: int = 0
    clutter_lines: int = 0
    clutter_as_body: int = 0
    clutter_headlines: int = 0
    prose_lines: int = 0
    worthy_lines: int = 0
    missed: Counter[str] | None = None

    def __post_init__(self) -> None:
        self.missed = Counter()


def hash_line(line: str) -> str:
    return hashlib.sha1(line.strip().encode("utf-8")).hexdigest()[:8]


def load_labels(path: Path) -> dict[str, dict[int, tuple[str, str]]]:
    """Record id to {line number: (label, sha1 prefix)}."""
    labels: dict[str, dict[int, tuple[str, str]]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#") or raw.startswith("id\t"):
            continue
        record, line, label, digest = raw.split("\t")
        if label not in ("prose", "clutter"):
            raise SystemExit(f"{path}: unknown label {label!r} for {record} line {line}")
        labels.setdefault(record, {})[int(line)] = (label, digest)
    return labels


def load_stories(path: Path, wanted: set[str]) -> dict[str, dict[str, str]]:
    stories = {}
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            row = json.loads(raw)
            if row["id"] in wanted:
                stories[row["id"]] = row
    missing = wanted - stories.keys()
    if missing:
        raise SystemExit(f"{path}: labelled stories not found: {', '.join(sorted(missing))}")
    return stories


def line_roles(text: str) -> tuple[dict[int, str], set[int]]:
    """Line number to why a line holds no body sentence (its role, or a clutter match), and
    the lines that start a body sentence no clutter rule matched."""
    rules = default_rules()
    index = LineIndex(text)
    why: dict[int, str] = {}
    body: set[int] = set()
    for sentence in segment(text, find_headline=False, lexicon=rules.lexicon):
        line = index.position(sentence.start)[0]
        if sentence.role in ("furniture", "heading"):
            why.setdefault(line, f"taken as {sentence.role}")
        elif any(m.rule.category == "clutter" for m in rules.matcher.find(sentence.text)):
            why.setdefault(line, "clutter rule")
        else:
            body.add(line)
    return why, body


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def score(
    stories: dict[str, dict[str, str]], labels: dict[str, dict[int, tuple[str, str]]]
) -> tuple[Tally, list[str], list[str], list[str]]:
    rules = default_rules()
    tally = Tally()
    offending: list[str] = []
    missed: list[str] = []
    exposed: list[str] = []
    for record in sorted(labels):
        story = stories[record]
        lines = story["text"].splitlines()
        for number, (_, digest) in labels[record].items():
            if number > len(lines) or hash_line(lines[number - 1]) != digest:
                raise SystemExit(f"{record} line {number}: text changed since it was labelled")
        report = check(story["text"], title=story["title"])
        claimed: set[int] = set()
        for claim in report.claims:
            if claim.line == 0:  # the separate title
                continue
            tally.claims += 1
            last = claim.line + claim.text.count("\n")
            claimed.update(range(claim.line, last + 1))
            label = labels[record].get(claim.line, ("prose", ""))[0]
            if label == "clutter":
                tally.clutter_claims += 1
                offending.append(f"{record}:{claim.line}: {lines[claim.line - 1].strip()[:110]}")
        headline = next((c for c in check(story["text"]).claims if c.headline), None)
        if (
            headline is not None
            and labels[record].get(headline.line, ("prose", ""))[0] == "clutter"
            and _words(headline.text) != _words(story["title"])
        ):
            tally.clutter_headlines += 1
            offending.append(f"{record}:{headline.line}: headline: {headline.text[:100]}")
        why, body = line_roles(story["text"])
        for number, (label, _) in sorted(labels[record].items()):
            if label == "clutter":
                tally.clutter_lines += 1
                if number in body:
                    tally.clutter_as_body += 1
                    exposed.append(f"{record}:{number}: {lines[number - 1].strip()[:110]}")
                continue
            tally.prose_lines += 1
            line = lines[number - 1]
            if not any(m.rule.claim for m in rules.matcher.find(line)):
                continue
            tally.worthy_lines += 1
            if number not in claimed:
                reason = why.get(number, "not a claim")
                assert tally.missed is not None
                tally.missed[reason] += 1
                missed.append(f"{record}:{number} ({reason}): {line.strip()[:100]}")
    return tally, offending, missed, exposed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--show", action="store_true", help="print the offending lines")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
    )
    args = parser.parse_args()
    labels = load_labels(args.labels)
    stories = load_stories(args.data / DATA_FILE, set(labels))
    tally, offending, missed, exposed = score(stories, labels)
    assert tally.missed is not None
    rate = tally.clutter_claims / tally.claims if tally.claims else 0.0
    dropped = sum(n for reason, n in tally.missed.items() if reason != "not a claim")
    lost = dropped / tally.worthy_lines if tally.worthy_lines else 0.0
    print(
        f"stories {len(labels)}, lines {tally.prose_lines + tally.clutter_lines} "
        f"(prose {tally.prose_lines}, clutter {tally.clutter_lines})"
    )
    print(f"claims (body, not the title) {tally.claims}")
    print(f"claims on clutter lines      {tally.clutter_claims}  rate {rate:.2%}")
    print(
        f"prose lines with a claim cue {tally.worthy_lines}, dropped as furniture {dropped}  "
        f"missed prose rate {lost:.2%}"
    )
    for reason, count in sorted(tally.missed.items()):
        print(f"  no claim on a cued prose line: {reason}: {count}")
    print(f"clutter lines read as body prose {tally.clutter_as_body} of {tally.clutter_lines}")
    print(f"headlines from clutter, title withheld {tally.clutter_headlines} of {len(labels)}")
    if args.write:
        start, end = markers("clutter")
        section = [
            start,
            "## Clutter taken as claims (scraped stories)",
            "",
            "Written by `python benchmarks/clutter.py --write`: every non-blank line of "
            f"{len(labels)} FakeHealth stories (every 19th of `article-fakehealth-story.jsonl`) "
            "labelled by hand as prose or clutter (`benchmarks/clutter-labels.tsv`).",
            "",
            "| figure | value |",
            "|---|---|",
            f"| claims starting on a clutter line (goal < 2%) | {tally.clutter_claims} of "
            f"{tally.claims} ({rate:.2%}) |",
            f"| cued prose lines dropped as furniture | {dropped} of {tally.worthy_lines} "
            f"({lost:.2%}) |",
            f"| clutter lines read as body prose | {tally.clutter_as_body} of "
            f"{tally.clutter_lines} |",
            f"| headlines taken from clutter (title withheld) | {tally.clutter_headlines} of "
            f"{len(labels)} |",
            end,
        ]
        write_section("\n".join(section) + "\n", args.output, "clutter")
    if args.show:
        print("\nclaims and headlines on clutter lines:")
        print("\n".join(offending) or "  none")
        print("\nclutter lines read as body prose:")
        print("\n".join(exposed) or "  none")
        print("\ncued prose lines without a claim:")
        print("\n".join(missed) or "  none")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
