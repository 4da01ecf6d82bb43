"""The integrations the README shows: pre-commit and the GitHub workflow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from packaging.requirements import Requirement

from hedgecheck.cli import main
from hedgecheck.config import glob_match
from hedgecheck.formats import FORMATS

ROOT = Path(__file__).parent.parent


def test_the_pre_commit_hook_runs_the_scan_on_prose_files() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "hedgecheck"
    assert hook["entry"].startswith("hedgecheck scan")
    assert "--format concise" in hook["entry"]
    assert hook["language"] == "python"
    # Markdown and HTML by default: a requirements.txt comment is no article
    assert hook["types_or"] == ["markdown", "html"] and "files" not in hook
    # one process for all the staged files: start-up, not the files, is most of a run
    assert hook["require_serial"] is True


def _scan(cwd: Path, *args: str) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner().invoke(main, ["scan", "--quiet", *args])


@pytest.mark.parametrize(
    ("pattern", "named"),
    [
        ("drafts/*", "drafts/hype.md"),
        ("drafts", "drafts/deep/hype.md"),
        ("drafts/", "drafts/hype.md"),
        ("./drafts/**", "drafts/deep/hype.md"),
        ("*.draft.md", "notes/hype.draft.md"),
        ("notes/hype.md", "notes/hype.md"),
    ],
)
def test_the_config_exclude_skips_files_named_on_the_command_line(
    tmp_path: Path, pattern: str, named: str
) -> None:
    (tmp_path / ".hedgecheck.toml").write_text(f'fail-on = "warning"\nexclude = ["{pattern}"]\n')
    for name in (named, "kept.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# Tea\n\nTea is a miracle cure.\n")
    # as pre-commit names staged files: relative to the repository root
    skipped = _scan(tmp_path, "--format", "concise", named)
    assert (skipped.exit_code, skipped.stdout, skipped.stderr) == (0, "", "")
    both = _scan(tmp_path, "--format", "concise", named, "kept.md")
    assert both.exit_code == 1
    assert {line.split(":", 1)[0] for line in both.stdout.splitlines()} == {"kept.md"}
    # the same glob in overrides.files reaches the same files
    (tmp_path / ".hedgecheck.toml").write_text(
        f'fail-on = "warning"\n[[overrides]]\nfiles = ["{pattern}"]\nignore = ["hype"]\n'
    )
    assert _scan(tmp_path, "--format", "concise", named).exit_code == 0
    assert _scan(tmp_path, "--format", "concise", "kept.md").exit_code == 1


def test_the_workflow_example_uses_formats_that_exist() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["hedgecheck"]["steps"]
    commands = [step["run"] for step in steps if "run" in step and "hedgecheck scan" in step["run"]]
    assert len(commands) == 2
    for command in commands:
        fmt = command.split("--format ")[1].split()[0]
        assert fmt in FORMATS
    assert any("upload-sarif" in step.get("uses", "") for step in steps)


def test_the_workflow_example_installs_hedgecheck_from_its_repository() -> None:
    """hedgecheck is on no package index: the workflow pip-installs a git URL pinned to the
    same tag as the README's pre-commit example (checked by hand: pip resolves such a line
    to this checkout when the URL is file://localhost/…)."""
    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["hedgecheck"]["steps"]
    (install,) = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    quoted = install.split('"')[1]
    for name, value in workflow["env"].items():
        quoted = quoted.replace(f"${{{name}}}", value)
    requirement = Requirement(quoted)
    assert requirement.name == "hedgecheck" and not requirement.specifier
    assert requirement.url and requirement.url.startswith("git+https://")
    ref = workflow["env"]["HEDGECHECK_REF"]
    assert requirement.url.endswith(f"@{ref}")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"rev: {ref}" in readme


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.slow
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
    (repo / "drafts").mkdir()
    (repo / "drafts" / "hype.md").write_text("# Tea\n\nTea is a miracle cure.\n")
    (repo / "requirements.txt").write_text("# pin: a small study suggests it may help\n")
    (repo / ".hedgecheck.toml").write_text('fail-on = "warning"\nexclude = ["drafts"]\n')
    base = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "hedgecheck", "--files"]
    calm = subprocess.run(
        [*base, "calm.md", "drafts/hype.md", "requirements.txt"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert calm.returncode == 0, calm.stdout + calm.stderr
    hype = subprocess.run([*base, "hype.md"], cwd=repo, env=env, capture_output=True, text=True)
    assert hype.returncode == 1, hype.stdout + hype.stderr
    # one concise line per finding, no report
    assert "hype.md:3:10: HYP002 [warning] " in hype.stdout
    assert "evidence:" not in hype.stdout and "claim(s)" not in hype.stdout


@pytest.mark.parametrize(
    ("relative", "pattern", "matched"),
    [
        ("drafts/a.md", "drafts", True),
        ("a/drafts/b.md", "drafts", True),  # a folder's name, at any depth
        ("a/drafts/b.md", "a/drafts/", True),
        ("docs/a.md", "drafts", False),
        ("notes/hype.md", "notes/hype.md", True),
        ("x/notes/hype.md", "notes/hype.md", False),  # a path is anchored at the config
        ("a.md", "./a.md", True),
        ("a.md", "/", False),
        # outside the config's folder only the name counts, not the folders above it
        ("/tmp/drafts/a.md", "drafts", False),
        ("/tmp/drafts/a.md", "*.md", True),
        ("../drafts/x.md", "drafts", False),
    ],
)
def test_exclude_and_overrides_globs_match_paths_one_way(
    relative: str, pattern: str, matched: bool
) -> None:
    assert glob_match(relative, pattern) == matched
