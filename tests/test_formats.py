"""Output formats: each one on the ketamine example and on a tiny text made to stress them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck.documents import INPUT_FORMATS, read_document
from hedgecheck.documents.blocks import BLOCK_KINDS
from hedgecheck.formats import FORMATS, render
from hedgecheck.formats._common import end_position
from hedgecheck.formats._html_article import locate_cues
from hedgecheck.formats._safe import html_text, visible
from hedgecheck.loader import load_rules
from hedgecheck.model import (
    CardItem,
    EvidenceTag,
    Finding,
    Label,
    Mention,
    Report,
    Severity,
    Strength,
)
from hedgecheck.ruledoc import document
from hedgecheck.ruleset import RuleSet
from hedgecheck.schema import CATEGORIES, SCOPES
from hedgecheck.text import LineIndex

ROOT = Path(__file__).parent.parent
KETAMINE = ROOT / "examples" / "ketamine"
SOURCES = {
    "ketamine-article.txt": "text",
    "ketamine-article.md": "markdown",
    "ketamine-article.html": "html",
}
SCHEMA = json.loads((ROOT / "schema" / "hedgecheck-report.schema.json").read_text())
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())

# A pack whose one rule matches across a line break, so a finding can span two lines; its
# summary and suggestion carry a table pipe and a line break for the formats to escape.
PACK = """
[pack]
name = "test-formats"

