"""SARIF 2.1.0 (OASIS), the format code-scanning tools read, GitHub's among them.

One run: ``tool.driver`` names hedgecheck and documents every rule that raised a finding
(the unused-suppression check HCS001 included), each with its summary, why, suggestion,
default level and category. Every finding is one result; claims are not results.

Every checked file is one entry of ``run.artifacts``, in the order of the reports, whose
``properties`` carry the file's ``evidenceTag`` and ``reportCard`` in the form the JSON
format gives them (``evidence_tag`` and ``report_card``: a dict, or null for a file without
prose, and a list of dicts, empty then). Results are not linked to artifacts by index, so a
result's location reads as it always has.

Positions: ``run.columnKind`` is ``unicodeCodePoints``, as hedgecheck counts characters.
``charOffset``/``charLength`` come from the finding's offsets; ``endLine``/``endColumn`` are
reconstructed without the source (exact for plain text; see :mod:`hedgecheck.formats._common`
for Markdown and HTML); the snippet is the flagged text as the prose reads, which for markup
may differ from the file's bytes. A relative path becomes a URI relative to ``%SRCROOT%``
(where hedgecheck ran); an absolute one a ``file:`` URI. A finding in a separately given title
(line 0) has no region, as its offsets do not point into the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from hedgecheck.formats._common import (
    ReportStream,
    Spool,
    described_edit,
    end_position,
    one_line,
    ruleset,
)
from hedgecheck.formats._safe import scalars
from hedgecheck.model import Edit, Finding, Report, Severity
from hedgecheck.ruledoc import RuleDoc, document
from hedgecheck.ruleset import RuleSet

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_URL_LABELS = ("homepage", "documentation", "source", "repository")


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    return json.dumps(sarif_log(reports, rules=rules), ensure_ascii=False, indent=2) + "\n"


def sarif_log(reports: Sequence[Report], *, rules: RuleSet | None = None) -> dict[str, Any]:
    """The SARIF log for ``reports`` as a dict."""
    known = ruleset(rules)
    found = [(report, finding) for report in reports for finding in report.findings]
    first: dict[str, Finding] = {}
    for _, finding in found:
        first.setdefault(finding.code, finding)
    descriptors = {code: _descriptor(document(code, known, first[code])) for code in first}
    index = {code: i for i, code in enumerate(sorted(first))}
    return _log(
        descriptors,
        [_artifact_entry(report) for report in reports],
        [_result(report, finding, index[finding.code]) for report, finding in found],
        relative=any(_is_relative(report.path) for report in reports),
    )


def _log(
    descriptors: dict[str, dict[str, Any]],
    artifacts: list[Any],
    results: list[Any],
    *,
    relative: bool,
) -> dict[str, Any]:
    """The log around these artifacts and results, documenting the rules of ``descriptors``
    (by code) in the order of their codes."""
    from hedgecheck import __version__

    driver: dict[str, Any] = {
        "name": "hedgecheck",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [descriptors[code] for code in sorted(descriptors)],
    }
    home = _information_uri()
    if home:
        driver["informationUri"] = home
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
    }
    if relative:
        run["originalUriBaseIds"] = {
            SRCROOT: {"description": {"text": "The directory hedgecheck was run from."}}
        }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


class Stream(ReportStream):
    """The log written one file at a time. The rules it documents and the index of each
    result's rule are known only once every file is in, so each file's artifact and results
    are set aside (in temporary files once there are many), one compact JSON line each, and
    the log is written out at the end, a piece at a time, in the bytes ``render`` gives:
    memory holds the descriptor of each rule seen, whatever the number of files.

    A record is a first line of the file's rule descriptors and whether its path is
    relative, its artifact's line, then one line per result (its ``ruleIndex`` still 0)."""

    def __init__(self, *, color: bool = False, rules: RuleSet | None = None) -> None:
        self._rules = rules
        self._descriptors: dict[str, dict[str, Any]] = {}
        self._relative = False
        self._artifacts = Spool()
        self._results = Spool()

    def record(self, report: Report) -> str:
        known = ruleset(self._rules)
        first: dict[str, Finding] = {}
        for finding in report.findings:
            first.setdefault(finding.code, finding)
        descriptors = {code: _descriptor(document(code, known, f)) for code, f in first.items()}
        lines = [
            [descriptors, _is_relative(report.path)],
            _artifact_entry(report),
            *(_result(report, finding, 0) for finding in report.findings),
        ]
        return "".join(_compact(line) + "\n" for line in lines)

    def add_record(self, record: str) -> str:
        share, artifact, results = record.split("\n", 2)
        descriptors, relative = json.loads(share)
        for code, descriptor in descriptors.items():
            self._descriptors.setdefault(code, descriptor)
        self._relative = self._relative or relative
        self._artifacts.write(artifact + "\n")
        self._results.write(results)
        return ""

    def end_pieces(self) -> Iterator[str]:
        # -1 and -2 stand for the lists: nothing else in the log is a number
        log = _log(self._descriptors, -1, -2, relative=self._relative)  # type: ignore[arg-type]
        outline = json.dumps(log, ensure_ascii=False, indent=2) + "\n"
        before, rest = outline.split('"artifacts": -1', 1)
        between, after = rest.split('"results": -2', 1)
        index = {code: i for i, code in enumerate(sorted(self._descriptors))}
        yield before + '"artifacts": '
        yield from _listed(self._artifacts, lambda item: item)
        yield between + '"results": '
        yield from _listed(self._results, lambda item: {**item, "ruleIndex": index[item["ruleId"]]})
        yield after


