"""A document's text in, what the editor shows out: diagnostics, hovers and code actions.

Pure functions over a :class:`Checked` document (its text, lines and report), so they can be
tested without a server. Every range is made by :class:`hedgecheck.lsp.positions.Lines` with
the position codec the client and server agreed on.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import regex
from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace import PositionCodec

from hedgecheck.api import check
from hedgecheck.budget import ScanBudget
from hedgecheck.documents import format_for_path
from hedgecheck.errors import HedgecheckError
from hedgecheck.formats._common import described_edit
from hedgecheck.lsp.positions import Lines
from hedgecheck.lsp.projects import Projects
from hedgecheck.model import Claim, Finding, Report, Severity
from hedgecheck.scanning import SCAN_EXTENSIONS
from hedgecheck.suppressions import UNUSED_CODE

SOURCE = "hedgecheck"
# The editor's language ids hedgecheck reads (VS Code says "plaintext", Neovim "text"), and
# the input format of each; a document of another language is checked only when its file
# has an extension a scan reads.
LANGUAGES = {"markdown": "markdown", "html": "html", "plaintext": "text", "text": "text"}
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# What may stand beside a directive on a line that holds nothing else (as suppressions reads
# a directive alone on its line).
_BESIDE_DIRECTIVE = regex.compile(r"<!--|-->|^\s*(?:#|//|%|;)|\s")
_MARKDOWN_SPECIAL = regex.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


@dataclass(frozen=True, slots=True)
class Checked:
    """One version of a document, checked. ``report`` is None when the document is not
    checked (its configuration excludes it, or hedgecheck does not read its language) or
    could not be (``problems``: a configuration or rule pack that cannot be used)."""

    text: str
    lines: Lines
    report: Report | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A finding's fix: the span of the text to replace, and what with."""

    title: str
    start: int
    end: int
    text: str


def check_document(
    text: str, *, uri: str, language_id: str, projects: Projects, root: Path | None = None
) -> Checked:
    """Check ``text`` as the file at ``uri`` would be scanned, under its configuration
    (a document with no file: the configuration of ``root``, the workspace's folder)."""
    lines = Lines.of(text)
    path = file_path(uri)
    try:
        project = projects.for_path(path or root)
    except HedgecheckError as exc:
        return Checked(text, lines, problems=(f"configuration: {exc}",))
    config = project.config
    if path is not None and config.excludes(path):
        return Checked(text, lines)
    input_format = _input_format(config.input_format, language_id, path)
    if input_format is None:
        return Checked(text, lines)
    if len(text.encode("utf-8", "surrogatepass")) > config.max_bytes:
        size = f"{config.max_bytes / 2**20:g} MB"
        return Checked(text, lines, problems=(f"not checked: larger than max-file-size {size}",))
    report = check(
        text,
        rules=project.rules,
        path=None if path is None else str(path),
        format=input_format,
        policy=config.policy if path is None else config.policy_for(str(path)),
        budget=ScanBudget(config.rule_budget),
    )
    return Checked(text, lines, report=report)


