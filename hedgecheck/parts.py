"""Big files in parts: a text or Markdown file longer than the part size is checked as a
run of articles, each ending at a paragraph break, so that memory holds one part's analysis
at a time instead of the whole file's.

A part is an article of its own: its study cues ("in mice", "not peer-reviewed") govern its
own claims, and only the first part has a headline. Every offset, line and column in a
part's report points into the whole file. A part never ends inside a fenced code block, a
``hedgecheck: disable`` … ``enable`` range, or between a directive alone on its line and
the paragraph it covers, so suppressions read the same as in one piece. ``check_stream``
reads a big file line by line, twice (once to find where the parts end, once to check them),
so the file is never held whole either.

A line longer than a part (a file with no line break, an article on one line) is read in
pieces (``hedgecheck.reading.lines_of``), so that no line is held whole, and a part may end
where one of its pieces ends: where a sentence starts, as the segmenter splits sentences.
A part that starts inside a line keeps that line's columns. Lines no longer than a part end
parts as they always did.

An HTML file's blocks may span any line, and minified HTML has a single line: its prose
blocks are grouped into parts of ``size`` characters of prose, each ending where a block
ends. The tokenizer (which keeps no tree) reads the file once to find where the parts start
and again to give each part's blocks when the part is checked, so the blocks of one part are
held at a time. A part may then start inside a line; its columns on that line still
count from the line's start.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TypeVar

from hedgecheck.api import check, check_arguments, check_document, text_of
from hedgecheck.arguments import require_count
from hedgecheck.budget import ScanBudget
from hedgecheck.documents.blocks import DraftBlock, assemble
from hedgecheck.documents.sourcemap import Piece
from hedgecheck.findings import FindingPolicy
from hedgecheck.lexicon import Lexicon
from hedgecheck.model import CardItem, Claim, Cue, EvidenceTag, Finding, Mention, Part, Report
from hedgecheck.patterns import compiled
from hedgecheck.reading import DEFAULT_PART_CHARS, StreamedSource, lines_of
from hedgecheck.ruleset import RuleSet
from hedgecheck.suppressions import DIRECTIVE
from hedgecheck.text import LINE_BREAK

_Span = TypeVar("_Span", Claim, Cue, Finding, Mention)

# A paragraph longer than this many parts is cut at a line end instead of a blank line.
_PARAGRAPH_PARTS = 4
_FENCE = compiled(r" {0,3}(`{3,}|~{3,})")
_LINE_ENDS = ("\n", "\r")
# Characters of a long line read at a time: small beside a part, big beside a sentence.
_PIECE = 1 << 16


def part_spans(
    text: str, *, size: int, markdown: bool = False, lexicon: Lexicon | None = None
) -> list[tuple[int, int]]:
    """(start, end) offsets of the parts of ``text``, in order, covering all of it: each
    ends after a blank line once it holds ``size`` characters (or, inside a paragraph
    longer than ``_PARAGRAPH_PARTS`` parts, at a line end; inside a line longer than
    ``size``, where a sentence starts, as ``lexicon``'s abbreviations tell: by default the
    default packs')."""
    if len(text) <= size:
        return [(0, len(text))]
    lines = lines_of([text], longest=piece_chars(size), lexicon=lexicon)
    return spans_of_lines(lines, size=size, markdown=markdown)


def _lexicon_of(rules: RuleSet | None) -> Lexicon | None:
    """The lexicon a scan's parts are cut by: its packs' (a house pack may add an
    abbreviation, after which no sentence starts), or the default packs'."""
    return rules.lexicon if rules is not None else None


def piece_chars(size: int) -> int:
    """The longest piece of a line read at a time for parts of ``size`` characters (see
    ``lines_of``): a part may end where a piece of a line longer than ``size`` ends, so a
    part inside such a line holds less than ``size`` and a piece. A line no longer than
    ``size`` (nor than 64K characters) is read whole, its directives and fences with it."""
    return min(size, _PIECE)


def spans_of_lines(
    lines: Iterable[str], *, size: int, markdown: bool = False
) -> list[tuple[int, int]]:
    """``part_spans`` of the text these lines (each with its line end, a long one in pieces
    of which only the last has one) make up."""
    spans: list[tuple[int, int]] = []
    state = _Breaks(markdown=markdown)
    start = offset = line_start = 0
    for line in lines:
        offset += len(line)
        inside = not line.endswith(_LINE_ENDS)  # a piece of a long line (or the file's end)
        blank = state.read(line, ends_line=not inside)
        length = offset - start
        if state.may_break() and (
            (blank and length >= size)
            or (not inside and length >= size * _PARAGRAPH_PARTS)
            # only a line longer than a part is cut: the others end parts as they did
            or (inside and length >= size and offset - line_start > size)
        ):
            spans.append((start, offset))
            start = offset
        if not inside:
            line_start = offset
    if start < offset or not spans:
        spans.append((start, offset))
    return spans


class _Breaks:
    """What the lines read so far leave open: a code fence, a ``disable`` range, or a
    directive waiting for the paragraph it covers."""

    def __init__(self, *, markdown: bool) -> None:
        self._markdown = markdown
        self._line_start = True  # the next piece read starts a line
        self._fence: str | None = None
        self._disabled: list[str] = []
        self._directive_waits = False

    def read(self, line: str, *, ends_line: bool = True) -> bool:
        """Take in one line, or a piece of a long one; whether it is a blank line."""
        starts_line, self._line_start = self._line_start, ends_line
        blank = starts_line and ends_line and not line.strip()
        if self._markdown and starts_line:
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
    text: str | bytes,
    *,
    size: int = DEFAULT_PART_CHARS,
    rules: RuleSet | None = None,
    path: str | None = None,
    format: str = "text",
    policy: FindingPolicy | None = None,
    budget: ScanBudget | None = None,
) -> Iterator[Report]:
    """``check`` on ``text`` part by part, one report per part (a single report, without
    ``part``, when the text fits in one). HTML is always checked in one piece. The arguments
    are checked at the call, before any report is asked for: a wrong one is a UsageError.
    Bytes are read as ``check`` reads them; the first report carries the reading's warnings.
    One ``budget`` (a fresh one when None) serves every part; each part is a file to it."""
    path = check_arguments(
        text,
        rules=rules,
        path=path,
        format=format,
        policy=policy,
        budget=budget,
        function="check_parts",
    )
    require_count(size, argument="check_parts(): size")
    if format == "docx":
        # A Word document is read whole from its bytes (check() refuses a str for it).
        return iter(
            (check(text, rules=rules, path=path, format=format, policy=policy, budget=budget),)
        )
    text, warnings = text_of(text, path=path, function="check_parts")
    reports = _reports_of_parts(
        text,
        size=size,
        rules=rules,
        path=path,
        format=format,
        policy=policy,
        budget=budget if budget is not None else ScanBudget(),
    )
    return _warned(reports, warnings) if warnings else reports


