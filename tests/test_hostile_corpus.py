"""The hostile corpus (tests/hostile_corpus.py), scanned end to end by the installed command:
every file gets its outcome, and no output, in any format, can drive a terminal or GitHub's
runner (tests/output_safety.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hedgecheck.formats import FORMATS
from hedgecheck.formats._safe import (
    TEXT,
    github_property,
    guard,
    html_text,
    markdown_text,
    visible,
)
from hedgecheck.reading import display_name

sys.path.insert(0, str(Path(__file__).parent))
from hostile_corpus import HOSTILE_NAMES, IGNORED, REPORTED, SKIPPED, WARNED, Case, build
from output_safety import assert_safe

HEDGECHECK = shutil.which("hedgecheck", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    # The one-line file is small here: tests/test_hostile_properties.py checks 20 MB on a line.
    folder = tmp_path_factory.mktemp("hostile")
    return folder, build(folder, huge_bytes=256 * 2**10)


@pytest.mark.slow
@pytest.mark.skipif(HEDGECHECK is None, reason="needs the installed console script")
@pytest.mark.parametrize("output", ["jsonl", "json"])
def test_the_corpus_is_scanned_end_to_end(corpus: tuple[Path, list[Case]], output: str) -> None:
    folder, cases = corpus
    assert HEDGECHECK is not None
    scan = subprocess.run(
        [HEDGECHECK, "scan", "--format", output, str(folder)],
        capture_output=True,
        timeout=300,
    )
    stderr = scan.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    assert scan.returncode == max(case.exit_code for case in cases) == 2
    stdout = scan.stdout.decode("utf-8")
    assert_safe(stdout, output)
    assert_safe(stderr, "stderr")
    if output == "json":
        files = json.loads(stdout)["files"]
    else:
        files = [json.loads(line) for line in stdout.splitlines()]
    reported = {f["path"]: f for f in files}
    for case in cases:
        shown = display_name(str(folder / case.name))
        named = visible(shown)  # as stderr shows it: controls and line breaks as escapes
        said = [
            line for line in stderr.splitlines() if line.startswith(f"hedgecheck: {_kind(case)}")
        ]
        about = [line for line in said if f"{named}: " in line]
        if case.outcome in (REPORTED, WARNED):
            assert shown in reported, f"{case.name!r} is not in the report"
            report = reported[shown]
            assert not case.claims or report["claims"], f"{case.name!r} has no claims"
        else:
            assert shown not in reported, f"{case.name!r} should not be in the report"
        if case.outcome == REPORTED:
            assert not [line for line in stderr.splitlines() if f"{named}: " in line]
        elif case.outcome == IGNORED:
            assert not [line for line in stderr.splitlines() if f"{named}" in line]
        else:
            assert any(case.message in line for line in about), (case, stderr)
        if case.outcome == WARNED:
            assert any(case.message in w for w in reported[shown]["warnings"])
    assert len(reported) == sum(case.outcome in (REPORTED, WARNED) for case in cases)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("hostile-small")
    return folder, build(folder, huge_bytes=4096)


@pytest.mark.slow
@pytest.mark.skipif(HEDGECHECK is None, reason="needs the installed console script")
@pytest.mark.parametrize("output", sorted(set(FORMATS) - {"json", "jsonl"}))
def test_no_output_of_the_corpus_can_drive_a_terminal_or_the_runner(
    small_corpus: tuple[Path, list[Case]], output: str
) -> None:
    folder, cases = small_corpus
    assert HEDGECHECK is not None
    scan = subprocess.run(
        [HEDGECHECK, "scan", "--format", output, str(folder)], capture_output=True, timeout=300
    )
    assert scan.returncode == 2
    stdout, stderr = scan.stdout.decode("utf-8"), scan.stderr.decode("utf-8")
    assert_safe(stdout, output)
    assert_safe(stderr, "stderr")
    # every hostile name is in the report, made safe the format's way
    for name in HOSTILE_NAMES:
        path = display_name(str(folder / name))
        assert _as_shown(path, output) in stdout, (name, output)
    for case in cases:
        if case.outcome in (SKIPPED, WARNED):
            assert visible(display_name(str(folder / case.name))) + ": " in stderr, case


def _as_shown(path: str, output: str) -> str:
    return {
        "text": lambda: guard(visible(path), TEXT),
        "concise": lambda: guard(visible(path), TEXT),  # every hostile file has findings
        "github": lambda: "file=" + github_property(path) + ",",
        "markdown": lambda: markdown_text(visible(path)),
        "html": lambda: html_text(visible(path)),
        "sarif": lambda: json.dumps(Path(path).as_uri()),
    }[output]()


def _kind(case: Case) -> str:
    return "error" if case.outcome == SKIPPED else "warning"


def test_the_corpus_script_writes_what_it_lists(tmp_path: Path) -> None:
    cases = build(tmp_path / "c", huge_bytes=1000)
    names = {case.name for case in cases}
    on_disk = {p.name for p in (tmp_path / "c").iterdir()}
    assert names == on_disk
    assert {case.outcome for case in cases} == {REPORTED, WARNED, SKIPPED, IGNORED}
