"""Speed and memory of ``hedgecheck scan`` on a corpus of news stories.

    python benchmarks/speed.py [--data ../shared/eval/dev] [--runs 5] [--scale 10]
                               [--big-mb 50] [--dense-mb 21.6] [--write]

The corpus is the article texts of ``article-fakehealth-story.jsonl`` (one ``.txt`` file per
story in a temporary folder). Every measurement is a whole process (``measuring.py``: wall
time, CPU time of the child and its own children, peak RSS of the largest single process, so
for ``--jobs 2`` the largest of the parent and its workers). Timed commands get one warm-up
run and then ``--runs`` runs; the median is reported.

1. the baseline: one Python process that reads every file and runs a single compiled
   ``regex`` alternation of about 80 common hedge words over it;
2. ``hedgecheck scan --format jsonl DIR > /dev/null``;
3. the same with ``--jobs 2``;
4. ``hedgecheck scan`` of one short file (start-up cost), and ``hedgecheck --help``;
   and, for where the time goes, the scan of the corpus with rule matching switched off
   (no cues at all): the floor under the full analysis that a faster matcher cannot pass;
5. memory: the scan of the corpus copied ``--scale`` times (one run), whose peak RSS should
   stay within 20% of the 1× scan's;
6. one plain-text file of ``--big-mb`` megabytes of stories, and the dense file of issue 21,
   ``--dense-mb`` megabytes of one short hedged sentence repeated on one line; each beside a
   file a quarter its size (one run each): time per megabyte should be the same (linear) and
   memory bounded (the dense file within 500 MB).

Then an in-process cProfile run over the corpus splits the time between the pipeline's
stages. The targets of issue 21 are printed as ratios of rows of this one run, each with
PASS or MISS: full analysis ≤ 5× the one-regex read's CPU (stretch ≤ 3×), start-up ≤ 0.2 s
CPU, ``--jobs 2`` ≥ 1.7× faster in wall time, the dense file in linear time within 500 MB.
Without ``--write`` the section is printed; with it, it replaces the part of BENCHMARKS.md
between ``<!-- speed:start -->`` and ``<!-- speed:end -->`` (appended when the markers are
missing). ``--runs 1 --scale 2 --big-mb 2 --dense-mb 0.5 --no-profile`` is a smoke run.

``--startup`` measures only the start-up rows, needs no corpus and takes a minute: the scan
of one short file, ``hedgecheck --help``, and the pre-commit hook's command
(``scan --quiet --format concise``) on 20 Markdown files (copies of the ketamine example),
each run ``--runs`` times in turn (median), against their targets (0.2 s, 0.3 s, 2 s).
The verdict goes by CPU time: on a busy machine wall time measures the other processes.

``--limits [FACTOR]`` measures only the files of the README's *Resource limits* (one run
each, no corpus needed): 21.6 MB and 8 MB of short sentences on one line with no line end,
10 MB of HTML in paragraphs and 10 MB of HTML in one paragraph, each FACTOR times that size
(1 when not given; ``--limits 0.01`` is a smoke run of a few seconds). The full sizes take
about 20 minutes on 2 cores. With ``--write`` they replace the part of BENCHMARKS.md between
``<!-- limits:start -->`` and ``<!-- limits:end -->``; the dense-file targets are judged
from the two one-line files.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
from pathlib import Path

from measuring import (
    BASELINE,
    DATA_FILE,
    DEFAULT_DATA,
    HEDGE_WORDS,
    NO_MATCHING,
    ROOT,
    Cost,
    MeasureError,
    Row,
    hedgecheck_command,
    loadavg,
    measure,
    once,
    stories,
    timed,
    verdict,
    write_corpus,
    written,
)
from sections import markers, publish

START, END = markers("speed")


def write_big(path: Path, items: list[tuple[str, str]], megabytes: float) -> float:
    """Stories one after another (blank line between) until the file holds ``megabytes``."""
    limit = int(megabytes * 1e6)
    size = 0
    with open(path, "wb") as handle:
        while size < limit:
            for _, text in items:
                data = text.encode("utf-8") + b"\n\n"
                handle.write(data)
                size += len(data)
                if size >= limit:
                    break
    return size / 1e6


# -- where the time goes -------------------------------------------------------------------

STAGES = (
    ("reading files (bytes, decoding)", "reading.py", "read_path"),
    ("document reading (markup, blocks)", "documents/__init__.py", "read_document"),
    ("segmentation (paragraphs, sentences, tokens)", "text.py", "segment"),
    ("rule matching (RuleSet.find: first pass and overlay)", "ruleset.py", "find"),
    ("engine: cues, scopes, claims (analyse, all)", "engine.py", "analyse"),
    ("scoring (assess)", "scoring.py", "assess"),
    ("editorial checks (run_checks)", "checks/registry.py", "run_checks"),
    ("evidence tag and report card", "report_card.py", "report_card"),
    ("report to dict (to_dict)", "serialise.py", "to_dict"),
    ("JSON encoding (json.dumps)", "json/__init__.py", "dumps"),
)


Profiled = tuple[float, list[tuple[str, float]], list[tuple[str, float, float]]]


def profile(folder: Path) -> Profiled:
    """cProfile over reading, checking and encoding every file, in this process."""
    from hedgecheck.config import Config
    from hedgecheck.loader import default_rules
    from hedgecheck.scanning import ScanJob, check_file

    rules = default_rules()
    job = ScanJob(Config())
    files = sorted(str(p) for p in folder.glob("*.txt"))
    profiler = cProfile.Profile()
    profiler.enable()
    for name in files:
        report = check_file(name, rules, job)
        json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":"))
    profiler.disable()
    stats = pstats.Stats(profiler)
    table = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _), (_, _, _, ct, _) in table.items())
    stages = []
    for label, file, function in STAGES:
        cumulative = sum(
            ct
            for (path, _, name), (_, _, _, ct, _) in table.items()
            if name == function and path.replace(os.sep, "/").endswith(file)
        )
        stages.append((label, cumulative))
    own = sorted(
        (
            (f"{Path(path).name}:{line} {name}", tt, ct)
            for (path, line, name), (_, _, tt, ct, _) in table.items()
        ),
        key=lambda item: -item[1],
    )
    return total, stages, own[:12]


# -- the report ----------------------------------------------------------------------------


# The targets (issue 21), judged in the run that measured them.
FULL_TARGET, FULL_STRETCH = 5.0, 3.0  # full analysis CPU / one-regex read CPU
STARTUP_TARGET = 0.2  # CPU seconds of a scan of one short file
JOBS_TARGET = 1.7  # wall time of --jobs 1 / wall time of --jobs 2
DENSE_RSS_MB = 500.0  # peak RSS of the dense one-line file
LINEAR = 1.25  # CPU per MB of a file / that of a quarter-size one, still "linear"


def dense_targets(dense: Row, smaller: Row) -> list[tuple[str, str, str]]:
    """Linear time and bounded memory for one line of short sentences, from two sizes."""
    linear = (dense.cpu / dense.megabytes) / (smaller.cpu / smaller.megabytes)
    return [
        (
            f"dense file ({dense.megabytes:.1f} MB, one line of short sentences) in linear time",
            f"CPU per MB {linear:.2f}× that of the {smaller.megabytes:.1f} MB file",
            verdict(linear <= LINEAR),
        ),
        (
            f"… within {DENSE_RSS_MB:.0f} MB",
            f"peak RSS {dense.rss_mb:.0f} MB ({smaller.megabytes:.1f} MB file: "
            f"{smaller.rss_mb:.0f} MB)",
            verdict(dense.rss_mb <= DENSE_RSS_MB),
        ),
    ]


def targets(rows: dict[str, Row]) -> list[tuple[str, str, str]]:
    """(target, measured, PASS or MISS) for each target, all from the rows of one run."""
    base, one, two = rows["baseline"], rows["jobs1"], rows["jobs2"]
    ratio, speedup = one.cpu / base.cpu, one.wall / two.wall
    scaled, big, quarter = rows["scaled"], rows["big"], rows["quarter"]
    linear = (big.cpu / big.megabytes) / (quarter.cpu / quarter.megabytes)
    return [
        (
            f"full analysis ≤ {FULL_TARGET:g}× the one-regex read (CPU)",
            f"{ratio:.1f}× ({one.cpu:.2f} s vs {base.cpu:.2f} s); with matching switched off "
            f"{rows['floor'].cpu / base.cpu:.1f}×",
            verdict(ratio <= FULL_TARGET),
        ),
        (f"… stretch: ≤ {FULL_STRETCH:g}×", f"{ratio:.1f}×", verdict(ratio <= FULL_STRETCH)),
        (
            f"start-up for one short file ≤ {STARTUP_TARGET:g} s (CPU)",
            f"{rows['startup'].cpu:.2f} s CPU ({rows['startup'].wall:.2f} s wall)",
            verdict(rows["startup"].cpu <= STARTUP_TARGET),
        ),
        (
            f"`--jobs 2` ≥ {JOBS_TARGET:g}× faster than `--jobs 1` (wall)",
            f"{speedup:.2f}× (CPU {two.cpu:.1f} s vs {one.cpu:.1f} s)",
            verdict(speedup >= JOBS_TARGET),
        ),
        *dense_targets(rows["dense"], rows["dense_quarter"]),
        (
            "`hedgecheck --help` ≤ 0.3 s (CPU)",
            f"{rows['help'].cpu:.2f} s CPU ({rows['help'].wall:.2f} s wall)",
            verdict(rows["help"].cpu <= 0.3),
        ),
        (
            f"peak RSS for {scaled.megabytes / one.megabytes:.0f}× the corpus within 20% of 1×",
            f"{scaled.rss_mb:.0f} MB vs {one.rss_mb:.0f} MB "
            f"({scaled.rss_mb / one.rss_mb - 1:+.0%})",
            verdict(scaled.rss_mb <= one.rss_mb * 1.2),
        ),
        (
            f"one {big.megabytes:.0f} MB file of stories in linear time",
            f"CPU per MB {linear:.2f}× that of the {quarter.megabytes:.1f} MB file",
            verdict(linear <= LINEAR),
        ),
        (
            "… and bounded memory",
            f"peak RSS {big.rss_mb:.0f} MB ({quarter.megabytes:.1f} MB file: "
            f"{quarter.rss_mb:.0f} MB)",
            verdict(big.rss_mb <= quarter.rss_mb * 1.2),
        ),
    ]


def print_targets(checked: list[tuple[str, str, str]]) -> None:
    print("\nissue 21's targets, measured in this run:")
    for target, measured, passed in checked:
        print(f"  {passed.strip('*'):4}  {target}: {measured}")


def section(
    rows: dict[str, Row],
    args: argparse.Namespace,
    load: tuple[str, str],
    profiled: Profiled | None,
) -> str:
    base = rows["baseline"]
    lines = [
        START,
        "## Speed and memory",
        "",
        written(
            f"python benchmarks/speed.py --write --runs {args.runs} --scale {args.scale} "
            f"--big-mb {args.big_mb:g} --dense-mb {args.dense_mb:g}",
            load,
            "(and so MB/s and the `--jobs 2` speed-up)",
        ),
        "",
        f"Corpus: {base.megabytes:.2f} MB, the article texts of `{DATA_FILE}`, one file per "
        f"story. Timed rows: median of {args.runs} runs after a warm-up; rows marked (1 run) "
        "are single runs. Peak RSS is that of the largest single process.",
        "",
        "| run | MB | wall (s) | CPU (s) | MB/s (wall) | × baseline wall | × baseline CPU "
        "| peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows.values():
        rate = f"{row.megabytes / row.wall:.2f}" if row.megabytes else ""
        lines.append(
            f"| {row.name} | {row.megabytes:.2f} | {row.wall:.2f} | {row.cpu:.2f} | {rate} | "
            f"{row.wall / base.wall:.1f} | {row.cpu / base.cpu:.1f} | {row.rss_mb:.0f} |"
        )
    lines += ["", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {target} | {measured} | {passed} |" for target, measured, passed in targets(rows)]
    if profiled:
        total, stages, own = profiled
        lines += [
            "",
            "### Where the time goes",
            "",
            f"cProfile over reading, checking and JSON-encoding every file of the corpus in "
            f"one process ({total:.1f} s under the profiler, which slows Python calls). "
            "Cumulative time per stage (stages nest: the engine's figure includes matching "
            "and segmentation):",
            "",
            "| stage | cumulative s | share |",
            "|---|---|---|",
            *(f"| {label} | {cum:.2f} | {cum / total:.0%} |" for label, cum in stages),
            "",
            "Functions with the most own time:",
            "",
            "| function | own s | cumulative s |",
            "|---|---|---|",
            *(f"| `{name}` | {tt:.2f} | {ct:.2f} |" for name, tt, ct in own),
        ]
    lines.append(END)
    return "\n".join(lines) + "\n"


# -- resource limits: one-line files and big HTML --------------------------------------------

LIMITS_START, LIMITS_END = markers("limits")
# One claim each; 400,000 of them on one line are the README's 21.6 MB case.
SENTENCE = "Tea may lower blood pressure, a small study suggests. "
HTML_HEAD = "<!doctype html>\n<title>Tea and blood pressure</title>\n<p>"
# (what, megabytes at --limits 1, layout): the cases of the README's "Resource limits".
LIMIT_CASES = (
    ("one line of short sentences (text)", 21.6, "line"),
    ("one line of short sentences (text)", 8.0, "line"),
    ("HTML, paragraphs of 20 short sentences", 10.0, "paragraphs"),
    ("HTML, one paragraph", 10.0, "paragraph"),
)


def write_sentences(path: Path, megabytes: float, layout: str) -> int:
    """``path`` filled with SENTENCE up to ``megabytes``: on one line with no line end, as
    HTML paragraphs of 20 sentences, or as one HTML paragraph; the sentences written."""
    count = max(1, round(megabytes * 1e6 / len(SENTENCE)))
    html = layout != "line"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HTML_HEAD if html else "")
        for number in range(1, count + 1):
            handle.write(SENTENCE)
            if layout == "paragraphs" and number % 20 == 0 and number < count:
                handle.write("</p>\n<p>")
        handle.write("</p>\n" if html else "")
    return count


def limits(factor: float, timeout: float) -> str:
    """One scan of each of LIMIT_CASES at ``factor`` times its size: the limits section."""
    scan = [*hedgecheck_command(), "scan", "--format", "jsonl", "--quiet"]
    load_start = loadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="hedgecheck-limits-") as temporary:
        short = Path(temporary) / "short.txt"
        short.write_text(SENTENCE + "\n", encoding="utf-8")
        measure([*scan, str(short)], timeout)  # warm-up: the rule cache, .pyc files
        for number, (what, megabytes, layout) in enumerate(LIMIT_CASES):
            path = Path(temporary) / f"case{number}.{'txt' if layout == 'line' else 'html'}"
            sentences = write_sentences(path, megabytes * factor, layout)
            size = path.stat().st_size / 1e6
            rows.append(once(f"{what}, {sentences:,} sentences", [*scan, str(path)], size, timeout))
            path.unlink()
    checked = dense_targets(rows[0], rows[1])
    print_targets(checked)
    lines = [
        LIMITS_START,
        "## Long lines and big HTML files",
        "",
        written(f"python benchmarks/speed.py --limits {factor:g} --write", (load_start, loadavg())),
        "",
        f"Each row is one run of `hedgecheck scan --format jsonl --quiet FILE` (rule cache "
        f"warm) on a file of one sentence repeated (`{SENTENCE.strip()}`, one claim each). "
        "Peak RSS is that of the process. These are the README's *Resource limits* figures.",
        "",
        "| file | MB | wall (s) | CPU (s) | CPU s per MB | peak RSS (MB) |",
        "|---|---|---|---|---|---|",
        *(
            f"| {row.name} | {row.megabytes:.2f} | {row.wall:.1f} | {row.cpu:.1f} | "
            f"{row.cpu / row.megabytes:.1f} | {row.rss_mb:.0f} |"
            for row in rows
        ),
        "",
        "| target | measured | |",
        "|---|---|---|",
        *(f"| {target} | {measured} | {passed} |" for target, measured, passed in checked),
        LIMITS_END,
    ]
    return "\n".join(lines) + "\n"


STARTUP_TARGETS = {"startup": STARTUP_TARGET, "help": 0.3, "hook": 2.0}


def startup(runs: int, timeout: float) -> None:
    """The start-up rows alone, the commands taking turns so that a change in the machine's
    load falls on all of them alike."""
    command = hedgecheck_command()
    article = ROOT / "examples" / "ketamine" / "ketamine-article.md"
    with tempfile.TemporaryDirectory(prefix="hedgecheck-startup-") as temporary:
        root = Path(temporary)
        short = root / "short.txt"
        short.write_text("Early results suggest the drug may lower blood pressure.\n")
        pages = [root / f"page{n:02d}.md" for n in range(20)]
        for page in pages:
            page.write_bytes(article.read_bytes())
        argvs = {
            "startup": [*command, "scan", "--quiet", str(short)],
            "help": [*command, "--help"],
            "hook": [*command, "scan", "--quiet", "--format", "concise", *map(str, pages)],
        }
        names = {
            "startup": "`scan` of one short file",
            "help": "`hedgecheck --help`",
            "hook": "pre-commit hook's command on 20 Markdown files",
        }
        costs: dict[str, list[Cost]] = {key: [] for key in argvs}
        load = loadavg()
        for argv in argvs.values():
            measure(argv, timeout)  # warm-up
        for _ in range(runs):
            for key, argv in argvs.items():
                costs[key].append(measure(argv, timeout))
    print(
        f"start-up, median of {runs} runs in turn; load {load} at the start, {loadavg()} at "
        f"the end ({os.cpu_count()} cores)"
    )
    print("| run | wall (s) | CPU (s) | target (CPU) | |\n|---|---|---|---|---|")
    for key, row in ((k, Row(names[k], 0.0, c)) for k, c in costs.items()):
        met = verdict(row.cpu <= STARTUP_TARGETS[key])
        print(
            f"| {row.name} | {row.wall:.2f} | {row.cpu:.2f} | ≤ {STARTUP_TARGETS[key]:g} s "
            f"| {met} |"
        )


def corpus_run(args: argparse.Namespace) -> tuple[dict[str, Row], Profiled | None, tuple[str, str]]:
    """Every row of the speed section, in one run; the profile; the load at start and end."""
    items = stories(args.data)
    scan = [*hedgecheck_command(), "scan", "--format", "jsonl", "--quiet"]
    load_start = loadavg()
    with tempfile.TemporaryDirectory(prefix="hedgecheck-speed-") as temporary:
        root = Path(temporary)
        corpus = root / "corpus"
        megabytes = write_corpus(corpus, items)
        print(f"corpus: {len(items)} files, {megabytes:.2f} MB; load {load_start}", flush=True)
        rows = corpus_rows(root, corpus, megabytes, scan, args)
        rows |= file_rows(root, items, scan, args)
        profiled = None if args.no_profile else profile(corpus)
    return rows, profiled, (load_start, loadavg())


def corpus_rows(
    root: Path, corpus: Path, megabytes: float, scan: list[str], args: argparse.Namespace
) -> dict[str, Row]:
    """The timed rows (warm-up, then the median of ``--runs``): the corpus and start-up."""
    runs, timeout = args.runs, args.timeout
    short = root / "short.txt"
    short.write_text("Early results suggest the drug may lower blood pressure.\n")
    baseline, no_matching = root / "baseline.py", root / "no_matching.py"
    baseline.write_text(BASELINE, encoding="utf-8")
    no_matching.write_text(NO_MATCHING, encoding="utf-8")
    commands = {
        "baseline": (
            "baseline: one regex alternation",
            [sys.executable, str(baseline), str(corpus), HEDGE_WORDS],
        ),
        "jobs1": ("`scan --format jsonl`", [*scan, str(corpus)]),
        "jobs2": ("`scan --format jsonl --jobs 2`", [*scan, "--jobs", "2", str(corpus)]),
        "startup": ("`scan` of one short file", [*scan, str(short)]),
        "help": ("`hedgecheck --help`", [*scan[:1], "--help"]),
        "floor": (
            "`scan --format jsonl` with rule matching switched off",
            [sys.executable, str(no_matching), str(corpus)],
        ),
    }
    rows = {}
    for key, (name, argv) in commands.items():
        size = 0.0 if key in ("startup", "help") else megabytes
        rows[key] = timed(name, argv, size, runs, timeout)
    return rows


def file_rows(
    root: Path, items: list[tuple[str, str]], scan: list[str], args: argparse.Namespace
) -> dict[str, Row]:
    """The single runs: the corpus ``--scale`` times over, the big file of stories and the
    dense one-line file, each with a quarter-size file beside it for the linear-time check."""
    scaled_mb = write_corpus(root / "scaled", items, copies=args.scale)
    files = {
        "big": write_big(root / "big.txt", items, args.big_mb),
        "quarter": write_big(root / "quarter.txt", items, args.big_mb / 4),
    }
    write_sentences(root / "dense.txt", args.dense_mb, "line")
    write_sentences(root / "dense_quarter.txt", args.dense_mb / 4, "line")
    for key in ("dense", "dense_quarter"):
        files[key] = (root / f"{key}.txt").stat().st_size / 1e6
    rows = {
        "scaled": once(
            f"`scan --format jsonl`, corpus ×{args.scale} (1 run)",
            [*scan, str(root / "scaled")],
            scaled_mb,
            args.timeout,
        )
    }
    for key, size in files.items():
        what = "dense one-line file of short sentences" if key.startswith("dense") else "file"
        rows[key] = once(
            f"`scan --format jsonl` of one {size:.1f} MB {what} (1 run)",
            [*scan, str(root / f"{key}.txt")],
            size,
            args.timeout,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (≥ 5)")
    parser.add_argument("--scale", type=int, default=10, help="copies for the memory check")
    parser.add_argument("--big-mb", type=float, default=50, help="size of the single big file")
    parser.add_argument(
        "--dense-mb",
        type=float,
        default=21.6,
        help="size of the one-line file of short sentences (the issue's dense file)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per process")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--write", action="store_true", help="write into BENCHMARKS.md")
    parser.add_argument(
        "--startup", action="store_true", help="only the start-up rows (no corpus needed)"
    )
    parser.add_argument(
        "--limits",
        type=float,
        nargs="?",
        const=1.0,
        metavar="FACTOR",
        help="only the one-line and big HTML files, at FACTOR times their size (1)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    if args.startup:
        startup(args.runs, args.timeout)
        return
    if args.limits is not None:
        text = limits(args.limits, args.timeout)
        publish(text, args.output, "limits", write=args.write)
        return
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    rows, profiled, load = corpus_run(args)
    print_targets(targets(rows))
    text = section(rows, args, load, profiled)
    publish(text, args.output, "speed", write=args.write)


if __name__ == "__main__":
    try:
        main()
    except MeasureError as error:
        raise SystemExit(str(error)) from None
