"""What ``speed.py`` and ``peers.py`` share: the corpus, the one-regex baseline, the scan with
rule matching switched off, and whole-process measurement.

Every measurement is a whole process, started from a small wrapper process that reports the
child's wall time, CPU time (user + system, the child and its own children) and peak resident
set size (``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the largest single process).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"
DATA_FILE = "article-fakehealth-story.jsonl"

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

# The floor every tool is compared with: read each file and run one compiled alternation.
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


class MeasureError(RuntimeError):
    """A measured command could not be run or exited with an error."""


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
        raise MeasureError(f"measuring {argv} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] not in (0, 1):  # 1 is a linter's "found something" (hedgecheck's gate)
        raise MeasureError(f"{argv} exited {result['code']}")
    return Cost(result["wall"], result["cpu"], result["rss_kb"] / 1024)


def _show(row: Row) -> Row:
    print(
        f"  {row.name}: {row.wall:.2f} s wall, {row.cpu:.2f} s CPU, {row.rss_mb:.0f} MB",
        flush=True,
    )
    return row


def timed(name: str, argv: list[str], megabytes: float, runs: int, timeout: float) -> Row:
    measure(argv, timeout)  # warm-up: the page cache, .pyc files, any rule cache
    return _show(Row(name, megabytes, [measure(argv, timeout) for _ in range(runs)]))


def once(name: str, argv: list[str], megabytes: float, timeout: float) -> Row:
    return _show(Row(name, megabytes, [measure(argv, timeout)]))


def stories(data: Path) -> list[tuple[str, str]]:
    path = data / DATA_FILE
    if not path.is_file():
        raise SystemExit(f"no {DATA_FILE} in {data}")
    with open(path, encoding="utf-8") as handle:
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


def hedgecheck_command() -> list[str]:
    beside = Path(sys.executable).parent / "hedgecheck"
    found = str(beside) if beside.exists() else shutil.which("hedgecheck")
    if not found:
        raise SystemExit("no hedgecheck command: install the package (pip install -e .)")
    return [found]


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


def written(command: str, load: tuple[str, str], inflated: str = "") -> str:
    """The sentence that opens a section: the command, the date, the machine and its load."""
    from hedgecheck import __version__

    return (
        f"Written by `{command}` on "
        f"{datetime.date.today().isoformat()}, hedgecheck {__version__}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}, {cpu_model()}, "
        f"{os.cpu_count()} cores. Load average (1/5/15 min) {load[0]} at the start and "
        f"{load[1]} at the end: with a load above the core count other processes shared the "
        f"CPU, which inflates wall times{' ' + inflated if inflated else ''}; CPU times "
        "(user + system) are much less affected."
    )


def verdict(passed: bool) -> str:
    return "PASS" if passed else "**MISS**"
