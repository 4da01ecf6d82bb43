"""A build of the rules from their packs that takes more than a second is announced once,
as an INFO note of the ``hedgecheck`` logger: the library prints nothing, the command line
says it on stderr (not with --quiet), and a load from a cache says nothing."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from house_pack import HEDGE_PACK as PACK

import hedgecheck.loader as loader_module
from hedgecheck import load_rules
from hedgecheck.cli import main
from hedgecheck.ruleset import RuleSet


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("HEDGECHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "house.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


def _slow_builds(monkeypatch: pytest.MonkeyPatch, *, seconds: float, after: float) -> None:
    """Every build takes at least ``seconds``; one running past ``after`` is announced."""
    build = loader_module.compiled_rules
    unbuilt = loader_module.built_rules

    def slow(files: list[Path]) -> RuleSet:
        time.sleep(seconds)
        return build(files)

    def slow_unbuilt(files: list[Path]) -> RuleSet:
        time.sleep(seconds)
        return unbuilt(files)

    monkeypatch.setattr(loader_module, "compiled_rules", slow)
    monkeypatch.setattr(loader_module, "built_rules", slow_unbuilt)
    monkeypatch.setattr(loader_module, "SLOW_BUILD", after)


def _notes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "hedgecheck"]


def test_a_slow_build_is_logged_once_and_printed_nowhere(
    pack: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _slow_builds(monkeypatch, seconds=0.5, after=0.05)
    with caplog.at_level(logging.INFO, logger="hedgecheck"):
        load_rules(pack)
    assert _notes(caplog) == ["building the rule cache for 1 pack (once per set of packs)…"]
    assert caplog.records[0].levelno == logging.INFO
    assert capsys.readouterr() == ("", "")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="hedgecheck"):
        load_rules(pack)  # from the cache now
    assert _notes(caplog) == []


@pytest.mark.parametrize(("seconds", "after"), [(0.0, 5.0), (0.05, 2.0)])
def test_a_quick_build_says_nothing(
    pack: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    seconds: float,
    after: float,
) -> None:
    _slow_builds(monkeypatch, seconds=seconds, after=after)
    with caplog.at_level(logging.DEBUG, logger="hedgecheck"):
        load_rules(pack)
    time.sleep(0.1)  # a timer left running would fire by now
    assert _notes(caplog) == []


def test_with_the_cache_off_the_note_says_so(
    pack: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HEDGECHECK_NO_CACHE", "1")
    _slow_builds(monkeypatch, seconds=0.5, after=0.05)
    with caplog.at_level(logging.INFO, logger="hedgecheck"):
        load_rules(pack)
    assert _notes(caplog) == ["compiling the rules of 1 pack (the rule cache is off)…"]


@pytest.mark.slow
def test_the_command_line_says_it_on_stderr_unless_quiet(
    pack: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A small pack stands in for the default packs, beside a house pack."""
    defaults = tmp_path / "defaults"
    defaults.mkdir()
    pack.rename(defaults / "house.toml")
    monkeypatch.setattr(loader_module, "default_rules_path", lambda: defaults)
    extra = tmp_path / "extra.toml"
    extra.write_text(PACK.replace("HSE", "EXT").replace('"house"', '"extra"'), encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("It perchance works.\n", encoding="utf-8")
    _slow_builds(monkeypatch, seconds=0.5, after=0.05)
    runner = CliRunner()
    scan = ["scan", "--fail-on", "never", "--rules", str(extra), str(article)]
    quiet = runner.invoke(main, [*scan, "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert "building" not in quiet.stderr
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "other-cache"))
    said = runner.invoke(main, scan)
    assert said.exit_code == 0, said.output
    note = "hedgecheck: building the rule cache for 2 packs (once per set of packs)…\n"
    assert said.stderr.count("building") == 1
    assert note in said.stderr
    assert "building" not in said.stdout
    again = runner.invoke(main, scan)
    assert "building" not in again.stderr