[[rules]]
id = "TST001"
name = "game-changer-across-lines"
category = "hype"
kind = "novelty"
patterns = ['game\\s+changer']
severity = "error"
summary = "Calls it a game | changer."
why = "A test rule."
source = "tests/test_formats.py"
suggestion = "Say what changed.\\nThen give numbers."
examples.match = ["It is a [[game changer]]."]
examples.no_match = ["It is a game."]
"""
# Hype (a warning), quoted hype (info), a hype phrase broken over two lines (the error rule),
# markup-like text to escape, and a suppression that suppresses nothing (HCS001).
TINY = (
    "Coffee may cure cancer, a small study suggests.\n"
    "\n"
    "Doctors say the new pill for chronic back pain is a real game\n"
    "changer for patients, a small study suggests.\n"
    "\n"
    '"It is a miracle," said one patient, though results may vary <b>& differ</b>.\n'
    "\n"
    "hedgecheck: ignore[HYP005]\n"
    "The drug may help some people.\n"
)
TINY_PATH = "docs/a,b:c 100%.txt"


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    pack = tmp_path_factory.mktemp("pack") / "test.toml"
    pack.write_text(PACK, encoding="utf-8")
    return load_rules(pack, include_defaults=True)


@pytest.fixture(scope="module")
def tiny(rules: RuleSet) -> Report:
    policy = hedgecheck.FindingPolicy(report_unused_suppressions=True)
    return hedgecheck.check(TINY, rules=rules, path=TINY_PATH, policy=policy)


def _ketamine(name: str) -> Report:
    source = (KETAMINE / name).read_text(encoding="utf-8")
    return hedgecheck.check(source, path=f"examples/ketamine/{name}", format=SOURCES[name])


@pytest.fixture(scope="module")
def ketamine() -> list[Report]:
    return [_ketamine(name) for name in SOURCES]


def test_tiny_text_has_the_findings_the_tests_rely_on(tiny: Report) -> None:
    found = {(f.code, f.severity, f.quoted, f.line) for f in tiny.findings}
    assert ("HYP001", Severity.WARNING, False, 1) in found
    assert ("HYP002", Severity.INFO, True, 6) in found
    assert ("TST001", Severity.ERROR, False, 3) in found
    assert ("HCS001", Severity.WARNING, False, 8) in found
    (multi,) = [f for f in tiny.findings if f.code == "TST001"]
    assert multi.text == "game\nchanger"


# -- the registry -------------------------------------------------------------------------


def test_every_format_is_registered_and_takes_the_rule_set(
    ketamine: list[Report], tiny: Report, rules: RuleSet
) -> None:
    assert set(FORMATS) == {
        "text",
        "concise",
        "json",
        "jsonl",
        "sarif",
        "github",
        "markdown",
        "html",
    }
    for name in FORMATS:
        out = render(name, [*ketamine, tiny], rules=rules)
        assert out.endswith("\n") and out.strip(), name
        assert render(name, [*ketamine, tiny], rules=None, color=False)


# -- text ---------------------------------------------------------------------------------


def test_text_ranks_findings_by_severity_with_sentence_and_suggestion(tiny: Report) -> None:
    out = render("text", [tiny])
    lines = out.splitlines()
    assert (
        lines[0]
        == f"{TINY_PATH}: preliminary — a small study; main claim hedged (“may”, “suggests”)"
    )
    assert lines[1] == f"  {TINY_PATH}:3:58: error   TST001 Calls it a game | changer."
    # the finding's sentence on one line (the claim broke over two), cut at a word
    assert lines[2].startswith(
        "    “Doctors say the new pill for chronic back pain is a real game changer "
    )
    assert lines[2].endswith(" a small study…”") and "\n" not in lines[2]
    assert lines[3] == "    suggestion: Say what changed. Then give numbers."
    severities = [line.split(": ", 1)[1].split()[0] for line in lines if line.startswith("  docs/")]
    assert severities == ["error", "warning", "warning", "info", "info"]
    # within a severity, in text order
    assert out.index(f"{TINY_PATH}:1:12: warning HYP001") < out.index(f"{TINY_PATH}:8:1: warning")
    # a finding in no claim shows its own text
    assert "    “hedgecheck: ignore”" in lines
    assert lines[-3:-1] == ["  evidence: peer review not stated · study type — · subjects —", ""]
    assert "5 finding(s) (1 error, 2 warning, 2 info)" in lines[-1]
    # no claim-by-claim detail unless verbose
    assert "cues:" not in out and "certainty" not in out and "report card" not in out


def test_text_verbose_adds_the_report_card_and_every_claim(tiny: Report) -> None:
    short = render("text", [tiny])
    out = render("text", [tiny], verbose=True)
    first_screen = short.splitlines()[:-2]  # all but the blank line and the summary
    assert out.splitlines()[: len(first_screen)] == first_screen
    assert "  report card: " in out
    assert f"  {TINY_PATH}:1:1: preliminary (strength " in out
    assert "cues: hedge “may” HDG001 " in out
    for name in FORMATS:  # verbose reaches only the formats that have detail
        if name != "text":
            assert render(name, [tiny], verbose=True) == render(name, [tiny])


@pytest.mark.parametrize(
    ("source", "verdict"),
    [
        (
            "Coffee may cure cancer in mice, a small study suggests.",
            "preliminary — a small study in animals; main claim hedged (“may”, “suggests”)",
        ),
        (
            "Coffee may cure cancer, an animal study suggests.\n\nThe mice ate well.",
            "— an animal study; main claim hedged (“may”, “suggests”)",
        ),
        (
            "Drug X proves it cures migraine, a randomised trial published in The Lancet shows.",
            "supported — a randomised trial, peer-reviewed; main claim stated firmly (“proves”, ",
        ),
        (
            "Pill cures cold, says preprint\n\nThe preprint, not peer-reviewed, tested 12 people.",
            "preliminary — a small study in people, posted as a preprint, not peer-reviewed; "
            "headline stated firmly (“cures”)",
        ),
        ("Tea lowers blood pressure.", "— no study described; main claim stated without hedges"),
        ("", "no claims"),
    ],
)
def test_the_verdict_says_the_label_the_evidence_and_the_wording(source: str, verdict: str) -> None:
    report = hedgecheck.check(source, path="v.txt")
    first = render("text", [report]).splitlines()[0]
    assert first.startswith("v.txt: ")
    assert verdict in first, first


def test_text_gives_the_evidence_tag_after_the_findings(ketamine: list[Report]) -> None:
    report = ketamine[0]
    lines = render("text", [report]).splitlines()
    assert lines[0] == (
        f"{report.path}: preliminary — a small study in people, presented at a conference, not "
        "peer-reviewed; headline hedged (“may”, “suggests”)"
    )
    assert lines[-3] == "  evidence: not peer-reviewed · study type — · subjects people"
    findings = [line for line in lines if line.startswith(f"  {report.path}:")]
    assert len(findings) == len(report.findings)
    assert [f.split()[1] for f in findings[:2]] == ["warning", "warning"]


def test_text_verbose_report_card_marks_inapplicable_criteria_and_no_prose() -> None:
    card = (
        CardItem("costs", "satisfied", "costs are mentioned"),
        CardItem("harms", "not applicable", "nothing to harm"),
        CardItem("novelty", "not satisfied", "novelty is claimed without earlier work"),
    )
    tagged = Report(
        label=None,
        headline=None,
        claims=(),
        path="made-up.txt",
        evidence_tag=EvidenceTag("not stated", None, None),
        report_card=card,
    )
    lines = render("text", [tagged], verbose=True).splitlines()
    assert lines[1] == "  evidence: peer review not stated · study type — · subjects —"
    assert lines[2] == (
        "  report card: 1/2 satisfied, 1 not applicable — costs ✓, harms –, novelty ✗"
    )
    blank = hedgecheck.check("", path="empty.txt")
    assert blank.evidence_tag is None and blank.report_card == ()
    lines = render("text", [blank], verbose=True).splitlines()
    assert lines[:3] == [
        "empty.txt: no claims",
        "  evidence: not assessed (no prose)",
        "  report card: not assessed (no prose)",
    ]


# -- concise --------------------------------------------------------------------------------


def test_concise_is_one_line_per_finding_like_ruff(tiny: Report, ketamine: list[Report]) -> None:
    out = render("concise", [tiny])
    lines = out.splitlines()
    assert len(lines) == len(tiny.findings)
    assert f"{TINY_PATH}:3:58: TST001 [error] Calls it a game | changer." in lines
    assert f"{TINY_PATH}:8:1: HCS001 [warning] " in out
    for line, finding in zip(lines, tiny.findings, strict=True):
        assert line.startswith(f"{TINY_PATH}:{finding.line}:{finding.column}: {finding.code} ")
    # the reference page: golden lines
    assert render("concise", [ketamine[0]]).splitlines()[:3] == [
        'examples/ketamine/ketamine-article.txt:16:144: EDT005 [info] "studies suggest" names '
        "no study or person a reader could check.",
        "examples/ketamine/ketamine-article.txt:24:5: EDT002 [warning] The evidence here is in "
        "animal or cell studies, but this claim does not say so.",
        "examples/ketamine/ketamine-article.txt:26:5: EDT002 [warning] The evidence here is in "
        "animal or cell studies, but this claim does not say so.",
    ]
    # several files, in order; a file without findings prints nothing
    calm = hedgecheck.check("The sky is blue.", path="calm.txt")
    assert calm.findings == ()
    assert render("concise", [calm]) == ""
    both = render("concise", [ketamine[0], calm, tiny])
    assert both == render("concise", [ketamine[0]]) + out
    # the streamed pieces are the whole output
    stream = FORMATS["concise"].stream
    assert stream is not None
    pieces = stream()
    assert pieces.begin() + pieces.add(ketamine[0]) + pieces.add(tiny) + pieces.end() == (
        render("concise", [ketamine[0], tiny])
    )


def test_concise_puts_a_message_with_line_breaks_on_one_line() -> None:
    finding = Finding("X001", "x", Severity.ERROR, "two\nlines", "t", 0, 1, 2, 3)
    report = Report(label=None, headline=None, claims=(), findings=(finding,), path="a\nb.md")
    assert render("concise", [report]) == "a\\nb.md:2:3: X001 [error] two lines\n"


@pytest.mark.parametrize(
    ("study_type", "design", "shown"),
    [
        ("clinical trial", "randomised trial", "clinical trial (randomised trial)"),
        ("observational", "cohort study", "observational (cohort study)"),
        ("clinical trial", "clinical trial", "clinical trial"),
        ("guideline", None, "guideline"),
        (None, None, "not stated"),
    ],
)
def test_the_evidence_tag_shows_the_finer_design_beside_the_study_type(
    study_type: str | None, design: str | None, shown: str
) -> None:
    tag = EvidenceTag("yes", study_type, "people", design=design)
    report = Report(label=None, headline=None, claims=(), path="t.txt", evidence_tag=tag)
    in_text = shown if study_type else "—"
    assert f"study type {in_text} · " in render("text", [report]).splitlines()[1]
    assert f"<dt>Study type</dt><dd>{shown}</dd>" in render("html", [report])
    assert tag.to_dict()["design"] == design


# -- JSON and JSON lines ------------------------------------------------------------------


def _validator(ref: str | None = None) -> jsonschema.Draft202012Validator:
    schema = SCHEMA if ref is None else {"$defs": SCHEMA["$defs"], "$ref": ref}
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_json_output_validates(ketamine: list[Report], tiny: Report) -> None:
    document = json.loads(render("json", [*ketamine, tiny]))
    _validator().validate(document)
    assert len(document["files"]) == 4


def test_schema_is_strict(tiny: Report) -> None:
    document = json.loads(render("json", [tiny]))
    validator = _validator()
    bad = json.loads(json.dumps(document))
    bad["files"][0]["claims"][0]["surprise"] = 1
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(document))
    bad["files"][0]["claims"][0]["label"] = "certain"
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(document))
    bad["files"][0]["findings"][0]["severity"] = "fatal"
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(document))
    del bad["files"][0]["findings"][0]["line"]
    assert not validator.is_valid(bad)


def test_schema_enums_match_the_code() -> None:
    defs = SCHEMA["$defs"]
    claim = defs["claim"]["properties"]
    assert defs["label"]["enum"] == [label.value for label in Label]
    assert claim["strength"]["enum"] == [s.value for s in Strength]
    assert set(claim["block"]["enum"]) == set(BLOCK_KINDS)
    assert defs["report"]["properties"]["input_format"]["enum"] == list(INPUT_FORMATS)
    assert set(defs["finding"]["properties"]["severity"]["enum"]) == {s.value for s in Severity}
    assert set(defs["cue"]["properties"]["scope"]["enum"]) == SCOPES
    assert set(defs["cue"]["properties"]["category"]["enum"]) == set(CATEGORIES)
    evidence = defs["evidence"]["properties"]
    for field, category in (
        ("design", "design"),
        ("subjects", "subject"),
        ("sample", "sample"),
        ("publication", "publication"),
    ):
        assert set(evidence[field]["enum"]) == {*CATEGORIES[category].values, None}


def test_jsonl_is_one_record_per_file_and_each_validates(
    ketamine: list[Report], tiny: Report
) -> None:
    out = render("jsonl", [*ketamine, tiny])
    lines = out.splitlines()
    assert len(lines) == 4 and out.endswith("\n")
    record = _validator("#/$defs/record")
    for line, report in zip(lines, [*ketamine, tiny], strict=True):
        data = json.loads(line)
        record.validate(data)
        assert data["schema_version"] == 1
        assert data["path"] == report.path
        assert len(data["findings"]) == len(report.findings)
        assert ": " not in line.split('"text":', 1)[0]  # compact separators
        without = {k: v for k, v in data.items() if k != "schema_version"}
        assert not record.is_valid(without)


# -- SARIF --------------------------------------------------------------------------------


def _sarif(reports: list[Report], rules: RuleSet | None = None) -> dict:
    log = json.loads(render("sarif", reports, rules=rules))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    return log


def test_sarif_validates_against_the_official_schema(
    ketamine: list[Report], tiny: Report, rules: RuleSet
) -> None:
    log = _sarif([*ketamine, tiny], rules)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "hedgecheck" and driver["version"] == hedgecheck.__version__
    results = run["results"]
    assert len(results) == sum(len(r.findings) for r in [*ketamine, tiny])
    # an invalid log must fail the same validation: the check can fail
    results[0]["level"] = "fatal"
    assert not jsonschema.Draft4Validator(SARIF_SCHEMA).is_valid(log)


def test_sarif_rules_are_those_that_fired_with_their_documentation(
    tiny: Report, rules: RuleSet
) -> None:
    run = _sarif([tiny], rules)["runs"][0]
    described = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in described] == sorted({f.code for f in tiny.findings})
    by_id = {r["id"]: r for r in described}
    cure = rules.get("HYP001")
    assert cure is not None
    assert by_id["HYP001"]["shortDescription"]["text"] == cure.summary
    assert by_id["HYP001"]["fullDescription"]["text"] == cure.why
    assert cure.suggestion and cure.suggestion in by_id["HYP001"]["help"]["text"]
    assert by_id["HYP001"]["properties"]["category"] == "hype"
    assert by_id["HYP001"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["TST001"]["defaultConfiguration"]["level"] == "error"
    # the quoted "miracle" is graded down to info, but its rule's default stays a warning
    assert by_id["HYP002"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["HCS001"]["name"] == "unused-suppression"
    for result in run["results"]:
        assert described[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "HYP001": "warning",
        "HYP002": "note",
        "TST001": "error",
        "HCS001": "warning",
        "EDT005": "note",
    }


def test_sarif_regions_point_at_the_source(tiny: Report, rules: RuleSet) -> None:
    lines = LineIndex(TINY)
    results = _sarif([tiny], rules)["runs"][0]["results"]
    for result, finding in zip(results, tiny.findings, strict=True):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == lines.position(finding.start)
        assert (region["endLine"], region["endColumn"]) == lines.position(finding.end)
        start, length = region["charOffset"], region["charLength"]
        assert (start, start + length) == (finding.start, finding.end)
        assert region["snippet"]["text"] == finding.text
        if finding.code != "HCS001":  # its text names the verb; its span is the directive
            assert TINY[start : start + length] == finding.text
    multi = next(r for r in results if r["ruleId"] == "TST001")
    region = multi["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"], region["endColumn"]) == (3, 4, 8)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_end_positions_match_the_source_for_each_input_format(name: str) -> None:
    source = (KETAMINE / name).read_text(encoding="utf-8")
    report = _ketamine(name)
    assert report.findings
    lines = LineIndex(source)
    for finding in report.findings:
        assert end_position(finding) == lines.position(finding.end)


def test_sarif_artifact_locations(tmp_path: Path) -> None:
    relative = hedgecheck.check("This cures all.", path="notes/a b.txt")
    absolute = hedgecheck.check("This cures all.", path=str(tmp_path / "x.txt"))
    stdin = hedgecheck.check("This cures all.", path="-")
    run = _sarif([relative, absolute, stdin])["runs"][0]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations[0] == {"uri": "notes/a%20b.txt", "uriBaseId": "%SRCROOT%"}
    assert locations[1] == {"uri": (tmp_path / "x.txt").as_uri()}
    assert "uri" not in locations[2]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_without_findings_has_no_rules_and_no_results() -> None:
    run = _sarif([hedgecheck.check("The drug may help.", path="a.txt")])["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert len(run["artifacts"]) == 1  # the file is still described, with its tag and card


def test_sarif_artifacts_carry_the_evidence_tag_and_report_card(
    ketamine: list[Report], tiny: Report, rules: RuleSet
) -> None:
    stdin = hedgecheck.check("The drug may help.", path="-")
    blank = hedgecheck.check("", path="empty.txt")
    reports = [*ketamine, tiny, stdin, blank]
    run = _sarif(reports, rules)["runs"][0]
    artifacts = run["artifacts"]
    assert len(artifacts) == len(reports)
    for artifact, report in zip(artifacts, reports, strict=True):
        properties = artifact["properties"]
        assert properties["evidenceTag"] == report.to_dict()["evidence_tag"]
        assert properties["reportCard"] == report.to_dict()["report_card"]
    assert artifacts[0]["location"] == {"uri": ketamine[0].path, "uriBaseId": "%SRCROOT%"}
    assert "uri" not in artifacts[-2]["location"]  # standard input
    assert artifacts[0]["properties"]["evidenceTag"]["basis"]
    assert [c["criterion"] for c in artifacts[0]["properties"]["reportCard"]] == [
        item.criterion for item in ketamine[0].report_card
    ]
    assert artifacts[-1]["properties"] == {"evidenceTag": None, "reportCard": []}
    # a malformed property bag fails the same validation: the check can fail
    bad = json.loads(render("sarif", reports, rules=rules))
    bad["runs"][0]["artifacts"][0]["properties"]["tags"] = "not a list"
    assert not jsonschema.Draft4Validator(SARIF_SCHEMA).is_valid(bad)


# -- GitHub -------------------------------------------------------------------------------

GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def _annotations(out: str) -> list[tuple[str, dict[str, str], str]]:
    parsed = []
    for line in out.splitlines():
        match = _COMMAND.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        parsed.append(
            (
                match.group(1),
                {k: _unescape(v) for k, v in properties.items()},
                _unescape(match.group(3)),
            )
        )
    return parsed


def test_github_annotations_parse_and_escape(tiny: Report) -> None:
    out = render("github", [tiny])
    annotations = [a for a in _annotations(out) if a[1]["title"] != "hedgecheck evidence tag"]
    assert len(annotations) == len(tiny.findings)
    for (command, properties, message), finding in zip(annotations, tiny.findings, strict=True):
        assert command == GITHUB_COMMANDS[finding.severity.value]
        assert properties["file"] == TINY_PATH
        assert properties["line"] == str(finding.line)
        assert properties["title"] == f"{finding.code} {finding.name}"
        assert message.startswith(finding.message)
        if finding.suggestion:
            assert message.endswith(f"\nSuggestion: {finding.suggestion}")
    # the raw property value has its comma, colon and percent sign escaped
    assert "file=docs/a%2Cb%3Ac 100%25.txt," in out
    (single,) = [p for _, p, _ in annotations if p["title"].startswith("HYP001")]
    assert (single["col"], single["endLine"], single["endColumn"]) == ("12", "1", "16")
    (multi,) = [(p, m) for _, p, m in annotations if p["title"].startswith("TST001")]
    assert multi[0]["endLine"] == "4" and "col" not in multi[0]
    assert "Say what changed.\nThen give numbers." in multi[1]


def test_github_gives_one_evidence_tag_notice_per_file_after_the_findings(
    ketamine: list[Report], tiny: Report
) -> None:
    stdin = hedgecheck.check("The drug may help.", path="-")
    reports = [*ketamine, tiny, stdin]
    out = render("github", reports)
    annotations = _annotations(out)
    findings = sum(len(r.findings) for r in reports)
    assert len(annotations) == findings + len(reports)
    notices = annotations[findings:]  # after every finding, so findings are shown first
    assert all(p["title"] != "hedgecheck evidence tag" for _, p, _ in annotations[:findings])
    for (command, properties, message), report in zip(notices, reports, strict=True):
        assert command == "notice"
        assert properties["title"] == "hedgecheck evidence tag"
        tag = report.evidence_tag
        assert tag is not None
        assert message.startswith(
            f"Evidence tag: peer-reviewed {tag.peer_reviewed} · "
            f"study type {tag.study_type or 'not stated'} · "
            f"subjects {tag.subjects or 'not stated'}. Report card: "
        )
        satisfied = sum(item.status == "satisfied" for item in report.report_card)
        assert f"Report card: {satisfied}/10 satisfied — costs " in message
        assert "\n" not in message
    assert [p.get("file") for _, p, _ in notices] == [*(r.path for r in reports[:-1]), None]
    raw = [line for line in out.splitlines() if "title=hedgecheck evidence tag" in line]
    assert raw[len(ketamine)].startswith("::notice file=docs/a%2Cb%3Ac 100%25.txt,title=")
    assert raw[-1].startswith("::notice title=hedgecheck evidence tag::")


def test_github_escapes_the_evidence_tag_notice() -> None:
    odd = Report(
        label=None,
        headline=None,
        claims=(),
        path="x.txt",
        evidence_tag=EvidenceTag("no", "50%\nstudy", "a,b:c"),
    )
    (line,) = render("github", [odd]).splitlines()
    assert line.endswith(
        "::Evidence tag: peer-reviewed no · study type 50%25%0Astudy · subjects a,b:c. "
        "Report card: not assessed (no prose)"
    )


# -- Markdown -----------------------------------------------------------------------------


def _cells(row: str) -> list[str]:
    assert row.startswith("| ") and row.endswith(" |"), row
    return re.split(r"(?<!\\)\|", row[2:-2])


def _tables(out: str) -> list[list[list[str]]]:
    tables, current = [], []
    for line in [*out.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append([_cells(r) if not r.startswith("|-") else [] for r in current])
            current = []
    return tables


def test_markdown_tables_have_the_right_columns(ketamine: list[Report], tiny: Report) -> None:
    out = render("markdown", [*ketamine, tiny])
    assert out.startswith("### hedgecheck: ")
    tables = [t for t in _tables(out) if t[0][0].strip() != "Criterion"]
    assert len(tables) == 1 + sum(1 for r in [*ketamine, tiny] if r.findings)
    files = tables[0]
    assert [c.strip() for c in files[0]] == [
        "File",
        "Article label",
        "Claims",
        "Errors",
        "Warnings",
        "Info",
    ]
    assert len(files) == 2 + 4
    for table in tables[1:]:
        assert [c.strip() for c in table[0]] == [
            "Severity",
            "Line:Col",
            "Code",
            "Text",
            "Message",
            "Suggestion",
        ]
    for table in tables:
        assert all(len(row) == len(table[0]) for row in table if row), table
    tiny_row = next(r for r in files if r and "a,b:c" in r[0])
    assert [c.strip() for c in tiny_row[3:]] == ["1", "2", "2"]


def test_markdown_escapes_pipes_and_line_breaks(tiny: Report) -> None:
    out = render("markdown", [tiny])
    row = next(line for line in out.splitlines() if "TST001" in line)
    cells = [c.strip() for c in _cells(row)]
    assert cells[1] == "3:58"
    assert cells[3] == "“game<br>changer”"
    assert cells[4] == "Calls it a game \\| changer."
    assert cells[5] == "Say what changed.<br>Then give numbers."


def test_markdown_without_findings_has_a_one_line_header() -> None:
    out = render("markdown", [hedgecheck.check("The drug may help.", path="a.md")])
    assert out.startswith("**hedgecheck**: no findings (1 file(s), 1 claim(s)).\n\n#### a.md\n")
    assert "| File |" not in out and "| Severity |" not in out
    assert "**Evidence tag**: peer-reviewed not stated" in out  # the tag and card still show
    assert len(_tables(out)) == 1


def test_markdown_gives_each_file_its_evidence_tag_and_report_card(
    ketamine: list[Report], tiny: Report
) -> None:
    blank = hedgecheck.check("", path="empty.txt")
    reports = [*ketamine, tiny, blank]
    out = render("markdown", reports)
    cards = [t for t in _tables(out) if t[0][0].strip() == "Criterion"]
    assert len(cards) == len(reports) - 1  # the file without prose has no card
    sections = out.split("\n#### ")[1:]
    assert len(sections) == len(reports)
    for section, report in zip(sections, reports[:-1], strict=False):
        tag = report.evidence_tag
        assert tag is not None
        assert (
            f"**Evidence tag**: peer-reviewed {tag.peer_reviewed} · "
            f"study type {tag.study_type or 'not stated'}" in section
        )
        satisfied = sum(item.status == "satisfied" for item in report.report_card)
        assert f"<details><summary>Report card: {satisfied}/10 satisfied</summary>" in section
        # the card comes before the findings table
        if report.findings:
            assert section.index("| Criterion |") < section.index("| Severity |")
    assert "**Evidence tag**: not assessed (no prose)" in sections[-1]
    assert "**Report card**: not assessed (no prose)" in sections[-1]
    card = cards[0]
    assert [c.strip() for c in card[0]] == ["Criterion", "Status", "Note", "Evidence"]
    rows = [[c.strip() for c in row] for row in card[2:]]
    assert len(rows) == 10
    for row, item in zip(rows, ketamine[0].report_card, strict=True):
        assert row[0] == item.criterion.replace("_", " ")
        assert row[1] in ("✓ satisfied", "✗ not satisfied")
        assert row[1].endswith(item.status) and row[2] == item.note
        for mention in list(dict.fromkeys(m.text for m in item.evidence))[:3]:
            assert f"“{mention}”" in row[3]
    evidence = next(r for r in rows if r[0] == "evidence")
    distinct = len({m.text for m in ketamine[0].report_card[3].evidence})
    assert distinct > 3 and evidence[3].endswith(f"(+{distinct - 3} more)")


def test_markdown_report_card_escapes_its_cells() -> None:
    mention = Mention("X001", "a | b *c*", 0, 9, 1, 1)
    odd = Report(
        label=None,
        headline=None,
        claims=(),
        path="x.md",
        evidence_tag=EvidenceTag("yes", "trial", "people", (mention,)),
        report_card=(CardItem("costs", "satisfied", "costs | are\nmentioned", (mention,)),),
    )
    out = render("markdown", [odd])
    assert "(from “a \\| b \\*c\\*”)" in out
    (card,) = _tables(out)
    row = [c.strip() for c in card[2]]
    assert row == ["costs", "✓ satisfied", "costs \\| are<br>mentioned", "“a \\| b \\*c\\*”"]


# -- HTML ---------------------------------------------------------------------------------

_VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "source", "area", "base", "col"}


class _Strict(HTMLParser):
    """Records the tree enough to check it: every element closed, in order; ids unique."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.seen: list[str] = []
        self.doctype = ""
        self.claims: list[str] = []
        self.cues: list[dict[str, str | None]] = []
        self._claim_depth: int | None = None
        self._text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        classes = (found.get("class") or "").split()
        if "cue" in classes:
            self.cues.append(found)
        if tag in _VOID:
            return
        self.stack.append(tag)
        if "claim" in classes:
            self._claim_depth, self._text = len(self.stack), []

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        if self._claim_depth == len(self.stack):
            self.claims.append("".join(self._text))
            self._claim_depth = None
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._claim_depth is not None:
            self._text.append(data)


