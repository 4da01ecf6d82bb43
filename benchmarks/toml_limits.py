"""Time and peak memory of ``hedgecheck scan`` on the hostile TOML files of issue 19 (item 11),
and of tomllib on the worst files the bounds of ``hedgecheck.tomlfile`` still let through.

    python benchmarks/toml_limits.py [--write]

Each named case is a whole ``hedgecheck scan`` process, started from a small wrapper that
reports its wall time and peak resident set size (``getrusage(RUSAGE_CHILDREN)``), with a
private cache folder; the start-up of a scan of one short file is given for comparison.
The worst files within the bounds (1 MiB each) are parsed in a process of their own through
``hedgecheck.tomlfile.read_toml``. Without ``--write`` the section is printed; with it, it
replaces the part of BENCHMARKS.md between ``<!-- toml-limits:start -->`` and
``<!-- toml-limits:end -->`` (appended when the markers are missing).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hedgecheck.tomlfile import MAX_KEY_PARTS, MAX_NESTING, MAX_TOML_BYTES

ROOT = Path(__file__).resolve().parent.parent
HEDGECHECK = str(Path(sys.executable).parent / "hedgecheck")
TIMEOUT = 600.0

WRAPPER = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=600)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": run.returncode, "wall": time.perf_counter() - start,
                  "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss,
                  "stderr": run.stderr.strip().splitlines()[-1:]}))
"""

