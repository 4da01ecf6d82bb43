"""``hedgecheck explain`` explains findings: for each, its code, severity, message and
sentence, why it fired, the suggestion, and how to suppress it; and the advice on
suppressing is followed to check that it really silences the finding."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import hedgecheck
from hedgecheck.cli import main
from hedgecheck.explain import explain

ROOT = Path(__file__).resolve().parent.parent
KETAMINE = ROOT / "examples" / "ketamine" / "ketamine-article.txt"
HYPE_MD = (
    "# Miracle cure! Breakthrough drug cures cancer\n"
    "\n"
    "A small study in mice shows the drug cures cancer. Experts say everyone should take it."
    ' "It is a miracle," he said.\n'
)
ANIMAL_TXT = (
    "Coffee cures liver disease, study finds\n"
    "\n"
    "The researchers fed 24 mice coffee for a month and found less liver scarring.\n"
    "The study was published in the Journal of Hepatology.\n"
)
_HEADER = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>\w+) (?P<code>\S+) "
)


def _blocks(output: str) -> dict[tuple[int, int, str], str]:
    """Each finding's block of explain's output, keyed by line, column and code."""
    found = {}
    for block in output.split("\n\n"):
        match = _HEADER.match(block)
        if match and "\n  message: " in block:
            key = (int(match["line"]), int(match["column"]), match["code"])
            found[key] = block
    return found


def _scanned(path: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["scan", "--format", "json", *args, str(path)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["files"][0]["findings"]


def _explained(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["explain", *args, str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def article(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    name, text = request.param
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


_ARTICLES = [("hype.md", HYPE_MD), ("animal.txt", ANIMAL_TXT), ("hype.txt", HYPE_MD)]


@pytest.mark.parametrize("article", _ARTICLES, indirect=True, ids=lambda a: a[0])
def test_explain_explains_every_finding_that_scan_reports(article: Path) -> None:
    findings = _scanned(article)
    blocks = _blocks(_explained(article))
    assert findings, "the example must raise findings"
    assert set(blocks) == {(f["line"], f["column"], f["code"]) for f in findings}
    for finding in findings:
        block = blocks[(finding["line"], finding["column"], finding["code"])]
        assert f" {finding['severity']} {finding['code']} {finding['name']} " in block
        assert finding["message"] in block
        assert "\n  why it fired:\n" in block and "\n  to suppress:\n" in block
        assert f"hedgecheck rules {finding['code']}" in block
        assert "\n  sentence: “" in block or "\n  text: “" in block
        if "suggestion" in finding:
            assert f"\n  suggestion: {finding['suggestion']}" in block


def test_findings_come_first_most_severe_first() -> None:
    output = _explained(KETAMINE)
    blocks = list(_blocks(output).values())
    severities = [_HEADER.match(b)["severity"] for b in blocks]  # type: ignore[index]
    order = {"error": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=order.__getitem__)
    assert output.index("\n  message: ") < output.index(" [headline]\n")


def test_an_article_check_names_the_evidence_it_read() -> None:
    """EDT002 on the reference page fires on "Psychedelics produce…" because the page backs
    that topic only with animal work: explain names the sentence that says so."""
    blocks = _blocks(_explained(KETAMINE))
    edt002 = blocks[(24, 5, "EDT002")]
    assert "the check: An animal or cell result is stated as if it held for people." in edt002
    assert "its cues: relation “produce” REL042" in edt002
    assert re.search(r"the evidence it read: “Animal studies” DES\d+ line 31", edt002)
    assert "the article's own study: not peer-reviewed" in edt002


def test_the_study_subjects_are_the_evidence_of_an_animal_headline() -> None:
    report = hedgecheck.check(ANIMAL_TXT, path="a.txt")
    edt002 = next(f for f in report.findings if f.code == "EDT002")
    assert "mice" in [m.text for m in edt002.basis]
    assert "basis" not in edt002.to_dict()  # the JSON report is unchanged


def test_a_cue_finding_names_its_rule_and_match() -> None:
    report = hedgecheck.check(HYPE_MD, path="hype.md", format="markdown")
    output = explain(report, HYPE_MD, hedgecheck.default_rules())
    block = _blocks(output)[(1, 3, "HYP002")]
    assert "rule HYP002 miracle (hype) matched “Miracle cure”" in block
    assert "severity warning, the rule's own" in block
    quoted = next(
        b for k, b in _blocks(output).items() if k[2] == "HYP002" and k != (1, 3, "HYP002")
    )
    assert "in quoted speech" in quoted and "lowered in quoted speech" in quoted


def test_a_config_severity_is_explained_as_the_configs(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text('[severity]\nHYP003 = "error"\n', encoding="utf-8")
    path = tmp_path / "hype.md"
    path.write_text(HYPE_MD, encoding="utf-8")
    block = _blocks(_explained(path))[(1, 17, "HYP003")]
    assert block.startswith(f"{path}:1:17: error HYP003")
    assert "severity error: the rule's warning, set by the config" in block


def test_the_config_is_read_as_scan_reads_it(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text('ignore = ["hype"]\n', encoding="utf-8")
    path = tmp_path / "hype.md"
    path.write_text(HYPE_MD, encoding="utf-8")
    codes = {key[2] for key in _blocks(_explained(path))}
    assert codes and not any(code.startswith("HYP") for code in codes)


def test_the_label_gate_findings_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "hype.md"
    path.write_text(HYPE_MD, encoding="utf-8")
    blocks = _blocks(_explained(path, "--fail-on-label", "preliminary"))
    gate = [b for k, b in blocks.items() if k[2] == "LBL001"]
    assert gate and all("a main claim at or below the label gate: " in b for b in gate)
    assert "a main claim at or below the label gate: headline, labelled" in gate[0]
    assert "lower the label gate" in gate[0]
    assert not any(k[2] == "LBL001" for k in _blocks(_explained(path)))


def _inline_advice(block: str) -> str:
    return next(line for line in block.splitlines() if line.startswith("    here: "))


@pytest.mark.parametrize(
    ("name", "where"),
    [("hype.md", "end"), ("hype.md", "before"), ("hype.txt", "before"), ("hype.txt", "end")],
)
def test_the_inline_suppression_advice_silences_the_finding(
    tmp_path: Path, name: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(HYPE_MD, encoding="utf-8")
    for (line, column, code), block in _blocks(_explained(path)).items():
        advice = _inline_advice(block)
        directive = re.search(
            r"(<!-- hedgecheck: ignore\[\w+\] -->|hedgecheck: ignore\[\w+\])", advice
        )
        assert directive and f"[{code}]" in directive[0]
        assert f"line {line}" in advice
        rows = HYPE_MD.splitlines()
        if where == "end":
            rows[line - 1] += " " + directive[0]
        else:
            assert "alone on a line before its paragraph" in advice
            start = line - 1
            while start > 0 and rows[start - 1].strip():
                start -= 1
            rows.insert(start, directive[0])
        edited = tmp_path / f"edited-{name}"
        edited.write_text("\n".join(rows) + "\n", encoding="utf-8")
        moved = line if where == "end" else line + 1
        left = [f for f in _scanned(edited) if (f["code"], f["line"]) == (code, moved)]
        assert not left, (code, line, column, where)


def test_the_config_suppression_advice_silences_the_finding(tmp_path: Path) -> None:
    path = tmp_path / "hype.md"
    path.write_text(HYPE_MD, encoding="utf-8")
    for (_, _, code), block in _blocks(_explained(path)).items():
        advice = next(line for line in block.splitlines() if "everywhere: " in line)
        ignore = re.search(r'ignore = \["(\w+)"\]', advice)
        off = re.search(r'(\w+) = "off" under \[severity\]', advice)
        assert ignore and off and ignore[1] == off[1] == code
        for config in (f'ignore = ["{code}"]\n', f'[severity]\n{code} = "off"\n'):
            (tmp_path / ".hedgecheck.toml").write_text(config, encoding="utf-8")
            assert code not in {f["code"] for f in _scanned(path)}, config
        (tmp_path / ".hedgecheck.toml").unlink()


def test_an_unused_suppression_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "quiet.md"
    path.write_text("<!-- hedgecheck: ignore[HYP009] -->\nThe weather is nice.\n", encoding="utf-8")
    block = _blocks(_explained(path, "--config", str(_unused_config(tmp_path))))
    hcs = next(b for k, b in block.items() if k[2] == "HCS001")
    assert "silenced no finding" in hcs and "remove the directive" in hcs


def _unused_config(tmp_path: Path) -> Path:
    config = tmp_path / "unused.toml"
    config.write_text("report-unused-suppressions = true\n", encoding="utf-8")
    return config
