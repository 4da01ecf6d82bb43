"""Load on ``hedgecheck serve`` from this machine: start the real server (uvicorn, in its own
process), send requests to ``POST /api/check`` from a pool of threads, check that every
answer is the report the library gives for that request's draft, and print the latency.

    python benchmarks/serve_load.py                  # 200 requests, 8 at a time
    python benchmarks/serve_load.py --requests 40 --concurrency 4

The drafts are the examples (the ketamine article as text, Markdown and HTML, the mouse
study), each request one of them in turn with its number added as a last line, so no two
requests send the same text and an answer sent to the wrong request is caught. Exits 1 when
any answer is wrong. Needs the serve extra (Starlette, uvicorn) and httpx (the dev extra has
all three).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    ("examples/ketamine/ketamine-article.txt", "text"),
    ("examples/ketamine/ketamine-article.md", "markdown"),
    ("examples/ketamine/ketamine-article.html", "html"),
    ("examples/mouse-study/mouse-study.txt", "text"),
]
START_TIMEOUT = 300.0  # a first start may build the rule cache


@dataclass(frozen=True, slots=True)
class Draft:
    text: str
    format: str


@dataclass(frozen=True, slots=True)
class Outcome:
    seconds: float
    correct: bool
    problem: str = ""


def free_port() -> int:
    """A port nothing listens on now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def server(*arguments: str) -> Iterator[str]:
    """``hedgecheck serve`` on a free port of 127.0.0.1, in its own process, stopped when
    the block ends; its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "from hedgecheck.cli import main; main()",
        "serve",
        "--port",
        str(port),
        *arguments,
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _wait_until_up(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, err = process.communicate()
            raise RuntimeError(f"hedgecheck serve exited {process.returncode}: {err}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/api/rules", timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"hedgecheck serve did not answer within {START_TIMEOUT:g} s")


def drafts(count: int) -> list[Draft]:
    """``count`` drafts, the examples in turn, each with its number as its last line."""
    sources = [((ROOT / path).read_text(encoding="utf-8"), fmt) for path, fmt in EXAMPLES]
    made = []
    for number in range(count):
        text, fmt = sources[number % len(sources)]
        ending = f"\n<p>Draft {number}.</p>\n" if fmt == "html" else f"\n\nDraft {number}.\n"
        made.append(Draft(text + ending, fmt))
    return made


def expected(draft: Draft) -> object:
    """The report the library gives for ``draft``, as its JSON reads back."""
    import hedgecheck

    report = hedgecheck.check(draft.text, format=draft.format)
    return json.loads(json.dumps(report.to_dict()))


def send(client: httpx.Client, base: str, draft: Draft, want: object) -> Outcome:
    started = time.perf_counter()
    answer = client.post(f"{base}/api/check", json={"text": draft.text, "format": draft.format})
    seconds = time.perf_counter() - started
    if answer.status_code != 200:
        return Outcome(seconds, False, f"status {answer.status_code}: {answer.text[:200]}")
    if answer.json() != want:
        return Outcome(seconds, False, "a report that is not this draft's")
    return Outcome(seconds, True)


def load(base: str, requests: int, concurrency: int) -> list[Outcome]:
    """``requests`` drafts sent to ``base``, ``concurrency`` at a time; each one's outcome."""
    made = drafts(requests)
    wanted = [expected(draft) for draft in made]
    with (
        httpx.Client(timeout=120, limits=httpx.Limits(max_connections=concurrency)) as client,
        ThreadPoolExecutor(concurrency) as pool,
    ):
        return list(
            pool.map(lambda pair: send(client, base, *pair), zip(made, wanted, strict=True))
        )


def percentile(values: Sequence[float], share: float) -> float:
    """The value ``share`` (0-1) of the way up ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def summary(outcomes: Sequence[Outcome], concurrency: int) -> str:
    times = [o.seconds * 1000 for o in outcomes]
    wrong = sum(not o.correct for o in outcomes)
    return (
        f"{len(outcomes)} requests, {concurrency} at a time: {len(outcomes) - wrong} correct, "
        f"{wrong} wrong; latency p50 {statistics.median(times):.0f} ms, "
        f"p95 {percentile(times, 0.95):.0f} ms, max {max(times):.0f} ms"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args(argv)
    with server() as base:
        outcomes = load(base, options.requests, options.concurrency)
    print(summary(outcomes, options.concurrency))
    for outcome in outcomes:
        if not outcome.correct:
            print(f"wrong answer: {outcome.problem}", file=sys.stderr)
    return 0 if all(o.correct for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
