"""The article in the HTML page: its prose with each claim tinted by its label, each cue
underlined and each finding shown where it was raised.

The article is the report's ``source`` (the text its offsets point into). Plain text is
shown as it is; Markdown and HTML are read again into their prose, and each offset in the
report is carried into the prose through the reader's source map, so no markup is shown.
A report without its source (made by hand, or read back from JSON) falls back to the
claims alone, in order, one paragraph per source line; there a cue is placed in its claim
by :func:`locate_cues`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby

from hedgecheck.documents import read_document
from hedgecheck.formats._common import described_edit, one_line
from hedgecheck.formats._safe import html_text
from hedgecheck.model import Claim, Cue, Finding, Report
from hedgecheck.patterns import compiled

_CUE_GROUPS = {
    "hedge": "hedge",
    "booster": "booster",
    "hype": "hype",
    "negation": "negation",
    "relation": "relation",
    "design": "evidence",
    "subject": "evidence",
    "sample": "evidence",
    "publication": "evidence",
    "limitation": "evidence",
}
_SEVERITY_MARK = {"error": "✖", "warning": "▲", "info": "●"}
# A paragraph of the article: text between blank lines.
_PARAGRAPH_BREAK = compiled(r"\n[ \t\f\v\r]*\n\s*")
# What a note (a block) already stands for: the line break or the spaces after it.
_AFTER_NOTE = compiled(r"\n|[ \t]+(?=\S)")
# Where a sentence ends: the place a finding outside any claim is shown after.
_SENTENCE_END = compiled(r"[.!?…][\"'”’)\]]*(?=\s|$)")


@dataclass(frozen=True, slots=True)
class _Placed:
    """A cue and where its text sits inside the claim text."""

    cue: Cue
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Article:
    """The article as shown: its prose, and where each source offset of the report falls in
    it (``starts[i]`` is the source offset of prose character ``i``; None when the prose is
    the source)."""

    text: str
    base: int
    starts: list[int] | None

    def at(self, offset: int) -> int:
        """Where source offset ``offset`` (of the whole file) falls in the prose."""
        local = offset - self.base
        if self.starts is None:
            return min(max(local, 0), len(self.text))
        return bisect_left(self.starts, local)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    item: Claim | Cue


def article(report: Report, ref: str) -> str:
    """The whole article with claims, cues and findings in place; only the claims when the
    report does not carry its source."""
    article = _prose(report)
    if article is None:
        return _claims_only(report, ref)
    titled = [c for c in report.claims if c.line == 0]  # a separate title: not in the source
    inside = [c for c in report.claims if c.line != 0]
    claims = _spans(article, inside, lambda span: True)

    def free(span: _Span) -> bool:  # a cue lies within one claim or outside every claim
        return all(
            span.end <= c.start or span.start >= c.end or c.start <= span.start < span.end <= c.end
            for c in claims
        )

    cues = _unique_cues(report)
    underlined = _spans(article, [c for c in cues if c.line != 0], free)
    notes = _notes(report, article, claims, ref)
    parts = ['<div class="article">']
    if titled:
        body = " ".join(_render_claim(claim) for claim in titled)
        parts.append(f'<p class="headline">{body}</p>')
    for start, end in _joined(_paragraphs(article.text), claims):
        parts.append(_paragraph(article.text, start, end, claims, underlined, notes))
    leftover = [note for position in sorted(notes) for note in notes[position]]
    if leftover:  # findings that point past the prose (none expected): shown at the end
        parts.append("<p>" + "".join(leftover) + "</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _prose(report: Report) -> _Article | None:
    if report.source is None:
        return None
    base = report.part.start if report.part else 0
    if report.input_format == "text":
        return _Article(report.source, base, None)
    document = read_document(report.source, format=report.input_format)
    source_map = document.source_map
    if source_map.identity:
        return _Article(document.text, base, None)
    starts = [source_map.start(i) for i in range(len(document.text))]
    return _Article(document.text, base, starts)


def _spans(
    article: _Article, items: Sequence[Claim | Cue], keep: Callable[[_Span], bool]
) -> list[_Span]:
    """Items placed in the prose, in order, none empty and none overlapping one kept before
    (and each one ``keep`` accepts)."""
    placed: list[_Span] = []
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        span = _Span(article.at(item.start), article.at(item.end), item)
        if span.end <= span.start or (placed and span.start < placed[-1].end):
            continue
        if keep(span):
            placed.append(span)
    return placed


def _unique_cues(report: Report) -> list[Cue]:
    seen: dict[tuple[str, int, int], Cue] = {}
    for cue in (*report.study_cues, *(c for claim in report.claims for c in claim.cues)):
        seen.setdefault((cue.rule, cue.start, cue.end), cue)
    return list(seen.values())


def _notes(
    report: Report, article: _Article, claims: list[_Span], ref: str
) -> dict[int, list[str]]:
    """Each finding's note, keyed by the prose offset it is shown after: the end of the claim
    it lies in, else the end of its sentence."""
    notes: dict[int, list[str]] = {}
    for number, finding in enumerate(report.findings, 1):
        start = article.at(finding.start) if finding.line != 0 else 0
        end = max(article.at(finding.end), start) if finding.line != 0 else 0
        home = next((c for c in claims if c.start <= start < c.end), None)
        if home is not None:
            place = home.end
        else:
            stop = _SENTENCE_END.search(article.text, end)
            place = stop.end() if stop else len(article.text)
            place = min([place, *(c.start for c in claims if c.start >= end)])
            if "\n\n" in article.text[end:place]:
                place = end + article.text[end:place].index("\n\n")
        notes.setdefault(place, []).append(note(finding, f"{ref}-finding-{number}", number))
    return notes


def note(finding: Finding, anchor: str, number: int) -> str:
    severity = finding.severity.value
    suggestion = (
        f'<span class="suggestion">Suggestion: {html_text(finding.suggestion)}</span>'
        if finding.suggestion
        else ""
    )
    if finding.edit is not None:
        rewrite = html_text(described_edit(finding.edit))
        suggestion += f'<span class="suggestion rewrite">Rewrite: {rewrite}</span>'
    return (
        f'<span class="finding finding-{severity}" id="{anchor}" role="note">'
        f'<a class="back" href="#{anchor}-index" title="back to the summary">'
        f"{_SEVERITY_MARK.get(severity, '!')} {number}</a>"
        f'<span class="sev sev-{severity}">{severity}</span> '
        f"<code>{html_text(finding.code)}</code> {html_text(finding.message)} "
        f'<span class="note">({finding.line}:{finding.column}, '
        f"“{html_text(one_line(finding.text))}”)</span>{suggestion}</span>"
    )


def _joined(paragraphs: list[tuple[int, int]], claims: list[_Span]) -> list[tuple[int, int]]:
    """The paragraphs, with those a claim runs across made one: a blank line inside an HTML
    or Markdown paragraph's source is no paragraph break, and a claim is shown whole."""
    joined: list[tuple[int, int]] = []
    for start, end in paragraphs:
        crossed = joined and any(c.start < joined[-1][1] and c.end > start for c in claims)
        if crossed:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, leading and trailing
    white space left out."""
    spans: list[tuple[int, int]] = []
    at = 0
    for gap in (*_PARAGRAPH_BREAK.finditer(text), None):
        end = gap.start() if gap else len(text)
        chunk = text[at:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip("\n"))
            spans.append((at + lead, at + len(chunk.rstrip())))
        at = gap.end() if gap else len(text)
    return spans


def _paragraph(
    text: str,
    start: int,
    end: int,
    claims: list[_Span],
    cues: list[_Span],
    notes: dict[int, list[str]],
) -> str:
    out: list[str] = []
    at = start
    headline = False
    for span in claims:
        if span.end <= start or span.start >= end:
            continue
        claim = span.item
        assert isinstance(claim, Claim)
        headline = headline or claim.headline
        s, e = max(span.start, start), min(span.end, end)
        out.append(_run(text, at, s, cues, notes))
        out.append(_claim_open(claim) + _run(text, s, e, cues, {}) + "</span>")
        at = _after_notes(text, e, notes.pop(e, []), out)
    out.append(_run(text, at, end, cues, notes))
    for position in [p for p in notes if start <= p <= end]:
        out.extend(notes.pop(position))
    css = ' class="headline"' if headline else ""
    return f"<p{css}>{''.join(out)}</p>"


def _run(text: str, start: int, end: int, cues: list[_Span], notes: dict[int, list[str]]) -> str:
    """``text[start:end]`` with its cues underlined and the notes shown after theirs."""
    out: list[str] = []
    at = start
    for span in cues:
        if span.start < start or span.end > end:
            continue
        out.append(_plain(text, at, span.start, notes))
        cue = span.item
        assert isinstance(cue, Cue)
        out.append(_cue_span(cue, html_text(text[span.start : span.end])))
        for position in [p for p in notes if span.start < p <= span.end]:
            out.extend(notes.pop(position))
        at = span.end
    out.append(_plain(text, at, end, notes))
    return "".join(out)


def _plain(text: str, start: int, end: int, notes: dict[int, list[str]]) -> str:
    out: list[str] = []
    at = start
    for position in sorted(p for p in notes if start < p <= end):
        out.append(html_text(text[at:position]))
        at = min(_after_notes(text, position, notes.pop(position), out), end)
    out.append(html_text(text[at:end]))
    return "".join(out)


def _after_notes(text: str, at: int, shown: list[str], out: list[str]) -> int:
    """Adds the notes ``shown`` at ``at`` to ``out``; where the text goes on after them:
    past the line break or the spaces that follow, since a note is a block and already
    ends its line."""
    out.extend(shown)
    gap = _AFTER_NOTE.match(text, at) if shown else None
    return gap.end() if gap else at


def _claim_open(claim: Claim) -> str:
    title = (
        f"{claim.label.value}; strength {claim.strength.value}; "
        f"certainty {claim.certainty:.2f}; confidence {claim.confidence:.2f}"
    )
    return (
        f'<span class="claim label-{claim.label.value}" data-label="{claim.label.value}" '
        f'title="{html_text(title)}">'
    )


def _claims_only(report: Report, ref: str) -> str:
    parts = [
        '<div class="article">',
        '<p class="note">The text of this report is not at hand: only its claims are shown, '
        "one paragraph per source line.</p>",
    ]
    for line, group in groupby(report.claims, key=lambda c: c.line):
        claims = list(group)
        css = ' class="headline"' if any(c.headline for c in claims) else ""
        where = f'<span class="where">{line}</span>' if line else ""
        body = " ".join(_render_claim(claim) for claim in claims)
        parts.append(f"<p{css}>{where}{body}</p>")
    notes = [
        note(finding, f"{ref}-finding-{number}", number)
        for number, finding in enumerate(report.findings, 1)
    ]
    if notes:
        parts.append("<p>" + "".join(notes) + "</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _render_claim(claim: Claim) -> str:
    placed, unplaced = locate_cues(claim)
    out: list[str] = []
    at = 0
    for item in placed:
        out.append(html_text(claim.text[at : item.start]))
        out.append(_cue_span(item.cue, html_text(claim.text[item.start : item.end])))
        at = item.end
    out.append(html_text(claim.text[at:]))
    extra = ""
    if unplaced:
        chips = ", ".join(_cue_span(cue, html_text(cue.text)) for cue in unplaced)
        extra = f'<span class="more">[also: {chips}]</span>'
    return f"{_claim_open(claim)}{''.join(out)}</span>{extra}"


def _cue_span(cue: Cue, inner: str) -> str:
    group = _CUE_GROUPS.get(cue.category, "other")
    scope = "study-level" if cue.scope == "document" else "sentence"
    title = f"{cue.rule} {cue.name} ({cue.category}): weight {cue.weight:+.2f}, scope {scope}"
    quoted = ' data-quoted="1"' if cue.quoted else ""
    return (
        f'<span class="cue cue-{group}" tabindex="0" data-rule="{html_text(cue.rule)}" '
        f'data-weight="{cue.weight:+.2f}" data-scope="{scope}"{quoted} '
        f'title="{html_text(title)}">{inner}</span>'
    )


def locate_cues(claim: Claim) -> tuple[list[_Placed], list[Cue]]:
    """Cues placed in the claim text, in order and not overlapping, and the cues left over."""
    placed: list[_Placed] = []
    unplaced: list[Cue] = []
    for cue in sorted(claim.cues, key=lambda c: (c.start, -c.end)):
        same_text = (cue.line >= 1) == (claim.line >= 1)  # line 0: both in a separate title
        inside = same_text and claim.start <= cue.start and cue.end <= claim.end
        found = _find(claim.text, cue.text, cue.start - claim.start, placed) if inside else None
        if found is None:
            unplaced.append(cue)
        else:
            placed.append(_Placed(cue, found, found + len(cue.text)))
            placed.sort(key=lambda p: p.start)
    return placed, unplaced


def _find(text: str, needle: str, expected: int, taken: list[_Placed]) -> int | None:
    """Where ``needle`` sits in ``text``: at ``expected`` if it is there, else the nearest
    occurrence (exact case first) that overlaps no cue already placed."""
    if not needle:
        return None

    def free(at: int) -> bool:
        return all(at + len(needle) <= p.start or at >= p.end for p in taken)

    if text[expected : expected + len(needle)] == needle and free(expected):
        return expected
    for haystack, sought in ((text, needle), (text.lower(), needle.lower())):
        if len(haystack) != len(text) or len(sought) != len(needle):
            continue  # lower() changed a length: its offsets would not map back
        hits = []
        at = haystack.find(sought)
        while at != -1:
            hits.append(at)
            at = haystack.find(sought, at + 1)
        hits = [h for h in hits if free(h)]
        if hits:
            return min(hits, key=lambda h: abs(h - expected))
    return None
