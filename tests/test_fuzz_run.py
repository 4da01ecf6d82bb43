"""fuzz/run.py, the driver of the fuzz targets: its jobs, its seeds, how it reads a job's log
and how it fills in fuzz/README.md (atheris itself is not needed here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).parent.parent / "fuzz"


@pytest.fixture(scope="module")
def driver() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_run", FUZZ / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_target_is_a_job_and_the_readers_one_per_format(driver: ModuleType) -> None:
    names = [job.name for job in driver.jobs([])]
    targets = sorted(p.stem.removeprefix("fuzz_") for p in FUZZ.glob("fuzz_*.py"))
    assert [n for n in names if n.startswith("readers")] == [
        "readers-text",
        "readers-markdown",
        "readers-html",
    ]
    assert sorted({n.split("-")[0] for n in names}) == targets
    assert [job.name for job in driver.jobs(["output"])] == ["output"]


def test_the_seeds_hold_the_hostile_cases_within_the_readers_length(driver: ModuleType) -> None:
    seeds = driver.seeds()
    assert all(len(data) <= driver.MAX_LEN["readers"] for data in seeds.values())
    past = seeds["binary-past-8k.txt"]
    assert b"\0" not in past[:8192] and b"\0" in past[8192:]
    assert b"\0" in seeds["binary-tail.txt"][driver.SEED_BYTES :]
    for name in ("unclosed-comment.html", "unclosed-attribute.html", "unclosed-fence.md"):
        assert name in seeds
    assert any(name.startswith("example-") for name in seeds)


LOG = """INFO: Seed: 1
#2\tINITED cov: 1200 ft: 1500 corp: 20/30Kb exec/s: 0 rss: 90Mb
#512\tpulse  cov: 1400 ft: 1800 corp: 40/60Kb lim: 4096 exec/s: 25 rss: 120Mb
#8587\tDONE   cov: 1509 ft: 2000 corp: 214/300Kb lim: 4096 exec/s: 28 rss: 150Mb
Done 8587 runs in 301 second(s)
"""


@pytest.mark.parametrize(
    ("log", "artifacts", "returncode", "shown"),
    [
        (LOG, [], 0, "| readers-html | 8,587 | 301 s | 1,509 | 214 | 0 |"),
        (LOG, ["crash-abc"], 1, "| readers-html | 8,587 | 301 s | 1,509 | 214 | `crash-abc` |"),
        (LOG.replace("Done", "Gone"), ["timeout-1"], 1, "| 8,587 | 0 s |"),
        ("Traceback: ImportError\n", [], 1, "exit 1 without a failing input"),
    ],
)
def test_a_jobs_log_and_failing_inputs_make_its_row(
    driver: ModuleType,
    tmp_path: Path,
    log: str,
    artifacts: list[str],
    returncode: int,
    shown: str,
) -> None:
    job = driver.Job("readers", "html", (("HEDGECHECK_FUZZ_FORMAT", "html"),))
    where = tmp_path / job.name
    where.mkdir()
    (where / "log").write_text(log)
    (where / "returncode").write_text(f"{returncode}\n")
    for name in artifacts:
        (where / name).write_bytes(b"x")
    outcome = driver.outcome(job, tmp_path)
    text = driver.table([outcome], seconds=300, parallel=2, load="1.0")
    assert shown in text
    found = 1 if artifacts or returncode else 0
    assert text.endswith(f"{found} of 1 jobs found something.")


def test_the_readme_gets_the_account_between_its_markers_only(
    driver: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Fuzzing\n\n{driver.BEGIN}\nold run\n{driver.END}\n\n## After\n")
    monkeypatch.setattr(driver, "README", readme)
    driver.write_readme("new run")
    driver.write_readme("newer run")
    assert (
        readme.read_text() == f"# Fuzzing\n\n{driver.BEGIN}\nnewer run\n{driver.END}\n\n## After\n"
    )
    shipped = (FUZZ / "README.md").read_text(encoding="utf-8")
    assert shipped.count(driver.BEGIN) == 1 and shipped.count(driver.END) == 1


def test_the_budgets_target_is_a_job_with_room_for_its_text(driver: ModuleType) -> None:
    assert [job.name for job in driver.jobs(["budgets"])] == ["budgets"]
    assert "budgets" in {job.target for job in driver.jobs([])}
    source = (FUZZ / "fuzz_budgets.py").read_text(encoding="utf-8")
    cap = int(source.split("MAX_TEXT = ", 1)[1].split("\n", 1)[0])
    # Two header bytes, then the text: one byte a character at the least.
    assert cap < driver.MAX_LEN["budgets"] <= cap + 16