# A run's lists sit three levels deep: the log, "runs", the run.
_ITEM_INDENT = " " * 8


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _listed(spool: Spool, item: Callable[[Any], Any]) -> Iterator[str]:
    """The list of the items spooled (one JSON line each), as ``json.dumps(indent=2)``
    writes it at a run's level, a piece at a time."""
    count = 0
    for piece in spool.pieces():
        dumped = []
        for line in piece.split("\n"):
            if line:
                value = json.dumps(item(json.loads(line)), ensure_ascii=False, indent=2)
                start = "[\n" if count == 0 else ",\n"
                dumped.append(start + "\n".join(_ITEM_INDENT + x for x in value.split("\n")))
                count += 1
        yield "".join(dumped)
    yield "\n" + _ITEM_INDENT[:-2] + "]" if count else "[]"


def _descriptor(doc: RuleDoc) -> dict[str, Any]:
    why = doc.why or doc.summary
    help_text = why + (f"\n\nSuggestion: {doc.suggestion}" if doc.suggestion else "")
    descriptor: dict[str, Any] = {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": doc.summary or doc.name},
        "fullDescription": {"text": why or doc.name},
        "help": {"text": help_text or doc.name},
        "defaultConfiguration": {"level": LEVELS[doc.finding_severity]},
        "properties": {"category": doc.category, "tags": [t for t in (doc.category,) if t]},
    }
    if doc.source:
        descriptor["properties"]["source"] = doc.source
    return descriptor


def _result(report: Report, finding: Finding, rule_index: int) -> dict[str, Any]:
    message = f"{finding.message} (“{one_line(finding.text)}”)"
    physical: dict[str, Any] = {"artifactLocation": _artifact(report.path)}
    if finding.line >= 1:
        end_line, end_column = end_position(finding)
        physical["region"] = {
            "startLine": finding.line,
            "startColumn": finding.column,
            "endLine": end_line,
            "endColumn": end_column,
            "charOffset": finding.start,
            "charLength": finding.end - finding.start,
            "snippet": {"text": finding.text},
        }
    else:
        message += " (in the title)"
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
    }
    if finding.edit is not None and finding.line >= 1:
        result["fixes"] = [_fix(finding.edit, report.path)]
    if finding.suggestion or finding.quoted:
        result["properties"] = {
            k: v for k, v in (("suggestion", finding.suggestion), ("quoted", finding.quoted)) if v
        }
    return result


def _fix(edit: Edit, path: str | None) -> dict[str, Any]:
    """A finding's rewrite as a SARIF fix: one replacement, by character offsets."""
    replacement = {
        "deletedRegion": {"charOffset": edit.start, "charLength": edit.end - edit.start},
        "insertedContent": {"text": edit.replacement},
    }
    return {
        "description": {"text": f"Rewrite: {described_edit(edit)}"},
        "artifactChanges": [{"artifactLocation": _artifact(path), "replacements": [replacement]}],
    }


def _artifact_entry(report: Report) -> dict[str, Any]:
    """The ``artifact`` for one checked file, with its evidence tag and report card."""
    return {
        "location": _artifact(report.path),
        "properties": {
            "evidenceTag": report.evidence_tag.to_dict() if report.evidence_tag else None,
            "reportCard": [item.to_dict() for item in report.report_card],
        },
    }


def _is_relative(path: str | None) -> bool:
    return path not in (None, "-") and not PurePath(path).is_absolute()


def _artifact(path: str | None) -> dict[str, Any]:
    if path is None or path == "-":
        what = "standard input" if path == "-" else "text given without a path"
        return {"description": {"text": what}}
    path = scalars(path)  # a URI is quoted from UTF-8, which has no surrogates
    if PurePath(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(PurePath(path).as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _information_uri() -> str | None:
    """The project's home page, as its package metadata declares it (None if it declares none)."""
    try:
        urls = metadata.metadata("hedgecheck").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    by_label = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        by_label[label.strip().lower()] = url.strip()
    return next((by_label[k] for k in _URL_LABELS if k in by_label), None)