def _warned(reports: Iterator[Report], warnings: tuple[str, ...]) -> Iterator[Report]:
    """The reports, the first carrying the warnings of reading the text (as a file's do)."""
    for number, report in enumerate(reports):
        yield replace(report, warnings=warnings) if number == 0 else report
        del report  # not held while the next part is checked


def _reports_of_parts(
    text: str,
    *,
    size: int,
    rules: RuleSet | None,
    path: str | None,
    format: str,
    policy: FindingPolicy | None,
    budget: ScanBudget,
) -> Iterator[Report]:
    if format == "html":
        yield from _reports_of_html(
            text, size=size, rules=rules, path=path, policy=policy, budget=budget
        )
        return
    spans = part_spans(text, size=size, markdown=format == "markdown", lexicon=_lexicon_of(rules))
    if len(spans) == 1:
        yield check(text, rules=rules, path=path, format=format, policy=policy, budget=budget)
        return
    places = _places(text, [start for start, _ in spans])
    for index, ((start, end), (line, column)) in enumerate(zip(spans, places, strict=True), 1):
        where = Part(index, len(spans), start, end, line)
        yield _check_part(
            text[start:end],
            where,
            column=column,
            rules=rules,
            path=path,
            format=format,
            policy=policy,
            budget=budget,
        )


