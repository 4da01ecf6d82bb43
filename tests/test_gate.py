"""The pre-publish gate: exit codes, config files, suppressions, discovery, parallel runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from hedgecheck.cli import main
from hedgecheck.cli.output import wants_color

# One hype cue (HYP002) and no claim: "is a miracle cure for pain" would be HYP001, whose
# predicate noun states a causal relation.
HYPE = "The pill is a miracle drug for pain.\n"
KETAMINE = Path(__file__).parent.parent / "examples" / "ketamine" / "ketamine-article.txt"


def _scan(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def _findings(output: str) -> list[dict]:
    return [f for file in json.loads(output)["files"] for f in file["findings"]]


@pytest.fixture
def hype(tmp_path: Path) -> Path:
    path = tmp_path / "hype.txt"
    path.write_text(HYPE, encoding="utf-8")
    return path


def test_fail_on_decides_the_exit_code_never_the_count(hype: Path) -> None:
    assert _scan(str(hype))[0] == 1  # hype is a warning; the default gate is warning
    assert _scan("--fail-on", "error", str(hype))[0] == 0
    assert _scan("--fail-on", "warning", str(hype))[0] == 1
    assert _scan("--fail-on", "info", str(hype))[0] == 1
    assert _scan("--fail-on", "never", str(hype))[0] == 0


def test_fail_on_label(tmp_path: Path) -> None:
    assert _scan("--fail-on-label", "preliminary", str(KETAMINE))[0] == 1
    assert _scan("--fail-on", "error", "--fail-on-label", "speculative", str(KETAMINE))[0] == 0
    # the label gate was asked for by name: it fails whatever --fail-on says
    assert _scan("--fail-on", "never", "--fail-on-label", "preliminary", str(KETAMINE))[0] == 1


def test_config_is_found_walking_up_and_overrides_severity(tmp_path: Path, hype: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text('[severity]\nHYP002 = "error"\n')
    nested = tmp_path / "drafts" / "2026"
    nested.mkdir(parents=True)
    shutil.copy(hype, nested / "story.txt")
    code, out, _ = _scan("--format", "json", str(nested / "story.txt"))
    assert code == 1
    assert {f["code"]: f["severity"] for f in _findings(out)}["HYP002"] == "error"


def test_pyproject_tool_table_and_cli_flags_win(tmp_path: Path, hype: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hedgecheck]\nfail-on = "error"\n')
    assert _scan(str(hype))[0] == 0
    assert _scan("--fail-on", "warning", str(hype))[0] == 1


def test_unknown_config_key_is_exit_2_naming_file_and_key(tmp_path: Path, hype: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hedgecheck]\nfail_on = "warning"\n')
    code, _, err = _scan(str(hype))
    assert code == 2
    assert "pyproject.toml" in err and "tool.hedgecheck.fail_on" in err


def test_bad_config_values_are_named(tmp_path: Path, hype: Path) -> None:
    config = tmp_path / "custom.toml"
    for body, key in [
        ('fail-on = "sometimes"', "fail-on"),
        ("select = 3", "select"),
        ('[severity]\nHYP = "loud"', "severity.HYP"),
        ('[[overrides]]\nfiles = ["*.md"]\ncolour = "red"', "overrides[0].colour"),
        ("select = [", ""),
    ]:
        config.write_text(body)
        code, _, err = _scan("--config", str(config), str(hype))
        assert code == 2, body
        assert "custom.toml" in err and key in err, err


def test_select_ignore_and_per_glob_overrides(tmp_path: Path) -> None:
    (tmp_path / "news.txt").write_text(HYPE)
    (tmp_path / "quotes.txt").write_text(HYPE)
    (tmp_path / ".hedgecheck.toml").write_text(
        'ignore = ["HYP001"]\n[[overrides]]\nfiles = ["quotes.*"]\nignore = ["hype"]\n'
    )
    code, out, _ = _scan("--format", "json", str(tmp_path))
    assert code == 1  # news.txt keeps its HYP002 warning
    by_file = {
        Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in json.loads(out)["files"]
    }
    assert by_file == {"news.txt": ["HYP002"], "quotes.txt": []}
    _, out, _ = _scan("--format", "json", "--select", "HYP001", str(tmp_path / "news.txt"))
    assert [f["code"] for f in _findings(out)] == []  # the config still ignores HYP001
    _, out, _ = _scan(
        "--format",
        "json",
        "--select",
        "miracle",
        "--config",
        os.devnull,
        str(tmp_path / "news.txt"),
    )
    assert [f["code"] for f in _findings(out)] == ["HYP002"]


@pytest.mark.slow
def test_config_rules_are_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "house.toml").write_text(
        '[pack]\nname = "house"\n[[rules]]\nid = "HSE001"\nname = "very"\ncategory = "hype"\n'
        'kind = "superlative"\npatterns = ["very good"]\nseverity = "error"\nsummary = "s"\n'
        'why = "w"\nsource = "house style"\nexamples.match = ["It is [[very good]]."]\n'
        'examples.no_match = ["It is good."]\n'
    )
    (tmp_path / ".hedgecheck.toml").write_text('rules = ["packs/house.toml"]\n')
    (tmp_path / "a.txt").write_text("The trial was very good, a study shows.\n")
    code, out, _ = _scan("--format", "json", str(tmp_path / "a.txt"))
    assert code == 1
    assert [f["code"] for f in _findings(out)] == ["HSE001"]


@pytest.mark.parametrize(
    ("text", "fmt", "left"),
    [
        ("A miracle cure. # hedgecheck: ignore[HYP002]\nA miracle cure.\n", "txt", [2]),
        ("hedgecheck: ignore\nA miracle cure.\n\nA miracle cure.\n", "txt", [4]),
        (
            "<!-- hedgecheck: disable[hype] -->\n\nA miracle cure.\n\nA cure.\n\n"
            "<!-- hedgecheck: enable[hype] -->\n\nA cure.\n",
            "md",
            [9],
        ),
        (
            "<p>A miracle cure.<!-- hedgecheck: ignore[miracle] --></p>\n<p>A cure.</p>\n",
            "html",
            [2],
        ),
    ],
)
def test_inline_suppressions(tmp_path: Path, text: str, fmt: str, left: list[int]) -> None:
    path = tmp_path / f"doc.{fmt}"
    path.write_text(text)
    _, out, _ = _scan("--format", "json", str(path))
    assert [f["line"] for f in _findings(out)] == left


def test_unused_suppressions_are_reported_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The drug may help. hedgecheck: ignore[HYP001]\n")
    _, out, _ = _scan("--format", "json", str(path))
    assert _findings(out) == []
    _, out, _ = _scan("--format", "json", "--report-unused-suppressions", str(path))
    (finding,) = _findings(out)
    assert finding["code"] == "HCS001" and finding["line"] == 1 and finding["column"] == 20


def test_discovery_order_extensions_globs_and_gitignore(tmp_path: Path) -> None:
    for name in [
        "b.md",
        "a.txt",
        "sub/c.html",
        "sub/d.htm",
        "skip.py",
        "drafts/x.txt",
        "build/y.txt",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("The drug may help.\n")
    (tmp_path / ".gitignore").write_text("build/\n# comment\n")
    _, out, _ = _scan("--format", "json", "--exclude", "drafts", str(tmp_path))
    names = [Path(f["path"]).relative_to(tmp_path).as_posix() for f in json.loads(out)["files"]]
    assert names == ["a.txt", "b.md", "sub/c.html", "sub/d.htm"]
    _, out, _ = _scan("--format", "json", "--include", "*.py", str(tmp_path))
    assert [Path(f["path"]).name for f in json.loads(out)["files"]] == ["skip.py"]


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["json", "jsonl", "text", "github"])
def test_jobs_give_identical_output(tmp_path: Path, output_format: str) -> None:
    for i in range(6):
        shutil.copy(KETAMINE, tmp_path / f"k{i}.txt")
    (tmp_path / "hype.txt").write_text(HYPE)
    one = _scan("--format", output_format, str(tmp_path))
    two = _scan("--format", output_format, "--jobs", "2", str(tmp_path))
    assert one[0] == two[0] == 1  # the hype file's warning fails the default gate
    assert one[1] == two[1]
    one = _scan("--format", output_format, "--fail-on", "error", str(tmp_path))
    two = _scan("--format", output_format, "--fail-on", "error", "--jobs", "2", str(tmp_path))
    assert one[0] == two[0] == 0
    # The gate reads the same from records made in workers as from whole reports.
    for gate in (["--fail-on", "info"], ["--fail-on-label", "preliminary"]):
        one = _scan("--format", output_format, *gate, "-v", str(tmp_path))
        two = _scan("--format", output_format, "--jobs", "2", *gate, "-v", str(tmp_path))
        assert one[0] == two[0] == 1
        assert one[1:] == two[1:]


def test_quiet_verbose_and_no_progress_when_not_a_terminal(tmp_path: Path, hype: Path) -> None:
    shutil.copy(hype, tmp_path / "again.txt")
    assert _scan(str(tmp_path))[2] == ""
    _, _, err = _scan("--verbose", str(tmp_path))
    assert "config: none" in err or "config:" in err
    assert "checked" in err and "again.txt" in err
    assert _scan("--quiet", "--verbose", str(tmp_path))[2] == ""


def test_output_file_is_written_whole(tmp_path: Path, hype: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = _scan("--format", "json", "--output", str(target), str(hype))
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["files"][0]["findings"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_colour_follows_flag_terminal_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_color(None, None) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert wants_color(None, None) is False
    assert wants_color(True, None) is True
    assert wants_color(None, "out.txt") is False
    _, out, _ = _scan("--color", str(KETAMINE))
    assert "\x1b[" in out


def test_rules_list_shows_severity_and_rules_test_reports(tmp_path: Path) -> None:
    listing = CliRunner().invoke(main, ["rules"])
    assert listing.exit_code == 0
    line = next(x for x in listing.output.splitlines() if x.startswith("HYP002"))
    assert "hype" in line and "warning" in line
    shown = CliRunner().invoke(main, ["rules", "HYP002"])
    assert shown.exit_code == 0 and "## Why" in shown.output
    check = next(x for x in listing.output.splitlines() if x.startswith("EDT001"))
    assert "check" in check and "warning" in check and "headline-stronger-than-body" in check
    documented = CliRunner().invoke(main, ["rules", "edt001"])
    assert documented.exit_code == 0 and "## Message" in documented.output
    assert CliRunner().invoke(main, ["rules", "NOPE999"]).exit_code == 2
    tested = CliRunner().invoke(main, ["rules", "test"])
    assert tested.exit_code == 0 and " 0 missed" in tested.output


def test_explain_shows_scopes_and_the_score_trail() -> None:
    result = CliRunner().invoke(main, ["explain", str(KETAMINE)])
    assert result.exit_code == 0
    assert "HDG001 modal-may (hedge) “may”" in result.output
    assert "scope “may treat depression" in result.output
    assert "study-level" in result.output and "→ preliminary" in result.output


def test_the_installed_entry_point_runs(tmp_path: Path, hype: Path) -> None:
    exe = shutil.which("hedgecheck", path=str(Path(sys.executable).parent)) or shutil.which(
        "hedgecheck"
    )
    assert exe, "the hedgecheck console script is not installed"
    done = subprocess.run(
        [exe, "scan", "--fail-on", "warning", "--format", "json", str(hype)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert _findings(done.stdout)[0]["code"] == "HYP002"


# -- the default gate: warnings fail, so an overclaim is blocked out of the box -------------

OVERCLAIMS = [
    # hype (HYP001-HYP003), a firm claim on a preprint (EDT004), advice (EDT007)
    "Miracle cure! Breakthrough drug proves it cures cancer in mice, a single tiny preprint "
    "shows. Experts say everyone should take it.",
    # a headline that drops "in mice" (EDT002) and states a settled result (EDT004)
    "Scientists prove coffee prevents dementia.\n\nA study of mice found that caffeine was "
    "linked to better memory.",
    # hype verb on a preprint
    "Green tea wipes out cancer cells, a preprint shows.",
    # hype without a claim
    "This revolutionary pill is a game-changer for arthritis, a study found.",
    # causal wording on an observational study (EDT003)
    "Coffee drinkers live longer. The observational study followed 10,000 adults; coffee "
    "causes longer life.",
]
CAREFUL = [
    "A small study in 40 adults suggests the drug may ease back pain, though the results "
    "have not yet been peer-reviewed.",
    "In a randomised trial of 1,200 adults published in The Lancet, the vaccine reduced "
    "infections by 40%, from 5 in 100 to 3 in 100.",
    "Researchers found that mice given the compound lived longer; whether it works in "
    "people is unknown.",
    # hype in quoted speech is the source's word: info, below the default gate
    '"It is a miracle," said Dr Jane Smith, who led the trial of 300 patients published in '
    "the BMJ.",
    'The patient called it "a breakthrough" but the researchers said the trial of 200 '
    "adults was small.",
]


@pytest.mark.parametrize("text", OVERCLAIMS)
def test_the_default_gate_fails_on_an_overclaim(tmp_path: Path, text: str) -> None:
    path = tmp_path / "story.txt"
    path.write_text(text + "\n", encoding="utf-8")
    code, out, _ = _scan("--format", "json", str(path))
    assert code == 1
    assert any(f["severity"] == "warning" for f in _findings(out))
    assert _scan("--fail-on", "error", str(path))[0] == 0
    (tmp_path / ".hedgecheck.toml").write_text('fail-on = "error"\n')
    assert _scan(str(path))[0] == 0  # the config relaxes it
    assert _scan("--fail-on", "warning", str(path))[0] == 1  # and the command line wins


@pytest.mark.parametrize("text", CAREFUL)
def test_the_default_gate_passes_a_careful_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "story.md"
    path.write_text(text + "\n", encoding="utf-8")
    code, out, _ = _scan("--format", "json", str(path))
    assert code == 0, out
    assert all(f["severity"] == "info" for f in _findings(out))


def test_the_reference_article_fails_the_default_gate_on_its_warnings() -> None:
    code, out, _ = _scan("--format", "json", str(KETAMINE))
    assert code == 1
    assert {f["code"] for f in _findings(out) if f["severity"] == "warning"} == {"EDT002"}
    assert _scan("--fail-on", "error", str(KETAMINE))[0] == 0


# -- the label gate's failures are findings (LBL001) ----------------------------------------

# An article whose main claims are preliminary (the headline and the study's own claim) and
# a side claim that is speculative but not the article's own.
PRELIMINARY = (
    "# Garlic cures colds, experts agree\n\n"
    "Garlic may ease colds, a small study in 40 adults found.\n\n"
    "Reportedly, onions cure flu as well.\n"
)
# A supported article with the same speculative side claim.
SUPPORTED = (
    "# Garlic cures colds, experts agree\n\n"
    "Garlic eased colds in a randomised trial of 400 adults published in the BMJ.\n\n"
    "Onions prevent flu, experts agree.\n"
)
SPECULATIVE = "Turmeric cures inflammation, studies prove.\n"
SCHEMAS = {
    "json": KETAMINE.parents[2] / "schema" / "hedgecheck-report.schema.json",
    "sarif": KETAMINE.parents[2] / "tests" / "data" / "sarif-schema-2.1.0.json",
}


def _gated(path: Path, *args: str, gate: str = "preliminary") -> tuple[int, list[dict]]:
    code, out, _ = _scan(
        "--format", "json", "--fail-on", "never", "--fail-on-label", gate, *args, str(path)
    )
    return code, [f for f in _findings(out) if f["code"] == "LBL001"]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "story.md"
    path.write_text(PRELIMINARY, encoding="utf-8")
    return path


def test_each_main_claim_at_or_below_the_gate_is_a_finding(article: Path) -> None:
    code, found = _gated(article)
    assert code == 1
    assert [(f["line"], f["column"], f["severity"]) for f in found] == [
        (1, 3, "error"),
        (3, 1, "error"),
    ]  # the side claim on line 5 sets no article label: not reported
    assert found[1]["text"] == "Garlic may ease colds, a small study in 40 adults found."
    assert found[1]["message"] == (
        "claim labelled preliminary, at the label gate (preliminary); "
        "the article is labelled preliminary"
    )
    assert _gated(article, gate="speculative") == (0, [])


@pytest.mark.parametrize(
    ("text", "gate", "relation"),
    [(SPECULATIVE, "preliminary", "below"), (SPECULATIVE, "speculative", "at")],
)
def test_below_and_at_the_gate_are_told_apart(
    tmp_path: Path, text: str, gate: str, relation: str
) -> None:
    path = tmp_path / "claim.txt"
    path.write_text(text, encoding="utf-8")
    code, (finding,) = _gated(path, gate=gate)
    assert code == 1
    assert finding["message"].startswith(f"claim labelled speculative, {relation} the label gate")
    assert (finding["start"], finding["end"]) == (0, len(text.strip()))


def test_an_article_above_the_gate_raises_none_even_with_a_weak_side_claim(
    tmp_path: Path,
) -> None:
    path = tmp_path / "story.md"
    path.write_text(SUPPORTED, encoding="utf-8")
    assert _gated(path) == (0, [])


def test_no_gate_no_label_findings(article: Path) -> None:
    _, out, _ = _scan("--format", "json", str(article))
    assert "LBL001" not in out


@pytest.mark.parametrize("output_format", ["text", "json", "jsonl", "sarif", "github", "markdown"])
def test_every_format_shows_the_label_gate_finding(article: Path, output_format: str) -> None:
    code, out, _ = _scan(
        "--format",
        output_format,
        "--fail-on",
        "never",
        "--fail-on-label",
        "preliminary",
        str(article),
    )
    assert code == 1
    if output_format in SCHEMAS:
        jsonschema.validate(json.loads(out), json.loads(SCHEMAS[output_format].read_text()))
    if output_format == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        gated = [r for r in results if r["ruleId"] == "LBL001"]
        assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in gated] == [
            1,
            3,
        ]
        assert {r["level"] for r in gated} == {"error"}
        rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
        assert any(r["id"] == "LBL001" and r["name"] == "label-gate" for r in rules)
    elif output_format == "github":
        lines = [x for x in out.splitlines() if "title=LBL001" in x]
        assert [x.split(",")[1] for x in lines] == ["line=1", "line=3"]
        assert all(x.startswith("::error file=") for x in lines)
    elif output_format == "jsonl":
        (record,) = [json.loads(x) for x in out.splitlines()]
        assert [f["line"] for f in record["findings"] if f["code"] == "LBL001"] == [1, 3]
    elif output_format == "json":
        assert [f["line"] for f in _findings(out) if f["code"] == "LBL001"] == [1, 3]
    else:
        assert out.count("LBL001") == 2
        assert "the label gate (preliminary)" in out


@pytest.mark.parametrize(
    "directive",
    [
        "<!-- hedgecheck: ignore[LBL001] -->",
        "<!-- hedgecheck: ignore[label-gate] -->",
        "<!-- hedgecheck: ignore[label] -->",
        "<!-- hedgecheck: ignore -->",
    ],
)
def test_a_label_gate_finding_is_suppressed_inline(tmp_path: Path, directive: str) -> None:
    path = tmp_path / "story.md"
    head, body, side = PRELIMINARY.split("\n\n")
    path.write_text(f"{head}\n\n{directive}\n{body}\n\n{side}", encoding="utf-8")
    code, found = _gated(path)
    assert code == 1 and [f["line"] for f in found] == [1]  # the headline is still reported
    path.write_text(f"{directive}\n{head}\n\n{directive}\n{body}\n\n{side}", encoding="utf-8")
    assert _gated(path) == (0, [])  # nothing left: the gate passes


def test_the_label_gate_is_ignored_by_config_but_kept_by_select(
    tmp_path: Path, article: Path
) -> None:
    code, found = _gated(article, "--select", "HYP")
    assert code == 1 and len(found) == 2  # the gate asked for its findings by name
    assert _gated(article, "--ignore", "LBL001") == (0, [])
    (tmp_path / ".hedgecheck.toml").write_text('fail-on-label = "preliminary"\n')
    code, out, _ = _scan("--format", "json", "--fail-on", "never", str(article))
    assert code == 1 and [f["line"] for f in _findings(out) if f["code"] == "LBL001"] == [1, 3]
    (tmp_path / ".hedgecheck.toml").write_text(
        'fail-on-label = "preliminary"\nignore = ["label-gate"]\n'
    )
    assert _scan("--fail-on", "never", str(article))[0] == 0


def test_the_label_gate_in_the_library() -> None:
    import hedgecheck
    from hedgecheck.errors import UsageError
    from hedgecheck.findings import FindingPolicy

    policy = FindingPolicy.build(fail_on_label="preliminary")
    report = hedgecheck.check(PRELIMINARY, format="markdown", policy=policy)
    assert [f.line for f in report.findings if f.code == "LBL001"] == [1, 3]
    assert not [f for f in hedgecheck.check(PRELIMINARY).findings if f.code == "LBL001"]
    for bad in ("weak", 3):
        with pytest.raises(UsageError, match="fail_on_label"):
            FindingPolicy.build(fail_on_label=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["LBL001", "lbl001", "HCS001"])
def test_the_builtin_findings_are_documented(code: str) -> None:
    listing = CliRunner().invoke(main, ["rules"])
    assert any(x.startswith(code.upper() + " ") for x in listing.output.splitlines())
    shown = CliRunner().invoke(main, ["rules", code])
    assert shown.exit_code == 0
    assert shown.output.startswith(code.upper()) and "## Why" in shown.output


@pytest.mark.slow
@pytest.mark.parametrize("code", ["LBL001", "HCS001"])
def test_no_pack_may_take_a_builtin_code(tmp_path: Path, code: str) -> None:
    from hedgecheck.gate import BUILTIN
    from hedgecheck.schema import RESERVED_IDS

    assert set(BUILTIN) == RESERVED_IDS
    pack = tmp_path / "house.toml"
    pack.write_text(
        f'[pack]\nname = "house"\n[[rules]]\nid = "{code}"\nname = "very"\ncategory = "hype"\n'
        'kind = "superlative"\npatterns = ["very good"]\nsummary = "s"\nwhy = "w"\n'
        'source = "house style"\nexamples.match = ["It is [[very good]]."]\n'
        'examples.no_match = ["It is good."]\n'
    )
    result = CliRunner().invoke(main, ["rules", "--rules", str(pack)])
    assert result.exit_code == 2
    assert code in result.stderr and "reserved" in result.stderr


# -- severities as in packs ("off" included); selectors that name nothing are errors -------


@pytest.mark.parametrize(
    ("severity", "left"),
    [
        ('hype = "off"', []),
        ('HYP = "off"', []),
        ('HYP002 = "off"', []),
        ('hype = "off"\nHYP002 = "warning"', ["HYP002"]),  # the most specific wins
        ('miracle = "off"\nall = "error"', []),
    ],
)
def test_severity_off_in_the_config_drops_the_finding(
    tmp_path: Path, hype: Path, severity: str, left: list[str]
) -> None:
    (tmp_path / ".hedgecheck.toml").write_text(f"[severity]\n{severity}\n")
    code, out, _ = _scan("--format", "json", str(hype))
    assert [f["code"] for f in _findings(out)] == left
    assert code == (1 if left else 0)


def test_severity_off_in_an_override_and_in_pyproject(tmp_path: Path, hype: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.hedgecheck]\n[[tool.hedgecheck.overrides]]\nfiles = ["hype.*"]\n'
        '[tool.hedgecheck.overrides.severity]\nHYP002 = "off"\n'
    )
    code, out, _ = _scan("--format", "json", str(hype))
    assert code == 0 and _findings(out) == []


def test_severity_off_in_the_library() -> None:
    import hedgecheck
    from hedgecheck.errors import UsageError
    from hedgecheck.findings import FindingPolicy

    report = hedgecheck.check(HYPE, policy=FindingPolicy.build(severity={"HYP002": "off"}))
    assert report.findings == ()
    with pytest.raises(UsageError, match="or off"):
        FindingPolicy.build(severity={"HYP002": "of"})


@pytest.mark.parametrize(
    ("body", "key", "selector"),
    [
        ('ignore = ["HYP999"]', "ignore", "HYP999"),
        ('select = ["hype", "hpye"]', "select", "hpye"),
        ('[severity]\nEDT099 = "error"', "severity.EDT099", "EDT099"),
        (
            '[[overrides]]\nfiles = ["*.txt"]\nignore = ["miracles"]',
            "overrides[0].ignore",
            "miracles",
        ),
        (
            '[[overrides]]\nfiles = ["*"]\n[overrides.severity]\nXYZ = "off"',
            "overrides[0].severity.XYZ",
            "XYZ",
        ),
    ],
)
def test_an_unknown_selector_in_the_config_is_an_error_naming_it(
    tmp_path: Path, hype: Path, body: str, key: str, selector: str
) -> None:
    (tmp_path / ".hedgecheck.toml").write_text(body + "\n")
    code, out, err = _scan(str(hype))
    assert code == 2 and out == ""
    assert ".hedgecheck.toml" in err and f"key '{key}'" in err and repr(selector) in err


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("selector", ["HYP999", "hyp-002", "ZZZ", " "])
def test_an_unknown_selector_on_the_command_line_is_an_error(
    hype: Path, option: str, selector: str
) -> None:
    code, _, err = _scan(option, selector, str(hype))
    assert code == 2 and f"{option} {selector!r}" in err


@pytest.mark.parametrize(
    "selector",
    ["HYP", "hyp002", "miracle", "hype", "editorial", "EDT", "LBL001", "label-gate", "ALL"],
)
def test_known_selectors_are_taken(tmp_path: Path, hype: Path, selector: str) -> None:
    assert _scan("--ignore", selector, "--fail-on", "never", str(hype))[0] == 0
    (tmp_path / ".hedgecheck.toml").write_text(f'[severity]\n"{selector}" = "info"\n')
    assert _scan(str(hype))[0] in (0, 1)


@pytest.mark.parametrize(
    ("directive", "unknown"),
    [
        ("hedgecheck: ignore[HYP999]", "HYP999"),
        ("<!-- hedgecheck: ignore[miracle, hpye] -->", "hpye"),
        ("<!-- hedgecheck: disable[XYZ001] -->", "XYZ001"),
    ],
)
def test_an_unknown_code_in_a_directive_is_an_error_naming_it(
    tmp_path: Path, directive: str, unknown: str
) -> None:
    bad = tmp_path / "a.md"
    bad.write_text(f"A miracle cure. {directive}\n")
    good = tmp_path / "b.md"
    good.write_text("The drug may help, a small study suggests.\n")
    code, out, err = _scan("--format", "json", str(bad), str(good))
    assert code == 2
    assert f"{bad}: hedgecheck:" in err and repr(unknown) in err
    assert [Path(f["path"]).name for f in json.loads(out)["files"]] == ["a.md", "b.md"]
    known = directive.replace(unknown, "HYP002")
    bad.write_text(f"A miracle cure. {known}\n")
    assert _scan(str(bad))[0] == 0
