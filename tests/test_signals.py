"""A run stopped by a signal leaves nothing behind. SIGINT, SIGTERM and SIGHUP end it with
128 + the signal's number, its worker processes killed and reaped, no temporary file, and
the previous report untouched; a run killed outright (SIGKILL) leaves no worker running.

The cases run the console script on a corpus long enough to be stopped in the middle, at
several moments, with the report in a file or on standard output (read, or a full pipe
nobody reads). Processes are found through /proc and every wait polls against a deadline,
so that a loaded machine makes the tests slower, not wrong."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from hedgecheck.cli import main
from hedgecheck.workers import STOP_SIGNALS, worker_map

KETAMINE = Path(__file__).parent.parent / "examples" / "ketamine" / "ketamine-article.txt"
HEDGECHECK = shutil.which("hedgecheck", path=str(Path(sys.executable).parent))
pytestmark = [
    pytest.mark.skipif(HEDGECHECK is None, reason="needs the installed console script"),
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc"),
]

DEADLINE = 120.0  # seconds; only a broken run (or a cold rule cache) waits that long
STOP_DEADLINE = 30.0  # seconds for a stopped run to be gone: well under one is the rule
REPORT_BYTES = 32 * 1024  # output written once the scan has checked a file or two
PREVIOUS = "the previous report\n"
TEMPORARY = ".out.json."  # how the report's temporary file beside out.json starts


def _wait_for(
    condition: Callable[[], object], what: str, process: subprocess.Popen[bytes] | None = None
) -> None:
    started = time.monotonic()
    while not condition():
        assert process is None or process.poll() is None, f"the run ended before {what}"
        assert time.monotonic() - started < DEADLINE, f"timed out waiting for {what}"
        time.sleep(0.01)


# -- processes, through /proc ----------------------------------------------------------------


def _stat(pid: int) -> tuple[str, int, int] | None:
    """A process's state, parent and start time, or None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
    return fields[0], int(fields[1]), int(fields[19])