PARSE = """\
import json, resource, sys, time
from pathlib import Path
from hedgecheck.tomlfile import read_toml
start, cpu = time.perf_counter(), time.process_time()
read_toml(Path(sys.argv[1]))
print(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _named_cases(work: Path) -> list[tuple[str, list[str]]]:
    """(what, scan arguments) of each case the red team named, built under ``work``."""
    article = _write(work / "article.txt", "The drug may help some patients.\n")
    dotted = work / "dotted"
    _write(dotted / "pyproject.toml", "[tool.hedgecheck]\n" + ".".join(["a"] * 40_000) + " = 1\n")
    _write(dotted / "a.txt", article.read_text())
    latin = work / "latin"
    _write(
        latin / "pyproject.toml", '[tool.hedgecheck]\nfail-on = "error"  # café\n'.encode("latin-1")
    )
    _write(latin / "a.txt", article.read_text())
    deep = 100_000
    cases = [
        ("80 KB dotted key in [tool.hedgecheck] (40,000 parts)", [str(dotted / "a.txt")]),
        (
            "100k-deep array in a pack",
            ["--rules", str(_write(work / "deep.toml", "x = " + "[" * deep + "]" * deep + "\n"))],
        ),
        (
            "100k-deep inline tables in a pack",
            [
                "--rules",
                str(_write(work / "inline.toml", "x = " + "{a=" * deep + "1" + "}" * deep)),
            ],
        ),
        (
            "Latin-1 pack",
            ["--rules", str(_write(work / "latin.toml", "# café\n".encode("latin-1")))],
        ),
        ("Latin-1 pyproject.toml with [tool.hedgecheck]", [str(latin / "a.txt")]),
    ]
    zero = work / "zero"
    zero.mkdir()
    (zero / "zero.toml").symlink_to("/dev/zero")
    cases.append(("pack symlinked to /dev/zero in a --rules folder", ["--rules", str(zero)]))
    fifo = work / "fifo"
    fifo.mkdir()
    os.mkfifo(fifo / "pipe.toml")
    cases.append(("FIFO in a --rules folder", ["--rules", str(fifo)]))
    if os.access("/proc/kmsg", os.R_OK):
        cases.append(("/proc/kmsg as a pack", ["--rules", "/proc/kmsg"]))
    cases.append(("(for comparison) scan of one short file", []))
    return [(what, [*args, str(article)]) for what, args in cases]


def _fill(line: Callable[[int], str], budget: int = MAX_TOML_BYTES) -> str:
    parts, size, n = [], 0, 0
    while size + len(line(n)) <= budget:
        parts.append(line(n))
        size += len(parts[-1])
        n += 1
    return "".join(parts)


def _within_bounds() -> list[tuple[str, str]]:
    """The costliest shapes of 1 MiB the bounds let through."""
    key = ".".join(["a"] * (MAX_KEY_PARTS - 1))
    nest = "[" * (MAX_NESTING - 1) + "]" * (MAX_NESTING - 1)  # inside one more array
    return [
        ("tables `[tN]`", _fill(lambda n: f"[t{n}]\n")),
        ("keys `kN = 1`", _fill(lambda n: f"k{n} = 1\n")),
        (
            f"{MAX_KEY_PARTS}-part keys until the 10,000-dot limit, then plain keys",
            "".join(f"k{n}.{key} = 1\n" for n in range(10_000 // MAX_KEY_PARTS))
            + _fill(lambda n: f"z{n} = 1\n", MAX_TOML_BYTES // 2),
        ),
        (
            f"arrays nested {MAX_NESTING} deep",
            "x = [" + _fill(lambda n: nest + ",", MAX_TOML_BYTES - 8) + "]\n",
        ),
        ("empty inline tables `{}`", "x = [" + _fill(lambda n: "{},", MAX_TOML_BYTES - 8) + "]\n"),
    ]


def _run(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    load = os.getloadavg()
    rows = [
        "| case | exit | wall (s) | CPU (s) | peak RSS (MB) | what it says |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "HEDGECHECK_CACHE_DIR": str(work / "cache")}
        _run([HEDGECHECK, "scan", "-q", str(_write(work / "warm.txt", "x\n"))], env)  # cache
        for what, argv in _named_cases(work):
            cost = _run([HEDGECHECK, "scan", "-q", "--fail-on", "never", *argv], env)
            said = " ".join(cost["stderr"]).replace(str(work), "…").replace("|", "\\|")
            rows.append(
                f"| {what} | {cost['code']} | {cost['wall']:.2f} | {cost['cpu']:.2f} | "
                f"{cost['rss_kb'] / 1024:.0f} | {said[:120]} |"
            )
        rows += [
            "",
            "| 1 MiB file within the bounds | parse wall (s) | parse CPU (s) | peak RSS (MB) |",
            "|---|---|---|---|",
        ]
        for what, text in _within_bounds():
            path = _write(work / "bounded.toml", text)
            done = subprocess.run(
                [sys.executable, "-c", PARSE, str(path)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=True,
            )
            cost = json.loads(done.stdout)
            rows.append(
                f"| {what} | {cost['wall']:.2f} | {cost['cpu']:.2f} | {cost['rss_kb'] / 1024:.0f} |"
            )
    after = os.getloadavg()
    header = (
        f"Written by `python benchmarks/toml_limits.py --write` on {datetime.date.today()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores. Load average (1/5/15 min) {'/'.join(f'{x:.1f}' for x in load)} "
        f"at the start and {'/'.join(f'{x:.1f}' for x in after)} at the end: above the core "
        "count, other processes shared the CPU and wall times are inflated (CPU times much less). "
        "The peak RSS includes Python and hedgecheck (about 30 MB). Before the bounds, "
        "the dotted key took 9.4 GB, the deep array was a RecursionError, the Latin-1 files "
        "UnicodeDecodeError tracebacks, and /dev/zero, the FIFO and /proc/kmsg hung."
    )
    section = "\n".join(["## TOML files within bounds", "", header, "", *rows])
    if not args.write:
        print(section)
        return
    _replace_section(ROOT / "BENCHMARKS.md", section)


def _replace_section(path: Path, section: str) -> None:
    start, end = "<!-- toml-limits:start -->", "<!-- toml-limits:end -->"
    text = path.read_text(encoding="utf-8")
    block = f"{start}\n{section}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