def _places(text: str, starts: list[int]) -> Iterator[tuple[int, int]]:
    """The line (1-based) and column (0-based: characters before it on its line) of each
    offset in ``starts``, in order."""
    line, column, counted = 1, 0, 0
    for start in starts:
        (line, column), counted = _place(text, start, line, column, counted), start
        yield line, column


def _place(text: str, start: int, line: int, column: int, counted: int) -> tuple[int, int]:
    """The line and column of ``start``, from those of ``counted`` (an offset before it)."""
    breaks = list(LINE_BREAK.finditer(text, counted, start))
    if breaks:
        return line + len(breaks), start - breaks[-1].end()
    return line, column + start - counted


def html_parts(text: str, *, size: int) -> list[tuple[int, int, list[DraftBlock]]]:
    """(start, end, draft blocks) of each part of an HTML ``text``, in order, covering all of
    it: a part ends where a block ends once it holds ``size`` characters of prose (and
    never inside a ``disable`` range, nor after a directive waiting for its paragraph)."""
    return list(_html_parts(text, size=size)[1])


def _html_parts(text: str, *, size: int) -> tuple[int, Iterator[tuple[int, int, list[DraftBlock]]]]:
    """How many parts ``html_parts`` finds, and the parts, each read when it is asked for:
    one pass of the tokenizer finds where the parts start (two when the document title is
    the headline, known only at the end), the last gives each part's blocks, so memory
    holds one part's blocks, never the file's."""
    # Imported here: a text or Markdown scan need not pay for importing html.parser.
    from hedgecheck.documents.html import HtmlBlocks, html_drafts

    if len(text) <= size:
        return 1, iter([(0, len(text), html_drafts(text))])
    reading = HtmlBlocks(text)
    firsts = _part_firsts(text, iter(reading), size=size)
    if reading.title is not None:
        firsts = _part_firsts(text, _titled(reading.title, HtmlBlocks(text)), size=size)
    return len(firsts), _grouped(text, _titled(reading.title, HtmlBlocks(text)), firsts)


def _titled(title: DraftBlock | None, blocks: Iterable[DraftBlock]) -> Iterator[DraftBlock]:
    if title is not None:
        yield title
    yield from blocks


def _part_firsts(text: str, drafts: Iterator[DraftBlock], *, size: int) -> list[tuple[int, int]]:
    """(number of its first draft, start) of each part."""
    firsts = [(0, 0)]
    state = _Breaks(markdown=False)
    prose = reach = fed = 0
    for number, draft in enumerate(drafts):
        if draft.pieces:
            first = min(piece.start for piece in draft.pieces)
            if first > fed:
                state.read(text[fed:first])
                fed = first
            # an alt text sits inside its paragraph: no part may end between the two
            if prose >= size and reach <= first and state.may_break():
                firsts.append((number, reach))
                prose = 0
            reach = max(reach, *(piece.end for piece in draft.pieces))
            prose += sum(len(piece.text) for piece in draft.pieces)
    return firsts


def _grouped(
    text: str, drafts: Iterator[DraftBlock], firsts: list[tuple[int, int]]
) -> Iterator[tuple[int, int, list[DraftBlock]]]:
    ends = [start for _, start in firsts[1:]] + [len(text)]
    group: list[DraftBlock] = []
    index = 0
    for number, draft in enumerate(drafts):
        if index + 1 < len(firsts) and number == firsts[index + 1][0]:
            yield firsts[index][1], ends[index], group
            group, index = [], index + 1
        group.append(draft)
    yield firsts[index][1], ends[index], group


def _reports_of_html(
    text: str,
    *,
    size: int,
    rules: RuleSet | None,
    path: str | None,
    policy: FindingPolicy | None,
    budget: ScanBudget,
) -> Iterator[Report]:
    count, parts = _html_parts(text, size=size)
    if count == 1:
        yield check(text, rules=rules, path=path, format="html", policy=policy, budget=budget)
        return
    # The parts are read one at a time (their drafts are not all held): each part's place
    # is found as the part comes.
    line, column, counted = 1, 0, 0
    for index, (start, end, drafts) in enumerate(parts, 1):
        (line, column), counted = _place(text, start, line, column, counted), start
        document = assemble(text[start:end], "html", _moved(drafts, -start))
        del drafts  # the drafts checked are let go
        report = check_document(
            document,
            title=None if index == 1 else "",
            rules=rules,
            path=path,
            policy=policy,
            budget=budget,
        )
        where = Part(index, count, start, end, line)
        yield replace(_Shift(start, line - 1, column).report(report), part=where)


