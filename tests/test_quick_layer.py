"""The quick layer, ``pytest -m "not slow"`` (see the README): the ``slow`` marker is
registered and markers are strict, so a misspelt marker is an error rather than a test that
stays in the quick layer unnoticed; and the quick selection holds tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def test_the_slow_marker_is_registered_and_markers_are_strict(pytestconfig: pytest.Config) -> None:
    names = {line.split(":", 1)[0].strip() for line in pytestconfig.getini("markers")}
    assert "slow" in names
    assert pytestconfig.option.strict_markers


def _runs_the_whole_suite(config: pytest.Config) -> bool:
    """Whether this session was started on the whole test folder (as the README's commands
    start it) and nothing but -m narrowed it, so that its items are what -m selects."""
    places = (config.invocation_params.dir, config.rootpath)
    wanted = {TESTS, config.rootpath.resolve()}
    whole = all(any((place / arg).resolve() in wanted for place in places) for arg in config.args)
    narrowed = config.option.keyword or config.option.deselect or getattr(config.option, "lf", 0)
    return whole and not narrowed


def _quick_node_ids() -> list[str]:
    """The node ids ``pytest -m "not slow"`` selects, collected in a process of its own."""
    command = ["--collect-only", "-o", "addopts=", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *command, "-m", "not slow", str(TESTS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_the_quick_selection_is_not_empty(request: pytest.FixtureRequest) -> None:
    if _runs_the_whole_suite(request.config):
        items = request.session.items
        quick = [item.nodeid for item in items if item.get_closest_marker("slow") is None]
    else:  # a file or a test run alone: collect the suite as the quick command does
        quick = _quick_node_ids()
    # This guard is quick; the layer must hold more than the guard itself.
    here = Path(__file__).name
    files = {node.split("::")[0].rsplit("/", 1)[-1] for node in quick}
    assert here in files and len(files) > 1, sorted(files)
