"""The integrations the README shows: pre-commit and the GitHub workflow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hedgecheck.formats import FORMATS

ROOT = Path(__file__).parent.parent


def test_the_pre_commit_hook_runs_the_scan_on_prose_files() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "hedgecheck"
    assert hook["entry"].startswith("hedgecheck scan")
    assert hook["language"] == "python"


def test_the_workflow_example_uses_formats_that_exist() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["hedgecheck"]["steps"]
    commands = [step["run"] for step in steps if "run" in step and "hedgecheck scan" in step["run"]]
    assert len(commands) == 2
    for command in commands:
        fmt = command.split("--format ")[1].split()[0]
        assert fmt in FORMATS
    assert any("upload-sarif" in step.get("uses", "") for step in steps)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="needs git and a git checkout of hedgecheck",
)
def test_pre_commit_runs_the_hook_from_this_repository(tmp_path: Path) -> None:
    repo = tmp_path / "articles"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "calm.md").write_text("# Tea\n\nA small study suggests tea may help.\n")
    (repo / "hype.md").write_text("# Tea\n\nTea is a miracle cure.\n")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    base = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "hedgecheck", "--files"]
    calm = subprocess.run([*base, "calm.md"], cwd=repo, env=env, capture_output=True, text=True)
    assert calm.returncode == 0, calm.stdout + calm.stderr
    hype = subprocess.run([*base, "hype.md"], cwd=repo, env=env, capture_output=True, text=True)
    assert hype.returncode == 1, hype.stdout + hype.stderr
    assert "HYP002" in hype.stdout
