"""Run every fuzz target for a while and report the run as fuzz/README.md does.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/run.py                      # 300 s a job, two jobs at a time
    .venv/bin/python fuzz/run.py --seconds 60 --only readers --only output
    .venv/bin/python fuzz/run.py --write-readme       # and fill in fuzz/README.md's table

A job is a fuzz target (every ``fuzz/fuzz_*.py``, so a target added later runs too), the
readers one job per input format. Each starts from a fresh corpus: the example articles cut
to 3,000 bytes and the hostile seeds below (binary tails, UTF-16 without a byte-order mark,
unclosed markup, inputs that lean on the time budgets). Each input has a time limit and the
process a memory limit, so a hang or a blow-up is a finding like an exception. Logs, corpora
and failing inputs go to ``fuzz/runs/<time>-<commit>/<job>/`` (kept out of git); the table
printed at the end is the README's. Exit 1 when a job found something.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
EXAMPLES = ROOT / "examples"
README = FUZZ / "README.md"
BEGIN, END = "<!-- fuzz/run.py: begin -->", "<!-- fuzz/run.py: end -->"
SEED_BYTES = 3000
# Longest input per target: the readers' is past the 8 KB a reader once sniffed for binary
# bytes, so that text with a binary tail beyond it can be made.
# The budgets' texts stop at 2 KB (and a header), so that each input stays quick.
MAX_LEN = {"readers": 10240, "output": 2048, "rule_cache": 4096, "budgets": 2056}
DEFAULT_MAX_LEN = 4096
# Targets whose inputs are not articles build what they need themselves.
UNSEEDED = {"rule_cache"}
# One job per input format: each runs three times faster than all three in one process.
VARIANTS = {"readers": ("HEDGECHECK_FUZZ_FORMAT", ("text", "markdown", "html"))}
ARTIFACTS = ("crash-", "timeout-", "oom-", "leak-", "slow-unit-")
_STATUS = re.compile(r"#\d+\s+(DONE|INITED|NEW|REDUCE|pulse)\b")  # libFuzzer's progress lines


@dataclass(frozen=True, slots=True)
class Job:
    target: str  # "readers" for fuzz/fuzz_readers.py
    variant: str  # the input format, or ""
    env: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return f"{self.target}-{self.variant}" if self.variant else self.target

    @property
    def script(self) -> Path:
        return FUZZ / f"fuzz_{self.target}.py"


@dataclass(frozen=True, slots=True)
class Outcome:
    job: Job
    executions: int
    seconds: int
    coverage: int
    corpus: int
    findings: tuple[str, ...]
    returncode: int


def jobs(only: Sequence[str]) -> list[Job]:
    """Every target's jobs, or those of the targets named in ``only``."""
    found = []
    for script in sorted(FUZZ.glob("fuzz_*.py")):
        target = script.stem.removeprefix("fuzz_")
        if only and target not in only:
            continue
        key, values = VARIANTS.get(target, ("", ("",)))
        found += [Job(target, value, ((key, value),) if key else ()) for value in values]
    return found


def seeds() -> dict[str, bytes]:
    """The corpus every article target starts from, by file name."""
    made: dict[str, bytes] = {}
    for path in sorted(EXAMPLES.glob("*/*")):
        if path.suffix in (".txt", ".md", ".html"):
            made[f"example-{path.parent.name}-{path.name}"] = path.read_bytes()[:SEED_BYTES]
    text = (EXAMPLES / "ketamine" / "ketamine-article.txt").read_text(encoding="utf-8")
    head = text[:SEED_BYTES]
    made |= {
        # binary tails: text first, binary after it (within and past the first 8 KB)
        "binary-tail.txt": head.encode() + b"\0" * 512 + bytes(range(256)) * 2,
        "binary-past-8k.txt": (text * 2)[:8300].encode() + b"\0\x01\x02\xff" * 300,
        "utf16-no-bom.txt": head[:1500].encode("utf-16-le"),
        "utf16be-no-bom.txt": head[:1500].encode("utf-16-be"),
        "invalid-utf8.txt": head[:1000].encode() + b"\xc3\x28\xa0\xa1\xe2\x28\xa1" * 20,
        # unclosed markup
        "unclosed-comment.html": b"<p>Tea may help.</p><!-- " + head.encode(),
        "unclosed-attribute.html": b'<p title="' + head.encode(),
        "unclosed-tags.html": b"<div><p><em>" * 200 + b"It may work",
        "unclosed-script.html": b"<p>It may help.</p><script>" + head.encode(),
        "unclosed-fence.md": b"# Tea\n\n```\n" + head.encode(),
        "unclosed-comment.md": b"# Tea\n\n<!--\n" + head.encode(),
        "unclosed-link.md": b"[It may work](" + head.encode(),
        # the time budgets: many cue starts, no sentence end, odd line ends
        "many-cues.txt": b"it may might could possibly suggest " * 100,
        "one-long-sentence.txt": head.replace(".", ",").encode(),
        "cr-only.txt": head.replace("\n", "\r").encode(),
        "blank-lines.md": b"It may help." + b"\n" * 2000 + b"It could work.",
    }
    return made


def run(selected: Sequence[Job], *, seconds: int, parallel: int, args: argparse.Namespace) -> Path:
    """Run the jobs, ``parallel`` at a time, in a new folder under fuzz/runs; its path."""
    folder = FUZZ / "runs" / f"{_now():%Y%m%d-%H%M%S}-{_commit().rstrip('+')}"
    folder.mkdir(parents=True)
    env = dict(os.environ)
    env.setdefault("HEDGECHECK_CACHE_DIR", str(folder / "cache"))  # never the user's cache
    waiting = list(selected)
    running: list[tuple[Job, subprocess.Popen[bytes]]] = []
    while waiting or running:
        while waiting and len(running) < parallel:
            job = waiting.pop(0)
            running.append((job, _start(job, folder, env, seconds=seconds, args=args)))
        time.sleep(1)
        for job, process in running:
            if process.poll() is not None:
                (folder / job.name / "returncode").write_text(f"{process.returncode}\n")
        running = [(job, process) for job, process in running if process.returncode is None]
    return folder


