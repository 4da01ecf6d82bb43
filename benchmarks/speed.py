"""Speed and memory of ``hedgecheck scan`` on a corpus of news stories.

    python benchmarks/speed.py [--data ../shared/eval/dev] [--runs 5] [--scale 10]
                               [--big-mb 50] [--write]

The corpus is the article texts of ``article-fakehealth-story.jsonl`` (one ``.txt`` file per
story in a temporary folder). Every measurement is a whole process, started from a small
wrapper process that reports the child's wall time, CPU time (user + system, the child and
its own children) and peak resident set size (``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the
largest single process, so for ``--jobs 2`` the largest of the parent and its workers).
Timed commands get one warm-up run and then ``--runs`` runs; the median is reported.

1. the baseline: one Python process that reads every file and runs a single compiled
   ``regex`` alternation of about 80 common hedge words over it;
2. ``hedgecheck scan --format jsonl DIR > /dev/null``;
3. the same with ``--jobs 2``;
4. ``hedgecheck scan`` of one short file (start-up cost), and ``hedgecheck --help``;
   and, for where the time goes, the scan of the corpus with rule matching switched off
   (no cues at all): the floor under the full analysis that a faster matcher cannot pass;
5. memory: the scan of the corpus copied ``--scale`` times (one run), whose peak RSS should
   stay within 20% of the 1× scan's;
6. one plain-text file of ``--big-mb`` megabytes and one of a quarter of that (one run
   each): time per megabyte should be the same (linear) and memory bounded.

Then an in-process cProfile run over the corpus splits the time between the pipeline's
stages. Without ``--write`` the section is printed; with it, it replaces the part of
BENCHMARKS.md between ``<!-- speed:start -->`` and ``<!-- speed:end -->`` (appended when the
markers are missing).

``--startup`` measures only the start-up rows, needs no corpus and takes a minute: the scan
of one short file, ``hedgecheck --help``, and the pre-commit hook's command
(``scan --quiet --format concise``) on 20 Markdown files (copies of the ketamine example),
each run ``--runs`` times in turn (median), against their targets (0.3 s, 0.3 s, 2 s).
The verdict goes by CPU time: on a busy machine wall time measures the other processes.

``--limits [FACTOR]`` measures only the files of the README's *Resource limits* (one run
each, no corpus needed): 21.6 MB and 8 MB of short sentences on one line with no line end,
10 MB of HTML in paragraphs and 10 MB of HTML in one paragraph, each FACTOR times that size
(1 when not given; ``--limits 0.01`` is a smoke run of a few seconds). The full sizes take
about 20 minutes on 2 cores. With ``--write`` they replace the part of BENCHMARKS.md between
``<!-- limits:start -->`` and ``<!-- limits:end -->``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sections import markers, write_section

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"
DATA_FILE = "article-fakehealth-story.jsonl"
START, END = markers("speed")

# About 80 common hedge words (space-separated; the baseline splits them).
HEDGE_WORDS = (
    "may might could can would should possibly possible perhaps probably probable likely "
    "unlikely suggest suggests suggested suggesting appear appears appeared seem seems seemed "
    "indicate indicates indicated potential potentially apparently presumably putative "
    "hypothesis hypothesize hypothesized speculate speculative assume assumed believe "
    "believed believes think thought estimate estimated approximately about around roughly "
    "largely generally usually often sometimes somewhat relatively partly partially tend "
    "tends unclear uncertain preliminary consistent implicate implicated imply implies "
    "conceivably plausible plausibly arguably maybe suspect suspected propose proposed "
    "expected whether"
)

BASELINE = """\
import pathlib, sys
import regex
words = sys.argv[2].split()
pattern = regex.compile(r"\\b(?:" + "|".join(words) + r")\\b", regex.IGNORECASE)
hits = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")):
    hits += sum(1 for _ in pattern.finditer(path.read_text(encoding="utf-8")))
print(hits)
"""

# hedgecheck scan with rule matching switched off: no cue is found, so no claim is hedged
# and no rule-driven finding is raised. What is left (reading, segmentation, claims, scoring,
# checks, JSON) is a floor under the full analysis that no faster matcher can go below.
NO_MATCHING = """\
import sys
import hedgecheck.ruleset
from hedgecheck.cli import main
hedgecheck.ruleset.find_together = lambda matchers, text, **_: ([[] for _ in matchers], ())
main(["scan", "--format", "jsonl", "--quiet", sys.argv[1]])
"""

# Runs argv with stdout to /dev/null and prints what it cost, as one JSON line.
WRAPPER = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
argv, timeout = sys.argv[2:], float(sys.argv[1])
code = subprocess.run(argv, stdout=subprocess.DEVNULL, timeout=timeout).returncode
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_kb": usage.ru_maxrss}))
"""


@dataclass(frozen=True)
class Cost:
    wall: float
    cpu: float
    rss_mb: float


