"""The test suite keeps out of the user's real cache folder: tests/conftest.py points
HEDGECHECK_CACHE_DIR elsewhere for the tests and for every process they start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import hedgecheck
from hedgecheck.rulecache import _cache_folder

ROOT = Path(__file__).resolve().parent.parent
_SCAN = "import sys; from hedgecheck.cli import main; main(sys.argv[1:])"


def test_the_suite_cache_is_not_the_user_cache() -> None:
    chosen = os.environ.get("HEDGECHECK_CACHE_DIR")
    assert chosen, "tests/conftest.py did not set HEDGECHECK_CACHE_DIR"
    assert _cache_folder() == Path(chosen)
    home_cache = Path.home() / ".cache" / "hedgecheck"
    assert Path(chosen).resolve() != home_cache.resolve()


def test_rules_load_in_the_test_process_and_in_a_subprocess(tmp_path: Path) -> None:
    """What the next test runs under a throwaway home: a check in process, and a scan by
    the command line in a child process (which inherits the environment)."""
    assert hedgecheck.check("Coffee may cut the risk of stroke.").claims
    article = tmp_path / "one.txt"
    article.write_text("A small study suggests the drug may reduce pain.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _SCAN, "scan", "--fail-on", "never", str(article)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="the rule cache needs POSIX owners")
def test_a_test_run_writes_nothing_into_the_real_cache_folder(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A pytest run with HOME and XDG_CACHE_HOME in a throwaway folder, and no
    HEDGECHECK_CACHE_DIR of its own: neither cache folder a user's run would use appears.
    It shares this run's pytest cache, so the default packs need not be built again."""
    cache = getattr(request.config, "cache", None)
    if cache is None:
        pytest.skip("pytest runs without its cache (-p no:cacheprovider)")
    home = tmp_path / "home"
    xdg = tmp_path / "xdg"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEDGECHECK_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(xdg))
    cache_dir = Path(str(cache.mkdir("hedgecheck-rule-cache"))).parent.parent
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-o",
            f"cache_dir={cache_dir}",
            f"{Path(__file__)}::test_rules_load_in_the_test_process_and_in_a_subprocess",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (xdg / "hedgecheck").exists()
    assert not (home / ".cache" / "hedgecheck").exists()
    assert not any(home.rglob("*hedgecheck*")), list(home.rglob("*"))