def file_path(uri: str) -> Path | None:
    """The file a ``file:`` URI names; None for any other scheme (an unsaved buffer)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return None if path is None else Path(path)


def _input_format(configured: str, language_id: str, path: Path | None) -> str | None:
    """The config's input format, else the editor's language, else the file's extension
    (as a scan reads it); None for a document hedgecheck does not read."""
    if configured != "auto":
        return configured
    if language_id in LANGUAGES:
        return LANGUAGES[language_id]
    if path is not None and path.suffix.lower() in SCAN_EXTENSIONS:
        return format_for_path(path)
    return None


def diagnostics(checked: Checked, codec: PositionCodec) -> list[types.Diagnostic]:
    """One diagnostic per finding (label-gate failures included), and one at the top of
    the document for each problem or error of the check."""
    top = types.Range(types.Position(0, 0), types.Position(0, 0))
    errors = list(checked.problems)
    found: list[types.Diagnostic] = []
    if checked.report is not None:
        errors += checked.report.errors
        found = [_diagnostic(f, checked.lines, codec) for f in checked.report.findings]
    return [
        *(
            types.Diagnostic(
                range=top, message=e, severity=types.DiagnosticSeverity.Error, source=SOURCE
            )
            for e in errors
        ),
        *found,
    ]


def _diagnostic(finding: Finding, lines: Lines, codec: PositionCodec) -> types.Diagnostic:
    message = finding.message
    if finding.quoted:
        message += " (in a quotation)"
    if finding.suggestion:
        message += f"\nSuggestion: {finding.suggestion}"
    return types.Diagnostic(
        range=lines.range(finding.start, finding.end, codec),
        message=message,
        severity=_SEVERITIES[finding.severity],
        code=finding.code,
        source=SOURCE,
    )


def hover(checked: Checked, position: types.Position, codec: PositionCodec) -> types.Hover | None:
    """The claim under ``position``: its label and its cues."""
    if checked.report is None:
        return None
    offset = checked.lines.offset(position, codec)
    under = [c for c in checked.report.claims if c.start <= offset < c.end]
    if not under:
        return None
    claim = min(under, key=lambda c: c.end - c.start)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=claim_markdown(claim)),
        range=checked.lines.range(claim.start, claim.end, codec),
    )


def claim_markdown(claim: Claim) -> str:
    """A claim's label, strength, certainty and evidence grade, and a table of its cues."""
    grade = claim.evidence.grade
    lines = [
        f"**hedgecheck: {claim.label.value}** claim · strength {claim.strength.value} · "
        f"certainty {claim.certainty:.2f}"
        + (f" · evidence supports at most {grade}" if grade else ""),
        "",
    ]
    if not claim.cues:
        return "\n".join([*lines, "No cues."])
    lines += ["| rule | cue | weight |", "|---|---|---:|"]
    for cue in claim.cues:
        scope = " (study)" if cue.scope == "document" else ""
        lines.append(f"| `{cue.rule}` | {_markdown_text(cue.text)}{scope} | {cue.weight:+.2f} |")
    return "\n".join(lines)


def _markdown_text(text: str) -> str:
    """``text`` shown as it is in Markdown: no markup of its own, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code_actions(
    checked: Checked, uri: str, selected: types.Range, codec: PositionCodec
) -> list[types.CodeAction]:
    """A quick fix for each finding in ``selected`` that has a rewrite."""
    if checked.report is None:
        return []
    lines = checked.lines
    start, end = lines.offset(selected.start, codec), lines.offset(selected.end, codec)
    actions = []
    for finding in checked.report.findings:
        if finding.end < start or finding.start > end:
            continue
        rewrite = rewrite_of(finding, checked.text, lines)
        if rewrite is None:
            continue
        edit = types.TextEdit(
            range=lines.range(rewrite.start, rewrite.end, codec), new_text=rewrite.text
        )
        actions.append(
            types.CodeAction(
                title=rewrite.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[_diagnostic(finding, lines, codec)],
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
                is_preferred=True,
            )
        )
    return actions


def rewrite_of(finding: Finding, text: str, lines: Lines) -> Rewrite | None:
    """The edit a finding offers: its rule's rewrite (``Finding.edit``, "a groundbreaking
    study" → "a study"), or an unused suppression's removal ("remove the directive": the
    directive goes, with the comment or line that held nothing else). A suggestion that is
    advice for a writer ("name the study's design") is no edit."""
    if finding.edit is not None:
        edit = finding.edit
        return Rewrite(f"Rewrite: {described_edit(edit)}", edit.start, edit.end, edit.replacement)
    if finding.code != UNUSED_CODE:
        return None
    number = bisect_right(lines.starts, finding.start) - 1
    row, row_start = lines.rows[number], lines.starts[number]
    before, after = row[: finding.start - row_start], row[finding.end - row_start :]
    directive = text[finding.start : finding.end]
    title = f"Remove the unused `{directive}`"
    if not _BESIDE_DIRECTIVE.sub("", before + after.rstrip("\r\n")):
        return Rewrite(title, row_start, row_start + len(row), "")
    opening = regex.search(r"[ \t]*<!--\s*$", before)
    closing = regex.match(r"\s*-->", after)
    if opening and closing:
        return Rewrite(title, row_start + opening.start(), finding.end + closing.end(), "")
    return Rewrite(title, finding.start, finding.end, "")