def _start(
    job: Job, folder: Path, env: dict[str, str], *, seconds: int, args: argparse.Namespace
) -> subprocess.Popen[bytes]:
    where = folder / job.name
    corpus = where / "corpus"
    corpus.mkdir(parents=True)
    if job.target not in UNSEEDED:
        for name, data in seeds().items():
            (corpus / name).write_bytes(data)
    command = [
        sys.executable,
        str(job.script),
        f"-max_total_time={seconds}",
        f"-max_len={MAX_LEN.get(job.target, DEFAULT_MAX_LEN)}",
        f"-timeout={args.input_timeout}",
        f"-rss_limit_mb={args.rss_limit_mb}",
        f"-artifact_prefix={where}/",
        "-print_final_stats=1",
        str(corpus),
    ]
    (where / "command").write_text(" ".join(command) + "\n", encoding="utf-8")
    with (where / "log").open("wb") as log:
        return subprocess.Popen(command, env=env | dict(job.env), stdout=log, stderr=log, cwd=where)


def outcome(job: Job, folder: Path) -> Outcome:
    """What a job's log says it did, and the failing inputs it wrote."""
    where = folder / job.name
    log = (where / "log").read_text(encoding="utf-8", errors="replace")
    status = [line for line in log.splitlines() if _STATUS.match(line)]
    last = status[-1] if status else ""
    done = re.search(r"Done (\d+) runs in (\d+) second", log)
    found = tuple(sorted(p.name for p in where.iterdir() if p.name.startswith(ARTIFACTS)))
    return Outcome(
        job=job,
        executions=int(done.group(1)) if done else _number(r"#(\d+)", last),
        seconds=int(done.group(2)) if done else 0,
        coverage=_number(r"cov: (\d+)", last),
        corpus=_number(r"corp: (\d+)", last),
        findings=found,
        returncode=_returncode(where),
    )


def _number(pattern: str, line: str) -> int:
    match = re.search(pattern, line)
    return int(match.group(1)) if match else 0


def _returncode(where: Path) -> int:
    code = where / "returncode"
    return int(code.read_text()) if code.exists() else 0


def table(outcomes: Sequence[Outcome], *, seconds: int, parallel: int, load: str) -> str:
    """The README's account of the run: when, at which commit, on what, and each job."""
    total = sum(o.executions for o in outcomes)
    header = (
        f"Run on {_now():%Y-%m-%d} at commit {_commit()} with `fuzz/run.py --seconds {seconds} "
        f"--parallel {parallel}`: Python {platform.python_version()}, atheris "
        f"{_version('atheris')}, {os.cpu_count()} cores, load average {load} (other jobs "
        "inflate the durations and cut the executions)."
    )
    lines = [
        textwrap.fill(header, width=92, break_on_hyphens=False, break_long_words=False),
        "",
        "| job | executions | duration | coverage (edges) | corpus | findings |",
        "|-----|-----------:|---------:|-----------------:|-------:|----------|",
    ]
    for o in outcomes:
        found = ", ".join(f"`{name}`" for name in o.findings) or "0"
        if o.returncode and not o.findings:  # it did not run: an import error, a bad option
            found = f"exit {o.returncode} without a failing input: see its log"
        lines.append(
            f"| {o.job.name} | {o.executions:,} | {o.seconds} s | {o.coverage:,} | "
            f"{o.corpus:,} | {found} |"
        )
    failed = sum(bool(o.findings or o.returncode) for o in outcomes)
    lines += ["", f"{total:,} executions in all; {failed} of {len(outcomes)} jobs found something."]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    """Put ``text`` between the README's markers, replacing the last run's account."""
    readme = README.read_text(encoding="utf-8")
    before, rest = readme.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{BEGIN}\n{text}\n{END}{after}", encoding="utf-8")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    dirty = "+" if git("status", "--porcelain", "--untracked-files=no") else ""
    return (git("rev-parse", "--short", "HEAD") or "unknown") + dirty


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=300, help="how long each job runs")
    parser.add_argument("--parallel", type=int, default=2, help="jobs at a time (one a core)")
    parser.add_argument("--only", action="append", default=[], help="a target, e.g. readers")
    parser.add_argument("--input-timeout", type=int, default=60, help="seconds for one input")
    parser.add_argument("--rss-limit-mb", type=int, default=2048, help="memory of one job")
    parser.add_argument("--write-readme", action="store_true", help="fill in fuzz/README.md")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if _version("atheris") == "missing":
        print("fuzz/run.py needs atheris: .venv/bin/pip install atheris", file=sys.stderr)
        return 2
    selected = jobs(args.only)
    if not selected:
        print(f"no fuzz target matches {args.only}", file=sys.stderr)
        return 2
    started = f"{os.getloadavg()[0]:.1f}"
    folder = run(selected, seconds=args.seconds, parallel=args.parallel, args=args)
    load = f"{started} at the start, {os.getloadavg()[0]:.1f} at the end"
    outcomes = [outcome(job, folder) for job in selected]
    text = table(outcomes, seconds=args.seconds, parallel=args.parallel, load=load)
    (folder / "summary.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nlogs, corpora and failing inputs: {folder.relative_to(ROOT)}", file=sys.stderr)
    if args.write_readme:
        write_readme(text)
    return 1 if any(o.findings or o.returncode for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
