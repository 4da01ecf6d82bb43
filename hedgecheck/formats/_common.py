"""What several formats share: a finding's end position, the rule set, the summaries of a
run, and what a streamed format keeps until its end.

Formatters get the reports and the rule set, never the source text, so two things are
reconstructed here:

* **The end of a finding.** A finding has ``start``/``end`` offsets and the line and column of
  ``start``. Its end line is ``line`` plus the line breaks in ``finding.text`` (CR LF, LF or a lone
  CR, as :class:`hedgecheck.text.LineIndex` counts them); its end column
  (exclusive, the column just past the last character) is ``column + (end - start)`` when the
  text has no line break, else one past the length of the text's last line. This is exact for
  plain text, where ``text`` is the source slice. In Markdown and HTML, ``text`` is prose
  (markup removed, entities decoded): on one line ``end - start`` still measures the source,
  so the column is exact; across lines the last line's length comes from the prose, so a
  Markdown quote marker (``>``) or an HTML tag on that line shifts it. ``charOffset`` and
  ``charLength`` (from ``start``/``end``) are always exact.
* **The rule set** a format documents codes from (:mod:`hedgecheck.ruledoc` renders them):
  the one the report was made with, else the default packs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from hedgecheck.formats._safe import visible
from hedgecheck.loader import default_rules
from hedgecheck.model import CardItem, Edit, EvidenceTag, Finding, Report, Severity
from hedgecheck.ruleset import RuleSet
from hedgecheck.text import LINE_BREAK

if TYPE_CHECKING:
    from tempfile import SpooledTemporaryFile


def ruleset(rules: RuleSet | None) -> RuleSet:
    """The rule set a format documents codes from: the one given, else the default packs."""
    return rules if rules is not None else default_rules()


def end_position(finding: Finding) -> tuple[int, int]:
    """1-based line and exclusive column where ``finding`` ends (see the module docstring)."""
    rows = LINE_BREAK.split(finding.text)
    if len(rows) == 1:
        return finding.line, finding.column + (finding.end - finding.start)
    return finding.line + len(rows) - 1, len(rows[-1]) + 1


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    """Findings per severity, highest first, every severity present (zero when none)."""
    return ranked_counts(Counter(f.severity for f in findings))


def ranked_counts(counts: Counter[Severity]) -> dict[Severity, int]:
    """``counts`` highest severity first, every severity present (zero when none)."""
    return {s: counts.get(s, 0) for s in sorted(Severity, key=lambda s: -s.rank)}


def by_severity(counts: dict[Severity, int]) -> str:
    """``1 error, 2 warning, 0 info``: :func:`severity_counts` in words."""
    return ", ".join(f"{n} {s.value}" for s, n in counts.items())


def all_findings(reports: Sequence[Report]) -> list[Finding]:
    return [finding for report in reports for finding in report.findings]


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) as one space."""
    return " ".join(text.split())


def display_path(report: Report) -> str:
    """The report's path as people may be shown it (controls and line breaks as escapes)."""
    return visible(report.path) if report.path else "<text>"


def report_title(report: Report) -> str:
    """The path, and for one part of a big file which part it is and where it starts."""
    part = report.part
    if part is None:
        return display_path(report)
    return f"{display_path(report)} (part {part.index} of {part.count}, from line {part.line})"


def files_summary(reports: Sequence[Report]) -> str:
    """ "3 file(s)", counting a file read in parts once: "3 file(s) (1 in 5 parts)"."""
    parts = [r.part for r in reports]
    files = sum(1 for p in parts if p is None or p.index == 1)
    parted = [p.count for p in parts if p is not None and p.index == 1]
    return _files_text(files, len(parted), sum(parted))


def _files_text(files: int, parted: int, parts: int) -> str:
    if not parted:
        return f"{files} file(s)"
    return f"{files} file(s) ({parted} in {parts} parts)"


# -- the evidence tag and the report card, as one-line summaries --------------------------

CARD_SYMBOLS = {"satisfied": "✓", "not satisfied": "✗", "not applicable": "–"}


def criterion_name(criterion: str) -> str:
    """A report-card criterion as people read it: ``disease_mongering`` → ``disease mongering``."""
    return criterion.replace("_", " ")


def tag_summary(tag: EvidenceTag | None) -> str:
    """``peer-reviewed no · study type animal · subjects people``; a file without prose has no
    tag, which reads ``not assessed (no prose)``."""
    if tag is None:
        return "not assessed (no prose)"
    return (
        f"peer-reviewed {tag.peer_reviewed} · study type {study_type(tag)} · "
        f"subjects {tag.subjects or 'not stated'}"
    )


def study_type(tag: EvidenceTag) -> str:
    """``clinical trial (randomised trial)``: the tag's study type, with the finer design
    when it says more; ``not stated`` when there is none."""
    if tag.study_type is None:
        return "not stated"
    if tag.design and tag.design != tag.study_type:
        return f"{tag.study_type} ({tag.design})"
    return tag.study_type


def card_score(card: Sequence[CardItem]) -> str:
    """``4/10 satisfied``: satisfied over the criteria that apply, with the ones that do not
    apply counted after (``4/9 satisfied, 1 not applicable``); ``not assessed (no prose)``
    for an empty card."""
    if not card:
        return "not assessed (no prose)"
    satisfied = sum(1 for item in card if item.status == "satisfied")
    inapplicable = sum(1 for item in card if item.status == "not applicable")
    score = f"{satisfied}/{len(card) - inapplicable} satisfied"
    return score + (f", {inapplicable} not applicable" if inapplicable else "")


