"""The benchmark scripts' own logic, on made-up figures: no tool is run or timed here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import measuring
import peers
import speed
from measuring import Cost, Row


def row(name: str, cpu: float, *, megabytes: float = 3.0, wall: float = 0.0, rss: float = 50.0):
    return Row(name, megabytes, [Cost(wall or cpu, cpu, rss)])


def speed_rows(**changes: Row) -> dict[str, Row]:
    rows = {
        "baseline": row("baseline", 1.0),
        "jobs1": row("jobs1", 2.5, wall=4.0),
        "jobs2": row("jobs2", 4.2, wall=2.2),
        "startup": row("startup", 0.15, megabytes=0.0),
        "help": row("help", 0.1, megabytes=0.0),
        "floor": row("floor", 2.0),
        "scaled": row("scaled", 40.0, megabytes=30.0, rss=55.0),
        "big": row("big", 40.0, megabytes=20.0),
        "quarter": row("quarter", 10.0, megabytes=5.0),
        "dense": row("dense", 40.0, megabytes=21.6, rss=300.0),
        "dense_quarter": row("dense_quarter", 10.0, megabytes=5.4, rss=120.0),
    }
    return rows | changes


def verdicts(rows: dict[str, Row]) -> dict[str, str]:
    return {target: passed for target, _, passed in speed.targets(rows)}


def test_speed_targets_pass_and_miss_by_the_issues_thresholds():
    met = verdicts(speed_rows())
    assert set(met.values()) == {"PASS"}
    missed = verdicts(
        speed_rows(
            jobs1=row("jobs1", 5.5, wall=5.5),  # 5.5× the baseline, 1.6× faster with 2 jobs
            jobs2=row("jobs2", 5.6, wall=3.5),
            startup=row("startup", 0.25, megabytes=0.0),
            dense=row("dense", 80.0, megabytes=21.6, rss=600.0),
        )
    )
    assert [target for target, passed in missed.items() if passed != "PASS"] == [
        "full analysis ≤ 5× the one-regex read (CPU)",
        "… stretch: ≤ 3×",
        "start-up for one short file ≤ 0.2 s (CPU)",
        "`--jobs 2` ≥ 1.7× faster than `--jobs 1` (wall)",
        "dense file (21.6 MB, one line of short sentences) in linear time",
        "… within 500 MB",
    ]


def test_stretch_is_judged_apart_from_the_target():
    met = verdicts(speed_rows(jobs1=row("jobs1", 4.0, wall=4.0)))
    assert met["full analysis ≤ 5× the one-regex read (CPU)"] == "PASS"
    assert met["… stretch: ≤ 3×"] == "**MISS**"


def test_peer_table_is_sorted_fastest_first_with_hedgecheck_in_bold():
    by_key = {peer.key: peer for peer in peers.PEERS}
    results = sorted(
        (
            peers.Result(by_key[key], f"{key} 1.0", row(by_key[key].label, cpu))
            for key, cpu in (("hedgecheck", 3.0), ("baseline", 0.5), ("proselint", 10.0))
        ),
        key=lambda result: result.row.cpu,
    )
    lines = peers.table(results)
    assert [line.split(" | ")[1] for line in lines[2:]] == [
        "baseline 1.0",
        "hedgecheck 1.0",
        "proselint 1.0",
    ]
    assert lines[3].startswith(
        "| **hedgecheck `scan --format jsonl`** | hedgecheck 1.0 | **3.00** |"
    )
    assert "| **6.0** |" in lines[3]  # × the one-regex read
    assert "**" not in lines[4]


def test_missing_peers_are_named_from_an_empty_scratch_folder(tmp_path):
    scratch = peers.Scratch(tmp_path)
    by_key = {peer.key: peer for peer in peers.PEERS}
    assert by_key["write-good"].missing(scratch)[:1] == ["write-good"]
    assert by_key["medspacy"].missing(scratch) == ["medspacy", "spacy"]
    assert by_key["hedgecheck"].missing(scratch) == []
    assert by_key["baseline"].missing(scratch) == []


def test_installed_versions_are_read_from_the_scratch_folder(tmp_path):
    scratch = peers.Scratch(tmp_path)
    package = scratch.npm / "node_modules" / "write-good"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": "1.0.8"}))
    site = scratch.venv / "lib" / "python3.11" / "site-packages" / "proselint-0.16.0.dist-info"
    site.mkdir(parents=True)
    (site / "METADATA").write_text("Metadata-Version: 2.1\nName: proselint\nVersion: 0.16.0\n")
    assert scratch.npm_version("write-good") == "1.0.8"
    assert scratch.pypi_version("proselint") == "0.16.0"
    assert scratch.pypi_version("medspacy") is None


def test_install_commands_pin_every_peer_and_stay_in_the_scratch_folder(tmp_path):
    commands = peers.install_commands(peers.Scratch(tmp_path))
    words = [word for argv in commands for word in argv]
    for name, version in {**peers.NPM_PACKAGES, **peers.PYPI_PACKAGES}.items():
        assert f"{name}@{version}" in words or f"{name}=={version}" in words
    assert str(tmp_path / "npm") in commands[0]


def test_the_baseline_and_the_no_matching_scan_are_shared_not_copied():
    assert peers.measuring.BASELINE is measuring.BASELINE is speed.BASELINE
    assert peers.measuring.NO_MATCHING is measuring.NO_MATCHING is speed.NO_MATCHING


def test_peers_section_goes_between_its_markers(tmp_path):
    page = tmp_path / "BENCHMARKS.md"
    page.write_text("# Benchmarks\n\n<!-- peers:start -->\nold\n<!-- peers:end -->\n\ntail\n")
    peers.publish(f"{peers.START}\nnew\n{peers.END}\n", page, "peers", write=True)
    assert page.read_text() == (
        "# Benchmarks\n\n<!-- peers:start -->\nnew\n<!-- peers:end -->\n\ntail\n"
    )


@pytest.mark.parametrize("runs", [0, -1])
def test_runs_below_one_are_refused(monkeypatch, runs):
    monkeypatch.setattr(sys, "argv", ["peers.py", "--runs", str(runs)])
    with pytest.raises(SystemExit, match="--runs"):
        peers.main()


def test_scratch_inside_the_repository_is_refused(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["peers.py", "--scratch", str(measuring.ROOT / "x")])
    with pytest.raises(SystemExit, match="outside the repository"):
        peers.main()