def _moved(drafts: list[DraftBlock], by: int) -> list[DraftBlock]:
    return [
        DraftBlock(d.kind, [Piece(p.text, p.start + by, p.end + by, p.copied) for p in d.pieces])
        for d in drafts
    ]


def check_stream(
    source: StreamedSource,
    *,
    size: int = DEFAULT_PART_CHARS,
    rules: RuleSet | None = None,
    format: str = "text",
    policy: FindingPolicy | None = None,
    budget: ScanBudget | None = None,
) -> Iterator[Report]:
    """``check_parts`` on a file read line by line, never whole: one pass finds where the
    parts end, a second reads and checks one part at a time. The file's warnings (bytes
    that are not UTF-8) go with the first report. Raises InputError when the file turns
    out to be binary, or grows past its size limit, as it is read: the first pass reads it
    all, so that comes before any report unless the file changes between the passes."""
    longest, lexicon = piece_chars(size), _lexicon_of(rules)
    lines = source.lines(longest=longest, lexicon=lexicon)
    spans = spans_of_lines(lines, size=size, markdown=format == "markdown")
    budget = budget if budget is not None else ScanBudget()
    warnings = source.warnings
    parts = _texts_of_parts(source.lines(longest=longest, lexicon=lexicon), spans)
    for number, (text, start, end, line, column) in enumerate(parts, 1):
        if len(spans) == 1:
            report = check(
                text,
                rules=rules,
                path=source.shown,
                format=format,
                policy=policy,
                budget=budget,
            )
        else:
            where = Part(number, len(spans), start, end, line)
            report = _check_part(
                text,
                where,
                column=column,
                rules=rules,
                path=source.shown,
                format=format,
                policy=policy,
                budget=budget,
            )
        yield replace(report, warnings=warnings) if number == 1 and warnings else report
        del report, text  # not held while the next part is read and checked


def _texts_of_parts(
    lines: Iterator[str], spans: list[tuple[int, int]]
) -> Iterator[tuple[str, int, int, int, int]]:
    """Each part's text, start, end, first line and column (characters before it on that
    line), from the lines of the whole text (a long one in pieces)."""
    line, column = 1, 0
    for start, end in spans:
        held: list[str] = []
        offset, first, shift = start, line, column
        while offset < end:
            text = next(lines, "")
            if not text:
                break  # the file shrank since the first pass
            held.append(text)
            offset += len(text)
            if text.endswith(_LINE_ENDS):
                line, column = line + 1, 0
            else:
                column += len(text)  # a piece of a long line: the next goes on in it
        yield "".join(held), start, end, first, shift


def _check_part(
    text: str,
    where: Part,
    *,
    column: int = 0,
    rules: RuleSet | None,
    path: str | None,
    format: str,
    policy: FindingPolicy | None,
    budget: ScanBudget,
) -> Report:
    """One part checked as an article (a headline only in the first), its positions moved
    to where it lies in the file (``column``: characters before it on its first line)."""
    report = check(
        text,
        title=None if where.index == 1 else "",
        rules=rules,
        path=path,
        format=format,
        policy=policy,
        budget=budget,
    )
    return replace(_Shift(where.start, where.line - 1, column).report(report), part=where)


class _Shift:
    """Offsets and lines of a part's report moved to where the part lies in the file."""

    def __init__(self, offset: int, lines: int, column: int = 0) -> None:
        self.offset = offset
        self.lines = lines
        self.column = column  # of the part's start, in its line
        # a study-level cue is one object shared by the claims it governs: moved once, it
        # stays shared (by id: the report moved holds every cue while it is moved)
        self._moved: dict[int, Cue] = {}

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
        if cue.scope != "document":
            return self._cue(cue)
        moved = self._moved.get(id(cue))
        if moved is None:
            moved = self._moved[id(cue)] = self._cue(cue)
        return moved

    def _cue(self, cue: Cue) -> Cue:
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
            column=item.column + self.column if item.line == 1 else item.column,
        )
