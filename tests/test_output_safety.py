"""No text from outside (an article, a file name, a rule pack, an error quoting them) can drive
a terminal, run a GitHub workflow command, break a line, notify or link from a pull-request
comment, or stop the output with a lone surrogate: in any format, on stdout or stderr.

The rules every output must keep are in tests/output_safety.py; the mechanism is
hedgecheck/formats/_safe.py. Each class is tried in variants: several escape sequences and
their 8-bit forms, every bidi control, workflow commands behind different white space and
line breaks, mentions and links of several shapes.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck.cli import main
from hedgecheck.formats import FORMATS, render
from hedgecheck.formats._safe import (
    COMMANDS,
    HTML,
    JOINER,
    JSON,
    TEXT,
    github_data,
    github_property,
    guard,
    html_text,
    markdown_text,
    prose,
    visible,
)
from hedgecheck.loader import load_rules
from hedgecheck.ruleset import RuleSet

sys.path.insert(0, str(Path(__file__).parent))
from output_safety import MARKDOWN as RENDERER
from output_safety import UNSAFE, assert_safe, problems, rendered_markdown_problems

# -- the hostile pieces ---------------------------------------------------------------------

ESCAPES = [
    "\x1b[2J\x1b[H",  # clear the screen, cursor home
    "\x1b[31;1mred\x1b[0m",  # colour
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: write the clipboard (BEL-terminated)
    "\x1b]52;c;aGVsbG8=\x1b\\",  # the same, ST-terminated
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8: a hidden link
    "\x1b]0;title\x07",  # window title
    "\x9b2J",  # 8-bit CSI
    "\x9d52;c;aGk=\x9c",  # 8-bit OSC and ST
    "\x1bP+q\x1b\\",  # DCS
    "\x1bc",  # full reset
    "\x07\x08\x7f\x00",  # bell, backspace, DEL, NUL
    "\x85",  # NEL, a C1 line break
]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e"]
BIDI += ["\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\u2028", "\u2029", "\x85"]
COMMAND_LINES = [
    "::error file=x.py,line=1::pwned",
    "::stop-commands::tok",
    "::add-mask::secret",
    "::set-output name=x::y",
    "::warning::w",
    "::notice title=t::n",
    "::group::g",
]
LEADING = ["", " ", "   ", "\t", "\u00a0", "\u3000", " \t "]
LEGACY = ["##[error]x", "##[stop-commands]tok", "before ##[warning]mid-line"]
MARKDOWN = [
    "@octocat",
    "@org/team",
    "(@octocat)",
    "mail me@example.com",
    "http://evil.example",
    "HTTPS://evil.example/a?b=c",
    "ftp://evil.example",
    "www.evil.example",
    "WWW.evil.example",
    "[click](http://evil.example)",
    "![img](http://evil.example/i.png)",
    "[ref]: http://evil.example",
    "<http://evil.example>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<a href='http://evil.example'>x</a>",
    "#123",
    "owner/repo#123",
    "GH-123",
    "*emph* **strong** _u_ ~~s~~ `code` $x^2$",
    "a | b",
]


def hostile_texts() -> list[str]:
    """One variant per class, and combinations of them."""
    texts = [*ESCAPES, *BIDI, *LEGACY, *MARKDOWN]
    texts += [
        f"x{brk}{lead}{command}"
        for brk in BREAKS
        for lead in LEADING[:3]
        for command in COMMAND_LINES[:2]
    ]
    texts += [f"{lead}{command}" for lead in LEADING for command in COMMAND_LINES]
    texts += ["\ud800", "\udfff", "a\ud83d\ude00b"]  # lone surrogates, and a pair as two
    return texts


HOSTILE = hostile_texts()


# -- the helpers of hedgecheck/formats/_safe.py ----------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_visible_and_prose_leave_nothing_unsafe(text: str) -> None:
    for shown in (visible(text), prose(text)):
        assert not UNSAFE.search(shown), repr(shown)
        assert "\n" not in shown and "\r" not in shown and "\t" not in shown
        shown.encode("utf-8")
        assert visible(shown) == shown  # idempotent: safe text is left alone
    laid_out = visible(text, layout=True)
    assert not UNSAFE.search(laid_out.replace("\r", ""))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b2J", "\\x9b2J"),
        ("a\x7fb\x00", "a\\x7fb\\x00"),
        ("tab\there\nnew\rline", "tab\\there\\nnew\\rline"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("\u2066x\u2069\u200f", "\\u2066x\\u2069\\u200f"),
        ("\u2028", "\\u2028"),
        ("a\ud800b\udc00", "a\ufffdb\ufffd"),  # one code point for one
    ],
)
def test_visible_shows_what_it_replaces(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_visible_leaves_ordinary_text_alone() -> None:
    ordinary = "Café – naïve “quotes” 😀 👩‍👩‍👧 مرحبا שלום e\u0301 \u00a0 a\\b C:\\path 50% a:b"
    assert visible(ordinary) == ordinary
    assert prose("The drug\n  may\r\nhelp.\t") == "The drug may help."


def _runner_unescape(value: str, *, prop: bool) -> str:
    """What the Actions runner makes of an escaped value (ActionCommand.cs, in its order)."""
    pairs = [("%0D", "\r"), ("%0A", "\n")]
    pairs += [("%3A", ":"), ("%2C", ",")] if prop else []
    for escaped, raw in [*pairs, ("%25", "%")]:
        value = value.replace(escaped, raw)
    return value


@pytest.mark.parametrize("text", [*HOSTILE, "50%0A %25 %3A, a:b,c", "%%%"])
def test_github_values_read_back_as_the_visible_text(text: str) -> None:
    data, prop = github_data(text), github_property(text)
    for escaped in (data, prop):
        assert not re.search(r"[\r\n]", escaped) and not UNSAFE.search(escaped)
    assert ":" not in prop and "," not in prop
    assert _runner_unescape(data, prop=False) == visible(text, layout=True)
    assert _runner_unescape(prop, prop=True) == visible(text, layout=True)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_is_inert_in_a_table(text: str) -> None:
    cell = markdown_text(text)
    assert not UNSAFE.search(cell) and "\n" not in cell and "\r" not in cell
    table = f"| head |\n|---|\n| {cell} |\n"
    assert not rendered_markdown_problems(table)  # no link, image, emphasis, HTML, mention
    page = RENDERER.render(table)
    assert page.count("<td>") == 1  # the cell did not split
    shown = html.unescape(re.sub(r"<[^>]+>", "", page.split("<td>")[1].split("</td>")[0]))
    # what a reader sees is the text, with its controls shown and line breaks as breaks
    expected = re.sub(r"\r\n|\r|\n", "", visible(text, layout=True)).strip()
    assert shown.replace(JOINER, "").strip() == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_is_escaped_on_one_line(text: str) -> None:
    escaped = html_text(text)
    assert not UNSAFE.search(escaped) and not re.search(r"[\r\n<>\"']", escaped)
    assert "##[" not in escaped
    assert html.unescape(escaped) == visible(text, layout=True)


@pytest.mark.parametrize("lead", LEADING)
@pytest.mark.parametrize("command", COMMAND_LINES)
def test_guard_makes_a_command_line_inert_in_every_kind_of_output(lead: str, command: str) -> None:
    for kind in (TEXT, COMMANDS, HTML):
        out = guard(f"before\n{lead}{command}\nafter ##[error]x\n", kind)
        if kind == COMMANDS and not lead and re.match(r"::notice title=", command):
            # shaped as the GitHub format's own lines are: left alone (the format escapes
            # every value, so outside text never takes this shape; see the tests below)
            assert out.split("\n")[1] == command
            continue
        assert not problems(out, "lines"), (kind, out)
        assert out.count("\n") == 3
    dumped = json.dumps({"a": f"{lead}{command} ##[error]x"}, ensure_ascii=False)
    assert json.loads(guard(dumped, JSON)) == json.loads(dumped)  # lossless in JSON
    assert "##[" not in guard(dumped, JSON)


def test_guard_keeps_the_github_formats_own_lines() -> None:
    own = "::warning file=a%3Ab.txt,line=1,title=HYP001 cure::it may ##[error] x%0Ay\n"
    assert guard(own, COMMANDS) == own
    for forged in ("::warning::no title\n", "::stop-commands::tok\n", " ::error title=x::y\n"):
        assert guard(forged, COMMANDS).startswith(forged[: len(forged) - len(forged.lstrip())])
        assert not guard(forged, COMMANDS).lstrip().startswith("::")


def test_guard_keeps_only_its_own_colours() -> None:
    ours = "\x1b[31m\x1b[1mpreliminary\x1b[0m and \x1b]52;c;aGk=\x07 \x9b2J \u202e"
    out = guard(ours, TEXT, color=True)
    assert out.startswith("\x1b[31m\x1b[1mpreliminary\x1b[0m and \\x1b]52;c;aGk=\\x07")
    assert not problems(out, "lines", color=True)
    assert "\x1b" not in guard(ours, TEXT)


@pytest.mark.parametrize("text", HOSTILE)
def test_guard_json_is_lossless_but_for_surrogates(text: str) -> None:
    dumped = json.dumps({"text": text, "n": [1, 2]}, ensure_ascii=False, indent=2)
    out = guard(dumped, JSON)
    assert not problems(out, "json")
    expected = re.sub(r"[\ud800-\udfff]", "\ufffd", text)
    assert json.loads(out) == {"text": expected, "n": [1, 2]}


# -- every format, fed hostile text from every source ----------------------------------------

PACK = """[pack]
name = "hostile"
[[rules]]
id = "HST001"
name = "zorblax"
category = "hedge"
kind = "modal"
patterns = ['zorblax[^.]{{0,60}}?(?=[.])']
severity = "warning"
summary = {summary}
why = {why}
suggestion = {suggestion}
source = {source}
examples.match = ["The [[zorblax helps]]."]
examples.no_match = ["x"]
"""


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes, with DEL escaped too (TOML forbids it raw)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


@pytest.fixture(scope="module")
def hostile_rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    nasty = "\n::error file=x::pack ##[error] \x1b]52;c;aGk=\x07 \u202e @octocat www.evil.example"
    pack = tmp_path_factory.mktemp("pack") / "hostile.toml"
    pack.write_text(
        PACK.format(
            summary=_toml_string(f"Summary{nasty}"),
            why=_toml_string(f"Why{nasty}"),
            suggestion=_toml_string(f"Suggest{nasty}"),
            source=_toml_string(f"Source{nasty}"),
        ),
        encoding="utf-8",
    )
    return load_rules(pack, include_defaults=True)


def _article(text: str) -> str:
    return (
        f"The zorblax may cure cancer, a small study in mice suggests. The zorblax {text}.\n"
        f"{text}\n  {text} It could cure cancer.\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("text", [*HOSTILE[::3], COMMAND_LINES[1], "\n::error::x"])
@pytest.mark.parametrize("input_format", ["text", "markdown", "html"])
def test_every_format_is_safe_whatever_the_article_path_and_pack_say(
    hostile_rules: RuleSet, text: str, input_format: str
) -> None:
    path = f"dir/{text}.txt"
    report = hedgecheck.check(_article(text), path=path, format=input_format, rules=hostile_rules)
    assert any(f.code == "HST001" for f in report.findings)
    for name in FORMATS:
        for color in (False, True):
            assert_safe(render(name, [report], rules=hostile_rules, color=color), name, color=color)


@pytest.mark.slow
@pytest.mark.parametrize("variant", MARKDOWN)
@pytest.mark.parametrize("input_format", ["markdown", "text"])
def test_the_pull_request_comment_copies_no_mention_or_link_from_a_headline(
    hostile_rules: RuleSet, variant: str, input_format: str
) -> None:
    headline = f"# The zorblax {variant} may cure cancer." if input_format == "markdown" else ""
    article = f"{headline}\n\nThe zorblax may cure cancer, {variant} says. {variant}\n"
    report = hedgecheck.check(
        article, path=f"{variant}.md", format=input_format, rules=hostile_rules
    )
    assert report.findings
    out = render("markdown", [report], rules=hostile_rules)
    assert_safe(out, "markdown")


@pytest.mark.slow
def test_the_text_format_keeps_its_own_colours(hostile_rules: RuleSet) -> None:
    report = hedgecheck.check(_article("\x1b[32mfake\x1b[0m"), path="a.txt", rules=hostile_rules)
    out = render("text", [report], color=True)
    assert "\x1b[" in out and "\\x1b[32mfake\\x1b[0m" in out
    assert_safe(out, "text", color=True)


@pytest.mark.parametrize(
    "source",
    [
        "Coffee may help \ud800 sleep.",
        "Coffee may help \udfff sleep. Tea could cure cancer.",
        "\ud800Coffee may\udc00 help sleep, a small study suggests \ud83d\ude00.",
        "Coffee may help sleep.\n\ud800\n",
    ],
)
@pytest.mark.parametrize("input_format", ["text", "markdown", "html"])
def test_a_lone_surrogate_is_written_as_u_fffd_and_offsets_still_hold(
    source: str, input_format: str
) -> None:
    report = hedgecheck.check(source, format=input_format, path="a\udce9.txt")
    assert report.claims
    for name in FORMATS:
        out = render(name, [report])
        out.encode("utf-8")  # failed with UnicodeEncodeError
        assert_safe(out, name)
    # one code point for one: the offsets of the report still point into the source
    written = re.sub(r"[\ud800-\udfff]", "\ufffd", source)
    (record,) = [json.loads(line) for line in render("jsonl", [report]).splitlines()]
    assert record["path"] == "a\ufffd.txt"
    for claim, original in zip(record["claims"], report.claims, strict=True):
        assert (claim["start"], claim["end"]) == (original.start, original.end)
        assert claim["text"] == re.sub(r"[\ud800-\udfff]", "\ufffd", original.text)
        if input_format == "text":
            assert written[claim["start"] : claim["end"]] == claim["text"]


# -- the command line: stdout, stderr, -o FILE, explain, rules ------------------------------


def _scan(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


NAMES = [
    "name\n::error file=x.py::pwned",
    "name\n  ::stop-commands::tok",
    "name\r::warning::cr",
    "name ##[error]legacy",
    "name\x1b[2J\x1b]52;c;aGk=\x07",
    "name\x9b31m\x85",
    "name\u202egnp",
    "name @octocat www.evil.example #1",
]


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("names")
    for name in NAMES:
        (folder / f"{name}.txt").write_text(_article(name), encoding="utf-8")
        (folder / f"{name}.bin.txt").write_bytes(b"\x00" * 32)  # skipped: an error names it
        (folder / f"{name}.latin.txt").write_bytes(_article("caf\xe9").encode("latin-1"))
    return folder


@pytest.mark.parametrize("output", sorted(FORMATS))
def test_scan_output_and_messages_are_safe(hostile_folder: Path, output: str) -> None:
    code, stdout, stderr = _scan("--format", output, str(hostile_folder))
    assert code == 2  # the binary files
    assert_safe(stdout, output)
    assert_safe(stderr, "stderr")
    lines = stderr.splitlines()
    assert len(lines) == 2 * len(NAMES)  # one error and one warning per name, one line each
    for name in NAMES:
        shown = guard(visible(name), TEXT)
        assert any(f"{shown}.bin.txt: binary file" in line for line in lines)


@pytest.mark.parametrize("output", ["text", "github", "markdown", "html"])
def test_scan_to_a_file_writes_it_safe(hostile_folder: Path, tmp_path: Path, output: str) -> None:
    target = tmp_path / "report.out"
    _scan("--format", output, "-o", str(target), "--color", str(hostile_folder))
    assert_safe(target.read_text(encoding="utf-8"), output, color=output == "text")


def test_scan_verbose_names_each_file_on_one_line(hostile_folder: Path) -> None:
    _, _, stderr = _scan("--verbose", "--format", "json", str(hostile_folder))
    assert_safe(stderr, "stderr")
    assert sum(" claim(s)" in line for line in stderr.splitlines()) == 2 * len(NAMES)


def test_explain_is_safe(hostile_folder: Path) -> None:
    for name in NAMES[:4] + NAMES[-3:]:
        result = CliRunner().invoke(main, ["explain", str(hostile_folder / f"{name}.txt")])
        assert result.exit_code == 0, result.output
        assert_safe(result.stdout, "explain")
        assert guard(visible(str(hostile_folder / f"{name}.txt")), TEXT) in result.stdout


@pytest.mark.slow
def test_rules_commands_are_safe(hostile_rules: RuleSet, tmp_path: Path) -> None:
    (pack,) = {r.file for r in hostile_rules.rules if r.id == "HST001"}
    for args in (["--rules", pack], ["--rules", pack, "show", "HST001"], ["test", pack]):
        result = CliRunner().invoke(main, ["rules", *args])
        assert result.exit_code == 0, result.output
        assert_safe(result.stdout, "rules")
    # a failing example is quoted, with the pack's file name
    failing = tmp_path / "pack\n::error::x ##[error]\x1b[2J.toml"
    example = "The \x1b]52;c;aGk=\x07\n::stop-commands::t ##[error] zorblax helps."
    text = Path(pack).read_text(encoding="utf-8")
    text = text.replace('no_match = ["x"]', f"no_match = [{_toml_string(example)}]")
    failing.write_text(text.replace('"HST001"', '"HST002"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "test", str(failing)])
    assert result.exit_code == 1 and "HST002 False positive" in result.stdout
    assert_safe(result.stdout, "rules")
    # an error naming the pack
    missing = tmp_path / "gone\n::error::x\x1b[2J.toml"
    result = CliRunner().invoke(main, ["scan", "--rules", str(missing), "-"], input="x")
    assert result.exit_code == 2
    assert_safe(result.stderr, "stderr")
    assert "gone\\n::error::x\\x1b[2J.toml" in result.stderr


def test_a_missing_path_is_named_safely() -> None:
    code, _, stderr = _scan("/nonexistent/\x1b]52;c;aGk=\x07\n::stop-commands::x")
    assert code == 2
    assert_safe(stderr, "stderr")


# -- the property: any text, in the article and the file name, for every format -------------

PIECES = [
    *ESCAPES[:8],
    *BIDI[::2],
    *COMMAND_LINES[:3],
    *LEGACY[:2],
    *MARKDOWN[:6],
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "::",
    "%",
    ",",
    "may",
    "cure",
    ".",
]
NAME_PIECES = [p for p in PIECES if "/" not in p and "\x00" not in p]


def _name_text() -> st.SearchStrategy[str]:
    chars = st.characters(exclude_categories=("Cs",), exclude_characters="/\x00")
    return st.lists(st.sampled_from(NAME_PIECES) | st.text(chars, max_size=3), max_size=6).map(
        "".join
    )


def _article_text() -> st.SearchStrategy[str]:
    chars = st.characters(exclude_characters="\x00")
    return st.lists(st.sampled_from(PIECES) | st.text(chars, max_size=3), max_size=8).map("".join)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(name=_name_text(), text=_article_text())
def test_no_text_in_an_article_or_file_name_makes_any_output_unsafe(
    tmp_path_factory: pytest.TempPathFactory, name: str, text: str
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    stem = ("a" + name)[:60]
    while len(stem.encode("utf-8")) > 200:
        stem = stem[:-1]
    (folder / f"{stem}.txt").write_bytes(_article(text).encode("utf-8", "surrogatepass"))
    (folder / f"{stem}.bin.txt").write_bytes(b"\x00" * 8)
    for output in FORMATS:
        code, stdout, stderr = _scan("--format", output, str(folder))
        assert code == 2
        assert_safe(stdout, output)
        assert_safe(stderr, "stderr")


@settings(max_examples=40, deadline=None)
@given(path=st.text(max_size=12), text=_article_text())
def test_no_text_given_to_the_library_makes_any_format_unsafe(path: str, text: str) -> None:
    report = hedgecheck.check(_article(text), path=path or None)
    for name in FORMATS:
        assert_safe(render(name, [report]), name)