@dataclass(frozen=True)
class Row:
    name: str
    megabytes: float
    runs: list[Cost]
    target: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.rss_mb for r in self.runs)


def measure(argv: list[str], timeout: float) -> Cost:
    """One run of ``argv`` in a fresh wrapper process: its wall, CPU time and peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(timeout), *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"measuring {argv} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] not in (0, 1):  # 1 is the gate: a finding at or above --fail-on
        raise SystemExit(f"{argv} exited {result['code']}")
    return Cost(result["wall"], result["cpu"], result["rss_kb"] / 1024)


def timed(name: str, argv: list[str], megabytes: float, runs: int, timeout: float) -> Row:
    measure(argv, timeout)  # warm-up: the page cache, .pyc files, any rule cache
    costs = [measure(argv, timeout) for _ in range(runs)]
    row = Row(name, megabytes, costs)
    print(f"  {name}: {row.wall:.2f} s wall, {row.cpu:.2f} s CPU, {row.rss_mb:.0f} MB", flush=True)
    return row


def once(name: str, argv: list[str], megabytes: float, timeout: float) -> Row:
    row = Row(name, megabytes, [measure(argv, timeout)])
    print(f"  {name}: {row.wall:.2f} s wall, {row.cpu:.2f} s CPU, {row.rss_mb:.0f} MB", flush=True)
    return row


def stories(data: Path) -> list[tuple[str, str]]:
    with open(data / DATA_FILE, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [(r["id"], r["text"]) for r in records]


def write_corpus(folder: Path, items: list[tuple[str, str]], copies: int = 1) -> float:
    """One file per story (``copies`` times over, in sub-folders); megabytes written."""
    size = 0
    for copy in range(copies):
        target = folder / f"copy{copy:02d}" if copies > 1 else folder
        target.mkdir(parents=True, exist_ok=True)
        for ident, text in items:
            data = text.encode("utf-8")
            (target / f"{ident}.txt").write_bytes(data)
            size += len(data)
    return size / 1e6


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


def hedgecheck_command() -> list[str]:
    beside = Path(sys.executable).parent / "hedgecheck"
    found = str(beside) if beside.exists() else shutil.which("hedgecheck")
    if not found:
        raise SystemExit("no hedgecheck command: install the package (pip install -e .)")
    return [found]


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


def profile(folder: Path) -> tuple[float, list[tuple[str, float]], list[tuple[str, float, float]]]:
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


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def loadavg() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def written(options: str, load: tuple[str, str], inflated: str = "") -> str:
    """The sentence that opens a section: the command, the date, the machine and its load."""
    from hedgecheck import __version__

    return (
        f"Written by `python benchmarks/speed.py {options}` on "
        f"{datetime.date.today().isoformat()}, hedgecheck {__version__}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}, {cpu_model()}, "
        f"{os.cpu_count()} cores. Load average (1/5/15 min) {load[0]} at the start and "
        f"{load[1]} at the end: with a load above the core count other processes shared the "
        f"CPU, which inflates wall times{' ' + inflated if inflated else ''}; CPU times "
        "(user + system) are much less affected."
    )


def section(
    rows: dict[str, Row],
    args: argparse.Namespace,
    load: tuple[str, str],
    profiled: tuple[float, list[tuple[str, float]], list[tuple[str, float, float]]] | None,
) -> str:
    base = rows["baseline"]
    one, two = rows["jobs1"], rows["jobs2"]
    lines = [
        START,
        "## Speed and memory",
        "",
        written(
            f"--write --runs {args.runs} --scale {args.scale} --big-mb {args.big_mb:g}",
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
    speedup = one.wall / two.wall
    scaled = rows["scaled"]
    big, quarter = rows["big"], rows["quarter"]
    linear = (big.cpu / big.megabytes) / (quarter.cpu / quarter.megabytes)
    verdict = {True: "met", False: "**not met**"}
    lines += [
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| full analysis ≤ 3× the baseline's time | {one.wall / base.wall:.1f}× wall, "
        f"{one.cpu / base.cpu:.1f}× CPU; with matching switched off "
        f"{rows['floor'].wall / base.wall:.1f}× | {verdict[one.wall / base.wall <= 3]} |",
        f"| `--jobs 2` ≥ 1.7× faster than `--jobs 1` | {speedup:.2f}× wall "
        f"(CPU {two.cpu:.1f} s vs {one.cpu:.1f} s) | {verdict[speedup >= 1.7]} |",
        f"| start-up for one short file ≤ 0.3 s (CPU) | {rows['startup'].wall:.2f} s wall, "
        f"{rows['startup'].cpu:.2f} s CPU | {verdict[rows['startup'].cpu <= 0.3]} |",
        f"| `hedgecheck --help` ≤ 0.3 s (CPU) | {rows['help'].wall:.2f} s wall, "
        f"{rows['help'].cpu:.2f} s CPU | {verdict[rows['help'].cpu <= 0.3]} |",
        f"| peak RSS for {args.scale}× the corpus within 20% of 1× | {scaled.rss_mb:.0f} MB vs "
        f"{one.rss_mb:.0f} MB ({scaled.rss_mb / one.rss_mb - 1:+.0%}) | "
        f"{verdict[scaled.rss_mb <= one.rss_mb * 1.2]} |",
        f"| one {big.megabytes:.0f} MB file in linear time | CPU per MB {linear:.2f}× that of "
        f"the {quarter.megabytes:.1f} MB file | {verdict[linear <= 1.25]} |",
        f"| … and bounded memory | peak RSS {big.rss_mb:.0f} MB "
        f"({quarter.megabytes:.1f} MB file: {quarter.rss_mb:.0f} MB) | "
        f"{verdict[big.rss_mb <= quarter.rss_mb * 1.2]} |",
    ]
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
    lines = [
        LIMITS_START,
        "## Long lines and big HTML files",
        "",
        written(f"--limits {factor:g} --write", (load_start, loadavg())),
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
        LIMITS_END,
    ]
    return "\n".join(lines) + "\n"


STARTUP_TARGETS = {"startup": 0.3, "help": 0.3, "hook": 2.0}


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
        met = "met" if row.cpu <= STARTUP_TARGETS[key] else "**not met**"
        print(
            f"| {row.name} | {row.wall:.2f} | {row.cpu:.2f} | ≤ {STARTUP_TARGETS[key]:g} s "
            f"| {met} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (≥ 5)")
    parser.add_argument("--scale", type=int, default=10, help="copies for the memory check")
    parser.add_argument("--big-mb", type=float, default=50, help="size of the single big file")
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
        if args.write:
            write_section(text, args.output, "limits")
            print(f"wrote the limits section of {args.output}")
        else:
            print(text)
        return
    if not (args.data / DATA_FILE).is_file():
        raise SystemExit(f"no {DATA_FILE} in {args.data}")
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    items = stories(args.data)
    scan = [*hedgecheck_command(), "scan", "--format", "jsonl", "--quiet"]
    load_start = loadavg()
    rows: dict[str, Row] = {}
    with tempfile.TemporaryDirectory(prefix="hedgecheck-speed-") as temporary:
        root = Path(temporary)
        corpus, scaled, big = root / "corpus", root / "scaled", root / "big"
        megabytes = write_corpus(corpus, items)
        scaled_mb = write_corpus(scaled, items, copies=args.scale)
        big.mkdir()
        big_mb = write_big(big / "big.txt", items, args.big_mb)
        quarter_mb = write_big(big / "quarter.txt", items, args.big_mb / 4)
        short = root / "short.txt"
        short.write_text("Early results suggest the drug may lower blood pressure.\n")
        baseline = root / "baseline.py"
        baseline.write_text(BASELINE, encoding="utf-8")
        print(f"corpus: {len(items)} files, {megabytes:.2f} MB; load {load_start}", flush=True)
        runs, timeout = args.runs, args.timeout
        words = HEDGE_WORDS
        rows["baseline"] = timed(
            "baseline: one regex alternation",
            [sys.executable, str(baseline), str(corpus), words],
            megabytes,
            runs,
            timeout,
        )
        rows["jobs1"] = timed(
            "`scan --format jsonl`", [*scan, str(corpus)], megabytes, runs, timeout
        )
        rows["jobs2"] = timed(
            "`scan --format jsonl --jobs 2`",
            [*scan, "--jobs", "2", str(corpus)],
            megabytes,
            runs,
            timeout,
        )
        rows["startup"] = timed("`scan` of one short file", [*scan, str(short)], 0.0, runs, timeout)
        rows["help"] = timed("`hedgecheck --help`", [*scan[:1], "--help"], 0.0, runs, timeout)
        no_matching = root / "no_matching.py"
        no_matching.write_text(NO_MATCHING, encoding="utf-8")
        rows["floor"] = timed(
            "`scan --format jsonl` with rule matching switched off",
            [sys.executable, str(no_matching), str(corpus)],
            megabytes,
            runs,
            timeout,
        )
        rows["scaled"] = once(
            f"`scan --format jsonl`, corpus ×{args.scale} (1 run)",
            [*scan, str(scaled)],
            scaled_mb,
            timeout,
        )
        rows["big"] = once(
            f"`scan --format jsonl` of one {big_mb:.0f} MB file (1 run)",
            [*scan, str(big / "big.txt")],
            big_mb,
            timeout,
        )
        rows["quarter"] = once(
            f"`scan --format jsonl` of one {quarter_mb:.1f} MB file (1 run)",
            [*scan, str(big / "quarter.txt")],
            quarter_mb,
            timeout,
        )
        profiled = None if args.no_profile else profile(corpus)
    text = section(rows, args, (load_start, loadavg()), profiled)
    if args.write:
        write_section(text, args.output, "speed")
        print(f"wrote the speed section of {args.output}")
    else:
        print(text)


if __name__ == "__main__":
    main()