def card_summary(card: Sequence[CardItem]) -> str:
    """``4/10 satisfied — costs ✗, benefits ✗, harms ✓, …`` (✓ satisfied, ✗ not satisfied,
    – not applicable)."""
    if not card:
        return card_score(card)
    marks = ", ".join(
        f"{criterion_name(item.criterion)} {CARD_SYMBOLS.get(item.status, '?')}" for item in card
    )
    return f"{card_score(card)} — {marks}"


PIECE_CHARS = 1 << 16


def line_pieces(lines: Iterable[str]) -> Iterator[str]:
    """The lines, each with a line end, joined into pieces of about ``PIECE_CHARS``
    characters: what a format writes of a big report at a time."""
    held: list[str] = []
    size = 0
    for line in lines:
        held.append(line + "\n")
        size += len(line) + 1
        if size >= PIECE_CHARS:
            yield "".join(held)
            held, size = [], 0
    if held:
        yield "".join(held)


class ReportStream:
    """What the stream of every format shares (see :mod:`hedgecheck.formats`): nothing before
    the first report, a report added as its record, and an end made of pieces. A format
    says how a report becomes its record; one that writes more than its records also says
    what ``add_record`` keeps and what ``end_pieces`` gives."""

    def __init__(self, *, color: bool = False, rules: RuleSet | None = None) -> None:
        pass

    def begin(self) -> str:
        return ""

    def add(self, report: Report) -> str:
        return self.add_record(self.record(report))

    def record(self, report: Report) -> str:
        raise NotImplementedError

    def pieces(self, report: Report) -> Iterator[str]:
        """``record(report)`` in pieces, made as they are asked for; a format whose records
        grow with the text makes them a few claims at a time."""
        yield self.record(report)

    def add_record(self, record: str) -> str:
        return record

    def add_pieces(self, pieces: Iterable[str]) -> Iterator[str]:
        """``add_record`` of the record these pieces make, in pieces; a format that writes
        its records as they come passes them on as they come."""
        yield self.add_record("".join(pieces))

    def end(self) -> str:
        return "".join(self.end_pieces())

    def end_pieces(self) -> Iterator[str]:
        return iter(())

    @classmethod
    def render(cls, reports: Sequence[Report]) -> str:
        """The whole output of ``reports`` at once."""
        stream = cls()
        return stream.begin() + "".join(stream.add(r) for r in reports) + stream.end()


# -- what a streamed format keeps until its end ------------------------------------------------


class Tally:
    """The totals a streamed format states over every report (files, a file in parts once;
    claims; findings by severity), added up from records alone: a record made by
    :meth:`counted` carries its report's share on its first line, so the parent of a
    ``--jobs`` run, which never sees the reports, counts them in the same numbers."""

    def __init__(self) -> None:
        self.reports = self.files = self.parted = self.parts = self.claims = 0
        self.severities: Counter[Severity] = Counter()

    @staticmethod
    def counted(report: Report, body: str) -> str:
        """``body``, the record of ``report``, after a first line of its share of the totals:
        its part ("index/count", or "-"), its claims and its findings by severity, in words
        (JSON would have a text scan import json for this line alone)."""
        part = "-" if report.part is None else f"{report.part.index}/{report.part.count}"
        severities = Counter(f.severity.value for f in report.findings)
        tallied = "".join(f" {severity}={n}" for severity, n in severities.items())
        return f"{part} {len(report.claims)}{tallied}\n{body}"

    def add(self, record: str) -> str:
        """Count a :meth:`counted` record in; its body."""
        share, body = record.split("\n", 1)
        part, claims, *tallied = share.split(" ")
        index, _, count = part.partition("/")
        self.reports += 1
        if part == "-" or index == "1":
            self.files += 1
        if index == "1":
            self.parted += 1
            self.parts += int(count)
        self.claims += int(claims)
        for severity, _, n in (t.partition("=") for t in tallied):
            self.severities[Severity(severity)] += int(n)
        return body

    def files_summary(self) -> str:
        """What :func:`files_summary` says of the reports counted."""
        return _files_text(self.files, self.parted, self.parts)

    def findings(self) -> int:
        return sum(self.severities.values())

    def severity_counts(self) -> dict[Severity, int]:
        """What :func:`severity_counts` says of the findings counted."""
        return ranked_counts(self.severities)


SPOOL_CHARS = 8 << 20
_READ_CHARS = 1 << 16


class Spool:
    """Text a streamed format sets aside until its end: in memory up to ``SPOOL_CHARS``
    characters, then in a temporary file, so that memory stays flat over any number of files."""

    def __init__(self) -> None:
        self._file: SpooledTemporaryFile[str] | None = None

    def write(self, text: str) -> None:
        if self._file is None:
            # kept open across calls: pieces() reads it back and closes it
            from tempfile import SpooledTemporaryFile  # only once something is set aside

            self._file = SpooledTemporaryFile(SPOOL_CHARS, mode="w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._file.write(text)

    def close(self) -> None:
        """Let go of the text unread."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def pieces(self) -> Iterator[str]:
        """The text written, in pieces that each end at a line end (or the end), once."""
        if self._file is None:
            return
        with self._file as spooled:
            spooled.seek(0)
            held = ""
            while chunk := spooled.read(_READ_CHARS):
                held += chunk
                cut = held.rfind("\n") + 1
                if cut:
                    yield held[:cut]
                    held = held[cut:]
            if held:
                yield held
        self._file = None


def described_edit(edit: Edit) -> str:
    """A finding's rewrite for a reader: "drop “groundbreaking”", "“miracle drug” → “drug”"."""
    before, after = edit.text.strip(), edit.replacement.strip()
    return f"drop “{before}”" if not after else f"“{before}” → “{after}”"
