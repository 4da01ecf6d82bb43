"""Every failure of the command line is one `hedgecheck: error:` line and exit 2 (or the
documented 130/141), never a traceback and never exit 1, the gate's code for findings."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from hedgecheck import HedgecheckError, scanning
from hedgecheck.cli import main
from hedgecheck.cli.exits import EXIT_CLOSED_PIPE
from hedgecheck.cli.parquet import DASK_CONNECT_TIMEOUT
from hedgecheck.reading import read_at_most, read_path, read_stdin

KETAMINE = Path(__file__).parent.parent / "examples" / "ketamine" / "ketamine-article.txt"
HEDGECHECK = shutil.which("hedgecheck", path=str(Path(sys.executable).parent))
TEXT = "A small study suggests the drug may reduce pain."
needs_cli = pytest.mark.skipif(HEDGECHECK is None, reason="needs the installed console script")


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _one_error_line(result: Result | subprocess.CompletedProcess[str], *parts: str) -> None:
    code = result.exit_code if isinstance(result, Result) else result.returncode
    lines = result.stderr.strip().splitlines()
    assert code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert lines and lines[-1].startswith("hedgecheck: error: "), result.stderr
    for part in parts:
        assert part in lines[-1], lines[-1]


# -- numeric options ------------------------------------------------------------------------

BAD_SIZES = ["inf", "-inf", "nan", "NaN", "1e300", "1e999", "0", "-1", "-0.0", "100001", "1e6"]


@pytest.mark.parametrize("option", ["--max-file-size", "--part-size"])
@pytest.mark.parametrize("value", BAD_SIZES)
def test_a_size_option_out_of_range_is_a_usage_error(option: str, value: str) -> None:
    _one_error_line(_invoke("scan", option, value, str(KETAMINE)), option, "at most 100,000")


@pytest.mark.parametrize("option", ["--max-file-size", "--part-size"])
@pytest.mark.parametrize("value", ["abc", "", "1,5", "0x10"])
def test_a_size_option_that_is_no_number_is_clicks_usage_error(option: str, value: str) -> None:
    result = _invoke("scan", option, value, str(KETAMINE))
    assert result.exit_code == 2 and "Invalid value for '" + option in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["1", "2.5", "50000", "100000"])
def test_a_size_option_in_range_is_taken(value: str) -> None:
    result = _invoke("scan", "--max-file-size", value, "--part-size", value, str(KETAMINE))
    assert result.exit_code == 1, result.stderr  # checked: its warnings fail the default gate


def test_a_tiny_size_limit_skips_the_file_with_a_message() -> None:
    result = _invoke("scan", "--max-file-size", "0.000001", str(KETAMINE))
    assert result.exit_code == 2 and "larger than the limit of 1 bytes" in result.stderr


@pytest.mark.parametrize("value", ["99999999999999999999999", "1025", "-1"])
def test_jobs_out_of_range_is_a_usage_error(value: str) -> None:
    result = _invoke("scan", "--jobs", value, str(KETAMINE))
    assert result.exit_code == 2 and "Invalid value for '--jobs'" in result.stderr


@pytest.mark.parametrize("key", ["max-file-size", "part-size"])
@pytest.mark.parametrize(
    "value",
    [
        "inf",
        "-inf",
        "nan",
        "+nan",
        "1e300",
        "9223372036854775807",
        "0",
        "-3",
        "100001",
        '"10"',
        "true",
        "[1]",
    ],
)
@pytest.mark.parametrize("file", ["pyproject.toml", ".hedgecheck.toml"])
def test_a_size_in_the_config_out_of_range_names_the_file_and_key(
    tmp_path: Path, key: str, value: str, file: str
) -> None:
    table = "[tool.hedgecheck]\n" if file == "pyproject.toml" else ""
    (tmp_path / file).write_text(f"{table}{key} = {value}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    _one_error_line(_invoke("scan", str(tmp_path / "a.txt")), file, key)


# -- sizes: a limit is a ceiling, never an allocation ---------------------------------------
@pytest.mark.parametrize("limit_mb", [100, 50_000, 100_000])
def test_a_big_size_limit_allocates_nothing_up_front(tmp_path: Path, limit_mb: int) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT * 100, encoding="utf-8")
    tracemalloc.start()
    try:
        source = read_path(str(article), max_bytes=limit_mb * 2**20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not isinstance(source, HedgecheckError) and source.text == TEXT * 100
    assert peak < 1 << 20, f"{peak:,} bytes held to read a {len(TEXT) * 100}-byte file"


def test_standard_input_under_a_big_limit_is_read_in_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reading, writing = os.pipe()
    os.write(writing, TEXT.encode())
    os.close(writing)
    with open(reading, "rb") as pipe:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(pipe))
        tracemalloc.start()
        try:
            source = read_stdin(max_bytes=100_000 * 2**20)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert not isinstance(source, HedgecheckError) and source.text == TEXT
    assert peak < 4 << 20


@given(
    data=st.binary(max_size=3000),
    limit=st.integers(min_value=1, max_value=4000),
    expected=st.integers(min_value=0, max_value=4000),
)
def test_read_at_most_gives_the_first_limit_plus_one_bytes(
    data: bytes, limit: int, expected: int
) -> None:
    # ``expected`` is what stat said: it may be stale (a file that grew or shrank), or 0 (a pipe)
    assert read_at_most(io.BytesIO(data), limit, expected=expected) == data[: limit + 1]


@needs_cli
def test_a_big_size_limit_runs_in_little_memory() -> None:
    # 50000 MB was once allocated before the first byte was read
    result = subprocess.run(
        [HEDGECHECK, "scan", "--max-file-size", "50000", str(KETAMINE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr  # checked: its warnings fail the default gate


# -- standard output that fails -------------------------------------------------------------


@needs_cli
@pytest.mark.parametrize(
    "args",
    [
        ["scan", str(KETAMINE)],
        ["scan", "--format", "json", str(KETAMINE)],
        ["scan", "--format", "jsonl", str(KETAMINE)],
        ["scan", "-o", "/dev/stdout", str(KETAMINE)],
        ["rules"],
        ["explain", str(KETAMINE)],
    ],
    ids=["text", "json", "jsonl", "dev-stdout", "rules", "explain"],
)
def test_a_full_standard_output_is_named(args: list[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:  # opened for the child, never replaced
        result = subprocess.run(
            [HEDGECHECK, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
        )
    where = "/dev/stdout" if "/dev/stdout" in args else "standard output"
    _one_error_line(result, f"{where}: cannot write: No space left on device")


@pytest.mark.slow
@needs_cli
@pytest.mark.parametrize("fmt", ["jsonl", "json", "github"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_closed_output_pipe_ends_quietly_with_141(tmp_path: Path, fmt: str, jobs: str) -> None:
    for i in range(150):
        shutil.copy(KETAMINE, tmp_path / f"k{i}.txt")
    process = subprocess.Popen(
        [HEDGECHECK, "scan", "--jobs", jobs, "--format", fmt, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1)
    process.stdout.close()  # as `| head -c1` does
    err = process.stderr.read().decode()
    assert process.wait(timeout=300) == EXIT_CLOSED_PIPE
    assert err == ""


# -- Dask ------------------------------------------------------------------------------------


@pytest.mark.slow
@needs_cli
@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "garbage", "tcp://[::1"])
def test_an_unreachable_dask_scheduler_is_named_fast(tmp_path: Path, address: str) -> None:
    pytest.importorskip("distributed")
    started = time.monotonic()
    assert HEDGECHECK is not None
    target = str(tmp_path / "claims")
    result = subprocess.run(
        [HEDGECHECK, "scan", "--output-parquet", target, "--dask", address, str(KETAMINE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    _one_error_line(result, f"cannot reach the Dask scheduler {address!r}")
    # distributed's own default would wait 30 s; start-up on a loaded machine takes a few
    assert time.monotonic() - started < DASK_CONNECT_TIMEOUT + 20
    assert list(tmp_path.iterdir()) == []


# -- anything else ---------------------------------------------------------------------------


def test_an_unexpected_error_exits_2_with_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(scanning, "discover", broken)
    result = _invoke("scan", str(KETAMINE))
    assert result.exit_code == 2
    assert "RuntimeError: a bug" in result.stderr  # what a bug report needs
    assert result.stderr.strip().splitlines()[-1] == (
        "hedgecheck: error: internal error (RuntimeError); please report it"
    )


def test_a_library_error_anywhere_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise HedgecheckError("refused for the test")

    monkeypatch.setattr(scanning, "discover", refused)
    result = _invoke("scan", str(KETAMINE))
    assert result.exit_code == 2
    assert result.stderr == "hedgecheck: error: refused for the test\n"