def _children(pid: int) -> dict[int, int]:
    """The children of ``pid``, each with its start time (which tells a reused pid apart)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) and stat[1] == pid:
            found[int(entry)] = stat[2]
    return found


def _running(pid: int, started: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[2] == started and stat[0] not in "ZX"


def _present(pid: int, started: int) -> bool:
    """Whether the process still exists, even as a zombie nobody has reaped."""
    stat = _stat(pid)
    return stat is not None and stat[2] == started


def _catches(pid: int, signum: int) -> bool:
    """Whether the process has a handler for ``signum`` (its start-up is done that far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


def _naming(marker: str) -> list[int]:
    """Live processes whose command line holds ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and marker.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(int(entry))
        except OSError:
            continue
    return found


# -- a run -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of every run: a test cache, never the user's, warmed once."""
    env = dict(os.environ)
    env.setdefault("HEDGECHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    subprocess.run(
        [HEDGECHECK, "scan", "-q", "--fail-on", "never", str(KETAMINE)],
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=600,
    )
    return env


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Many small files, then a big one (checked in parts in the run's own process): a
    scan long enough to be stopped in the middle, whose first report comes fast."""
    root = tmp_path / "corpus"
    root.mkdir()
    text = KETAMINE.read_text(encoding="utf-8")
    (root / "z-big.txt").write_text((text + "\n\n") * 40, encoding="utf-8")
    for number in range(200):
        (root / f"k{number:03}.txt").write_text(text, encoding="utf-8")
    return root


@dataclass
class Run:
    process: subprocess.Popen[bytes]
    folder: Path  # where out.json and its temporary file live
    output: str  # "file", "stdout" (read as it comes) or "unread" (a full pipe)
    stdout: bytearray = field(default_factory=bytearray)

    def written(self) -> int:
        if self.output == "file":
            return sum(p.stat().st_size for p in self.folder.iterdir() if TEMPORARY in p.name)
        if self.output == "stdout":
            return len(self.stdout)
        assert self.process.stdout is not None
        pipe = self.process.stdout.fileno()
        queued = int.from_bytes(fcntl.ioctl(pipe, termios.FIONREAD, b"\0" * 4), sys.byteorder)
        # Blocked writing the pipe, which is full (pages are seldom filled to the byte).
        return queued if queued >= _capacity(pipe) // 2 and _blocked_writing(self.process) else 0

    def leftovers(self) -> list[str]:
        return [p.name for p in self.folder.iterdir() if TEMPORARY in p.name]


def _capacity(pipe: int) -> int:
    return fcntl.fcntl(pipe, getattr(fcntl, "F_GETPIPE_SZ", 1032))


def _blocked_writing(process: subprocess.Popen[bytes]) -> bool:
    """Whether the run's main thread waits in the kernel to write a pipe (where the
    kernel hides it, "0", assume so: the pipe is full enough for that)."""
    where = Path(f"/proc/{process.pid}/wchan").read_text()
    return "pipe_write" in where or where in ("", "0")


@pytest.fixture
def start(env: dict[str, str], corpus: Path, tmp_path: Path) -> Iterator[Callable[..., Run]]:
    runs: list[Run] = []

    def start(*, jobs: int, output: str) -> Run:
        (tmp_path / "out.json").write_text(PREVIOUS, encoding="utf-8")
        args = ["scan", "-q", "--fail-on", "never", "--format", "json", "--part-size", "0.05"]
        args += ["--jobs", str(jobs), str(corpus)]
        if output == "file":
            args += ["-o", str(tmp_path / "out.json")]
        process = subprocess.Popen(
            [HEDGECHECK, *args],
            stdout=subprocess.DEVNULL if output == "file" else subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # its own process group, to signal as a terminal does
        )
        run = Run(process, tmp_path, output)
        if output == "stdout":
            threading.Thread(target=_drain, args=(run,), daemon=True).start()
        runs.append(run)
        return run

    yield start
    for run in runs:  # a failed test must not leave its run behind either
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()
        for stream in (run.process.stdout, run.process.stderr):
            if stream is not None:
                stream.close()
    for pid in _naming(str(corpus)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _drain(run: Run) -> None:
    assert run.process.stdout is not None
    while chunk := run.process.stdout.read1(1 << 16):
        run.stdout += chunk


def _wait_for_moment(run: Run, moment: str, signum: int) -> None:
    pid = run.process.pid
    # First the handler, so that the signal is the run's to handle, not Python's start-up's.
    _wait_for(lambda: _catches(pid, signum), "the run's signal handler", run.process)
    if moment == "workers":
        _wait_for(lambda: _children(pid), "a worker", run.process)
    elif moment == "mid-scan":
        _wait_for(lambda: run.written() >= REPORT_BYTES, "the report", run.process)


# (jobs, signal, output, moment, sent to): each signal with one and two jobs, each output
# and moment with both; "group" sends it to the run and its workers, as a terminal does.
CASES = [
    (2, signal.SIGTERM, "file", "mid-scan", "run"),  # the case of the issue
    (2, signal.SIGHUP, "unread", "mid-scan", "run"),  # run and workers blocked on pipes
    (2, signal.SIGINT, "file", "workers", "group"),  # Ctrl-C while the workers start
    (2, signal.SIGTERM, "stdout", "start-up", "group"),
    (1, signal.SIGTERM, "unread", "mid-scan", "run"),
    (1, signal.SIGHUP, "file", "mid-scan", "group"),  # the terminal closed
    (1, signal.SIGINT, "stdout", "mid-scan", "run"),
    (1, signal.SIGHUP, "file", "start-up", "run"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("jobs", "signum", "output", "moment", "target"),
    CASES,
    ids=[f"j{j}-{s.name}-{o}-{m}-{t}" for j, s, o, m, t in CASES],
)
def test_a_stopped_run_leaves_no_worker_no_temporary_file_and_the_old_report(
    start: Callable[..., Run],
    corpus: Path,
    jobs: int,
    signum: signal.Signals,
    output: str,
    moment: str,
    target: str,
) -> None:
    run = start(jobs=jobs, output=output)
    _wait_for_moment(run, moment, signum)
    workers = _children(run.process.pid)
    if jobs == 1 or moment == "mid-scan":
        assert len(workers) == (0 if jobs == 1 else jobs)
    if target == "group":
        os.killpg(run.process.pid, signum)
    else:
        run.process.send_signal(signum)
    # Not reading an unread pipe: the run must not wait for it on its way out.
    assert run.process.wait(timeout=STOP_DEADLINE) == 128 + signum
    assert run.process.stderr is not None
    errors = run.process.stderr.read().decode()
    assert "Traceback" not in errors and "error" not in errors, errors
    # The run reaped its workers: not even a zombie is left of them, and no process at all
    # still has the corpus on its command line.
    assert [pid for pid, began in workers.items() if _present(pid, began)] == []
    assert _naming(str(corpus)) == []
    assert run.leftovers() == []
    assert (run.folder / "out.json").read_text(encoding="utf-8") == PREVIOUS


@pytest.mark.slow
def test_workers_exit_when_the_run_is_killed_outright(
    start: Callable[..., Run], corpus: Path
) -> None:
    run = start(jobs=2, output="file")
    _wait_for_moment(run, "mid-scan", signal.SIGINT)
    workers = _children(run.process.pid)
    assert len(workers) == 2
    run.process.kill()
    assert run.process.wait(timeout=STOP_DEADLINE) == -signal.SIGKILL
    # Nothing reaps them but the system (which may leave zombies): they must stop running.
    _wait_for(
        lambda: not any(_running(pid, began) for pid, began in workers.items()),
        "the orphaned workers to exit",
    )
    assert _naming(str(corpus)) == []
    assert (run.folder / "out.json").read_text(encoding="utf-8") == PREVIOUS


def test_the_command_run_in_process_puts_the_callers_handlers_back(tmp_path: Path) -> None:
    def own(signum: int, frame: object) -> None:
        raise AssertionError("not called")

    before = {stop: signal.getsignal(stop) for stop in STOP_SIGNALS}
    signal.signal(signal.SIGHUP, own)
    try:
        result = CliRunner().invoke(
            main,
            ["scan", "-q", "--fail-on", "never", "-o", str(tmp_path / "out.json"), "-"],
            input="It may help.",
        )
        assert result.exit_code == 0, result.output
        seen = {stop: signal.getsignal(stop) for stop in STOP_SIGNALS}
    finally:
        signal.signal(signal.SIGHUP, before[signal.SIGHUP])
    assert seen == {**before, signal.SIGHUP: own}


# -- the library -----------------------------------------------------------------------------


def _slowly(number: int) -> int:
    time.sleep(0.05)
    return number


def _nothing() -> None:
    return None


def _new_children(before: dict[int, int]) -> dict[int, int]:
    return {pid: began for pid, began in _children(os.getpid()).items() if pid not in before}


def _mapped(count: int) -> Iterator[int]:
    with worker_map(_slowly, range(count), workers=2, chunksize=1, initializer=_nothing) as out:
        yield from out


@pytest.mark.parametrize("stop", ["close", "exception"])
def test_a_worker_map_left_early_kills_and_reaps_its_workers(stop: str) -> None:
    before = _children(os.getpid())  # other tests' processes, zombies included
    results = _mapped(400)  # 20 s of work for two workers
    started = time.monotonic()
    assert next(results) == 0
    workers = _new_children(before)
    assert len(workers) == 2
    if stop == "close":
        results.close()
    else:
        with pytest.raises(KeyError):
            results.throw(KeyError("stop"))
    assert time.monotonic() - started < 10
    assert [pid for pid, began in workers.items() if _present(pid, began)] == []


def test_a_worker_map_that_ends_gives_every_result_in_order_and_reaps_its_workers() -> None:
    before = _children(os.getpid())
    with worker_map(_slowly, range(20), workers=2, chunksize=3, initializer=_nothing) as out:
        assert list(out) == list(range(20))
        workers = _new_children(before)
    assert len(workers) == 2
    assert [pid for pid, began in workers.items() if _present(pid, began)] == []