def _parse(page: str) -> _Strict:
    parser = _Strict()
    parser.feed(page)
    parser.close()
    assert parser.doctype.lower() == "doctype html"
    assert not parser.errors, parser.errors[:5]
    assert parser.stack == [], parser.stack
    assert len(parser.ids) == len(set(parser.ids))
    assert parser.seen[:3] == ["html", "head", "meta"]
    return parser


def test_html_is_well_formed_and_shows_every_claim(ketamine: list[Report], tiny: Report) -> None:
    reports = [*ketamine, tiny]
    parser = _parse(render("html", reports))
    assert parser.claims == [claim.text for report in reports for claim in report.claims]
    assert parser.seen.count("script") == 2  # the data block and the page script, nothing else
    assert parser.seen.count("b") == 0  # the tiny text's <b> is text, not markup
    assert "link" not in parser.seen and "img" not in parser.seen


class _Cards(HTMLParser):
    """The report-card tables (their rows' cell texts) and evidence-tag boxes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[list[list[str]]] = []
        self.tags: list[str] = []
        self._in_card = False
        self._in_tag = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and "report-card" in classes:
            self._in_card = True
            self.cards.append([])
        elif self._in_card and tag == "tr":
            self.cards[-1].append([])
        elif self._in_card and tag in ("td", "th"):
            self._cell = []
        if "evidence-tag" in classes:
            self._in_tag = 1
            self.tags.append("")
        elif self._in_tag and tag == "div":
            self._in_tag += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_card = False
        elif self._in_card and tag in ("td", "th") and self._cell is not None:
            self.cards[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif self._in_tag and tag == "div":
            self._in_tag -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_tag:
            self.tags[-1] += data


def test_html_shows_the_evidence_tag_and_report_card_near_the_label(
    ketamine: list[Report], tiny: Report
) -> None:
    blank = hedgecheck.check("", path="empty.txt")
    reports = [*ketamine, tiny, blank]
    page = render("html", reports)
    _parse(page)
    for section in page.split('<section class="file">')[1:]:
        label = section.index('class="article-label"')
        assert label < section.index('class="evidence-tag"') < section.index('class="legend"')
    found = _Cards()
    found.feed(page)
    assert len(found.tags) == len(reports) and len(found.cards) == len(reports) - 1
    for text, report in zip(found.tags, reports[:-1], strict=False):
        tag = report.evidence_tag
        assert tag is not None
        assert f"Peer-reviewed{tag.peer_reviewed}" in text
        assert f"Study type{tag.study_type or 'not stated'}" in text
        for mention in tag.basis:
            assert f"“{mention.text}” ({mention.line}:{mention.column})" in text
    assert found.tags[-1] == "Evidence tag: not assessed (no prose)"
    assert "Report card: not assessed (no prose)." in page
    card = found.cards[0]
    assert card[0] == ["Criterion", "Status", "Note", "Evidence"]
    assert len(card) == 11
    for row, item in zip(card[1:], ketamine[0].report_card, strict=True):
        assert row[0] == item.criterion.replace("_", " ")
        assert row[1].endswith(item.status) and row[2] == item.note
        for mention in item.evidence:
            assert f"“{mention.text}” {mention.line}:{mention.column} {mention.rule}" in row[3]
    satisfied = sum(item.status == "satisfied" for item in ketamine[0].report_card)
    # folded: the card is one line until opened, so the article starts near the top
    assert f'<details class="card"><summary>Report card: {satisfied}/10 satisfied</summary>' in page


def test_html_escapes_the_evidence_tag_and_report_card() -> None:
    mention = Mention("X001", "<script>alert(1)</script>", 0, 25, 1, 1)
    odd = Report(
        label=None,
        headline=None,
        claims=(),
        path="x.html",
        evidence_tag=EvidenceTag("no", "<i>trial</i>", "a & b", (mention,)),
        report_card=(CardItem("costs", "not satisfied", "<b>none</b>", (mention,)),),
    )
    page = render("html", [odd])
    parser = _parse(page)
    assert parser.seen.count("script") == 2 and "i" not in parser.seen and "b" not in parser.seen
    assert "&lt;i&gt;trial&lt;/i&gt;" in page and "a &amp; b" in page
    assert page.count("“&lt;script&gt;alert(1)&lt;/script&gt;”") == 2


def test_html_escapes_report_text(tiny: Report) -> None:
    page = render("html", [tiny])
    assert "&lt;b&gt;&amp; differ&lt;/b&gt;" in page
    assert "a,b:c 100%.txt" in page
    data = page.split('id="hc-rules">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data
    docs = json.loads(data)
    assert docs["HDG001"]["why"] and docs["HDG001"]["name"] == "modal-may"


def test_html_cues_carry_their_rule_weight_and_scope(tiny: Report) -> None:
    parser = _parse(render("html", [tiny]))
    # each place is underlined once, however many claims share its cue
    cues = {(c.rule, c.start, c.end) for claim in tiny.claims for c in claim.cues}
    assert len(parser.cues) >= len(cues)
    first = tiny.claims[0].cues[0]
    assert {"data-rule": first.rule, "data-weight": f"{first.weight:+.2f}"}.items() <= {
        k: v for k, v in parser.cues[0].items() if k in ("data-rule", "data-weight")
    }.items()
    assert all(c.get("data-scope") in ("sentence", "study-level") for c in parser.cues)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_html_underlines_every_sentence_cue_at_its_text(name: str) -> None:
    report = _ketamine(name)
    placed_total = 0
    for claim in report.claims:
        placed, unplaced = locate_cues(claim)
        for item in placed:
            assert claim.text[item.start : item.end].lower() == item.cue.text.lower()
        # a cue inside its claim must be placed; only those outside it are listed apart
        for cue in unplaced:
            assert not (claim.start <= cue.start and cue.end <= claim.end), (cue, claim.text)
        placed_total += len(placed)
    assert placed_total >= 40


class _ArticleText(HTMLParser):
    """The text of a page's articles, without the finding notes set in them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._depth = 0  # open elements inside the article (0: outside)
        self._note = 0  # open elements inside a note (0: outside)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._note:
            self._note += 1
        elif self._depth and "finding" in classes:
            self._note = 1
            self.text.append(" ")  # a note is a block: it stands for the space it ends
        if self._depth:
            self._depth += 1
        elif "article" in classes:
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        self._note = max(self._note - 1, 0)
        self._depth = max(self._depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self._depth and not self._note:
            self.text.append(data)


def _page_text(page: str) -> str:
    """The words of a page's articles, with every run of white space as one space."""
    parser = _ArticleText()
    parser.feed(page)
    return " ".join("".join(parser.text).split())


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_html_shows_the_whole_article_without_its_markup(name: str) -> None:
    report = _ketamine(name)
    page = render("html", [report])
    shown = _page_text(page)
    prose = read_document(report.source or "", format=SOURCES[name]).text
    for paragraph in re.split(r"\n\s*\n", prose):
        words = " ".join(paragraph.split())
        if words:
            assert words in shown, words
    # the markup of the Markdown and HTML files is read, not shown
    assert "<p>" not in shown and "](" not in shown and "**" not in shown


@pytest.mark.parametrize(
    "text",
    [
        "Miracle cure! Breakthrough drug proves it cures cancer. Experts say everyone should "
        "take it.",
        "This superfood is a game changer that wipes out belly fat, experts agree.",
        "A revolutionary pill definitely reverses ageing.\n\nIt is a breakthrough for everyone.",
    ],
)
def test_html_tints_each_claim_by_its_label_not_its_certainty(text: str) -> None:
    report = hedgecheck.check(text, path="hype.txt")
    page = render("html", [report])
    parser = _parse(page)
    tints = re.findall(r'<span class="claim label-(\w+)" data-label="(\w+)"', page)
    assert tints == [(c.label.value, c.label.value) for c in report.claims]
    assert parser.claims == [c.text for c in report.claims]
    # hype with no evidence behind it is speculative however firmly it is put
    hyped = [c for c in report.claims if any(q.category == "hype" for q in c.cues)]
    assert hyped and all(c.label is Label.SPECULATIVE for c in hyped)
    assert max(c.certainty for c in hyped) >= 0.5


def test_html_shows_each_finding_after_its_sentence_linked_from_the_summary(
    ketamine: list[Report], tiny: Report
) -> None:
    for report in [*ketamine, tiny]:
        page = render("html", [report])
        assert report.findings
        for index, finding in enumerate(report.findings, 1):
            anchor = f"f1-finding-{index}"
            assert f'<li id="{anchor}-index" value="{index}"><a href="#{anchor}">' in page
            note = re.search(rf'<span class="finding [^"]*" id="{anchor}" role="note">', page)
            assert note, anchor
            assert page.count(f'id="{anchor}"') == 1
            assert f'<a class="back" href="#{anchor}-index"' in page[note.end() :][:200]
            # the note follows its sentence: the flagged words come just before it
            before = " ".join(unescape(re.sub(r"<[^>]+>", " ", page[: note.start()])).split())
            flagged = " ".join(finding.text.split())
            assert flagged in before[-600:], (finding.code, flagged)
            assert html_text(finding.message) in page[note.end() :][:2000]
            if finding.suggestion:
                after = page[note.end() :][:3000]
                assert f"Suggestion: {html_text(finding.suggestion)}" in after
        # the summary lists them most severe first
        listed = [int(n) for n in re.findall(r'<li id="f1-finding-(\d+)-index"', page)]
        ranks = [report.findings[n - 1].severity.rank for n in listed]
        assert sorted(listed) == list(range(1, len(report.findings) + 1))
        assert ranks == sorted(ranks, reverse=True)
        summary = page.index('class="summary"')
        assert summary < page.index('class="finding-index"') < page.index('class="article"')


def test_html_falls_back_to_the_claims_without_the_source(tiny: Report) -> None:
    bare = replace(tiny, source=None)
    parser = _parse(render("html", [bare]))
    assert parser.claims == [c.text for c in tiny.claims]
    assert "only its claims are shown" in render("html", [bare])
    assert "source" not in tiny.to_dict()  # the JSON report is unchanged


def test_html_shows_each_part_of_a_big_file_with_its_own_text() -> None:
    paragraph = "Coffee may cut the risk of stroke, a small study suggests. It was a trial.\n\n"
    text = "".join(f"Story {i}. " + paragraph for i in range(40))
    reports = list(hedgecheck.check_parts(text, size=400, path="big.txt"))
    assert len(reports) > 3
    page = render("html", reports)
    parser = _parse(page)
    assert parser.claims == [c.text for r in reports for c in r.claims]
    shown = _page_text(page)
    for i in range(40):
        assert f"Story {i}. Coffee may cut" in shown
    assert len(re.findall(r"Story 7\.", shown)) == 1


_PIECES = st.sampled_from(
    [
        "may",
        "cure",
        "in mice",
        "a small study",
        "suggests",
        "the drug",
        "reduces pain",
        "miracle",
        "Experts say",
        "not peer-reviewed",
        "&amp;",
        "<em>clearly</em>",
        "**boldly**",
        "x\u202ey",
        "bell\x07",
        "\n",
    ]
)
_ARTICLES = st.lists(st.lists(_PIECES, min_size=1, max_size=10).map(" ".join), max_size=6)


@settings(max_examples=60, deadline=None)
# Text formats only: a Word document is built from bytes (its pages: tests/test_docx.py).
@given(st.sampled_from([f for f in INPUT_FORMATS if f != "docx"]), _ARTICLES)
def test_html_page_shows_any_article_with_each_claim_and_finding_once(
    input_format: str, paragraphs: list[str]
) -> None:
    if input_format == "html":
        text = "".join(f"<p>{p}.</p>\n" for p in paragraphs)
    else:
        text = "\n\n".join(f"{p}." for p in paragraphs)
    report = hedgecheck.check(text, format=input_format, path="any")
    page = render("html", [report])
    parser = _parse(page)
    assert parser.claims == [visible(c.text, layout=True) for c in report.claims]
    for number in range(1, len(report.findings) + 1):
        assert page.count(f'id="f1-finding-{number}"') == 1
        assert page.count(f'href="#f1-finding-{number}"') == 1


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


# Run inside the report (framed at the width under test): where its parts are, sent to the
# frame's parent, which writes it into its own DOM for --dump-dom.
_LAYOUT_PROBE = """
window.addEventListener("load", function () {
  function box(e) {
    if (!e) { return null; }
    var r = e.getBoundingClientRect();
    return [r.left, r.top + window.scrollY, r.right, r.bottom + window.scrollY];
  }
  var root = document.documentElement, width = root.clientWidth;
  var wide = Array.prototype.filter.call(document.querySelectorAll("body *"), function (e) {
    var r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5) && !e.closest(".scroll");
  }).map(function (e) { return e.tagName + "." + e.className; });
  var files = Array.prototype.map.call(document.querySelectorAll("section.file"), function (s) {
    var article = s.querySelector(".article");
    var links = s.querySelectorAll(".finding-index a");
    return {
      summary: box(s.querySelector(".summary")), article: box(article),
      verdict: s.querySelector(".verdict").textContent,
      legend: box(s.querySelector(".legend")), tag: box(s.querySelector(".evidence-tag")),
      card: box(s.querySelector("details.card summary")),
      headline: (article.querySelector(".headline") || {}).textContent || null,
      findings: Array.prototype.map.call(links, function (a) {
        var note = document.getElementById(a.getAttribute("href").slice(1));
        var prev = note.previousElementSibling;
        return {
          index: box(a), note: box(note), inArticle: article.contains(note),
          text: note.textContent, back: note.querySelector("a.back").getAttribute("href"),
          target: a.parentElement.id,
          previous: prev ? box(prev) : null, previousText: prev ? prev.textContent : null
        };
      })
    };
  });
  parent.postMessage(JSON.stringify({
    width: width, scrollWidth: root.scrollWidth, wide: wide,
    title: document.querySelector("h1").textContent, files: files
  }), "*");
});
"""


def _chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [
        str(_browser()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *arguments,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _layout(tmp_path: Path, page: Path, width: int) -> dict:
    """The report's layout at ``width`` CSS pixels: framed at that width (a headless
    window is at least 500 px wide), measured in the frame."""
    probed = page.with_name(f"probed-{width}.html")
    probe = f"<script>{_LAYOUT_PROBE}</script></body>"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", probe), "utf-8")
    frame = page.with_name(f"frame-{width}.html")
    frame.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe src="{probed.name}" style="width:{width}px;height:60000px;border:0"></iframe>'
        "<script>addEventListener('message', function (e) {"
        " document.body.setAttribute('data-layout', e.data); });</script></body></html>",
        encoding="utf-8",
    )
    done = _chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", frame.as_uri())
    found = re.search(r'data-layout="([^"]*)"', done.stdout)
    assert found, done.stdout[:500]
    return json.loads(unescape(found.group(1)))


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.slow
@pytest.mark.skipif(_browser() is None, reason="no chromium on PATH or at /usr/bin/chromium")
def test_html_page_runs_in_a_headless_browser(tmp_path: Path, ketamine: list[Report]) -> None:
    page = tmp_path / "report.html"
    page.write_text(render("html", [ketamine[0]]), encoding="utf-8")
    done = _chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = done.stdout
    assert re.search(r'<body[^>]*data-ready="1"', dom), dom[:500]
    text = unescape(re.sub(r"<[^>]+>", "", dom))
    for claim in ketamine[0].claims:
        assert claim.text in text
    assert 'class="report-card"' in dom and "Report card: " in text and "Evidence tag" in text


def _no_overlap(a: list[float], b: list[float]) -> bool:
    return a[3] <= b[1] or b[3] <= a[1] or a[2] <= b[0] or b[2] <= a[0]


@pytest.mark.slow
@pytest.mark.skipif(_browser() is None, reason="no chromium on PATH or at /usr/bin/chromium")
@pytest.mark.parametrize("width", [1280, 400])
def test_html_layout_in_a_headless_browser(
    tmp_path: Path, ketamine: list[Report], tiny: Report, width: int
) -> None:
    reports = [*ketamine, tiny]
    page = tmp_path / "report.html"
    page.write_text(render("html", reports), encoding="utf-8")
    layout = _layout(tmp_path, page, width)
    assert layout["title"] == "hedgecheck report"
    # readable at this width: nothing runs off the side (wide tables scroll in their box)
    assert layout["width"] == width and layout["scrollWidth"] <= width, layout["wide"]
    assert layout["wide"] == []
    assert len(layout["files"]) == len(reports)
    for shown, report in zip(layout["files"], reports, strict=True):
        summary, article = shown["summary"], shown["article"]
        # the summary comes first and never covers the article
        assert summary[3] <= article[1] and _no_overlap(summary, article)
        assert report.label and f"Article: {report.label.value}" in " ".join(
            shown["verdict"].split()
        )
        for part in ("legend", "tag", "card"):
            box = shown[part]
            assert box and box[2] > box[0] and box[3] > box[1], part
            assert summary[1] <= box[1] and box[3] <= summary[3], part
        if report.headline:
            assert shown["headline"] and report.headline in " ".join(shown["headline"].split())
        assert len(shown["findings"]) == len(report.findings)
        for place in shown["findings"]:
            finding = report.findings[int(place["target"].split("-")[2]) - 1]
            note = place["note"]
            assert place["inArticle"] and place["back"] == "#" + place["target"]
            assert article[1] <= note[1] and note[3] <= article[3]
            assert finding.message in place["text"] and finding.code in place["text"]
            previous = place["previous"]
            if previous is not None and finding.text in " ".join(
                (place["previousText"] or "").split()
            ):
                # right under its sentence: the note starts within a line of its end
                assert 0 <= note[1] - previous[3] + 2 <= 40, (finding.code, previous, note)
    shot = tmp_path / f"report-{width}.png"
    _chromium(tmp_path, f"--window-size={width},2000", f"--screenshot={shot}", page.as_uri())
    assert _png_size(shot) == (width, 2000)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_streamed_json_and_jsonl_are_the_batch_output_byte_for_byte(count: int) -> None:
    reports = [
        hedgecheck.check(f"Study {i} suggests the drug may help.", path=f"{i}.txt")
        for i in range(count)
    ]
    document = {"schema_version": 1, "files": [r.to_dict() for r in reports]}
    assert render("json", reports) == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    for name in ("json", "jsonl"):
        stream = FORMATS[name].stream
        assert stream is not None
        writer = stream()
        pieces = [writer.begin(), *(writer.add(r) for r in reports), writer.end()]
        assert "".join(pieces) == render(name, reports)


def test_article_checks_are_documented_from_their_pack_entry() -> None:
    rules = hedgecheck.default_rules()
    doc = document("EDT001", rules)
    check = next(c for c in rules.checks if c.id == "EDT001")
    assert (doc.name, doc.why, doc.source) == (check.name, check.why, check.source)
    assert doc.severity.value == check.severity


def _claim_holding(report, finding) -> str:
    """The plain definition the text format's quoted sentence must follow."""
    return next((c.text for c in report.claims if c.start <= finding.start < c.end), finding.text)


def test_the_text_format_quotes_the_claim_each_finding_lies_in():
    from hedgecheck import check
    from hedgecheck.formats.text_format import _sentence_finder

    text = (
        "Coffee cures cancer, studies suggest. It may help. Experts say it is a breakthrough. "
        "In mice, the drug reversed ageing. Scientists say it will save lives.\n"
    ) * 3
    report = check(text)
    assert len(report.findings) >= 3 and len(report.claims) >= 6
    for claims in (report.claims, report.claims[::-1]):  # in order, and not (the plain search)
        shuffled = replace(report, claims=claims)
        sentence_of = _sentence_finder(shuffled)
        for finding in shuffled.findings:
            assert sentence_of(finding) == _claim_holding(shuffled, finding)
    outside = replace(report.findings[0], start=len(text) + 5, end=len(text) + 9)
    assert _sentence_finder(report)(outside) == outside.text
