"""The command line: formats, exit codes, evaluate, rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hedgecheck.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "ketamine" / "ketamine-article.txt"


def test_scan_text_shows_a_verdict_and_findings_and_claims_only_with_verbose() -> None:
    result = CliRunner().invoke(main, ["scan", str(EXAMPLE)])
    assert result.exit_code == 1, result.output  # its EDT002 warnings fail the default gate
    assert result.output.startswith(f"{EXAMPLE}: preliminary — a small study in people")
    assert f"{EXAMPLE}:24:5: warning EDT002 " in result.output
    # no claim-by-claim detail, no weights, no report card on the first screen
    assert f"{EXAMPLE}:6:1: preliminary [headline]" not in result.output
    assert "HDG001" not in result.output and "certainty" not in result.output
    assert "report card" not in result.output
    for flag in ("--verbose", "-v"):
        verbose = CliRunner().invoke(main, ["scan", flag, str(EXAMPLE)])
        assert verbose.exit_code == 1, verbose.output
        assert f"{EXAMPLE}:6:1: preliminary [headline]" in verbose.output
        assert "hedge “may” HDG001 -2.72" in verbose.output
        assert "  report card: " in verbose.output


def test_scan_json_has_the_documented_shape() -> None:
    result = CliRunner().invoke(main, ["scan", "--format", "json", str(EXAMPLE)])
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["schema_version"] == 1
    (file,) = document["files"]
    assert {"path", "label", "claims", "findings"} <= set(file)
    claim = file["claims"][0]
    for key in (
        "text",
        "label",
        "certainty",
        "strength",
        "start",
        "end",
        "line",
        "column",
        "headline",
        "cues",
    ):
        assert key in claim
    for key in ("rule", "category", "text", "start", "end", "scope", "weight"):
        assert key in claim["cues"][0]


def test_scan_reads_stdin() -> None:
    result = CliRunner().invoke(
        main, ["scan", "--format", "json", "-"], input="Coffee may reduce the risk of stroke.\n"
    )
    assert result.exit_code == 0
    assert json.loads(result.output)["files"][0]["claims"][0]["strength"] == "conditional"


def test_scan_reads_markdown_and_html_by_extension(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Pill may ease pain\n\n```\nthis cures cancer\n```\n")
    (tmp_path / "b.html").write_text("<nav>Pill cures all</nav><h1>Tea may help</h1>")
    result = CliRunner().invoke(main, ["scan", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = json.loads(result.output)["files"]
    assert [f["input_format"] for f in files] == ["markdown", "html"]
    assert [[c["text"] for c in f["claims"]] for f in files] == [
        ["Pill may ease pain"],
        ["Tea may help"],
    ]
    assert files[0]["claims"][0]["column"] == 3


def test_input_format_overrides_the_extension_and_stdin_is_plain_text() -> None:
    markdown = "# Pill may ease pain\n"
    as_text = CliRunner().invoke(main, ["scan", "--format", "json", "-"], input=markdown)
    assert json.loads(as_text.output)["files"][0]["claims"][0]["text"] == "# Pill may ease pain"
    as_markdown = CliRunner().invoke(
        main, ["scan", "--format", "json", "--input-format", "markdown", "-"], input=markdown
    )
    assert json.loads(as_markdown.output)["files"][0]["claims"][0]["text"] == "Pill may ease pain"


def test_bad_input_names_the_file_and_the_rest_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"GIF89a\x00\x01 not text")
    good = tmp_path / "good.txt"
    good.write_text("Coffee is linked to a longer life.", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--format", "json", str(bad), str(good)])
    assert result.exit_code == 2
    assert f"{bad}: binary file (a GIF image), skipped" in result.stderr
    assert json.loads(result.stdout)["files"][0]["path"] == str(good)
    assert bad.read_bytes() == b"GIF89a\x00\x01 not text"


def test_encodings_boms_and_invalid_utf8(tmp_path: Path) -> None:
    text = "Coffee may cut the risk of stroke.\n"
    (tmp_path / "a-utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "b-bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "c-latin1.txt").write_bytes(
        "Caf\xe9 owners may cut the risk of stroke.\n".encode("latin-1")
    )
    result = CliRunner().invoke(main, ["scan", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    files = json.loads(result.stdout)["files"]
    assert [f["claims"][0]["text"] for f in files[:2]] == [text.strip()] * 2
    assert [f["claims"][0]["column"] for f in files] == [1, 1, 1]
    latin = files[2]
    assert latin["claims"][0]["text"].startswith("Caf\ufffd owners")
    assert "not valid UTF-8 (first bad byte at offset 3)" in latin["warnings"][0]
    assert "c-latin1.txt: not valid UTF-8" in result.stderr


def test_missing_file_is_exit_2() -> None:
    result = CliRunner().invoke(main, ["scan", "does-not-exist.txt"])
    assert result.exit_code == 2
    assert "does-not-exist.txt: no such file" in result.stderr


@pytest.mark.slow
def test_bad_rule_pack_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    pack.write_text("[pack]\nname = 'x'\nflavour = 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--rules", str(pack), str(EXAMPLE)])
    assert result.exit_code == 2
    assert str(pack) in result.stderr


def test_evaluate_prints_metrics_and_writes_predictions(tmp_path: Path) -> None:
    data = tmp_path / "strength.jsonl"
    rows = [
        {"id": "a", "text": "Smoking causes lung cancer.", "label": 3},
        {"id": "b", "text": "Coffee is associated with longer life.", "label": 1},
        {"id": "c", "text": "Exercise may improve memory.", "label": 2},
        {"id": "d", "text": "We recruited 40 adults.", "label": 0},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "predictions.jsonl"
    result = CliRunner().invoke(
        main, ["evaluate", "strength", str(data), "--predictions", str(out)]
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["n"] == 4
    assert metrics["macro_f1"] == 1.0
    predictions = [json.loads(line) for line in out.read_text().splitlines()]
    assert predictions == [
        {"id": "a", "prediction": 3},
        {"id": "b", "prediction": 1},
        {"id": "c", "prediction": 2},
        {"id": "d", "prediction": 0},
    ]


def test_exaggeration_counts_a_denied_relation_as_none(tmp_path: Path) -> None:
    # InSciOut codes "does not cut the risk" as no relationship, so a release that denies a
    # relation claims no more than an abstract that states none; the strength task itself
    # keeps the causal reading Yu et al. give a denial.
    data = tmp_path / "exaggeration.jsonl"
    rows = [
        {
            "id": "a",
            "press_release": "Eating organic food does not cut the risk of cancer.",
            "abstract": "We followed 600,000 women for nine years.",
            "label": "same",
        },
        {
            "id": "b",
            "press_release": "Eating organic food cuts the risk of cancer.",
            "abstract": "We followed 600,000 women for nine years.",
            "label": "exaggerates",
        },
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "exaggeration", str(data)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["macro_f1"] == 1.0
    strength = tmp_path / "strength.jsonl"
    strength.write_text(
        json.dumps({"id": "a", "text": "The drug did not improve survival.", "label": 3}) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["evaluate", "strength", str(strength)])
    assert json.loads(result.stdout)["macro_f1"] == 1.0


def test_evaluate_skips_bad_lines_naming_them(tmp_path: Path) -> None:
    data = tmp_path / "hedge.jsonl"
    data.write_text(
        '{"id": 1, "text": "It may work.", "label": 1}\nnot json\n{"id": 3}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["evaluate", "hedge", str(data)])
    assert result.exit_code == 2
    assert f"{data}:2: not valid JSON" in result.stderr
    assert f"{data}:3: missing field(s) text, label" in result.stderr
    assert json.loads(result.stdout)["n"] == 1


def test_rules_lists_and_documents_a_rule() -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0
    first = listing.output.split()[0]
    doc = runner.invoke(main, ["rules", first])
    assert doc.exit_code == 0
    assert "## Why" in doc.output and "## Source" in doc.output
    assert runner.invoke(main, ["rules", "NOPE999"]).exit_code == 2


def test_the_readme_shows_the_real_first_screen_of_the_reference_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = EXAMPLE.parent.parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    shown = readme.split("This is the first screen for the reference page", 1)[1]
    shown = shown.split("```text\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["scan", EXAMPLE.relative_to(root).as_posix()])
    assert result.exit_code == 1  # its two EDT002 warnings fail the default gate
    assert result.output == shown


def test_scan_concise_reads_stdin_and_several_files_in_order(tmp_path: Path) -> None:
    calm = tmp_path / "calm.md"
    calm.write_text("# Tea\n\nThe sky is blue.\n", encoding="utf-8")
    hype = tmp_path / "hype.md"
    hype.write_text("# Tea\n\nTea is a miracle cure.\n", encoding="utf-8")
    stdin = "Tea is a miracle cure.\n"
    args = ["scan", "--quiet", "--format", "concise"]
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            main, [*args, "--jobs", jobs, str(calm), "-", str(hype)], input=stdin
        )
        assert result.exit_code == 1, result.output  # hype fails the default gate
        assert result.output.splitlines() == [
            "-:1:10: HYP002 [warning] 'Miracle' frames a treatment as beyond ordinary evidence.",
            f"{hype}:3:10: HYP002 [warning] 'Miracle' frames a treatment as beyond ordinary "
            "evidence.",
        ]
    nothing = CliRunner().invoke(main, [*args, str(calm)])
    assert (nothing.exit_code, nothing.output) == (0, "")
    relaxed = CliRunner().invoke(main, [*args, "--fail-on", "error", "-"], input=stdin)
    assert relaxed.exit_code == 0 and relaxed.output.count("\n") == 1
