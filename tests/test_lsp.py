"""The language server's mapping, without a process: offsets to LSP positions and back in
every position encoding, and a document's text to diagnostics, hovers and quick fixes under
its workspace configuration (``hedgecheck.lsp``). The server over stdio, with a real client,
is tested in test_lsp_server.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pygls", reason="needs hedgecheck[lsp] (the dev extra installs it)")

from house_pack import HEADER, house_rule
from lsprotocol import types
from pygls.workspace import PositionCodec

from hedgecheck.lsp.features import (
    check_document,
    code_actions,
    diagnostics,
    hover,
)
from hedgecheck.lsp.positions import Lines
from hedgecheck.lsp.projects import Projects

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)
UTF8 = PositionCodec(types.PositionEncodingKind.Utf8)
UTF32 = PositionCodec(types.PositionEncodingKind.Utf32)
CODECS = {"utf-16": UTF16, "utf-8": UTF8, "utf-32": UTF32}
# An emoji (outside the BMP: two UTF-16 units, four UTF-8 bytes) before the hype word.
HYPE = "# 😀 Miracle pill\n\nThe drug may help, a small study suggests.\n"

# Characters of one, two and four UTF-16 / UTF-8 units, every LSP line break, and the
# breaks only Python's splitlines counts (U+2028, form feed).
texts = st.lists(
    st.sampled_from(["a", "é", "😀", "𝔘", "\n", "\r", "\r\n", "\u2028", "\x0c", " "]),
    max_size=40,
).map("".join)


def _units(text: str, encoding: str) -> int:
    return (
        len(text.encode(f"{encoding}-le" if encoding != "utf-8" else "utf-8"))
        // {
            "utf-8": 1,
            "utf-16": 2,
            "utf-32": 4,
        }[encoding]
    )


@settings(max_examples=100, deadline=None)
@given(texts, st.sampled_from(sorted(CODECS)), st.data())
def test_offsets_round_trip_through_positions(
    text: str, encoding: str, data: st.DataObject
) -> None:
    lines = Lines.of(text)
    # no finding starts or ends between the two characters of a \r\n
    offsets = [o for o in range(len(text) + 1) if text[o - 1 : o + 1] != "\r\n"]
    offset = data.draw(st.sampled_from(offsets))
    position = lines.position(offset, CODECS[encoding])
    assert lines.offset(position, CODECS[encoding]) == offset
    # LSP's lines end at \n, \r\n and \r only; the column counts the encoding's code units.
    before = text[:offset]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    assert position.line == len(Lines.of(text[:line_start]).rows) - 1
    assert position.character == _units(text[line_start:offset], encoding)


def test_a_non_bmp_character_counts_as_its_code_units() -> None:
    lines = Lines.of("x\n😀ab")
    assert lines.position(4, UTF16) == types.Position(1, 3)
    assert lines.position(4, UTF8) == types.Position(1, 5)
    assert lines.position(4, UTF32) == types.Position(1, 2)
    # a column past the line's end is its end; a line past the last, the text's end
    assert lines.offset(types.Position(0, 9), UTF16) == 1
    assert lines.offset(types.Position(7, 0), UTF16) == len("x\n😀ab")


def _check(tmp_path: Path, text: str, name: str = "draft.md", language: str = "markdown"):
    uri = (tmp_path / name).as_uri()
    return check_document(text, uri=uri, language_id=language, projects=Projects())


def test_a_finding_after_an_emoji_is_a_diagnostic_in_utf16_and_utf8(tmp_path: Path) -> None:
    checked = _check(tmp_path, HYPE)
    for codec, column in ((UTF16, 5), (UTF8, 7), (UTF32, 4)):
        found = {d.code: d for d in diagnostics(checked, codec)}
        miracle = found["HYP002"]
        assert miracle.range == types.Range(
            types.Position(0, column), types.Position(0, column + len("Miracle pill"))
        )
        assert miracle.severity == types.DiagnosticSeverity.Warning
        assert miracle.source == "hedgecheck"
        assert "Suggestion: Drop" in miracle.message


def test_severities_map_to_lsp_and_an_info_finding_is_information(tmp_path: Path) -> None:
    checked = _check(tmp_path, "Coffee is good for you, experts say.\n", "a.txt", "plaintext")
    found = {d.code: d for d in diagnostics(checked, UTF16)}
    assert found["EDT005"].severity == types.DiagnosticSeverity.Information


def test_the_label_gate_of_the_config_gives_lbl001_errors(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text('fail-on-label = "speculative"\n')
    checked = _check(tmp_path, "Turmeric cures inflammation, studies prove.\n", "a.txt", "")
    gate = [d for d in diagnostics(checked, UTF16) if d.code == "LBL001"]
    assert len(gate) == 1
    assert gate[0].severity == types.DiagnosticSeverity.Error
    assert gate[0].range.start == types.Position(0, 0)
    assert "label gate" in gate[0].message


def test_an_excluded_file_and_an_unread_language_get_no_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hedgecheck]\nexclude = ["drafts"]\n')
    (tmp_path / "drafts").mkdir()
    assert diagnostics(_check(tmp_path, HYPE, "drafts/x.md"), UTF16) == []
    assert diagnostics(_check(tmp_path, HYPE, "code.py", "python"), UTF16) == []
    # a language the editor does not name is read by the file's extension, as scan reads it
    assert diagnostics(_check(tmp_path, HYPE, "x.md", "mdx-unknown"), UTF16) != []


def test_a_config_error_is_one_diagnostic_at_the_top(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text("fail-on = 3\nunknown-key = 1\n")
    found = diagnostics(_check(tmp_path, HYPE), UTF16)
    assert len(found) == 1
    assert found[0].severity == types.DiagnosticSeverity.Error
    assert found[0].range.start == types.Position(0, 0)
    assert ".hedgecheck.toml" in found[0].message and "unknown-key" in found[0].message


def test_a_selector_of_the_config_that_names_nothing_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text('select = ["HYP"]\n[severity]\nHYP999 = "error"\n')
    found = diagnostics(_check(tmp_path, HYPE), UTF16)
    assert len(found) == 1
    assert "'HYP999' names no rule" in found[0].message and ".hedgecheck.toml" in found[0].message


@pytest.mark.slow  # a house pack's rules are compiled with the default packs
def test_house_packs_load_once_per_config_version(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    more = 'severity = "warning"\nsuggestion = "Say it plainly."'
    rule = house_rule("HSE001", "perchance", name="house-hedge", more=more)
    pack.write_text(HEADER + rule.replace("[[ab]] c", "It [[perchance]] works."))
    config = tmp_path / ".hedgecheck.toml"
    config.write_text('rules = ["house.toml"]\n')
    projects = Projects()
    uri = (tmp_path / "a.txt").as_uri()
    for _ in range(2):
        checked = check_document(
            "It perchance works.\n", uri=uri, language_id="plaintext", projects=projects
        )
        assert [d.code for d in diagnostics(checked, UTF16)] == ["HSE001"]
    assert projects.loads == 1
    config.write_text('rules = ["house.toml"]\nselect = ["HYP"]\n')
    os.utime(config, ns=(config.stat().st_mtime_ns + 10**9,) * 2)
    checked = check_document("It perchance works.\n", uri=uri, language_id="", projects=projects)
    assert diagnostics(checked, UTF16) == []
    assert projects.loads == 2


def test_hover_on_a_claim_shows_its_label_and_cues(tmp_path: Path) -> None:
    checked = _check(tmp_path, HYPE)
    shown = hover(checked, types.Position(2, 10), UTF16)
    assert shown is not None
    text = shown.contents.value
    assert text.startswith("**hedgecheck: preliminary** claim")
    assert "| `HDG001` | may | -2.72 |" in text
    assert "| `SMP001` | small study |" in text
    assert shown.range.start == types.Position(2, 0)
    assert hover(checked, types.Position(1, 0), UTF16) is None  # the blank line


def _apply(text: str, edit: types.TextEdit, codec: PositionCodec) -> str:
    lines = Lines.of(text)
    start, end = lines.offset(edit.range.start, codec), lines.offset(edit.range.end, codec)
    return text[:start] + edit.new_text + text[end:]


@pytest.mark.parametrize(
    ("directive", "left"),
    [
        ("<!-- hedgecheck: ignore[HYP003] -->\n", ""),
        ("Tea is nice. <!-- hedgecheck: ignore[HYP003] -->\n", "Tea is nice.\n"),
    ],
)
def test_a_quick_fix_removes_an_unused_suppression(
    tmp_path: Path, directive: str, left: str
) -> None:
    (tmp_path / ".hedgecheck.toml").write_text("report-unused-suppressions = true\n")
    text = f"# 😀 Tea\n\n{directive}"
    checked = _check(tmp_path, text)
    unused = [d for d in diagnostics(checked, UTF16) if d.code == "HCS001"]
    assert len(unused) == 1
    uri = (tmp_path / "draft.md").as_uri()
    actions = code_actions(checked, uri, unused[0].range, UTF16)
    assert [a.kind for a in actions] == [types.CodeActionKind.QuickFix]
    assert actions[0].diagnostics is not None and actions[0].diagnostics[0].code == "HCS001"
    (edit,) = actions[0].edit.changes[uri]
    fixed = _apply(text, edit, UTF16)
    assert fixed == f"# 😀 Tea\n\n{left}"
    assert "HCS001" not in [d.code for d in diagnostics(_check(tmp_path, fixed), UTF16)]


def test_a_finding_whose_suggestion_is_advice_has_no_quick_fix(tmp_path: Path) -> None:
    checked = _check(tmp_path, "# 😀 Tea cures colds\n\nThe drug may help, a study says.\n")
    cure = next(d for d in diagnostics(checked, UTF16) if d.code == "HYP001")
    assert code_actions(checked, (tmp_path / "draft.md").as_uri(), cure.range, UTF16) == []


@pytest.mark.parametrize(
    ("line", "fixed", "code"),
    [
        ("They ran a groundbreaking study of sleep.", "They ran a study of sleep.", "HYP006"),
        ("It found a remarkable increase in sleep.", "It found an increase in sleep.", "HYP013"),
        ("😀 Miracle pills are sold online.", "😀 Pills are sold online.", "HYP002"),
    ],
)
def test_a_rules_rewrite_is_a_quick_fix_that_removes_its_finding(
    tmp_path: Path, line: str, fixed: str, code: str
) -> None:
    text = f"# Sleep news\n\n{line}\n"
    checked = _check(tmp_path, text)
    (found,) = [d for d in diagnostics(checked, UTF16) if d.code == code]
    uri = (tmp_path / "draft.md").as_uri()
    (action,) = code_actions(checked, uri, found.range, UTF16)
    assert action.kind == types.CodeActionKind.QuickFix and action.title.startswith("Rewrite: ")
    (edit,) = action.edit.changes[uri]
    assert _apply(text, edit, UTF16) == f"# Sleep news\n\n{fixed}\n"
    after = _check(tmp_path, _apply(text, edit, UTF16))
    assert code not in [d.code for d in diagnostics(after, UTF16)]


@pytest.mark.slow  # a fresh interpreter
def test_without_the_extra_the_command_names_the_install(tmp_path: Path) -> None:
    probe = (
        "import sys\nsys.modules['pygls'] = None\nfrom hedgecheck.cli import main\nmain(['lsp'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 2
    assert "pip install 'hedgecheck[lsp]'" in done.stderr
    assert "pygls" in done.stderr


def test_an_unsaved_buffer_is_checked_under_the_workspace_config(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text('select = ["HYP001"]\n')
    checked = check_document(
        "Miracle pill cures cancer.\n",
        uri="untitled:Untitled-1",
        language_id="markdown",
        projects=Projects(),
        root=tmp_path,
    )
    assert [d.code for d in diagnostics(checked, UTF16)] == ["HYP001"]
    without = check_document(
        "Miracle pill cures cancer.\n",
        uri="untitled:Untitled-1",
        language_id="markdown",
        projects=Projects(),
    )
    assert {"HYP001", "HYP002"} <= {d.code for d in diagnostics(without, UTF16)}


def test_a_document_over_max_file_size_is_one_diagnostic(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text("max-file-size = 0.00001\n")  # 10 bytes
    found = diagnostics(_check(tmp_path, HYPE), UTF16)
    assert [(d.code, d.range.start) for d in found] == [(None, types.Position(0, 0))]
    assert "max-file-size" in found[0].message
