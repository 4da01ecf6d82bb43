"""Big files in parts: a text or Markdown file longer than the part size is checked as a
run of articles, each ending at a paragraph break, so that memory holds one part's analysis
at a time instead of the whole file's.

A part is an article of its own: its study cues ("in mice", "not peer-reviewed") govern its
own claims, and only the first part has a headline. Every offset, line and column in a
part's report points into the whole file. A part never ends inside a fenced code block, a
``hedgecheck: disable`` … ``enable`` range, or between a directive alone on its line and
the paragraph it covers, so suppressions read the same as in one piece. HTML is never split:
its blocks may span any line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TypeVar

import regex

from hedgecheck.api import check
from hedgecheck.findings import FindingPolicy
from hedgecheck.model import CardItem, Claim, Cue, EvidenceTag, Finding, Mention, Part, Report
from hedgecheck.reading import DEFAULT_PART_CHARS
from hedgecheck.rules import RuleSet
from hedgecheck.suppressions import DIRECTIVE
from hedgecheck.text import LINE_BREAK

_Span = TypeVar("_Span", Claim, Cue, Finding, Mention)

# A paragraph longer than this many parts is cut at a line end instead of a blank line.
_PARAGRAPH_PARTS = 4
_LINE = regex.compile(r"[^\r\n]*(?:\r\n?|\n|$)")
_FENCE = regex.compile(r" {0,3}(`{3,}|~{3,})")


def part_spans(text: str, *, size: int, markdown: bool = False) -> list[tuple[int, int]]:
    """(start, end) offsets of the parts of ``text``, in order, covering all of it: each
    ends after a blank line once it holds ``size`` characters (or, inside a paragraph
    longer than ``_PARAGRAPH_PARTS`` parts, at a line end)."""
    if len(text) <= size:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    state = _Breaks(markdown=markdown)
    start = 0
    for line in _LINE.finditer(text):
        if line.start() == line.end():
            break
        blank = state.read(line.group())
        length = line.end() - start
        if state.may_break() and ((blank and length >= size) or length >= size * _PARAGRAPH_PARTS):
            spans.append((start, line.end()))
            start = line.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class _Breaks:
    """What the lines read so far leave open: a code fence, a ``disable`` range, or a
    directive waiting for the paragraph it covers."""

    def __init__(self, *, markdown: bool) -> None:
        self._markdown = markdown
        self._fence: str | None = None
        self._disabled: list[str] = []
        self._directive_waits = False

    def read(self, line: str) -> bool:
        """Take in one line; whether it is blank."""
        blank = not line.strip()
        if self._markdown:
            fence = _FENCE.match(line)
            if fence and self._fence is None:
                self._fence = fence.group(1)[0] * 3
            elif fence and fence.group(1).startswith(self._fence or "\0"):
                self._fence = None
        if "hedgecheck" in line.lower():
            for directive in DIRECTIVE.finditer(line):
                self._directive(directive["verb"].lower(), directive["codes"] or "")
            self._directive_waits = True
        elif not blank:
            self._directive_waits = False
        return blank

    def _directive(self, verb: str, codes: str) -> None:
        normal = ",".join(sorted(c.strip().lower() for c in codes.split(",") if c.strip()))
        if verb == "disable":
            self._disabled.append(normal)
        elif verb == "enable" and not normal:
            self._disabled.clear()
        elif verb == "enable" and normal in self._disabled:
            self._disabled.remove(normal)

    def may_break(self) -> bool:
        return self._fence is None and not self._disabled and not self._directive_waits


def check_parts(
    text: str,
    *,
    size: int = DEFAULT_PART_CHARS,
    rules: RuleSet | None = None,
    path: str | None = None,
    format: str = "text",
    policy: FindingPolicy | None = None,
) -> Iterator[Report]:
    """``check`` on ``text`` part by part, one report per part (a single report, without
    ``part``, when the text fits in one). HTML is always checked in one piece."""
    spans = (
        [(0, len(text))]
        if format == "html"
        else part_spans(text, size=size, markdown=format == "markdown")
    )
    if len(spans) == 1:
        yield check(text, rules=rules, path=path, format=format, policy=policy)
        return
    line, counted = 1, 0
    for index, (start, end) in enumerate(spans, 1):
        line += sum(1 for _ in LINE_BREAK.finditer(text, counted, start))
        counted = start
        report = check(
            text[start:end],
            title=None if index == 1 else "",
            rules=rules,
            path=path,
            format=format,
            policy=policy,
        )
        shift = _Shift(start, line - 1)
        yield replace(shift.report(report), part=Part(index, len(spans), start, end, line))


class _Shift:
    """Offsets and lines of a part's report moved to where the part lies in the file."""

    def __init__(self, offset: int, lines: int) -> None:
        self.offset = offset
        self.lines = lines

    def report(self, report: Report) -> Report:
        tag = report.evidence_tag
        return replace(
            report,
            claims=tuple(self.claim(c) for c in report.claims),
            findings=tuple(self.span(f) for f in report.findings),
            study_cues=tuple(self.cue(c) for c in report.study_cues),
            evidence_tag=None if tag is None else self.tag(tag),
            report_card=tuple(self.card_item(i) for i in report.report_card),
        )

    def claim(self, claim: Claim) -> Claim:
        return replace(self.span(claim), cues=tuple(self.cue(c) for c in claim.cues))

    def cue(self, cue: Cue) -> Cue:
        reach = cue.scope_span
        moved = None if reach is None else (reach[0] + self.offset, reach[1] + self.offset)
        return replace(self.span(cue), scope_span=moved)

    def tag(self, tag: EvidenceTag) -> EvidenceTag:
        return replace(tag, basis=tuple(self.span(m) for m in tag.basis))

    def card_item(self, item: CardItem) -> CardItem:
        return replace(item, evidence=tuple(self.span(m) for m in item.evidence))

    def span(self, item: _Span) -> _Span:
        return replace(
            item,
            start=item.start + self.offset,
            end=item.end + self.offset,
            line=item.line + self.lines if item.line > 0 else 0,
        )
